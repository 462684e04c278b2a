// The login throttle's counting (SPEC §5: 10 failed attempts per email, 100 per IP, in 15 minutes),
// in memory and in Redis: a refused attempt is not counted, and taking an attempt back (a right
// password) never goes below zero nor into a window that began after the attempt, so no order of
// attempts, refusals and successes buys more password checks than the budget.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomString } from '../../src/domain/ids.js';
import { createLoginThrottle, LOGIN_WINDOW_SECONDS, MAX_FAILURES_PER_EMAIL } from '../../src/auth/login-throttle.js';
import { REDIS_URL, REQUIRE_SERVICES } from '../helpers/harness.js';

const WINDOW_MS = LOGIN_WINDOW_SECONDS * 1000;

type Throttle = ReturnType<typeof createLoginThrottle>;

function properties(make: () => Throttle) {
  it('lets 10 attempts of one email through, then says how long to wait; a refusal is not counted', async () => {
    const throttle = make();
    const email = `${randomString(8)}@example.com`;
    const t = 1_000_000_000_000;
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) expect(await throttle.reserve(email, '10.0.0.1', t)).toBeNull();
    expect(await throttle.reserve(email, '10.0.0.1', t)).toBe(LOGIN_WINDOW_SECONDS);
    // Refusals do not add up: one right password gives one attempt back, whatever came between.
    for (let i = 0; i < 20; i++) expect(await throttle.reserve(email, '10.0.0.1', t)).not.toBeNull();
    await throttle.succeeded(email, '10.0.0.1', t);
    expect(await throttle.reserve(email, '10.0.0.1', t)).toBeNull();
    expect(await throttle.reserve(email, '10.0.0.1', t)).not.toBeNull();
  });

  it('never gives back below zero: successes cannot bank attempts for later', async () => {
    const throttle = make();
    const email = `${randomString(8)}@example.com`;
    const t = 1_000_000_000_000;
    expect(await throttle.reserve(email, '10.0.0.2', t)).toBeNull();
    for (let i = 0; i < 5; i++) await throttle.succeeded(email, '10.0.0.2', t);
    let allowed = 0;
    while (await throttle.reserve(email, '10.0.0.2', t) === null) allowed++;
    expect(allowed).toBe(MAX_FAILURES_PER_EMAIL);
  });

  it('an IP with no attempts left refuses without counting against the email', async () => {
    const throttle = make();
    const ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const t = 1_000_000_000_000;
    for (let i = 0; i < 100; i++) expect(await throttle.reserve(`user${i}-${randomString(6)}@example.com`, ip, t)).toBeNull();
    const email = `${randomString(8)}@example.com`;
    expect(await throttle.reserve(email, ip, t)).not.toBeNull();
    let allowed = 0;
    while (await throttle.reserve(email, '10.9.9.9', t) === null) allowed++;
    expect(allowed).toBe(MAX_FAILURES_PER_EMAIL);
  });
}

describe('login throttle in memory', () => {
  properties(() => createLoginThrottle(null));

  it('holds nothing for the attempts an IP with none left refuses, however many emails they name', async () => {
    const throttle = createLoginThrottle(null);
    const t = 1_000_000_000_000;
    for (let i = 0; i < 100; i++) expect(await throttle.reserve(`user${i}@example.com`, '10.0.0.7', t)).toBeNull();
    const held = throttle.heldInMemory(); // the 100 emails and the IP
    expect(held).toBe(101);
    for (let i = 0; i < 5_000; i++) expect(await throttle.reserve(`flood${i}@example.com`, '10.0.0.7', t)).not.toBeNull();
    expect(throttle.heldInMemory()).toBe(held);
    // A right password taken back to none leaves nothing either.
    expect(await throttle.reserve('right@example.com', '10.0.0.8', t)).toBeNull();
    await throttle.succeeded('right@example.com', '10.0.0.8', t);
    expect(throttle.heldInMemory()).toBe(held);
  });

  it('a success that comes after its window ended gives nothing to the next window', async () => {
    const throttle = createLoginThrottle(null);
    const email = 'late@example.com';
    const t = 1_000_000_000_000;
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) expect(await throttle.reserve(email, '10.0.0.3', t)).toBeNull();
    const after = t + WINDOW_MS + 1;
    for (let i = 0; i < 3; i++) await throttle.succeeded(email, '10.0.0.3', after);
    let allowed = 0;
    while (await throttle.reserve(email, '10.0.0.3', after) === null) allowed++;
    expect(allowed).toBe(MAX_FAILURES_PER_EMAIL);
  });
});

describe.skipIf(!REDIS_URL && !REQUIRE_SERVICES)('login throttle in Redis', () => {
  let redis: Redis;
  const prefix = `keysmith-test-${randomString(8)}`;
  beforeAll(() => {
    if (!REDIS_URL) throw new Error('KEYSMITH_REQUIRE_SERVICES=1 but KEYSMITH_TEST_REDIS_URL is not set');
    redis = new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  properties(() => createLoginThrottle(redis, prefix));

  it('keeps no key for attempts taken back to none: those an IP with none left refuses, and right passwords', async () => {
    const throttle = createLoginThrottle(redis, prefix);
    const ip = `10.2.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 100; i++) expect(await throttle.reserve(`held${i}-${randomString(6)}@example.com`, ip)).toBeNull();
    const flood = `flood-${randomString(8).toLowerCase()}@example.com`;
    expect(await throttle.reserve(flood, ip)).not.toBeNull();
    expect(await redis.exists(`${prefix}:login:email:${flood}`)).toBe(0);
    const right = `right-${randomString(8).toLowerCase()}@example.com`;
    expect(await throttle.reserve(right, '10.9.9.8')).toBeNull();
    expect(await redis.exists(`${prefix}:login:email:${right}`)).toBe(1);
    await throttle.succeeded(right, '10.9.9.8');
    expect(await redis.exists(`${prefix}:login:email:${right}`)).toBe(0);
  });

  it('shares the count between instances', async () => {
    const a = createLoginThrottle(redis, prefix);
    const b = createLoginThrottle(redis, prefix);
    const email = `${randomString(8)}@example.com`;
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL / 2; i++) {
      expect(await a.reserve(email, '10.0.0.4')).toBeNull();
      expect(await b.reserve(email, '10.0.0.4')).toBeNull();
    }
    const wait = await b.reserve(email, '10.0.0.4');
    expect(wait).toBeGreaterThan(LOGIN_WINDOW_SECONDS - 60);
    expect(wait).toBeLessThanOrEqual(LOGIN_WINDOW_SECONDS);
  });
});
