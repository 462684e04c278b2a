// Conformance, SPEC §2 "Wire format": what a Harness-style client (Go SDK, Terraform provider, curl
// scripts from Harness's docs) sees on every answer — prefixes, content type, envelopes, correlation
// ids, paging, sorting, searching, repeated and string-typed query parameters, the FailureDTO and
// ErrorDTO, and the OpenAPI document. Black-box: only HTTP, as such a client would.
import { connect } from 'node:net';
import { describe, expect } from 'vitest';
import { describeEachEngine, it, type Client } from '../helpers/harness.js';
import { apiKeyBody, createApiKey, createToken, NG, ownerQuery, tokenBody, userOwner } from '../helpers/api-keys.js';
import {
  expectErrorDto, expectFailureDto, expectJson, expectPage, expectSuccess, sortedKeys, UUID_RE,
} from './support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachEngine('conformance: wire format', (h) => {
  const admin = () => h().admin;
  const A = () => h().accountId;
  const adminOwner = () => userOwner(admin().id);

  describe('prefixes', () => {
    it('every read endpoint answers the same under /ng/api, /authz/api, /resourcegroup/api and their /gateway copies', async () => {
      await createApiKey(h(), admin().client, adminOwner(), 'prefix_key');
      await admin().client.post(`${NG}/serviceaccount`, { identifier: 'prefix_sa', name: 'prefix sa', email: 'prefix_sa@robots.example.com' }, { query: { accountIdentifier: A() } });
      const q = (extra: Record<string, string> = {}) => '?' + new URLSearchParams({ accountIdentifier: A(), ...extra }).toString();
      const owner = { apiKeyType: 'USER', parentIdentifier: admin().id };
      const paths = [
        `/ng/api/apikey${q(owner)}`,
        `/ng/api/apikey/aggregate${q(owner)}`,
        `/ng/api/apikey/aggregate/prefix_key${q(owner)}`,
        `/ng/api/token/aggregate${q(owner)}`,
        `/ng/api/serviceaccount${q()}`,
        `/ng/api/serviceaccount/aggregate${q()}`,
        `/ng/api/serviceaccount/aggregate/prefix_sa${q()}`,
        `/ng/api/serviceaccount/prefix_sa${q()}`,
        `/ng/api/user/currentUser`,
        `/ng/api/user/aggregate${q()}`,
        `/ng/api/organizations${q()}`,
        `/ng/api/organizations/default${q()}`,
        `/ng/api/projects${q({ orgIdentifier: 'default' })}`,
        `/ng/api/projects/default_project${q({ orgIdentifier: 'default' })}`,
        `/ng/api/user-groups${q()}`,
        `/ng/api/audits${q()}`,
        `/ng/api/account-settings${q()}`,
        `/authz/api/roles${q()}`,
        `/authz/api/roleassignments${q()}`,
        `/resourcegroup/api/v2/resourcegroup${q()}`,
      ];
      const strip = (body: any) => JSON.parse(JSON.stringify({ ...body, correlationId: null }));
      for (const path of paths) {
        const direct = await admin().client.get(path);
        const gateway = await admin().client.get(`/gateway${path}`);
        expect(direct.status, `${path}: ${direct.text}`).toBe(200);
        expectSuccess(direct);
        expectSuccess(gateway);
        expect(strip(gateway.body), path).toEqual(strip(direct.body));
      }
    });

    it('writes work under /gateway/ng/api too: the Terraform provider\'s default base', async () => {
      const G = '/gateway/ng/api';
      const owner = adminOwner();
      const created = await admin().client.post(`${G}/apikey`, apiKeyBody(h(), owner, 'gw_key'), { query: { accountIdentifier: A() } });
      expectSuccess(created);
      const updated = await admin().client.put(`${G}/apikey/${A()}`, apiKeyBody(h(), owner, 'gw_key', { name: 'renamed' }));
      expect(expectSuccess(updated).name).toBe('renamed');
      const value = expectSuccess(await admin().client.post(`${G}/token`, tokenBody(h(), owner, 'gw_key', 'gw_tok'), { query: { accountIdentifier: A() } }));
      expect(typeof value).toBe('string');
      const rotated = await admin().client.request('POST', `${G}/token/rotate/gw_tok`, undefined, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'gw_key' }) });
      const newValue = expectSuccess(rotated);
      const validated = await h().anonymous.request('POST', `${G}/token/validate?accountIdentifier=${A()}`, newValue, { headers: { 'content-type': 'text/plain' } });
      expect(expectSuccess(validated).identifier).toBe('gw_tok');
      const deleted = await admin().client.delete(`${G}/token/gw_tok`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'gw_key' }) });
      expect(expectSuccess(deleted)).toBe(true);
      const revoked = await h().anonymous.request('POST', `${G}/token/revoke`, newValue, { headers: { 'content-type': 'text/plain' } });
      expect(expectSuccess(revoked)).toBe(true);
      expect(expectSuccess(await admin().client.delete(`${G}/token/all`, { query: ownerQuery(h(), owner) }))).toEqual(expect.any(Number));
      expect(expectSuccess(await admin().client.delete(`${G}/apikey/gw_key`, { query: ownerQuery(h(), owner) }))).toBe(true);
      const sa = await admin().client.post(`${G}/serviceaccount`, { identifier: 'gw_sa', name: 'gw', email: 'gw@robots.example.com' }, { query: { accountIdentifier: A() } });
      expectSuccess(sa);
      expectSuccess(await admin().client.put(`${G}/serviceaccount/gw_sa`, { identifier: 'gw_sa', name: 'gw2', email: 'gw@robots.example.com' }, { query: { accountIdentifier: A() } }));
      expect(expectSuccess(await admin().client.delete(`${G}/serviceaccount/gw_sa`, { query: { accountIdentifier: A() } }))).toBe(true);
      // RBAC and resource groups under their /gateway prefixes.
      const role = await admin().client.post('/gateway/authz/api/roles', { identifier: 'gw_role', name: 'gw role', permissions: ['core_serviceaccount_view'], allowedScopeLevels: ['account'] }, { query: { accountIdentifier: A() } });
      expectSuccess(role);
      const rg = await admin().client.post('/gateway/resourcegroup/api/v2/resourcegroup', {
        resourceGroup: { identifier: 'gw_rg', name: 'gw rg', includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: A() }], resourceFilter: { includeAllResources: true, resources: [] } },
      }, { query: { accountIdentifier: A() } });
      expectSuccess(rg);
    });
  });

  describe('content type', () => {
    it('is application/json on successes and on every kind of error, 404s included', async () => {
      const c = admin().client;
      const answers = [
        await c.get(`${NG}/apikey`, { query: { accountIdentifier: A() } }), // 200
        await c.post(`${NG}/apikey`, { ...apiKeyBody(h(), adminOwner(), 'ct'), name: 123 }), // 400 FAILURE
        await c.get(`${NG}/apikey/aggregate`, { query: { accountIdentifier: A(), pageSize: 101 } }), // 400 ERROR
        await h().anonymous.get(`${NG}/apikey`, { query: { accountIdentifier: A() } }), // 401
        await h().tokenClient('pat.nothing.here.atall').get(`${NG}/apikey`), // 401 INVALID_TOKEN
        await c.request('POST', `${NG}/apikey`, apiKeyBody(h(), adminOwner(), 'ct'), { headers: { 'x-csrf-token': 'wrong' } }), // 403
        await c.get(`${NG}/apikey/aggregate/missing`, { query: ownerQuery(h(), adminOwner()) }), // 404 ENTITY_NOT_FOUND
        await c.get(`${NG}/no/such/route`), // 404 RESOURCE_NOT_FOUND_EXCEPTION
        await c.get(`/gateway/ng/api/no/such/route`),
        await c.get('/authz/api/nothing'),
        await c.get('/resourcegroup/api/nothing'),
        await h().anonymous.get('/definitely/not/here'),
        await c.request('DELETE', `${NG}/apikey`), // a known path with an unserved method
        await c.request('POST', `${NG}/apikey`, '<xml/>', { headers: { 'content-type': 'application/xml' } }), // 415
        await c.request('POST', `${NG}/apikey`, '{"identifier":', { headers: { 'content-type': 'application/json' } }), // bad JSON
      ];
      for (const res of answers) {
        expectJson(res);
        expect(res.body, res.text).toBeTypeOf('object');
        expect(typeof res.body.correlationId).toBe('string');
      }
      expectErrorDto(answers[7], 404, 'RESOURCE_NOT_FOUND_EXCEPTION');
      expectErrorDto(answers[11], 404, 'RESOURCE_NOT_FOUND_EXCEPTION');
      expect(answers[12].status).toBe(404);
      expectErrorDto(answers[13], 415, 'INVALID_REQUEST', 'Unsupported content type: application/xml');
      expectErrorDto(answers[14], 400, 'INVALID_REQUEST');
    });

    it('what Node refuses before routing (headers over the limit, bad HTTP) is an ErrorDTO too', async () => {
      const address = await h().app.listen({ port: 0, host: '127.0.0.1' });
      const long = await fetch(`${address}/ng/api/apikey?accountIdentifier=${'a'.repeat(20_000)}`);
      expect(long.status).toBe(431);
      expect(long.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await long.json() as any;
      expect(sortedKeys(body)).toEqual(['code', 'correlationId', 'detailedMessage', 'message', 'responseMessages', 'status']);
      expect(body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', detailedMessage: null });
      expect(body.correlationId).toMatch(UUID_RE);
      const { port } = new URL(address);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk) => { text += chunk; });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 400 /);
      expect(raw).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST' });
    });

    it('what Node answers on its own is an ErrorDTO too (an Expect it cannot meet, CONNECT), and a request without Host is served', async () => {
      // Listening already when the test before it ran.
      if (!h().app.server.listening) await h().app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = h().app.server.address() as { port: number };
      const exchange = (request: string) => new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.write(request));
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk;
          // Answered in full (a kept-alive connection stays open): stop reading.
          const head = text.indexOf('\r\n\r\n');
          const length = /content-length: (\d+)/i.exec(text)?.[1];
          if (head >= 0 && length && Buffer.byteLength(text.slice(head + 4)) >= Number(length)) socket.end();
        });
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

      const expectation = await exchange(`GET ${NG}/user/currentUser HTTP/1.1\r\nHost: x\r\nExpect: foo\r\n\r\n`);
      expect(expectation).toMatch(/^HTTP\/1\.1 417 /);
      expect(expectation).toMatch(/content-type: application\/json/i);
      expect(bodyOf(expectation)).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', message: 'Only the expectation 100-continue is supported' });

      const tunnel = await exchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
      expect(tunnel).toMatch(/^HTTP\/1\.1 405 /);
      expect(bodyOf(tunnel)).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', message: 'CONNECT is not supported' });

      const noHost = await exchange(`GET ${NG}/user/currentUser HTTP/1.1\r\nConnection: close\r\n\r\n`);
      expect(noHost).toMatch(/^HTTP\/1\.1 401 /);
      expect(bodyOf(noHost)).toMatchObject({ code: 'UNAUTHORIZED' });
    });

    it('413 for a body over 1 MiB: INVALID_REQUEST, Request body too large, JSON', async () => {
      const big = JSON.stringify({ ...apiKeyBody(h(), adminOwner(), 'big'), description: 'x'.repeat(1024 * 1024 + 1) });
      const res = await admin().client.request('POST', `${NG}/apikey`, big, { headers: { 'content-type': 'application/json' }, query: { accountIdentifier: A() } });
      expectErrorDto(res, 413, 'INVALID_REQUEST', 'Request body too large');
    });
  });

  describe('success envelope', () => {
    it('has exactly status, data, metaData:null and correlationId, with nulls serialized in data', async () => {
      const res = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), adminOwner(), 'env_key', { description: null, tags: null }), { query: { accountIdentifier: A() } });
      const data = expectSuccess(res);
      expect(data.orgIdentifier).toBeNull();
      expect(res.text).toContain('"orgIdentifier":null');
      expect(res.text).toContain('"projectIdentifier":null');
      expect(res.text).toContain('"rateLimitQps":null');
      expect(res.body.correlationId).toMatch(UUID_RE);
    });

    it('ignores unknown request fields, in bodies and in the query', async () => {
      const res = await admin().client.post(`${NG}/apikey`, apiKeyBody(h(), adminOwner(), 'unknown_fields', { somethingNew: { nested: [1, 2] }, createdAt: 5 }),
        { query: { accountIdentifier: A(), routingId: A(), unknownFlag: 'true' } });
      const data = expectSuccess(res);
      expect(data).not.toHaveProperty('somethingNew');
      expect(data).not.toHaveProperty('createdAt');
    });
  });

  describe('X-Correlation-Id', () => {
    const get = (id?: string) => admin().client.get(`${NG}/apikey`, { query: { accountIdentifier: A() }, ...(id === undefined ? {} : { headers: { 'x-correlation-id': id } }) });

    it('echoes up to 128 printable characters, in the body and the header, on successes and errors', async () => {
      for (const id of ['abc-123', 'x'.repeat(128), '~!@#$%^&*()_+{}|:"<>?`-=[]\\;\',./', 'with inner space']) {
        const res = await get(id);
        expect(res.body.correlationId).toBe(id);
        expect(res.headers['x-correlation-id']).toBe(id);
      }
      const error = await h().anonymous.get(`${NG}/apikey`, { headers: { 'x-correlation-id': 'err-corr-1' } });
      expect(error.status).toBe(401);
      expect(error.body.correlationId).toBe('err-corr-1');
      const failure = await admin().client.get(`${NG}/apikey/aggregate`, { query: { accountIdentifier: A(), pageIndex: -1 }, headers: { 'x-correlation-id': 'fail-corr-1' } });
      expect(failure.body).toMatchObject({ status: 'FAILURE', correlationId: 'fail-corr-1' });
      const notFound = await admin().client.get('/gateway/ng/api/nowhere', { headers: { 'x-correlation-id': 'nf-corr-1' } });
      expect(notFound.body.correlationId).toBe('nf-corr-1');
    });

    it('answers a longer or odd one, or none, with a new UUID', async () => {
      for (const id of [undefined, 'x'.repeat(129), 'tab\there', 'caf\u00e9']) {
        const res = await get(id);
        expect(res.body.correlationId, String(id)).toMatch(UUID_RE);
        expect(res.headers['x-correlation-id']).toBe(res.body.correlationId);
      }
      const a = await get();
      const b = await get();
      expect(a.body.correlationId).not.toBe(b.body.correlationId);
    });
  });

  describe('pages', () => {
    it('have the Harness shape; pageIndex defaults to 0 and pageSize to 50; 100 is allowed, 101 is a 400', async () => {
      const list = (query: Record<string, string | number> = {}) =>
        admin().client.get(`${NG}/serviceaccount/aggregate`, { query: { accountIdentifier: A(), ...query } });
      const first = expectSuccess(await list());
      expectPage(first);
      expect(first).toMatchObject({ pageIndex: 0, pageSize: 50 });
      expect(expectSuccess(await list({ pageSize: 100 })).pageSize).toBe(100);
      const tooBig = await list({ pageSize: 101 });
      expectErrorDto(tooBig, 400, 'INVALID_REQUEST', 'pageSize must be at most 100');
      // Beyond the safe integers too: the same rule, not the validator's bound.
      expectErrorDto(await list({ pageSize: '99999999999999999999' }), 400, 'INVALID_REQUEST', 'pageSize must be at most 100');
      // With another field wrong as well, each is named, as any validation failure is.
      const both = expectFailureDto(await list({ pageSize: '99999999999999999999', pageIndex: '-1' }), 'pageSize', 'pageIndex');
      expect(both.filter((e) => e.fieldId === 'pageSize')).toEqual([{ fieldId: 'pageSize', error: 'must be at most 100' }]);
      for (const path of ['/ng/api/apikey/aggregate', '/ng/api/token/aggregate', '/ng/api/user/aggregate', '/ng/api/organizations',
        '/ng/api/projects', '/ng/api/user-groups', '/ng/api/audits', '/authz/api/roles', '/authz/api/roleassignments',
        '/resourcegroup/api/v2/resourcegroup', '/gateway/ng/api/serviceaccount/aggregate']) {
        expectErrorDto(await admin().client.get(path, { query: { accountIdentifier: A(), pageSize: 101 } }), 400, 'INVALID_REQUEST', 'pageSize must be at most 100');
        const ok = expectSuccess(await admin().client.get(path, { query: { accountIdentifier: A() } }));
        expectPage(ok);
        expect(ok, path).toMatchObject({ pageIndex: 0, pageSize: 50 });
      }
    });

    it('count pages and items; a page past the end is empty', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      for (const id of ['p_a', 'p_b', 'p_c']) await createApiKey(h(), user.client, owner, id);
      const page = (pageIndex: number) => user.client.get(`${NG}/apikey/aggregate`, { query: ownerQuery(h(), owner, { pageIndex, pageSize: 2 }) });
      const p0 = expectSuccess(await page(0));
      expectPage(p0);
      expect(p0).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 2, pageSize: 2, pageIndex: 0, empty: false });
      const p1 = expectSuccess(await page(1));
      expect(p1).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 1, pageIndex: 1, empty: false });
      const p5 = expectSuccess(await page(5));
      expect(p5).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 0, pageIndex: 5, empty: true, content: [] });
    });

    it('sort by lastModifiedAt,DESC by default; sortOrders may repeat; a single one works too', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createApiKey(h(), user.client, owner, 's_one', { name: 'same' });
      await sleep(5);
      await createApiKey(h(), user.client, owner, 's_two', { name: 'other' });
      await sleep(5);
      await createApiKey(h(), user.client, owner, 's_three', { name: 'same' });
      await sleep(5);
      // Touch the first so it is the most recently modified.
      expectSuccess(await user.client.put(`${NG}/apikey/${A()}`, apiKeyBody(h(), owner, 's_one', { name: 'same' })));
      const ids = async (sortOrders?: string | string[]) => {
        const res = await user.client.get(`${NG}/apikey/aggregate`, { query: ownerQuery(h(), owner, { sortOrders }) });
        return (expectSuccess(res).content as any[]).map((a) => a.apiKey.identifier);
      };
      expect(await ids()).toEqual(['s_one', 's_three', 's_two']);
      expect(await ids('lastModifiedAt,DESC')).toEqual(['s_one', 's_three', 's_two']);
      expect(await ids('lastModifiedAt,ASC')).toEqual(['s_two', 's_three', 's_one']);
      expect(await ids('createdAt,ASC')).toEqual(['s_one', 's_two', 's_three']);
      expect(await ids(['name,ASC', 'identifier,DESC'])).toEqual(['s_two', 's_three', 's_one']);
      expect(await ids(['name,ASC', 'identifier,ASC'])).toEqual(['s_two', 's_one', 's_three']);
      expect(await ids(['name,DESC', 'createdAt,DESC'])).toEqual(['s_three', 's_one', 's_two']);
      // `field` alone is ascending; the direction's case does not matter; the Go SDK's `{field DIR}`
      // (its SortOrder struct printed with %v) is read as `field,DIR`; an empty value asks for nothing.
      expect(await ids('createdAt')).toEqual(['s_one', 's_two', 's_three']);
      expect(await ids('createdAt,desc')).toEqual(['s_three', 's_two', 's_one']);
      expect(await ids(['{name ASC}', '{identifier DESC}'])).toEqual(['s_two', 's_three', 's_one']);
      expect(await ids('')).toEqual(['s_one', 's_three', 's_two']);
      // A bad sort is a 400, never a 500.
      const bad = await user.client.get(`${NG}/apikey/aggregate`, { query: ownerQuery(h(), owner, { sortOrders: 'nonsense,SIDEWAYS' }) });
      expect(bad.status).toBe(400);
      expectJson(bad);
    });
  });

  describe('a list at a scope whose organization or project does not exist', () => {
    const lists = (owner: string) => [
      `${NG}/apikey?apiKeyType=USER&parentIdentifier=${owner}`, `${NG}/apikey/aggregate?apiKeyType=USER&parentIdentifier=${owner}`,
      `${NG}/token/aggregate?apiKeyType=USER&parentIdentifier=${owner}`, `${NG}/serviceaccount`, `${NG}/serviceaccount/aggregate`,
      `${NG}/user-groups`, '/authz/api/roles', '/authz/api/roleassignments', '/resourcegroup/api/v2/resourcegroup', `${NG}/projects`,
      `/gateway${NG}/serviceaccount/aggregate`, `${NG}/audits`, `${NG}/user/aggregate`,
    ];
    const at = (path: string, org: string, project?: string) =>
      `${path}${path.includes('?') ? '&' : '?'}accountIdentifier=${h().accountId}&orgIdentifier=${org}${project ? `&projectIdentifier=${project}` : ''}`;

    it('is a 404 ENTITY_NOT_FOUND naming it, the same on every list, for a caller allowed to see that organization or project', async () => {
      const admin = h().admin;
      for (const path of lists(admin.id)) {
        expectErrorDto(await admin.client.get(at(path, 'no_such_org')), 404, 'ENTITY_NOT_FOUND', 'Organization with identifier no_such_org not found');
        if (path.endsWith('/projects')) continue; // projects are listed per organization
        expectErrorDto(await admin.client.get(at(path, 'default', 'no_such_project')), 404, 'ENTITY_NOT_FOUND',
          'Project with identifier no_such_project in organization default not found');
        expectSuccess(await admin.client.get(at(path, 'default', 'default_project')));
      }
    });

    it('is a 200 empty list for a caller who may not see it, so a list tells nothing of what exists', async () => {
      const outsider = await h().createUser();
      for (const path of lists(outsider.id)) {
        for (const [org, project] of [['no_such_org', undefined], ['default', 'no_such_project'], ['default', 'default_project']] as const) {
          const data = expectSuccess(await outsider.client.get(at(path, org, project)));
          const items: any[] = Array.isArray(data) ? data : data.content;
          // Every caller may see itself among the users; nothing else.
          expect(items.filter((item) => item.user?.uuid !== outsider.id), `${path} ${org} ${project}`).toEqual([]);
        }
      }
    });
  });

  describe('searchTerm', () => {
    // Every regex (and LIKE) metacharacter, each matching only itself.
    const LITERALS = ['.*', '(', ')', '[', ']', '{', '}', '\\', '^', '$', '|', '?', '+', '*', '%', '_', '"', "'", '.'];

    async function seed(client: Client, ownerId: string) {
      const owner = userOwner(ownerId);
      await createApiKey(h(), client, owner, 'srch_plain', { name: 'Plain Key', tags: { color: 'blue' } });
      await createApiKey(h(), client, owner, 'srch_dots', { name: 'has.dots here', tags: {} });
      await createApiKey(h(), client, owner, 'srch_meta', { name: 'meta', tags: { 'odd(key)': 'value.*[x]{1}|^$?+%_"\'\\' } });
      for (const id of ['t_plain', 't_meta']) {
        await createToken(h(), client, owner, 'srch_plain', id, id === 't_meta' ? { name: 'meta token', tags: { 'odd(key)': 'value.*[x]{1}|^$?+%_"\'\\' } } : { name: 'Plain Token', tags: { color: 'Blue' } });
      }
      await admin().client.post(`${NG}/serviceaccount`, { identifier: 'srch_sa_meta', name: 'sa meta', email: 'srch_sa_meta@robots.example.com', tags: { 'odd(key)': 'value.*[x]{1}|^$?+%_"\'\\' } }, { query: { accountIdentifier: A() } });
      await admin().client.post(`${NG}/serviceaccount`, { identifier: 'srch_sa_plain', name: 'SA Plain', email: 'srch_sa_plain@robots.example.com', tags: { color: 'blue' } }, { query: { accountIdentifier: A() } });
      return owner;
    }

    it('is a case-insensitive literal match on name, identifier, tag keys and tag values — metacharacters never a regex, never a 500', async () => {
      const user = await h().createUser();
      const owner = await seed(user.client, user.id);
      const keys = async (searchTerm: string) => (expectSuccess(await user.client.get(`${NG}/apikey/aggregate`, { query: ownerQuery(h(), owner, { searchTerm }) })).content as any[]).map((a) => a.apiKey.identifier).sort();
      const tokens = async (searchTerm: string) => (expectSuccess(await user.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), owner, { searchTerm }) })).content as any[]).map((a) => a.token.identifier).sort();
      const sas = async (searchTerm: string) => (expectSuccess(await admin().client.get(`${NG}/serviceaccount/aggregate`, { query: { accountIdentifier: A(), searchTerm, identifiers: ['srch_sa_meta', 'srch_sa_plain'] } })).content as any[]).map((a) => a.serviceAccount.identifier).sort();

      // name, identifier, tag key, tag value; any case
      expect(await keys('PLAIN')).toEqual(['srch_plain']);
      expect(await keys('SRCH_DOTS')).toEqual(['srch_dots']);
      expect(await keys('COLOR')).toEqual(['srch_plain']);
      expect(await keys('BLUE')).toEqual(['srch_plain']);
      expect(await tokens('plain token')).toEqual(['t_plain']);
      expect(await tokens('T_META')).toEqual(['t_meta']);
      expect(await tokens('blue')).toEqual(['t_plain']);
      expect(await sas('sa PLAIN')).toEqual(['srch_sa_plain']);
      expect(await sas('Color')).toEqual(['srch_sa_plain']);

      // `.` is a dot: it matches names with a dot and tag values with one, not everything
      expect(await keys('.')).toEqual(['srch_dots', 'srch_meta']);
      expect(await keys('s.d')).toEqual(['srch_dots']);
      // regex- and LIKE-looking terms match themselves only
      for (const term of LITERALS) {
        expect(await keys(term), term).toEqual(term === '_' ? ['srch_dots', 'srch_meta', 'srch_plain'] : term === '.' ? ['srch_dots', 'srch_meta'] : ['srch_meta']);
        expect(await tokens(term), term).toEqual(term === '_' ? ['t_meta', 't_plain'] : ['t_meta']);
        expect(await sas(term), term).toEqual(term === '_' ? ['srch_sa_meta', 'srch_sa_plain'] : ['srch_sa_meta']);
      }
      expect(await keys('odd(KEY)')).toEqual(['srch_meta']);
      expect(await keys('[x]{1}')).toEqual(['srch_meta']);
      expect(await keys('a.*b')).toEqual([]);
      expect(await keys('nothing-matches-this')).toEqual([]);
      // spaces are part of the literal, never trimmed away
      expect(await keys(' key')).toEqual(['srch_plain']);
      expect(await keys(' plain')).toEqual([]);
      expect(await tokens(' token')).toEqual(['t_meta', 't_plain']);
      expect(await tokens('token ')).toEqual([]);
      expect(await sas(' plain')).toEqual(['srch_sa_plain']);
      expect(await sas('plain ')).toEqual([]);
    });

    it('never fails on other lists either', async () => {
      for (const path of ['/ng/api/user/aggregate', '/ng/api/organizations', '/ng/api/projects', '/ng/api/user-groups', '/authz/api/roles', '/resourcegroup/api/v2/resourcegroup']) {
        for (const searchTerm of ['.*', '(', '\\', '%', '[']) {
          const data = expectSuccess(await admin().client.get(path, { query: { accountIdentifier: A(), searchTerm } }));
          expect(data.content, `${path} ${searchTerm}`).toEqual([]);
        }
      }
    });
  });

  describe('query parameters as a Harness client sends them', () => {
    it('repeated params are lists, and a single one is a one-element list', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      for (const id of ['rep_a', 'rep_b', 'rep_c']) await createApiKey(h(), user.client, owner, id);
      for (const id of ['tok_a', 'tok_b', 'tok_c']) await createToken(h(), user.client, owner, 'rep_a', id);
      const keyIds = async (identifiers: string | string[]) =>
        (expectSuccess(await user.client.get(`${NG}/apikey`, { query: ownerQuery(h(), owner, { identifiers }) })) as any[]).map((k) => k.identifier).sort();
      expect(await keyIds(['rep_a', 'rep_c'])).toEqual(['rep_a', 'rep_c']);
      expect(await keyIds('rep_b')).toEqual(['rep_b']);
      const aggIds = async (identifiers: string | string[]) =>
        (expectSuccess(await user.client.get(`${NG}/apikey/aggregate`, { query: ownerQuery(h(), owner, { identifiers }) })).content as any[]).map((k) => k.apiKey.identifier).sort();
      expect(await aggIds(['rep_a', 'rep_b'])).toEqual(['rep_a', 'rep_b']);
      expect(await aggIds('rep_c')).toEqual(['rep_c']);
      const tokIds = async (identifiers: string | string[]) =>
        (expectSuccess(await user.client.get(`${NG}/token/aggregate`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'rep_a', identifiers }) })).content as any[]).map((t) => t.token.identifier).sort();
      expect(await tokIds(['tok_a', 'tok_c'])).toEqual(['tok_a', 'tok_c']);
      expect(await tokIds('tok_b')).toEqual(['tok_b']);
      for (const id of ['rep_sa1', 'rep_sa2']) {
        await admin().client.post(`${NG}/serviceaccount`, { identifier: id, name: id, email: `${id}@robots.example.com` }, { query: { accountIdentifier: A() } });
      }
      const saIds = async (path: string, identifiers: string | string[]) => {
        const data = expectSuccess(await admin().client.get(path, { query: { accountIdentifier: A(), identifiers } }));
        return (Array.isArray(data) ? data.map((s: any) => s.identifier) : data.content.map((s: any) => s.serviceAccount.identifier)).sort();
      };
      expect(await saIds(`${NG}/serviceaccount`, ['rep_sa1', 'rep_sa2'])).toEqual(['rep_sa1', 'rep_sa2']);
      expect(await saIds(`${NG}/serviceaccount`, 'rep_sa2')).toEqual(['rep_sa2']);
      expect(await saIds(`${NG}/serviceaccount/aggregate`, ['rep_sa1', 'rep_sa2'])).toEqual(['rep_sa1', 'rep_sa2']);
      expect(await saIds(`${NG}/serviceaccount/aggregate`, 'rep_sa1')).toEqual(['rep_sa1']);
    });

    it('numbers and booleans arrive as strings and are read as such', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'typed_key', 'typed_tok');
      const url = `${NG}/token/aggregate?accountIdentifier=${A()}&apiKeyType=USER&parentIdentifier=${user.id}&apiKeyIdentifier=typed_key` +
        '&includeOnlyActiveTokens=true&pageIndex=0&pageSize=10';
      const data = expectSuccess(await user.client.get(url));
      expect(data).toMatchObject({ pageIndex: 0, pageSize: 10, totalItems: 1 });
      expect(expectSuccess(await user.client.get(url.replace('=true', '=false'))).totalItems).toBe(1);
      // A number that is not one is a schema 400 naming the field, not a 500.
      expectFailureDto(await user.client.get(`${NG}/apikey/aggregate?accountIdentifier=${A()}&pageSize=ten`), 'pageSize');
      expectFailureDto(await user.client.get(`${url.replace('=true', '=maybe')}`), 'includeOnlyActiveTokens');
      const rotated = await user.client.request('POST', `${NG}/token/rotate/typed_tok?accountIdentifier=${A()}&apiKeyType=USER&parentIdentifier=${user.id}&apiKeyIdentifier=typed_key&rotateTimestamp=${Date.now() + 60_000}`);
      expectSuccess(rotated);
    });

    it('a number is read only from its decimal text (as Long.parseLong reads it): blank, hex, exponent or fraction is the 400 a word gets', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'dec_key', 'dec_tok');
      const owner = `accountIdentifier=${A()}&apiKeyType=USER&parentIdentifier=${user.id}&apiKeyIdentifier=dec_key`;
      const mustBeInteger = (field: string) => [{ fieldId: field, error: 'must be integer' }];
      const word = expectFailureDto(await user.client.get(`${NG}/token/aggregate?${owner}&pageSize=ten`), 'pageSize');
      expect(word).toEqual(mustBeInteger('pageSize'));
      const texts = ['%20', '', '0x10', '0X1A2B3C4D5E6F', '1e1', '5.0', '%205', '5%20', '0b11', 'Infinity', '%2B', '1_0'];
      for (const text of texts) {
        for (const field of ['pageSize', 'pageIndex']) {
          const res = await user.client.get(`${NG}/token/aggregate?${owner}&${field}=${text}`);
          expect(expectFailureDto(res, field), `${field}=${text}`).toEqual(mustBeInteger(field));
          expect(res.body.message).toBe(`${field}: must be integer`);
        }
        for (const field of ['startTime', 'endTime']) {
          expect(expectFailureDto(await user.client.get(`${NG}/audits?accountIdentifier=${A()}&${field}=${text}`), field), `${field}=${text}`)
            .toEqual(mustBeInteger(field));
        }
        // A blank rotateTimestamp was read as 0, "not in the future": the old token deleted at once.
        for (const field of ['rotateTimestamp', 'validTo']) {
          const res = await user.client.request('POST', `${NG}/token/rotate/dec_tok?${owner}&${field}=${text}`);
          expect(expectFailureDto(res, field), `${field}=${text}`).toEqual(mustBeInteger(field));
        }
      }
      // Nothing was rotated: the token still works, and is the key's only one.
      expect((await h().tokenClient(value).get(`${NG}/user/currentUser`)).status).toBe(200);
      const tokens = expectSuccess(await user.client.get(`${NG}/token/aggregate?${owner}`));
      expect(tokens.content.map((t: any) => t.token.identifier)).toEqual(['dec_tok']);
      // A sign and leading zeros are decimal text too (`+` itself is a space in a query string: %2B).
      expect(expectSuccess(await user.client.get(`${NG}/token/aggregate?${owner}&pageSize=%2B5&pageIndex=000`))).toMatchObject({ pageSize: 5, pageIndex: 0 });
      expect(expectSuccess(await user.client.get(`${NG}/token/aggregate?${owner}&pageSize=007`)).pageSize).toBe(7);
      const graceEnd = Date.now() + 60_000;
      expectSuccess(await user.client.request('POST', `${NG}/token/rotate/dec_tok?${owner}&rotateTimestamp=0${graceEnd}`));
      const [rotated] = expectSuccess(await user.client.get(`${NG}/token/aggregate?${owner}`)).content.filter((t: any) => t.token.identifier !== 'dec_tok');
      expect(rotated.token.scheduledExpireTime).toBe(graceEnd);
      expect((await h().tokenClient(value).get(`${NG}/user/currentUser`)).status).toBe(200);
    });

    it('Content-Type: application/json on a GET or DELETE with no body is accepted (as the Go SDK sends it)', async () => {
      const owner = adminOwner();
      await createToken(h(), admin().client, owner, 'ct_key', 'ct_tok');
      const json = { 'content-type': 'application/json' };
      expectSuccess(await admin().client.request('GET', `${NG}/apikey/aggregate/ct_key`, undefined, { headers: json, query: ownerQuery(h(), owner) }));
      expectSuccess(await admin().client.request('GET', `${NG}/token/aggregate`, '', { headers: json, query: ownerQuery(h(), owner, { apiKeyIdentifier: 'ct_key' }) }));
      expectSuccess(await admin().client.request('POST', `${NG}/token/rotate/ct_tok`, '', { headers: json, query: ownerQuery(h(), owner, { apiKeyIdentifier: 'ct_key' }) }));
      expect(expectSuccess(await admin().client.request('DELETE', `${NG}/token/ct_tok`, '', { headers: json, query: ownerQuery(h(), owner, { apiKeyIdentifier: 'ct_key' }) }))).toBe(true);
      expect(expectSuccess(await admin().client.request('DELETE', `${NG}/apikey/ct_key`, '', { headers: json, query: ownerQuery(h(), owner) }))).toBe(true);
      // ...and with an `{}` body on a DELETE, as some clients send.
      await createApiKey(h(), admin().client, owner, 'ct_key2');
      expect(expectSuccess(await admin().client.request('DELETE', `${NG}/apikey/ct_key2`, '{}', { headers: json, query: ownerQuery(h(), owner) }))).toBe(true);
    });

    it('an empty orgIdentifier or projectIdentifier names none; an empty accountIdentifier is a schema 400 for every caller', async () => {
      const user = await h().createUser();
      const value = await createToken(h(), user.client, userOwner(user.id), 'empty_key', 'empty_tok');
      const url = `${NG}/apikey/aggregate/empty_key?accountIdentifier=${A()}&orgIdentifier=&projectIdentifier=&apiKeyType=USER&parentIdentifier=${user.id}`;
      expect(expectSuccess(await user.client.get(url)).apiKey.identifier).toBe('empty_key');
      expect(expectSuccess(await h().tokenClient(value).get(url)).apiKey.identifier).toBe('empty_key');
      const noAccount = url.replace(`accountIdentifier=${A()}`, 'accountIdentifier=');
      expectFailureDto(await user.client.get(noAccount), 'accountIdentifier');
      expectFailureDto(await h().tokenClient(value).get(noAccount), 'accountIdentifier');
    });

    it('accountIdentifier sent twice with the same value is that value (cookie and token callers)', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const value = await createToken(h(), user.client, owner, 'twice_key', 'twice_tok');
      const url = `${NG}/apikey/aggregate/twice_key?accountIdentifier=${A()}&accountIdentifier=${A()}&apiKeyType=USER&parentIdentifier=${user.id}`;
      expect(expectSuccess(await user.client.get(url)).apiKey.identifier).toBe('twice_key');
      expect(expectSuccess(await h().tokenClient(value).get(url)).apiKey.identifier).toBe('twice_key');
      const list = `${NG}/token/aggregate?accountIdentifier=${A()}&accountIdentifier=${A()}&apiKeyType=USER&parentIdentifier=${user.id}&identifiers=twice_tok&identifiers=twice_tok`;
      expect(expectSuccess(await h().tokenClient(value).get(list)).totalItems).toBe(1);
      // Two different accounts are not one: a token refuses, a cookie gets a schema 400.
      const two = `${NG}/apikey/aggregate/twice_key?accountIdentifier=${A()}&accountIdentifier=other&apiKeyType=USER&parentIdentifier=${user.id}`;
      expectErrorDto(await h().tokenClient(value).get(two), 401, 'INVALID_TOKEN', 'Token is not valid.');
      expectFailureDto(await user.client.get(two), 'accountIdentifier');
    });
  });

  describe('FailureDTO and ErrorDTO', () => {
    it('a schema failure lists every field: status FAILURE, code INVALID_REQUEST, message "<field>: <msg>, ..."', async () => {
      const res = await admin().client.post(`${NG}/apikey`, { identifier: '1bad', name: '', apiKeyType: 'ROBOT', parentIdentifier: admin().id, tags: { a: 1 } }, { query: { accountIdentifier: A() } });
      const errors = expectFailureDto(res, 'identifier', 'name', 'apiKeyType', 'tags.a');
      expect(errors.length).toBeGreaterThanOrEqual(4);
      expect(res.body.message).toContain('identifier: ');
      expect(res.body.message).toContain(', ');
      // A missing field names itself.
      const { identifier: _omit, ...rest } = apiKeyBody(h(), adminOwner(), 'x');
      const missing = expectFailureDto(await admin().client.post(`${NG}/apikey`, rest, { query: { accountIdentifier: A() } }), 'identifier');
      expect(missing.find((e) => e.fieldId === 'identifier')!.error).toBe('is required');
      // A query-string failure is a FailureDTO too.
      expectFailureDto(await admin().client.get(`${NG}/apikey/aggregate/x`, { query: { accountIdentifier: A(), apiKeyType: 'BOGUS', parentIdentifier: admin().id } }), 'apiKeyType');
    });

    it('every other error is an ErrorDTO with detailedMessage null and one responseMessage', async () => {
      const res = await admin().client.get(`${NG}/apikey/aggregate/not_there`, { query: ownerQuery(h(), adminOwner()) });
      expectErrorDto(res, 404, 'ENTITY_NOT_FOUND');
      expect(res.body.message).toContain('not_there');
    });

    it('maps every code of the table to its HTTP status', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const cases: [Promise<any>, number, string][] = [
        [user.client.get(`${NG}/apikey/aggregate`, { query: { accountIdentifier: A(), pageSize: 101 } }), 400, 'INVALID_REQUEST'],
        [user.client.post(`${NG}/token`, tokenBody(h(), owner, 'codes_key', 'past', { validTo: Date.now() - DAY_MS })), 400, 'INVALID_ARGUMENT'],
        [h().anonymous.get(`${NG}/apikey`), 401, 'UNAUTHORIZED'],
        [user.client.request('POST', `${NG}/apikey`, apiKeyBody(h(), owner, 'nocsrf'), { headers: { 'x-csrf-token': '' } }), 403, 'ACCESS_DENIED'],
        [h().tokenClient(`pat.${A()}.${'0'.repeat(24)}.${'a'.repeat(20)}`).get(`${NG}/apikey`), 401, 'INVALID_TOKEN'],
        [user.client.get(`${NG}/serviceaccount/aggregate/x`, { query: { accountIdentifier: A() } }), 403, 'NG_ACCESS_DENIED'],
        [admin().client.get(`${NG}/serviceaccount/aggregate/not_here`, { query: { accountIdentifier: A() } }), 404, 'ENTITY_NOT_FOUND'],
        [admin().client.get(`${NG}/nowhere`), 404, 'RESOURCE_NOT_FOUND_EXCEPTION'],
      ];
      for (const [pending, status, code] of cases) expectErrorDto(await pending, status, code);
      await createApiKey(h(), user.client, owner, 'dup_code');
      expectErrorDto(await user.client.post(`${NG}/apikey`, apiKeyBody(h(), owner, 'dup_code')), 400, 'DUPLICATE_FIELD', 'Try using different Key name, [dup_code] already exists');
    });
  });

  it('serves the OpenAPI document at /openapi.json, listing the API-key, token and service-account routes', async () => {
    const res = await h().anonymous.get('/openapi.json');
    expect(res.status).toBe(200);
    expectJson(res);
    expect(res.body.openapi).toMatch(/^3\./);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const expected: [string, string[]][] = [
      ['/ng/api/apikey', ['post', 'get']],
      ['/ng/api/apikey/{identifier}', ['put', 'delete']],
      ['/ng/api/apikey/aggregate', ['get']],
      ['/ng/api/apikey/aggregate/{identifier}', ['get']],
      ['/ng/api/token', ['post']],
      ['/ng/api/token/{identifier}', ['put', 'delete']],
      ['/ng/api/token/rotate/{identifier}', ['post']],
      ['/ng/api/token/aggregate', ['get']],
      ['/ng/api/token/validate', ['post']],
      ['/ng/api/token/revoke', ['post']],
      ['/ng/api/token/all', ['delete']],
      ['/ng/api/serviceaccount', ['post', 'get']],
      ['/ng/api/serviceaccount/{identifier}', ['put', 'delete', 'get']],
      ['/ng/api/serviceaccount/aggregate', ['get']],
      ['/ng/api/serviceaccount/aggregate/{identifier}', ['get']],
      ['/ng/api/user/currentUser', ['get']],
      ['/authz/api/roles', ['post', 'get']],
      ['/authz/api/roleassignments', ['post', 'get']],
      ['/resourcegroup/api/v2/resourcegroup', ['post', 'get']],
      ['/api/auth/login', ['post']],
    ];
    for (const [path, methods] of expected) {
      expect(paths[path], path).toBeDefined();
      for (const m of methods) expect(paths[path][m], `${m} ${path}`).toBeDefined();
    }
    // The response schema of an API key lists every field.
    const apiKey = (paths['/ng/api/apikey'].post as any).responses['200'].content['application/json'].schema.properties.data;
    expect(sortedKeys(apiKey.properties)).toEqual(expect.arrayContaining(['rateLimitQps', 'defaultTimeToExpireToken', 'parentIdentifier']));
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' } });

const DAY_MS = 86_400_000;
