// The authorization matrix: ONE table of endpoints; test/authz/matrix.test.ts runs every row as
// every kind of caller and checks the status against the row's expectation.
//
// To add your endpoint, append a row (or `atEveryLevel(...)` for an endpoint that works at account,
// organization and project scope alike):
//   - `level`: the scope the request acts on (see MX_* below for the fixtures that exist there);
//   - `access`: 'read' (needs a view permission), 'write' (needs an edit/manage/delete one) or
//     'list' (filtered, never refused within the caller's own account);
//   - `request(ctx)`: prepare a fresh target with `ctx.setup` (the account's first admin) when the
//     request consumes one (delete, update), and return the request. It runs once per caller;
//   - `missing: true` when the request names something that does not exist: callers allowed to see
//     it then get 404 instead of 200, everyone else the same 403 as for an existing one;
//   - `expect`: only where the defaults (below) do not fit, with a comment saying why.
import type { Scope, ScopeLevel } from '../../src/domain/scope.js';
import type { Client, Harness } from '../helpers/harness.js';

export const CALLERS = ['anonymous', 'noRoles', 'viewer', 'siblingAdmin', 'admin', 'parentAdmin', 'otherAccount'] as const;
export type Caller = (typeof CALLERS)[number];
export type Access = 'read' | 'write' | 'list';

/** Fixture scopes: the row's organization and project, and their siblings. */
export const MX_ORG = 'mx_org';
export const MX_PROJECT = 'mx_proj';
export const MX_SIBLING_ORG = 'mx_org2';
export const MX_SIBLING_PROJECT = 'mx_proj2'; // in MX_ORG
/** Every fixture scope holds a service account, a user group, a role and a resource group of this identifier. */
export const MX_FIXTURE = 'mx_fixture';

export interface MatrixContext {
  h: Harness;
  accountId: string;
  /** The row's scope: the account, MX_ORG or MX_ORG/MX_PROJECT. */
  scope: Scope;
  /** accountIdentifier (+ orgIdentifier, projectIdentifier) of the row's scope. */
  query: Record<string, string>;
  /** The account's first admin, to prepare targets. */
  setup: Client;
  /** A user who never calls: a safe principal to grant to, or to edit. */
  targetUserId: string;
  unique(prefix: string): string;
}

export interface MatrixRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | string[]>;
  body?: unknown;
}

export interface MatrixRow {
  name: string;
  level: ScopeLevel;
  access: Access;
  missing?: boolean;
  request(ctx: MatrixContext): MatrixRequest | Promise<MatrixRequest>;
  expect?: Partial<Record<Caller, number>>;
}

/**
 * The default expectation. Callers, for a row at scope S:
 *   anonymous     no credentials                                   → 401
 *   noRoles       a user of the account without any assignment     → 403 (lists: 200, filtered)
 *   viewer        the managed viewer role at S, on S's resources   → reads 200, writes 403
 *   siblingAdmin  admin of a scope that does not contain S (at account level: of an organization)
 *                                                                   → 403 (lists: 200, filtered)
 *   admin         the managed admin role at S                      → 200
 *   parentAdmin   admin of S's parent scope (none for the account)  → 200
 *   otherAccount  the admin of another account                     → 403, lists included (SPEC §2: a
 *                 cookie user asking about another account is denied core_account_view on it)
 * With `missing`, the allowed callers' 200 becomes 404.
 */
export function expectedStatus(row: MatrixRow, caller: Caller): number | null {
  if (row.expect?.[caller] !== undefined) return row.expect[caller]!;
  const ok = row.missing ? 404 : 200;
  const list = row.access === 'list';
  switch (caller) {
    case 'anonymous': return 401;
    case 'noRoles': case 'siblingAdmin': return list ? 200 : 403;
    case 'otherAccount': return 403;
    case 'viewer': return row.access === 'write' ? 403 : ok;
    case 'admin': return ok;
    case 'parentAdmin': return row.level === 'account' ? null : ok;
  }
}

/** The same row at account, organization and project scope. */
export function atEveryLevel(row: Omit<MatrixRow, 'level'>): MatrixRow[] {
  return (['account', 'organization', 'project'] as const).map((level) => ({ ...row, level, name: `${row.name} @${level}` }));
}

