// Per-API-key rate limits (SPEC §5). With a frozen clock the windows are exact: Q requests per
// one-second window (one per 1/Q seconds when Q < 1), shared by a key's tokens, the text/plain 429
// and Retry-After, the precedence of budgets, and what counts. A burst on the real clock checks
// bounds that hold however slow the machine; Redis-backed counters are shared between instances.
import { randomString } from '../../src/domain/ids.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createApiKeyRateLimiter, memoryCounter, windowOf } from '../../src/auth/rate-limit.js';
import { raisesBudget } from '../../src/auth/key-access.js';
import type { Principal } from '../../src/auth/principal.js';
import type { TokenAuthenticatorStats } from '../../src/auth/token-authenticator.js';
import { describeEachEngine, it, REDIS_URL, type Harness, type Response } from '../helpers/harness.js';
import { createApiKey, createToken, NG, ownerQuery, userOwner, whoAmI } from '../helpers/api-keys.js';
import { grant } from '../helpers/access-control.js';
import { expectDenied } from '../helpers/expect.js';
import { makeScope } from '../../src/domain/scope.js';

// Frozen, moved by hand; starts 100 ms into a window that is a multiple of 2 s.
let clock = 0;
const now = () => clock;
const resetClock = () => { clock = Math.floor(Date.now() / 2000) * 2000 + 2000 + 100; };
resetClock();

function expectThrottled(res: Response, qps: string, retryAfter?: number) {
  expect(res.status, res.text).toBe(429);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.text).toBe(`Too Many requests. Throttled. Max QPS: ${qps}`);
  const wait = Number(res.headers['retry-after']);
  expect(Number.isInteger(wait) && wait >= 1).toBe(true);
  if (retryAfter !== undefined) expect(wait).toBe(retryAfter);
}

/** Raising a key's budget above the account's needs core_account_edit: an account admin has it. */
const makeAdmin = (h: Harness, userId: string) =>
  grant(h, makeScope(h.accountId), { type: 'USER', identifier: userId }, '_account_admin', '_all_resources_including_child_scopes');

async function userWithKey(h: Harness, keyExtra: Record<string, unknown> = {}) {
  const user = await h.createUser();
  if (keyExtra.rateLimitQps !== undefined) await makeAdmin(h, user.id);
  await createApiKey(h, user.client, userOwner(user.id), 'k', keyExtra);
  const token = await createToken(h, user.client, userOwner(user.id), 'k', 't1');
  return { user, token };
}

describe('windowOf', () => {
  it('allows ⌊Q⌋ per second for Q ≥ 1 in windows aligned to the clock, one per 1/Q seconds below', () => {
    expect(windowOf(1)).toEqual({ lengthMs: 1000, points: 1, aligned: true });
    expect(windowOf(2.5)).toEqual({ lengthMs: 1000, points: 2, aligned: true });
    expect(windowOf(0.5)).toEqual({ lengthMs: 2000, points: 1, aligned: false });
    expect(windowOf(0.25)).toEqual({ lengthMs: 4000, points: 1, aligned: false });
  });

  it('is at most 1,000 s long (the smallest budget the API takes), even for a smaller value stored before', () => {
    expect(windowOf(0.001)).toEqual({ lengthMs: 1_000_000, points: 1, aligned: false });
    expect(windowOf(5e-324)).toEqual({ lengthMs: 1_000_000, points: 1, aligned: false });
  });
});

