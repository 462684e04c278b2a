// Users (SPEC §3): create, list, get, update, delete, currentUser; the last-admin rule; what a
// disabled or deleted user leaves behind (nothing that still works).
import { beforeAll, describe, expect } from 'vitest';
import { describeEachEngine, it, type Harness } from '../helpers/harness.js';
import { expectDenied, expectError, expectFailure, expectOtherAccountDenied, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import { randomString } from '../../src/domain/ids.js';
import type { InvalidationEvent } from '../../src/services.js';
import { asTokenOf, createApiKey, createToken, userOwner, whoAmI } from '../helpers/api-keys.js';

const BASE = '/ng/api/user';

type TestUser = Awaited<ReturnType<Harness['createUser']>>;

/** Makes a user an account admin the way bootstrap does: an `_account_admin` assignment at account scope. */
async function makeAccountAdmin(h: Harness, userId: string): Promise<void> {
  const now = Date.now();
  await h.store.db.insertInto('role_assignments').values({
    account_id: h.accountId, org_identifier: '', project_identifier: '', identifier: `ra_${randomString(10)}`,
    role_identifier: '_account_admin', resource_group_identifier: '_all_resources_including_child_scopes',
    principal_type: 'USER', principal_identifier: userId, principal_scope_level: 'account', disabled: 0, managed: 0,
    created_at: now, last_modified_at: now,
  }).execute();
}

describeEachEngine('users', (h) => {
  let outsider: TestUser; // no roles at all
  const events: InvalidationEvent[] = [];
  const q = () => ({ query: { accountIdentifier: h().accountId } });
  const newUser = (extra: Record<string, unknown> = {}) =>
    ({ email: `new-${randomString(8).toLowerCase()}@example.com`, name: 'New Person', password: 'correct horse battery', ...extra });

  beforeAll(async () => {
    outsider = await h().createUser({ name: 'Outsider' });
    h().services.invalidation.subscribe((e) => events.push(e));
  });

  describe('POST /user', () => {
    it('200: creates a user (email stored lower-case) who can then log in; no password in the audit', async () => {
      const email = `Mixed.Case-${randomString(6)}@Example.com`;
      const res = await h().admin.client.post(BASE, { email, name: "Zoë O'Brien", password: 'a-long-password' }, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toEqual({
        uuid: expect.stringMatching(/^[A-Za-z0-9]{22}$/), name: "Zoë O'Brien", email: email.toLowerCase(),
        defaultAccountId: h().accountId, admin: false, disabled: false, accounts: [{ uuid: h().accountId, accountName: 'Default' }],
      });
      await h().login(email.toLowerCase(), 'a-long-password');
      const audit = await h().store.db.selectFrom('audit_events').selectAll()
        .where('resource_identifier', '=', res.body.data.uuid).where('action', '=', 'CREATE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.after!)).toEqual({ uuid: res.body.data.uuid, email: email.toLowerCase(), name: "Zoë O'Brien", disabled: false });
      expect(JSON.stringify(audit)).not.toContain('a-long-password');
    });

    it('400 DUPLICATE_FIELD for an email already in use, whatever its case', async () => {
      const res = await h().admin.client.post(BASE, newUser({ email: outsider.email.toUpperCase() }), q());
      expectError(res, 400, 'DUPLICATE_FIELD', `A user with email ${outsider.email} already exists; use a different email`);
    });

    it('400 DUPLICATE_FIELD for the same email in another Unicode form (NFC and NFD), which also signs in', async () => {
      const tag = randomString(6).toLowerCase();
      const composed = `j\u00f6rg.${tag}@example.com`;
      const decomposed = `jo\u0308rg.${tag}@example.com`;
      const created = await h().admin.client.post(BASE, newUser({ email: decomposed, password: 'a-long-password' }), q());
      expect(created.status, created.text).toBe(200);
      expect(created.body.data.email).toBe(composed);
      expectError(await h().admin.client.post(BASE, newUser({ email: composed }), q()), 400, 'DUPLICATE_FIELD');
      for (const email of [composed, decomposed, composed.toUpperCase()]) {
        expect((await h().anonymous.post('/api/auth/login', { email, password: 'a-long-password' })).status, email).toBe(200);
      }
    });

    it('400 for an invalid email, a password outside 8..256, a blank or wrong-typed name, missing fields', async () => {
      expectFailure(await h().admin.client.post(BASE, newUser({ email: 'not-an-email' }), q()), 'email');
      const short = await h().admin.client.post(BASE, newUser({ password: 'seven77' }), q());
      expectFailure(short, 'password');
      expect(short.body.message).toContain('password: must be at least 8 characters');
      expectFailure(await h().admin.client.post(BASE, newUser({ password: 'x'.repeat(257) }), q()), 'password');
      expectFailure(await h().admin.client.post(BASE, newUser({ name: '   ' }), q()), 'name');
      expectFailure(await h().admin.client.post(BASE, newUser({ name: 42 }), q()), 'name');
      // Nothing that would steer the terminal the start-up banner or the CLI prints them on.
      for (const control of ['\u001b[31m', '\u0007', '\u009b', '\u202e', '\u0000']) {
        expectFailure(await h().admin.client.post(BASE, newUser({ email: `a${control}b@example.com` }), q()), 'email');
        expectFailure(await h().admin.client.post(BASE, newUser({ name: `Eve${control}` }), q()), 'name');
      }
      // The direction marks a name written in two scripts needs are no control.
      const marked = await h().admin.client.post(BASE, newUser({ name: 'Dana \u200fדנה\u200e Levi' }), q());
      expect(marked.status, marked.text).toBe(200);
      expectFailure(await h().admin.client.post(BASE, {}, q()), 'email', 'name', 'password');
      expectError(await h().admin.client.request('POST', `${BASE}?accountIdentifier=${h().accountId}`, '{"email"',
        { headers: { 'content-type': 'application/json' } }), 400, 'INVALID_REQUEST');
    });

    it('413 for a body over 1 MiB', async () => {
      expectError(await h().admin.client.post(BASE, newUser({ name: 'x'.repeat(1024 * 1024 + 1) }), q()), 413, 'INVALID_REQUEST', 'Request body too large');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.post(BASE, newUser(), q()));
    });

    it('403 for a user without core_user_manage, and for another account (on the account itself)', async () => {
      expectDenied(await outsider.client.post(BASE, newUser(), q()), 'core_user_manage', null);
      const elsewhere = newUser();
      expectOtherAccountDenied(await h().admin.client.post(BASE, elsewhere, { query: { accountIdentifier: 'SomeOtherAccount' } }), 'SomeOtherAccount');
      expect(await h().store.db.selectFrom('users').select('id').where('email', '=', elsewhere.email).execute()).toEqual([]);
    });
  });

  describe('GET /user/currentUser', () => {
    it('200 for a console session: the admin is an admin, a plain user is not', async () => {
      const admin = await h().admin.client.get(`${BASE}/currentUser`);
      expect(admin.status).toBe(200);
      expect(admin.body.data).toMatchObject({ uuid: h().admin.id, email: h().admin.email, admin: true, disabled: false, defaultAccountId: h().accountId });
      const plain = await outsider.client.get(`${BASE}/currentUser`);
      expect(plain.body.data).toMatchObject({ uuid: outsider.id, admin: false });
    });

    it('200 for a user\'s token and for a service account\'s token (its identifier as uuid, never admin)', async () => {
      const user = await asTokenOf(h(), {
        type: 'USER', identifier: h().admin.id, accountIdentifier: h().accountId, email: h().admin.email, name: 'Admin',
        via: 'token', token: { tokenId: 'a'.repeat(24), apiKeyId: randomString(24), apiKeyIdentifier: 'k', apiKeyType: 'USER' }, sessionIdHash: null,
      }, (c) => c.get(`${BASE}/currentUser`));
      expect(user.body.data).toMatchObject({ uuid: h().admin.id, admin: true });
      const sa = await asTokenOf(h(), {
        type: 'SERVICE_ACCOUNT', identifier: 'build_bot', accountIdentifier: h().accountId, email: 'build_bot@service.local',
        name: 'Build bot', scope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null }, via: 'token',
        token: { tokenId: 'b'.repeat(24), apiKeyId: randomString(24), apiKeyIdentifier: 'k', apiKeyType: 'SERVICE_ACCOUNT' }, sessionIdHash: null,
      }, (c) => c.get(`${BASE}/currentUser`));
      expect(sa.status, sa.text).toBe(200);
      expect(sa.body.data).toEqual({
        uuid: 'build_bot', name: 'Build bot', email: 'build_bot@service.local', defaultAccountId: h().accountId,
        admin: false, disabled: false, accounts: [{ uuid: h().accountId, accountName: 'Default' }],
      });
    });

    it('200 for a real token, as of the request: a rename, and _account_admin granted or removed (directly or through a group), show at once', async () => {
      const user = await h().createUser({ name: 'Before Rename' });
      // A key of its own may not lift its limit above the account's (that needs core_account_edit): the
      // account's budget is raised for this test instead.
      await h().admin.client.put('/ng/api/account-settings', { apiKeyQps: 1000 }, q());
      try {
        await createApiKey(h(), user.client, userOwner(user.id), 'k_current_user');
        const token = await createToken(h(), user.client, userOwner(user.id), 'k_current_user', 't');
        const me = async () => {
          const res = await whoAmI(h(), token);
          expect(res.status, res.text).toBe(200);
          return res.body.data;
        };
        expect(await me()).toEqual({
          uuid: user.id, name: 'Before Rename', email: user.email, defaultAccountId: h().accountId,
          admin: false, disabled: false, accounts: [{ uuid: h().accountId, accountName: 'Default' }],
        });
        expect((await user.client.put(`${BASE}/${user.id}`, { name: 'After Rename' }, q())).status).toBe(200);
        expect(await me()).toMatchObject({ name: 'After Rename', admin: false });
        expect(await user.client.get(`${BASE}/currentUser`).then((r) => r.body.data)).toMatchObject({ name: 'After Rename', admin: false });

        const direct = await h().grantRole({ type: 'USER', identifier: user.id }, '_account_admin');
        expect((await me()).admin).toBe(true);
        await h().revokeRole(direct);
        expect((await me()).admin).toBe(false);

        const group = `g_${randomString(8)}`;
        const groupBody = (users: string[]) => ({ identifier: group, name: group, users, accountIdentifier: h().accountId });
        expect((await h().admin.client.post('/ng/api/user-groups', groupBody([user.id]), q())).status).toBe(200);
        await h().grantRole({ type: 'USER_GROUP', identifier: group }, '_account_admin');
        expect((await me()).admin).toBe(true);
        expect(await user.client.get(`${BASE}/currentUser`).then((r) => r.body.data.admin)).toBe(true);
        expect((await h().admin.client.put(`/ng/api/user-groups/${group}`, groupBody([]), q())).status).toBe(200);
        expect((await me()).admin).toBe(false);
        expect(await user.client.get(`${BASE}/currentUser`).then((r) => r.body.data.admin)).toBe(false);
      } finally {
        await h().admin.client.put('/ng/api/account-settings', { apiKeyQps: null }, q());
      }
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${BASE}/currentUser`));
    });
  });

  describe('GET /user/aggregate', () => {
    it('200: users with admin flags and their role assignments, managed and custom, named', async () => {
      const member = await h().createUser({ name: 'Role Holder' });
      const now = Date.now();
      await h().store.db.insertInto('roles').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', identifier: 'key_reader', name: 'Key Reader',
        description: '', tags: '{}', permissions: '["core_serviceaccount_view"]', allowed_scope_levels: '["account"]', created_at: now, last_modified_at: now,
      }).execute();
      await h().store.db.insertInto('role_assignments').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', identifier: 'ra_custom', role_identifier: 'key_reader',
        resource_group_identifier: '_all_account_level_resources', principal_type: 'USER', principal_identifier: member.id,
        principal_scope_level: 'account', disabled: 0, managed: 1, created_at: now, last_modified_at: now,
      }).execute();

      const res = await h().admin.client.get(`${BASE}/aggregate`, q());
      expect(res.status, res.text).toBe(200);
      const byId = new Map(res.body.data.content.map((i: any) => [i.user.uuid, i]));
      expect(byId.get(h().admin.id)).toMatchObject({
        user: { uuid: h().admin.id, email: h().admin.email, admin: true, disabled: false, createdAt: expect.any(Number), lastModifiedAt: expect.any(Number) },
        roleAssignmentMetadata: [{
          identifier: expect.any(String), roleIdentifier: '_account_admin', roleName: 'Account Admin',
          resourceGroupIdentifier: '_all_resources_including_child_scopes', resourceGroupName: 'All Resources Including Child Scopes',
          managedRole: true, managedRoleAssignment: false,
        }],
      });
      expect(byId.get(member.id)).toEqual({
        user: { uuid: member.id, name: 'Role Holder', email: member.email, disabled: false, admin: false, createdAt: expect.any(Number), lastModifiedAt: expect.any(Number) },
        roleAssignmentMetadata: [{
          identifier: 'ra_custom', roleIdentifier: 'key_reader', roleName: 'Key Reader', resourceGroupIdentifier: '_all_account_level_resources',
          resourceGroupName: 'All Account Level Resources', managedRole: false, managedRoleAssignment: true,
        }],
      });
      expect(byId.get(outsider.id)).toMatchObject({ roleAssignmentMetadata: [] });
    });

    it('200: at an organization scope it shows the assignments there', async () => {
      const created = await h().admin.client.post('/ng/api/organizations', { organization: { identifier: 'people_org', name: 'People' } }, q());
      expect(created.status).toBe(200);
      const res = await h().admin.client.get(`${BASE}/aggregate`, { query: { accountIdentifier: h().accountId, orgIdentifier: 'people_org' } });
      const admin = res.body.data.content.find((i: any) => i.user.uuid === h().admin.id);
      expect(admin.roleAssignmentMetadata.map((m: any) => m.roleIdentifier)).toEqual(['_organization_admin']);
    });

    it('200: searches name and email literally, and pages', async () => {
      const tag = randomString(6).toLowerCase();
      for (const n of [1, 2, 3]) await h().createUser({ name: `Searchable ${n}`, email: `find-${tag}-${n}@example.com` });
      const byEmail = await h().admin.client.get(`${BASE}/aggregate`, { query: { accountIdentifier: h().accountId, searchTerm: `FIND-${tag}`, pageSize: 2 } });
      expect(byEmail.body.data).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 2, pageSize: 2 });
      const byName = await h().admin.client.get(`${BASE}/aggregate`, { query: { accountIdentifier: h().accountId, searchTerm: 'searchable 2' } });
      expect(byName.body.data.content.map((i: any) => i.user.name)).toEqual(['Searchable 2']);
      const regex = await h().admin.client.get(`${BASE}/aggregate`, { query: { accountIdentifier: h().accountId, searchTerm: 'find-.*' } });
      expect(regex.body.data.totalItems).toBe(0);
      const sorted = await h().admin.client.get(`${BASE}/aggregate`, { query: { accountIdentifier: h().accountId, searchTerm: tag, sortOrders: 'email,DESC' } });
      expect(sorted.body.data.content.map((i: any) => i.user.name)).toEqual(['Searchable 3', 'Searchable 2', 'Searchable 1']);
    });

    it('200 filtered to what the caller may view: a user without core_user_view does not see the others', async () => {
      const res = await outsider.client.get(`${BASE}/aggregate`, q());
      expect(res.status).toBe(200);
      expect(res.body.data.content.map((i: any) => i.user.uuid)).not.toContain(h().admin.id);
    });

    it('400 for pageSize above 100', async () => {
      expectError(await h().admin.client.get(`${BASE}/aggregate`, { query: { accountIdentifier: h().accountId, pageSize: 101 } }), 400, 'INVALID_REQUEST');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${BASE}/aggregate`, q()));
    });
  });

  describe('GET /user/{uuid}', () => {
    it('200 with the UserInfo', async () => {
      const res = await h().admin.client.get(`${BASE}/${outsider.id}`, q());
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ uuid: outsider.id, email: outsider.email, admin: false, disabled: false });
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${BASE}/${outsider.id}`, q()));
    });

    it('403 for a user without core_user_view', async () => {
      expectDenied(await outsider.client.get(`${BASE}/${h().admin.id}`, q()), 'core_user_view', h().admin.id);
    });

    it('404 for a missing user', async () => {
      expectError(await h().admin.client.get(`${BASE}/NoSuchUser000000000000`, q()), 404, 'ENTITY_NOT_FOUND', 'User with identifier NoSuchUser000000000000 not found');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.client.get(`${BASE}/${h().admin.id}`, q()), await outsider.client.get(`${BASE}/NoSuchUser000000000000`, q()),
        h().admin.id, 'NoSuchUser000000000000');
    });
  });

  describe('PUT /user/{uuid}', () => {
    it('200: an admin renames a user; the change is audited', async () => {
      const user = await h().createUser({ name: 'Before' });
      const res = await h().admin.client.put(`${BASE}/${user.id}`, { name: 'After' }, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toMatchObject({ uuid: user.id, name: 'After', disabled: false });
      const audit = await h().store.db.selectFrom('audit_events').selectAll().where('resource_identifier', '=', user.id)
        .where('action', '=', 'UPDATE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.before!)).toEqual({ name: 'Before', disabled: false });
      expect(JSON.parse(audit.after!)).toEqual({ name: 'After', disabled: false });
    });

    it('200: a user without any role renames themself', async () => {
      const user = await h().createUser({ name: 'Self' });
      const res = await user.client.put(`${BASE}/${user.id}`, { name: 'Self Renamed', disabled: null }, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.name).toBe('Self Renamed');
    });

    it('200: disabling ends the user\'s sessions and tokens at once; enabling lets them back in', async () => {
      const user = await h().createUser();
      events.length = 0;
      const res = await h().admin.client.put(`${BASE}/${user.id}`, { disabled: true }, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.disabled).toBe(true);
      expectUnauthenticated(await user.client.get(`${BASE}/currentUser`));
      expect((await h().anonymous.post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(401);
      expect(events).toContainEqual({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: user.id });
      expect((await h().admin.client.put(`${BASE}/${user.id}`, { disabled: false }, q())).body.data.disabled).toBe(false);
      await h().login(user.email, user.password);
    });

    it('400: nobody can disable the last enabled account admin; with a second admin it is allowed', async () => {
      expectError(await h().admin.client.put(`${BASE}/${h().admin.id}`, { disabled: true }, q()), 400, 'INVALID_REQUEST',
        'Cannot disable the last enabled account admin: make another user an account admin first');
      const second = await h().createUser({ name: 'Second Admin' });
      await makeAccountAdmin(h(), second.id);
      const disabled = await h().admin.client.put(`${BASE}/${second.id}`, { disabled: true }, q());
      expect(disabled.status, disabled.text).toBe(200);
      // The second admin is disabled, so the first is again the last enabled one.
      expectError(await h().admin.client.put(`${BASE}/${h().admin.id}`, { disabled: true }, q()), 400, 'INVALID_REQUEST');
      expect((await h().admin.client.delete(`${BASE}/${second.id}`, q())).status).toBe(200);
    });

    it('400 for wrong-typed fields', async () => {
      expectFailure(await h().admin.client.put(`${BASE}/${outsider.id}`, { name: 5 }, q()), 'name');
      expectFailure(await h().admin.client.put(`${BASE}/${outsider.id}`, { disabled: 'yes' }, q()), 'disabled');
      expectFailure(await h().admin.client.put(`${BASE}/${outsider.id}`, { name: '' }, q()), 'name');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.put(`${BASE}/${outsider.id}`, { name: 'x' }, q()));
    });

    it('403 for renaming someone else, or disabling anyone (themself included), without core_user_manage', async () => {
      expectDenied(await outsider.client.put(`${BASE}/${h().admin.id}`, { name: 'Hijacked' }, q()), 'core_user_manage', h().admin.id);
      expectDenied(await outsider.client.put(`${BASE}/${outsider.id}`, { disabled: true }, q()), 'core_user_manage', outsider.id);
      expect((await h().admin.client.get(`${BASE}/${h().admin.id}`, q())).body.data.name).not.toBe('Hijacked');
    });

    it('403 for a user re-enabling themself while the store says disabled (their token still cached on this instance)', async () => {
      const user = await h().createUser({ name: 'Racer' });
      const token = await createToken(h(), user.client, userOwner(user.id), 'k_racer', 't');
      await h().services.tokens.authenticate(token, Date.now()); // cached, without spending the key's one request a second
      // An admin's disable that has committed, before its invalidation reached this instance.
      await h().store.db.updateTable('users').set({ disabled: 1 }).where('id', '=', user.id).execute();
      const res = await h().tokenClient(token).put(`${BASE}/${user.id}`, { name: 'Racer', disabled: false }, q());
      expectDenied(res, 'core_user_manage', user.id);
      expect((await h().store.db.selectFrom('users').select('disabled').where('id', '=', user.id).executeTakeFirstOrThrow()).disabled).toBeTruthy();
    });

    it('404 for a missing user', async () => {
      expectError(await h().admin.client.put(`${BASE}/Missing0000000000000000`, { name: 'x' }, q()), 404, 'ENTITY_NOT_FOUND');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.client.put(`${BASE}/${h().admin.id}`, { name: 'x' }, q()),
        await outsider.client.put(`${BASE}/Missing0000000000000000`, { name: 'x' }, q()), h().admin.id, 'Missing0000000000000000');
    });
  });

  describe('DELETE /user/{uuid}', () => {
    it('200: deletes the user with their API keys, tokens, memberships, grants and sessions', async () => {
      const user = await h().createUser();
      const db = h().store.db;
      const now = Date.now();
      const keyId = randomString(24);
      await db.insertInto('api_keys').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', id: keyId, identifier: 'my_key', api_key_type: 'USER',
        parent_identifier: user.id, name: 'k', description: '', tags: '{}', default_time_to_expire_token: 1000, rate_limit_qps: null,
        created_at: now, last_modified_at: now,
      }).execute();
      await db.insertInto('tokens').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', id: randomString(24).toLowerCase(), api_key_id: keyId,
        api_key_identifier: 'my_key', api_key_type: 'USER', parent_identifier: user.id, identifier: 't', name: 't', description: '',
        tags: '{}', secret_hash: 'h', valid_from: now, valid_to: now + 1000, scheduled_expire_time: null, created_at: now,
        last_modified_at: now, last_used_at: null,
      }).execute();
      await db.insertInto('user_groups').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', identifier: 'g_del', name: 'g', description: '', tags: '{}',
        created_at: now, last_modified_at: now,
      }).execute();
      await db.insertInto('user_group_members').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', group_identifier: 'g_del', member_type: 'USER', member_identifier: user.id,
      }).execute();
      await makeAccountAdmin(h(), user.id);
      events.length = 0;

      const res = await h().admin.client.delete(`${BASE}/${user.id}`, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toBe(true);
      for (const [table, column] of [['api_keys', 'parent_identifier'], ['tokens', 'parent_identifier'], ['user_group_members', 'member_identifier'],
        ['role_assignments', 'principal_identifier']] as const) {
        expect(await db.selectFrom(table).select('account_id').where(column, '=', user.id).execute(), table).toEqual([]);
      }
      expect(await db.selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute()).toEqual([]);
      expect(await db.selectFrom('users').select('id').where('id', '=', user.id).execute()).toEqual([]);
      expect(await db.selectFrom('user_groups').select('identifier').where('identifier', '=', 'g_del').execute()).toHaveLength(1);
      expectUnauthenticated(await user.client.get(`${BASE}/currentUser`));
      expect(events).toContainEqual({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: user.id });
      const audit = await db.selectFrom('audit_events').selectAll().where('resource_identifier', '=', user.id).where('action', '=', 'DELETE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.after!).deletedContents).toEqual({ apiKeys: 1, tokens: 1, groupMemberships: 1, roleAssignments: 1, sessions: 1 });
    });

    it('400: nobody can delete the last enabled account admin', async () => {
      expectError(await h().admin.client.delete(`${BASE}/${h().admin.id}`, q()), 400, 'INVALID_REQUEST',
        'Cannot delete the last enabled account admin: make another user an account admin first');
      expect((await h().admin.client.get(`${BASE}/currentUser`)).status).toBe(200);
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.delete(`${BASE}/${outsider.id}`, q()));
    });

    it('403 for a user without core_user_manage', async () => {
      expectDenied(await outsider.client.delete(`${BASE}/${h().admin.id}`, q()), 'core_user_manage', h().admin.id);
    });

    it('404 for a missing user', async () => {
      expectError(await h().admin.client.delete(`${BASE}/Missing0000000000000000`, q()), 404, 'ENTITY_NOT_FOUND');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.client.delete(`${BASE}/${h().admin.id}`, q()), await outsider.client.delete(`${BASE}/Missing0000000000000000`, q()),
        h().admin.id, 'Missing0000000000000000');
    });
  });
});
