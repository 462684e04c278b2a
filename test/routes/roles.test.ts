// Roles (SPEC §3, §6): managed ones everywhere and immutable; custom ones validated against the
// catalog; in-use ones not deletable. Every status, both engines.
import { describe, expect } from 'vitest';
import { MANAGED_ROLES } from '../../src/domain/managed.js';
import { makeScope } from '../../src/domain/scope.js';
import { createOtherAccount, ensureOrg, ensureProject, grant, unique } from '../helpers/access-control.js';
import { expectOtherAccountDenied } from '../helpers/expect.js';
import { describeEachEngine, it } from '../helpers/harness.js';

const role = (identifier: string, extra: Record<string, unknown> = {}) =>
  ({ identifier, name: `Role ${identifier}`, permissions: ['core_serviceaccount_view', 'core_usergroup_view'], description: 'd', tags: { a: 'b' }, ...extra });

describeEachEngine('roles', (h) => {
  const q = () => ({ accountIdentifier: h().accountId });

  describe('POST /authz/api/roles', () => {
    it('200: a custom role at account and at project scope, in Harness\'s RoleResponse shape', async () => {
      const id = unique('r');
      const res = await h().admin.client.post('/authz/api/roles', role(id, { allowedScopeLevels: ['account', 'project'] }), { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toEqual({
        role: { identifier: id, name: `Role ${id}`, permissions: ['core_serviceaccount_view', 'core_usergroup_view'], allowedScopeLevels: ['account', 'project'], description: 'd', tags: { a: 'b' } },
        scope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null },
        harnessManaged: false, createdAt: expect.any(Number), lastModifiedAt: expect.any(Number),
      });
      await ensureProject(h(), 'r_org', 'r_proj');
      const atProject = await h().admin.client.post('/authz/api/roles', role(id), { query: { ...q(), orgIdentifier: 'r_org', projectIdentifier: 'r_proj' } });
      expect(atProject.status).toBe(200);
      expect(atProject.body.data.role.allowedScopeLevels).toEqual(['project']);
      expect((await h().admin.client.get('/gateway/authz/api/roles/' + id, { query: q() })).status).toBe(200);
    });

    it('400 INVALID_ARGUMENT: an unknown permission, named; a level above the role\'s scope', async () => {
      const res = await h().admin.client.post('/authz/api/roles', role(unique('r'), { permissions: ['core_serviceaccount_view', 'core_everything'] }), { query: q() });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'permissions: core_everything is not a known permission' });
      await ensureOrg(h(), 'r_org');
      const above = await h().admin.client.post('/authz/api/roles', role(unique('r'), { allowedScopeLevels: ['account'] }), { query: { ...q(), orgIdentifier: 'r_org' } });
      expect(above.status).toBe(400);
      expect(above.body.code).toBe('INVALID_ARGUMENT');
    });

    it('400: schema, duplicate, a managed role\'s identifier', async () => {
      expect((await h().admin.client.post('/authz/api/roles', role('bad id'), { query: q() })).body.status).toBe('FAILURE');
      expect((await h().admin.client.post('/authz/api/roles', role('x', { allowedScopeLevels: ['galaxy'] }), { query: q() })).status).toBe(400);
      const id = unique('r');
      await h().admin.client.post('/authz/api/roles', role(id), { query: q() });
      expect((await h().admin.client.post('/authz/api/roles', role(id), { query: q() })).body.code).toBe('DUPLICATE_FIELD');
      expect((await h().admin.client.post('/authz/api/roles', role('_account_admin'), { query: q() })).body.code).toBe('DUPLICATE_FIELD');
    });

    it('401, 403, 404 (scope)', async () => {
      expect((await h().anonymous.post('/authz/api/roles', role('r'), { query: q() })).status).toBe(401);
      const user = await h().createUser();
      const denied = await user.client.post('/authz/api/roles', role('r'), { query: q() });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe(`Principal of type USER with identifier ${user.id} : Missing permission core_role_edit on role`);
      expect((await h().admin.client.post('/authz/api/roles', role('r'), { query: { ...q(), orgIdentifier: 'no_org' } })).status).toBe(404);
    });
  });

  describe('GET /authz/api/roles[/{identifier}]', () => {
    it('lists the managed roles assignable at the scope\'s level (harnessManaged, scope null) plus the scope\'s custom ones', async () => {
      await ensureProject(h(), 'l_org', 'l_proj');
      const projectQ = { ...q(), orgIdentifier: 'l_org', projectIdentifier: 'l_proj' };
      const custom = unique('custom');
      await h().admin.client.post('/authz/api/roles', role(custom), { query: projectQ });
      const levels = ['account', 'organization', 'project'] as const;
      for (const [i, scopeQ] of [q(), { ...q(), orgIdentifier: 'l_org' }, projectQ].entries()) {
        const res = await h().admin.client.get('/authz/api/roles', { query: { ...scopeQ, pageSize: 100 } });
        expect(res.status).toBe(200);
        const managed = res.body.data.content.filter((r: any) => r.harnessManaged);
        expect(managed.map((r: any) => r.role.identifier).sort())
          .toEqual(MANAGED_ROLES.filter((r) => r.allowedScopeLevels.includes(levels[i]!)).map((r) => r.identifier).sort());
        expect(managed.length).toBe(2);
        expect(managed.every((r: any) => r.scope === null)).toBe(true);
        const customs = res.body.data.content.filter((r: any) => !r.harnessManaged).map((r: any) => r.role.identifier);
        expect(customs.includes(custom)).toBe(scopeQ === projectQ);
      }
      const onlyCustom = await h().admin.client.get('/authz/api/roles', { query: { ...projectQ, managedFilter: 'ONLY_CUSTOM' } });
      expect(onlyCustom.body.data.content.map((r: any) => r.role.identifier)).toEqual([custom]);
      const search = await h().admin.client.get('/authz/api/roles', { query: { ...q(), searchTerm: 'account ad' } });
      expect(search.body.data.content.map((r: any) => r.role.identifier)).toEqual(['_account_admin']);
    });

    it('lists only what the caller may view: nothing without rights; 403 for another account, nothing of it', async () => {
      const id = unique('hidden');
      expect((await h().admin.client.post('/authz/api/roles', role(id), { query: q() })).status).toBe(200);
      const user = await h().createUser();
      const res = await user.client.get('/authz/api/roles', { query: q() });
      expect(res.status).toBe(200);
      expect(res.body.data.totalItems).toBe(0);
      const other = await createOtherAccount(h());
      const cross = await other.client.get('/authz/api/roles', { query: q() });
      expectOtherAccountDenied(cross, h().accountId);
      expect(cross.text).not.toContain(id);
    });

    it('get: 200 managed and custom, 401, 403 the same for existing and missing, 404', async () => {
      await ensureProject(h(), 'g_org', 'g_proj');
      const res = await h().admin.client.get('/authz/api/roles/_project_viewer', { query: { ...q(), orgIdentifier: 'g_org', projectIdentifier: 'g_proj' } });
      expect(res.body.data).toMatchObject({ role: { identifier: '_project_viewer', allowedScopeLevels: ['project'] }, harnessManaged: true });
      // a managed role where it cannot be assigned is not found there (Harness's lookup asks the level)
      const elsewhere = await h().admin.client.get('/authz/api/roles/_project_viewer', { query: q() });
      expect(elsewhere.status, elsewhere.text).toBe(404);
      expect(elsewhere.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Role with identifier _project_viewer not found' });
      expect((await h().admin.client.get('/authz/api/roles/_account_admin', { query: q() })).status).toBe(200);
      expect((await h().anonymous.get('/authz/api/roles/_project_viewer', { query: q() })).status).toBe(401);
      const user = await h().createUser();
      const a = await user.client.get('/authz/api/roles/_project_viewer', { query: q() });
      const b = await user.client.get('/authz/api/roles/no_role', { query: q() });
      expect([a.status, b.status]).toEqual([403, 403]);
      expect((await h().admin.client.get('/authz/api/roles/no_role', { query: q() })).status).toBe(404);
    });

    it('get: a managed role at a missing organization or project is 404 naming it, after the 403', async () => {
      await ensureOrg(h(), 'r_org');
      const missingOrg = await h().admin.client.get('/authz/api/roles/_organization_admin', { query: { ...q(), orgIdentifier: 'nope' } });
      expect(missingOrg.status, missingOrg.text).toBe(404);
      expect(missingOrg.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Organization with identifier nope not found' });
      expect(missingOrg.text).not.toContain('harnessManaged');
      const missingProject = await h().admin.client.get('/authz/api/roles/_project_viewer', { query: { ...q(), orgIdentifier: 'r_org', projectIdentifier: 'nope' } });
      expect(missingProject.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Project with identifier nope in organization r_org not found' });
      const user = await h().createUser();
      const a = await user.client.get('/authz/api/roles/_organization_admin', { query: { ...q(), orgIdentifier: 'r_org' } });
      const b = await user.client.get('/authz/api/roles/_organization_admin', { query: { ...q(), orgIdentifier: 'nope' } });
      expect([a.status, b.status]).toEqual([403, 403]);
      expect(b.body.code).toBe('NG_ACCESS_DENIED');
    });
  });

  describe('PUT and DELETE /authz/api/roles/{identifier}', () => {
    it('PUT 200 changes permissions and takes effect for holders at once', async () => {
      const id = unique('r');
      await h().admin.client.post('/authz/api/roles', role(id, { permissions: ['core_usergroup_view'] }), { query: q() });
      const user = await h().createUser();
      await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, id, '_all_account_level_resources');
      expect((await user.client.get('/ng/api/serviceaccount/aggregate', { query: q() })).body.data.totalItems).toBe(0);
      await h().admin.client.post('/ng/api/serviceaccount', { identifier: unique('sa'), name: 'sa', email: 'sa@x.io' }, { query: q() });
      const res = await h().admin.client.put(`/authz/api/roles/${id}`, role(id, { permissions: ['core_serviceaccount_view'], name: 'Renamed' }), { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.role).toMatchObject({ name: 'Renamed', permissions: ['core_serviceaccount_view'] });
      expect((await user.client.get('/ng/api/serviceaccount/aggregate', { query: q() })).body.data.totalItems).toBeGreaterThan(0);
      const audit = await h().store.db.selectFrom('audit_events').select('action').where('resource_type', '=', 'ROLE').where('resource_identifier', '=', id).execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['CREATE', 'UPDATE']);
    });

    it('400: a managed role cannot be changed or deleted; identifier mismatch', async () => {
      const put = await h().admin.client.put('/authz/api/roles/_account_viewer', role('_account_viewer'), { query: q() });
      expect(put.status).toBe(400);
      expect(put.body.message).toBe('Role _account_viewer is managed by keysmith and cannot be changed or deleted');
      expect((await h().admin.client.delete('/authz/api/roles/_account_viewer', { query: q() })).status).toBe(400);
      const id = unique('r');
      await h().admin.client.post('/authz/api/roles', role(id), { query: q() });
      expect((await h().admin.client.put(`/authz/api/roles/${id}`, role('other'), { query: q() })).body.message)
        .toBe(`Invalid request: Value mismatch, previous: ${id} current: other`);
    });

    it('PUT keeps the levels it leaves out, and cannot drop a level where assignments use the role', async () => {
      const id = unique('r');
      await h().admin.client.post('/authz/api/roles', role(id, { permissions: ['core_usergroup_view'], allowedScopeLevels: ['account', 'organization'] }), { query: q() });
      const user = await h().createUser();
      const org = await ensureOrg(h(), 'level_org');
      const ra = await grant(h(), org, { type: 'USER', identifier: user.id }, id, '_all_organization_level_resources');
      // Left out: the levels stay, and so does what the assignment grants.
      const kept = await h().admin.client.put(`/authz/api/roles/${id}`, role(id, { permissions: ['core_usergroup_view'], name: 'Renamed' }), { query: q() });
      expect(kept.status, kept.text).toBe(200);
      expect(kept.body.data.role.allowedScopeLevels).toEqual(['account', 'organization']);
      expect((await h().admin.client.post('/ng/api/user-groups', { identifier: 'level_group', name: 'Level group' }, { query: { ...q(), orgIdentifier: 'level_org' } })).status).toBe(200);
      const seesGroup = async () => ((await user.client.get('/ng/api/user-groups', { query: { ...q(), orgIdentifier: 'level_org' } })).body.data.content as any[])
        .some((g) => g.identifier === 'level_group');
      expect(await seesGroup()).toBe(true);
      // Dropping the organization level while an assignment uses it there: 400 naming it, nothing changed.
      const dropped = await h().admin.client.put(`/authz/api/roles/${id}`, role(id, { permissions: ['core_usergroup_view'], allowedScopeLevels: ['account'] }), { query: q() });
      expect(dropped.status).toBe(400);
      expect(dropped.body).toMatchObject({ code: 'INVALID_REQUEST', message: `allowedScopeLevels: role ${id} is assigned at organization level by role assignments ${ra}; delete them first` });
      expect((await h().admin.client.get(`/authz/api/roles/${id}`, { query: q() })).body.data.role.allowedScopeLevels).toEqual(['account', 'organization']);
      expect(await seesGroup()).toBe(true);
      // Adding a level is always allowed; once the assignment is gone, the level can go too.
      expect((await h().admin.client.put(`/authz/api/roles/${id}`, role(id, { permissions: ['core_usergroup_view'], allowedScopeLevels: ['account', 'organization', 'project'] }), { query: q() })).status).toBe(200);
      await h().admin.client.delete(`/authz/api/roleassignments/${ra}`, { query: { ...q(), orgIdentifier: 'level_org' } });
      const narrowed = await h().admin.client.put(`/authz/api/roles/${id}`, role(id, { permissions: ['core_usergroup_view'], allowedScopeLevels: ['account'] }), { query: q() });
      expect(narrowed.status, narrowed.text).toBe(200);
      expect(narrowed.body.data.role.allowedScopeLevels).toEqual(['account']);
    });

    it('DELETE 400 naming the assignments while in use, 200 once not', async () => {
      const id = unique('r');
      await h().admin.client.post('/authz/api/roles', role(id, { allowedScopeLevels: ['account', 'organization'] }), { query: q() });
      const user = await h().createUser();
      const org = await ensureOrg(h(), 'use_org');
      const ra = await grant(h(), org, { type: 'USER', identifier: user.id }, id, '_all_organization_level_resources');
      const inUse = await h().admin.client.delete(`/authz/api/roles/${id}`, { query: q() });
      expect(inUse.status).toBe(400);
      expect(inUse.body.message).toBe(`Role ${id} is used by role assignments ${ra}; delete them first`);
      await h().admin.client.delete(`/authz/api/roleassignments/${ra}`, { query: { ...q(), orgIdentifier: 'use_org' } });
      const res = await h().admin.client.delete(`/authz/api/roles/${id}`, { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.role.identifier).toBe(id);
      expect((await h().admin.client.get(`/authz/api/roles/${id}`, { query: q() })).status).toBe(404);
    });

    it('401, 403 the same for existing and missing, 404', async () => {
      const id = unique('r');
      await h().admin.client.post('/authz/api/roles', role(id), { query: q() });
      expect((await h().anonymous.delete(`/authz/api/roles/${id}`, { query: q() })).status).toBe(401);
      const user = await h().createUser();
      for (const [method, path] of [['PUT', id], ['DELETE', id], ['PUT', 'ghost_role'], ['DELETE', 'ghost_role']] as const) {
        const res = method === 'PUT'
          ? await user.client.put(`/authz/api/roles/${path}`, role(path), { query: q() })
          : await user.client.delete(`/authz/api/roles/${path}`, { query: q() });
        expect(res.status, `${method} ${path}`).toBe(403);
      }
      expect((await h().admin.client.put('/authz/api/roles/ghost_role', role('ghost_role'), { query: q() })).status).toBe(404);
      expect((await h().admin.client.delete('/authz/api/roles/ghost_role', { query: q() })).status).toBe(404);
    });
  });
});
