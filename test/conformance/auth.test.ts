// Conformance, SPEC §2-§5 on who is calling: 401s and their exact messages, login and the session,
// the CSRF rule, a token winning over a cookie, tokens and cookies of another account, UserInfo for
// cookie, PAT and SAT callers, and the per-key 429 in Harness's plain text.
import { describe, expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { createApiKey, createToken, NG, ownerQuery, saOwner, tokenBody, userOwner } from '../helpers/api-keys.js';
import { createOtherAccount } from '../helpers/access-control.js';
import { expectErrorDto, expectSuccess, sortedKeys, USER_INFO_FIELDS } from './support.js';

let frozen: number | null = null;
const now = () => frozen ?? Date.now();

describeEachEngine('conformance: authentication', (h) => {
  const admin = () => h().admin;
  const A = () => h().accountId;

  describe('401', () => {
    it('no credentials: UNAUTHORIZED "Authentication required", on reads and writes, under every prefix', async () => {
      const anon = h().anonymous;
      for (const res of [
        await anon.get(`${NG}/apikey`, { query: { accountIdentifier: A() } }),
        await anon.get('/gateway/ng/api/token/aggregate', { query: { accountIdentifier: A() } }),
        await anon.post(`${NG}/apikey`, { identifier: 'x' }, { query: { accountIdentifier: A() } }),
        await anon.post(`${NG}/token`, {}, { query: { accountIdentifier: A() } }),
        await anon.delete(`${NG}/token/all`, { query: { accountIdentifier: A() } }),
        await anon.get(`${NG}/user/currentUser`),
        await anon.get('/authz/api/roles', { query: { accountIdentifier: A() } }),
        await anon.get('/gateway/resourcegroup/api/v2/resourcegroup', { query: { accountIdentifier: A() } }),
        await anon.get('/api/auth/session'),
        // authenticate → authorize → look up, even when there is nothing to look up
        await anon.get(`${NG}/no/such/route`),
        await anon.request('PATCH', `${NG}/apikey/x`),
      ]) expectErrorDto(res, 401, 'UNAUTHORIZED', 'Authentication required');
    });

    it('a malformed, unknown or wrong token: INVALID_TOKEN "Token is not valid." (an empty header too)', async () => {
      const value = await createToken(h(), admin().client, userOwner(admin().id), 'auth_key', 'auth_tok');
      const [p, acc, id, secret] = value.split('.');
      for (const bad of ['garbage', `${p}.${acc}.${id}.${'Z'.repeat(20)}`, `${p}.${acc}.${'f'.repeat(24)}.${secret}`, `sat.${acc}.${id}.${secret}`,
        `${p}.${acc}x.${id}.${secret}`, `${value}x`, 'Bearer']) {
        expectErrorDto(await h().tokenClient(bad).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN', 'Token is not valid.');
      }
      expectErrorDto(await h().anonymous.get(`${NG}/user/currentUser`, { headers: { authorization: 'Bearer nonsense' } }), 401, 'INVALID_TOKEN', 'Token is not valid.');
      // An empty Bearer token is a token, as an empty x-api-key is; another scheme is no token at all.
      for (const authorization of ['Bearer', 'bearer   ']) {
        expectErrorDto(await h().anonymous.get(`${NG}/user/currentUser`, { headers: { authorization } }), 401, 'INVALID_TOKEN', 'Token is not valid.');
      }
      for (const authorization of ['Bearerx', 'Basic YWRtaW46YWRtaW4=']) {
        expectErrorDto(await h().anonymous.get(`${NG}/user/currentUser`, { headers: { authorization } }), 401, 'UNAUTHORIZED', 'Authentication required');
      }
    });

    it('a failed login: UNAUTHORIZED "Invalid email or password", the same for an unknown email and a wrong password', async () => {
      const wrong = await h().anonymous.post('/api/auth/login', { email: admin().email, password: 'not-the-password' });
      const unknown = await h().anonymous.post('/api/auth/login', { email: 'nobody-at-all@example.com', password: 'not-the-password' });
      expectErrorDto(wrong, 401, 'UNAUTHORIZED', 'Invalid email or password');
      expectErrorDto(unknown, 401, 'UNAUTHORIZED', 'Invalid email or password');
      expect({ ...wrong.body, correlationId: null }).toEqual({ ...unknown.body, correlationId: null });
    });
  });

  describe('login throttling', () => {
    it('after 10 failures for one email: 429 TOO_MANY_REQUESTS as JSON, with Retry-After', async () => {
      const email = 'throttle-me@example.com';
      for (let i = 0; i < 10; i++) expectErrorDto(await h().anonymous.post('/api/auth/login', { email, password: 'wrong-password' }), 401, 'UNAUTHORIZED', 'Invalid email or password');
      const res = await h().anonymous.post('/api/auth/login', { email, password: 'wrong-password' });
      expectErrorDto(res, 429, 'TOO_MANY_REQUESTS');
      expect(String(res.headers['retry-after'])).toMatch(/^[1-9][0-9]*$/);
    });
  });

  describe('console session', () => {
    it('login sets an HttpOnly SameSite=Lax cookie and answers UserInfo plus csrfToken; /api/auth/session the same', async () => {
      const user = await h().createUser({ name: 'Console User' });
      const res = await h().anonymous.post('/api/auth/login', { email: user.email, password: user.password });
      const data = expectSuccess(res);
      expect(sortedKeys(data)).toEqual([...USER_INFO_FIELDS, 'csrfToken'].sort());
      expect(data).toMatchObject({ uuid: user.id, name: 'Console User', email: user.email, defaultAccountId: A(), admin: false, disabled: false });
      expect(data.accounts).toEqual([{ uuid: A(), accountName: expect.any(String) }]);
      expect(typeof data.csrfToken).toBe('string');
      const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('keysmith_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      const session = expectSuccess(await h().anonymous.get('/api/auth/session', { headers: { cookie: cookie.split(';')[0] } }));
      expect(session).toEqual(data);
    });

    it('CSRF: a cookie POST/PUT/DELETE without the right X-CSRF-Token → 403 ACCESS_DENIED; GET needs none; login needs none', async () => {
      const user = await h().createUser();
      const noCsrf = user.client.with({ 'x-csrf-token': '' });
      const wrongCsrf = user.client.with({ 'x-csrf-token': 'not-it' });
      const owner = userOwner(user.id);
      for (const client of [noCsrf, wrongCsrf]) {
        expectErrorDto(await client.post(`${NG}/apikey`, { identifier: 'csrf_k', name: 'x', apiKeyType: 'USER', parentIdentifier: user.id }, { query: { accountIdentifier: A() } }), 403, 'ACCESS_DENIED');
        expectErrorDto(await client.put(`${NG}/apikey/${A()}`, { identifier: 'csrf_k', name: 'x', apiKeyType: 'USER', parentIdentifier: user.id }), 403, 'ACCESS_DENIED');
        expectErrorDto(await client.delete(`${NG}/apikey/csrf_k`, { query: ownerQuery(h(), owner) }), 403, 'ACCESS_DENIED');
        expectErrorDto(await client.post('/api/auth/logout', {}), 403, 'ACCESS_DENIED');
        expectSuccess(await client.get(`${NG}/apikey`, { query: { accountIdentifier: A() } }));
      }
      // The same request with the header works.
      await createApiKey(h(), user.client, owner, 'csrf_k');
      // Login carries no CSRF token and needs none.
      expectSuccess(await h().anonymous.post('/api/auth/login', { email: user.email, password: user.password }));
    });

    it('logout ends the session on the server', async () => {
      const user = await h().createUser();
      expect(expectSuccess(await user.client.post('/api/auth/logout', {}))).toBe(true);
      expectErrorDto(await user.client.get(`${NG}/user/currentUser`), 401, 'UNAUTHORIZED', 'Authentication required');
    });
  });

  describe('a token and a cookie together', () => {
    it('the token alone authenticates: the cookie is ignored, so no CSRF is needed and a bad token is a 401', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'both_key', 'both_tok');
      // The admin's cookie (and no CSRF header) with the user's token: the caller is the user.
      const both = admin().client.with({ 'x-api-key': value, 'x-csrf-token': '' });
      expect(expectSuccess(await both.get(`${NG}/user/currentUser`)).uuid).toBe(user.id);
      expectSuccess(await both.post(`${NG}/token`, tokenBody(h(), userOwner(user.id), 'both_key', 'made_by_token'), { query: { accountIdentifier: A() } }));
      const badToken = admin().client.with({ 'x-api-key': 'pat.bad' });
      expectErrorDto(await badToken.get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN', 'Token is not valid.');
      expectErrorDto(await admin().client.with({ authorization: 'Bearer pat.bad' }).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN');
    });
  });

  describe('another account', () => {
    it('a token of account X with accountIdentifier=Y → 401 INVALID_TOKEN (query or body alone)', async () => {
      const other = await createOtherAccount(h());
      const value = await createToken(h(), admin().client, userOwner(admin().id), 'xacc_key', 'xacc_tok');
      const t = h().tokenClient(value);
      for (const res of [
        await t.get(`${NG}/apikey`, { query: { accountIdentifier: other.accountId } }),
        await t.get(`${NG}/user/currentUser`, { query: { accountIdentifier: other.accountId } }),
        await t.get(`${NG}/serviceaccount/aggregate`, { query: { accountIdentifier: other.accountId } }),
        await t.post(`${NG}/token`, tokenBody(h(), userOwner(admin().id), 'xacc_key', 'x2', { accountIdentifier: other.accountId })),
        await t.put(`${NG}/apikey/${other.accountId}`, { identifier: 'xacc_key', name: 'n', accountIdentifier: other.accountId, apiKeyType: 'USER', parentIdentifier: admin().id }),
      ]) expectErrorDto(res, 401, 'INVALID_TOKEN', 'Token is not valid.');
      // Its own account is fine.
      expectSuccess(await t.get(`${NG}/apikey`, { query: { accountIdentifier: A() } }));
    });

    it('a cookie user of X asking about Y → 403 NG_ACCESS_DENIED, lists included', async () => {
      const other = await createOtherAccount(h());
      for (const res of [
        await admin().client.get(`${NG}/apikey`, { query: { accountIdentifier: other.accountId } }),
        await admin().client.get(`${NG}/serviceaccount/aggregate`, { query: { accountIdentifier: other.accountId } }),
        await admin().client.get(`${NG}/token/aggregate`, { query: { accountIdentifier: other.accountId } }),
        await admin().client.get(`${NG}/user/currentUser`, { query: { accountIdentifier: other.accountId } }),
      ]) {
        expectErrorDto(res, 403, 'NG_ACCESS_DENIED');
        expect(res.body.failedPermissionChecks[0]).toMatchObject({ resourceType: 'ACCOUNT', resourceIdentifier: other.accountId });
        for (const check of res.body.failedPermissionChecks) expect(sortedKeys(check)).toEqual(['permission', 'resourceIdentifier', 'resourceScope', 'resourceType']);
      }
      // Two different accounts named at once: never the caller's own answer, never a 500.
      const both = await admin().client.get(`${NG}/user/currentUser`, { query: { accountIdentifier: [A(), other.accountId] } });
      expect(both.status).toBe(403);
    });
  });

  describe('the console-session endpoints and a service account token', () => {
    it('say the service account has no session or password (400), never "Authentication required"', async () => {
      const robot = await h().seedServiceAccount({ identifier: 'nosession_sa' });
      const t = h().tokenClient(await createToken(h(), admin().client, saOwner(robot), 'nosession_key', 'nosession_tok'));
      expectErrorDto(await t.get('/api/auth/session'), 400, 'INVALID_REQUEST', 'A service account has no console session: its tokens are its only credentials');
      expectErrorDto(await t.put('/api/auth/password', { currentPassword: 'abcdefgh', newPassword: 'abcdefghijkl' }), 400, 'INVALID_REQUEST',
        'A service account has no password: its tokens are its only credentials');
      // Its own account named in currentUser is fine.
      expect(expectSuccess(await t.get(`${NG}/user/currentUser`, { query: { accountIdentifier: A() } })).uuid).toBe('nosession_sa');
    });
  });

  describe('NG_ACCESS_DENIED', () => {
    it('carries failedPermissionChecks and the Harness message; the same 403 for an existing and a missing resource', async () => {
      const sa = await h().seedServiceAccount({ identifier: 'guarded_sa' });
      const robot = await h().seedServiceAccount({ identifier: 'robot_sa', name: 'Robot' });
      const robotToken = await createToken(h(), admin().client, saOwner(robot), 'robot_key', 'robot_tok');
      const t = h().tokenClient(robotToken);
      const existing = await t.post(`${NG}/apikey`, { identifier: 'k', name: 'k', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier }, { query: { accountIdentifier: A() } });
      expectErrorDto(existing, 403, 'NG_ACCESS_DENIED',
        `Principal of type SERVICE_ACCOUNT with identifier robot_sa : Missing permission core_serviceaccount_manageapikey on serviceaccount with identifier guarded_sa`);
      expect(existing.body.failedPermissionChecks).toEqual([{
        resourceScope: { accountIdentifier: A(), orgIdentifier: null, projectIdentifier: null },
        resourceType: 'SERVICEACCOUNT', resourceIdentifier: 'guarded_sa', permission: 'core_serviceaccount_manageapikey',
      }]);
      const missing = await t.get(`${NG}/serviceaccount/aggregate/no_such_sa`, { query: { accountIdentifier: A() } });
      const present = await t.get(`${NG}/serviceaccount/aggregate/guarded_sa`, { query: { accountIdentifier: A() } });
      expectErrorDto(missing, 403, 'NG_ACCESS_DENIED');
      expectErrorDto(present, 403, 'NG_ACCESS_DENIED');
      const norm = (body: any, id: string) => JSON.parse(JSON.stringify({ ...body, correlationId: null }).split(id).join('<id>'));
      expect(norm(missing.body, 'no_such_sa')).toEqual(norm(present.body, 'guarded_sa'));
      // Lists are filtered, never refused.
      expect(expectSuccess(await t.get(`${NG}/serviceaccount/aggregate`, { query: { accountIdentifier: A() } })).content).toEqual([]);
    });
  });

  describe('UserInfo (GET /ng/api/user/currentUser)', () => {
    it('for a cookie, a PAT and a SAT caller: {uuid, name, email, defaultAccountId, admin, disabled, accounts}', async () => {
      const cookie = expectSuccess(await admin().client.get(`${NG}/user/currentUser`));
      expect(sortedKeys(cookie)).toEqual(USER_INFO_FIELDS);
      expect(cookie).toMatchObject({ uuid: admin().id, email: admin().email, defaultAccountId: A(), admin: true, disabled: false });
      expect(cookie.accounts).toEqual([{ uuid: A(), accountName: expect.any(String) }]);

      const pat = await createToken(h(), admin().client, userOwner(admin().id), 'ui_key', 'ui_tok');
      const viaPat = expectSuccess(await h().tokenClient(pat).get(`${NG}/user/currentUser`));
      expect(viaPat).toEqual(cookie);
      expect(expectSuccess(await h().tokenClient(pat).get('/gateway/ng/api/user/currentUser', { query: { accountIdentifier: A() } }))).toEqual(cookie);

      const sa = await h().seedServiceAccount({ identifier: 'ui_sa', name: 'UI Robot' });
      const sat = await createToken(h(), admin().client, saOwner(sa), 'ui_sa_key', 'ui_sa_tok');
      const viaSat = expectSuccess(await h().tokenClient(sat).get(`${NG}/user/currentUser`));
      expect(sortedKeys(viaSat)).toEqual(USER_INFO_FIELDS);
      expect(viaSat).toEqual({ uuid: 'ui_sa', name: 'UI Robot', email: sa.email, defaultAccountId: A(), admin: false, disabled: false, accounts: cookie.accounts });
    });
  });

  describe('per-key 429', () => {
    it('is text/plain, exactly "Too Many requests. Throttled. Max QPS: <Q with one decimal>", with Retry-After in whole seconds', async () => {
      frozen = Date.now();
      try {
        const user = await h().createUser();
        const owner = userOwner(user.id);
        for (const [key, qps, shown] of [['rl_half', 0.5, '0.5'], ['rl_two', 2, '2.0'], ['rl_twohalf', 2.5, '2.5']] as const) {
          await createApiKey(h(), user.client, owner, key, { rateLimitQps: qps });
          const value = await createToken(h(), user.client, owner, key, `${key}_tok`);
          const t = h().tokenClient(value);
          const allowed = Math.max(1, Math.floor(qps));
          for (let i = 0; i < allowed; i++) expectSuccess(await t.get(`${NG}/user/currentUser`));
          const res = await t.get(`${NG}/user/currentUser`);
          expect(res.status).toBe(429);
          expect(res.headers['content-type']).toMatch(/^text\/plain(;|$)/);
          expect(res.text).toBe(`Too Many requests. Throttled. Max QPS: ${shown}`);
          expect(String(res.headers['retry-after'])).toMatch(/^[1-9][0-9]*$/);
        }
      } finally { frozen = null; }
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' }, now });
