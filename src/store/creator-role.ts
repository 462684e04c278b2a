// Whoever creates an organization or a project administers it (as in Harness): the creator gets
// `_organization_admin` on all the organization's resources, or `_project_admin` on the project's.
import type { Kysely } from 'kysely';
import { scopeLevel, type Scope } from '../domain/scope.js';
import { newRoleAssignmentIdentifier } from './accounts.js';
import type { Database } from './schema.js';
import { scopeCols } from './scope-columns.js';

export interface CreatorPrincipal {
  type: 'USER' | 'SERVICE_ACCOUNT';
  identifier: string;
  /** A service account's own scope (users live at the account). */
  scope?: Scope;
}

export interface CreatorGrant {
  identifier: string;
  roleIdentifier: string;
  resourceGroupIdentifier: string;
  principal: { type: string; identifier: string };
}

/** Inserts the creator's role assignment at `scope` (an organization or a project) and returns it. */
export async function grantCreatorAdmin(trx: Kysely<Database>, scope: Scope, principal: CreatorPrincipal, now: number):
  Promise<CreatorGrant> {
  const level = scopeLevel(scope);
  if (level === 'account') throw new Error('grantCreatorAdmin: the scope must be an organization or a project');
  const grant: CreatorGrant = {
    identifier: newRoleAssignmentIdentifier(),
    roleIdentifier: level === 'project' ? '_project_admin' : '_organization_admin',
    resourceGroupIdentifier: level === 'project' ? '_all_project_level_resources' : '_all_resources_including_child_scopes',
    principal: { type: principal.type, identifier: principal.identifier },
  };
  await trx.insertInto('role_assignments').values({
    ...scopeCols(scope),
    identifier: grant.identifier,
    role_identifier: grant.roleIdentifier,
    resource_group_identifier: grant.resourceGroupIdentifier,
    principal_type: principal.type,
    principal_identifier: principal.identifier,
    principal_scope_level: principal.type === 'USER' || !principal.scope ? 'account' : scopeLevel(principal.scope),
    disabled: 0,
    managed: 0,
    created_at: now,
    last_modified_at: now,
  }).execute();
  return grant;
}
