// Every route is in the application's root context (routes/index.ts), those whose bodies are not
// JSON too (body-parsers.ts): requests of any route, under any prefix, are objects of one Request
// class, so the code every request runs does not turn megamorphic on a server that answers the API.
import { tracingChannel } from 'node:diagnostics_channel';
import { expect } from 'vitest';
import type { FastifyRequest } from 'fastify';
import type { App } from '../../src/http/app.js';
import { under } from '../../src/routes/index.js';
import { createApiKey, createToken, userOwner } from '../helpers/api-keys.js';
import { describeEachEngine, it } from '../helpers/harness.js';

describeEachEngine('request classes', (h) => {
  /** The Request class of each route a request reached, by route (Fastify's tracing channel). */
  async function classesOf(send: () => Promise<void>) {
    const classes = new Map<string, unknown>();
    const channel = tracingChannel<unknown, { request: FastifyRequest; route: { url: string } }>('fastify.request.handler');
    const start = (store: { request: FastifyRequest; route: { url: string } }) => { classes.set(store.route.url, store.request.constructor); };
    const noop = () => {};
    const handlers = { start, end: noop, asyncStart: noop, asyncEnd: noop, error: noop };
    channel.subscribe(handlers);
    try {
      await send();
    } finally {
      channel.unsubscribe(handlers);
    }
    return classes;
  }

  it('one Request class for the routes of every prefix, the gateway copies, the public ones and those whose bodies are not JSON', async () => {
    await createApiKey(h(), h().admin.client, userOwner(h().admin.id), 'classes_key', { rateLimitQps: 1000 });
    const token = await createToken(h(), h().admin.client, userOwner(h().admin.id), 'classes_key', 'classes_token');
    const client = h().tokenClient(token);
    const account = `accountIdentifier=${h().accountId}`;
    const classes = await classesOf(async () => {
      for (const url of ['/ng/api/user/currentUser', '/gateway/ng/api/user/currentUser', `/authz/api/roles?${account}`,
        `/gateway/authz/api/roles?${account}`, `/resourcegroup/api/v2/resourcegroup?${account}`,
        `/gateway/resourcegroup/api/v2/resourcegroup?${account}`, `/ng/api/serviceaccount?${account}`, '/healthz']) {
        expect((await client.get(url)).status, url).toBe(200);
      }
      expect((await h().admin.client.get('/api/auth/session')).status).toBe(200);
      for (const prefix of ['/ng/api', '/gateway/ng/api']) {
        expect((await client.request('POST', `${prefix}/token/validate?${account}`, token, { headers: { 'content-type': 'text/plain' } })).status).toBe(200);
      }
      const rotate = `/ng/api/token/rotate/classes_token?${account}&apiKeyType=USER&parentIdentifier=${h().admin.id}&apiKeyIdentifier=classes_key`;
      expect((await h().admin.client.post(rotate, 'ignored')).status).toBe(200);
    });
    expect([...classes.keys()].length).toBe(12);
    const root = classes.get('/ng/api/user/currentUser');
    for (const [url, cls] of classes) expect(cls, url).toBe(root);
  });

  it('a route module under a prefix may add routes, and nothing else', () => {
    const added: string[] = [];
    const app = { get: (url: string) => { added.push(`GET ${url}`); }, delete: (url: string) => { added.push(`DELETE ${url}`); } } as unknown as App;
    const scoped = under(app, '/gateway/ng/api');
    scoped.get('/token', {}, () => null);
    scoped.delete('/token/:id', {}, () => null);
    expect(added).toEqual(['GET /gateway/ng/api/token', 'DELETE /gateway/ng/api/token/:id']);
    expect(() => scoped.addHook).toThrow('a route module under /gateway/ng/api may only add routes, not use app.addHook');
  });
});
