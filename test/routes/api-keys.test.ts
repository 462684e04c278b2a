// API-key endpoints (SPEC §3): one test per status each can return, the existence-leak cases, and
// what real Harness clients send (PUT with the account id in the path and no query).
import { describe, expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { expectError, expectFailure, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import {
  apiKeyBody, createApiKey, createToken, NG, ownerQuery, saOwner, userOwner, whoAmI,
} from '../helpers/api-keys.js';

describeEachEngine('API keys', (h) => {
  const admin = () => h().admin;

  describe('POST /apikey', () => {
    it('200: creates a personal key with defaults, and a service account key', async () => {
      const data = await createApiKey(h(), admin().client, userOwner(admin().id), 'create_ok');
      expect(data).toEqual({
        identifier: 'create_ok', name: 'create_ok name', description: 'a key', tags: { team: 'platform' },
        accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null, apiKeyType: 'USER',
        parentIdentifier: admin().id, defaultTimeToExpireToken: 2_592_000_000, rateLimitQps: null,
      });
      const sa = await h().seedServiceAccount({ scope: { orgIdentifier: 'default', projectIdentifier: 'default_project' } });
      const saKey = await createApiKey(h(), admin().client, saOwner(sa), 'sa_key', { defaultTimeToExpireToken: 60_000, rateLimitQps: 2.5 });
      expect(saKey).toMatchObject({ apiKeyType: 'SERVICE_ACCOUNT', orgIdentifier: 'default', projectIdentifier: 'default_project', defaultTimeToExpireToken: 60_000, rateLimitQps: 2.5 });
    });

    it('answers under /gateway/ng/api too', async () => {
      const res = await admin().client.post('/gateway/ng/api/apikey', apiKeyBody(h(), userOwner(admin().id), 'gateway_key'), { query: { accountIdentifier: h().accountId } });
      expect(res.status).toBe(200);
    });

    it('400: schema failures, strict types, reserved words', async () => {
      const owner = userOwner(admin().id);
      expectFailure(await admin().client.post(`${NG}/apikey`, { ...apiKeyBody(h(), owner, 'x'), name: 123 }), 'name');
      expectFailure(await admin().client.post(`${NG}/apikey`, { ...apiKeyBody(h(), owner, 'x'), identifier: 'true' }), 'identifier');
      expectFailure(await admin().client.post(`${NG}/apikey`, { ...apiKeyBody(h(), owner, 'x'), apiKeyType: 'ROBOT' }), 'apiKeyType');
      expectFailure(await admin().client.post(`${NG}/apikey`, { ...apiKeyBody(h(), owner, 'x'), rateLimitQps: 0 }), 'rateLimitQps');
      // Below one request per 1,000 s a window outgrows Redis's expiry and Retry-After's whole seconds.
      expectFailure(await admin().client.post(`${NG}/apikey`, { ...apiKeyBody(h(), owner, 'x'), rateLimitQps: 5e-324 }), 'rateLimitQps');
      expectFailure(await admin().client.post(`${NG}/apikey`, { ...apiKeyBody(h(), owner, 'x'), rateLimitQps: 0.0009 }), 'rateLimitQps');
      const { identifier: _i, ...noIdentifier } = apiKeyBody(h(), owner, 'x');
      expectFailure(await admin().client.post(`${NG}/apikey`, noIdentifier), 'identifier');
    });

    it('400: a body account that contradicts the query', async () => {
      const res = await admin().client.post(`${NG}/apikey`, { ...apiKeyBody(h(), userOwner(admin().id), 'mismatch'), accountIdentifier: 'other' },
        { query: { accountIdentifier: h().accountId } });
      expectError(res, 400, 'INVALID_REQUEST', `Invalid request: Value mismatch, previous: ${h().accountId} current: other`);
    });

    it('400 DUPLICATE_FIELD for an identifier already used by the owner', async () => {
      await createApiKey(h(), admin().client, userOwner(admin().id), 'dup_key');
      const res = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), userOwner(admin().id), 'dup_key'));
      expectError(res, 400, 'DUPLICATE_FIELD', 'Try using different Key name, [dup_key] already exists');
    });

    it('400 Maximum limit has reached past the per-owner limit (5)', async () => {
      const user = await h().createUser();
      for (let i = 0; i < 5; i++) await createApiKey(h(), user.client, userOwner(user.id), `limit_${i}`);
      const res = await user.client.post(`${NG}/apikey`, apiKeyBody(h(), userOwner(user.id), 'limit_5'));
      expectError(res, 400, 'INVALID_REQUEST', 'Maximum limit has reached');
      // The limit is per scope.
      await createApiKey(h(), user.client, { ...userOwner(user.id), orgIdentifier: 'default' }, 'limit_org');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.post(`${NG}/apikey`, apiKeyBody(h(), userOwner(admin().id), 'anon')));
    });

    it("403: nobody creates another user's key, not even an admin; a SA key needs manageapikey", async () => {
      const user = await h().createUser();
      const res = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), userOwner(user.id), 'not_mine'));
      expectError(res, 403, 'NG_ACCESS_DENIED');
      expect(res.body.failedPermissionChecks[0]).toMatchObject({ resourceType: 'USER', resourceIdentifier: user.id });
      const sa = await h().seedServiceAccount();
      const denied = await user.client.post(`${NG}/apikey`, apiKeyBody(h(), saOwner(sa), 'sa_denied'));
      expectError(denied, 403, 'NG_ACCESS_DENIED');
      expect(denied.body.failedPermissionChecks[0]).toMatchObject({
        permission: 'core_serviceaccount_manageapikey', resourceType: 'SERVICEACCOUNT', resourceIdentifier: sa.identifier,
      });
    });

    it('404: a missing service account, a missing organization', async () => {
      const missingSa = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), { apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'ghost_sa' }, 'k'));
      expectError(missingSa, 404, 'ENTITY_NOT_FOUND', 'Service account with identifier ghost_sa not found');
      const missingOrg = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), { ...userOwner(admin().id), orgIdentifier: 'nowhere' }, 'k'));
      expectError(missingOrg, 404, 'ENTITY_NOT_FOUND');
    });
  });

  describe('PUT /apikey/{identifier}', () => {
    it('200: the body decides — the account id in the path and no query, as the Terraform provider sends', async () => {
      await createApiKey(h(), admin().client, userOwner(admin().id), 'put_key', { rateLimitQps: 3 });
      const res = await admin().client.put(`${NG}/apikey/${h().accountId}`, {
        identifier: 'put_key', name: 'Renamed', accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: admin().id,
        defaultTimeToExpireToken: 1000,
      });
      expect(res.status, res.text).toBe(200);
      // name replaced, description and tags cleared (not sent), rateLimitQps kept (Harness clients never send it)
      expect(res.body.data).toMatchObject({ identifier: 'put_key', name: 'Renamed', description: '', tags: {}, defaultTimeToExpireToken: 1000, rateLimitQps: 3 });
      const cleared = await admin().client.put(`${NG}/apikey/put_key`, { ...apiKeyBody(h(), userOwner(admin().id), 'put_key'), rateLimitQps: null });
      expect(cleared.body.data).toMatchObject({ rateLimitQps: null, defaultTimeToExpireToken: 1000, description: 'a key' });
    });

    it('400 on a schema failure', async () => {
      expectFailure(await admin().client.put(`${NG}/apikey/x`, { ...apiKeyBody(h(), userOwner(admin().id), 'x'), tags: ['a'] }), 'tags');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.put(`${NG}/apikey/x`, apiKeyBody(h(), userOwner(admin().id), 'x')));
    });

    it("403 for another user's key, the same whether it exists or not", async () => {
      const user = await h().createUser();
      await createApiKey(h(), user.client, userOwner(user.id), 'theirs');
      const existing = await admin().client.put(`${NG}/apikey/theirs`, apiKeyBody(h(), userOwner(user.id), 'theirs'));
      const missing = await admin().client.put(`${NG}/apikey/nothing`, apiKeyBody(h(), userOwner(user.id), 'nothing'));
      expectSameDenial(existing, missing, 'theirs', 'nothing');
    });

    it('404 for a missing key', async () => {
      const res = await admin().client.put(`${NG}/apikey/missing`, apiKeyBody(h(), userOwner(admin().id), 'missing_key'));
      expectError(res, 404, 'ENTITY_NOT_FOUND', 'API key with identifier missing_key not found');
    });
  });

  describe('DELETE /apikey/{identifier}', () => {
    it('200: deletes the key and its tokens, which stop working at once', async () => {
      const user = await h().createUser();
      const token = await createToken(h(), user.client, userOwner(user.id), 'doomed', 't1');
      expect((await whoAmI(h(), token)).status).toBe(200);
      const res = await user.client.delete(`${NG}/apikey/doomed`, { query: ownerQuery(h(), userOwner(user.id)) });
      expect(res.status).toBe(200);
      expect(res.body.data).toBe(true);
      expectError(await whoAmI(h(), token), 401, 'INVALID_TOKEN', 'Token is not valid.');
      const left = await h().store.db.selectFrom('tokens').select('id').where('api_key_identifier', '=', 'doomed').execute();
      expect(left).toEqual([]);
    });

    it("200: an admin (core_user_manage) deletes another user's key", async () => {
      const user = await h().createUser();
      await createApiKey(h(), user.client, userOwner(user.id), 'admin_deletes');
      const res = await admin().client.delete(`${NG}/apikey/admin_deletes`, { query: ownerQuery(h(), userOwner(user.id)) });
      expect(res.status).toBe(200);
    });

    it('400 without apiKeyType / parentIdentifier', async () => {
      expectFailure(await admin().client.delete(`${NG}/apikey/x`, { query: { accountIdentifier: h().accountId } }), 'apiKeyType', 'parentIdentifier');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.delete(`${NG}/apikey/x`, { query: ownerQuery(h(), userOwner(admin().id)) }));
    });

    it("403 for another user's key without core_user_manage, existing or not", async () => {
      const a = await h().createUser();
      const b = await h().createUser();
      await createApiKey(h(), a.client, userOwner(a.id), 'a_key');
      const existing = await b.client.delete(`${NG}/apikey/a_key`, { query: ownerQuery(h(), userOwner(a.id)) });
      const missing = await b.client.delete(`${NG}/apikey/no_key`, { query: ownerQuery(h(), userOwner(a.id)) });
      expectSameDenial(existing, missing, 'a_key', 'no_key');
      expect(existing.body.failedPermissionChecks[0].permission).toBe('core_user_manage');
    });

    it('404 for a missing key', async () => {
      expectError(await admin().client.delete(`${NG}/apikey/gone`, { query: ownerQuery(h(), userOwner(admin().id)) }), 404, 'ENTITY_NOT_FOUND');
    });
  });

  describe('GET /apikey and /apikey/aggregate', () => {
    it('200: lists an owner\'s keys, with repeated identifiers params as a list', async () => {
      const user = await h().createUser();
      for (const id of ['l_a', 'l_b', 'l_c']) await createApiKey(h(), user.client, userOwner(user.id), id);
      const all = await user.client.get(`${NG}/apikey`, { query: ownerQuery(h(), userOwner(user.id)) });
      expect(all.body.data.map((k: any) => k.identifier).sort()).toEqual(['l_a', 'l_b', 'l_c']);
      const some = await user.client.get(`${NG}/apikey`, { query: ownerQuery(h(), userOwner(user.id), { identifiers: ['l_a', 'l_c'] }) });
      expect(some.body.data.map((k: any) => k.identifier).sort()).toEqual(['l_a', 'l_c']);
    });

    it("200: lists without parentIdentifier cover every owner the caller may see — another user sees only their own", async () => {
      const a = await h().createUser();
      const b = await h().createUser();
      await createApiKey(h(), a.client, userOwner(a.id), 'inv_a');
      await createApiKey(h(), b.client, userOwner(b.id), 'inv_b');
      const asA = await a.client.get(`${NG}/apikey/aggregate`, { query: { accountIdentifier: h().accountId, pageSize: 100 } });
      expect(asA.status).toBe(200);
      const owners = new Set(asA.body.data.content.map((x: any) => x.apiKey.parentIdentifier));
      expect([...owners]).toEqual([a.id]);
      const asAdmin = await admin().client.get(`${NG}/apikey/aggregate`, { query: { accountIdentifier: h().accountId, searchTerm: 'inv_', pageSize: 100 } });
      expect(asAdmin.body.data.content.map((x: any) => x.apiKey.identifier).sort()).toEqual(['inv_a', 'inv_b']);
      // Another user's owner filter gives an empty list, not a 403.
      const filtered = await a.client.get(`${NG}/apikey`, { query: ownerQuery(h(), userOwner(b.id)) });
      expect(filtered.status).toBe(200);
      expect(filtered.body.data).toEqual([]);
    });

    it('200: pages, sorts and counts tokens', async () => {
      const user = await h().createUser();
      for (const id of ['p_1', 'p_2', 'p_3']) await createApiKey(h(), user.client, userOwner(user.id), id);
      await createToken(h(), user.client, userOwner(user.id), 'p_2', 'tok');
      const res = await user.client.get(`${NG}/apikey/aggregate`, {
        query: ownerQuery(h(), userOwner(user.id), { pageSize: 2, pageIndex: 0, sortOrders: 'identifier,DESC' }),
      });
      expect(res.body.data).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 2, pageSize: 2, pageIndex: 0, empty: false });
      expect(res.body.data.content.map((x: any) => [x.apiKey.identifier, x.tokensCount])).toEqual([['p_3', 0], ['p_2', 1]]);
      expect(res.body.data.content[0]).toEqual({ apiKey: expect.any(Object), createdAt: expect.any(Number), lastModifiedAt: expect.any(Number), tokensCount: 0 });
    });

    it('400: pageSize over 100', async () => {
      expectError(await admin().client.get(`${NG}/apikey/aggregate`, { query: { accountIdentifier: h().accountId, pageSize: 101 } }),
        400, 'INVALID_REQUEST', 'pageSize must be at most 100');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${NG}/apikey`));
      expectUnauthenticated(await h().anonymous.get(`${NG}/apikey/aggregate`));
    });
  });

  describe('GET /apikey/aggregate/{identifier}', () => {
    it('200: reads a key back', async () => {
      await createApiKey(h(), admin().client, userOwner(admin().id), 'agg_one');
      const res = await admin().client.get(`${NG}/apikey/aggregate/agg_one`, { query: ownerQuery(h(), userOwner(admin().id)) });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ apiKey: { identifier: 'agg_one' }, tokensCount: 0 });
    });

    it('400 without apiKeyType / parentIdentifier', async () => {
      expectFailure(await admin().client.get(`${NG}/apikey/aggregate/x`, { query: { accountIdentifier: h().accountId } }), 'apiKeyType');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${NG}/apikey/aggregate/x`, { query: ownerQuery(h(), userOwner(admin().id)) }));
    });

    it('403, the same for an existing and a missing key (no existence leak)', async () => {
      const a = await h().createUser();
      const b = await h().createUser();
      await createApiKey(h(), a.client, userOwner(a.id), 'secret_key');
      const existing = await b.client.get(`${NG}/apikey/aggregate/secret_key`, { query: ownerQuery(h(), userOwner(a.id)) });
      const missing = await b.client.get(`${NG}/apikey/aggregate/other_key`, { query: ownerQuery(h(), userOwner(a.id)) });
      expectSameDenial(existing, missing, 'secret_key', 'other_key');
      const sa = await h().seedServiceAccount();
      const saExisting = await b.client.get(`${NG}/apikey/aggregate/k`, { query: ownerQuery(h(), saOwner(sa)) });
      const saMissing = await b.client.get(`${NG}/apikey/aggregate/k`, { query: ownerQuery(h(), { apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'no_such_sa' }) });
      expectSameDenial(saExisting, saMissing, sa.identifier, 'no_such_sa');
    });

    it('404 ENTITY_NOT_FOUND for a missing key the caller may see', async () => {
      expectError(await admin().client.get(`${NG}/apikey/aggregate/none`, { query: ownerQuery(h(), userOwner(admin().id)) }),
        404, 'ENTITY_NOT_FOUND', 'API key with identifier none not found');
    });
  });

  describe('audit', () => {
    it('records create, update and delete of keys', async () => {
      const user = await h().createUser();
      await createApiKey(h(), user.client, userOwner(user.id), 'audited_key');
      await user.client.put(`${NG}/apikey/x`, apiKeyBody(h(), userOwner(user.id), 'audited_key', { name: 'Audited' }));
      await user.client.delete(`${NG}/apikey/audited_key`, { query: ownerQuery(h(), userOwner(user.id)) });
      const rows = await h().store.db.selectFrom('audit_events').select(['action', 'principal_identifier', 'before', 'after'])
        .where('resource_type', '=', 'API_KEY').where('resource_identifier', '=', 'audited_key').orderBy('timestamp').execute();
      expect(rows.map((r) => r.action).sort()).toEqual(['CREATE', 'DELETE', 'UPDATE']);
      expect(rows.every((r) => r.principal_identifier === user.id)).toBe(true);
      expect(JSON.parse(rows.find((r) => r.action === 'UPDATE')!.after!)).toMatchObject({ name: 'Audited' });
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' } });
