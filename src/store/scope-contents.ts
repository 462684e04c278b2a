// Everything that lives inside an organization or a project, deleted in one place so that deleting
// a scope never leaves a principal, a grant or a working token behind. Call it inside the
// transaction that deletes the scope's own row, and record the audit entry in the same one.
import type { Kysely } from 'kysely';
import type { Scope } from '../domain/scope.js';
import type { Database } from './schema.js';
import { lockApiKeysWhere } from './api-keys.js';
import type { ScopeSelector } from './resource-groups.js';

export interface DeletedScopeContents {
  projects: number;
  serviceAccounts: number;
  userGroups: number;
  userGroupMembers: number;
  roles: number;
  resourceGroups: number;
  roleAssignments: number;
  apiKeys: number;
  tokens: number;
}

/** The scoped tables, in an order that never leaves a row pointing at a deleted one. */
const SCOPED_TABLES = [
  ['roleAssignments', 'role_assignments'],
  ['userGroupMembers', 'user_group_members'],
  ['userGroups', 'user_groups'],
  ['roles', 'roles'],
  ['resourceGroups', 'resource_groups'],
  ['serviceAccounts', 'service_accounts'],
] as const;

/**
 * Deletes every resource scoped in `scope` or below it: for an organization its projects and
 * everything in the organization and in those projects; for a project everything in it. The
 * organization or project row itself is left to the caller. Refuses the account scope.
 */
export async function deleteScopeContents(trx: Kysely<Database>, scope: Scope): Promise<DeletedScopeContents> {
  const org = scope.orgIdentifier;
  if (!org) throw new Error('deleteScopeContents: only an organization or a project scope can be emptied');
  const project = scope.projectIdentifier;

  // Rows of this scope and, for an organization, of all its projects.
  const within = <T extends { where: (...args: any[]) => T }>(q: T): T => {
    let out = q.where('account_id', '=', scope.accountIdentifier).where('org_identifier', '=', org);
    if (project) out = out.where('project_identifier', '=', project);
    return out;
  };
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);

  const deleted: DeletedScopeContents = {
    projects: 0, serviceAccounts: 0, userGroups: 0, userGroupMembers: 0, roles: 0, resourceGroups: 0,
    roleAssignments: 0, apiKeys: 0, tokens: 0,
  };

  // Tokens would go with their API keys by the foreign key's cascade; deleting them first keeps
  // the count for the audit entry and does not depend on the cascade. The keys are row-locked
  // first, the order token changes take them in.
  await lockApiKeysWhere(trx, { accountId: scope.accountIdentifier, orgIdentifier: org, ...(project ? { projectIdentifier: project } : {}) });
  const keyIds = within(trx.selectFrom('api_keys').select('id'));
  deleted.tokens = count(await trx.deleteFrom('tokens').where('api_key_id', 'in', keyIds).executeTakeFirstOrThrow());
  deleted.apiKeys = count(await within(trx.deleteFrom('api_keys')).executeTakeFirstOrThrow());
  for (const [key, table] of SCOPED_TABLES) {
    deleted[key] = count(await within(trx.deleteFrom(table)).executeTakeFirstOrThrow());
  }
  if (!project) {
    deleted.projects = count(await trx.deleteFrom('projects')
      .where('account_id', '=', scope.accountIdentifier).where('org_identifier', '=', org).executeTakeFirstOrThrow());
  }
  await forgetIncludedScope(trx, scope);
  return deleted;
}

/**
 * Resource groups above the deleted scope that name it (or, for an organization, one of its
 * projects) among their included scopes stop naming it: an organization or project made later
 * under the same identifier is a new one, and grants made for the old one must not cover it.
 */
async function forgetIncludedScope(trx: Kysely<Database>, scope: Scope): Promise<void> {
  const { accountIdentifier: account, orgIdentifier: org, projectIdentifier: project } = scope;
  const above = project ? ['', org!] : [''];
  const groups = await trx.selectFrom('resource_groups').select(['org_identifier', 'project_identifier', 'identifier', 'included_scopes'])
    .where('account_id', '=', account).where('org_identifier', 'in', above).where('project_identifier', '=', '').execute();
  const inDeleted = (s: ScopeSelector) => s.orgIdentifier === org && (!project || s.projectIdentifier === project);
  for (const g of groups) {
    const selectors = JSON.parse(g.included_scopes) as ScopeSelector[];
    const kept = selectors.filter((s) => !inDeleted(s));
    if (kept.length === selectors.length) continue;
    await trx.updateTable('resource_groups').set({ included_scopes: JSON.stringify(kept) })
      .where('account_id', '=', account).where('org_identifier', '=', g.org_identifier)
      .where('project_identifier', '=', g.project_identifier).where('identifier', '=', g.identifier).execute();
  }
}
