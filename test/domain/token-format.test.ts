// Token values (SPEC §4): the shape, the scanner rule, strict parsing and the stored hash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatToken, HARNESS_SCANNER_RE, hashSecret, issueToken, parseToken, secretMatches, splitToken,
} from '../../src/domain/token-format.js';
import { ALPHANUMERIC, newAccountId } from '../../src/domain/ids.js';

const alnum = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...ALPHANUMERIC), minLength: min, maxLength: max });
const hex24 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 });

describe('token values', () => {
  it('issues pat./sat. + account + 24-hex id + 20-character secret, matching the Harness scanner rule', () => {
    const account = newAccountId();
    for (const [type, prefix] of [['USER', 'pat'], ['SERVICE_ACCOUNT', 'sat']] as const) {
      const issued = issueToken(type, account);
      expect(issued.value).toMatch(new RegExp(`^${prefix}\\.${account}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}$`));
      expect(HARNESS_SCANNER_RE.test(issued.value)).toBe(true);
      const parsed = parseToken(issued.value)!;
      expect(parsed.tokenId).toBe(issued.tokenId);
      expect(issued.secretHash).toBe(hashSecret(parsed.secret));
      expect(issued.secretHash).not.toContain(parsed.secret);
    }
  });

  it('draws secrets evenly over the 62 characters (no modulo bias)', () => {
    const counts = new Map<string, number>();
    const account = newAccountId();
    for (let i = 0; i < 5_000; i++) {
      for (const ch of parseToken(issueToken('USER', account).value)!.secret) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    // 100,000 draws: each character expects ~1613; a biased generator (256 % 62 = 8 favoured) shows ~+25%.
    for (const n of counts.values()) expect(n).toBeGreaterThan(1300);
    for (const n of counts.values()) expect(n).toBeLessThan(1950);
  });

  it('round-trips every well-formed value', () => {
    fc.assert(fc.property(fc.constantFrom('pat', 'sat' as const), alnum(1, 64), hex24, alnum(20, 20), (prefix, account, id, secret) => {
      const value = formatToken(prefix as 'pat' | 'sat', account, id, secret);
      expect(parseToken(value)).toEqual({ prefix, accountIdentifier: account, tokenId: id, secret });
    }));
  });

  it('never throws, and refuses anything that is not exactly the shape', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (raw) => {
      const parsed = parseToken(raw);
      if (parsed) expect(formatToken(parsed.prefix, parsed.accountIdentifier, parsed.tokenId, parsed.secret)).toBe(raw);
    }));
    const good = issueToken('USER', newAccountId()).value;
    const [p, a, id, secret] = good.split('.');
    for (const bad of [
      '', 'pat', `${p}.${a}.${id}`, `${good}.x`, `xat.${a}.${id}.${secret}`, `PAT.${a}.${id}.${secret}`,
      `${p}..${id}.${secret}`, `${p}.${a}.${id.toUpperCase()}.${secret}`, `${p}.${a}.${id.slice(1)}.${secret}`,
      `${p}.${a}.${id}.${secret.slice(1)}`, `${p}.${a}.${id}.${secret}x`, `${p}.${a}-x.${id}.${secret}`,
      `${p}.${a}.${id}.${secret.slice(0, 19)}!`, `${p}.${'a'.repeat(65)}.${id}.${secret}`, good + ' ', 'x'.repeat(10_240),
      `${p}.${a}.${id}.${secret.slice(0, 19)}é`,
    ]) {
      expect(parseToken(bad), bad.slice(0, 80)).toBeNull();
    }
  });

  it('splits by the shape alone what parseToken also checks character by character', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (raw) => {
      const parts = splitToken(raw);
      if (parts) expect(formatToken(parts.prefix, parts.accountIdentifier, parts.tokenId, parts.secret)).toBe(raw);
      const parsed = parseToken(raw);
      if (parsed) expect(parts).toEqual(parsed);
    }));
    const good = issueToken('USER', newAccountId()).value;
    const [p, a, id, secret] = good.split('.');
    // Right shape, wrong characters: split, but not parsed.
    for (const odd of [`${p}.${a}.${id.toUpperCase()}.${secret}`, `${p}.${a}-.${id}.${secret}`, `${p}.${a}.${id}.${secret.slice(0, 19)}!`]) {
      expect(splitToken(odd), odd).not.toBeNull();
      expect(parseToken(odd), odd).toBeNull();
    }
    for (const bad of ['', `${p}.${a}.${id}`, `${good}.x`, `xat.${a}.${id}.${secret}`, `${p}..${id}.${secret}`, `${p}.${a}.${id}.${secret}x`]) {
      expect(splitToken(bad), bad).toBeNull();
    }
  });

  it('compares secrets against the stored hash', () => {
    fc.assert(fc.property(alnum(20, 20), alnum(20, 20), (a, b) => {
      expect(secretMatches(a, hashSecret(a))).toBe(true);
      expect(secretMatches(b, hashSecret(a))).toBe(a === b);
    }));
  });
});
