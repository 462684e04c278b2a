// Token authentication (SPEC §4): headers, malformed values, INVALID_TOKEN vs EXPIRED_TOKEN, the
// account boundary, and inheritance — a token acts as its owner with the owner's rights at the
// time of the request, so removing a role, disabling or deleting the owner applies at once.
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { TokenAuthenticatorStats } from '../../src/auth/token-authenticator.js';
import { createAccount } from '../../src/store/accounts.js';
import { createHarness, describeEachEngine, it, type Harness } from '../helpers/harness.js';
import { expectError } from '../helpers/expect.js';
import { apiKeyBody, createApiKey, createToken, NG, ownerQuery, saOwner, userOwner, whoAmI } from '../helpers/api-keys.js';

let offset = 0;
const now = () => Date.now() + offset;

describeEachEngine('token authentication', (h) => {
  const stats = () => (h().services.tokens as unknown as { stats(): TokenAuthenticatorStats }).stats();

  describe('headers', () => {
    it('authenticates by x-api-key and by Authorization: Bearer, as the owning user', async () => {
      const user = await h().createUser({ name: 'Header User' });
      const value = await createToken(h(), user.client, userOwner(user.id), 'k', 't');
      const variants: Record<string, string>[] = [{ 'x-api-key': value }, { authorization: `Bearer ${value}` }, { authorization: `bearer ${value}` }];
      for (const headers of variants) {
        const res = await h().anonymous.get(`${NG}/user/currentUser`, { headers });
        expect(res.status, res.text).toBe(200);
        expect(res.body.data).toMatchObject({ uuid: user.id, email: user.email });
      }
    });

    it('ignores the session cookie when a token is present', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'k2', 't');
      const res = await h().admin.client.get(`${NG}/user/currentUser`, { headers: { 'x-api-key': value } });
      expect(res.body.data.uuid).toBe(user.id);
      const bad = await h().admin.client.get(`${NG}/user/currentUser`, { headers: { 'x-api-key': 'pat.x.y.z' } });
      expectError(bad, 401, 'INVALID_TOKEN');
    });

    it('answers any malformed value with 401 INVALID_TOKEN, never a 500', async () => {
      const value = await createToken(h(), h().admin.client, userOwner(h().admin.id), 'k', 'malformed');
      const [p, a, id, secret] = value.split('.');
      // Used once first, so that the values below naming its id meet it in the cache, where only
      // the shape is parsed and the parts are compared with the entry's.
      expect((await whoAmI(h(), value)).status).toBe(200);
      const cases = [
        `${p}.${a}.${id}.${secret.slice(0, 19)}!`, `${p}.${a}.${id}.${secret.slice(0, 19)}é`, `${p}.${a.slice(0, -1)}-.${id}.${secret}`,
        '', ' ', 'x', `${p}.${a}.${id}`, `${value}.extra`, `${p}.${a}.${id}.${secret}.`, `${p}..${id}.${secret}`,
        `${p}.${a}.${id}.${secret.slice(0, 10)}`, `${p}.${a}.${id}.${secret}!`, `${p}.${a}.${'z'.repeat(24)}.${secret}`,
        `${p}.${a}.${id.toUpperCase()}.${secret}`, `%00${value}`, value.repeat(2), 'A'.repeat(10 * 1024),
        `${p}.${a}.${id}.${'.'.repeat(20)}`, `${p}.${a};drop table tokens.${id}.${secret}`,
      ];
      for (const bad of cases) {
        const res = await h().anonymous.get(`${NG}/user/currentUser`, { headers: { 'x-api-key': bad } });
        expectError(res, 401, 'INVALID_TOKEN', 'Token is not valid.');
      }
      const tooLong = await h().anonymous.get(`${NG}/apikey`, { headers: { authorization: `Bearer ${'b'.repeat(10 * 1024)}` } });
      expectError(tooLong, 401, 'INVALID_TOKEN');
      expect((await whoAmI(h(), value)).status).toBe(200);
    });
  });

  describe('INVALID_TOKEN vs EXPIRED_TOKEN', () => {
    it('refuses a wrong secret, an unknown id, a swapped prefix or account with INVALID_TOKEN', async () => {
      const value = await createToken(h(), h().admin.client, userOwner(h().admin.id), 'k', 'shapes');
      const [p, a, id, secret] = value.split('.');
      const otherSecret = secret.split('').reverse().join('') === secret ? 'Z'.repeat(20) : secret.split('').reverse().join('');
      // Used once first, so each refusal below also goes through the cached (promise-free) path.
      expect((await whoAmI(h(), value)).status).toBe(200);
      for (const bad of [
        [p, a, id, otherSecret], [p, a, 'f'.repeat(24), secret], ['sat', a, id, secret], [p, 'Abcdefghijklmnopqrstuv', id, secret],
      ]) {
        expectError(await whoAmI(h(), bad.join('.')), 401, 'INVALID_TOKEN', 'Token is not valid.');
      }
      expect((await whoAmI(h(), value)).status).toBe(200);
    });

    it('answers EXPIRED_TOKEN past validTo, INVALID_TOKEN before validFrom', async () => {
      const user = await h().createUser();
      const expiring = await createToken(h(), user.client, userOwner(user.id), 'k', 'expiring', { validTo: now() + 60_000 });
      const future = await createToken(h(), user.client, userOwner(user.id), 'k', 'future', { validFrom: now() + 120_000, validTo: now() + 500_000 });
      expect((await whoAmI(h(), expiring)).status).toBe(200);
      expectError(await whoAmI(h(), future), 401, 'INVALID_TOKEN');
      offset += 130_000;
      try {
        expectError(await whoAmI(h(), expiring), 401, 'EXPIRED_TOKEN', 'Token expired.');
        expect((await whoAmI(h(), future)).status).toBe(200);
      } finally {
        offset -= 130_000;
      }
    });
  });

  describe('the account boundary', () => {
    it('a token never acts in another account: 401 INVALID_TOKEN for a query or body naming it', async () => {
      const other = await createAccount(h().store.db, h().store.engine, { name: 'Other', adminEmail: `other-${Date.now()}@example.com`, password: 'other-password-1' });
      const otherAdmin = await h().login(other.adminEmail, 'other-password-1');
      const otherToken = await createToken(h(), otherAdmin, userOwner(other.adminUserId), 'k', 't', { accountIdentifier: other.accountId });
      expect((await h().tokenClient(otherToken).get(`${NG}/apikey`)).status).toBe(200); // cached from here on
      const byQuery = await h().tokenClient(otherToken).get(`${NG}/apikey`, { query: { accountIdentifier: h().accountId } });
      expectError(byQuery, 401, 'INVALID_TOKEN');
      const byBody = await h().tokenClient(otherToken).post(`${NG}/apikey`, { ...apiKeyBody(h(), userOwner(other.adminUserId), 'x'), accountIdentifier: h().accountId });
      expectError(byBody, 401, 'INVALID_TOKEN');
      // Without any account named, it acts in its own.
      const own = await h().tokenClient(otherToken).get(`${NG}/apikey`);
      expect(own.status).toBe(200);
      expect(own.body.data.every((k: any) => k.accountIdentifier === other.accountId)).toBe(true);
      // A cookie user of the other account asking about this one gets 403.
      const cookie = await otherAdmin.get(`${NG}/apikey/aggregate/k`, { query: ownerQuery(h(), userOwner(h().admin.id)) });
      expectError(cookie, 403, 'NG_ACCESS_DENIED');
    });
  });

  describe('inheritance: the owner, now', () => {
    it("a role taken away applies to the owner's token at the next request (403)", async () => {
      const user = await h().createUser();
      const victim = await h().createUser();
      await createApiKey(h(), victim.client, userOwner(victim.id), 'victim_key');
      const grant = await h().grantRole({ type: 'USER', identifier: user.id }, '_account_admin');
      const token = await createToken(h(), user.client, userOwner(user.id), 'k', 't');
      const read = () => h().tokenClient(token).get(`${NG}/apikey/aggregate/victim_key`, { query: ownerQuery(h(), userOwner(victim.id)) });
      expect((await read()).status).toBe(200);
      await h().revokeRole(grant);
      expectError(await read(), 403, 'NG_ACCESS_DENIED');
    });

    it("a service account's token carries the service account's roles, and loses them with it", async () => {
      const sa = await h().seedServiceAccount();
      const target = await h().seedServiceAccount();
      const grant = await h().grantRole({ type: 'SERVICE_ACCOUNT', identifier: sa.identifier }, '_account_admin');
      const sat = await createToken(h(), h().admin.client, saOwner(sa), 'k', 't');
      const who = await whoAmI(h(), sat);
      expect(who.status, who.text).toBe(200);
      expect(who.body.data.uuid).toBe(sa.identifier);
      // UserInfo.admin: true for holders of _account_admin at account scope (SPEC §3), a service account among them.
      expect(who.body.data.admin).toBe(true);
      const create = (id: string) => h().tokenClient(sat).post(`${NG}/apikey`, apiKeyBody(h(), saOwner(target), id));
      expect((await create('by_sat')).status).toBe(200);
      await h().revokeRole(grant);
      expectError(await create('by_sat_2'), 403, 'NG_ACCESS_DENIED');
      expect((await whoAmI(h(), sat)).body.data.admin).toBe(false);
    });

    it('disabling the owner makes its tokens 401 at once; enabling it again restores them', async () => {
      const user = await h().createUser();
      const token = await createToken(h(), user.client, userOwner(user.id), 'k', 't');
      expect((await whoAmI(h(), token)).status).toBe(200);
      const disable = await h().admin.client.put(`${NG}/user/${user.id}`, { disabled: true }, { query: { accountIdentifier: h().accountId } });
      expect(disable.status, disable.text).toBe(200);
      expectError(await whoAmI(h(), token), 401, 'INVALID_TOKEN');
      await h().admin.client.put(`${NG}/user/${user.id}`, { disabled: false }, { query: { accountIdentifier: h().accountId } });
      expect((await whoAmI(h(), token)).status).toBe(200);
    });

    it('deleting the owner (user or service account) makes its tokens 401 at once', async () => {
      const user = await h().createUser();
      const token = await createToken(h(), user.client, userOwner(user.id), 'k', 't');
      expect((await whoAmI(h(), token)).status).toBe(200);
      const del = await h().admin.client.delete(`${NG}/user/${user.id}`, { query: { accountIdentifier: h().accountId } });
      expect(del.status, del.text).toBe(200);
      expectError(await whoAmI(h(), token), 401, 'INVALID_TOKEN');

      const sa = await h().seedServiceAccount();
      const sat = await createToken(h(), h().admin.client, saOwner(sa), 'k', 't');
      expect((await whoAmI(h(), sat)).status).toBe(200);
      const delSa = await h().admin.client.delete(`${NG}/serviceaccount/${sa.identifier}`, { query: { accountIdentifier: h().accountId } });
      expect(delSa.status, delSa.text).toBe(200);
      expectError(await whoAmI(h(), sat), 401, 'INVALID_TOKEN');
    });
  });

  describe('cascades', () => {
    it("deleting a project takes its service accounts' keys and tokens with it, effective at once", async () => {
      const project = await h().admin.client.post(`${NG}/projects`, { project: { identifier: 'doomed_proj', orgIdentifier: 'default', name: 'Doomed' } },
        { query: { accountIdentifier: h().accountId, orgIdentifier: 'default' } });
      expect(project.status, project.text).toBe(200);
      const sa = await h().seedServiceAccount({ scope: { orgIdentifier: 'default', projectIdentifier: 'doomed_proj' } });
      const sat = await createToken(h(), h().admin.client, saOwner(sa), 'k', 't');
      expect((await whoAmI(h(), sat)).status).toBe(200);
      const del = await h().admin.client.delete(`${NG}/projects/doomed_proj`, { query: { accountIdentifier: h().accountId, orgIdentifier: 'default' } });
      expect(del.status, del.text).toBe(200);
      expectError(await whoAmI(h(), sat), 401, 'INVALID_TOKEN');
      expect(await h().store.db.selectFrom('tokens').select('id').where('id', '=', sat.split('.')[2]).execute()).toEqual([]);
    });
  });

  describe('the verification cache', () => {
    it('serves repeat requests from memory and drops entries on every kind of invalidation event', async () => {
      const user = await h().createUser();
      const kinds = ['token', 'principal', 'account', 'all'] as const;
      for (const kind of kinds) {
        const value = await createToken(h(), user.client, userOwner(user.id), 'cache', `t_${kind}`);
        const tokenId = value.split('.')[2];
        expect((await whoAmI(h(), value)).status).toBe(200);
        // Deleted behind the service's back: the cached verification still answers...
        await h().store.db.deleteFrom('tokens').where('id', '=', tokenId).execute();
        expect((await whoAmI(h(), value)).status).toBe(200);
        // ... until an invalidation event covering it arrives.
        h().services.invalidation.publish(
          kind === 'token' ? { kind, tokenIds: [tokenId] }
            : kind === 'principal' ? { kind, accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: user.id }
              : kind === 'account' ? { kind, accountIdentifier: h().accountId } : { kind });
        expectError(await whoAmI(h(), value), 401, 'INVALID_TOKEN');
      }
    });

    it("keeps verified tokens through changes of permissions only: assignments, roles, resource groups, groups, a creator's grant", async () => {
      const admin = h().admin;
      const value = await createToken(h(), admin.client, userOwner(admin.id), 'cache', 'perm_only');
      const tokenId = value.split('.')[2];
      expect((await whoAmI(h(), value)).status).toBe(200);
      // Deleted behind the service's back: from here on only the cached verification answers 200,
      // so each 200 below shows that the change did not drop it.
      await h().store.db.deleteFrom('tokens').where('id', '=', tokenId).execute();
      const q = { query: { accountIdentifier: h().accountId } };
      const ok = async (res: Promise<{ status: number; text: string; body: any }>) => {
        const r = await res;
        expect(r.status, r.text).toBe(200);
        expect((await whoAmI(h(), value)).status).toBe(200);
        return r;
      };
      const assignmentBody = {
        roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
        principal: { identifier: admin.id, type: 'USER' },
      };
      const assignment = (await ok(admin.client.post('/authz/api/roleassignments', assignmentBody, q))).body.data.roleAssignment.identifier;
      await ok(admin.client.put(`/authz/api/roleassignments/${assignment}`, { ...assignmentBody, disabled: true }, q));
      await ok(admin.client.delete(`/authz/api/roleassignments/${assignment}`, q));
      const role = { identifier: 'perm_only_role', name: 'perm only', permissions: ['core_audit_view'] };
      await ok(admin.client.post('/authz/api/roles', role, q));
      await ok(admin.client.put(`/authz/api/roles/${role.identifier}`, { ...role, permissions: ['core_role_view'] }, q));
      await ok(admin.client.delete(`/authz/api/roles/${role.identifier}`, q));
      const group = (resourceType: string) => ({
        resourceGroup: {
          identifier: 'perm_only_rg', name: 'perm only', accountIdentifier: h().accountId,
          includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId }],
          resourceFilter: { includeAllResources: false, resources: [{ resourceType }] },
        },
      });
      await ok(admin.client.post('/resourcegroup/api/v2/resourcegroup', group('ORGANIZATION'), q));
      await ok(admin.client.put('/resourcegroup/api/v2/resourcegroup/perm_only_rg', group('PROJECT'), q));
      await ok(admin.client.delete('/resourcegroup/api/v2/resourcegroup/perm_only_rg', q));
      const userGroup = { identifier: 'perm_only_group', name: 'perm only', users: [admin.id] };
      await ok(admin.client.post('/ng/api/user-groups', userGroup, q));
      await ok(admin.client.put('/ng/api/user-groups/perm_only_group', { ...userGroup, users: [] }, q));
      await ok(admin.client.delete('/ng/api/user-groups/perm_only_group', q));
      // The creator of an organization and a project is granted its admin role.
      await ok(admin.client.post('/ng/api/organizations', { organization: { identifier: 'perm_only_org', name: 'perm only' } }, q));
      await ok(admin.client.post('/ng/api/projects', { project: { identifier: 'perm_only_project', name: 'perm only', orgIdentifier: 'perm_only_org' } },
        { query: { accountIdentifier: h().accountId, orgIdentifier: 'perm_only_org' } }));
      // An event that does not say so is taken as more than permissions: the entry goes.
      h().services.invalidation.publish({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: admin.id });
      expectError(await whoAmI(h(), value), 401, 'INVALID_TOKEN');
    });

    it('compares every later secret with the one that matched the stored hash, never with one that did not', async () => {
      const { tokens } = h().services;
      const value = await createToken(h(), h().admin.client, userOwner(h().admin.id), 'k', 'secrets');
      const [p, a, id, secret] = value.split('.') as [string, string, string, string];
      const withSecret = (s: string) => [p, a, id, s].join('.');
      const refused = async (s: string) => {
        expect(tokens.authenticateCached(withSecret(s), now(), undefined)).toBeNull();
        await expect(tokens.authenticate(withSecret(s), now(), undefined)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
      };
      // A wrong secret first, while nothing is cached: it must not become what later ones are compared with.
      const wrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
      await refused(wrong);
      await refused(wrong);
      expect((await tokens.authenticate(value, now(), undefined)).identifier).toBe(h().admin.id);
      expect(tokens.authenticateCached(value, now(), undefined)?.identifier).toBe(h().admin.id);
      for (let i = 0; i < secret.length; i++) {
        const c = secret.charCodeAt(i);
        // Another letter or digit at one place; the same character plus 0x100 (its latin1 byte is the
        // same, so a comparison of bytes alone would let it through); a character outside the BMP.
        const other = String.fromCharCode(c === 0x5a ? 0x59 : c === 0x7a ? 0x79 : c === 0x39 ? 0x38 : c + 1);
        for (const replacement of [other, String.fromCharCode(c + 0x100), '\u{1F511}']) {
          await refused(secret.slice(0, i) + replacement + secret.slice(i + 1));
        }
      }
      await refused(secret + 'A');
      await refused(secret.slice(1));
      expect(tokens.authenticateCached(value, now(), undefined)?.identifier).toBe(h().admin.id);
    });

    it('remembers unknown ids in the negative cache', async () => {
      const before = stats().negative;
      const unknown = `pat.${h().accountId}.${'a'.repeat(23)}1.${'Q'.repeat(20)}`;
      expectError(await whoAmI(h(), unknown), 401, 'INVALID_TOKEN');
      expect(stats().negative).toBe(before + 1);
      expectError(await whoAmI(h(), unknown), 401, 'INVALID_TOKEN');
      expect(stats().negative).toBe(before + 1);
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' }, now });

// SQLite only: its one connection runs the queries in the order they were made, which this test
// needs (the first load reads the token, then it is deleted, then a second request comes). The rule
// itself does not depend on the engine.
describe('token authentication: a load already running when an invalidation comes [sqlite]', () => {
  let h: Harness & { close(): Promise<void> };
  beforeAll(async () => { h = await createHarness('sqlite'); });
  afterAll(async () => { await h.close(); });

  it('a request that comes after an invalidation does not join a load that started before it', async () => {
    const user = await h.createUser();
    const value = await createToken(h, user.client, userOwner(user.id), 'cache', 't_pending');
    const tokenId = value.split('.')[2];
    const { tokens, invalidation } = h.services;
    const first = tokens.authenticate(value, now());
    const deleted = h.store.db.deleteFrom('tokens').where('id', '=', tokenId).execute();
    invalidation.publish({ kind: 'token', tokenIds: [tokenId] });
    const second = tokens.authenticate(value, now());
    await expect(first).resolves.toMatchObject({ type: 'USER', identifier: user.id });
    await deleted;
    await expect(second).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
  });
});
