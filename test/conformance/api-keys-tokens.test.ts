// Conformance, SPEC §3 and §4 for API keys and tokens, as the Harness Terraform provider and Go SDK
// use them: the exact shapes (every field present, nothing more), the exact messages, the token value
// format, the bare-string answers of create and rotate, the body-decides PUTs, validate and revoke,
// expiry and rotation rules, and includeOnlyActiveTokens. The clock can be moved forward.
import { describe, expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import {
  apiKeyBody, createApiKey, createToken, NG, ownerQuery, readTokens, rotate, saOwner, tokenBody, userOwner, type Owner,
} from '../helpers/api-keys.js';
import {
  API_KEY_AGGREGATE_FIELDS, API_KEY_FIELDS, DAY, expectErrorDto, expectFailureDto, expectJson, expectPage, expectSuccess,
  SCANNER_RE, sortedKeys, THIRTY_DAYS, TOKEN_AGGREGATE_FIELDS, TOKEN_FIELDS,
} from './support.js';

let offset = 0;
const now = () => Date.now() + offset;

describeEachEngine('conformance: API keys and tokens', (h) => {
  const admin = () => h().admin;
  const A = () => h().accountId;
  const q = () => ({ query: { accountIdentifier: A() } });
  const text = { 'content-type': 'text/plain' };

  async function aggregateOf(client = admin().client, owner: Owner, apiKeyIdentifier: string, identifier: string) {
    const [agg] = await readTokens(h(), client, owner, apiKeyIdentifier, [identifier]);
    return agg;
  }

  describe('API key', () => {
    it('POST answers the ApiKey with every field, nothing more; the lifetime defaults to 30 days', async () => {
      const res = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), userOwner(admin().id), 'shape_key'), q());
      const key = expectSuccess(res);
      expect(sortedKeys(key)).toEqual(API_KEY_FIELDS);
      expect(key).toEqual({
        identifier: 'shape_key', name: 'shape_key name', description: 'a key', tags: { team: 'platform' },
        accountIdentifier: A(), orgIdentifier: null, projectIdentifier: null, apiKeyType: 'USER', parentIdentifier: admin().id,
        defaultTimeToExpireToken: THIRTY_DAYS, rateLimitQps: null,
      });
    });

    it('GET /apikey answers ApiKey[]; /apikey/aggregate a page of ApiKeyAggregate; /apikey/aggregate/{id} one', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createApiKey(h(), user.client, owner, 'agg_key', { rateLimitQps: 2.5, defaultTimeToExpireToken: DAY });
      await createToken(h(), user.client, owner, 'agg_key', 'agg_t1');
      await createToken(h(), user.client, owner, 'agg_key', 'agg_t2');
      const list = expectSuccess(await user.client.get(`${NG}/apikey`, { query: ownerQuery(h(), owner) })) as any[];
      expect(list).toHaveLength(1);
      expect(sortedKeys(list[0])).toEqual(API_KEY_FIELDS);
      expect(list[0]).toMatchObject({ rateLimitQps: 2.5, defaultTimeToExpireToken: DAY });
      const page = expectSuccess(await user.client.get(`${NG}/apikey/aggregate`, { query: ownerQuery(h(), owner) }));
      expectPage(page);
      expect(sortedKeys(page.content[0])).toEqual(API_KEY_AGGREGATE_FIELDS);
      expect(sortedKeys(page.content[0].apiKey)).toEqual(API_KEY_FIELDS);
      const one = expectSuccess(await user.client.get(`${NG}/apikey/aggregate/agg_key`, { query: ownerQuery(h(), owner) }));
      expect(sortedKeys(one)).toEqual(API_KEY_AGGREGATE_FIELDS);
      expect(one).toEqual({ apiKey: list[0], createdAt: expect.any(Number), lastModifiedAt: expect.any(Number), tokensCount: 2 });
      expect(one).toEqual(page.content[0]);
    });

    it('GET /apikey/aggregate/{id} of a missing key → 404 ENTITY_NOT_FOUND', async () => {
      expectErrorDto(await admin().client.get(`${NG}/apikey/aggregate/no_such_key`, { query: ownerQuery(h(), userOwner(admin().id)) }), 404, 'ENTITY_NOT_FOUND');
      expectErrorDto(await admin().client.get(`/gateway/ng/api/apikey/aggregate/no_such_key`, { query: ownerQuery(h(), userOwner(admin().id)) }), 404, 'ENTITY_NOT_FOUND');
    });

    it('PUT /apikey/{accountId} with no query: the body decides; name, description, tags and the lifetime change', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createApiKey(h(), user.client, owner, 'put_key');
      const body = apiKeyBody(h(), owner, 'put_key', { name: 'New name', description: 'new', tags: { a: 'b' }, defaultTimeToExpireToken: DAY });
      const updated = expectSuccess(await user.client.put(`${NG}/apikey/${A()}`, body));
      expect(sortedKeys(updated)).toEqual(API_KEY_FIELDS);
      expect(updated).toMatchObject({ identifier: 'put_key', name: 'New name', description: 'new', tags: { a: 'b' }, defaultTimeToExpireToken: DAY });
      // Whatever the path says.
      expectSuccess(await user.client.put(`${NG}/apikey/anything_at_all`, { ...body, name: 'Again' }));
      const read = expectSuccess(await user.client.get(`${NG}/apikey/aggregate/put_key`, { query: ownerQuery(h(), owner) }));
      expect(read.apiKey.name).toBe('Again');
      // A missing key is a 404.
      expectErrorDto(await user.client.put(`${NG}/apikey/${A()}`, apiKeyBody(h(), owner, 'ghost_key')), 404, 'ENTITY_NOT_FOUND');
    });

    it('DELETE answers true and takes its tokens with it', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const value = await createToken(h(), user.client, owner, 'del_key', 'del_tok');
      expect(expectSuccess(await user.client.delete(`${NG}/apikey/del_key`, { query: ownerQuery(h(), owner) }))).toBe(true);
      expectErrorDto(await h().tokenClient(value).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN', 'Token is not valid.');
      expectErrorDto(await user.client.delete(`${NG}/apikey/del_key`, { query: ownerQuery(h(), owner) }), 404, 'ENTITY_NOT_FOUND');
    });

    it('exact messages: a duplicate key, and the per-owner limit', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      for (let i = 0; i < 5; i++) await createApiKey(h(), user.client, owner, `lim_${i}`);
      expectErrorDto(await user.client.post(`${NG}/apikey`, apiKeyBody(h(), owner, 'lim_0'), q()), 400, 'DUPLICATE_FIELD', 'Try using different Key name, [lim_0] already exists');
      expectErrorDto(await user.client.post(`${NG}/apikey`, apiKeyBody(h(), owner, 'lim_5'), q()), 400, 'INVALID_REQUEST', 'Maximum limit has reached');
    });
  });

  describe('token value', () => {
    it('POST /token answers the bare value: pat./sat. + 22-character account + 24 lower-hex id + 20 characters, found by the public scanner', async () => {
      expect(A()).toMatch(/^[A-Za-z0-9]{22}$/);
      const user = await h().createUser();
      const res = await user.client.post(`${NG}/token`, tokenBody(h(), userOwner(user.id), 'fmt_key', 'fmt_tok'), q());
      const value = expectSuccess(res);
      expect(typeof value).toBe('string');
      expect(res.text).toContain(`"data":"${value}"`);
      expect(value).toMatch(new RegExp(`^pat\\.${A()}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}$`));
      expect(value).toMatch(SCANNER_RE);
      const sa = await h().seedServiceAccount();
      const sat = await createToken(h(), admin().client, saOwner(sa), 'fmt_sa_key', 'fmt_sa_tok');
      expect(sat).toMatch(new RegExp(`^sat\\.${A()}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}$`));
      expect(sat).toMatch(SCANNER_RE);
      // Two tokens never share an id or a secret.
      const again = await createToken(h(), user.client, userOwner(user.id), 'fmt_key', 'fmt_tok2');
      expect(again.split('.')[2]).not.toBe(value.split('.')[2]);
      expect(again.split('.')[3]).not.toBe(value.split('.')[3]);
    });

    it('authenticates as x-api-key and as Authorization: Bearer', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'hdr_key', 'hdr_tok');
      expect(expectSuccess(await h().anonymous.get(`${NG}/user/currentUser`, { headers: { 'x-api-key': value } })).uuid).toBe(user.id);
      expect(expectSuccess(await h().anonymous.get(`${NG}/user/currentUser`, { headers: { authorization: `Bearer ${value}` } })).uuid).toBe(user.id);
    });
  });

  describe('token shapes and rules', () => {
    it('Token and TokenAggregate carry every field; defaults: validFrom now, validTo + 30 days, expiryAt = validTo', async () => {
      const user = await h().createUser({ name: 'Shape Owner' });
      const owner = userOwner(user.id);
      const before = now();
      await createToken(h(), user.client, owner, 'tshape_key', 'tshape');
      const agg = await aggregateOf(user.client, owner, 'tshape_key', 'tshape');
      expect(sortedKeys(agg)).toEqual(TOKEN_AGGREGATE_FIELDS);
      expect(sortedKeys(agg.token)).toEqual(TOKEN_FIELDS);
      expect(agg.token).toEqual({
        identifier: 'tshape', name: 'tshape name', description: 'a token', tags: { env: 'test' },
        validFrom: expect.any(Number), validTo: expect.any(Number), scheduledExpireTime: null, valid: true,
        accountIdentifier: A(), orgIdentifier: null, projectIdentifier: null, apiKeyIdentifier: 'tshape_key',
        parentIdentifier: user.id, apiKeyType: 'USER', email: user.email, username: 'Shape Owner',
      });
      expect(agg.token.validFrom).toBeGreaterThanOrEqual(before);
      expect(agg.token.validFrom).toBeLessThanOrEqual(now());
      expect(agg.token.validTo - agg.token.validFrom).toBe(THIRTY_DAYS);
      expect(agg.expiryAt).toBe(agg.token.validTo);
      expect(agg.lastUsedAt).toBeNull();
      expect(typeof agg.createdAt).toBe('number');
      expect(typeof agg.lastModifiedAt).toBe('number');
    });

    it("the key's defaultTimeToExpireToken sets validTo; an explicit window is kept", async () => {
      const owner = userOwner(admin().id);
      await createApiKey(h(), admin().client, owner, 'ttl_key', { defaultTimeToExpireToken: DAY });
      await createToken(h(), admin().client, owner, 'ttl_key', 'ttl_default');
      const d = await aggregateOf(admin().client, owner, 'ttl_key', 'ttl_default');
      expect(d.token.validTo - d.token.validFrom).toBe(DAY);
      const from = now() + 1000;
      await createToken(h(), admin().client, owner, 'ttl_key', 'ttl_explicit', { validFrom: from, validTo: from + 5 * DAY });
      const e = await aggregateOf(admin().client, owner, 'ttl_key', 'ttl_explicit');
      expect(e.token).toMatchObject({ validFrom: from, validTo: from + 5 * DAY, valid: false });
    });

    it('400: validTo in the past; validFrom after validTo', async () => {
      const owner = userOwner(admin().id);
      const past = await admin().client.post(`${NG}/token`, tokenBody(h(), owner, 'exp_key', 'past', { validTo: now() - 60_000 }), q());
      expectErrorDto(past, 400, 'INVALID_ARGUMENT');
      const inverted = await admin().client.post(`${NG}/token`, tokenBody(h(), owner, 'exp_key', 'inv', { validFrom: now() + 2 * DAY, validTo: now() + DAY }), q());
      expectErrorDto(inverted, 400, 'INVALID_ARGUMENT');
    });

    it('exact messages: a duplicate token, and the per-key limit', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      for (let i = 0; i < 5; i++) await createToken(h(), user.client, owner, 'tlim_key', `tl_${i}`);
      expectErrorDto(await user.client.post(`${NG}/token`, tokenBody(h(), owner, 'tlim_key', 'tl_0'), q()), 400, 'DUPLICATE_FIELD', 'Try using different token name, [tl_0] already exists');
      expectErrorDto(await user.client.post(`${NG}/token`, tokenBody(h(), owner, 'tlim_key', 'tl_5'), q()), 400, 'INVALID_REQUEST', 'Maximum limit has reached');
    });

    it('PUT /token/{x} with only accountIdentifier: the body decides (the path is ignored); missing fields keep their values', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'tput_key', 'tput');
      const stored = await aggregateOf(user.client, owner, 'tput_key', 'tput');
      const body = { identifier: 'tput', accountIdentifier: A(), apiKeyIdentifier: 'tput_key', apiKeyType: 'USER', parentIdentifier: user.id, name: 'Renamed' };
      const res = await user.client.put(`${NG}/token/${A()}`, body, q());
      const token = expectSuccess(res);
      expect(sortedKeys(token)).toEqual(TOKEN_FIELDS);
      expect(token).toMatchObject({ identifier: 'tput', name: 'Renamed', description: 'a token', tags: { env: 'test' }, validFrom: stored.token.validFrom, validTo: stored.token.validTo, valid: true, email: user.email });
      // The token as read back, sent back with changes, as the Terraform provider does (output fields echoed).
      const edited = expectSuccess(await user.client.put(`${NG}/token/tput`, { ...token, description: 'edited', tags: { k: 'v' }, validTo: token.validTo + DAY }, q()));
      expect(edited).toMatchObject({ description: 'edited', tags: { k: 'v' }, validTo: token.validTo + DAY, name: 'Renamed' });
      expectErrorDto(await user.client.put(`${NG}/token/x`, { ...body, identifier: 'nope' }, q()), 404, 'ENTITY_NOT_FOUND');
    });

    it('DELETE /token/{x} → true; DELETE /token/all → the number deleted', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const v1 = await createToken(h(), user.client, owner, 'tdel_key', 'd1');
      await createToken(h(), user.client, owner, 'tdel_key', 'd2');
      await createToken(h(), user.client, owner, 'tdel_key2', 'd3');
      expect(expectSuccess(await user.client.delete(`${NG}/token/d1`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'tdel_key' }) }))).toBe(true);
      expectErrorDto(await h().tokenClient(v1).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN');
      expectErrorDto(await user.client.delete(`${NG}/token/d1`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'tdel_key' }) }), 404, 'ENTITY_NOT_FOUND');
      const all = await user.client.delete(`${NG}/token/all`, { query: { accountIdentifier: A(), apiKeyType: 'USER', parentIdentifier: user.id } });
      expect(expectSuccess(all)).toBe(2);
      expect(all.text).toContain('"data":2');
      expect(expectSuccess(await user.client.delete(`${NG}/token/all`, { query: { accountIdentifier: A(), apiKeyType: 'USER', parentIdentifier: user.id } }))).toBe(0);
    });

    it('a token under a missing API key creates it: <id>_auto, "Auto Generated API key", 30 days', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'implicit_key', 'implicit_tok');
      const agg = expectSuccess(await user.client.get(`${NG}/apikey/aggregate/implicit_key`, { query: ownerQuery(h(), owner) }));
      expect(agg.apiKey).toMatchObject({ identifier: 'implicit_key', name: 'implicit_key_auto', description: 'Auto Generated API key', defaultTimeToExpireToken: THIRTY_DAYS });
      expect(agg.tokensCount).toBe(1);
    });

    it("nobody else creates, edits or rotates a user's PATs — not even an admin, who may list and delete them", async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'own_key', 'own_tok');
      const a = admin().client;
      expectErrorDto(await a.post(`${NG}/apikey`, apiKeyBody(h(), owner, 'admin_made'), q()), 403, 'NG_ACCESS_DENIED');
      expectErrorDto(await a.put(`${NG}/apikey/${A()}`, apiKeyBody(h(), owner, 'own_key', { name: 'hijacked' })), 403, 'NG_ACCESS_DENIED');
      expectErrorDto(await a.post(`${NG}/token`, tokenBody(h(), owner, 'own_key', 'admin_tok'), q()), 403, 'NG_ACCESS_DENIED');
      expectErrorDto(await rotate(h(), a, owner, 'own_key', 'own_tok'), 403, 'NG_ACCESS_DENIED');
      // The user's own token cannot act on another user's PATs either.
      const other = await h().createUser();
      const otherToken = await createToken(h(), other.client, userOwner(other.id), 'other_key', 'other_tok');
      expectErrorDto(await h().tokenClient(otherToken).post(`${NG}/token`, tokenBody(h(), owner, 'own_key', 'stolen'), q()), 403, 'NG_ACCESS_DENIED');
      expect((await readTokens(h(), a, owner, 'own_key')).map((t) => t.token.identifier)).toEqual(['own_tok']);
      expect(expectSuccess(await a.delete(`${NG}/token/own_tok`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'own_key' }) }))).toBe(true);
      expect(expectSuccess(await a.delete(`${NG}/apikey/own_key`, { query: ownerQuery(h(), owner) }))).toBe(true);
    });

    it("404 ENTITY_NOT_FOUND when the scope's organization or project does not exist", async () => {
      const owner = { ...userOwner(admin().id), orgIdentifier: 'no_such_org' };
      expectErrorDto(await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), owner, 'k'), { query: { accountIdentifier: A(), orgIdentifier: 'no_such_org' } }), 404, 'ENTITY_NOT_FOUND');
      expectErrorDto(await admin().client.post(`${NG}/token`, tokenBody(h(), owner, 'k', 't'), { query: { accountIdentifier: A(), orgIdentifier: 'no_such_org' } }), 404, 'ENTITY_NOT_FOUND');
      const projectOwner = { ...userOwner(admin().id), orgIdentifier: 'default', projectIdentifier: 'no_such_project' };
      expectErrorDto(await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), projectOwner, 'k'), q()), 404, 'ENTITY_NOT_FOUND');
    });

    it('GET /token/aggregate: apiKeyIdentifier without parentIdentifier → 400 with the exact message', async () => {
      const res = await admin().client.get(`${NG}/token/aggregate`, { query: { accountIdentifier: A(), apiKeyType: 'USER', apiKeyIdentifier: 'k' } });
      expectErrorDto(res, 400, 'INVALID_REQUEST', 'Need to pass parentIdentifier along with apikeyIdentifier to list the tokens.');
    });
  });

  describe('validate and revoke', () => {
    it('validate takes the raw token as text/plain or as a JSON string, needs no credentials, answers the Token (no secret)', async () => {
      const user = await h().createUser({ name: 'Validated' });
      const value = await createToken(h(), user.client, userOwner(user.id), 'val_key', 'val_tok');
      for (const [payload, headers] of [[value, text], [`${value}\n`, text], [JSON.stringify(value), { 'content-type': 'application/json' }]] as const) {
        const res = await h().anonymous.request('POST', `${NG}/token/validate`, payload, { headers, query: { accountIdentifier: A() } });
        const token = expectSuccess(res);
        expect(sortedKeys(token)).toEqual(TOKEN_FIELDS);
        expect(token).toMatchObject({ identifier: 'val_tok', apiKeyIdentifier: 'val_key', parentIdentifier: user.id, valid: true, email: user.email, username: 'Validated' });
        expect(res.text).not.toContain(value.split('.')[3]);
      }
      // Without accountIdentifier too.
      expectSuccess(await h().anonymous.request('POST', `${NG}/token/validate`, value, { headers: text }));
    });

    it('validate: 401 INVALID_TOKEN for garbage, an unknown or wrong value, another account, or no value; 401 EXPIRED_TOKEN when expired', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'val2_key', 'val2_tok', { validTo: now() + DAY });
      const validate = (payload: string, account: string | undefined = A(), headers: Record<string, string> = text) =>
        h().anonymous.request('POST', `${NG}/token/validate`, payload, { headers, query: { accountIdentifier: account } });
      const [prefix, account, id, secret] = value.split('.');
      const wrongSecret = `${prefix}.${account}.${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
      for (const bad of ['garbage', `pat.${A()}.${'0'.repeat(24)}.${'a'.repeat(20)}`, wrongSecret, `sat.${account}.${id}.${secret}`, '']) {
        expectErrorDto(await validate(bad), 401, 'INVALID_TOKEN', 'Token is not valid.');
      }
      expectErrorDto(await validate(value, 'someOtherAccount'), 401, 'INVALID_TOKEN', 'Token is not valid.');
      expectErrorDto(await validate(JSON.stringify(''), A(), { 'content-type': 'application/json' }), 401, 'INVALID_TOKEN', 'Token is not valid.');
      expectErrorDto(await h().anonymous.request('POST', `${NG}/token/validate?accountIdentifier=${A()}`), 401, 'INVALID_TOKEN', 'Token is not valid.');
      offset += 2 * DAY;
      try {
        expectErrorDto(await validate(value), 401, 'EXPIRED_TOKEN', 'Token expired.');
        // Another account named is INVALID_TOKEN, expired or not (SPEC §2), here and on any route.
        expectErrorDto(await validate(value, 'someOtherAccount'), 401, 'INVALID_TOKEN', 'Token is not valid.');
        const elsewhere = await h().tokenClient(value).get(`${NG}/user/currentUser`, { query: { accountIdentifier: 'someOtherAccount' } });
        expectErrorDto(elsewhere, 401, 'INVALID_TOKEN', 'Token is not valid.');
        expectErrorDto(await h().tokenClient(value).get(`${NG}/user/currentUser`, { query: { accountIdentifier: A() } }), 401, 'EXPIRED_TOKEN', 'Token expired.');
      } finally { offset -= 2 * DAY; }
    });

    it('revoke always answers 200 true — a real value is deleted, anything else changes nothing', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'rev_key', 'rev_tok');
      const other = await createToken(h(), user.client, userOwner(user.id), 'rev_key', 'rev_tok2');
      const revoke = (payload: string | undefined, headers: Record<string, string> = text) =>
        h().anonymous.request('POST', `${NG}/token/revoke`, payload, { headers });
      expect(expectSuccess(await revoke(value))).toBe(true);
      expectErrorDto(await h().tokenClient(value).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN');
      expect(expectSuccess(await revoke(value))).toBe(true); // again
      expect(expectSuccess(await revoke(JSON.stringify(other), { 'content-type': 'application/json' }))).toBe(true);
      expectErrorDto(await h().tokenClient(other).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN');
      for (const junk of ['garbage', '', `pat.${A()}.${'0'.repeat(24)}.${'a'.repeat(20)}`]) expect(expectSuccess(await revoke(junk))).toBe(true);
      expect(expectSuccess(await revoke(undefined, {}))).toBe(true);
      expect(expectSuccess(await revoke('', { 'content-type': 'application/json' }))).toBe(true);
      expect(expectSuccess(await revoke('{"token":"x"}', { 'content-type': 'application/json' }))).toBe(true);
      expect(expectSuccess(await revoke('123', { 'content-type': 'application/json' }))).toBe(true);
    });

    it('validate and revoke take the bare value under any content type, or none: never a 400 or 415 for the body', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const bodies: Array<[string, Record<string, string>]> = [
        ['application/json, unquoted', { 'content-type': 'application/json' }],
        ['a form, as curl -d sends', { 'content-type': 'application/x-www-form-urlencoded' }],
        ['octet-stream', { 'content-type': 'application/octet-stream' }],
        ['no content type', {}],
      ];
      for (const [how, headers] of bodies) {
        const value = await createToken(h(), user.client, owner, 'any_type_key', `any_${bodies.findIndex(([x]) => x === how)}`);
        const validated = await h().anonymous.request('POST', `${NG}/token/validate`, value, { headers, query: { accountIdentifier: A() } });
        expect(validated.status, `validate, ${how}: ${validated.text}`).toBe(200);
        expect(validated.body.data.parentIdentifier).toBe(user.id);
        const revoked = await h().anonymous.request('POST', `${NG}/token/revoke`, value, { headers });
        expect(revoked.status, `revoke, ${how}: ${revoked.text}`).toBe(200);
        expect(revoked.body.data).toBe(true);
        expectErrorDto(await h().tokenClient(value).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN');
      }
      // Not a token, whatever its type: validate's 401, revoke's true.
      for (const [payload, headers] of [
        ['{"token":"x"}', { 'content-type': 'application/json' }], ['123', { 'content-type': 'application/json' }],
        ['{not json', { 'content-type': 'application/json' }], ['garbage', { 'content-type': 'application/octet-stream' }],
        ['token=pat.x.y.z', { 'content-type': 'application/x-www-form-urlencoded' }], ['garbage', {}],
      ] as Array<[string, Record<string, string>]>) {
        const validated = await h().anonymous.request('POST', `${NG}/token/validate`, payload, { headers });
        expectErrorDto(validated, 401, 'INVALID_TOKEN', 'Token is not valid.');
        expect(expectSuccess(await h().anonymous.request('POST', `${NG}/token/revoke`, payload, { headers }))).toBe(true);
      }
    });
  });

  describe('expiry', () => {
    it('an expired token answers 401 EXPIRED_TOKEN "Token expired."; it is listed with valid:false and left out by includeOnlyActiveTokens', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const value = await createToken(h(), user.client, owner, 'exp2_key', 'short', { validTo: now() + 60_000 });
      await createToken(h(), user.client, owner, 'exp2_key', 'long');
      await createToken(h(), user.client, owner, 'exp2_key', 'future', { validFrom: now() + 10 * DAY, validTo: now() + 20 * DAY });
      const active = async () => (expectSuccess(await user.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'exp2_key', includeOnlyActiveTokens: 'true' }) })).content as any[]).map((t) => t.token.identifier).sort();
      expect(await active()).toEqual(['long', 'short']);
      offset += 120_000;
      try {
        expectErrorDto(await h().tokenClient(value).get(`${NG}/user/currentUser`), 401, 'EXPIRED_TOKEN', 'Token expired.');
        const all = (await readTokens(h(), user.client, owner, 'exp2_key')).map((t) => [t.token.identifier, t.token.valid]).sort();
        expect(all).toEqual([['future', false], ['long', true], ['short', false]]);
        expect(await active()).toEqual(['long']);
      } finally { offset -= 120_000; }
    });

    it('includeOnlyActiveTokens is read in any letter case, as Harness reads it (Python clients send True); other text is a 400', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'case_key', 'now');
      await createToken(h(), user.client, owner, 'case_key', 'later', { validFrom: now() + 10 * DAY, validTo: now() + 20 * DAY });
      const listed = async (flag: string) => (expectSuccess(await user.client.get(`${NG}/token/aggregate`, {
        query: ownerQuery(h(), owner, { apiKeyIdentifier: 'case_key', includeOnlyActiveTokens: flag }),
      })).content as any[]).map((t) => t.token.identifier).sort();
      for (const flag of ['true', 'True', 'TRUE']) expect(await listed(flag)).toEqual(['now']);
      for (const flag of ['false', 'False', 'FALSE']) expect(await listed(flag)).toEqual(['later', 'now']);
      for (const flag of ['yes', '1', 'truth', '']) {
        const errors = expectFailureDto(await user.client.get(`${NG}/token/aggregate`, {
          query: ownerQuery(h(), owner, { apiKeyIdentifier: 'case_key', includeOnlyActiveTokens: flag }),
        }), 'includeOnlyActiveTokens');
        expect(errors).toEqual([{ fieldId: 'includeOnlyActiveTokens', error: 'must be boolean' }]);
      }
    });

    it("a disabled user's tokens are listed with valid:false and left out by includeOnlyActiveTokens; enabled again, they are back", async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const value = await createToken(h(), user.client, owner, 'dis_key', 'dis_tok');
      const list = async (onlyActive: boolean) => (expectSuccess(await admin().client.get(`${NG}/token/aggregate`, {
        query: ownerQuery(h(), owner, { apiKeyIdentifier: 'dis_key', ...(onlyActive ? { includeOnlyActiveTokens: 'true' } : {}) }),
      })).content as any[]).map((t) => [t.token.identifier, t.token.valid]);
      const setDisabled = async (disabled: boolean) =>
        expectSuccess(await admin().client.put(`${NG}/user/${user.id}`, { disabled }, { query: { accountIdentifier: A() } }));
      expect(await list(true)).toEqual([['dis_tok', true]]);
      await setDisabled(true);
      expectErrorDto(await h().tokenClient(value).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN');
      expect(await list(false)).toEqual([['dis_tok', false]]);
      expect(await list(true)).toEqual([]);
      await setDisabled(false);
      expect(await list(true)).toEqual([['dis_tok', true]]);
    });
  });

  describe('rotation', () => {
    it('answers the bare new value; the new token keeps identifier, name, description, tags and validTo, from now', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const oldValue = await createToken(h(), user.client, owner, 'rot_key', 'rot', { name: 'Rot Name', description: 'desc', tags: { x: 'y' } });
      const before = await aggregateOf(user.client, owner, 'rot_key', 'rot');
      const res = await rotate(h(), user.client, owner, 'rot_key', 'rot');
      const newValue = expectSuccess(res);
      expect(newValue).toMatch(SCANNER_RE);
      expect(newValue).not.toBe(oldValue);
      // No rotateTimestamp: the old value stops at once.
      expectErrorDto(await h().tokenClient(oldValue).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN');
      expectSuccess(await h().tokenClient(newValue).get(`${NG}/user/currentUser`));
      const tokens = await readTokens(h(), user.client, owner, 'rot_key');
      expect(tokens).toHaveLength(1);
      expect(tokens[0].token).toMatchObject({ identifier: 'rot', name: 'Rot Name', description: 'desc', tags: { x: 'y' }, validTo: before.token.validTo, scheduledExpireTime: null });
      expect(tokens[0].token.validFrom).toBeGreaterThanOrEqual(before.token.validFrom);
    });

    it('with rotateTimestamp the old value works until then as rotated_<15 letters>, cannot be updated or rotated, then EXPIRED_TOKEN', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const oldValue = await createToken(h(), user.client, owner, 'grace_key', 'grace');
      const until = now() + 3_600_000;
      const newValue = expectSuccess(await rotate(h(), user.client, owner, 'grace_key', 'grace', { rotateTimestamp: until }));
      expectSuccess(await h().tokenClient(oldValue).get(`${NG}/user/currentUser`));
      const tokens = await readTokens(h(), user.client, owner, 'grace_key');
      const old = tokens.find((t) => t.token.identifier !== 'grace');
      expect(old.token.identifier).toMatch(/^rotated_[A-Za-z]{15}$/);
      expect(old.token).toMatchObject({ name: 'grace name', scheduledExpireTime: until, valid: true });
      expect(old.expiryAt).toBe(until);
      // Both are active now.
      const active = expectSuccess(await user.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'grace_key', includeOnlyActiveTokens: true }) }));
      expect(active.totalItems).toBe(2);
      const update = await user.client.put(`${NG}/token/${old.token.identifier}`, { ...old.token, name: 'changed' }, q());
      expectErrorDto(update, 400, 'INVALID_REQUEST', 'Rotated tokens cannot be updated');
      const again = await rotate(h(), user.client, owner, 'grace_key', old.token.identifier);
      expect(again.status).toBe(400);
      expectJson(again);
      offset += 3_600_000 + 1000;
      try {
        expectErrorDto(await h().tokenClient(oldValue).get(`${NG}/user/currentUser`), 401, 'EXPIRED_TOKEN', 'Token expired.');
        expectSuccess(await h().tokenClient(newValue).get(`${NG}/user/currentUser`));
      } finally { offset -= 3_600_000 + 1000; }
    });

    it('rotateTimestamp after the expiry → 400 INVALID_ARGUMENT; an expired token → 400; validTo sets the new expiry', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'rr_key', 'rr', { validTo: now() + DAY });
      expectErrorDto(await rotate(h(), user.client, owner, 'rr_key', 'rr', { rotateTimestamp: now() + 2 * DAY }), 400, 'INVALID_ARGUMENT');
      const newTo = now() + 7 * DAY;
      expectSuccess(await rotate(h(), user.client, owner, 'rr_key', 'rr', { validTo: newTo }));
      expect((await aggregateOf(user.client, owner, 'rr_key', 'rr')).token.validTo).toBe(newTo);
      await createToken(h(), user.client, owner, 'rr_key', 'rr_short', { validTo: now() + 60_000 });
      offset += 120_000;
      try {
        const expired = await rotate(h(), user.client, owner, 'rr_key', 'rr_short');
        expect(expired.status, expired.text).toBe(400);
        expectJson(expired);
        expect(expired.body.status).toBe('ERROR');
      } finally { offset -= 120_000; }
      expectErrorDto(await rotate(h(), user.client, owner, 'rr_key', 'ghost'), 404, 'ENTITY_NOT_FOUND');
    });

    it('ignores a body on rotate, whatever it is: JSON, malformed JSON, any content type, or none', async () => {
      const owner = userOwner(admin().id);
      await createToken(h(), admin().client, owner, 'rb_key', 'rb');
      const query = ownerQuery(h(), owner, { apiKeyIdentifier: 'rb_key' });
      const res = await admin().client.request('POST', `${NG}/token/rotate/rb`, { identifier: 'other', validTo: 1 }, { query });
      expect(expectSuccess(res)).toMatch(SCANNER_RE);
      for (const [payload, headers] of [
        ['{"identifier":', { 'content-type': 'application/json' }], ['<token/>', { 'content-type': 'application/xml' }],
        ['anything', { 'content-type': 'text/plain' }], ['a=b', { 'content-type': 'application/x-www-form-urlencoded' }],
        ['', { 'content-type': 'application/json' }], [undefined, {}],
      ] as const) {
        expect(expectSuccess(await admin().client.request('POST', `/gateway/ng/api/token/rotate/rb`, payload, { headers, query }))).toMatch(SCANNER_RE);
      }
      expect((await aggregateOf(admin().client, owner, 'rb_key', 'rb')).token.identifier).toBe('rb');
      // Still under the 1 MiB limit like every route.
      const big = await admin().client.request('POST', `${NG}/token/rotate/rb`, 'x'.repeat(1024 * 1024 + 1), { headers: { 'content-type': 'text/plain' }, query });
      expectErrorDto(big, 413, 'INVALID_REQUEST', 'Request body too large');
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' }, now });
