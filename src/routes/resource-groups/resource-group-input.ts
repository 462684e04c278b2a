// A resource-group body checked against the scope it is defined at: included scopes at or below it
// that exist, known resource types. No included scope means the group's own scope, without its children.
import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { invalidArgument, Messages } from '../../domain/errors.js';
import { RESOURCE_TYPES, type ResourceType } from '../../domain/permissions.js';
import { describeScope, isWithin, makeScope, scopeLevel, type Scope } from '../../domain/scope.js';
import { holdScope } from '../../http/request-scope.js';
import type { Database } from '../../store/schema.js';
import type { ResourceGroup } from '../../store/resource-groups.js';
import type { ResourceGroupBody } from './schemas.js';

const resourceTypes = new Set<string>(RESOURCE_TYPES);

export function resourceGroupFromBody(body: Static<typeof ResourceGroupBody>['resourceGroup'], scope: Scope): ResourceGroup {
  const includedScopes = (body.includedScopes?.length ? body.includedScopes : [{ filter: 'EXCLUDING_CHILD_SCOPES' as const, ...scope }])
    .map((s) => {
      const selected = makeScope(s.accountIdentifier || scope.accountIdentifier, s.orgIdentifier, s.projectIdentifier);
      if (selected.projectIdentifier && !selected.orgIdentifier) throw invalidArgument(Messages.includedScopeOutside(`project ${selected.projectIdentifier}`));
      if (!isWithin(selected, scope)) throw invalidArgument(Messages.includedScopeOutside(describeScope(selected)));
      return { filter: s.filter, ...selected };
    });
  const resources = (body.resourceFilter?.resources ?? []).map((r) => {
    if (!resourceTypes.has(r.resourceType)) throw invalidArgument(Messages.unknownResourceType(r.resourceType));
    return { resourceType: r.resourceType as ResourceType, identifiers: r.identifiers?.length ? [...new Set(r.identifiers)] : null };
  });
  return {
    ...scope, identifier: body.identifier, name: body.name, color: body.color ?? '', tags: body.tags ?? {},
    description: body.description ?? '', allowedScopeLevels: [scopeLevel(scope)], includedScopes,
    resourceFilter: { includeAllResources: body.resourceFilter?.includeAllResources ?? false, resources },
  };
}

/**
 * Inside the transaction that writes the group: every included organization or project exists
 * (404 ENTITY_NOT_FOUND naming it) and — PostgreSQL — cannot be deleted until the write commits.
 * Deleting one takes it out of the groups that name it (store/scope-contents.ts), so a group is
 * never written naming one that is gone.
 */
export async function holdIncludedScopes(trx: Kysely<Database>, engine: 'sqlite' | 'postgres', group: ResourceGroup): Promise<void> {
  for (const s of group.includedScopes) {
    if (s.orgIdentifier) await holdScope(trx, engine, makeScope(s.accountIdentifier, s.orgIdentifier, s.projectIdentifier));
  }
}
