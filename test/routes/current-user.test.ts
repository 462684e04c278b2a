// GET /ng/api/user/currentUser writes its answer itself (the `data` once per principal; see the
// route): the text must be what the route's response schema would have written, for any name and
// email, with any correlation id, and must follow the admin flag and the account's name.
import Fastify, { type FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { randomString } from '../../src/domain/ids.js';
import { success } from '../../src/http/envelope.js';
import { ok } from '../../src/http/schemas.js';
import { UserInfo } from '../../src/routes/users/schemas.js';
import { describeEachEngine, it, type Harness } from '../helpers/harness.js';
import { asTokenOf, NG } from '../helpers/api-keys.js';

const PATH = `${NG}/user/currentUser`;

/** A user principal as a token would carry it, with its own key (the per-key limit applies). */
function userPrincipal(h: Harness, name: string, email: string, identifier = randomString(22)): Principal {
  return {
    type: 'USER', identifier, accountIdentifier: h.accountId, email, name, via: 'token', sessionIdHash: null,
    token: { tokenId: randomString(24).toLowerCase(), apiKeyId: randomString(24), apiKeyIdentifier: 'k', apiKeyType: 'USER' },
  };
}

describeEachEngine('GET /user/currentUser as written by the route', (h) => {
  // What the route's schema would write: the same envelope through a Fastify route declaring it.
  let reference: FastifyInstance;
  let next: unknown;
  beforeAll(async () => {
    // Several answers a test for one principal's key: above the account's default per-key budget.
    const raised = await h().admin.client.put('/ng/api/account-settings', { apiKeyQps: 1000 }, { query: { accountIdentifier: h().accountId } });
    expect(raised.status, raised.text).toBe(200);
    reference = Fastify();
    reference.get('/', { schema: { response: ok(UserInfo) } }, async () => next);
    await reference.ready();
  });
  afterAll(async () => {
    await h().admin.client.put('/ng/api/account-settings', { apiKeyQps: null }, { query: { accountIdentifier: h().accountId } });
    await reference.close();
  });
  const schemaWrites = async (body: unknown) => {
    next = body;
    return (await reference.inject({ method: 'GET', url: '/' })).body;
  };
  const expected = (p: Principal, admin: boolean, correlationId: string) => success({
    uuid: p.identifier, name: p.name, email: p.email, defaultAccountId: p.accountIdentifier, admin, disabled: false,
    accounts: [{ uuid: p.accountIdentifier, accountName: 'Default' }],
  }, correlationId);

  it('writes, byte for byte, what the schema would: quotes, backslashes, controls, non-ASCII, lone surrogates', async () => {
    const names = ['Plain', "Zoë O'Brien", 'Say "hi" \\ bye', 'tab\tnew\nline\u0001', 'emoji 😀 中文', 'separators \u2028\u2029', 'lone \ud800 half', '</script>'];
    for (const name of names) {
      const principal = userPrincipal(h(), name, `${randomString(6)}@example.com`);
      const res = await asTokenOf(h(), principal, (c) => c.get(PATH));
      expect(res.status, res.text).toBe(200);
      expect(res.text).toBe(await schemaWrites(expected(principal, false, res.body.correlationId)));
    }
  });

  it('writes what the schema would for any name and email (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), async (name, email) => {
      const principal = userPrincipal(h(), name, email);
      const res = await asTokenOf(h(), principal, (c) => c.get(PATH));
      expect(res.status, res.text).toBe(200);
      expect(res.text).toBe(await schemaWrites(expected(principal, false, res.body.correlationId)));
    }), { numRuns: 60 });
  });

  it('answers application/json; charset=utf-8, for a console session as for a token', async () => {
    const byToken = await asTokenOf(h(), userPrincipal(h(), 'Typed', 'typed@example.com'), (c) => c.get(PATH));
    const bySession = await h().admin.client.get(PATH);
    for (const res of [byToken, bySession]) {
      expect(res.status, res.text).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    }
    expect(bySession.body.data).toMatchObject({ uuid: h().admin.id, admin: true });
  });

  it('carries any correlation id the client sends as a JSON string, quotes and backslashes included', async () => {
    const principal = userPrincipal(h(), 'Correlated', 'correlated@example.com');
    for (const id of ['plain-123', 'a"b', 'back\\slash', ' spaced out ', '"\\"', '{"json":true}']) {
      const res = await asTokenOf(h(), principal, (c) => c.get(PATH, { headers: { 'x-correlation-id': id } }));
      expect(res.status, res.text).toBe(200);
      expect(res.headers['x-correlation-id']).toBe(id);
      expect(res.text).toBe(await schemaWrites(expected(principal, false, id)));
    }
  });

  it('follows the admin flag and the account name for the same principal, answer after answer', async () => {
    const user = await h().createUser({ name: 'Same Principal' });
    const principal = userPrincipal(h(), 'Same Principal', user.email, user.id);
    await asTokenOf(h(), principal, async (c) => {
      const data = async () => {
        const res = await c.get(PATH);
        expect(res.status, res.text).toBe(200);
        return res.body.data;
      };
      expect(await data()).toMatchObject({ admin: false, accounts: [{ accountName: 'Default' }] });
      const assignment = await h().grantRole({ type: 'USER', identifier: user.id }, '_account_admin');
      expect(await data()).toMatchObject({ admin: true });
      await h().revokeRole(assignment);
      expect(await data()).toMatchObject({ admin: false });

      const names = h().services.accountNames;
      const original = names.nameOf;
      names.nameOf = (accountId) => (accountId === h().accountId ? 'Renamed' : original.call(names, accountId));
      try {
        expect(await data()).toMatchObject({ accounts: [{ uuid: h().accountId, accountName: 'Renamed' }] });
      } finally {
        names.nameOf = original;
      }
      expect(await data()).toMatchObject({ accounts: [{ uuid: h().accountId, accountName: 'Default' }] });
    });
  });

  it('answers at once with the error envelope when a lookup it waits for fails, rather than hanging', async () => {
    const names = h().services.accountNames;
    const original = names.nameOf;
    names.nameOf = () => Promise.reject(new Error('the store went away'));
    try {
      const res = await asTokenOf(h(), userPrincipal(h(), 'Unlucky', 'unlucky@example.com'), (c) => c.get(PATH));
      expect(res.status, res.text).toBe(500);
      expect(res.body).toMatchObject({ status: 'ERROR', code: 'UNKNOWN_ERROR' });
      expect(res.text).not.toContain('the store went away');
    } finally {
      names.nameOf = original;
    }
  });
});
