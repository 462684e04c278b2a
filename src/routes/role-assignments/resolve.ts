// What a new role assignment names must exist and be usable at its scope: the role (allowed at the
// scope's level), the resource group (managed and allowed there, or custom of that very scope) and
// the principal (a user of the account; a group or service account of the scope or, by
// `scopeLevel`, of a parent scope). Each failure is a 400 naming it.
import type { Kysely } from 'kysely';
import { invalidArgument, invalidRequest, Messages } from '../../domain/errors.js';
import { ancestorAt, levelRank, resolveResourceGroup, resolveRole } from '../../domain/evaluation.js';
import { isManagedResourceGroup, isManagedRole } from '../../domain/managed.js';
import { scopeLevel, type Scope, type ScopeLevel } from '../../domain/scope.js';
import { resourceGroupFacts } from '../../store/resource-groups.js';
import { roleFacts } from '../../store/roles.js';
import type { Database } from '../../store/schema.js';
import { findServiceAccountFor } from '../../store/service-accounts.js';
import { getUserGroup } from '../../store/user-groups.js';
import type { AssignedPrincipal } from './principal-access.js';

/** 400 when `scopeLevel` is below the assignment's own level (Harness's message). */
export function checkPrincipalScopeLevel(scope: Scope, level: ScopeLevel | null | undefined): void {
  if (level && levelRank(level) > levelRank(scopeLevel(scope))) {
    throw invalidRequest(Messages.principalScopeLevel(level, scopeLevel(scope)));
  }
}

export async function checkRoleAndResourceGroup(db: Kysely<Database>, scope: Scope, roleId: string, groupId: string): Promise<void> {
  const level = scopeLevel(scope);
  const roles = isManagedRole(roleId) ? [] : await roleFacts(db, scope.accountIdentifier, [roleId]);
  if (!resolveRole(roleId, scope, roles)) throw invalidArgument(Messages.roleNotUsable(roleId, level));
  const groups = isManagedResourceGroup(groupId) ? [] : await resourceGroupFacts(db, scope.accountIdentifier, [groupId]);
  if (!resolveResourceGroup(groupId, scope, groups)) throw invalidArgument(Messages.resourceGroupNotUsable(groupId, level));
}

/** The principal as it will be stored: users at account level; others where they were found. */
export async function resolvePrincipal(db: Kysely<Database>, scope: Scope, p: AssignedPrincipal): Promise<AssignedPrincipal> {
  const missing = () => invalidArgument(Messages.principalNotFound(p.type, p.identifier));
  if (p.type === 'USER') {
    const user = await db.selectFrom('users').select('id')
      .where('account_id', '=', scope.accountIdentifier).where('id', '=', p.identifier).executeTakeFirst();
    if (!user) throw missing();
    return { ...p, scopeLevel: 'account' };
  }
  if (p.type === 'USER_GROUP') {
    const level = p.scopeLevel ?? scopeLevel(scope);
    if (!(await getUserGroup(db, ancestorAt(scope, level)!, p.identifier))) throw missing();
    return { ...p, scopeLevel: level };
  }
  const found = await findServiceAccountFor(db, scope, p.identifier, p.scopeLevel);
  if (!found) throw missing();
  return { ...p, scopeLevel: scopeLevel(found) };
}
