// Fastify's own answers come out in the Harness envelope, never as a 500; answers holding a secret
// are not cached; the console's files are not framed by other sites.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { createToken, NG, ownerQuery, userOwner } from '../helpers/api-keys.js';

const CONSOLE_BUILT = existsSync(join(process.cwd(), 'dist/web/index.html'));

describeEachEngine('wire format', (h) => {
  it('answers an unknown route with 404 RESOURCE_NOT_FOUND_EXCEPTION in the envelope', async () => {
    const res = await h().admin.client.get('/ng/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ status: 'ERROR', code: 'RESOURCE_NOT_FOUND_EXCEPTION', detailedMessage: null });
    expect(res.body.responseMessages[0]).toMatchObject({ code: 'RESOURCE_NOT_FOUND_EXCEPTION', level: 'ERROR' });
    expect(res.body.message).toBe('No route GET /ng/api/nothing-here');
  });

  it('never names a token value found in an unknown path, %-escaped or not (SPEC §3)', async () => {
    const value = await createToken(h(), h().admin.client, userOwner(h().admin.id), 'path_key', 'path_tok');
    const escaped = value.replace(/\./g, '%2E').replace(/^p/, '%70');
    for (const path of [`/ng/api/token/${value}`, `/ng/api/token/${escaped}/more`, `/ng/api/x/${value.toUpperCase()}`]) {
      const res = await h().admin.client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain(value.split('.')[3]);
      expect(res.text.toLowerCase(), path).not.toContain(value.split('.')[3]!.toLowerCase());
      expect(res.body.message, path).toMatch(/^No route GET \/ng\/api\/(token|x)\/<token>(\/more)?$/);
    }
    // Words that only contain the letters are left alone.
    expect((await h().admin.client.get('/ng/api/compat.layer')).body.message).toBe('No route GET /ng/api/compat.layer');
  });

  it('echoes X-Correlation-Id, else generates a UUID', async () => {
    const echoed = await h().anonymous.get('/ng/api/nothing', { headers: { 'x-correlation-id': 'abc-123' } });
    expect(echoed.body.correlationId).toBe('abc-123');
    const generated = await h().anonymous.get('/ng/api/nothing');
    expect(generated.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers malformed JSON with 400 INVALID_REQUEST', async () => {
    const res = await h().anonymous.request('POST', '/api/auth/login', '{"email": ', { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST' });
  });

  it('answers a body over 1 MiB with 413 Request body too large', async () => {
    const big = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1024 * 1024 + 10) });
    const res = await h().anonymous.request('POST', '/api/auth/login', big, { headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', message: 'Request body too large' });
  });

  it('answers an unsupported content type with a 4xx envelope', async () => {
    const res = await h().anonymous.request('POST', '/api/auth/login', '<x/>', { headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST' });
  });

  // Harness's SDKs send Content-Type: application/json on requests without a body (DELETE): an empty
  // body of that type is no body, on every route — not only the token and API key ones.
  it('takes an empty application/json body as none: a DELETE with that header succeeds', async () => {
    const q = { accountIdentifier: h().accountId };
    for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
      const id = `empty_body_${contentType.length}`;
      const created = await h().admin.client.post('/ng/api/serviceaccount', { identifier: id, name: id, email: `${id}@robots.example.com` }, { query: q });
      expect(created.status, created.text).toBe(200);
      const res = await h().admin.client.request('DELETE', `/ng/api/serviceaccount/${id}`, '', { headers: { 'content-type': contentType }, query: q });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: 'SUCCESS', data: true });
      expect((await h().admin.client.get(`/ng/api/serviceaccount/${id}`, { query: q })).status).toBe(404);
    }
    const org = await h().admin.client.post('/ng/api/organizations', { organization: { identifier: 'empty_body_org', name: 'E' } }, { query: q });
    expect(org.status, org.text).toBe(200);
    const res = await h().admin.client.request('DELETE', '/gateway/ng/api/organizations/empty_body_org', '', { headers: { 'content-type': 'application/json' }, query: q });
    expect(res.status, res.text).toBe(200);
    expect((await h().admin.client.get('/ng/api/organizations/empty_body_org', { query: q })).status).toBe(404);
  });

  it('answers an empty application/json body where one is required with the schema 400, never a 500', async () => {
    const q = { accountIdentifier: h().accountId };
    const res = await h().admin.client.request('POST', '/ng/api/organizations', '', { headers: { 'content-type': 'application/json' }, query: q });
    expect(res.status, res.text).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({ status: 'FAILURE', code: 'INVALID_REQUEST', correlationId: expect.any(String) });
    expect(Array.isArray(res.body.errors)).toBe(true);
    const put = await h().admin.client.request('PUT', '/ng/api/serviceaccount/nobody_here', '', { headers: { 'content-type': 'application/json' }, query: q });
    expect(put.status, put.text).toBe(400);
    expect(put.body).toMatchObject({ status: 'FAILURE', code: 'INVALID_REQUEST' });
  });

  it('answers a schema failure with the FailureDTO and its errors[]', async () => {
    const res = await h().anonymous.post('/api/auth/login', { email: 123 });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('FAILURE');
    expect(res.body.code).toBe('INVALID_REQUEST');
    const fields = res.body.errors.map((e: any) => e.fieldId).sort();
    expect(fields).toEqual(['email', 'password']);
    expect(res.body.message).toContain('email: must be string');
  });

  it('serves /healthz, /readyz, /metrics and /openapi.json without credentials', async () => {
    expect((await h().anonymous.get('/healthz')).status).toBe(200);
    const ready = await h().anonymous.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ ready: true, store: 'up' });
    const metrics = await h().anonymous.get('/metrics');
    expect(metrics.text).toContain('keysmith_http_requests_total');
    expect(metrics.text).toContain('keysmith_http_request_duration_seconds');
    const openapi = await h().anonymous.get('/openapi.json');
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.body.paths)).toContain('/api/auth/login');
    // The document's version is keysmith's own, as `keysmith --version` prints it.
    expect(openapi.body.info.version).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('answers that carry a token value or a CSRF token say Cache-Control: no-store; others do not', async () => {
    const user = await h().createUser();
    const owner = userOwner(user.id);
    await createToken(h(), user.client, owner, 'cache_key', 'cache_tok');
    const created = await user.client.post(`${NG}/token`, { identifier: 'cache_tok2', name: 'cache_tok2', apiKeyIdentifier: 'cache_key', ...owner, accountIdentifier: h().accountId },
      { query: { accountIdentifier: h().accountId } });
    expect(created.status, created.text).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const rotated = await user.client.post(`${NG}/token/rotate/cache_tok`, undefined, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'cache_key' }) });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const login = await h().anonymous.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.headers['cache-control']).toBe('no-store');
    expect((await user.client.get('/api/auth/session')).headers['cache-control']).toBe('no-store');
    expect((await user.client.get(`${NG}/user/currentUser`)).headers['cache-control']).toBeUndefined();
  });

  it.skipIf(!CONSOLE_BUILT)('serves console files written after start-up (a rebuild under a running server), and nothing outside them', async () => {
    const name = `late-${randomBytes(6).toString('hex')}`;
    const file = join(process.cwd(), 'dist/web/assets', `${name}.js`);
    writeFileSync(file, 'export const late = 1;\n');
    try {
      const res = await h().anonymous.get(`/assets/${name}.js`);
      expect(res.status).toBe(200);
      expect(res.text).toBe('export const late = 1;\n');
      expect(res.headers['content-type']).toMatch(/javascript/);
      expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
      expect((await h().anonymous.request('HEAD', `/assets/${name}.js`)).status).toBe(200);
      // Spelled otherwise, hidden, outside the console's files, or gone: the envelope's 404.
      for (const path of [`/assets//${name}.js`, "/assets/%2e%2e/%2e%2e/package.json", '/assets/..%2f..%2fpackage.json', '/..%2fpackage.json',
        '/.env', '/assets', `/assets%2F${name}.js`, `/assets%5C${name}.js`]) {
        const refused = await h().anonymous.get(path);
        expect(refused.status, path).toBe(404);
        expect(refused.body, path).toMatchObject({ status: 'ERROR', code: 'RESOURCE_NOT_FOUND_EXCEPTION' });
      }
      // A NUL is refused before any file is looked for, as everywhere.
      const nul = await h().anonymous.get(`/assets/${name}.js%00`);
      expect(nul.status).toBe(400);
      expect(nul.text).not.toContain('export const late');
    } finally {
      rmSync(file, { force: true });
    }
    expect((await h().anonymous.get(`/assets/${name}.js`)).status).toBe(404);
  });

  it.skipIf(!CONSOLE_BUILT)('serves the console with headers that forbid framing, sniffing and scripts not its own (skipped without a console build)', async () => {
    for (const path of ['/', '/account-settings/access-control/api-keys']) {
      const res = await h().anonymous.get(path, { headers: { accept: 'text/html' } });
      expect(res.status, path).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const policy = String(res.headers['content-security-policy']).split('; ');
      expect(policy).toEqual(expect.arrayContaining(["script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]));
      expect(policy.find((d) => d.startsWith('script-src'))).not.toMatch(/unsafe/);
      expect(res.headers).toMatchObject({
        'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
      });
    }
  });
});
