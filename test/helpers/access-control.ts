// Fixtures for authorization tests, written straight to the store (so a test of one endpoint never
// depends on another endpoint working): organizations and projects, role assignments, other accounts.
import { randomString } from '../../src/domain/ids.js';
import { scopeLevel, makeScope, type Scope, type ScopeLevel } from '../../src/domain/scope.js';
import { createAccount, newRoleAssignmentIdentifier } from '../../src/store/accounts.js';
import type { Harness, Client } from './harness.js';

export type PrincipalRef = { type: 'USER' | 'USER_GROUP' | 'SERVICE_ACCOUNT'; identifier: string; scopeLevel?: ScopeLevel | null };

export async function ensureOrg(h: Harness, org: string, accountId = h.accountId): Promise<Scope> {
  const now = Date.now();
  const exists = await h.store.db.selectFrom('organizations').select('identifier')
    .where('account_id', '=', accountId).where('identifier', '=', org).executeTakeFirst();
  if (!exists) {
    await h.store.db.insertInto('organizations').values({
      account_id: accountId, identifier: org, name: org, description: '', tags: '{}', created_at: now, last_modified_at: now,
    }).execute();
  }
  return makeScope(accountId, org);
}

export async function ensureProject(h: Harness, org: string, project: string, accountId = h.accountId): Promise<Scope> {
  await ensureOrg(h, org, accountId);
  const now = Date.now();
  const exists = await h.store.db.selectFrom('projects').select('identifier')
    .where('account_id', '=', accountId).where('org_identifier', '=', org).where('identifier', '=', project).executeTakeFirst();
  if (!exists) {
    await h.store.db.insertInto('projects').values({
      account_id: accountId, org_identifier: org, identifier: project, name: project, description: '', color: '#0063F7',
      modules: '[]', tags: '{}', created_at: now, last_modified_at: now,
    }).execute();
  }
  return makeScope(accountId, org, project);
}

/** The usual admin grant of each level: role and resource group. */
export const ADMIN_AT: Record<ScopeLevel, [string, string]> = {
  account: ['_account_admin', '_all_resources_including_child_scopes'],
  organization: ['_organization_admin', '_all_resources_including_child_scopes'],
  project: ['_project_admin', '_all_project_level_resources'],
};
export const VIEWER_AT: Record<ScopeLevel, [string, string]> = {
  account: ['_account_viewer', '_all_account_level_resources'],
  organization: ['_organization_viewer', '_all_organization_level_resources'],
  project: ['_project_viewer', '_all_project_level_resources'],
};

/** Inserts a role assignment and tells the authorizer, as the role-assignment routes do. */
export async function grant(
  h: Harness, scope: Scope, principal: PrincipalRef, role: string, resourceGroup: string, options: { disabled?: boolean } = {},
): Promise<string> {
  const now = Date.now();
  const identifier = newRoleAssignmentIdentifier();
  await h.store.db.insertInto('role_assignments').values({
    account_id: scope.accountIdentifier, org_identifier: scope.orgIdentifier ?? '', project_identifier: scope.projectIdentifier ?? '',
    identifier, role_identifier: role, resource_group_identifier: resourceGroup,
    principal_type: principal.type, principal_identifier: principal.identifier,
    principal_scope_level: principal.type === 'USER' ? 'account' : principal.scopeLevel ?? scopeLevel(scope),
    disabled: options.disabled ? 1 : 0, managed: 0, created_at: now, last_modified_at: now,
  }).execute();
  h.services.invalidation.publish({
    kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: principal.type, principalIdentifier: principal.identifier,
    permissionsOnly: true,
  });
  return identifier;
}

export const grantAdmin = (h: Harness, scope: Scope, userId: string) =>
  grant(h, scope, { type: 'USER', identifier: userId }, ...ADMIN_AT[scopeLevel(scope)]);
export const grantViewer = (h: Harness, scope: Scope, userId: string) =>
  grant(h, scope, { type: 'USER', identifier: userId }, ...VIEWER_AT[scopeLevel(scope)]);

export interface OtherAccount { accountId: string; adminId: string; adminEmail: string; client: Client }

/** A second tenant, made as `keysmith account create` makes it, with its admin logged in. */
export async function createOtherAccount(h: Harness, name = 'Other'): Promise<OtherAccount> {
  const adminEmail = `other-${randomString(8).toLowerCase()}@example.com`;
  const password = 'other-password-' + randomString(8);
  const created = await createAccount(h.store.db, h.store.engine, { name, adminEmail, password });
  return { accountId: created.accountId, adminId: created.adminUserId, adminEmail, client: await h.login(adminEmail, password) };
}

/** A user created through the API, with the given grants (scope → role/resource group pairs). */
export async function userWith(h: Harness, grants: { scope: Scope; role: string; resourceGroup: string }[] = []) {
  const user = await h.createUser();
  for (const g of grants) await grant(h, g.scope, { type: 'USER', identifier: user.id }, g.role, g.resourceGroup);
  return user;
}

export const unique = (prefix: string) => `${prefix}_${randomString(8)}`;
