// A resource-group body checked against the scope it is defined at: included scopes at or below it
// that exist, known resource types. No included scope means the group's own scope, without its children.
import type { Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { invalidArgument, Messages } from '../../domain/errors.js';
import { RESOURCE_TYPES, type ResourceType } from '../../domain/permissions.js';
import { describeScope, isWithin, makeScope, sameScope, scopeLevel, type Scope } from '../../domain/scope.js';
import { assertScopeExists } from '../../http/request-scope.js';
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
 * 404 ENTITY_NOT_FOUND naming an included organization or project that does not exist. Scopes the
 * group already held (`kept`, on an update) are not looked up again. (Deleting an organization or
 * project takes it out of the groups that name it: store/scope-contents.ts.)
 */
export async function assertIncludedScopesExist(db: Kysely<Database>, group: ResourceGroup, kept: Scope[] = []): Promise<void> {
  for (const s of group.includedScopes) {
    if (s.orgIdentifier && !kept.some((k) => sameScope(k, s))) await assertScopeExists(db, s);
  }
}
