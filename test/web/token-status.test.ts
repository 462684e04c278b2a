// The console's reading of a token's state (web/src/lib/tokenStatus.ts): rotated is the server's
// rule (src/domain/rotation.ts), a scheduledExpireTime and nothing else — not an Id that looks rotated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenAggregate } from '../../web/src/api/types.js';
import { isRotated, nextStateChange, tokenState } from '../../web/src/lib/tokenStatus.js';

const NOW = Date.UTC(2030, 0, 1);
const HOUR = 3_600_000;

function token(identifier: string, times: { validFrom?: number; validTo?: number; scheduledExpireTime?: number | null }): TokenAggregate {
  const validTo = times.validTo ?? NOW + 24 * HOUR;
  const scheduledExpireTime = times.scheduledExpireTime ?? null;
  return {
    token: {
      identifier, name: identifier, description: null, tags: null, validFrom: times.validFrom ?? NOW - HOUR, validTo, scheduledExpireTime,
      apiKeyIdentifier: 'key', parentIdentifier: 'someone', apiKeyType: 'USER',
      accountIdentifier: 'acc', orgIdentifier: null, projectIdentifier: null,
    },
    expiryAt: scheduledExpireTime ?? validTo, createdAt: NOW - HOUR, lastModifiedAt: NOW - HOUR, lastUsedAt: null,
  };
}

const identifier = fc.oneof(fc.stringMatching(/^[a-zA-Z_][0-9a-zA-Z_$]{0,20}$/), fc.stringMatching(/^[0-9a-zA-Z_$]{0,20}$/).map((s) => `rotated_${s}`));

describe('tokenState and isRotated', () => {
  it('call a token rotated exactly when it has a scheduledExpireTime, whatever its Id', () => {
    fc.assert(fc.property(identifier, fc.boolean(), (id, rotated) => {
      const t = token(id, { scheduledExpireTime: rotated ? NOW + HOUR : null });
      expect(isRotated(t)).toBe(rotated);
      expect(tokenState(t, NOW)).toBe(rotated ? 'rotated' : 'active');
    }));
  });

  it('shows a token a person named rotated_ci as active, and one the server rotated as rotated', () => {
    expect(isRotated(token('rotated_ci', {}))).toBe(false);
    expect(tokenState(token('rotated_ci', {}), NOW)).toBe('active');
    expect(tokenState(token('rotated_ci', { validFrom: NOW + HOUR }), NOW)).toBe('pending');
    expect(tokenState(token('ci', { scheduledExpireTime: NOW + HOUR }), NOW)).toBe('rotated');
  });

  it('calls a token past its expiry or its grace period expired', () => {
    expect(tokenState(token('rotated_ci', { validTo: NOW - 1 }), NOW)).toBe('expired');
    expect(tokenState(token('ci', { scheduledExpireTime: NOW }), NOW)).toBe('expired');
  });
});

describe('nextStateChange', () => {
  it('is the soonest future start or expiry among the tokens, where tokenState changes; null when none is ahead', () => {
    const tokens = [
      token('later', { validTo: NOW + 5 * HOUR }),
      token('pending', { validFrom: NOW + 2 * HOUR, validTo: NOW + 9 * HOUR }),
      token('rotated', { validTo: NOW + 9 * HOUR, scheduledExpireTime: NOW + 3 * HOUR }),
      token('gone', { validFrom: NOW - 9 * HOUR, validTo: NOW - HOUR }),
    ];
    const next = nextStateChange(tokens, NOW);
    expect(next).toBe(NOW + 2 * HOUR);
    expect(tokenState(tokens[1]!, next! - 1)).toBe('pending');
    expect(tokenState(tokens[1]!, next!)).toBe('active');
    expect(nextStateChange(tokens, NOW + 2 * HOUR)).toBe(NOW + 3 * HOUR);
    expect(nextStateChange(tokens, NOW + 3 * HOUR)).toBe(NOW + 5 * HOUR);
    expect(nextStateChange([tokens[3]!], NOW)).toBeNull();
    expect(nextStateChange([], NOW)).toBeNull();
  });
});

