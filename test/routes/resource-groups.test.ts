// Resource groups (SPEC §3, §6): managed ones where their levels allow and immutable; custom ones
// selecting scopes, types and identifiers; in-use ones not deletable. Every status, both engines.
import { describe, expect } from 'vitest';
import { makeScope } from '../../src/domain/scope.js';
import { createOtherAccount, ensureOrg, ensureProject, grant, unique } from '../helpers/access-control.js';
import { expectOtherAccountDenied } from '../helpers/expect.js';
import { describeEachEngine, it } from '../helpers/harness.js';

const PATH = '/resourcegroup/api/v2/resourcegroup';

describeEachEngine('resource groups', (h) => {
  const q = () => ({ accountIdentifier: h().accountId });
  const rg = (identifier: string, extra: Record<string, unknown> = {}) => ({
    resourceGroup: {
      identifier, name: `RG ${identifier}`, accountIdentifier: h().accountId, description: 'd', tags: { k: 'v' }, color: '#000000',
      includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId }],
      resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: ['deployer'] }, { resourceType: 'USERGROUP' }] },
      ...extra,
    },
  });

  describe('POST', () => {
    it('200: in Harness\'s ResourceGroupV2Response shape, audited', async () => {
      const id = unique('rg');
      const res = await h().admin.client.post(PATH, rg(id), { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toEqual({
        resourceGroup: {
          accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null, identifier: id, name: `RG ${id}`,
          color: '#000000', tags: { k: 'v' }, description: 'd', allowedScopeLevels: ['account'],
          includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null }],
          resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: ['deployer'] }, { resourceType: 'USERGROUP', identifiers: null }] },
        },
        createdAt: expect.any(Number), lastModifiedAt: expect.any(Number), harnessManaged: false,
      });
      const audit = await h().store.db.selectFrom('audit_events').select('action').where('resource_type', '=', 'RESOURCEGROUP').where('resource_identifier', '=', id).execute();
      expect(audit.map((a) => a.action)).toEqual(['CREATE']);
    });

    it('200: without includedScopes, the group\'s own scope only', async () => {
      await ensureOrg(h(), 'rg_org');
      const res = await h().admin.client.post(PATH, rg(unique('rg'), { includedScopes: undefined, accountIdentifier: undefined }), { query: { ...q(), orgIdentifier: 'rg_org' } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.resourceGroup.includedScopes).toEqual([{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: 'rg_org', projectIdentifier: null }]);
    });

    it('400 INVALID_ARGUMENT: an unknown resource type; an included scope outside the group\'s scope', async () => {
      const type = await h().admin.client.post(PATH, rg(unique('rg'), { resourceFilter: { resources: [{ resourceType: 'PIPELINE' }] } }), { query: q() });
      expect(type.status).toBe(400);
      expect(type.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'resourceFilter: PIPELINE is not a known resource type' });
      await ensureOrg(h(), 'rg_org');
      await ensureOrg(h(), 'rg_org2');
      const outside = await h().admin.client.post(PATH, rg(unique('rg'), {
        accountIdentifier: undefined, includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: 'rg_org2' }],
      }), { query: { ...q(), orgIdentifier: 'rg_org' } });
      expect(outside.status).toBe(400);
      expect(outside.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'includedScopes: organization rg_org2 is not this resource group\'s scope or below it' });
    });

    it('404 naming an included organization or project that does not exist; a deleted one leaves the groups that named it', async () => {
      const missingOrg = await h().admin.client.post(PATH, rg(unique('rg'), {
        includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: 'nope' }],
      }), { query: q() });
      expect(missingOrg.status).toBe(404);
      expect(missingOrg.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Organization with identifier nope not found' });
      await ensureOrg(h(), 'inc_org');
      const missingProject = await h().admin.client.post(PATH, rg(unique('rg'), {
        includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: 'inc_org', projectIdentifier: 'nope' }],
      }), { query: q() });
      expect(missingProject.status).toBe(404);
      expect(missingProject.body.message).toBe('Project with identifier nope in organization inc_org not found');
      // A group naming an organization (or a project of it) that is later deleted stops naming it, so
      // an organization made later under the same identifier is not covered by the old grants.
      const id = unique('rg');
      const org = unique('doomed');
      const selector = (project?: string) => ({ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: org, ...(project ? { projectIdentifier: project } : {}) });
      const everywhere = { filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId };
      await ensureProject(h(), org, 'doomed_proj');
      const body = rg(id, { includedScopes: [everywhere, selector(), selector('doomed_proj')], resourceFilter: { includeAllResources: true } });
      expect((await h().admin.client.post(PATH, body, { query: q() })).status).toBe(200);
      const orgGroup = unique('rg');
      const orgQ = { ...q(), orgIdentifier: org };
      expect((await h().admin.client.post(PATH, { resourceGroup: { identifier: orgGroup, name: orgGroup, accountIdentifier: h().accountId, orgIdentifier: org,
        includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: org, projectIdentifier: 'doomed_proj' }],
        resourceFilter: { includeAllResources: true } } }, { query: orgQ })).status).toBe(200);
      expect((await h().admin.client.delete('/ng/api/projects/doomed_proj', { query: orgQ })).status).toBe(200);
      // The project's deletion takes it out of the groups above it, at the account and in its organization.
      let stored = await h().admin.client.get(`${PATH}/${id}`, { query: q() });
      expect(stored.body.data.resourceGroup.includedScopes).toEqual([
        { filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null },
        { filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: org, projectIdentifier: null },
      ]);
      expect((await h().admin.client.get(`${PATH}/${orgGroup}`, { query: orgQ })).body.data.resourceGroup.includedScopes).toEqual([]);
      expect((await h().admin.client.delete(`/ng/api/organizations/${org}`, { query: q() })).status).toBe(200);
      stored = await h().admin.client.get(`${PATH}/${id}`, { query: q() });
      expect(stored.body.data.resourceGroup.includedScopes).toEqual([
        { filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null },
      ]);
      // Naming it again is naming an organization that does not exist.
      expect((await h().admin.client.put(`${PATH}/${id}`, rg(id, { includedScopes: [selector()] }), { query: q() })).status).toBe(404);

      // A group that named only a deleted organization covers nothing, and saved back as it was read it stays so.
      const only = unique('rg');
      const lone = unique('lone');
      await ensureOrg(h(), lone);
      const loneSelector = { filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: lone };
      expect((await h().admin.client.post(PATH, rg(only, { includedScopes: [loneSelector] }), { query: q() })).status).toBe(200);
      expect((await h().admin.client.delete(`/ng/api/organizations/${lone}`, { query: q() })).status).toBe(200);
      const read = (await h().admin.client.get(`${PATH}/${only}`, { query: q() })).body.data.resourceGroup;
      expect(read.includedScopes).toEqual([]);
      const saved = await h().admin.client.put(`${PATH}/${only}`, { resourceGroup: { ...read, name: 'renamed' } }, { query: q() });
      expect(saved.status, saved.text).toBe(200);
      expect(saved.body.data.resourceGroup.includedScopes).toEqual([]);
    });

    it('400: schema, scope mismatch, duplicate, a managed identifier', async () => {
      expect((await h().admin.client.post(PATH, { resourceGroup: { identifier: 'x' } }, { query: q() })).body.status).toBe('FAILURE');
      expect((await h().admin.client.post(PATH, rg('x', { includedScopes: [{ filter: 'SOMETIMES' }] }), { query: q() })).status).toBe(400);
      expect((await h().admin.client.post(PATH, rg(unique('rg'), { accountIdentifier: 'elsewhere' }), { query: q() })).body.message)
        .toBe(`Invalid request: Value mismatch, previous: ${h().accountId} current: elsewhere`);
      const id = unique('rg');
      await h().admin.client.post(PATH, rg(id), { query: q() });
      expect((await h().admin.client.post(PATH, rg(id), { query: q() })).body.code).toBe('DUPLICATE_FIELD');
      expect((await h().admin.client.post(PATH, rg('_all_account_level_resources'), { query: q() })).body.code).toBe('DUPLICATE_FIELD');
    });

    it('401, 403, 404 (scope)', async () => {
      expect((await h().anonymous.post(PATH, rg('x'), { query: q() })).status).toBe(401);
      const user = await h().createUser();
      const denied = await user.client.post(PATH, rg('x'), { query: q() });
      expect(denied.status).toBe(403);
      expect(denied.body.failedPermissionChecks[0]).toMatchObject({ permission: 'core_resourcegroup_edit', resourceType: 'RESOURCEGROUP' });
      expect((await h().admin.client.post(PATH, rg('x', { accountIdentifier: undefined, includedScopes: undefined }), { query: { ...q(), orgIdentifier: 'none' } })).status).toBe(404);
    });
  });

  describe('GET', () => {
    it('lists the managed groups each level allows, plus the scope\'s custom ones', async () => {
      await ensureProject(h(), 'lv_org', 'lv_proj');
      const expected: [Record<string, string>, string[]][] = [
        [q(), ['_all_account_level_resources', '_all_resources_including_child_scopes']],
        [{ ...q(), orgIdentifier: 'lv_org' }, ['_all_organization_level_resources', '_all_resources_including_child_scopes']],
        [{ ...q(), orgIdentifier: 'lv_org', projectIdentifier: 'lv_proj' }, ['_all_project_level_resources']],
      ];
      for (const [scopeQ, managed] of expected) {
        const res = await h().admin.client.get(PATH, { query: { ...scopeQ, pageSize: 100 } });
        expect(res.status).toBe(200);
        const got = res.body.data.content.filter((g: any) => g.harnessManaged);
        expect(got.map((g: any) => g.resourceGroup.identifier).sort()).toEqual(managed);
        expect(got[0].resourceGroup.resourceFilter.includeAllResources).toBe(true);
      }
      const one = await h().admin.client.get(`${PATH}/_all_project_level_resources`, { query: expected[2][0] });
      expect(one.body.data).toMatchObject({ harnessManaged: true, resourceGroup: { identifier: '_all_project_level_resources', allowedScopeLevels: ['project'] } });
      // not usable at account level, so not found there
      expect((await h().admin.client.get(`${PATH}/_all_project_level_resources`, { query: q() })).status).toBe(404);
    });

    it('lists only what the caller may view: nothing without rights; 403 for another account, nothing of it', async () => {
      const id = unique('hidden');
      expect((await h().admin.client.post(PATH, rg(id), { query: q() })).status).toBe(200);
      const user = await h().createUser();
      const res = await user.client.get(PATH, { query: q() });
      expect(res.status).toBe(200);
      expect(res.body.data.content).toEqual([]);
      const other = await createOtherAccount(h());
      const cross = await other.client.get(PATH, { query: q() });
      expectOtherAccountDenied(cross, h().accountId);
      expect(cross.text).not.toContain(id);
    });

    it('get: 401, 403 the same for existing and missing, 404', async () => {
      const id = unique('rg');
      await h().admin.client.post(PATH, rg(id), { query: q() });
      expect((await h().admin.client.get(`${PATH}/${id}`, { query: q() })).body.data.resourceGroup.identifier).toBe(id);
      expect((await h().anonymous.get(`${PATH}/${id}`, { query: q() })).status).toBe(401);
      const user = await h().createUser();
      expect((await user.client.get(`${PATH}/${id}`, { query: q() })).status).toBe(403);
      expect((await user.client.get(`${PATH}/nothing`, { query: q() })).status).toBe(403);
      expect((await h().admin.client.get(`${PATH}/nothing`, { query: q() })).status).toBe(404);
    });

    it('get: a managed group at a missing organization or project is 404 naming it, after the 403', async () => {
      await ensureOrg(h(), 'rg_org');
      const missingOrg = await h().admin.client.get(`${PATH}/_all_organization_level_resources`, { query: { ...q(), orgIdentifier: 'nope' } });
      expect(missingOrg.status, missingOrg.text).toBe(404);
      expect(missingOrg.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Organization with identifier nope not found' });
      expect(missingOrg.text).not.toContain('"orgIdentifier":"nope"');
      const missingProject = await h().admin.client.get(`${PATH}/_all_project_level_resources`, { query: { ...q(), orgIdentifier: 'rg_org', projectIdentifier: 'nope' } });
      expect(missingProject.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Project with identifier nope in organization rg_org not found' });
      const user = await h().createUser();
      const a = await user.client.get(`${PATH}/_all_organization_level_resources`, { query: { ...q(), orgIdentifier: 'rg_org' } });
      const b = await user.client.get(`${PATH}/_all_organization_level_resources`, { query: { ...q(), orgIdentifier: 'nope' } });
      expect([a.status, b.status]).toEqual([403, 403]);
      expect(b.body.code).toBe('NG_ACCESS_DENIED');
    });
  });

  describe('PUT and DELETE', () => {
    it('PUT 200 changes the selection and takes effect for holders at once', async () => {
      const id = unique('rg');
      await h().admin.client.post(PATH, rg(id, { resourceFilter: { resources: [{ resourceType: 'USERGROUP' }] } }), { query: q() });
      const user = await h().createUser();
      await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', id);
      await h().admin.client.post('/ng/api/serviceaccount', { identifier: 'deployer', name: 'd', email: 'd@x.io' }, { query: q() });
      expect((await user.client.get('/ng/api/serviceaccount/deployer', { query: q() })).status).toBe(403);
      const res = await h().admin.client.put(`${PATH}/${id}`, rg(id), { query: q() });
      expect(res.status, res.text).toBe(200);
      expect((await user.client.get('/ng/api/serviceaccount/deployer', { query: q() })).status).toBe(200);
    });

    it('400: managed groups cannot be changed or deleted; identifier mismatch', async () => {
      const put = await h().admin.client.put(`${PATH}/_all_account_level_resources`, rg('_all_account_level_resources'), { query: q() });
      expect(put.status).toBe(400);
      expect(put.body.message).toBe('Resource group _all_account_level_resources is managed by keysmith and cannot be changed or deleted');
      expect((await h().admin.client.delete(`${PATH}/_all_resources_including_child_scopes`, { query: q() })).status).toBe(400);
      expect((await h().admin.client.put(`${PATH}/abc`, rg('xyz'), { query: q() })).body.message).toBe('Invalid request: Value mismatch, previous: abc current: xyz');
    });

    it('DELETE 400 naming the assignments while in use; 200 once not', async () => {
      const id = unique('rg');
      await h().admin.client.post(PATH, rg(id), { query: q() });
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', id);
      const inUse = await h().admin.client.delete(`${PATH}/${id}`, { query: q() });
      expect(inUse.status).toBe(400);
      expect(inUse.body.message).toBe(`Resource group ${id} is used by role assignments ${ra}; delete them first`);
      expect((await h().admin.client.delete(`/authz/api/roleassignments/${ra}`, { query: q() })).status).toBe(200);
      const res = await h().admin.client.delete(`${PATH}/${id}`, { query: q() });
      expect(res.status).toBe(200);
      expect(res.body.data).toBe(true);
    });

    it('401, 403 the same for existing and missing, 404', async () => {
      const id = unique('rg');
      await h().admin.client.post(PATH, rg(id), { query: q() });
      expect((await h().anonymous.put(`${PATH}/${id}`, rg(id), { query: q() })).status).toBe(401);
      const user = await h().createUser();
      expect((await user.client.put(`${PATH}/${id}`, rg(id), { query: q() })).status).toBe(403);
      expect((await user.client.put(`${PATH}/ghost_rg`, rg('ghost_rg'), { query: q() })).status).toBe(403);
      expect((await user.client.delete(`${PATH}/${id}`, { query: q() })).status).toBe(403);
      expect((await user.client.delete(`${PATH}/ghost_rg`, { query: q() })).status).toBe(403);
      expect((await h().admin.client.put(`${PATH}/ghost_rg`, rg('ghost_rg'), { query: q() })).status).toBe(404);
      expect((await h().admin.client.delete(`${PATH}/ghost_rg`, { query: q() })).status).toBe(404);
    });
  });
});
