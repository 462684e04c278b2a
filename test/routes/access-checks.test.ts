// POST /authz/api/acl (Harness's access check): each check answered with what the guarding route
// would decide, for the caller only, following rights changes at once. Both engines.
import { expect } from 'vitest';
import { makeScope } from '../../src/domain/scope.js';
import { OTHER_PRINCIPAL } from '../../src/routes/access-checks/check-access.js';
import { createOtherAccount, ensureProject, grant, unique, userWith, VIEWER_AT } from '../helpers/access-control.js';
import { createToken, saOwner } from '../helpers/api-keys.js';
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
        { permission: 'core_serviceaccount_edit', resourceScope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null }, resourceType: 'SERVICEACCOUNT', resourceIdentifier: null, permitted: true },
        { permission: 'core_usergroup_manage', resourceScope: { accountIdentifier: h().accountId, orgIdentifier: 'acl_org', projectIdentifier: 'acl_proj' }, resourceType: 'USERGROUP', resourceIdentifier: 'ops', permitted: true },
        { permission: 'core_account_edit', resourceScope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null }, resourceType: 'ACCOUNT', resourceIdentifier: null, permitted: true },
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
      400, 'INVALID_REQUEST', OTHER_PRINCIPAL);
    expectError(await user.client.post(PATH, { permissions: [], principal: { principalIdentifier: user.id, principalType: 'SERVICE_ACCOUNT' } }),
      400, 'INVALID_REQUEST', OTHER_PRINCIPAL);
    // naming oneself, or nobody (empty identifier, null principal), is asking about oneself
    for (const principal of [{ principalIdentifier: user.id }, { principalIdentifier: '' }, null]) {
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
