// The token verification cache stays bounded (issue 6, item 2): a flood of random well-formed
// tokens, or more valid tokens than the cache holds, never grows it past KEYSMITH_TOKEN_CACHE_SIZE
// and KEYSMITH_NEGATIVE_CACHE_SIZE — and an evicted token still authenticates (from the store).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomString } from '../../src/domain/ids.js';
import type { TokenAuthenticatorStats } from '../../src/auth/token-authenticator.js';
import { insertApiKey } from '../../src/store/api-keys.js';
import { seedTokens } from '../../src/store/tokens.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const TOKEN_CACHE_SIZE = 100;
const NEGATIVE_CACHE_SIZE = 50;

describe('token verification cache bounds', () => {
  let h: Harness & { close(): Promise<void> };
  let stats: () => TokenAuthenticatorStats;
  let valid: string[];

  beforeAll(async () => {
    h = await createHarness('sqlite', {
      env: { KEYSMITH_TOKEN_CACHE_SIZE: String(TOKEN_CACHE_SIZE), KEYSMITH_NEGATIVE_CACHE_SIZE: String(NEGATIVE_CACHE_SIZE) },
    });
    const tokens = h.services.tokens as typeof h.services.tokens & { stats?: () => TokenAuthenticatorStats };
    if (typeof tokens.stats !== 'function') throw new Error('the token authenticator exposes no stats()');
    stats = () => tokens.stats!();
    const key = await insertApiKey(h.store.db, {
      identifier: 'cache_bounds', name: 'cache bounds', description: '', tags: {}, accountIdentifier: h.accountId,
      orgIdentifier: null, projectIdentifier: null, apiKeyType: 'USER', parentIdentifier: h.admin.id,
      defaultTimeToExpireToken: 86_400_000, rateLimitQps: 1_000_000,
    }, Date.now());
    valid = await seedTokens(h.store.db, key, TOKEN_CACHE_SIZE * 3);
  });
  afterAll(async () => { await h?.close(); });

  const randomToken = () => `pat.${h.accountId}.${randomBytes(12).toString('hex')}.${randomString(20)}`;

  it('keeps at most KEYSMITH_NEGATIVE_CACHE_SIZE unknown ids through a flood of 50,000 random tokens', async () => {
    let maxNegative = 0;
    let maxCached = 0;
    for (let batch = 0; batch < 500; batch++) {
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, () => h.services.tokens.authenticate(randomToken(), Date.now())));
      expect(results.every((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'INVALID_TOKEN')).toBe(true);
      const s = stats();
      maxNegative = Math.max(maxNegative, s.negative);
      maxCached = Math.max(maxCached, s.cached);
    }
    expect(maxNegative).toBe(NEGATIVE_CACHE_SIZE); // filled, never beyond
    expect(maxCached).toBe(0); // nothing unknown ever lands in the verified cache
  });

  it('keeps at most KEYSMITH_TOKEN_CACHE_SIZE verified tokens, and evicted ones still authenticate', async () => {
    for (let round = 0; round < 2; round++) {
      for (const token of valid) {
        const principal = await h.services.tokens.authenticate(token, Date.now());
        expect(principal.identifier).toBe(h.admin.id);
        expect(stats().cached).toBeLessThanOrEqual(TOKEN_CACHE_SIZE);
      }
    }
    expect(stats().cached).toBe(TOKEN_CACHE_SIZE);
  });

  it('stays bounded through the HTTP path too, answering 401 INVALID_TOKEN to each random token', async () => {
    for (let i = 0; i < 1_000; i++) {
      const res = await h.tokenClient(randomToken()).get('/ng/api/user/currentUser');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_TOKEN');
    }
    expect(stats().negative).toBeLessThanOrEqual(NEGATIVE_CACHE_SIZE);
    expect(stats().cached).toBeLessThanOrEqual(TOKEN_CACHE_SIZE);
  });
});
