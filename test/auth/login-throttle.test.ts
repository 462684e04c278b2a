// The login throttle's counting (SPEC §5: 10 failed attempts per email, 100 per IP, in 15 minutes),
// in memory and in Redis: a refused attempt is not counted, and taking an attempt back (a right
// password) happens once, never goes below zero, and only in the window the attempt was counted in,
// so no order of attempts, refusals and successes buys more password checks than the budget.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomString } from '../../src/domain/ids.js';
import { createLoginThrottle, LOGIN_WINDOW_SECONDS, MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from '../../src/auth/login-throttle.js';
import { REDIS_URL, REQUIRE_SERVICES } from '../helpers/harness.js';

const WINDOW_MS = LOGIN_WINDOW_SECONDS * 1000;

type Throttle = ReturnType<typeof createLoginThrottle>;

/** The seconds to wait for an attempt (null: counted). */
const waitOf = async (throttle: Throttle, email: string, ip: string, now?: number) => (await throttle.reserve(email, ip, now)).waitSeconds;

/** How many attempts of `email` from `ip` are let through at `now` before one is refused. */
async function allowedNow(throttle: Throttle, email: string, ip: string, now?: number) {
  let allowed = 0;
  while (await waitOf(throttle, email, ip, now) === null) allowed++;
  return allowed;
}

function properties(make: () => Throttle, clock: () => number) {
  it('lets 10 attempts of one email through, then says how long to wait; a refusal is not counted', async () => {
    const throttle = make();
    const email = `${randomString(8)}@example.com`;
    const t = clock();
    const attempts = [];
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      const attempt = await throttle.reserve(email, '10.0.0.1', t);
      expect(attempt.waitSeconds).toBeNull();
      attempts.push(attempt);
    }
    const refused = await throttle.reserve(email, '10.0.0.1', t);
    expect(refused.waitSeconds).toBeGreaterThan(LOGIN_WINDOW_SECONDS - 60);
    expect(refused.waitSeconds).toBeLessThanOrEqual(LOGIN_WINDOW_SECONDS);
    // Refusals do not add up (nor does a refused attempt's success give anything back): one right
    // password gives one attempt back, whatever came between.
    for (let i = 0; i < 20; i++) expect(await waitOf(throttle, email, '10.0.0.1', t)).not.toBeNull();
    await refused.succeeded(t);
    expect(await waitOf(throttle, email, '10.0.0.1', t)).not.toBeNull();
    await attempts[0]!.succeeded(t);
    expect(await waitOf(throttle, email, '10.0.0.1', t)).toBeNull();
    expect(await waitOf(throttle, email, '10.0.0.1', t)).not.toBeNull();
  });

  it('gives an attempt back once: successes cannot bank attempts for later', async () => {
    const throttle = make();
    const email = `${randomString(8)}@example.com`;
    const t = clock();
    const attempt = await throttle.reserve(email, '10.0.0.2', t);
    expect(attempt.waitSeconds).toBeNull();
    for (let i = 0; i < 5; i++) await attempt.succeeded(t);
    expect(await allowedNow(throttle, email, '10.0.0.2', t)).toBe(MAX_FAILURES_PER_EMAIL);
  });

  it('an IP with no attempts left refuses without counting against the email', async () => {
    const throttle = make();
    const ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const t = clock();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) expect(await waitOf(throttle, `user${i}-${randomString(6)}@example.com`, ip, t)).toBeNull();
    const email = `${randomString(8)}@example.com`;
    expect(await waitOf(throttle, email, ip, t)).not.toBeNull();
    expect(await allowedNow(throttle, email, '10.9.9.9', t)).toBe(MAX_FAILURES_PER_EMAIL);
  });
}

