// Code-point order, the order of every text list keysmith returns: the order of UTF-8 bytes, which
// SQLite compares and PostgreSQL's "C" collation too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/domain/text-order.js';

const bytewise = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

describe('compareCodePoints', () => {
  it('orders case before case-insensitivity, punctuation by its code point', () => {
    expect(['beta', 'a_b', 'Zeta', 'alpha', 'a1', 'A$x'].sort(compareCodePoints)).toEqual(['A$x', 'Zeta', 'a1', 'a_b', 'alpha', 'beta']);
  });

  it('puts characters beyond U+FFFF after U+E000–U+FFFF, where UTF-16 order puts them before', () => {
    expect(['\u{1F600}', '\uFF21', '\uE000'].sort(compareCodePoints)).toEqual(['\uE000', '\uFF21', '\u{1F600}']);
  });

  it('agrees with the order of UTF-8 bytes for any two strings', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }), // any code point
      fc.string({ unit: fc.constantFrom('a', 'A', '_', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}') }), // near the edges
    );
    fc.assert(fc.property(text, text, (a, b) => {
      expect(Math.sign(compareCodePoints(a, b))).toBe(bytewise(a, b));
    }), { numRuns: 2000 });
  });
});
