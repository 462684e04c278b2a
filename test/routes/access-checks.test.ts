// POST /authz/api/acl (Harness's access check): each check answered with what the guarding route
// would decide, for the caller only, following rights changes at once. Both engines.
import { expect } from 'vitest';
import { Messages } from '../../src/domain/errors.js';
import { makeScope, scopeLevel } from '../../src/domain/scope.js';
import { createOtherAccount, ensureProject, grant, unique, userWith, VIEWER_AT } from '../helpers/access-control.js';
import { apiKeyBody, createToken, saOwner } from '../helpers/api-keys.js';
import { expectError, expectFailure, expectUnauthenticated } from '../helpers/expect.js';
import { describeEachEngine, it, type Client } from '../helpers/harness.js';

const PATH = '/authz/api/acl';

interface Check { org?: string | null; project?: string | null; type: string; id?: string | null; permission: string; account?: string }

describeEachEngine('access checks', (h) => {
  const check = (c: Check) => ({
    resourceScope: { accountIdentifier: c.account ?? h().accountId, orgIdentifier: c.org ?? null, projectIdentifier: c.project ?? null },
    resourceType: c.type, resourceIdentifier: c.id ?? null, permission: c.permission,
  });
  async function permitted(client: Client, checks: Check[]): Promise<boolean[]> {
    const res = await client.post(PATH, { permissions: checks.map(check) });
    expect(res.status, res.text).toBe(200);
    return res.body.data.accessControlList.map((a: any) => a.permitted);
  }

  it('200: Harness\'s AccessCheckResponse, in the order asked, scopes normalized; the admin holds everything', async () => {
    await ensureProject(h(), 'acl_org', 'acl_proj');
    const res = await h().admin.client.post(PATH, {
      permissions: [
        { resourceScope: { accountIdentifier: h().accountId }, resourceType: 'SERVICEACCOUNT', permission: 'core_serviceaccount_edit' },
        check({ org: 'acl_org', project: 'acl_proj', type: 'USERGROUP', id: 'ops', permission: 'core_usergroup_manage' }),
        { ...check({ type: 'ACCOUNT', permission: 'core_account_edit' }), resourceScope: { accountIdentifier: h().accountId, orgIdentifier: '', projectIdentifier: '' } },
      ],
      principal: { principalIdentifier: h().admin.id, principalType: 'USER' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'SUCCESS', metaData: null });
    expect(res.body.data).toEqual({
      principal: { principalIdentifier: h().admin.id, principalType: 'USER' },
      accessControlList: [
        { permission: 'core_serviceaccount_edit', resourceScope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null }, resourceType: 'SERVICEACCOUNT', resourceIdentifier: null, resourceAttributes: null, permitted: true },
        { permission: 'core_usergroup_manage', resourceScope: { accountIdentifier: h().accountId, orgIdentifier: 'acl_org', projectIdentifier: 'acl_proj' }, resourceType: 'USERGROUP', resourceIdentifier: 'ops', resourceAttributes: null, permitted: true },
        { permission: 'core_account_edit', resourceScope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null }, resourceType: 'ACCOUNT', resourceIdentifier: null, resourceAttributes: null, permitted: true },
      ],
    });
    expect((await h().admin.client.post('/gateway' + PATH, { permissions: [check({ type: 'ROLE', permission: 'core_role_view' })] })).body.data.accessControlList[0].permitted).toBe(true);
  });

  it('follows the caller\'s roles and where they apply: an account viewer views at the account, edits nothing, sees no project', async () => {
    await ensureProject(h(), 'acl_org', 'acl_proj');
    const [role, group] = VIEWER_AT.account;
    const viewer = await userWith(h(), [{ scope: makeScope(h().accountId), role, resourceGroup: group }]);
    expect(await permitted(viewer.client, [
      { type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_view' },
      { type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_edit' },
      { type: 'SERVICEACCOUNT', id: 'anyone', permission: 'core_serviceaccount_view' },
      { org: 'acl_org', project: 'acl_proj', type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_view' },
      // every user may view their own record, as GET /ng/api/user/{uuid} allows
      { type: 'USER', id: viewer.id, permission: 'core_user_view' },
    ])).toEqual([true, false, true, false, true]);
  });

  it('agrees with the route it stands for: a custom role on one service account, then the actions themselves', async () => {
    const roleId = unique('sa_editor');
    const rgId = unique('only_deployer');
    const q = { accountIdentifier: h().accountId };
    expect((await h().admin.client.post('/authz/api/roles', { identifier: roleId, name: 'SA editor', permissions: ['core_serviceaccount_view', 'core_serviceaccount_edit'] }, { query: q })).status).toBe(200);
    expect((await h().admin.client.post('/resourcegroup/api/v2/resourcegroup', { resourceGroup: {
      identifier: rgId, name: 'Only deployer',
      includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId }],
      resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: ['deployer'] }] },
    } }, { query: q })).status).toBe(200);
    await h().seedServiceAccount({ identifier: 'deployer' });
    await h().seedServiceAccount({ identifier: 'builder' });
    const user = await userWith(h(), [{ scope: makeScope(h().accountId), role: roleId, resourceGroup: rgId }]);
    const answers = await permitted(user.client, [
      { type: 'SERVICEACCOUNT', id: 'deployer', permission: 'core_serviceaccount_edit' },
      { type: 'SERVICEACCOUNT', id: 'builder', permission: 'core_serviceaccount_edit' },
      { type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_edit' },
    ]);
    const edit = (id: string) => user.client.put(`/ng/api/serviceaccount/${id}`, { identifier: id, name: 'Renamed', email: `${id}@service.local` }, { query: q });
    const attempts = [
      (await edit('deployer')).status,
      (await edit('builder')).status,
      (await user.client.post('/ng/api/serviceaccount', { identifier: unique('sa'), name: 'New', email: 'new@x.io' }, { query: q })).status,
    ];
    expect(answers).toEqual(attempts.map((status) => status !== 403));
    expect(answers).toEqual([true, false, false]);
  });

  it('agrees with every route the console asks about, for callers with different rights at every scope', async () => {
    await ensureProject(h(), 'agr_org', 'agr_proj');
    const account = makeScope(h().accountId);
    const org = makeScope(h().accountId, 'agr_org');
    const project = makeScope(h().accountId, 'agr_org', 'agr_proj');
    const customRole = unique('agr_custom');
    expect((await h().admin.client.post('/authz/api/roles', { identifier: customRole, name: 'custom',
      permissions: ['core_serviceaccount_view', 'core_serviceaccount_edit', 'core_serviceaccount_manageapikey', 'core_usergroup_manage'],
      allowedScopeLevels: ['project'] }, { query: { accountIdentifier: h().accountId } })).status).toBe(200);
    const callers = {
      nobody: await userWith(h()),
      accountViewer: await userWith(h(), [{ scope: account, role: '_account_viewer', resourceGroup: '_all_account_level_resources' }]),
      orgAdmin: await userWith(h(), [{ scope: org, role: '_organization_admin', resourceGroup: '_all_resources_including_child_scopes' }]),
      projectCustom: await userWith(h(), [{ scope: project, role: customRole, resourceGroup: '_all_project_level_resources' }]),
    };
    const query = (scope: typeof account) => ({ accountIdentifier: scope.accountIdentifier, orgIdentifier: scope.orgIdentifier ?? undefined, projectIdentifier: scope.projectIdentifier ?? undefined });
    const settings = (await h().admin.client.get('/ng/api/account-settings', { query: { accountIdentifier: h().accountId } })).body.data;
    type Action = { name: string; check: Check; act: (client: Client) => Promise<{ status: number; text: string; body: any }> };
    const actions: Action[] = [
      { name: 'create organization', check: { type: 'ORGANIZATION', permission: 'core_organization_create' },
        act: (c) => c.post('/ng/api/organizations', { organization: { identifier: unique('o'), name: 'o' } }, { query: query(account) }) },
      { name: 'create project', check: { org: 'agr_org', type: 'PROJECT', permission: 'core_project_create' },
        act: (c) => c.post('/ng/api/projects', { project: { identifier: unique('p'), orgIdentifier: 'agr_org', name: 'p' } }, { query: query(org) }) },
      { name: 'create user', check: { type: 'USER', permission: 'core_user_manage' },
        act: (c) => c.post('/ng/api/user', { email: `${unique('u').toLowerCase()}@example.com`, name: 'U', password: 'correct horse battery' }, { query: query(account) }) },
      { name: 'change account settings', check: { type: 'ACCOUNT', id: h().accountId, permission: 'core_account_edit' },
        act: (c) => c.put('/ng/api/account-settings', settings, { query: query(account) }) },
    ];
    for (const scope of [account, org, project]) {
      const at = { org: scope.orgIdentifier, project: scope.projectIdentifier };
      const { identifier: fixture, email } = await h().seedServiceAccount({ identifier: unique('agr_sa'), scope });
      actions.push(
        { name: `create service account @${scopeLevel(scope)}`, check: { ...at, type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_edit' },
          act: (c) => { const id = unique('sa'); return c.post('/ng/api/serviceaccount', { identifier: id, name: id, email: `${id.toLowerCase()}@x.io` }, { query: query(scope) }); } },
        { name: `edit service account @${scopeLevel(scope)}`, check: { ...at, type: 'SERVICEACCOUNT', id: fixture, permission: 'core_serviceaccount_edit' },
          act: (c) => c.put(`/ng/api/serviceaccount/${fixture}`, { identifier: fixture, name: 'Renamed', email }, { query: query(scope) }) },
        { name: `API key of a service account @${scopeLevel(scope)}`, check: { ...at, type: 'SERVICEACCOUNT', id: fixture, permission: 'core_serviceaccount_manageapikey' },
          act: (c) => c.post('/ng/api/apikey', apiKeyBody(h(), saOwner({ identifier: fixture, scope }), unique('k')), { query: query(scope) }) },
        { name: `assign a role to a service account @${scopeLevel(scope)}`, check: { ...at, type: 'SERVICEACCOUNT', id: fixture, permission: 'core_serviceaccount_edit' },
          act: async (c) => {
            const res = await c.post('/authz/api/roleassignments', { roleIdentifier: VIEWER_AT[scopeLevel(scope)][0], resourceGroupIdentifier: VIEWER_AT[scopeLevel(scope)][1],
              principal: { identifier: fixture, type: 'SERVICE_ACCOUNT' } }, { query: query(scope) });
            // removed again, so that the next caller's identical assignment is not a duplicate
            if (res.status === 200) await h().admin.client.delete(`/authz/api/roleassignments/${res.body.data.roleAssignment.identifier}`, { query: query(scope) });
            return res;
          } },
        { name: `create user group @${scopeLevel(scope)}`, check: { ...at, type: 'USERGROUP', permission: 'core_usergroup_manage' },
          act: (c) => c.post('/ng/api/user-groups', { identifier: unique('g'), name: 'g' }, { query: query(scope) }) },
        { name: `create role @${scopeLevel(scope)}`, check: { ...at, type: 'ROLE', permission: 'core_role_edit' },
          act: (c) => c.post('/authz/api/roles', { identifier: unique('r'), name: 'r', permissions: [] }, { query: query(scope) }) },
        { name: `create resource group @${scopeLevel(scope)}`, check: { ...at, type: 'RESOURCEGROUP', permission: 'core_resourcegroup_edit' },
          act: (c) => c.post('/resourcegroup/api/v2/resourcegroup', { resourceGroup: { identifier: unique('rg'), name: 'rg', resourceFilter: { includeAllResources: true } } }, { query: query(scope) }) },
      );
    }
    const answers: Record<string, boolean[]> = {};
    for (const [who, caller] of Object.entries(callers)) {
      answers[who] = await permitted(caller.client, actions.map((a) => a.check));
      for (const [i, action] of actions.entries()) {
        const res = await action.act(caller.client);
        expect([200, 403], `${who} / ${action.name}: ${res.text}`).toContain(res.status);
        expect(answers[who]![i], `${who} / ${action.name}`).toBe(res.status === 200);
      }
    }
    // the callers' rights really differ: each is allowed something, the nobody nothing
    expect(answers.nobody!.some(Boolean)).toBe(false);
    for (const who of ['orgAdmin', 'projectCustom'] as const) expect(answers[who]!.filter(Boolean).length).toBeGreaterThan(2);
    expect(answers.orgAdmin).not.toEqual(answers.projectCustom);
  });

  it('answers with the rights of this instant: granted and taken away take effect at once', async () => {
    const user = await h().createUser();
    const asked: Check[] = [{ type: 'USERGROUP', permission: 'core_usergroup_manage' }];
    expect(await permitted(user.client, asked)).toEqual([false]);
    const assignment = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_admin', '_all_resources_including_child_scopes');
    expect(await permitted(user.client, asked)).toEqual([true]);
    await h().revokeRole(assignment);
    expect(await permitted(user.client, asked)).toEqual([false]);
  });

  it('held by nobody: a permission outside the catalog, one named with another resource type, another account', async () => {
    const other = await createOtherAccount(h());
    expect(await permitted(h().admin.client, [
      { type: 'PIPELINE', permission: 'core_pipeline_execute' },
      { type: 'USER', permission: 'core_serviceaccount_view' },
      { type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_view', account: other.accountId },
      { type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_view' },
    ])).toEqual([false, false, false, true]);
  });

  it('a service account\'s token asks as the service account, with its own rights', async () => {
    const sa = await h().seedServiceAccount();
    const token = await createToken(h(), h().admin.client, saOwner(sa), 'acl_key', 'acl_token');
    await h().grantRole({ type: 'SERVICE_ACCOUNT', identifier: sa.identifier }, '_account_viewer', { resourceGroupIdentifier: '_all_account_level_resources' });
    const res = await h().tokenClient(token).post(PATH, { permissions: [
      check({ type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_view' }), check({ type: 'SERVICEACCOUNT', permission: 'core_serviceaccount_delete' }),
    ] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.principal).toEqual({ principalIdentifier: sa.identifier, principalType: 'SERVICE_ACCOUNT' });
    expect(res.body.data.accessControlList.map((a: any) => a.permitted)).toEqual([true, false]);
  });

  it('only the caller\'s own rights: another principal in the body is a 400 (Harness\'s words)', async () => {
    const user = await h().createUser();
    expectError(await user.client.post(PATH, { permissions: [check({ type: 'ROLE', permission: 'core_role_view' })], principal: { principalIdentifier: h().admin.id, principalType: 'USER' } }),
      400, 'INVALID_REQUEST', Messages.otherPrincipalAccessCheck);
    // naming oneself (Harness compares the identifier only), or nobody, is asking about oneself
    for (const principal of [{ principalIdentifier: user.id }, { principalIdentifier: user.id, principalType: 'SERVICE_ACCOUNT' }, { principalIdentifier: '' }, null]) {
      const res = await user.client.post(PATH, { permissions: [check({ type: 'ROLE', permission: 'core_role_view' })], principal });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.principal).toEqual({ principalIdentifier: user.id, principalType: 'USER' });
    }
  });

  it('no checks, no answers; bad input is a 400; no credentials a 401; a cookie without its CSRF header a 403', async () => {
    for (const body of [{}, { permissions: null }, { permissions: [] }]) {
      const res = await h().admin.client.post(PATH, body);
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.accessControlList).toEqual([]);
    }
    expectFailure(await h().admin.client.post(PATH, { permissions: [{ resourceType: 'ROLE', permission: 'core_role_view' }] }), 'permissions.0.resourceScope');
    expectFailure(await h().admin.client.post(PATH, { permissions: [{ ...check({ type: 'ROLE', permission: 'core_role_view' }), permission: 7 }] }), 'permissions.0.permission');
    expectFailure(await h().admin.client.post(PATH, { permissions: 'core_role_view' }), 'permissions');
    const tooMany = Array.from({ length: 1001 }, () => check({ type: 'ROLE', permission: 'core_role_view' }));
    expect((await h().admin.client.post(PATH, { permissions: tooMany })).status).toBe(400);
    expectError(await h().admin.client.post(PATH, { permissions: [check({ type: 'ROLE', permission: 'core_role_view' }), check({ project: 'p', type: 'ROLE', permission: 'core_role_view' })] }),
      400, 'INVALID_REQUEST', 'permissions[1].resourceScope: orgIdentifier is required with projectIdentifier');
    expectUnauthenticated(await h().anonymous.post(PATH, { permissions: [] }));
    const noCsrf = await h().admin.client.with({ 'x-csrf-token': 'wrong' }).post(PATH, { permissions: [] });
    expectError(noCsrf, 403, 'ACCESS_DENIED');
  });
});