const sa = (id: string) => ({ identifier: id, name: id, email: `${id.toLowerCase()}@robots.example.com`, description: 'matrix' });
async function freshServiceAccount(ctx: MatrixContext): Promise<string> {
  const id = ctx.unique('sa');
  const res = await ctx.setup.post('/ng/api/serviceaccount', sa(id), { query: ctx.query });
  if (res.status !== 200) throw new Error(`setup: ${res.text}`);
  return id;
}
async function setupOk(res: Promise<{ status: number; text: string; body: any }>) {
  const r = await res;
  if (r.status !== 200) throw new Error(`setup: ${r.status} ${r.text}`);
  return r.body;
}
const VIEWER_BY_LEVEL: Record<ScopeLevel, [string, string]> = {
  account: ['_account_viewer', '_all_account_level_resources'],
  organization: ['_organization_viewer', '_all_organization_level_resources'],
  project: ['_project_viewer', '_all_project_level_resources'],
};
async function freshAssignment(ctx: MatrixContext) {
  const principal = await freshServiceAccount(ctx);
  const [roleIdentifier, resourceGroupIdentifier] = VIEWER_BY_LEVEL[ctx.scope.projectIdentifier ? 'project' : ctx.scope.orgIdentifier ? 'organization' : 'account'];
  const body = { roleIdentifier, resourceGroupIdentifier, principal: { identifier: principal, type: 'SERVICE_ACCOUNT' } };
  const created = await setupOk(ctx.setup.post('/authz/api/roleassignments', body, { query: ctx.query }));
  return { identifier: created.data.roleAssignment.identifier as string, body };
}
const role = (id: string) => ({ identifier: id, name: id, permissions: ['core_audit_view'], description: 'matrix' });
const resourceGroup = (id: string) => ({ resourceGroup: { identifier: id, name: id, description: 'matrix', resourceFilter: { includeAllResources: true } } });

// ---- API keys and tokens (issue 4): a service account's keys follow its permissions
// (core_serviceaccount_view to read, core_serviceaccount_manageapikey to change); each request
// gets a fresh service account, so the per-owner and per-key limits never interfere.
const saKeyQuery = (ctx: MatrixContext, saId: string, extra: Record<string, string> = {}) =>
  ({ ...ctx.query, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: saId, ...extra });
const saKeyBody = (ctx: MatrixContext, saId: string, identifier: string) =>
  ({ identifier, name: identifier, ...ctx.query, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: saId });
const saTokenBody = (ctx: MatrixContext, saId: string, apiKeyIdentifier: string, identifier: string) =>
  ({ identifier, name: identifier, ...ctx.query, apiKeyIdentifier, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: saId });
async function freshSaKey(ctx: MatrixContext): Promise<{ saId: string; keyId: string }> {
  const saId = await freshServiceAccount(ctx);
  const keyId = ctx.unique('k');
  await setupOk(ctx.setup.post('/ng/api/apikey', saKeyBody(ctx, saId, keyId), { query: ctx.query }));
  return { saId, keyId };
}
async function freshSaToken(ctx: MatrixContext): Promise<{ saId: string; keyId: string; tokenId: string }> {
  const { saId, keyId } = await freshSaKey(ctx);
  const tokenId = ctx.unique('t');
  await setupOk(ctx.setup.post('/ng/api/token', saTokenBody(ctx, saId, keyId, tokenId), { query: ctx.query }));
  return { saId, keyId, tokenId };
}

