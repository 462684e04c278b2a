// The pure rules of a token's life (SPEC §4): windows, defaults, rotation timing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeysmithError } from '../../src/domain/errors.js';
import {
  DEFAULT_TOKEN_LIFETIME_MS, expiryAt, isActive, newTokenWindow, planRotation, rotatedIdentifier, updatedTokenWindow,
} from '../../src/domain/rotation.js';
import { MAX_EPOCH_MS } from '../../src/domain/validation.js';

const NOW = 1_700_000_000_000;
const lifetime = { defaultTtlMs: DEFAULT_TOKEN_LIFETIME_MS, maxLifetimeMs: null };
const codeOf = (fn: () => unknown) => {
  try { fn(); return null; } catch (e) { return e instanceof KeysmithError ? `${e.code}: ${e.message}` : String(e); }
};

describe('token windows', () => {
  it('defaults validFrom to now and validTo to validFrom + the key default (30 days)', () => {
    expect(newTokenWindow({}, NOW, lifetime)).toEqual({ validFrom: NOW, validTo: NOW + 2_592_000_000 });
    expect(newTokenWindow({ validFrom: NOW + 5 }, NOW, { ...lifetime, defaultTtlMs: 10 })).toEqual({ validFrom: NOW + 5, validTo: NOW + 15 });
  });

  it('cuts a default validTo at the last instant a Date holds, which the API takes back on a PUT', () => {
    const forever = { defaultTtlMs: MAX_EPOCH_MS, maxLifetimeMs: null };
    expect(newTokenWindow({}, NOW, forever)).toEqual({ validFrom: NOW, validTo: MAX_EPOCH_MS });
    expect(newTokenWindow({ validFrom: MAX_EPOCH_MS }, NOW, { ...lifetime, defaultTtlMs: 1 })).toEqual({ validFrom: MAX_EPOCH_MS, validTo: MAX_EPOCH_MS });
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_EPOCH_MS }), fc.integer({ min: 1, max: MAX_EPOCH_MS }), (from, ttl) => {
      const { validTo } = newTokenWindow({ validFrom: NOW + from > MAX_EPOCH_MS ? MAX_EPOCH_MS : NOW + from }, NOW, { defaultTtlMs: ttl, maxLifetimeMs: null });
      expect(validTo).toBeLessThanOrEqual(MAX_EPOCH_MS);
      expect(Number.isFinite(new Date(validTo).getTime())).toBe(true);
    }));
  });

  it('refuses validTo in the past and validFrom after validTo with 400 INVALID_ARGUMENT', () => {
    expect(codeOf(() => newTokenWindow({ validTo: NOW - 1 }, NOW, lifetime))).toMatch(/^INVALID_ARGUMENT: validTo/);
    expect(codeOf(() => newTokenWindow({ validFrom: NOW + 10, validTo: NOW + 5 }, NOW, lifetime))).toMatch(/^INVALID_ARGUMENT: validFrom/);
  });

  it('holds every window to maxTokenLifetimeMs: explicit values refused, the default cut', () => {
    const capped = { defaultTtlMs: DEFAULT_TOKEN_LIFETIME_MS, maxLifetimeMs: 1000 };
    expect(newTokenWindow({}, NOW, capped)).toEqual({ validFrom: NOW, validTo: NOW + 1000 });
    expect(codeOf(() => newTokenWindow({ validTo: NOW + 1001 }, NOW, capped))).toMatch(/maxTokenLifetimeMs/);
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 5_000 }),
      (from, to, max) => {
        const result = codeOf(() => newTokenWindow({ validFrom: NOW + from, validTo: NOW + to }, NOW, { defaultTtlMs: 1, maxLifetimeMs: max }));
        expect(result === null).toBe(from <= to && to - from <= max);
      }));
  });

  it('keeps stored values on update, refuses rotated tokens, and lets an expired token be renamed', () => {
    const stored = { validFrom: NOW - 100, validTo: NOW - 1, scheduledExpireTime: null };
    expect(updatedTokenWindow(stored, {}, NOW, lifetime)).toEqual({ validFrom: NOW - 100, validTo: NOW - 1 });
    expect(codeOf(() => updatedTokenWindow(stored, { validTo: NOW - 2 }, NOW, lifetime))).toMatch(/^INVALID_ARGUMENT/);
    expect(updatedTokenWindow(stored, { validTo: NOW + 50 }, NOW, lifetime)).toEqual({ validFrom: NOW - 100, validTo: NOW + 50 });
    expect(codeOf(() => updatedTokenWindow({ ...stored, scheduledExpireTime: NOW + 5 }, {}, NOW, lifetime)))
      .toBe('INVALID_REQUEST: Rotated tokens cannot be updated');
  });

  it('under maxTokenLifetimeMs, never lets an update move validFrom later: no window outlives its first validFrom + the maximum', () => {
    const capped = { defaultTtlMs: DEFAULT_TOKEN_LIFETIME_MS, maxLifetimeMs: 1000 };
    const stored = { validFrom: NOW - 100, validTo: NOW + 900, scheduledExpireTime: null };
    expect(codeOf(() => updatedTokenWindow(stored, { validFrom: NOW + 500, validTo: NOW + 1500 }, NOW, capped)))
      .toBe('INVALID_ARGUMENT: validFrom: cannot be moved later while the account limits how long a token is valid '
        + '(account setting maxTokenLifetimeMs): rotate the token for a new one');
    // Earlier, or as it is, is fine; without a maximum, later is too.
    expect(updatedTokenWindow(stored, { validFrom: NOW - 100, validTo: NOW + 800 }, NOW, capped)).toEqual({ validFrom: NOW - 100, validTo: NOW + 800 });
    expect(updatedTokenWindow(stored, { validFrom: NOW - 200, validTo: NOW + 700 }, NOW, capped)).toEqual({ validFrom: NOW - 200, validTo: NOW + 700 });
    expect(updatedTokenWindow(stored, { validFrom: NOW + 500, validTo: NOW + 1500 }, NOW, lifetime)).toEqual({ validFrom: NOW + 500, validTo: NOW + 1500 });
    // Any sequence of accepted updates keeps validTo within the first validFrom + the maximum.
    fc.assert(fc.property(fc.array(fc.record({ from: fc.option(fc.integer({ min: -2000, max: 5000 })), to: fc.option(fc.integer({ min: -2000, max: 5000 })) }), { maxLength: 8 }),
      (updates) => {
        let window = { validFrom: NOW - 100, validTo: NOW + 900, scheduledExpireTime: null };
        for (const u of updates) {
          try {
            window = { ...updatedTokenWindow(window, { validFrom: u.from === null ? null : NOW + u.from, validTo: u.to === null ? null : NOW + u.to }, NOW, capped), scheduledExpireTime: null };
          } catch { /* refused: unchanged */ }
          expect(window.validTo).toBeLessThanOrEqual(NOW - 100 + 1000);
        }
      }));
  });

  it('is active exactly on [validFrom, expiry), expiry being the grace end when rotated', () => {
    fc.assert(fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.option(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -60, max: 60 }),
      (from, to, grace, at) => {
        const t = { validFrom: NOW + from, validTo: NOW + to, scheduledExpireTime: grace === null ? null : NOW + grace };
        expect(expiryAt(t)).toBe(grace === null ? NOW + to : NOW + grace);
        expect(isActive(t, NOW + at)).toBe(NOW + at >= NOW + from && NOW + at < expiryAt(t));
      }));
  });
});

