// The bounded LRU behind the token verification caches: recency, eviction, time-to-live, removal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/auth/lru-cache.js';

const keysOf = (cache: LruCache<string, number>, candidates: string[], now: number) =>
  candidates.filter((k) => cache.get(k, now) !== undefined);

describe('LruCache', () => {
  it('evicts the least recently used entry; a hit or a set makes an entry the most recent', () => {
    const cache = new LruCache<string, number>(3, 1_000);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('c', 3, 0);
    expect(cache.get('a', 0)).toBe(1); // order now b, c, a
    cache.set('d', 4, 0); // evicts b
    expect(cache.size).toBe(3);
    expect(cache.get('b', 0)).toBeUndefined();
    cache.set('c', 30, 0); // order a, d, c
    cache.set('e', 5, 0); // evicts a
    expect(cache.get('a', 0)).toBeUndefined();
    expect([cache.get('c', 0), cache.get('d', 0), cache.get('e', 0)]).toEqual([30, 4, 5]);
  });

  it('forgets an entry once its time-to-live has run out, and a set renews it', () => {
    const cache = new LruCache<string, number>(10, 100);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    expect(cache.get('a', 99)).toBe(1);
    cache.set('b', 2, 50);
    expect(cache.get('a', 100)).toBeUndefined();
    expect(cache.has('b', 149)).toBe(true);
    expect(cache.has('b', 150)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('deletes one key, the entries matching a predicate, or everything', () => {
    const cache = new LruCache<string, number>(10, 1_000);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3], ['d', 4]] as const) cache.set(k, v, 0);
    cache.delete('a');
    cache.delete('missing');
    cache.deleteWhere((v) => v % 2 === 0);
    expect(keysOf(cache, ['a', 'b', 'c', 'd'], 0)).toEqual(['c']);
    cache.set('e', 5, 0);
    cache.clear();
    expect(cache.size).toBe(0);
    cache.set('f', 6, 0);
    expect(cache.get('f', 0)).toBe(6);
  });

  it('stores nothing with a size of 0', () => {
    const cache = new LruCache<string, number>(0, 1_000);
    cache.set('a', 1, 0);
    expect(cache.size).toBe(0);
  });

  it('behaves as a reference LRU under any sequence of gets, sets and deletes', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 7 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 7 }) }),
    );
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
      const cache = new LruCache<number, number>(max, 1_000);
      const reference = new Map<number, number>(); // insertion order = recency, oldest first
      for (const o of ops) {
        if (o.kind === 'get') {
          const expected = reference.get(o.key);
          if (expected !== undefined) { reference.delete(o.key); reference.set(o.key, expected); }
          expect(cache.get(o.key, 0)).toBe(expected);
        } else if (o.kind === 'set') {
          reference.delete(o.key);
          reference.set(o.key, o.value);
          if (reference.size > max) reference.delete(reference.keys().next().value!);
          cache.set(o.key, o.value, 0);
        } else {
          reference.delete(o.key);
          cache.delete(o.key);
        }
        expect(cache.size).toBe(reference.size);
      }
    }));
  });
});
