// Every route has exactly one onRequest hook of keysmith's (app.ts): a request is authenticated,
// counted against its key's budget and noted as used once — for GET and for the HEAD route Fastify
// derives from it — and the cached path gives the same answers as the full one.
import { expect } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { createApiKey, createToken, userOwner } from '../helpers/api-keys.js';
import { describeEachEngine, it } from '../helpers/harness.js';

describeEachEngine('the request hook', (h) => {
  function countCalls() {
    const tokens = h().services.tokens;
    const limiter = h().services.rateLimiter;
    const calls = { authenticate: 0, consume: 0 };
    const original = { cached: tokens.authenticateCached, full: tokens.authenticate, consumeCached: limiter.consumeCached, consume: limiter.consume };
    tokens.authenticateCached = (...args) => { calls.authenticate++; return original.cached.apply(tokens, args); };
    tokens.authenticate = (...args) => { calls.authenticate++; return original.full.apply(tokens, args); };
    limiter.consumeCached = (p: Principal, now: number) => { const r = original.consumeCached.call(limiter, p, now); if (r !== undefined) calls.consume++; return r; };
    limiter.consume = (p: Principal) => { calls.consume++; return original.consume.call(limiter, p); };
    return {
      calls,
      restore() {
        Object.assign(tokens, { authenticateCached: original.cached, authenticate: original.full });
        Object.assign(limiter, { consumeCached: original.consumeCached, consume: original.consume });
      },
    };
  }

  it('authenticates and counts a GET and a HEAD request once each, cached or not', async () => {
    await createApiKey(h(), h().admin.client, userOwner(h().admin.id), 'hook_key', { rateLimitQps: 1000 });
    const token = await createToken(h(), h().admin.client, userOwner(h().admin.id), 'hook_key', 'hook_token');
    const client = h().tokenClient(token);
    const spy = countCalls();
    try {
      for (const method of ['GET', 'HEAD', 'GET', 'HEAD']) {
        spy.calls.authenticate = 0;
        spy.calls.consume = 0;
        const res = await client.request(method, '/ng/api/user/currentUser');
        expect(res.status).toBe(200);
        // A miss asks the cache first and then the full path: at most two calls, one answer.
        expect(spy.calls.authenticate).toBeGreaterThanOrEqual(1);
        expect(spy.calls.authenticate).toBeLessThanOrEqual(2);
        expect(spy.calls.consume).toBe(1);
      }
    } finally {
      spy.restore();
    }
  });

  it('gives public routes, the console and unmatched paths a correlation id without counting anything', async () => {
    const spy = countCalls();
    try {
      for (const path of ['/healthz', '/api/auth/session', '/ng/api/no-such-route', '/console/some/page']) {
        // The last one is the console's single-page fallback (its index.html, or a 404 without a build).
        const res = await h().anonymous.get(path, { headers: { 'x-correlation-id': `corr-${path.length}`, accept: 'text/html' } });
        expect(res.headers['x-correlation-id']).toBe(`corr-${path.length}`);
      }
      expect(spy.calls.consume).toBe(0);
      // Unmatched requests are timed from their own start, not from the process's.
      const metrics = (await h().anonymous.get('/metrics')).text;
      const value = (name: string) => Number(metrics.split('\n').find((l) => l.startsWith(`${name}{method="GET",route="unmatched"} `))!.split(' ').pop());
      expect(value('keysmith_http_request_duration_seconds_sum')).toBeLessThan(value('keysmith_http_request_duration_seconds_count') * 5);
    } finally {
      spy.restore();
    }
  });

  it('authenticates an unmatched API path and counts it against the key once, before answering 404', async () => {
    await createApiKey(h(), h().admin.client, userOwner(h().admin.id), 'miss_key', { rateLimitQps: 1000 });
    const token = await createToken(h(), h().admin.client, userOwner(h().admin.id), 'miss_key', 'miss_token');
    const spy = countCalls();
    try {
      for (const [method, path] of [['GET', '/ng/api/no-such-route'], ['PATCH', '/ng/api/apikey/x'], ['GET', '/gateway/authz/api/nothing']]) {
        spy.calls.authenticate = 0;
        spy.calls.consume = 0;
        const res = await h().tokenClient(token).request(method, path);
        expect(res.status, res.text).toBe(404);
        expect(res.body.code).toBe('RESOURCE_NOT_FOUND_EXCEPTION');
        expect(spy.calls.authenticate).toBeGreaterThanOrEqual(1);
        expect(spy.calls.authenticate).toBeLessThanOrEqual(2);
        expect(spy.calls.consume).toBe(1);
      }
    } finally {
      spy.restore();
    }
    // Without credentials, or with a bad token, the answer is the 401 — not whether the route exists.
    const anonymous = await h().anonymous.get('/ng/api/no-such-route');
    expect([anonymous.status, anonymous.body.code, anonymous.body.message]).toEqual([401, 'UNAUTHORIZED', 'Authentication required']);
    const bad = await h().tokenClient('pat.nothing.here.atall').request('PATCH', '/ng/api/apikey/x');
    expect([bad.status, bad.body.code]).toEqual([401, 'INVALID_TOKEN']);
    // Before its body is read: malformed JSON or an oversized body get the 401 too, with a correlation id.
    const badJson = await h().anonymous.request('POST', '/ng/api/no-such-route', '{"a":', { headers: { 'content-type': 'application/json' } });
    expect([badJson.status, badJson.body.code]).toEqual([401, 'UNAUTHORIZED']);
    expect(badJson.headers['x-correlation-id']).toBeTruthy();
    const huge = await h().anonymous.request('POST', '/authz/api/no-such-route', JSON.stringify({ a: 'x'.repeat(2 * 1024 * 1024) }), { headers: { 'content-type': 'application/json' } });
    expect(huge.status).toBe(401);
    // A percent-encoded prefix is the same path.
    expect((await h().anonymous.get('/%6eg/api/no-such-route')).status).toBe(401);
    // Outside the API's prefixes nothing is authenticated: a plain 404.
    expect((await h().anonymous.get('/not-the-api/x')).status).toBe(404);
    expect((await h().anonymous.get('/ngx/api/x')).status).toBe(404);
  });
});