describe('rotation', () => {
  const token = { validFrom: NOW - 1000, validTo: NOW + 10_000, scheduledExpireTime: null };

  it('names the old token rotated_ + 15 letters', () => {
    for (let i = 0; i < 100; i++) expect(rotatedIdentifier()).toMatch(/^rotated_[A-Za-z]{15}$/);
  });

  it('gives a grace period only for a future rotateTimestamp, at most the old expiry', () => {
    fc.assert(fc.property(fc.option(fc.integer({ min: -20_000, max: 20_000 })), (offset) => {
      const ts = offset === null ? undefined : NOW + offset;
      const result = codeOf(() => planRotation(token, NOW, ts, undefined, lifetime));
      if (ts !== undefined && ts > token.validTo) {
        expect(result).toMatch(/^INVALID_ARGUMENT: rotateTimestamp/);
        return;
      }
      const plan = planRotation(token, NOW, ts, undefined, lifetime);
      expect(plan.graceUntil).toBe(ts !== undefined && ts > NOW ? ts : null);
      expect(plan).toMatchObject({ newValidFrom: NOW, newValidTo: token.validTo });
    }));
  });

  it("cuts a kept validTo to the account's maximum lifetime, and refuses only an explicit one beyond it", () => {
    const capped = { defaultTtlMs: DEFAULT_TOKEN_LIFETIME_MS, maxLifetimeMs: 4_000 };
    expect(planRotation(token, NOW, undefined, undefined, capped).newValidTo).toBe(NOW + 4_000);
    expect(planRotation(token, NOW, NOW + 500, undefined, capped)).toMatchObject({ graceUntil: NOW + 500, newValidTo: NOW + 4_000 });
    // Within the maximum, the old validTo is kept as it is.
    expect(planRotation(token, NOW, undefined, undefined, { ...capped, maxLifetimeMs: 50_000 }).newValidTo).toBe(token.validTo);
    expect(planRotation(token, NOW, undefined, NOW + 4_000, capped).newValidTo).toBe(NOW + 4_000);
    expect(codeOf(() => planRotation(token, NOW, undefined, NOW + 4_001, capped))).toMatch(/^INVALID_ARGUMENT: validTo: a token may be valid for at most 4000 ms/);
  });

  it('takes a new validTo when given, checked like any window', () => {
    expect(planRotation(token, NOW, undefined, NOW + 99, lifetime).newValidTo).toBe(NOW + 99);
    expect(codeOf(() => planRotation(token, NOW, undefined, NOW - 1, lifetime))).toMatch(/^INVALID_ARGUMENT: validTo/);
  });

  it('refuses an expired token and a rotated one', () => {
    expect(codeOf(() => planRotation({ ...token, validTo: NOW }, NOW, undefined, undefined, lifetime)))
      .toBe('INVALID_REQUEST: Expired tokens cannot be rotated');
    expect(codeOf(() => planRotation({ ...token, scheduledExpireTime: NOW + 5 }, NOW, undefined, undefined, lifetime)))
      .toBe('INVALID_REQUEST: Rotated tokens cannot be updated');
  });
});