describe('the in-memory counter', () => {
  it('keeps a window of 100 s through the sweep of past windows, and forgets it once it ends', () => {
    const counter = memoryCounter();
    const window = windowOf(0.01);
    const start = 1_000_000 * window.lengthMs + 1234;
    expect(counter.take('slow', window, start)).toBe(0);
    // 10,000 requests of other keys, 61 s into the window, make the counter sweep.
    for (let i = 0; i < 10_000; i++) counter.take(`other_${i}`, windowOf(1), start + 61_000);
    expect(counter.take('slow', window, start + 61_000)).toBe(39_000); // ms left
    for (let i = 0; i < 10_000; i++) counter.take(`later_${i}`, windowOf(1), start + window.lengthMs);
    expect(counter.take('slow', window, start + window.lengthMs)).toBe(0);
  });

  it('counts Q ≥ 1 in clock-aligned seconds, and spaces Q < 1 from the last request let through', () => {
    const counter = memoryCounter();
    const second = 5_000_000;
    expect(counter.take('fast', windowOf(2), second + 900)).toBe(0);
    expect(counter.take('fast', windowOf(2), second + 950)).toBe(0);
    expect(counter.take('fast', windowOf(2), second + 990)).toBe(10);
    expect(counter.take('fast', windowOf(2), second + 1000)).toBe(0); // the next second
    // One per 2 s: 300 ms later is refused even across a multiple of 2 s, and 2 s later is fine.
    const at = 2_000 * 3_000 - 150;
    expect(counter.take('slow', windowOf(0.5), at)).toBe(0);
    expect(counter.take('slow', windowOf(0.5), at + 300)).toBe(1_700);
    expect(counter.take('slow', windowOf(0.5), at + 1_999)).toBe(1);
    expect(counter.take('slow', windowOf(0.5), at + 2_000)).toBe(0);
  });

  it('starts afresh when the budget changes: a raised one applies at once', () => {
    const counter = memoryCounter();
    const t = 7_000_000;
    expect(counter.take('k', windowOf(0.001), t)).toBe(0);
    expect(counter.take('k', windowOf(0.001), t + 5_000)).toBe(995_000);
    expect(counter.take('k', windowOf(0.5), t + 5_000)).toBe(0);
    expect(counter.take('k', windowOf(0.5), t + 5_500)).toBe(1_500);
  });
});

describe('raisesBudget', () => {
  it('is false when the budget stays or falls, true when it rises or a key is fixed at the account\'s', () => {
    const at = (requested: number | null | undefined, stored: number | null) => raisesBudget({ requested, stored, accountQps: 2 });
    expect([at(undefined, null), at(null, null), at(5, 5), at(1, null), at(1, 5), at(null, 3), at(2, 3)]).toEqual([false, false, false, false, false, false, false]);
    expect([at(2, null), at(3, null), at(6, 5), at(null, 1)]).toEqual([true, true, true, true]);
  });
});

