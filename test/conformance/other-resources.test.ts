// Conformance, SPEC §3 "Request and response bodies of the other resources": the Harness shapes of
// organizations, projects, users, user groups, roles, resource groups, role assignments, the audit
// trail and account settings — exact key sets, as a client decoding them into structs sees them.
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { expectErrorDto, expectPage, expectSuccess, sortedKeys, USER_INFO_FIELDS } from './support.js';

const SCOPE_FIELDS = ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'];

describeEachEngine('conformance: other resources', (h) => {
  const admin = () => h().admin;
  const A = () => h().accountId;
  const q = (extra: Record<string, string> = {}) => ({ query: { accountIdentifier: A(), ...extra } });

  it('organization: {organization:{identifier,name,description,tags}, createdAt, lastModifiedAt}', async () => {
    const created = expectSuccess(await admin().client.post('/ng/api/organizations', { organization: { identifier: 'conf_org', name: 'Conf Org', description: 'd', tags: { a: 'b' } } }, q()));
    expect(sortedKeys(created)).toEqual(['createdAt', 'lastModifiedAt', 'organization']);
    expect(created.organization).toEqual({ identifier: 'conf_org', name: 'Conf Org', description: 'd', tags: { a: 'b' } });
    expect(expectSuccess(await admin().client.get('/ng/api/organizations/conf_org', q()))).toEqual(created);
    const page = expectSuccess(await admin().client.get('/ng/api/organizations', q({ searchTerm: 'CONF_ORG' })));
    expectPage(page);
    expect(page.content).toEqual([created]);
    expectErrorDto(await admin().client.get('/ng/api/organizations/no_org', q()), 404, 'ENTITY_NOT_FOUND');
  });

  it('project: {project:{identifier,orgIdentifier,name,color,modules,description,tags}, createdAt, lastModifiedAt}', async () => {
    const created = expectSuccess(await admin().client.post('/ng/api/projects', {
      project: { identifier: 'conf_proj', orgIdentifier: 'default', name: 'Conf Proj', color: '#0063F7', modules: ['CD'], description: 'd', tags: {} },
    }, q({ orgIdentifier: 'default' })));
    expect(sortedKeys(created)).toEqual(['createdAt', 'lastModifiedAt', 'project']);
    expect(sortedKeys(created.project)).toEqual(['color', 'description', 'identifier', 'modules', 'name', 'orgIdentifier', 'tags']);
    expect(created.project).toMatchObject({ identifier: 'conf_proj', orgIdentifier: 'default', color: '#0063F7', modules: ['CD'] });
    expect(expectSuccess(await admin().client.get('/ng/api/projects/conf_proj', q({ orgIdentifier: 'default' })))).toEqual(created);
  });

  it('user: POST answers UserInfo; aggregate pages {user, roleAssignmentMetadata}', async () => {
    const created = expectSuccess(await admin().client.post('/ng/api/user', { email: 'Conf.User@Example.com', name: 'Conf User', password: 'conf-password-1' }, q()));
    expect(sortedKeys(created)).toEqual(USER_INFO_FIELDS);
    expect(created).toMatchObject({ email: 'conf.user@example.com', name: 'Conf User', admin: false, disabled: false, defaultAccountId: A() });
    const page = expectSuccess(await admin().client.get('/ng/api/user/aggregate', q({ searchTerm: 'conf.user' })));
    expectPage(page);
    expect(page.content).toHaveLength(1);
    expect(sortedKeys(page.content[0])).toEqual(['roleAssignmentMetadata', 'user']);
  });

  it('user group: the group, with users and serviceAccounts', async () => {
    const group = expectSuccess(await admin().client.post('/ng/api/user-groups', { identifier: 'conf_group', name: 'Conf Group', description: 'd', tags: {}, users: [admin().id], serviceAccounts: [] }, q()));
    expect(group).toMatchObject({ identifier: 'conf_group', name: 'Conf Group', users: [admin().id], serviceAccounts: [], ...Object.fromEntries(SCOPE_FIELDS.map((f) => [f, f === 'accountIdentifier' ? A() : null])) });
    expect(expectSuccess(await admin().client.get('/ng/api/user-groups/conf_group', q()))).toEqual(group);
  });

  it('role: {role, scope, harnessManaged, createdAt, lastModifiedAt}; an unknown permission → 400 INVALID_ARGUMENT; managed ones cannot be deleted', async () => {
    const role = expectSuccess(await admin().client.post('/authz/api/roles', { identifier: 'conf_role', name: 'Conf Role', permissions: ['core_serviceaccount_view'], allowedScopeLevels: ['account'], description: 'd', tags: {} }, q()));
    expect(sortedKeys(role)).toEqual(['createdAt', 'harnessManaged', 'lastModifiedAt', 'role', 'scope']);
    expect(sortedKeys(role.scope)).toEqual(SCOPE_FIELDS);
    expect(role.role).toMatchObject({ identifier: 'conf_role', permissions: ['core_serviceaccount_view'], allowedScopeLevels: ['account'] });
    expect(role.harnessManaged).toBe(false);
    expectErrorDto(await admin().client.post('/authz/api/roles', { identifier: 'bad_role', name: 'x', permissions: ['core_nonsense_view'], allowedScopeLevels: ['account'] }, q()), 400, 'INVALID_ARGUMENT');
    expect((await admin().client.delete('/authz/api/roles/_account_admin', q())).status).toBe(400);
  });

  it('resource group and role assignment: Harness shapes; a role in use cannot be deleted (400 naming the assignment)', async () => {
    const rg = expectSuccess(await admin().client.post('/resourcegroup/api/v2/resourcegroup', {
      resourceGroup: {
        identifier: 'conf_rg', name: 'Conf RG', includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: A() }],
        resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: ['x'] }] },
      },
    }, q()));
    expect(sortedKeys(rg)).toEqual(['createdAt', 'harnessManaged', 'lastModifiedAt', 'resourceGroup']);
    expect(rg.resourceGroup).toMatchObject({ identifier: 'conf_rg', resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: ['x'] }] } });
    await admin().client.post('/authz/api/roles', { identifier: 'conf_role2', name: 'Conf Role 2', permissions: ['core_serviceaccount_view'], allowedScopeLevels: ['account'] }, q());
    const ra = expectSuccess(await admin().client.post('/authz/api/roleassignments', {
      resourceGroupIdentifier: 'conf_rg', roleIdentifier: 'conf_role2', principal: { identifier: admin().id, type: 'USER' }, disabled: false,
    }, q()));
    expect(sortedKeys(ra)).toEqual(['createdAt', 'harnessManaged', 'lastModifiedAt', 'roleAssignment', 'scope']);
    expect(ra.roleAssignment).toMatchObject({ identifier: expect.any(String), resourceGroupIdentifier: 'conf_rg', roleIdentifier: 'conf_role2', principal: { identifier: admin().id, type: 'USER' }, disabled: false });
    const inUse = await admin().client.delete('/authz/api/roles/conf_role2', q());
    expectErrorDto(inUse, 400, 'INVALID_REQUEST');
    expect(inUse.body.message).toContain(ra.roleAssignment.identifier);
    const list = expectSuccess(await admin().client.get('/authz/api/roleassignments', q()));
    expectPage(list);
    expect(expectSuccess(await admin().client.delete(`/authz/api/roleassignments/${ra.roleAssignment.identifier}`, q()))).toBeDefined();
  });

  it('audit trail items and account settings have their documented fields', async () => {
    const page = expectSuccess(await admin().client.get('/ng/api/audits', q({ pageSize: '5' })));
    expectPage(page);
    expect(page.content.length).toBeGreaterThan(0);
    for (const item of page.content) {
      expect(sortedKeys(item)).toEqual(['action', 'after', 'auditId', 'authenticationInfo', 'before', 'resource', 'scope', 'timestamp']);
      expect(sortedKeys(item.resource)).toEqual(['identifier', 'type']);
      expect(sortedKeys(item.scope)).toEqual(SCOPE_FIELDS);
      expect(sortedKeys(item.authenticationInfo)).toEqual(['ip', 'principal', 'userAgent']);
      expect(sortedKeys(item.authenticationInfo.principal)).toEqual(['identifier', 'type']);
    }
    const settings = expectSuccess(await admin().client.get('/ng/api/account-settings', q()));
    expect(sortedKeys(settings)).toEqual(['apiKeyQps', 'maxApiKeysPerOwner', 'maxTokenLifetimeMs', 'maxTokensPerApiKey']);
    const put = expectSuccess(await admin().client.put('/ng/api/account-settings', { apiKeyQps: 5, maxApiKeysPerOwner: null, maxTokensPerApiKey: null, maxTokenLifetimeMs: null }, q()));
    expect(put).toMatchObject({ apiKeyQps: 5 });
    expectSuccess(await admin().client.put('/ng/api/account-settings', { apiKeyQps: null, maxApiKeysPerOwner: null, maxTokensPerApiKey: null, maxTokenLifetimeMs: null }, q()));
  });
});
