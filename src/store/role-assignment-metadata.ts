// The `roleAssignmentMetadata` of user and service-account aggregates: a principal's role
// assignments at one scope, with the role's and resource group's display names.
import type { Kysely } from 'kysely';
import { managedResourceGroup, managedRole } from '../domain/managed.js';
import { makeScope, scopeChain, type Scope, type ScopeLevel } from '../domain/scope.js';
import type { Database } from './schema.js';
import { whereScope } from './scope-columns.js';
import { inCodePointOrder } from './text-order.js';

export interface RoleAssignmentMetadata {
  identifier: string;
  roleIdentifier: string;
  roleName: string;
  resourceGroupIdentifier: string;
  resourceGroupName: string;
  managedRole: boolean;
  managedRoleAssignment: boolean;
}

const scopeKey = (s: Scope) => `${s.orgIdentifier ?? ''}/${s.projectIdentifier ?? ''}`;

/**
 * The assignments held directly by each of `principalIds` (of one type) at `scope`, by principal.
 * Custom roles and resource groups are named from the nearest scope, up from `scope`, that defines them.
 * `principalScopeLevel` keeps only assignments naming a principal of that level (service accounts of
 * the same identifier can live at several scopes).
 */
export async function roleAssignmentMetadata(
  db: Kysely<Database>, scope: Scope, principalType: string, principalIds: string[], principalScopeLevel?: ScopeLevel,
): Promise<Map<string, RoleAssignmentMetadata[]>> {
  const out = new Map<string, RoleAssignmentMetadata[]>(principalIds.map((id) => [id, []]));
  if (principalIds.length === 0) return out;
  const rows = await whereScope(db.selectFrom('role_assignments').selectAll(), scope)
    .where('principal_type', '=', principalType).where('principal_identifier', 'in', principalIds)
    .$if(principalScopeLevel !== undefined, (q) => q.where((eb) =>
      eb.or([eb('principal_scope_level', '=', principalScopeLevel!), eb('principal_scope_level', 'is', null)])))
    .orderBy('created_at').orderBy('identifier', inCodePointOrder(db)).execute();
  if (rows.length === 0) return out;

  const chain = scopeChain(makeScope(scope.accountIdentifier, scope.orgIdentifier, scope.projectIdentifier));
  const nearest = (defs: { org_identifier: string; project_identifier: string; identifier: string; name: string }[], id: string) => {
    for (const s of chain) {
      const def = defs.find((d) => d.identifier === id && `${d.org_identifier}/${d.project_identifier}` === scopeKey(s));
      if (def) return def.name;
    }
    return id; // a dangling reference still shows something recognizable
  };
  const roleIds = [...new Set(rows.map((r) => r.role_identifier).filter((id) => !managedRole(id)))];
  const groupIds = [...new Set(rows.map((r) => r.resource_group_identifier).filter((id) => !managedResourceGroup(id)))];
  const roles = roleIds.length === 0 ? [] : await db.selectFrom('roles')
    .select(['org_identifier', 'project_identifier', 'identifier', 'name'])
    .where('account_id', '=', scope.accountIdentifier).where('identifier', 'in', roleIds).execute();
  const groups = groupIds.length === 0 ? [] : await db.selectFrom('resource_groups')
    .select(['org_identifier', 'project_identifier', 'identifier', 'name'])
    .where('account_id', '=', scope.accountIdentifier).where('identifier', 'in', groupIds).execute();

  for (const r of rows) {
    const role = managedRole(r.role_identifier);
    const group = managedResourceGroup(r.resource_group_identifier);
    out.get(r.principal_identifier)!.push({
      identifier: r.identifier,
      roleIdentifier: r.role_identifier,
      roleName: role ? role.name : nearest(roles, r.role_identifier),
      resourceGroupIdentifier: r.resource_group_identifier,
      resourceGroupName: group ? group.name : nearest(groups, r.resource_group_identifier),
      managedRole: !!role,
      managedRoleAssignment: !!r.managed,
    });
  }
  return out;
}