describeEachEngine('per-key rate limits', (h) => {
  it('default 1 per second: the second request of a window gets the exact text/plain 429 and Retry-After', async () => {
    resetClock();
    const { token } = await userWithKey(h());
    expect((await whoAmI(h(), token)).status).toBe(200);
    for (let i = 0; i < 3; i++) expectThrottled(await whoAmI(h(), token), '1.0', 1);
    clock += 1000;
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '1.0');
  });

  it('a request to an unmatched API path is authenticated first, so it counts too', async () => {
    resetClock();
    const { token } = await userWithKey(h());
    expect((await h().tokenClient(token).get(`${NG}/no/such/route`)).status).toBe(404);
    expectThrottled(await whoAmI(h(), token), '1.0');
    expectThrottled(await h().tokenClient(token).get(`${NG}/no/such/route`), '1.0');
  });

  it("all of a key's tokens share one budget; another key has its own", async () => {
    resetClock();
    const { user, token } = await userWithKey(h());
    const sibling = await createToken(h(), user.client, userOwner(user.id), 'k', 't2');
    const otherKey = await createToken(h(), user.client, userOwner(user.id), 'other', 't');
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), sibling), '1.0');
    expect((await whoAmI(h(), otherKey)).status).toBe(200);
  });

  it("a key's rateLimitQps wins: 2.5 allows 2 per second; 0.5 one per two seconds", async () => {
    resetClock();
    const { token } = await userWithKey(h(), { rateLimitQps: 2.5 });
    expect((await whoAmI(h(), token)).status).toBe(200);
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '2.5', 1);

    const slow = await userWithKey(h(), { rateLimitQps: 0.5 });
    expect((await whoAmI(h(), slow.token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), slow.token), '0.5', 2);
    clock += 1000;
    expectThrottled(await whoAmI(h(), slow.token), '0.5', 1);
    clock += 1000;
    expect((await whoAmI(h(), slow.token)).status).toBe(200);
    // Two requests 300 ms apart across a multiple of 2 s: still one per two seconds.
    clock = Math.ceil(clock / 2000) * 2000 + 4000 - 150;
    expect((await whoAmI(h(), slow.token)).status).toBe(200);
    clock += 300;
    expectThrottled(await whoAmI(h(), slow.token), '0.5', 2);
  });

  it('a changed rateLimitQps applies at once; raising one above what it has needs core_account_edit, lowering it does not', async () => {
    resetClock();
    const { user, token } = await userWithKey(h());
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '1.0');
    const put = (rateLimitQps: number | null) => user.client.put(`${NG}/apikey/${h().accountId}`, {
      identifier: 'k', name: 'k', accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: user.id, rateLimitQps,
    });
    // The owner alone may not lift its own key's limit, on a new key or an existing one.
    expectDenied(await put(3), 'core_account_edit', h().accountId);
    expectDenied(await user.client.post(`${NG}/apikey`, {
      identifier: 'k2', name: 'k2', accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: user.id, rateLimitQps: 3,
    }, { query: { accountIdentifier: h().accountId } }), 'core_account_edit', h().accountId);
    // Fixing a key without a budget of its own at the account's (1) would keep it there once the
    // account's is lowered: that is a raise too.
    expectDenied(await user.client.post(`${NG}/apikey`, {
      identifier: 'k3', name: 'k3', accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: user.id, rateLimitQps: 1,
    }, { query: { accountIdentifier: h().accountId } }), 'core_account_edit', h().accountId);
    expect((await put(0.5)).status).toBe(200);
    expect((await put(0.5)).status).toBe(200); // unchanged: fine
    expectDenied(await put(null), 'core_account_edit', h().accountId); // back to the account's 1: a raise
    await makeAdmin(h(), user.id);
    const res = await put(3);
    expect(res.status, res.text).toBe(200);
    expect((await whoAmI(h(), token)).status).toBe(200);
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '3.0');
  });

  it("a key's new budget leaves the account's verified tokens cached", async () => {
    resetClock();
    const { user, token } = await userWithKey(h());
    await makeAdmin(h(), user.id);
    expect((await whoAmI(h(), token)).status).toBe(200);
    const cached = () => (h().services.tokens as unknown as { stats(): TokenAuthenticatorStats }).stats().cached;
    const before = cached();
    const put = await user.client.put(`${NG}/apikey/k`, {
      identifier: 'k', name: 'k', accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: user.id, rateLimitQps: 2,
    }, { query: { accountIdentifier: h().accountId } });
    expect(put.status, put.text).toBe(200);
    expect(cached()).toBe(before);
    // The new budget applies at once: two in this window.
    clock += 1000;
    expect((await whoAmI(h(), token)).status).toBe(200);
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '2.0');
  });

  it('keeps the budgets it read through a change of permissions only, and reads them again on a change of budgets', async () => {
    resetClock();
    const { user, token } = await userWithKey(h());
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '1.0');
    // Raised behind the service's back: only an event about budgets makes the limiter read it.
    await h().store.db.updateTable('api_keys').set({ rate_limit_qps: 3 }).where('account_id', '=', h().accountId)
      .where('parent_identifier', '=', user.id).where('identifier', '=', 'k').execute();
    h().services.invalidation.publish({ kind: 'account', accountIdentifier: h().accountId, permissionsOnly: true });
    clock += 1000;
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '1.0');
    h().services.invalidation.publish({ kind: 'budgets', accountIdentifier: h().accountId });
    clock += 1000;
    for (let i = 0; i < 3; i++) expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '3.0');
  });

  it("the account's apiKeyQps applies to keys without their own, and a key's own wins over it", async () => {
    resetClock();
    const put = (apiKeyQps: number | null) => h().admin.client.put(`${NG}/account-settings`, { apiKeyQps },
      { query: { accountIdentifier: h().accountId } });
    expect((await put(3)).status).toBe(200);
    try {
      const plain = await userWithKey(h());
      const own = await userWithKey(h(), { rateLimitQps: 1 });
      for (let i = 0; i < 3; i++) expect((await whoAmI(h(), plain.token)).status).toBe(200);
      expectThrottled(await whoAmI(h(), plain.token), '3.0');
      expect((await whoAmI(h(), own.token)).status).toBe(200);
      expectThrottled(await whoAmI(h(), own.token), '1.0');
    } finally {
      expect((await put(null)).status).toBe(200);
    }
  });

  it('requests that fail authentication do not count; every authenticated one does, whatever its status', async () => {
    resetClock();
    const { user, token } = await userWithKey(h());
    const [p, a, id] = token.split('.');
    for (let i = 0; i < 5; i++) expect((await whoAmI(h(), `${p}.${a}.${id}.${'W'.repeat(20)}`)).status).toBe(401);
    const missing = await h().tokenClient(token).get(`${NG}/apikey/aggregate/missing`, { query: ownerQuery(h(), userOwner(user.id)) });
    expect(missing.status).toBe(404);
    expectThrottled(await whoAmI(h(), token), '1.0');
  });

  it("console (cookie) traffic is not counted against the user's keys", async () => {
    resetClock();
    const { user, token } = await userWithKey(h());
    for (let i = 0; i < 10; i++) expect((await user.client.get(`${NG}/apikey`, { query: ownerQuery(h(), userOwner(user.id)) })).status).toBe(200);
    expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '1.0');
  });
}, { now });

