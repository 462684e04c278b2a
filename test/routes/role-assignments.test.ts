// Role assignments (SPEC §3, §6): create / enable-disable / delete / list, who may do each, and the
// rule that an account always keeps an enabled admin. Every status, both engines.
import { describe, expect } from 'vitest';
import { makeScope } from '../../src/domain/scope.js';
import { createOtherAccount, ensureOrg, ensureProject, grant, unique, userWith } from '../helpers/access-control.js';
import { createToken, saOwner, userOwner } from '../helpers/api-keys.js';
import { expectError, expectOtherAccountDenied, expectSameDenial } from '../helpers/expect.js';
import { describeEachEngine, it, type Harness } from '../helpers/harness.js';

const PATH = '/authz/api/roleassignments';

async function serviceAccount(h: Harness, query: Record<string, string>, id = unique('ra_sa')) {
  const res = await h.admin.client.post('/ng/api/serviceaccount', { identifier: id, name: id, email: `${id}@x.io` }, { query });
  expect(res.status, res.text).toBe(200);
  return id;
}

describeEachEngine('role assignments', (h) => {
  const q = () => ({ accountIdentifier: h().accountId });

  describe('POST /authz/api/roleassignments', () => {
    it('200: to a user, who gets the rights at once; identifier generated; audited', async () => {
      await ensureOrg(h(), 'ra_org');
      const orgQ = { ...q(), orgIdentifier: 'ra_org' };
      const user = await h().createUser();
      expect((await user.client.get('/ng/api/user-groups', { query: orgQ })).body.data.content).toEqual([]);
      await h().admin.client.post('/ng/api/user-groups', { identifier: 'g_seen', name: 'g' }, { query: orgQ });
      const res = await h().admin.client.post(PATH, {
        roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources',
        principal: { identifier: user.id, type: 'USER' }, disabled: false,
      }, { query: orgQ });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toEqual({
        roleAssignment: {
          identifier: expect.stringMatching(/^role_assignment_/), roleIdentifier: '_organization_viewer',
          resourceGroupIdentifier: '_all_organization_level_resources', principal: { identifier: user.id, type: 'USER', scopeLevel: 'account' },
          disabled: false, managed: false,
        },
        scope: { accountIdentifier: h().accountId, orgIdentifier: 'ra_org', projectIdentifier: null },
        harnessManaged: false, createdAt: expect.any(Number), lastModifiedAt: expect.any(Number),
      });
      expect((await user.client.get('/ng/api/user-groups', { query: orgQ })).body.data.content.map((g: any) => g.identifier)).toEqual(['g_seen']);
      const audit = await h().store.db.selectFrom('audit_events').select('action')
        .where('resource_type', '=', 'ROLEASSIGNMENT').where('resource_identifier', '=', res.body.data.roleAssignment.identifier).execute();
      expect(audit.map((a) => a.action)).toEqual(['CREATE']);
    });

    it('200: to a group of the scope, an account-level group in an organization, and the nearest service account', async () => {
      await ensureProject(h(), 'ra_org', 'ra_proj');
      const projectQ = { ...q(), orgIdentifier: 'ra_org', projectIdentifier: 'ra_proj' };
      await h().admin.client.post('/ng/api/user-groups', { identifier: 'pg', name: 'pg' }, { query: projectQ });
      const group = await h().admin.client.post(PATH, {
        identifier: unique('ra'), roleIdentifier: '_project_viewer', resourceGroupIdentifier: '_all_project_level_resources',
        principal: { identifier: 'pg', type: 'USER_GROUP' },
      }, { query: projectQ });
      expect(group.status, group.text).toBe(200);
      expect(group.body.data.roleAssignment.principal).toEqual({ identifier: 'pg', type: 'USER_GROUP', scopeLevel: 'project' });

      await h().admin.client.post('/ng/api/user-groups', { identifier: 'account_group', name: 'ag' }, { query: q() });
      const inherited = await h().admin.client.post(PATH, {
        roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources',
        principal: { identifier: 'account_group', type: 'USER_GROUP', scopeLevel: 'account' },
      }, { query: { ...q(), orgIdentifier: 'ra_org' } });
      expect(inherited.status, inherited.text).toBe(200);

      const sa = await serviceAccount(h(), q());
      const viaAccount = await h().admin.client.post(PATH, {
        roleIdentifier: '_project_viewer', resourceGroupIdentifier: '_all_project_level_resources', principal: { identifier: sa, type: 'SERVICE_ACCOUNT' },
      }, { query: projectQ });
      expect(viaAccount.status, viaAccount.text).toBe(200);
      expect(viaAccount.body.data.roleAssignment.principal.scopeLevel).toBe('account');
    });

    it('400: unknown principal, role not assignable at the level, resource group not usable there (named)', async () => {
      await ensureOrg(h(), 'ra_org');
      const orgQ = { ...q(), orgIdentifier: 'ra_org' };
      const user = await h().createUser();
      const cases: [Record<string, unknown>, string][] = [
        [{ roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources', principal: { identifier: 'ghost', type: 'USER' } },
          'principal: no USER with identifier ghost for this scope'],
        [{ roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources', principal: { identifier: 'ghost_sa', type: 'SERVICE_ACCOUNT' } },
          'principal: no SERVICE_ACCOUNT with identifier ghost_sa for this scope'],
        [{ roleIdentifier: '_account_admin', resourceGroupIdentifier: '_all_organization_level_resources', principal: { identifier: user.id, type: 'USER' } },
          'Role _account_admin does not exist or cannot be assigned at organization level'],
        [{ roleIdentifier: 'no_such_role', resourceGroupIdentifier: '_all_organization_level_resources', principal: { identifier: user.id, type: 'USER' } },
          'Role no_such_role does not exist or cannot be assigned at organization level'],
        [{ roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_project_level_resources', principal: { identifier: user.id, type: 'USER' } },
          'Resource group _all_project_level_resources does not exist or cannot be used at organization level'],
      ];
      for (const [payload, message] of cases) {
        const res = await h().admin.client.post(PATH, payload, { query: orgQ });
        expect(res.status, message).toBe(400);
        expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', message });
      }
      const below = await h().admin.client.post(PATH, {
        roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: 'g', type: 'USER_GROUP', scopeLevel: 'project' },
      }, { query: q() });
      expect(below.body).toMatchObject({ code: 'INVALID_REQUEST', message: 'Principal scope level cannot be project for account scoped role assignment.' });
    });

    it('400: a custom role usable at the level (from a parent scope), a custom resource group only at its own scope', async () => {
      await ensureOrg(h(), 'ra_org');
      const orgQ = { ...q(), orgIdentifier: 'ra_org' };
      const user = await h().createUser();
      const roleId = unique('cr');
      await h().admin.client.post('/authz/api/roles', { identifier: roleId, name: 'cr', permissions: ['core_audit_view'], allowedScopeLevels: ['organization'] }, { query: q() });
      const rgId = unique('crg');
      await h().admin.client.post('/resourcegroup/api/v2/resourcegroup', { resourceGroup: { identifier: rgId, name: 'crg', resourceFilter: { includeAllResources: true } } }, { query: q() });
      const fromParent = await h().admin.client.post(PATH, { roleIdentifier: roleId, resourceGroupIdentifier: '_all_organization_level_resources', principal: { identifier: user.id, type: 'USER' } }, { query: orgQ });
      expect(fromParent.status, fromParent.text).toBe(200);
      const notAtAccount = await h().admin.client.post(PATH, { roleIdentifier: roleId, resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' } }, { query: q() });
      expect(notAtAccount.status).toBe(400);
      const otherScopeRg = await h().admin.client.post(PATH, { roleIdentifier: '_organization_viewer', resourceGroupIdentifier: rgId, principal: { identifier: user.id, type: 'USER' } }, { query: orgQ });
      expect(otherScopeRg.status).toBe(400);
    });

    it('400 DUPLICATE_FIELD: the same identifier, or the same principal, role and resource group', async () => {
      const user = await h().createUser();
      const payload = { identifier: unique('dup'), roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' } };
      expect((await h().admin.client.post(PATH, payload, { query: q() })).status).toBe(200);
      const sameId = await h().admin.client.post(PATH, { ...payload, resourceGroupIdentifier: '_all_resources_including_child_scopes' }, { query: q() });
      expect(sameId.body.code).toBe('DUPLICATE_FIELD');
      const same = await h().admin.client.post(PATH, { ...payload, identifier: unique('other') }, { query: q() });
      expect(same.body).toMatchObject({ code: 'DUPLICATE_FIELD', message: `A role assignment with the same principal, role and resource group is already present: ${payload.identifier}` });
      expect((await h().admin.client.post(PATH, { ...payload, principal: { identifier: 'x', type: 'ROBOT' } }, { query: q() })).body.status).toBe('FAILURE');
    });

    it('20 concurrent creates of the same grant: exactly one is stored, the others are DUPLICATE_FIELD', async () => {
      const sa = await serviceAccount(h(), q());
      const payload = { roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: sa, type: 'SERVICE_ACCOUNT' } };
      const results = await Promise.all(Array.from({ length: 20 }, () => h().admin.client.post(PATH, payload, { query: q() })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) expect(r.body.code, r.text).toBe('DUPLICATE_FIELD');
      const stored = await h().admin.client.get(PATH, { query: { ...q(), principalIdentifier: sa, pageSize: 100 } });
      expect(stored.body.data.content.filter((a: any) => a.roleAssignment.principal.identifier === sa)).toHaveLength(1);
    });

    it('401; 403 without the principal type\'s manage permission; a project admin assigns in its project only; 404 scope', async () => {
      await ensureProject(h(), 'ra_org', 'ra_proj');
      const projectScope = makeScope(h().accountId, 'ra_org', 'ra_proj');
      const projectQ = { ...q(), orgIdentifier: 'ra_org', projectIdentifier: 'ra_proj' };
      const target = await h().createUser();
      const payload = { roleIdentifier: '_project_viewer', resourceGroupIdentifier: '_all_project_level_resources', principal: { identifier: target.id, type: 'USER' } };
      expect((await h().anonymous.post(PATH, payload, { query: projectQ })).status).toBe(401);
      const nobody = await h().createUser();
      const denied = await nobody.client.post(PATH, payload, { query: projectQ });
      expect(denied.status).toBe(403);
      expect(denied.body.message).toBe(`Principal of type USER with identifier ${nobody.id} : Missing permission core_user_manage on user with identifier ${target.id}`);
      const projectAdmin = await userWith(h(), [{ scope: projectScope, role: '_project_admin', resourceGroup: '_all_project_level_resources' }]);
      expect((await projectAdmin.client.post(PATH, payload, { query: projectQ })).status).toBe(200);
      const atOrg = await projectAdmin.client.post(PATH, { ...payload, roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources' },
        { query: { ...q(), orgIdentifier: 'ra_org' } });
      expect(atOrg.status).toBe(403);
      expect((await h().admin.client.post(PATH, payload, { query: { ...q(), orgIdentifier: 'ra_org', projectIdentifier: 'nope' } })).status).toBe(404);
    });

    it('403 before the 400 of a principal scopeLevel below the scope, to a caller without the permission', async () => {
      const payload = {
        roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
        principal: { identifier: 'g', type: 'USER_GROUP', scopeLevel: 'project' },
      };
      const nobody = await h().createUser();
      const denied = await nobody.client.post(PATH, payload, { query: q() });
      expect(denied.status, denied.text).toBe(403);
      expect(denied.body).toMatchObject({
        code: 'NG_ACCESS_DENIED',
        message: `Principal of type USER with identifier ${nobody.id} : Missing permission core_usergroup_manage on usergroup with identifier g`,
      });
      // a caller who has it still gets the 400
      expect((await h().admin.client.post(PATH, payload, { query: q() })).body)
        .toMatchObject({ code: 'INVALID_REQUEST', message: 'Principal scope level cannot be project for account scoped role assignment.' });
    });
  });

  describe('GET /authz/api/roleassignments', () => {
    it('200: pages the scope\'s assignments, filtered by query and by the principal types the caller may view', async () => {
      await ensureOrg(h(), 'list_org');
      const scope = makeScope(h().accountId, 'list_org');
      const orgQ = { ...q(), orgIdentifier: 'list_org' };
      const user = await h().createUser();
      const sa = await serviceAccount(h(), orgQ);
      const userRa = await grant(h(), scope, { type: 'USER', identifier: user.id }, '_organization_viewer', '_all_organization_level_resources');
      const saRa = await grant(h(), scope, { type: 'SERVICE_ACCOUNT', identifier: sa }, '_organization_viewer', '_all_organization_level_resources');
      const all = await h().admin.client.get(PATH, { query: orgQ });
      expect(all.status).toBe(200);
      expect(all.body.data.content.map((r: any) => r.roleAssignment.identifier).sort()).toEqual([userRa, saRa].sort());
      const filtered = await h().admin.client.get(PATH, { query: { ...orgQ, principalType: 'SERVICE_ACCOUNT' } });
      expect(filtered.body.data.content.map((r: any) => r.roleAssignment.identifier)).toEqual([saRa]);
      const paged = await h().admin.client.get(PATH, { query: { ...orgQ, pageSize: 1 } });
      expect(paged.body.data).toMatchObject({ totalItems: 2, pageItemCount: 1, totalPages: 2 });

      // a caller who may view service accounts (only) sees only their assignments
      const roleId = unique('sa_view');
      await h().admin.client.post('/authz/api/roles', { identifier: roleId, name: 'sav', permissions: ['core_serviceaccount_view'] }, { query: orgQ });
      const saViewer = await userWith(h(), [{ scope, role: roleId, resourceGroup: '_all_organization_level_resources' }]);
      const seen = await saViewer.client.get(PATH, { query: orgQ });
      expect(seen.status).toBe(200);
      // the service account's, and its own (a user may always view themself), not the other user's
      const principals = seen.body.data.content.map((r: any) => r.roleAssignment.principal.identifier).sort();
      expect(principals).toEqual([sa, saViewer.id].sort());
      const nobody = await h().createUser();
      const none = await nobody.client.get(PATH, { query: orgQ });
      expect(none.status).toBe(200);
      expect(none.body.data.content).toEqual([]);
    });

    it('401; 403 and nothing for another account; 400 for an unsortable field', async () => {
      expect((await h().anonymous.get(PATH, { query: q() })).status).toBe(401);
      const other = await createOtherAccount(h());
      const res = await other.client.get(PATH, { query: q() });
      expectOtherAccountDenied(res, h().accountId);
      expect(res.text).not.toContain(h().admin.id);
      expect((await h().admin.client.get(PATH, { query: { ...q(), sortOrders: 'name,ASC' } })).status).toBe(400);
    });
  });

  describe('GET /authz/api/roleassignments/{identifier}', () => {
    it('200: the assignment as listed, at its scope (also under /gateway); 404 at another scope or when missing', async () => {
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
      const res = await h().admin.client.get(`${PATH}/${ra}`, { query: q() });
      expect(res.status, res.text).toBe(200);
      const listed = (await h().admin.client.get(PATH, { query: { ...q(), principalIdentifier: user.id, pageSize: 100 } })).body.data.content;
      expect(listed).toEqual([res.body.data]);
      expect(res.body.data).toMatchObject({
        roleAssignment: { identifier: ra, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' }, disabled: false },
        scope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null },
      });
      expect((await h().admin.client.get(`/gateway${PATH}/${ra}`, { query: q() })).body.data).toEqual(res.body.data);
      await ensureOrg(h(), 'get_ra_org');
      const elsewhere = await h().admin.client.get(`${PATH}/${ra}`, { query: { ...q(), orgIdentifier: 'get_ra_org' } });
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: `Role assignment with identifier ${ra} not found` });
      expect((await h().admin.client.get(`${PATH}/ghost_ra`, { query: q() })).status).toBe(404);
    });

    it('401; a user reads its own; without rights 403 for any other, existing or missing; with some, one whose principal the caller may not see is a 404 like a missing one; another account 403', async () => {
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
      expect((await h().anonymous.get(`${PATH}/${ra}`, { query: q() })).status).toBe(401);
      // A user may always view their own record, and so their own assignments, whatever its role
      // (the list shows them too): here a role that lets it view nothing else.
      const auditRole = unique('audit_only');
      await h().admin.client.post('/authz/api/roles', { identifier: auditRole, name: 'ao', permissions: ['core_audit_view'] }, { query: q() });
      const auditor = await h().createUser();
      const own = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: auditor.id }, auditRole, '_all_account_level_resources');
      expect((await auditor.client.get(PATH, { query: q() })).body.data.content.map((r: any) => r.roleAssignment.identifier)).toEqual([own]);
      const mine = await auditor.client.get(`${PATH}/${own}`, { query: q() });
      expect(mine.status, mine.text).toBe(200);
      expect(mine.body.data.roleAssignment.identifier).toBe(own);
      // Any other, existing or missing, is the same 403 (SPEC §2: authorize before looking up).
      const a = await auditor.client.get(`${PATH}/${ra}`, { query: q() });
      const b = await auditor.client.get(`${PATH}/ghost_ra`, { query: q() });
      expectSameDenial(a, b, ra, 'ghost_ra');
      expect(a.body.failedPermissionChecks.map((x: any) => x.permission)).toEqual(['core_user_view', 'core_usergroup_view', 'core_serviceaccount_view']);
      expect(JSON.stringify(a.body)).not.toContain(user.id);
      // A service account without rights is refused before the lookup: the same 403 either way.
      const sa = await h().seedServiceAccount();
      // (two keys: each has its own budget of one request a second)
      const sat = (key: string) => createToken(h(), h().admin.client, saOwner(sa), key, 'ra_token').then((t) => h().tokenClient(t));
      const c = await (await sat('ra_key1')).get(`${PATH}/${ra}`, { query: q() });
      const d = await (await sat('ra_key2')).get(`${PATH}/ghost_ra`, { query: q() });
      expect([c.status, d.status]).toEqual([403, 403]);
      expect({ ...c.body, correlationId: null }).toEqual({ ...d.body, correlationId: null });
      expect(c.body.failedPermissionChecks.map((x: any) => x.permission)).toEqual(['core_user_view', 'core_usergroup_view', 'core_serviceaccount_view']);
      // views service accounts, not users: a user's assignment is as good as missing
      const roleId = unique('sa_view');
      await h().admin.client.post('/authz/api/roles', { identifier: roleId, name: 'sav', permissions: ['core_serviceaccount_view'] }, { query: q() });
      const onlySa = await userWith(h(), [{ scope: makeScope(h().accountId), role: roleId, resourceGroup: '_all_account_level_resources' }]);
      const unseen = await onlySa.client.get(`${PATH}/${ra}`, { query: q() });
      expect(unseen.status).toBe(404);
      expect(JSON.stringify(unseen.body)).not.toContain(user.id);
      // managing users without viewing them is enough to read the assignment it could delete
      const managerRole = unique('user_manage_only');
      await h().admin.client.post('/authz/api/roles', { identifier: managerRole, name: 'umo', permissions: ['core_user_manage'] }, { query: q() });
      const manager = await userWith(h(), [{ scope: makeScope(h().accountId), role: managerRole, resourceGroup: '_all_account_level_resources' }]);
      expect((await manager.client.get(`${PATH}/${ra}`, { query: q() })).status).toBe(200);
      // the user itself, an account viewer, reads it too
      expect((await user.client.get(`${PATH}/${ra}`, { query: q() })).status).toBe(200);
      const other = await createOtherAccount(h());
      expectOtherAccountDenied(await other.client.get(`${PATH}/${ra}`, { query: q() }), h().accountId);
    });

    it('403 without rights, the same for an existing and a missing assignment and in the form PUT and DELETE give (cookie user, token, a service account asking for its own)', async () => {
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
      const carol = await h().createUser(); // no role assignment at all
      const existing = await carol.client.get(`${PATH}/${ra}`, { query: q() });
      const missing = await carol.client.get(`${PATH}/zzzz`, { query: q() });
      expectSameDenial(existing, missing, ra, 'zzzz');
      expectError(existing, 403, 'NG_ACCESS_DENIED', `Principal of type USER with identifier ${carol.id} : Missing permission core_user_view on user`);
      // DELETE (and PUT) of the same id: the same answer, naming the manage permissions instead.
      const deleted = await carol.client.delete(`${PATH}/${ra}`, { query: q() });
      const body = { identifier: ra, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' } };
      const put = await carol.client.put(`${PATH}/${ra}`, { ...body, disabled: true }, { query: q() });
      expect({ ...put.body, correlationId: null }).toEqual({ ...deleted.body, correlationId: null });
      const asView = (res: typeof deleted) => JSON.parse(JSON.stringify({ ...res.body, correlationId: null }).replaceAll('_manage', '_view').replaceAll('_edit', '_view'));
      expect({ ...existing.body, correlationId: null }).toEqual(asView(deleted));
      // A service account without rights, even for its own assignment (only users may always view
      // their own record), and a cookie user's own token alike.
      const auditRole = unique('sa_audit_only');
      await h().admin.client.post('/authz/api/roles', { identifier: auditRole, name: 'sao', permissions: ['core_audit_view'] }, { query: q() });
      const sa = await h().seedServiceAccount();
      const own = await grant(h(), makeScope(h().accountId), { type: 'SERVICE_ACCOUNT', identifier: sa.identifier }, auditRole, '_all_account_level_resources');
      // (one key each: a key's budget is one request a second)
      const sat = (key: string) => createToken(h(), h().admin.client, saOwner(sa), key, 'own_ra_token').then((t) => h().tokenClient(t));
      const ownRes = await (await sat('own_ra_key1')).get(`${PATH}/${own}`, { query: q() });
      const noneRes = await (await sat('own_ra_key2')).get(`${PATH}/zzzz`, { query: q() });
      expectSameDenial(ownRes, noneRes, own, 'zzzz');
      expect(ownRes.body.message).toBe(`Principal of type SERVICE_ACCOUNT with identifier ${sa.identifier} : Missing permission core_user_view on user`);
      const pat = await createToken(h(), carol.client, userOwner(carol.id), 'carol_key', 'carol_token');
      expectSameDenial(await h().tokenClient(pat).get(`${PATH}/${ra}`, { query: q() }), missing, ra, 'zzzz');
      // The admin, allowed to see assignments, learns which exist.
      expect((await h().admin.client.get(`${PATH}/${ra}`, { query: q() })).status).toBe(200);
      expectError(await h().admin.client.get(`${PATH}/zzzz`, { query: q() }), 404, 'ENTITY_NOT_FOUND', 'Role assignment with identifier zzzz not found');
    });
  });

  describe('DELETE /authz/api/roleassignments/{identifier}', () => {
    it('200: answers the deleted assignment and takes the rights away at once', async () => {
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
      expect((await user.client.get('/authz/api/roles/_account_viewer', { query: q() })).status).toBe(200);
      const res = await h().admin.client.delete(`${PATH}/${ra}`, { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.roleAssignment.identifier).toBe(ra);
      expect((await user.client.get('/authz/api/roles/_account_viewer', { query: q() })).status).toBe(403);
      const audit = await h().store.db.selectFrom('audit_events').select('action').where('resource_identifier', '=', ra).where('action', '=', 'DELETE').execute();
      expect(audit).toHaveLength(1);
    });

    it('403 the same for existing and missing without rights; 404 for a manager, and for one it may not see; 403 on one it sees but may not manage', async () => {
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
      expect((await h().anonymous.delete(`${PATH}/${ra}`, { query: q() })).status).toBe(401);
      const nobody = await h().createUser();
      const a = await nobody.client.delete(`${PATH}/${ra}`, { query: q() });
      const b = await nobody.client.delete(`${PATH}/ghost_ra`, { query: q() });
      expect([a.status, b.status]).toEqual([403, 403]);
      expect({ ...a.body, correlationId: null }).toEqual({ ...b.body, correlationId: null });
      // may manage service accounts' assignments, not users'
      const roleId = unique('sa_edit');
      await h().admin.client.post('/authz/api/roles', { identifier: roleId, name: 'sae', permissions: ['core_serviceaccount_edit'] }, { query: q() });
      const saEditor = await userWith(h(), [{ scope: makeScope(h().accountId), role: roleId, resourceGroup: '_all_account_level_resources' }]);
      const ghost = await saEditor.client.delete(`${PATH}/ghost_ra`, { query: q() });
      expect(ghost.status).toBe(404);
      // A user's assignment it may not even see (no core_user_view) is answered as missing: a 403
      // would tell it exists, and whose it is.
      const unseen = await saEditor.client.delete(`${PATH}/${ra}`, { query: q() });
      expect(unseen.status).toBe(404);
      expect(unseen.body.message).toBe(`Role assignment with identifier ${ra} not found`);
      expect(JSON.stringify(unseen.body)).not.toContain(user.id);
      expect((await saEditor.client.put(`${PATH}/${ra}`, {
        identifier: ra, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
        principal: { identifier: user.id, type: 'USER' }, disabled: true,
      }, { query: q() })).status).toBe(404);
      // Seeing users but not managing them: the 403 names the check.
      const viewerRole = unique('sa_edit_user_view');
      await h().admin.client.post('/authz/api/roles', { identifier: viewerRole, name: 'saeuv', permissions: ['core_serviceaccount_edit', 'core_user_view'] }, { query: q() });
      const userViewer = await userWith(h(), [{ scope: makeScope(h().accountId), role: viewerRole, resourceGroup: '_all_account_level_resources' }]);
      const userOne = await userViewer.client.delete(`${PATH}/${ra}`, { query: q() });
      expect(userOne.status).toBe(403);
      expect(userOne.body.failedPermissionChecks[0]).toMatchObject({ permission: 'core_user_manage', resourceIdentifier: user.id });
      // Managing users without viewing them: it may delete the user's assignment it could create.
      const managerRole = unique('user_manage_only');
      await h().admin.client.post('/authz/api/roles', { identifier: managerRole, name: 'umo', permissions: ['core_user_manage'] }, { query: q() });
      const manager = await userWith(h(), [{ scope: makeScope(h().accountId), role: managerRole, resourceGroup: '_all_account_level_resources' }]);
      expect((await manager.client.delete(`${PATH}/${ra}`, { query: q() })).status).toBe(200);
      const notFound = await h().admin.client.delete(`${PATH}/ghost_ra`, { query: q() });
      expect(notFound.status).toBe(404);
      expect(notFound.body.message).toBe('Role assignment with identifier ghost_ra not found');
    });
  });

  describe('PUT /authz/api/roleassignments/{identifier}', () => {
    it('200: disables and re-enables; a disabled assignment grants nothing', async () => {
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
      const body = { identifier: ra, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' } };
      const off = await h().admin.client.put(`${PATH}/${ra}`, { ...body, disabled: true }, { query: q() });
      expect(off.status, off.text).toBe(200);
      expect(off.body.data.roleAssignment.disabled).toBe(true);
      expect((await user.client.get('/authz/api/roles/_account_viewer', { query: q() })).status).toBe(403);
      expect((await h().admin.client.put(`${PATH}/${ra}`, { ...body, disabled: false }, { query: q() })).body.data.roleAssignment.disabled).toBe(false);
      expect((await user.client.get('/authz/api/roles/_account_viewer', { query: q() })).status).toBe(200);
    });

    it('400: only disabled may change; identifiers must agree; 403; 404', async () => {
      const user = await h().createUser();
      const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
      const body = { identifier: ra, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' } };
      const role = await h().admin.client.put(`${PATH}/${ra}`, { ...body, roleIdentifier: '_account_admin' }, { query: q() });
      expect(role.status).toBe(400);
      expect(role.body.message).toBe('roleIdentifier: only disabled can be changed on a role assignment; create a new one instead');
      const mismatch = await h().admin.client.put(`${PATH}/${ra}`, { ...body, identifier: 'other' }, { query: q() });
      expect(mismatch.body.message).toBe('Role assignment identifier in the request body and the url do not match.');
      expect((await user.client.put(`${PATH}/${ra}`, { ...body, disabled: true }, { query: q() })).status).toBe(403);
      expect((await h().admin.client.put(`${PATH}/ghost`, { ...body, identifier: 'ghost' }, { query: q() })).status).toBe(404);
    });
  });

  describe('the account keeps an enabled admin', () => {
    it('400: an _account_admin assignment on a resource group that does not cover the account does not count', async () => {
      const other = await createOtherAccount(h(), 'HollowAdmin');
      const oq = { accountIdentifier: other.accountId };
      const rg = await other.client.post('/resourcegroup/api/v2/resourcegroup', {
        resourceGroup: { identifier: 'empty_rg', name: 'empty', resourceFilter: { includeAllResources: false, resources: [] } },
      }, { query: oq });
      expect(rg.status, rg.text).toBe(200);
      const hollow = await other.client.post(PATH, {
        roleIdentifier: '_account_admin', resourceGroupIdentifier: 'empty_rg', principal: { identifier: other.adminId, type: 'USER' },
      }, { query: oq });
      expect(hollow.status, hollow.text).toBe(200);
      const own = await h().store.db.selectFrom('role_assignments').select('identifier').where('account_id', '=', other.accountId)
        .where('principal_identifier', '=', other.adminId).where('resource_group_identifier', '=', '_all_resources_including_child_scopes')
        .executeTakeFirstOrThrow();
      const removed = await other.client.delete(`${PATH}/${own.identifier}`, { query: oq });
      expect(removed.status, removed.text).toBe(400);
      expect(removed.body).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(removed.body.message).toBe('This would leave the account without an enabled account admin: give another user _account_admin on _all_resources_including_child_scopes or _all_account_level_resources first');
      // UserInfo's admin flag is SPEC §3's: _account_admin at account scope, whatever the group.
      const user = await other.client.post('/ng/api/user', { email: `hollow-${unique('x').toLowerCase()}@example.com`, name: 'Hollow', password: 'hollow-password' }, { query: oq });
      expect(user.status, user.text).toBe(200);
      expect((await other.client.post(PATH, {
        roleIdentifier: '_account_admin', resourceGroupIdentifier: 'empty_rg', principal: { identifier: user.body.data.uuid, type: 'USER' },
      }, { query: oq })).status).toBe(200);
      expect((await other.client.get(`/ng/api/user/${user.body.data.uuid}`, { query: oq })).body.data.admin).toBe(true);
      // ... and on the whole account, the original one may go.
      const real = await other.client.post(PATH, {
        roleIdentifier: '_account_admin', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.body.data.uuid, type: 'USER' },
      }, { query: oq });
      expect(real.status, real.text).toBe(200);
      expect((await other.client.delete(`${PATH}/${own.identifier}`, { query: oq })).status).toBe(200);
    });

    it('400: the last _account_admin assignment can be neither deleted nor disabled; fine once another admin exists', async () => {
      const other = await createOtherAccount(h(), 'LastAdmin');
      const oq = { accountIdentifier: other.accountId };
      const own = await h().store.db.selectFrom('role_assignments').select('identifier')
        .where('account_id', '=', other.accountId).where('principal_identifier', '=', other.adminId).executeTakeFirstOrThrow();
      const body = { identifier: own.identifier, roleIdentifier: '_account_admin', resourceGroupIdentifier: '_all_resources_including_child_scopes', principal: { identifier: other.adminId, type: 'USER' }, disabled: true };
      const disable = await other.client.put(`${PATH}/${own.identifier}`, body, { query: oq });
      expect(disable.status).toBe(400);
      expect(disable.body).toMatchObject({ code: 'INVALID_REQUEST', message: 'This would leave the account without an enabled account admin: give another user _account_admin on _all_resources_including_child_scopes or _all_account_level_resources first' });
      expect((await other.client.delete(`${PATH}/${own.identifier}`, { query: oq })).status).toBe(400);

      // a second admin who is disabled does not count
      const created = await other.client.post('/ng/api/user', { email: `second-${unique('x').toLowerCase()}@example.com`, name: 'Second', password: 'second-password' }, { query: oq });
      expect(created.status, created.text).toBe(200);
      const second = created.body.data.uuid;
      const grantSecond = await other.client.post(PATH, { roleIdentifier: '_account_admin', resourceGroupIdentifier: '_all_resources_including_child_scopes', principal: { identifier: second, type: 'USER' } }, { query: oq });
      expect(grantSecond.status, grantSecond.text).toBe(200);
      await h().store.db.updateTable('users').set({ disabled: 1 }).where('id', '=', second).execute();
      expect((await other.client.delete(`${PATH}/${own.identifier}`, { query: oq })).status).toBe(400);
      await h().store.db.updateTable('users').set({ disabled: 0 }).where('id', '=', second).execute();
      expect((await other.client.delete(`${PATH}/${own.identifier}`, { query: oq })).status).toBe(200);
    });
  });
});

// With nothing cached, every permission check reads the store. On SQLite a check made inside the
// write's transaction waited for the one connection that transaction held: the request never ended.
describeEachEngine('role assignments, with no permission cached', (h) => {
  it('PUT and DELETE end, and still refuse a caller who may not manage the principal', async () => {
    const q = { accountIdentifier: h().accountId };
    const user = await h().createUser();
    const ra = await grant(h(), makeScope(h().accountId), { type: 'USER', identifier: user.id }, '_account_viewer', '_all_account_level_resources');
    const body = { identifier: ra, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' } };
    const off = await h().admin.client.put(`${PATH}/${ra}`, { ...body, disabled: true }, { query: q });
    expect(off.status, off.text).toBe(200);
    expect(off.body.data.roleAssignment.disabled).toBe(true);
    expect((await user.client.delete(`${PATH}/${ra}`, { query: q })).status).toBe(403);
    const gone = await h().admin.client.delete(`${PATH}/${ra}`, { query: q });
    expect(gone.status, gone.text).toBe(200);
    expect((await h().admin.client.get(`${PATH}/${ra}`, { query: q })).status).toBe(404);
  }, 20_000);
}, { env: { KEYSMITH_CACHE_TTL_MS: '0' } });