describe('login throttle in memory', () => {
  properties(() => createLoginThrottle(null), () => 1_000_000_000_000);

  it('holds nothing for the attempts an IP with none left refuses, however many emails they name', async () => {
    const throttle = createLoginThrottle(null);
    const t = 1_000_000_000_000;
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) expect(await waitOf(throttle, `user${i}@example.com`, '10.0.0.7', t)).toBeNull();
    const held = throttle.heldInMemory(); // the 100 emails and the IP
    expect(held).toBe(101);
    for (let i = 0; i < 5_000; i++) expect(await waitOf(throttle, `flood${i}@example.com`, '10.0.0.7', t)).not.toBeNull();
    expect(throttle.heldInMemory()).toBe(held);
    // A right password taken back to none leaves nothing either.
    const right = await throttle.reserve('right@example.com', '10.0.0.8', t);
    expect(right.waitSeconds).toBeNull();
    await right.succeeded(t);
    expect(throttle.heldInMemory()).toBe(held);
  });

  it('a success that comes after its window ended gives nothing to the next window', async () => {
    const throttle = createLoginThrottle(null);
    const email = 'late@example.com';
    const t = 1_000_000_000_000;
    const attempts = [];
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) attempts.push(await throttle.reserve(email, '10.0.0.3', t));
    const after = t + WINDOW_MS + 1;
    for (const attempt of attempts.slice(0, 3)) await attempt.succeeded(after);
    expect(await allowedNow(throttle, email, '10.0.0.3', after)).toBe(MAX_FAILURES_PER_EMAIL);
  });

  it('an attempt of a window that ended meanwhile gives nothing to the window that began after it', async () => {
    // An IP's attempts counted just before its window ends, whose passwords are found right only
    // after the next window began (a slow hash, a busy server): taking them back there would let
    // that window check more passwords than its budget.
    const throttle = createLoginThrottle(null);
    const ip = '10.0.0.9';
    const t = 1_000_000_000_000;
    const late = [];
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) late.push(await throttle.reserve(`late${i}@example.com`, ip, t));
    const next = t + WINDOW_MS + 1;
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) expect(await waitOf(throttle, `next${i}@example.com`, ip, next)).toBeNull();
    for (const attempt of late) await attempt.succeeded(next);
    expect(await waitOf(throttle, 'one-more@example.com', ip, next)).not.toBeNull();
    // The same for an email: its own window's attempts still give back.
    const email = 'straddles@example.com';
    const old = await throttle.reserve(email, '10.0.1.1', t);
    const current = [];
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) current.push(await throttle.reserve(email, '10.0.1.1', next));
    await old.succeeded(next);
    expect(await waitOf(throttle, email, '10.0.1.1', next)).not.toBeNull();
    await current[0]!.succeeded(next);
    expect(await waitOf(throttle, email, '10.0.1.1', next)).toBeNull();
  });
});

describe.skipIf(!REDIS_URL && !REQUIRE_SERVICES)('login throttle in Redis', () => {
  let redis: Redis;
  const prefix = `keysmith-test-${randomString(8)}`;
  const keyOf = (email: string) => `${prefix}:login-window:email:${email}`;
  beforeAll(() => {
    if (!REDIS_URL) throw new Error('KEYSMITH_REQUIRE_SERVICES=1 but KEYSMITH_TEST_REDIS_URL is not set');
    redis = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  properties(() => createLoginThrottle(redis, prefix), () => Date.now());

  it('keeps no key for attempts taken back to none: those an IP with none left refuses, and right passwords', async () => {
    const throttle = createLoginThrottle(redis, prefix);
    const ip = `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) expect(await waitOf(throttle, `held${i}-${randomString(6)}@example.com`, ip)).toBeNull();
    const flood = `flood-${randomString(8).toLowerCase()}@example.com`;
    expect(await waitOf(throttle, flood, ip)).not.toBeNull();
    expect(await redis.exists(keyOf(flood))).toBe(0);
    const right = `right-${randomString(8).toLowerCase()}@example.com`;
    const attempt = await throttle.reserve(right, '10.9.9.8');
    expect(attempt.waitSeconds).toBeNull();
    expect(await redis.exists(keyOf(right))).toBe(1);
    await attempt.succeeded();
    expect(await redis.exists(keyOf(right))).toBe(0);
  });

  it('an attempt of a window that ended meanwhile gives nothing to the window that began after it', async () => {
    const throttle = createLoginThrottle(redis, prefix);
    const email = `straddles-${randomString(8).toLowerCase()}@example.com`;
    const old = await throttle.reserve(email, '10.3.0.1');
    expect(old.waitSeconds).toBeNull();
    await redis.del(keyOf(email)); // its window ends (as the key's expiry would end it)
    const current = [];
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) current.push(await throttle.reserve(email, '10.3.0.1', Date.now() + 1 + i));
    await old.succeeded();
    expect(await waitOf(throttle, email, '10.3.0.1')).not.toBeNull();
    await current[3]!.succeeded();
    expect(await waitOf(throttle, email, '10.3.0.1')).toBeNull();
    expect(await waitOf(throttle, email, '10.3.0.1')).not.toBeNull();
  });

  it('shares the count between instances', async () => {
    const a = createLoginThrottle(redis, prefix);
    const b = createLoginThrottle(redis, prefix);
    const email = `${randomString(8)}@example.com`;
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL / 2; i++) {
      expect(await waitOf(a, email, '10.0.0.4')).toBeNull();
      expect(await waitOf(b, email, '10.0.0.4')).toBeNull();
    }
    const wait = await waitOf(b, email, '10.0.0.4');
    expect(wait).toBeGreaterThan(LOGIN_WINDOW_SECONDS - 60);
    expect(wait).toBeLessThanOrEqual(LOGIN_WINDOW_SECONDS);
  });
});