describeEachEngine('per-key rate limits: a change while the budget is read', (h) => {
  /**
   * A limiter whose store holds back the first answer with a row that `holds` picks, until the
   * budgets of the account are invalidated; resolves once that happened, with the read that was held.
   */
  async function readInvalidatedMidway(holds: (row: Record<string, unknown>) => boolean, apiKeyId: string) {
    let release = () => {};
    let held = false;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const db = h().store.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        const row = args.result.rows[0] as Record<string, unknown> | undefined;
        if (!held && row && holds(row)) { held = true; await gate; }
        return args.result;
      },
    });
    const limiter = createApiKeyRateLimiter({ ...h().services, db });
    const reading = limiter.qpsOf(apiKeyId, h().accountId);
    await expect.poll(() => held).toBe(true);
    limiter.invalidate({ kind: 'budgets', accountIdentifier: h().accountId });
    release();
    return { limiter, reading };
  }

  it('does not keep a budget read before an invalidation: it serves that request, and the next reads the new one', async () => {
    const { user } = await userWithKey(h(), { rateLimitQps: 5 });
    const { id: apiKeyId } = await h().store.db.selectFrom('api_keys').select('id')
      .where('parent_identifier', '=', user.id).executeTakeFirstOrThrow();
    // The store's answer for the key's budget is held: the read has happened, its result not yet delivered.
    const { limiter, reading } = await readInvalidatedMidway((row) => 'rate_limit_qps' in row, apiKeyId);
    expect(await reading).toBe(5);
    // (Changed after the read has let its connection go: a test store on PostgreSQL may have one.)
    await h().store.db.updateTable('api_keys').set({ rate_limit_qps: 7 }).where('id', '=', apiKeyId).execute();
    expect(await limiter.qpsOf(apiKeyId, h().accountId)).toBe(7);
  });

  it('likewise for the account\'s budget, read for a key without its own', async () => {
    const { user } = await userWithKey(h());
    const { id: apiKeyId } = await h().store.db.selectFrom('api_keys').select('id')
      .where('parent_identifier', '=', user.id).executeTakeFirstOrThrow();
    const setAccountQps = (qps: number) => h().admin.client.request('PUT', '/ng/api/account-settings', { apiKeyQps: qps }, { query: { accountIdentifier: h().accountId } });
    expect((await setAccountQps(3)).status).toBe(200);
    // Held: the answer of the read of the account's settings (the key's own budget passes).
    const { limiter, reading } = await readInvalidatedMidway((row) => !('rate_limit_qps' in row), apiKeyId);
    expect(await reading).toBe(3);
    expect((await setAccountQps(6)).status).toBe(200);
    expect(await limiter.qpsOf(apiKeyId, h().accountId)).toBe(6);
  });
});

