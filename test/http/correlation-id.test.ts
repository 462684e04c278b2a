// New correlation ids are UUIDs of the version 4 layout and never repeat; the JSON form of an id is
// exact whether keysmith made it or the client sent it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { correlationIdJson, correlationIds, newCorrelationId } from '../../src/http/correlation-id.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('correlation ids', () => {
  it('are UUIDs of the version 4 layout, all different', () => {
    const ids = Array.from({ length: 10_000 }, () => newCorrelationId());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('count in their last 8 digits, leading zeros kept, under one random part', () => {
    const next = correlationIds();
    const [a, b, c] = [next(), next(), next()];
    expect(a.slice(0, 28)).toBe(b.slice(0, 28));
    expect([a, b, c].map((id) => id.slice(28))).toEqual(['00000000', '00000001', '00000002']);
  });

  it('draw a new random part once the counter has run its course', () => {
    const next = correlationIds(3);
    const ids = Array.from({ length: 7 }, () => next());
    const parts = ids.map((id) => id.slice(0, 28));
    expect(new Set(parts.slice(0, 3)).size).toBe(1);
    expect(new Set(parts.slice(3, 6)).size).toBe(1);
    expect(new Set([parts[0], parts[3], parts[6]]).size).toBe(3);
    expect(ids.map((id) => id.slice(28))).toEqual(['00000000', '00000001', '00000002', '00000000', '00000001', '00000002', '00000000']);
    for (const id of ids) expect(id).toMatch(UUID_V4);
  });

  it('refuses a counter range its digits cannot hold', () => {
    expect(() => correlationIds(0)).toThrow(RangeError);
    expect(() => correlationIds(100_000_001)).toThrow(RangeError);
    expect(() => correlationIds(1.5)).toThrow(RangeError);
  });
});

describe('correlationIdJson', () => {
  it('writes an id keysmith made between quotes', () => {
    const id = newCorrelationId();
    expect(correlationIdJson(id, undefined)).toBe(`"${id}"`);
    // A header keysmith did not accept (so it made its own id) says nothing of the id.
    expect(correlationIdJson(id, 'not"this\u0001one')).toBe(`"${id}"`);
  });

  it('writes any id the client sent as JSON does', () => {
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 128 }), (id) => {
      expect(correlationIdJson(id, id)).toBe(JSON.stringify(id));
    }));
    expect(correlationIdJson('a"b\\c', 'a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
