// User groups (SPEC §3): every route, every status, on both engines; members give their rights.
import { describe, expect } from 'vitest';
import { makeScope } from '../../src/domain/scope.js';
import { createOtherAccount, ensureOrg, ensureProject, grant, unique } from '../helpers/access-control.js';
import { expectOtherAccountDenied } from '../helpers/expect.js';
import { describeEachEngine, it, type Harness } from '../helpers/harness.js';

const GROUP_FIELDS = ['accountIdentifier', 'createdAt', 'description', 'externallyManaged', 'harnessManaged', 'identifier',
  'lastModifiedAt', 'name', 'orgIdentifier', 'projectIdentifier', 'serviceAccounts', 'ssoLinked', 'tags', 'users'];

async function sa(h: Harness, query: Record<string, string>, id = unique('member_sa')) {
  const res = await h.admin.client.post('/ng/api/serviceaccount', { identifier: id, name: id, email: `${id}@x.io` }, { query });
  expect(res.status, res.text).toBe(200);
  return id;
}

describeEachEngine('user groups', (h) => {
  const q = () => ({ accountIdentifier: h().accountId });

  describe('POST /ng/api/user-groups', () => {
    it('200: a group with users and service accounts of its scope, audited', async () => {
      await ensureProject(h(), 'ug_org', 'ug_proj');
      const scopeQ = { ...q(), orgIdentifier: 'ug_org', projectIdentifier: 'ug_proj' };
      const member = await sa(h(), scopeQ);
      const user = await h().createUser();
      const id = unique('group');
      const res = await h().admin.client.post('/ng/api/user-groups',
        { identifier: id, name: 'Deployers', description: 'd', tags: { t: 'v' }, users: [user.id, user.id], serviceAccounts: [member] }, { query: scopeQ });
      expect(res.status, res.text).toBe(200);
      expect(Object.keys(res.body.data).sort()).toEqual(GROUP_FIELDS);
      expect(res.body.data).toMatchObject({
        identifier: id, name: 'Deployers', description: 'd', tags: { t: 'v' }, users: [user.id], serviceAccounts: [member],
        accountIdentifier: h().accountId, orgIdentifier: 'ug_org', projectIdentifier: 'ug_proj', harnessManaged: false,
      });
      const audit = await h().store.db.selectFrom('audit_events').select('action').where('resource_type', '=', 'USERGROUP').where('resource_identifier', '=', id).execute();
      expect(audit.map((a) => a.action)).toEqual(['CREATE']);
    });

    it('400 INVALID_ARGUMENT: an unknown user, or a service account of another scope, named in the message', async () => {
      await ensureOrg(h(), 'ug_org');
      const elsewhere = await sa(h(), q());
      const badUser = await h().admin.client.post('/ng/api/user-groups', { identifier: unique('g'), name: 'g', users: ['nobody'] }, { query: q() });
      expect(badUser.status).toBe(400);
      expect(badUser.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'users: no user with id nobody in this account' });
      const badSa = await h().admin.client.post('/ng/api/user-groups', { identifier: unique('g'), name: 'g', serviceAccounts: [elsewhere] },
        { query: { ...q(), orgIdentifier: 'ug_org' } });
      expect(badSa.status).toBe(400);
      expect(badSa.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: `serviceAccounts: no service account with identifier ${elsewhere} in this scope` });
    });

    it('400: schema, scope mismatch, duplicate', async () => {
      expect((await h().admin.client.post('/ng/api/user-groups', { identifier: 'bad id', name: 'g' }, { query: q() })).body.status).toBe('FAILURE');
      expect((await h().admin.client.post('/ng/api/user-groups', { identifier: 'g1', name: 'g', users: 'x' }, { query: q() })).status).toBe(400);
      const mismatch = await h().admin.client.post('/ng/api/user-groups', { identifier: unique('g'), name: 'g', accountIdentifier: 'other' }, { query: q() });
      expect(mismatch.body.message).toBe(`Invalid request: Value mismatch, previous: ${h().accountId} current: other`);
      const id = unique('g');
      expect((await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: 'g' }, { query: q() })).status).toBe(200);
      const dup = await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: 'g' }, { query: q() });
      expect(dup.status).toBe(400);
      expect(dup.body.code).toBe('DUPLICATE_FIELD');
    });

    it('401, 403, 404 (scope)', async () => {
      expect((await h().anonymous.post('/ng/api/user-groups', { identifier: 'g', name: 'g' }, { query: q() })).status).toBe(401);
      const user = await h().createUser();
      const denied = await user.client.post('/ng/api/user-groups', { identifier: 'g', name: 'g' }, { query: q() });
      expect(denied.status).toBe(403);
      expect(denied.body.failedPermissionChecks[0]).toMatchObject({ permission: 'core_usergroup_manage', resourceType: 'USERGROUP' });
      expect((await h().admin.client.post('/ng/api/user-groups', { identifier: 'g', name: 'g' }, { query: { ...q(), orgIdentifier: 'nope' } })).status).toBe(404);
    });
  });

  describe('membership gives rights', () => {
    it('a user gets the group\'s role at once, and loses it when removed from the group', async () => {
      await ensureOrg(h(), 'rights_org');
      const orgQ = { ...q(), orgIdentifier: 'rights_org' };
      const user = await h().createUser();
      const id = unique('viewers');
      await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: 'Viewers', users: [] }, { query: orgQ });
      await grant(h(), makeScope(h().accountId, 'rights_org'), { type: 'USER_GROUP', identifier: id }, '_organization_viewer', '_all_organization_level_resources');
      expect((await user.client.get('/ng/api/user-groups/' + id, { query: orgQ })).status).toBe(403);
      await h().admin.client.put('/ng/api/user-groups', { identifier: id, name: 'Viewers', users: [user.id] }, { query: orgQ });
      expect((await user.client.get('/ng/api/user-groups/' + id, { query: orgQ })).status).toBe(200);
      await h().admin.client.put(`/ng/api/user-groups/${id}`, { identifier: id, name: 'Viewers', users: [] }, { query: orgQ });
      expect((await user.client.get('/ng/api/user-groups/' + id, { query: orgQ })).status).toBe(403);
    });
  });

  describe('GET /ng/api/user-groups[/{identifier}]', () => {
    it('200: get, and a paged list filtered by searchTerm', async () => {
      await ensureOrg(h(), 'list_org');
      const orgQ = { ...q(), orgIdentifier: 'list_org' };
      const ids = [unique('alpha'), unique('beta'), unique('gamma')];
      for (const id of ids) await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: id, tags: { kind: id.split('_')[0] } }, { query: orgQ });
      const one = await h().admin.client.get(`/ng/api/user-groups/${ids[0]}`, { query: orgQ });
      expect(one.status).toBe(200);
      expect(one.body.data.identifier).toBe(ids[0]);
      const page = await h().admin.client.get('/ng/api/user-groups', { query: { ...orgQ, pageSize: 2, sortOrders: 'name,ASC' } });
      expect(page.body.data).toMatchObject({ totalItems: 3, pageItemCount: 2, totalPages: 2 });
      expect(page.body.data.content.map((g: any) => g.identifier)).toEqual(ids.slice(0, 2));
      const search = await h().admin.client.get('/ng/api/user-groups', { query: { ...orgQ, searchTerm: 'BETA' } });
      expect(search.body.data.content.map((g: any) => g.identifier)).toEqual([ids[1]]);
    });

    it('lists only what the caller may view: 200 and empty without rights; 403 for another account, nothing of it', async () => {
      const id = unique('hidden');
      await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: 'hidden' }, { query: q() });
      const user = await h().createUser();
      const list = await user.client.get('/ng/api/user-groups', { query: q() });
      expect(list.status).toBe(200);
      expect(list.body.data.content).toEqual([]);
      const other = await createOtherAccount(h());
      const cross = await other.client.get('/ng/api/user-groups', { query: q() });
      expectOtherAccountDenied(cross, h().accountId);
      expect(cross.text).not.toContain(id);
    });

    it('get: 401, 403 the same for existing and missing, 404', async () => {
      const id = unique('g');
      await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: 'g' }, { query: q() });
      expect((await h().anonymous.get(`/ng/api/user-groups/${id}`, { query: q() })).status).toBe(401);
      const user = await h().createUser();
      const a = await user.client.get(`/ng/api/user-groups/${id}`, { query: q() });
      const b = await user.client.get('/ng/api/user-groups/missing_group', { query: q() });
      expect([a.status, b.status]).toEqual([403, 403]);
      expect(a.body.message.replace(id, 'X')).toBe(b.body.message.replace('missing_group', 'X'));
      const notFound = await h().admin.client.get('/ng/api/user-groups/missing_group', { query: q() });
      expect(notFound.status).toBe(404);
      expect(notFound.body.message).toBe('User group with identifier missing_group not found');
    });
  });

  describe('PUT and DELETE /ng/api/user-groups', () => {
    it('PUT 200 replaces members; 400 identifier mismatch; 403; 404', async () => {
      const id = unique('g');
      const u1 = await h().createUser();
      await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: 'g', users: [u1.id] }, { query: q() });
      const res = await h().admin.client.put(`/ng/api/user-groups/${id}`, { identifier: id, name: 'renamed', users: [] }, { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toMatchObject({ name: 'renamed', users: [] });
      const mismatch = await h().admin.client.put(`/ng/api/user-groups/${id}`, { identifier: 'other', name: 'x' }, { query: q() });
      expect(mismatch.status).toBe(400);
      expect((await u1.client.put(`/ng/api/user-groups/${id}`, { identifier: id, name: 'x' }, { query: q() })).status).toBe(403);
      expect((await h().admin.client.put('/ng/api/user-groups', { identifier: 'ghost_g', name: 'x' }, { query: q() })).status).toBe(404);
    });

    it('DELETE 200 takes memberships and the group\'s role assignments; 403; 404', async () => {
      const id = unique('g');
      const u1 = await h().createUser();
      await h().admin.client.post('/ng/api/user-groups', { identifier: id, name: 'g', users: [u1.id] }, { query: q() });
      await grant(h(), makeScope(h().accountId), { type: 'USER_GROUP', identifier: id }, '_account_viewer', '_all_account_level_resources');
      expect((await u1.client.get(`/ng/api/user-groups/${id}`, { query: q() })).status).toBe(200);
      expect((await u1.client.delete(`/ng/api/user-groups/${id}`, { query: q() })).status).toBe(403);
      const res = await h().admin.client.delete(`/ng/api/user-groups/${id}`, { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.identifier).toBe(id);
      const db = h().store.db;
      expect(await db.selectFrom('user_group_members').select('member_identifier').where('group_identifier', '=', id).execute()).toEqual([]);
      expect(await db.selectFrom('role_assignments').select('identifier').where('principal_identifier', '=', id).execute()).toEqual([]);
      // the member's rights went with it
      expect((await u1.client.get('/ng/api/user-groups', { query: q() })).body.data.content).toEqual([]);
      expect((await h().admin.client.delete(`/ng/api/user-groups/${id}`, { query: q() })).status).toBe(404);
    });

    it('400: removing the last account admin from the group that makes them admin is refused', async () => {
      // A second tenant whose only admin is admin through a group.
      const other = await createOtherAccount(h(), 'GroupAdmins');
      const scope = makeScope(other.accountId);
      const oq = { accountIdentifier: other.accountId };
      const id = unique('admins');
      expect((await other.client.post('/ng/api/user-groups', { identifier: id, name: 'Admins', users: [other.adminId] }, { query: oq })).status).toBe(200);
      const groupGrant = await grant(h(), scope, { type: 'USER_GROUP', identifier: id }, '_account_admin', '_all_resources_including_child_scopes');
      const direct = await h().store.db.selectFrom('role_assignments').select('identifier')
        .where('account_id', '=', other.accountId).where('principal_identifier', '=', other.adminId).executeTakeFirstOrThrow();
      expect((await other.client.delete(`/authz/api/roleassignments/${direct.identifier}`, { query: oq })).status).toBe(200);
      const empty = await other.client.put(`/ng/api/user-groups/${id}`, { identifier: id, name: 'Admins', users: [] }, { query: oq });
      expect(empty.status).toBe(400);
      expect(empty.body.message).toBe('This would leave the account without an enabled account admin: give another user _account_admin on _all_resources_including_child_scopes or _all_account_level_resources first');
      expect((await other.client.delete(`/ng/api/user-groups/${id}`, { query: oq })).status).toBe(400);
      expect(groupGrant).toBeTruthy();
    });
  });
});

