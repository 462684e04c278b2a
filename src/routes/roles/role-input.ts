// A role body checked against the catalog and the scope it is defined at.
import type { Static } from '@sinclair/typebox';
import { invalidArgument, Messages } from '../../domain/errors.js';
import { levelRank } from '../../domain/evaluation.js';
import { isPermission } from '../../domain/permissions.js';
import { scopeLevel, type Scope } from '../../domain/scope.js';
import type { Role } from '../../store/roles.js';
import type { RoleBody } from './schemas.js';

/** Unknown permissions, and levels above the role's own scope (where it could never be found), are 400s. */
export function roleFromBody(body: Static<typeof RoleBody>, scope: Scope): Role {
  const permissions = [...new Set(body.permissions ?? [])];
  const unknown = permissions.find((p) => !isPermission(p));
  if (unknown !== undefined) throw invalidArgument(Messages.unknownPermission(unknown));
  const own = scopeLevel(scope);
  const allowedScopeLevels = [...new Set(body.allowedScopeLevels?.length ? body.allowedScopeLevels : [own])];
  const above = allowedScopeLevels.find((l) => levelRank(l) < levelRank(own));
  if (above) throw invalidArgument(Messages.allowedScopeLevelAbove(above, own));
  return {
    identifier: body.identifier, name: body.name, permissions, allowedScopeLevels,
    description: body.description ?? '', tags: body.tags ?? {},
  };
}
