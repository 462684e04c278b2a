// Token endpoints (SPEC §3, §4): one test per status each can return, the existence-leak cases,
// lifecycle rules (defaults, limits, auto-created keys, expiry in lists) and the credential-free
// validate and revoke. The clock can be moved forward to expire tokens.
import { describe, expect } from 'vitest';
import { createOtherAccount } from '../helpers/access-control.js';
import { describeEachEngine, it } from '../helpers/harness.js';
import { expectError, expectFailure, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import {
  createApiKey, createToken, NG, ownerQuery, readTokens, rotate, saOwner, tokenBody, userOwner, whoAmI,
} from '../helpers/api-keys.js';

const DAY = 86_400_000;
let offset = 0;
const now = () => Date.now() + offset;

describeEachEngine('tokens', (h) => {
  const admin = () => h().admin;

  describe('POST /token', () => {
    it('200: answers with the bare value, pat. + account + 24-hex id + 20 characters, and applies the defaults', async () => {
      const user = await h().createUser({ name: 'Tok User' });
      await createApiKey(h(), user.client, userOwner(user.id), 'k');
      const before = now();
      const value = await createToken(h(), user.client, userOwner(user.id), 'k', 't1');
      expect(value).toMatch(new RegExp(`^pat\\.${h().accountId}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}$`));
      const [agg] = await readTokens(h(), user.client, userOwner(user.id), 'k', ['t1']);
      expect(agg.token).toEqual({
        identifier: 't1', name: 't1 name', validFrom: expect.any(Number), validTo: expect.any(Number), scheduledExpireTime: null,
        valid: true, accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null, apiKeyIdentifier: 'k',
        parentIdentifier: user.id, apiKeyType: 'USER', description: 'a token', tags: { env: 'test' }, email: user.email, username: 'Tok User',
      });
      expect(agg.token.validFrom).toBeGreaterThanOrEqual(before);
      expect(agg.token.validTo - agg.token.validFrom).toBe(30 * DAY);
      expect(agg).toMatchObject({ expiryAt: agg.token.validTo, lastUsedAt: null, createdAt: expect.any(Number), lastModifiedAt: expect.any(Number) });
    });

    it("200: a SAT for a service account, sat.-prefixed, with the SA's email and name", async () => {
      const sa = await h().seedServiceAccount({ name: 'Deployer', scope: { orgIdentifier: 'default' } });
      await createApiKey(h(), admin().client, saOwner(sa), 'sa_key', { defaultTimeToExpireToken: DAY });
      const value = await createToken(h(), admin().client, saOwner(sa), 'sa_key', 'sat1');
      expect(value.startsWith(`sat.${h().accountId}.`)).toBe(true);
      const [agg] = await readTokens(h(), admin().client, saOwner(sa), 'sa_key', ['sat1']);
      expect(agg.token).toMatchObject({ email: sa.email, username: 'Deployer', orgIdentifier: 'default', apiKeyType: 'SERVICE_ACCOUNT' });
      expect(agg.token.validTo - agg.token.validFrom).toBe(DAY);
    });

    it('200: creates a missing API key on the way (<id>_auto, "Auto Generated API key")', async () => {
      const user = await h().createUser();
      await createToken(h(), user.client, userOwner(user.id), 'implicit', 't');
      const res = await user.client.get(`${NG}/apikey/aggregate/implicit`, { query: ownerQuery(h(), userOwner(user.id)) });
      expect(res.body.data).toMatchObject({
        apiKey: { identifier: 'implicit', name: 'implicit_auto', description: 'Auto Generated API key', defaultTimeToExpireToken: 2_592_000_000 },
        tokensCount: 1,
      });
      // A name the key can be saved back with: `$` is not in the name rule, and names end at 128.
      for (const id of ['a$b', `k${'x'.repeat(127)}`]) {
        await createToken(h(), user.client, userOwner(user.id), id, 't');
        const key = (await user.client.get(`${NG}/apikey/aggregate/${id}`, { query: ownerQuery(h(), userOwner(user.id)) })).body.data.apiKey;
        expect(key.name).toBe(id === 'a$b' ? 'a_b_auto' : `k${'x'.repeat(122)}_auto`);
        const saved = await user.client.put(`${NG}/apikey/${id}`, key, { query: ownerQuery(h(), userOwner(user.id)) });
        expect(saved.status, saved.text).toBe(200);
      }
    });

    it('400: validTo in the past, validFrom after validTo, and a schema failure', async () => {
      const owner = userOwner(admin().id);
      const past = await admin().client.post(`${NG}/token`, tokenBody(h(), owner, 'k400', 'a', { validTo: now() - 1000 }));
      expectError(past, 400, 'INVALID_ARGUMENT', 'validTo: must not be in the past');
      const inverted = await admin().client.post(`${NG}/token`, tokenBody(h(), owner, 'k400', 'b', { validFrom: now() + 2 * DAY, validTo: now() + DAY }));
      expectError(inverted, 400, 'INVALID_ARGUMENT', 'validFrom: must not be after validTo');
      expectFailure(await admin().client.post(`${NG}/token`, tokenBody(h(), owner, 'k400', 'c', { validTo: '2030-01-01' })), 'validTo');
      expectFailure(await admin().client.post(`${NG}/token`, tokenBody(h(), owner, 'k400', 'true')), 'identifier');
    });

    it('400: the per-key limit (5); rotated tokens in their grace period do not count', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      for (let i = 0; i < 5; i++) await createToken(h(), user.client, owner, 'full', `t${i}`);
      expectError(await user.client.post(`${NG}/token`, tokenBody(h(), owner, 'full', 't5')), 400, 'INVALID_REQUEST', 'Maximum limit has reached');
      const rotated = await rotate(h(), user.client, owner, 'full', 't0', { rotateTimestamp: now() + DAY });
      expect(rotated.status, rotated.text).toBe(200);
      // Six rows now (one in its grace period), still five counted: the limit holds at five.
      expectError(await user.client.post(`${NG}/token`, tokenBody(h(), owner, 'full', 't5')), 400, 'INVALID_REQUEST', 'Maximum limit has reached');
      await user.client.delete(`${NG}/token/t1`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'full' }) });
      await createToken(h(), user.client, owner, 'full', 't5');
    });

    it('400: maxTokenLifetimeMs from the account settings caps explicit windows', async () => {
      const early = await h().createUser();
      // Made before the maximum was set: valid for 30 days.
      await createToken(h(), early.client, userOwner(early.id), 'before', 'old');
      await h().store.db.insertInto('account_settings').values({
        account_id: h().accountId, api_key_qps: null, max_api_keys_per_owner: null, max_tokens_per_api_key: null,
        max_token_lifetime_ms: 7 * DAY, last_modified_at: Date.now(),
      }).execute();
      try {
        const user = await h().createUser();
        const res = await user.client.post(`${NG}/token`, tokenBody(h(), userOwner(user.id), 'capped', 'long', { validTo: now() + 8 * DAY }));
        expectError(res, 400, 'INVALID_ARGUMENT', /maxTokenLifetimeMs/);
        await createToken(h(), user.client, userOwner(user.id), 'capped', 'short', { validTo: now() + 6 * DAY });
        await createToken(h(), user.client, userOwner(user.id), 'capped', 'defaulted');
        // A token cannot renew itself a maximum at a time by moving its window forward.
        const value = await createToken(h(), user.client, userOwner(user.id), 'capped', 'renewed', { validTo: now() + 6 * DAY });
        const later = now() + DAY;
        expectError(await h().tokenClient(value).put(`${NG}/token/renewed`,
          tokenBody(h(), userOwner(user.id), 'capped', 'renewed', { validFrom: later, validTo: later + 6 * DAY })),
        400, 'INVALID_ARGUMENT', /^validFrom: cannot be moved later while the account limits how long a token is valid/);
        expect((await h().tokenClient(value).put(`${NG}/token/renewed`,
          tokenBody(h(), userOwner(user.id), 'capped', 'renewed', { validTo: now() + 5 * DAY }))).status).toBe(200);
        const [t] = await readTokens(h(), user.client, userOwner(user.id), 'capped', ['defaulted']);
        expect(t.token.validTo - t.token.validFrom).toBe(7 * DAY);
        // Rotated without a validTo, the old one's 30 days are cut to the maximum, not refused.
        const rotated = await rotate(h(), early.client, userOwner(early.id), 'before', 'old');
        expect(rotated.status, rotated.text).toBe(200);
        const [fresh] = await readTokens(h(), early.client, userOwner(early.id), 'before', ['old']);
        expect(fresh.token.validTo - fresh.token.validFrom).toBe(7 * DAY);
        expectError(await rotate(h(), early.client, userOwner(early.id), 'before', 'old', { validTo: now() + 8 * DAY }),
          400, 'INVALID_ARGUMENT', /maxTokenLifetimeMs/);
      } finally {
        await h().store.db.deleteFrom('account_settings').where('account_id', '=', h().accountId).execute();
      }
    });

    it('400 DUPLICATE_FIELD for a token identifier already under the key', async () => {
      await createToken(h(), admin().client, userOwner(admin().id), 'dupk', 'same');
      const res = await admin().client.post(`${NG}/token`, tokenBody(h(), userOwner(admin().id), 'dupk', 'same'));
      expectError(res, 400, 'DUPLICATE_FIELD', 'Try using different token name, [same] already exists');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.post(`${NG}/token`, tokenBody(h(), userOwner(admin().id), 'k', 't')));
    });

    it("403: nobody — not even an admin — creates another user's PAT; a SAT never manages PATs", async () => {
      const user = await h().createUser();
      const res = await admin().client.post(`${NG}/token`, tokenBody(h(), userOwner(user.id), 'k', 't'));
      // no permission would help, and the message does not pretend one would
      expectError(res, 403, 'NG_ACCESS_DENIED',
        `Principal of type USER with identifier ${admin().id} : the API keys and tokens of user with identifier ${user.id} are created, edited and rotated by that user only`);
      const sa = await h().seedServiceAccount();
      await h().grantRole({ type: 'SERVICE_ACCOUNT', identifier: sa.identifier }, '_account_admin');
      const sat = await createToken(h(), admin().client, saOwner(sa), 'k', 'admin_sat');
      const bySat = await h().tokenClient(sat).post(`${NG}/token`, tokenBody(h(), userOwner(user.id), 'k', 't'));
      expectError(bySat, 403, 'NG_ACCESS_DENIED');
      // ... while the same SAT, holding the permission, manages service-account keys.
      const other = await h().seedServiceAccount();
      const ok = await h().tokenClient(sat).post(`${NG}/token`, tokenBody(h(), saOwner(other), 'k', 't'));
      expect(ok.status, ok.text).toBe(200);
    });

    it('404 for a missing service account', async () => {
      const res = await admin().client.post(`${NG}/token`, tokenBody(h(), { apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'nobody' }, 'k', 't'));
      expectError(res, 404, 'ENTITY_NOT_FOUND');
    });
  });

  describe('PUT /token/{identifier}', () => {
    it('200: the body decides; missing fields keep their values', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'upd', 't');
      const [before] = await readTokens(h(), user.client, owner, 'upd', ['t']);
      const validTo = now() + 3 * DAY;
      const res = await user.client.put(`${NG}/token/whatever`, {
        identifier: 't', apiKeyIdentifier: 'upd', apiKeyType: 'USER', parentIdentifier: user.id, accountIdentifier: h().accountId,
        name: 'Renamed', validTo, valid: true, email: 'ignored', scheduledExpireTime: 5,
      }, { query: { accountIdentifier: h().accountId } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toMatchObject({
        identifier: 't', name: 'Renamed', description: 'a token', tags: { env: 'test' }, validFrom: before.token.validFrom, validTo,
        scheduledExpireTime: null, email: user.email,
      });
    });

    it('400: a rotated token cannot be updated', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'rot', 't');
      await rotate(h(), user.client, owner, 'rot', 't', { rotateTimestamp: now() + DAY });
      const rotated = (await readTokens(h(), user.client, owner, 'rot')).find((a) => a.token.identifier.startsWith('rotated_'));
      const res = await user.client.put(`${NG}/token/x`, tokenBody(h(), owner, 'rot', rotated.token.identifier, { name: 'Nope' }));
      expectError(res, 400, 'INVALID_REQUEST', 'Rotated tokens cannot be updated');
    });

    it('400: a validTo in the past', async () => {
      await createToken(h(), admin().client, userOwner(admin().id), 'upd400', 't');
      const res = await admin().client.put(`${NG}/token/t`, tokenBody(h(), userOwner(admin().id), 'upd400', 't', { validTo: now() - DAY }));
      expectError(res, 400, 'INVALID_ARGUMENT');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.put(`${NG}/token/t`, tokenBody(h(), userOwner(admin().id), 'k', 't')));
    });

    it("403 for another user's token, existing or not — admin included", async () => {
      const user = await h().createUser();
      await createToken(h(), user.client, userOwner(user.id), 'k', 'exists');
      const existing = await admin().client.put(`${NG}/token/exists`, tokenBody(h(), userOwner(user.id), 'k', 'exists'));
      const missing = await admin().client.put(`${NG}/token/missing`, tokenBody(h(), userOwner(user.id), 'k', 'missing'));
      expectSameDenial(existing, missing, 'exists', 'missing');
    });

    it('404 for a missing token', async () => {
      const res = await admin().client.put(`${NG}/token/nope`, tokenBody(h(), userOwner(admin().id), 'upd400', 'nope'));
      expectError(res, 404, 'ENTITY_NOT_FOUND', 'Token with identifier nope not found');
    });
  });

  describe('DELETE /token/{identifier}', () => {
    it('200: deletes, effective at once; an admin may delete a user\'s token', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const own = await createToken(h(), user.client, owner, 'del', 'own');
      const other = await createToken(h(), user.client, owner, 'del', 'by_admin');
      expect((await whoAmI(h(), own)).status).toBe(200);
      const res = await user.client.delete(`${NG}/token/own`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'del' }) });
      expect(res.status).toBe(200);
      expect(res.body.data).toBe(true);
      expectError(await whoAmI(h(), own), 401, 'INVALID_TOKEN');
      const byAdmin = await admin().client.delete(`${NG}/token/by_admin`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'del' }) });
      expect(byAdmin.status).toBe(200);
      expectError(await whoAmI(h(), other), 401, 'INVALID_TOKEN');
    });

    it('400 without apiKeyIdentifier', async () => {
      expectFailure(await admin().client.delete(`${NG}/token/x`, { query: ownerQuery(h(), userOwner(admin().id)) }), 'apiKeyIdentifier');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.delete(`${NG}/token/x`, { query: ownerQuery(h(), userOwner(admin().id), { apiKeyIdentifier: 'k' }) }));
    });

    it("403 without core_user_manage, existing or not; a token — a SAT, or even an admin's PAT — never deletes another user's PAT", async () => {
      const a = await h().createUser();
      const b = await h().createUser();
      await createToken(h(), a.client, userOwner(a.id), 'k', 'there');
      const q = { query: ownerQuery(h(), userOwner(a.id), { apiKeyIdentifier: 'k' }) };
      const existing = await b.client.delete(`${NG}/token/there`, q);
      const missing = await b.client.delete(`${NG}/token/not_there`, q);
      expectSameDenial(existing, missing, 'there', 'not_there');
      const sa = await h().seedServiceAccount();
      await h().grantRole({ type: 'SERVICE_ACCOUNT', identifier: sa.identifier }, '_account_admin');
      const sat = await createToken(h(), admin().client, saOwner(sa), 'k', 't');
      expectError(await h().tokenClient(sat).delete(`${NG}/token/there`, q), 403, 'NG_ACCESS_DENIED');
      const adminPat = await createToken(h(), admin().client, userOwner(admin().id), 'admin_key', 'admin_pat');
      const allOfA = { query: { accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: a.id } };
      expectError(await h().tokenClient(adminPat).delete(`${NG}/token/there`, q), 403, 'NG_ACCESS_DENIED',
        `Principal of type USER with identifier ${admin().id} : a token cannot delete the API keys and tokens of user with identifier ${a.id}; delete them from the console`);
      expectError(await h().tokenClient(adminPat).delete(`${NG}/token/all`, allOfA), 403, 'NG_ACCESS_DENIED');
      expectError(await h().tokenClient(adminPat).delete(`${NG}/apikey/k`, { query: ownerQuery(h(), userOwner(a.id)) }), 403, 'NG_ACCESS_DENIED');
      // It may still list them (core_user_manage), and the admin deletes them from the console.
      expect((await h().tokenClient(adminPat).get(`${NG}/token/aggregate`, { query: ownerQuery(h(), userOwner(a.id), { apiKeyIdentifier: 'k' }) })).status).toBe(200);
      expect((await admin().client.delete(`${NG}/token/there`, q)).status).toBe(200);
    });

    it('404 for a missing token', async () => {
      const res = await admin().client.delete(`${NG}/token/none`, { query: ownerQuery(h(), userOwner(admin().id), { apiKeyIdentifier: 'k' }) });
      expectError(res, 404, 'ENTITY_NOT_FOUND');
    });
  });

  describe('DELETE /token/all', () => {
    it("200: deletes every token of one owner and answers how many", async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const values = [
        await createToken(h(), user.client, owner, 'a', 't1'),
        await createToken(h(), user.client, owner, 'b', 't2'),
        await createToken(h(), user.client, { ...owner, orgIdentifier: 'default' }, 'c', 't3'),
      ];
      const keep = await createToken(h(), admin().client, userOwner(admin().id), 'keep', 'kept');
      const res = await user.client.delete(`${NG}/token/all`, { query: { accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: user.id } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toBe(3);
      for (const v of values) expectError(await whoAmI(h(), v), 401, 'INVALID_TOKEN');
      expect((await whoAmI(h(), keep)).status).toBe(200);
    });

    it('deletes a token whose identifier is "all" singly when the query names its key', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const named = await createToken(h(), user.client, owner, 'k', 'all');
      const other = await createToken(h(), user.client, owner, 'k', 'other');
      const res = await user.client.delete(`${NG}/token/all`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'k' }) });
      expect(res.body.data).toBe(true);
      expectError(await whoAmI(h(), named), 401, 'INVALID_TOKEN');
      expect((await whoAmI(h(), other)).status).toBe(200);
    });

    it('404 naming an owner that does not exist, as other calls naming it do, for a caller allowed to manage it; 403 first for one who is not', async () => {
      const all = (query: Record<string, string>) => ({ query: { accountIdentifier: h().accountId, ...query } });
      const missingSa = await admin().client.delete(`${NG}/token/all`, all({ apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'nosa' }));
      expectError(missingSa, 404, 'ENTITY_NOT_FOUND', 'Service account with identifier nosa not found');
      // ... the same as creating a key for it says
      const create = await admin().client.post(`${NG}/apikey`, { identifier: 'k', name: 'k', accountIdentifier: h().accountId, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'nosa' },
        { query: { accountIdentifier: h().accountId } });
      expect({ ...create.body, correlationId: null }).toEqual({ ...missingSa.body, correlationId: null });
      // a service account of another scope is not this scope's
      const sa = await h().seedServiceAccount();
      await createToken(h(), admin().client, saOwner(sa), 'k', 't');
      expectError(await admin().client.delete(`${NG}/token/all`, all({ apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier, orgIdentifier: 'default' })),
        404, 'ENTITY_NOT_FOUND', `Service account with identifier ${sa.identifier} not found`);
      expectError(await admin().client.delete(`${NG}/token/all`, all({ apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier, orgIdentifier: 'no_such_org' })),
        404, 'ENTITY_NOT_FOUND', 'Organization with identifier no_such_org not found');
      // a user who is not in the account (here: another account's admin)
      const other = await createOtherAccount(h());
      expectError(await admin().client.delete(`${NG}/token/all`, all({ apiKeyType: 'USER', parentIdentifier: other.adminId })),
        404, 'ENTITY_NOT_FOUND', `User with identifier ${other.adminId} not found`);
      expectError(await admin().client.delete(`${NG}/token/all`, all({ apiKeyType: 'USER', parentIdentifier: 'no_such_user' })),
        404, 'ENTITY_NOT_FOUND', 'User with identifier no_such_user not found');
      // An existing owner without tokens is still 0; the service account's token was untouched by the 404s.
      const none = await admin().client.delete(`${NG}/token/all`, all({ apiKeyType: 'USER', parentIdentifier: (await h().createUser()).id }));
      expect([none.status, none.body.data]).toEqual([200, 0]);
      const one = await admin().client.delete(`${NG}/token/all`, all({ apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier }));
      expect([one.status, one.body.data]).toEqual([200, 1]);
      // Without the right to manage it, the same 403 for an existing and a missing owner.
      const user = await h().createUser();
      expectSameDenial(
        await user.client.delete(`${NG}/token/all`, all({ apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier })),
        await user.client.delete(`${NG}/token/all`, all({ apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'nosa' })), sa.identifier, 'nosa');
      expectSameDenial(
        await user.client.delete(`${NG}/token/all`, all({ apiKeyType: 'USER', parentIdentifier: admin().id })),
        await user.client.delete(`${NG}/token/all`, all({ apiKeyType: 'USER', parentIdentifier: other.adminId })), admin().id, other.adminId);
    });

    it('400 without an owner; 401 without credentials; 403 for another user', async () => {
      expectFailure(await admin().client.delete(`${NG}/token/all`, { query: { accountIdentifier: h().accountId } }), 'apiKeyType', 'parentIdentifier');
      expectUnauthenticated(await h().anonymous.delete(`${NG}/token/all`, { query: ownerQuery(h(), userOwner(admin().id)) }));
      const user = await h().createUser();
      expectError(await user.client.delete(`${NG}/token/all`, { query: ownerQuery(h(), userOwner(admin().id)) }), 403, 'NG_ACCESS_DENIED');
    });
  });

  describe('GET /token/aggregate', () => {
    it('200: reads tokens back by identifiers (repeated params), with paging and search', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      for (const id of ['alpha', 'beta', 'gamma']) await createToken(h(), user.client, owner, 'list', id);
      expect((await readTokens(h(), user.client, owner, 'list', ['alpha', 'gamma'])).map((a) => a.token.identifier).sort()).toEqual(['alpha', 'gamma']);
      const page = await user.client.get(`${NG}/token/aggregate`, {
        query: ownerQuery(h(), owner, { apiKeyIdentifier: 'list', pageSize: 2, sortOrders: 'identifier,ASC' }),
      });
      expect(page.body.data).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 2 });
      expect(page.body.data.content.map((a: any) => a.token.identifier)).toEqual(['alpha', 'beta']);
      const search = await user.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), owner, { searchTerm: 'GAM' }) });
      expect(search.body.data.content.map((a: any) => a.token.identifier)).toEqual(['gamma']);
      const literal = await user.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), owner, { searchTerm: '.*' }) });
      expect(literal.body.data.content).toEqual([]);
    });

    it("200: a token's fields come in SPEC §3's order, as every DTO's do", async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'ordered', 'first');
      const [aggregate] = await readTokens(h(), user.client, owner, 'ordered');
      expect(Object.keys(aggregate)).toEqual(['token', 'expiryAt', 'createdAt', 'lastModifiedAt', 'lastUsedAt']);
      expect(Object.keys(aggregate.token)).toEqual([
        'identifier', 'name', 'description', 'tags', 'validFrom', 'validTo', 'scheduledExpireTime', 'valid', 'accountIdentifier',
        'orgIdentifier', 'projectIdentifier', 'apiKeyIdentifier', 'parentIdentifier', 'apiKeyType', 'email', 'username',
      ]);
    });

    it('200: search folds case as JavaScript does on both engines: the Kelvin sign is a k, İ an i', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'fold', 'kelvin', { tags: { unit: '\u212Aelvin' } });
      await createToken(h(), user.client, owner, 'fold', 'dotted', { tags: { code: 'XQ\u0130' } });
      await createToken(h(), user.client, owner, 'fold', 'plain');
      const found = async (searchTerm: string) => (await user.client.get(`${NG}/token/aggregate`, {
        query: ownerQuery(h(), owner, { apiKeyIdentifier: 'fold', searchTerm }),
      })).body.data.content.map((a: any) => a.token.identifier);
      expect(await found('elvin')).toEqual(['kelvin']);
      expect(await found('kelvin')).toEqual(['kelvin']);
      expect(await found('xqi')).toEqual(['dotted']);
      expect(await found('XQI')).toEqual(['dotted']);
      expect(await found('xqis')).toEqual([]);
    });

    it('200: ties go by identifier, the same on both engines; pages cover every token once while one changes', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      for (const id of ['tie_d', 'tie_b', 'tie_e', 'tie_a', 'tie_c']) await createToken(h(), user.client, owner, 'ties', id, { name: 'same' });
      expect((await rotate(h(), user.client, owner, 'ties', 'tie_b', { rotateTimestamp: now() + DAY })).status).toBe(200);
      const update = (identifier: string) => user.client.put(`${NG}/token/${identifier}`,
        tokenBody(h(), owner, 'ties', identifier, { name: 'same', description: `changed ${identifier}` }));
      expect((await update('tie_a')).status).toBe(200);
      const all = (await readTokens(h(), user.client, owner, 'ties')).map((a) => a.token.identifier);
      expect(all).toHaveLength(6);
      const seen: string[] = [];
      for (let pageIndex = 0; pageIndex < 3; pageIndex++) {
        const page = await user.client.get(`${NG}/token/aggregate`, {
          query: ownerQuery(h(), owner, { apiKeyIdentifier: 'ties', pageSize: 2, pageIndex, sortOrders: 'name,ASC' }),
        });
        seen.push(...page.body.data.content.map((a: any) => a.token.identifier));
        expect((await update(['tie_c', 'tie_e', 'tie_d'][pageIndex])).status).toBe(200); // a write between pages moves its row on PostgreSQL
      }
      expect(seen).toEqual([...all].sort());
    });

    it('200: expired tokens are listed as such; includeOnlyActiveTokens keeps those that authenticate now', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const soon = await createToken(h(), user.client, owner, 'exp', 'soon', { validTo: now() + 60_000 });
      await createToken(h(), user.client, owner, 'exp', 'later', { validTo: now() + DAY });
      offset += 120_000;
      try {
        const all = await readTokens(h(), user.client, owner, 'exp');
        const byId = Object.fromEntries(all.map((a) => [a.token.identifier, a]));
        expect(byId.soon.token.valid).toBe(false);
        expect(byId.later.token.valid).toBe(true);
        expectError(await whoAmI(h(), soon), 401, 'EXPIRED_TOKEN', 'Token expired.');
        const active = await user.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'exp', includeOnlyActiveTokens: true }) });
        expect(active.body.data.content.map((a: any) => a.token.identifier)).toEqual(['later']);
      } finally {
        offset -= 120_000;
      }
    });

    it('200: without parentIdentifier lists every owner the caller may see', async () => {
      const a = await h().createUser();
      const b = await h().createUser();
      await createToken(h(), a.client, userOwner(a.id), 'inv', 'inv_a');
      await createToken(h(), b.client, userOwner(b.id), 'inv', 'inv_b');
      const asA = await a.client.get(`${NG}/token/aggregate`, { query: { accountIdentifier: h().accountId, pageSize: 100 } });
      expect(asA.body.data.content.map((x: any) => x.token.identifier)).toEqual(['inv_a']);
      const asAdmin = await admin().client.get(`${NG}/token/aggregate`, { query: { accountIdentifier: h().accountId, searchTerm: 'inv_', pageSize: 100 } });
      expect(asAdmin.body.data.content.map((x: any) => x.token.identifier).sort()).toEqual(['inv_a', 'inv_b']);
      const foreign = await a.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), userOwner(b.id)) });
      expect(foreign.status).toBe(200);
      expect(foreign.body.data.content).toEqual([]);
    });

    it('200: an empty apiKeyIdentifier or parentIdentifier is no filter (the Go SDK sends both, empty)', async () => {
      const user = await h().createUser();
      await createToken(h(), user.client, userOwner(user.id), 'ek1', 'e1');
      await createToken(h(), user.client, userOwner(user.id), 'ek2', 'e2');
      const owner = await user.client.get(`${NG}/token/aggregate`, {
        query: { ...ownerQuery(h(), userOwner(user.id)), apiKeyIdentifier: '', pageSize: 100 },
      });
      expect(owner.status, owner.text).toBe(200);
      expect(owner.body.data.content.map((x: any) => x.token.identifier).sort()).toEqual(['e1', 'e2']);
      const all = await user.client.get(`${NG}/token/aggregate`, {
        query: { accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: '', apiKeyIdentifier: '', pageSize: 100 },
      });
      expect(all.status, all.text).toBe(200);
      expect(all.body.data.content.map((x: any) => x.token.identifier).sort()).toEqual(['e1', 'e2']);
    });

    it('400: apiKeyIdentifier without parentIdentifier', async () => {
      const res = await admin().client.get(`${NG}/token/aggregate`, { query: { accountIdentifier: h().accountId, apiKeyType: 'USER', apiKeyIdentifier: 'k' } });
      expectError(res, 400, 'INVALID_REQUEST', 'Need to pass parentIdentifier along with apikeyIdentifier to list the tokens.');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${NG}/token/aggregate`));
    });
  });

  describe('POST /token/validate', () => {
    it('200: answers with the token (no secret) for a valid value, as text/plain or a JSON string', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'val', 'v');
      for (const [payload, type] of [[value, 'text/plain'], [JSON.stringify(value), 'application/json']]) {
        const res = await h().anonymous.request('POST', `${NG}/token/validate`, payload, {
          headers: { 'content-type': type }, query: { accountIdentifier: h().accountId },
        });
        expect(res.status, res.text).toBe(200);
        expect(res.body.data).toMatchObject({ identifier: 'v', apiKeyIdentifier: 'val', parentIdentifier: user.id, valid: true, email: user.email });
        expect(res.text).not.toContain(value.split('.')[3]);
      }
    });

    it('401 INVALID_TOKEN for a wrong, unknown or malformed value, or another account; EXPIRED_TOKEN when expired', async () => {
      const value = await createToken(h(), admin().client, userOwner(admin().id), 'val2', 'v', { validTo: now() + 60_000 });
      const parts = value.split('.');
      const wrong = [parts[0], parts[1], parts[2], 'A'.repeat(20)].join('.');
      for (const bad of [wrong, 'garbage', `${value}x`]) {
        const res = await h().anonymous.request('POST', `${NG}/token/validate`, bad, { headers: { 'content-type': 'text/plain' } });
        expectError(res, 401, 'INVALID_TOKEN', 'Token is not valid.');
      }
      const otherAccount = await h().anonymous.request('POST', `${NG}/token/validate`, value, {
        headers: { 'content-type': 'text/plain' }, query: { accountIdentifier: 'someOtherAccount' },
      });
      expectError(otherAccount, 401, 'INVALID_TOKEN');
      offset += 120_000;
      try {
        const expired = await h().anonymous.request('POST', `${NG}/token/validate`, value, { headers: { 'content-type': 'text/plain' } });
        expectError(expired, 401, 'EXPIRED_TOKEN', 'Token expired.');
      } finally {
        offset -= 120_000;
      }
    });
  });

  describe('POST /token/revoke', () => {
    it('200 true for anything; a genuine value is deleted at once and the revocation audited', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'leak', 'leaked');
      for (const junk of ['nonsense', `pat.${h().accountId}.${'0'.repeat(24)}.${'A'.repeat(20)}`]) {
        const res = await h().anonymous.request('POST', `${NG}/token/revoke`, junk, { headers: { 'content-type': 'text/plain' } });
        expect(res.status).toBe(200);
        expect(res.body.data).toBe(true);
      }
      expect((await whoAmI(h(), value)).status).toBe(200);
      const res = await h().anonymous.request('POST', `${NG}/token/revoke`, JSON.stringify(value), {
        headers: { 'content-type': 'application/json', 'user-agent': 'secret-scanner/1.0' },
      });
      expect(res.status).toBe(200);
      expect(res.body.data).toBe(true);
      expectError(await whoAmI(h(), value), 401, 'INVALID_TOKEN');
      const audit = await h().store.db.selectFrom('audit_events').selectAll()
        .where('action', '=', 'REVOKE').where('resource_identifier', '=', 'leaked').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ resource_type: 'TOKEN', principal_type: 'ANONYMOUS', user_agent: 'secret-scanner/1.0' });
      expect(JSON.stringify(audit[0])).not.toContain(value.split('.')[3]);
    });
  });

  describe('audit', () => {
    it('records create, update, rotate and delete of tokens, never their values', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const v1 = await createToken(h(), user.client, owner, 'aud', 'audited');
      await user.client.put(`${NG}/token/audited`, tokenBody(h(), owner, 'aud', 'audited', { name: 'Changed' }));
      const v2 = (await rotate(h(), user.client, owner, 'aud', 'audited')).body.data as string;
      await user.client.delete(`${NG}/token/audited`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'aud' }) });
      const rows = await h().store.db.selectFrom('audit_events').selectAll()
        .where('resource_type', '=', 'TOKEN').where('resource_identifier', '=', 'audited').execute();
      expect(rows.map((r) => r.action).sort()).toEqual(['CREATE', 'DELETE', 'ROTATE', 'UPDATE']);
      const text = JSON.stringify(rows);
      for (const v of [v1, v2]) {
        expect(text).not.toContain(v);
        expect(text).not.toContain(v.split('.')[3]);
      }
    });
  });

  describe('per-IP limit of the credential-free endpoints', () => {
    it('429 TOO_MANY_REQUESTS with Retry-After once an address has used its budget', async () => {
      let limited = null;
      for (let i = 0; i < 70 && !limited; i++) {
        const res = await h().anonymous.request('POST', `${NG}/token/validate`, 'junk', {
          headers: { 'content-type': 'text/plain' },
        });
        if (res.status === 429) limited = res;
        else expect(res.status).toBe(401);
      }
      expect(limited).not.toBeNull();
      expectError(limited!, 429, 'TOO_MANY_REQUESTS');
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);

      // Revoking has a budget of its own: a leaked token can still be revoked from that address…
      const revoke = () => h().anonymous.request('POST', `${NG}/token/revoke`, 'junk', { headers: { 'content-type': 'text/plain' } });
      let revoked = 0;
      let refused = null;
      for (let i = 0; i < 70 && !refused; i++) {
        const res = await revoke();
        if (res.status === 429) refused = res;
        else { expect(res.status, res.text).toBe(200); revoked++; }
      }
      // …as many times as validating could (the budget, less any calls an earlier test made).
      expect(revoked).toBeGreaterThan(0);
      expect(refused).not.toBeNull();
      expectError(refused!, 429, 'TOO_MANY_REQUESTS');
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' }, now });