describeEachEngine('per-key rate limits: KEYSMITH_API_KEY_QPS', (h) => {
  it('sets the budget of keys without their own or an account setting', async () => {
    resetClock();
    const { token } = await userWithKey(h());
    for (let i = 0; i < 4; i++) expect((await whoAmI(h(), token)).status).toBe(200);
    expectThrottled(await whoAmI(h(), token), '4.0');
  });
}, { env: { KEYSMITH_API_KEY_QPS: '4' }, now });

describeEachEngine('per-key rate limits on the real clock', (h) => {
  it('accepts between Q and Q × (windows spanned) of a burst of 30, and throttles the rest exactly', async () => {
    const { token } = await userWithKey(h(), { rateLimitQps: 5 });
    const start = Date.now();
    const results = await Promise.all(Array.from({ length: 30 }, () => whoAmI(h(), token)));
    const end = Date.now();
    const windows = Math.floor(end / 1000) - Math.floor(start / 1000) + 1;
    const accepted = results.filter((r) => r.status === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(5);
    expect(accepted).toBeLessThanOrEqual(5 * windows);
    for (const r of results.filter((x) => x.status !== 200)) expectThrottled(r, '5.0');
  });
});

/** A user's principal as a token of the key `apiKeyId` authenticates it, for the limiter alone. */
const tokenPrincipal = (accountIdentifier: string, apiKeyId: string) => ({
  type: 'USER', identifier: 'u', accountIdentifier, email: 'u@example.com', name: 'u', via: 'token',
  token: { tokenId: 'f'.repeat(24), apiKeyId, apiKeyIdentifier: 'k', apiKeyType: 'USER' }, sessionIdHash: null,
}) as Principal;

describe.skipIf(!REDIS_URL)('per-key rate limits in Redis', () => {
  let redis: Redis;
  const prefix = `keysmith_test_${process.pid}_${randomString(6)}`;
  beforeAll(() => { redis = new Redis(REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 }); });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  describeEachEngine('shared between instances', (h) => {
    it('two limiters on one Redis share a budget, and a refused request is not counted', async () => {
      resetClock();
      const a = createApiKeyRateLimiter(h().services, redis, prefix);
      const b = createApiKeyRateLimiter(h().services, redis, prefix);
      const apiKeyId = `key-${randomString(8)}`;
      const principal = tokenPrincipal(h().accountId, apiKeyId);
      const outcomes = [];
      for (let i = 0; i < 10; i++) outcomes.push(await (i % 2 ? a : b).consume(principal));
      expect(outcomes.filter((o) => o === null)).toHaveLength(4); // KEYSMITH_API_KEY_QPS=4 below
      expect(outcomes.find((o) => o !== null)).toEqual({ retryAfterSeconds: 1, qps: 4 });
      const [counter] = await redis.keys(`${prefix}:ratelimit:apikey:${apiKeyId}:*`);
      expect(await redis.get(counter)).toBe('4');
      expect(await redis.pttl(counter)).toBeGreaterThan(0);
      clock += 1000;
      expect(await a.consume(principal)).toBeNull();
    });
  }, { env: { KEYSMITH_API_KEY_QPS: '4' }, now });

  describeEachEngine('below one request a second', (h) => {
    it('two limiters on one Redis space a key\'s requests 1/Q seconds apart (Q = 0.5: two seconds)', async () => {
      const a = createApiKeyRateLimiter(h().services, redis, prefix);
      const b = createApiKeyRateLimiter(h().services, redis, prefix);
      const apiKeyId = `key-${randomString(8)}`;
      const principal = tokenPrincipal(h().accountId, apiKeyId);
      expect(await a.consume(principal)).toBeNull();
      expect(await b.consume(principal)).toEqual({ retryAfterSeconds: 2, qps: 0.5 });
      expect(await a.consume(principal)).toEqual({ retryAfterSeconds: 2, qps: 0.5 });
      const [gap] = await redis.keys(`${prefix}:ratelimit:apikey:${apiKeyId}:spaced:*`);
      expect(await redis.pttl(gap)).toBeGreaterThan(1000);
      await redis.del(gap); // as if two seconds had gone by
      expect(await b.consume(principal)).toBeNull();
    });
  }, { env: { KEYSMITH_API_KEY_QPS: '0.5' } });
});
