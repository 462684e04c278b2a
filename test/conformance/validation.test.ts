// Conformance, SPEC §2 "Validation rules": identifier pattern and reserved words (exact,
// case-sensitive), name, description, tags, strict body types, nullable fields, and the body/query
// scope mismatch — on the API-key, token and service-account bodies a Harness client sends.
import { describe, expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { apiKeyBody, NG, tokenBody, userOwner } from '../helpers/api-keys.js';
import { RESERVED_IDENTIFIERS } from '../../src/domain/validation.js';
import { expectErrorDto, expectFailureDto, expectSuccess } from './support.js';

const RESERVED = ['or', 'and', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod', 'not', 'null', 'true', 'false', 'new', 'var',
  'return', 'step', 'parallel', 'stepGroup', 'org', 'account', 'class', 'shellScriptProvisioner'];

describeEachEngine('conformance: validation rules', (h) => {
  const admin = () => h().admin;
  const A = () => h().accountId;
  const q = () => ({ query: { accountIdentifier: A() } });
  let n = 0;
  const fresh = (p: string) => `${p}_${n++}`;

  /** The three bodies under test, each a function of the field overrides. */
  const bodies = {
    apiKey: (over: Record<string, unknown>) => admin().client.post(`${NG}/apikey`, apiKeyBody(h(), userOwner(admin().id), fresh('k'), over), q()),
    token: (over: Record<string, unknown>) => admin().client.post(`${NG}/token`, tokenBody(h(), userOwner(admin().id), 'val_key', fresh('t'), over), q()),
    serviceAccount: (over: Record<string, unknown>) => {
      const id = fresh('sa');
      return admin().client.post(`${NG}/serviceaccount`, { identifier: id, name: id, email: `${id}@robots.example.com`, description: 'd', tags: {}, ...over }, q());
    },
  };
  const kinds = Object.keys(bodies) as (keyof typeof bodies)[];

  it('the reserved words are exactly the SPEC list', () => {
    expect([...RESERVED_IDENTIFIERS].sort()).toEqual([...RESERVED].sort());
  });

  describe('identifier', () => {
    it('matches ^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$: 128 characters are fine, 129 are not', async () => {
      for (const kind of kinds) {
        for (const identifier of ['a', '_', 'A_b$9', `a${'b'.repeat(127)}`, 'Class', 'CLASS', 'Org', 'Null', 'stepgroup', 'StepGroup', 'orgs', 'class_', '_class']) {
          expectSuccess(await bodies[kind]({ identifier }));
        }
        for (const identifier of ['', '1abc', '$abc', 'a-b', 'a b', 'a.b', 'é', `a${'b'.repeat(128)}`]) {
          const errors = expectFailureDto(await bodies[kind]({ identifier }), 'identifier');
          expect(errors.every((e) => e.fieldId === 'identifier'), kind).toBe(true);
        }
      }
    });

    it('refuses each reserved word exactly and case-sensitively', async () => {
      for (const kind of kinds) {
        for (const word of RESERVED) {
          const errors = expectFailureDto(await bodies[kind]({ identifier: word }), 'identifier');
          expect(errors[0].error).toContain(word);
        }
      }
      // The same words in another case are ordinary identifiers.
      for (const word of ['cLass', 'TRUE', 'NULL', 'AND', 'Account', 'ORG', 'STEPGROUP', 'ShellScriptProvisioner']) {
        expectSuccess(await bodies.apiKey({ identifier: word }));
      }
    });

    it('applies to the identifiers of the other resources too', async () => {
      const org = await admin().client.post(`${NG}/organizations`, { organization: { identifier: 'class', name: 'x' } }, q());
      expectFailureDto(org, 'organization.identifier');
      expectSuccess(await admin().client.post(`${NG}/organizations`, { organization: { identifier: 'Class', name: 'x' } }, q()));
      const group = await admin().client.post(`${NG}/user-groups`, { identifier: 'stepGroup', name: 'x' }, q());
      expectFailureDto(group, 'identifier');
      const role = await admin().client.post('/authz/api/roles', { identifier: 'null', name: 'x', permissions: [] }, q());
      expectFailureDto(role, 'identifier');
      // The token's apiKeyIdentifier is an identifier as well.
      expectFailureDto(await bodies.token({ apiKeyIdentifier: 'true' }), 'apiKeyIdentifier');
    });
  });

  describe('name', () => {
    it('is not blank, at most 128 characters of [A-Za-z0-9-_. /]', async () => {
      for (const kind of kinds) {
        for (const name of ['a', 'My key-1_x.y /z', 'n'.repeat(128), ' padded ']) expectSuccess(await bodies[kind]({ name }));
        for (const name of ['', ' ', '   ', 'n'.repeat(129), 'bad!', 'quote"s', 'tab\tx', 'new\nline', 'émoji', 'a:b', 'a@b', 'a,b', 'a(b)']) {
          expectFailureDto(await bodies[kind]({ name }), 'name');
        }
        expectFailureDto(await bodies[kind]({ name: null }), 'name');
      }
    });
  });

  describe('description and tags', () => {
    it('description: at most 1024 characters; null is accepted', async () => {
      for (const kind of kinds) {
        expectSuccess(await bodies[kind]({ description: 'd'.repeat(1024) }));
        expectSuccess(await bodies[kind]({ description: null }));
        expectFailureDto(await bodies[kind]({ description: 'd'.repeat(1025) }), 'description');
      }
    });

    it('tags: an object of string to string with at most 128 entries; null is accepted', async () => {
      const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, `v${i}`]));
      for (const kind of kinds) {
        expectSuccess(await bodies[kind]({ tags: tags(128) }));
        expectSuccess(await bodies[kind]({ tags: null }));
        expectSuccess(await bodies[kind]({ tags: { '': '', 'key with (odd) chars': 'value ".*"' } }));
        expectFailureDto(await bodies[kind]({ tags: tags(129) }), 'tags');
        expectFailureDto(await bodies[kind]({ tags: { a: 1 } }), 'tags.a');
        expectFailureDto(await bodies[kind]({ tags: { a: true } }), 'tags.a');
        expectFailureDto(await bodies[kind]({ tags: { a: null } }), 'tags.a');
        expectFailureDto(await bodies[kind]({ tags: { a: { b: 'c' } } }), 'tags.a');
        expectFailureDto(await bodies[kind]({ tags: ['a', 'b'] }), 'tags');
        expectFailureDto(await bodies[kind]({ tags: 'a:b' }), 'tags');
      }
    });
  });

  describe('strict types', () => {
    it('"name": 123 is a 400, not coerced; nor are numbers in strings, booleans in strings, or strings for numbers', async () => {
      for (const kind of kinds) {
        expectFailureDto(await bodies[kind]({ name: 123 }), 'name');
        expectFailureDto(await bodies[kind]({ identifier: 123 }), 'identifier');
        expectFailureDto(await bodies[kind]({ description: 5 }), 'description');
        expectFailureDto(await bodies[kind]({ name: ['x'] }), 'name');
        expectFailureDto(await bodies[kind]({ accountIdentifier: 7 }), 'accountIdentifier');
      }
      expectFailureDto(await bodies.apiKey({ defaultTimeToExpireToken: '5' }), 'defaultTimeToExpireToken');
      expectFailureDto(await bodies.apiKey({ defaultTimeToExpireToken: 1.5 }), 'defaultTimeToExpireToken');
      expectFailureDto(await bodies.apiKey({ rateLimitQps: '2' }), 'rateLimitQps');
      expectFailureDto(await bodies.apiKey({ apiKeyType: 'user' }), 'apiKeyType');
      expectFailureDto(await bodies.token({ validTo: String(Date.now() + 60_000) }), 'validTo');
      expectFailureDto(await bodies.token({ validFrom: '0' }), 'validFrom');
      expectFailureDto(await bodies.token({ validTo: new Date(Date.now() + 60_000).toISOString() }), 'validTo');
      // Numbers too large for any instant are a 400 too — never a database error (500).
      expectFailureDto(await bodies.token({ validTo: 1e20 }), 'validTo');
      expectFailureDto(await bodies.token({ validFrom: -1 }), 'validFrom');
      expectFailureDto(await bodies.apiKey({ defaultTimeToExpireToken: 1e20 }), 'defaultTimeToExpireToken');
      expectFailureDto(await admin().client.request('POST', `${NG}/token/rotate/x`, undefined,
        { query: { accountIdentifier: A(), apiKeyType: 'USER', parentIdentifier: admin().id, apiKeyIdentifier: 'val_key', validTo: '100000000000000000000' } }), 'validTo');
      expectFailureDto(await bodies.serviceAccount({ email: 42 }), 'email');
      expectFailureDto(await bodies.serviceAccount({ email: 'not-an-email' }), 'email');
      // A body that is not an object at all.
      expectFailureDto(await admin().client.request('POST', `${NG}/apikey?accountIdentifier=${A()}`, '[]', { headers: { 'content-type': 'application/json' } }));
      expectFailureDto(await admin().client.request('POST', `${NG}/apikey?accountIdentifier=${A()}`, '"text"', { headers: { 'content-type': 'application/json' } }));
    });

    it('U+0000 anywhere — body value or key, query, path — is a schema 400 on both engines, never a 500', async () => {
      const errors = expectFailureDto(await bodies.apiKey({ description: 'a\u0000b' }), 'description');
      expect(errors[0].error).toBe('must not contain the character U+0000');
      expectFailureDto(await bodies.token({ tags: { k: 'v\u0000' } }), 'tags.k');
      expectFailureDto(await bodies.serviceAccount({ tags: { 'k\u0000': 'v' } }), 'tags');
      const owner = { accountIdentifier: A(), apiKeyType: 'USER', parentIdentifier: admin().id };
      expectFailureDto(await admin().client.get(`${NG}/apikey`, { query: { ...owner, identifiers: ['ok', 'a\u0000b'] } }), 'identifiers.1');
      // in a list, the element is named by its index, as schema errors name it
      expectFailureDto(await admin().client.post('/authz/api/acl', { permissions: [{ resourceScope: { accountIdentifier: A() }, resourceType: 'ROLE', permission: 'core_role_view' },
        { resourceScope: { accountIdentifier: A(), orgIdentifier: 'o\u0000' }, resourceType: 'ROLE', permission: 'core_role_view' }] }), 'permissions.1.resourceScope.orgIdentifier');
      expectFailureDto(await admin().client.get(`${NG}/apikey/aggregate/x`, { query: { ...owner, parentIdentifier: 'a\u0000' } }), 'parentIdentifier');
      expectFailureDto(await admin().client.get(`${NG}/token/aggregate`, { query: { ...owner, searchTerm: '\u0000' } }), 'searchTerm');
      expectFailureDto(await admin().client.get(`${NG}/serviceaccount/a%00b`, q()), 'identifier');
      // A raw token body is parsed, never stored: validate says the value is not a token.
      const validate = await h().anonymous.request('POST', `${NG}/token/validate`, 'pat.\u0000', { headers: { 'content-type': 'text/plain' } });
      expect(validate.status).toBe(401);
    });

    it('an unpaired UTF-16 surrogate in a body is a 400 naming the field (UTF-8 storage would turn it into U+FFFD); a proper pair is kept as sent', async () => {
      for (const kind of kinds) {
        const errors = expectFailureDto(await bodies[kind]({ description: 'a\ud800b' }), 'description');
        expect(errors[0].error).toBe('must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF without its pair)');
        expectFailureDto(await bodies[kind]({ tags: { k: '\udfff' } }), 'tags.k');
        expectFailureDto(await bodies[kind]({ tags: { ['k\udc00']: 'v' } }), 'tags');
      }
      // Written as escapes, as a client's JSON encoder may: the pair is one character, stored and read back as such.
      const id = fresh('pair');
      const raw = JSON.stringify(apiKeyBody(h(), userOwner(admin().id), id, { description: 'PAIR' })).replace('PAIR', 'smile \\ud83d\\ude00');
      const created = expectSuccess(await admin().client.request('POST', `${NG}/apikey`, raw, { ...q(), headers: { 'content-type': 'application/json' } }));
      expect(created.description).toBe('smile \u{1F600}');
      const read = expectSuccess(await admin().client.get(`${NG}/apikey/aggregate/${id}`, { query: { accountIdentifier: A(), apiKeyType: 'USER', parentIdentifier: admin().id } }));
      expect(read.apiKey.description).toBe('smile \u{1F600}');
    });

    it('a JSON body whose bytes are not UTF-8 is a 400 (read leniently it would be stored as U+FFFD), and nothing is stored', async () => {
      const id = fresh('bytes');
      const text = JSON.stringify(apiKeyBody(h(), userOwner(admin().id), id, { description: 'XY' }));
      const at = text.indexOf('XY');
      const raw = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(at + 2))]);
      expectErrorDto(await admin().client.request('POST', `${NG}/apikey`, raw, { ...q(), headers: { 'content-type': 'application/json' } }),
        400, 'INVALID_REQUEST', 'Request body is not valid UTF-8');
      const read = await admin().client.get(`${NG}/apikey/aggregate/${id}`, { query: { accountIdentifier: A(), apiKeyType: 'USER', parentIdentifier: admin().id } });
      expect(read.status).toBe(404);
      // U+FFFD itself, sent as UTF-8, is an ordinary character.
      const replacement = expectSuccess(await admin().client.request('POST', `${NG}/apikey`,
        Buffer.from(text.replace('XY', '\ufffd')), { ...q(), headers: { 'content-type': 'application/json' } }));
      expect(replacement.description).toBe('\ufffd');
    });

    it('valid JSON with a "__proto__" key (or constructor.prototype) is refused with a message that says so, not "not valid JSON"', async () => {
      for (const body of ['{"__proto__":{"x":1},"identifier":"p1","name":"p1"}', '{"identifier":"p2","name":"p2","tags":{"__proto__":"x"}}',
        '{"identifier":"p3","name":"p3","constructor":{"prototype":{"x":1}}}']) {
        expectErrorDto(await admin().client.request('POST', `${NG}/apikey`, body, { ...q(), headers: { 'content-type': 'application/json' } }),
          400, 'INVALID_REQUEST', 'Request body must not contain a "__proto__" key, nor a "constructor" object with a "prototype" key');
      }
      expectErrorDto(await admin().client.request('POST', `${NG}/apikey`, '{"identifier":', { ...q(), headers: { 'content-type': 'application/json' } }),
        400, 'INVALID_REQUEST', 'Request body is not valid JSON');
    });

    it('a value outside a fixed set is one error naming every allowed value, not one error per value', async () => {
      const role = await admin().client.post('/authz/api/roles', { identifier: fresh('r'), name: 'r', permissions: [], allowedScopeLevels: ['galaxy'] }, q());
      expect(role.status).toBe(400);
      expect(role.body.errors).toEqual([{ fieldId: 'allowedScopeLevels.0', error: 'must be one of account, organization, project' }]);
      expect(role.body.message).toBe('allowedScopeLevels.0: must be one of account, organization, project');
      const assignment = await admin().client.post('/authz/api/roleassignments', {
        resourceGroupIdentifier: '_all_account_level_resources', roleIdentifier: '_account_viewer', principal: { identifier: admin().id, type: 'ROBOT' },
      }, q());
      expect(assignment.status).toBe(400);
      expect(assignment.body.errors).toEqual([{ fieldId: 'principal.type', error: 'must be one of USER, USER_GROUP, SERVICE_ACCOUNT' }]);
    });

    it('nullable fields accept null; epoch-millisecond timestamps are numbers', async () => {
      expectSuccess(await bodies.apiKey({ orgIdentifier: null, projectIdentifier: null, defaultTimeToExpireToken: null, rateLimitQps: null }));
      expectSuccess(await bodies.token({ validFrom: null, validTo: null, scheduledExpireTime: null, valid: null, email: null, username: null }));
      expectSuccess(await bodies.token({ validFrom: Date.now(), validTo: Date.now() + 60_000 }));
      expectSuccess(await bodies.serviceAccount({ orgIdentifier: null, projectIdentifier: null }));
    });
  });

  describe('body scope against query scope', () => {
    const mismatch = (previous: string, current: string) => `Invalid request: Value mismatch, previous: ${previous} current: ${current}`;

    it('must match when both are given: Invalid request: Value mismatch, previous: <query> current: <body>', async () => {
      for (const kind of kinds) {
        expectErrorDto(await bodies[kind]({ accountIdentifier: 'someone_else' }), 400, 'INVALID_REQUEST', mismatch(A(), 'someone_else'));
      }
      const orgQ = { query: { accountIdentifier: A(), orgIdentifier: 'default' } };
      const sa = await admin().client.post(`${NG}/serviceaccount`, { identifier: 'mm_sa', name: 'x', email: 'mm@robots.example.com', orgIdentifier: 'other_org' }, orgQ);
      expectErrorDto(sa, 400, 'INVALID_REQUEST', mismatch('default', 'other_org'));
      const key = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), { ...userOwner(admin().id), orgIdentifier: 'default', projectIdentifier: 'p2' }, 'mm_key'),
        { query: { accountIdentifier: A(), orgIdentifier: 'default', projectIdentifier: 'default_project' } });
      expectErrorDto(key, 400, 'INVALID_REQUEST', mismatch('default_project', 'p2'));
    });

    it('the body alone decides when the query does not name the field; equal values are fine', async () => {
      expectSuccess(await bodies.apiKey({ accountIdentifier: A() }));
      const res = await admin().client.post(`${NG}/serviceaccount`, { identifier: 'body_scope_sa', name: 'x', email: 'bs@robots.example.com', orgIdentifier: 'default' }, q());
      expect(expectSuccess(res).orgIdentifier).toBe('default');
    });
  });

  it('the valid token bodies above created their API key on the way (val_key)', async () => {
    const res = await admin().client.get(`${NG}/apikey/aggregate/val_key`, { query: { accountIdentifier: A(), apiKeyType: 'USER', parentIdentifier: admin().id } });
    expect(res.status).toBe(200);
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000', KEYSMITH_MAX_TOKENS_PER_KEY: '1000', KEYSMITH_MAX_API_KEYS_PER_OWNER: '1000' } });