export const MATRIX: MatrixRow[] = [
  // ---- service accounts (issue 3) ------------------------------------------------------------
  ...atEveryLevel({ name: 'POST /ng/api/serviceaccount', access: 'write',
    request: (ctx) => ({ method: 'POST', path: '/ng/api/serviceaccount', query: ctx.query, body: sa(ctx.unique('sa')) }) }),
  ...atEveryLevel({ name: 'PUT /ng/api/serviceaccount/{id}', access: 'write',
    request: async (ctx) => {
      const id = await freshServiceAccount(ctx);
      return { method: 'PUT', path: `/ng/api/serviceaccount/${id}`, query: ctx.query, body: { ...sa(id), name: 'renamed' } };
    } }),
  ...atEveryLevel({ name: 'PUT /ng/api/serviceaccount/{missing}', access: 'write', missing: true,
    request: (ctx) => ({ method: 'PUT', path: '/ng/api/serviceaccount/mx_ghost', query: ctx.query, body: sa('mx_ghost') }) }),
  ...atEveryLevel({ name: 'DELETE /ng/api/serviceaccount/{id}', access: 'write',
    request: async (ctx) => ({ method: 'DELETE', path: `/ng/api/serviceaccount/${await freshServiceAccount(ctx)}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'DELETE /ng/api/serviceaccount/{missing}', access: 'write', missing: true,
    request: (ctx) => ({ method: 'DELETE', path: '/ng/api/serviceaccount/mx_ghost', query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/serviceaccount/{id}', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/ng/api/serviceaccount/${MX_FIXTURE}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/serviceaccount/{missing}', access: 'read', missing: true,
    request: (ctx) => ({ method: 'GET', path: '/ng/api/serviceaccount/mx_ghost', query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/serviceaccount/aggregate/{id}', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/ng/api/serviceaccount/aggregate/${MX_FIXTURE}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/serviceaccount', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/serviceaccount', query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/serviceaccount/aggregate', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/serviceaccount/aggregate', query: ctx.query }) }),

  // ---- user groups (issue 3) -----------------------------------------------------------------
  ...atEveryLevel({ name: 'POST /ng/api/user-groups', access: 'write',
    request: (ctx) => ({ method: 'POST', path: '/ng/api/user-groups', query: ctx.query, body: { identifier: ctx.unique('g'), name: 'g', users: [ctx.targetUserId] } }) }),
  ...atEveryLevel({ name: 'PUT /ng/api/user-groups', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('g');
      await setupOk(ctx.setup.post('/ng/api/user-groups', { identifier: id, name: 'g' }, { query: ctx.query }));
      return { method: 'PUT', path: '/ng/api/user-groups', query: ctx.query, body: { identifier: id, name: 'renamed' } };
    } }),
  ...atEveryLevel({ name: 'DELETE /ng/api/user-groups/{id}', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('g');
      await setupOk(ctx.setup.post('/ng/api/user-groups', { identifier: id, name: 'g' }, { query: ctx.query }));
      return { method: 'DELETE', path: `/ng/api/user-groups/${id}`, query: ctx.query };
    } }),
  ...atEveryLevel({ name: 'GET /ng/api/user-groups/{id}', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/ng/api/user-groups/${MX_FIXTURE}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/user-groups/{missing}', access: 'read', missing: true,
    request: (ctx) => ({ method: 'GET', path: '/ng/api/user-groups/mx_ghost', query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/user-groups', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/user-groups', query: ctx.query }) }),

  // ---- roles (issue 3) -----------------------------------------------------------------------
  ...atEveryLevel({ name: 'POST /authz/api/roles', access: 'write',
    request: (ctx) => ({ method: 'POST', path: '/authz/api/roles', query: ctx.query, body: role(ctx.unique('r')) }) }),
  ...atEveryLevel({ name: 'PUT /authz/api/roles/{id}', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('r');
      await setupOk(ctx.setup.post('/authz/api/roles', role(id), { query: ctx.query }));
      return { method: 'PUT', path: `/authz/api/roles/${id}`, query: ctx.query, body: { ...role(id), name: 'renamed' } };
    } }),
  ...atEveryLevel({ name: 'DELETE /authz/api/roles/{id}', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('r');
      await setupOk(ctx.setup.post('/authz/api/roles', role(id), { query: ctx.query }));
      return { method: 'DELETE', path: `/authz/api/roles/${id}`, query: ctx.query };
    } }),
  ...atEveryLevel({ name: 'GET /authz/api/roles/{id}', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/authz/api/roles/${MX_FIXTURE}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /authz/api/roles/{missing}', access: 'read', missing: true,
    request: (ctx) => ({ method: 'GET', path: '/authz/api/roles/mx_ghost', query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /authz/api/roles', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/authz/api/roles', query: ctx.query }) }),

  // ---- resource groups (issue 3) -------------------------------------------------------------
  ...atEveryLevel({ name: 'POST /resourcegroup/api/v2/resourcegroup', access: 'write',
    request: (ctx) => ({ method: 'POST', path: '/resourcegroup/api/v2/resourcegroup', query: ctx.query, body: resourceGroup(ctx.unique('rg')) }) }),
  ...atEveryLevel({ name: 'PUT /resourcegroup/api/v2/resourcegroup/{id}', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('rg');
      await setupOk(ctx.setup.post('/resourcegroup/api/v2/resourcegroup', resourceGroup(id), { query: ctx.query }));
      return { method: 'PUT', path: `/resourcegroup/api/v2/resourcegroup/${id}`, query: ctx.query, body: resourceGroup(id) };
    } }),
  ...atEveryLevel({ name: 'DELETE /resourcegroup/api/v2/resourcegroup/{id}', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('rg');
      await setupOk(ctx.setup.post('/resourcegroup/api/v2/resourcegroup', resourceGroup(id), { query: ctx.query }));
      return { method: 'DELETE', path: `/resourcegroup/api/v2/resourcegroup/${id}`, query: ctx.query };
    } }),
  ...atEveryLevel({ name: 'GET /resourcegroup/api/v2/resourcegroup/{id}', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/resourcegroup/api/v2/resourcegroup/${MX_FIXTURE}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /resourcegroup/api/v2/resourcegroup', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/resourcegroup/api/v2/resourcegroup', query: ctx.query }) }),

  // ---- role assignments (issue 3): the target is a service account of the scope ---------------
  ...atEveryLevel({ name: 'POST /authz/api/roleassignments', access: 'write',
    request: async (ctx) => {
      const principal = await freshServiceAccount(ctx);
      const [roleIdentifier, resourceGroupIdentifier] = VIEWER_BY_LEVEL[ctx.scope.projectIdentifier ? 'project' : ctx.scope.orgIdentifier ? 'organization' : 'account'];
      return { method: 'POST', path: '/authz/api/roleassignments', query: ctx.query, body: { roleIdentifier, resourceGroupIdentifier, principal: { identifier: principal, type: 'SERVICE_ACCOUNT' } } };
    } }),
  ...atEveryLevel({ name: 'PUT /authz/api/roleassignments/{id}', access: 'write',
    request: async (ctx) => {
      const { identifier, body } = await freshAssignment(ctx);
      return { method: 'PUT', path: `/authz/api/roleassignments/${identifier}`, query: ctx.query, body: { ...body, identifier, disabled: true } };
    } }),
  ...atEveryLevel({ name: 'DELETE /authz/api/roleassignments/{id}', access: 'write',
    request: async (ctx) => ({ method: 'DELETE', path: `/authz/api/roleassignments/${(await freshAssignment(ctx)).identifier}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'DELETE /authz/api/roleassignments/{missing}', access: 'write', missing: true,
    request: (ctx) => ({ method: 'DELETE', path: '/authz/api/roleassignments/mx_ghost', query: ctx.query }) }),
  // A user may always view their own assignments, but nobody's here is the caller's own (a service
  // account's): without rights at the scope, the same 403 for it as for a missing one.
  ...atEveryLevel({ name: 'GET /authz/api/roleassignments/{id}', access: 'read',
    request: async (ctx) => ({ method: 'GET', path: `/authz/api/roleassignments/${(await freshAssignment(ctx)).identifier}`, query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /authz/api/roleassignments/{missing}', access: 'read', missing: true,
    request: (ctx) => ({ method: 'GET', path: '/authz/api/roleassignments/mx_ghost', query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /authz/api/roleassignments', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/authz/api/roleassignments', query: ctx.query }) }),

  // ---- organizations (issue 2): an organization is a resource of the account, and its own scope --
  { name: 'GET /ng/api/organizations', level: 'account', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/organizations', query: ctx.query }) },
  { name: 'POST /ng/api/organizations', level: 'account', access: 'write',
    request: (ctx) => ({ method: 'POST', path: '/ng/api/organizations', query: ctx.query, body: { organization: { identifier: ctx.unique('o'), name: 'o' } } }) },
  { name: 'DELETE /ng/api/organizations/{id}', level: 'account', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('o');
      await setupOk(ctx.setup.post('/ng/api/organizations', { organization: { identifier: id, name: 'o' } }, { query: ctx.query }));
      return { method: 'DELETE', path: `/ng/api/organizations/${id}`, query: ctx.query };
    } },
  { name: 'GET /ng/api/organizations/{missing}', level: 'account', access: 'read', missing: true,
    request: (ctx) => ({ method: 'GET', path: '/ng/api/organizations/mx_ghost', query: ctx.query }) },
  { name: 'GET /ng/api/organizations/{MX_ORG}', level: 'organization', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/ng/api/organizations/${MX_ORG}`, query: { accountIdentifier: ctx.accountId } }) },
  { name: 'PUT /ng/api/organizations/{MX_ORG}', level: 'organization', access: 'write',
    request: (ctx) => ({ method: 'PUT', path: `/ng/api/organizations/${MX_ORG}`, query: { accountIdentifier: ctx.accountId }, body: { organization: { identifier: MX_ORG, name: MX_ORG } } }) },

  // ---- projects (issue 2): a project is a resource of its organization, and its own scope --------
  { name: 'GET /ng/api/projects', level: 'organization', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/projects', query: ctx.query }) },
  { name: 'POST /ng/api/projects', level: 'organization', access: 'write',
    request: (ctx) => ({ method: 'POST', path: '/ng/api/projects', query: ctx.query, body: { project: { identifier: ctx.unique('p'), orgIdentifier: MX_ORG, name: 'p' } } }) },
  { name: 'DELETE /ng/api/projects/{id}', level: 'organization', access: 'write',
    request: async (ctx) => {
      const id = ctx.unique('p');
      await setupOk(ctx.setup.post('/ng/api/projects', { project: { identifier: id, orgIdentifier: MX_ORG, name: 'p' } }, { query: ctx.query }));
      return { method: 'DELETE', path: `/ng/api/projects/${id}`, query: ctx.query };
    } },
  { name: 'GET /ng/api/projects/{MX_PROJECT}', level: 'project', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/ng/api/projects/${MX_PROJECT}`, query: { accountIdentifier: ctx.accountId, orgIdentifier: MX_ORG } }) },
  { name: 'PUT /ng/api/projects/{MX_PROJECT}', level: 'project', access: 'write',
    request: (ctx) => ({ method: 'PUT', path: `/ng/api/projects/${MX_PROJECT}`, query: { accountIdentifier: ctx.accountId, orgIdentifier: MX_ORG },
      body: { project: { identifier: MX_PROJECT, orgIdentifier: MX_ORG, name: MX_PROJECT } } }) },

  // ---- users (issue 2): users are resources of the account ---------------------------------------
  { name: 'GET /ng/api/user/aggregate', level: 'account', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/user/aggregate', query: ctx.query }) },
  { name: 'POST /ng/api/user', level: 'account', access: 'write',
    request: (ctx) => ({ method: 'POST', path: '/ng/api/user', query: ctx.query, body: { email: `${ctx.unique('u').toLowerCase()}@example.com`, name: 'U', password: 'matrix-password' } }) },
  { name: 'GET /ng/api/user/{uuid}', level: 'account', access: 'read',
    request: (ctx) => ({ method: 'GET', path: `/ng/api/user/${ctx.targetUserId}`, query: ctx.query }) },
  { name: 'PUT /ng/api/user/{uuid}', level: 'account', access: 'write',
    request: (ctx) => ({ method: 'PUT', path: `/ng/api/user/${ctx.targetUserId}`, query: ctx.query, body: { name: 'Target' } }) },
  { name: 'DELETE /ng/api/user/{uuid}', level: 'account', access: 'write',
    request: async (ctx) => {
      const created = await setupOk(ctx.setup.post('/ng/api/user', { email: `${ctx.unique('d').toLowerCase()}@example.com`, name: 'D', password: 'matrix-password' }, { query: ctx.query }));
      return { method: 'DELETE', path: `/ng/api/user/${created.data.uuid}`, query: ctx.query };
    } },
  // Every signed-in caller may ask who they are (its own account's data only).
  { name: 'GET /ng/api/user/currentUser', level: 'account', access: 'read',
    expect: { noRoles: 200, siblingAdmin: 200, otherAccount: 200 },
    request: () => ({ method: 'GET', path: '/ng/api/user/currentUser' }) },

  // ---- account settings and audit trail (issue 2) -----------------------------------------------
  { name: 'GET /ng/api/account-settings', level: 'account', access: 'read',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/account-settings', query: ctx.query }) },
  // The limits in force: the rules any caller of the account is held to, readable without a permission.
  { name: 'GET /ng/api/account-settings/effective', level: 'account', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/account-settings/effective', query: ctx.query }) },
  { name: 'PUT /ng/api/account-settings', level: 'account', access: 'write',
    request: (ctx) => ({ method: 'PUT', path: '/ng/api/account-settings', query: ctx.query, body: { apiKeyQps: null } }) },
  { name: 'GET /ng/api/audits', level: 'account', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/audits', query: ctx.query }) },
  // ---- API keys and tokens (issue 4) ------------------------------------------------------------
  ...atEveryLevel({ name: 'POST /ng/api/apikey (service account)', access: 'write',
    request: async (ctx) => ({ method: 'POST', path: '/ng/api/apikey', query: ctx.query, body: saKeyBody(ctx, await freshServiceAccount(ctx), ctx.unique('k')) }) }),
  ...atEveryLevel({ name: 'PUT /ng/api/apikey/{accountId} (service account)', access: 'write',
    request: async (ctx) => {
      const { saId, keyId } = await freshSaKey(ctx);
      return { method: 'PUT', path: `/ng/api/apikey/${ctx.accountId}`, body: { ...saKeyBody(ctx, saId, keyId), name: 'renamed' } };
    } }),
  ...atEveryLevel({ name: 'PUT /ng/api/apikey/{missing} (service account)', access: 'write', missing: true,
    request: (ctx) => ({ method: 'PUT', path: `/ng/api/apikey/${ctx.accountId}`, body: saKeyBody(ctx, MX_FIXTURE, 'mx_ghost') }) }),
  ...atEveryLevel({ name: 'DELETE /ng/api/apikey/{id} (service account)', access: 'write',
    request: async (ctx) => {
      const { saId, keyId } = await freshSaKey(ctx);
      return { method: 'DELETE', path: `/ng/api/apikey/${keyId}`, query: saKeyQuery(ctx, saId) };
    } }),
  ...atEveryLevel({ name: 'DELETE /ng/api/apikey/{missing} (service account)', access: 'write', missing: true,
    request: (ctx) => ({ method: 'DELETE', path: '/ng/api/apikey/mx_ghost', query: saKeyQuery(ctx, MX_FIXTURE) }) }),
  ...atEveryLevel({ name: 'GET /ng/api/apikey/aggregate/{id} (service account)', access: 'read',
    request: async (ctx) => {
      const { saId, keyId } = await freshSaKey(ctx);
      return { method: 'GET', path: `/ng/api/apikey/aggregate/${keyId}`, query: saKeyQuery(ctx, saId) };
    } }),
  ...atEveryLevel({ name: 'GET /ng/api/apikey/aggregate/{missing} (service account)', access: 'read', missing: true,
    request: (ctx) => ({ method: 'GET', path: '/ng/api/apikey/aggregate/mx_ghost', query: saKeyQuery(ctx, MX_FIXTURE) }) }),
  ...atEveryLevel({ name: 'GET /ng/api/apikey', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/apikey', query: ctx.query }) }),
  ...atEveryLevel({ name: 'GET /ng/api/apikey/aggregate', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/apikey/aggregate', query: ctx.query }) }),
  ...atEveryLevel({ name: 'POST /ng/api/token (service account)', access: 'write',
    request: async (ctx) => {
      const { saId, keyId } = await freshSaKey(ctx);
      return { method: 'POST', path: '/ng/api/token', query: ctx.query, body: saTokenBody(ctx, saId, keyId, ctx.unique('t')) };
    } }),
  ...atEveryLevel({ name: 'PUT /ng/api/token/{id} (service account)', access: 'write',
    request: async (ctx) => {
      const { saId, keyId, tokenId } = await freshSaToken(ctx);
      return { method: 'PUT', path: `/ng/api/token/${tokenId}`, query: { accountIdentifier: ctx.accountId }, body: { ...saTokenBody(ctx, saId, keyId, tokenId), name: 'renamed' } };
    } }),
  ...atEveryLevel({ name: 'PUT /ng/api/token/{missing} (service account)', access: 'write', missing: true,
    request: (ctx) => ({ method: 'PUT', path: '/ng/api/token/mx_ghost', query: { accountIdentifier: ctx.accountId }, body: saTokenBody(ctx, MX_FIXTURE, 'mx_ghost', 'mx_ghost') }) }),
  ...atEveryLevel({ name: 'POST /ng/api/token/rotate/{id} (service account)', access: 'write',
    request: async (ctx) => {
      const { saId, keyId, tokenId } = await freshSaToken(ctx);
      return { method: 'POST', path: `/ng/api/token/rotate/${tokenId}`, query: saKeyQuery(ctx, saId, { apiKeyIdentifier: keyId }) };
    } }),
  ...atEveryLevel({ name: 'POST /ng/api/token/rotate/{missing} (service account)', access: 'write', missing: true,
    request: (ctx) => ({ method: 'POST', path: '/ng/api/token/rotate/mx_ghost', query: saKeyQuery(ctx, MX_FIXTURE, { apiKeyIdentifier: 'mx_ghost' }) }) }),
  ...atEveryLevel({ name: 'DELETE /ng/api/token/{id} (service account)', access: 'write',
    request: async (ctx) => {
      const { saId, keyId, tokenId } = await freshSaToken(ctx);
      return { method: 'DELETE', path: `/ng/api/token/${tokenId}`, query: saKeyQuery(ctx, saId, { apiKeyIdentifier: keyId }) };
    } }),
  ...atEveryLevel({ name: 'DELETE /ng/api/token/{missing} (service account)', access: 'write', missing: true,
    request: (ctx) => ({ method: 'DELETE', path: '/ng/api/token/mx_ghost', query: saKeyQuery(ctx, MX_FIXTURE, { apiKeyIdentifier: 'mx_ghost' }) }) }),
  ...atEveryLevel({ name: 'DELETE /ng/api/token/all (service account)', access: 'write',
    request: async (ctx) => ({ method: 'DELETE', path: '/ng/api/token/all', query: saKeyQuery(ctx, (await freshSaToken(ctx)).saId) }) }),
  ...atEveryLevel({ name: 'GET /ng/api/token/aggregate', access: 'list',
    request: (ctx) => ({ method: 'GET', path: '/ng/api/token/aggregate', query: ctx.query }) }),
  // Another user's personal keys: nobody but that user creates, edits or rotates them — not even an
  // admin; reading or deleting them needs core_user_manage, which viewers do not hold.
  { name: "POST /ng/api/token (another user's PAT)", level: 'account', access: 'write', expect: { admin: 403 },
    request: (ctx) => ({ method: 'POST', path: '/ng/api/token', query: ctx.query,
      body: { identifier: ctx.unique('t'), name: 't', ...ctx.query, apiKeyIdentifier: 'k', apiKeyType: 'USER', parentIdentifier: ctx.targetUserId } }) },
  { name: "GET /ng/api/apikey/aggregate/{missing} (another user's PAT)", level: 'account', access: 'read', missing: true, expect: { viewer: 403 },
    request: (ctx) => ({ method: 'GET', path: '/ng/api/apikey/aggregate/mx_ghost', query: { ...ctx.query, apiKeyType: 'USER', parentIdentifier: ctx.targetUserId } }) },
  { name: "DELETE /ng/api/token/all (another user's PATs)", level: 'account', access: 'write',
    request: (ctx) => ({ method: 'DELETE', path: '/ng/api/token/all', query: { ...ctx.query, apiKeyType: 'USER', parentIdentifier: ctx.targetUserId } }) },
];
