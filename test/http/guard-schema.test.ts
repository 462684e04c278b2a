// guardSchema: in the query string (and path), an integer or number is read only from its decimal
// text, with the message a word gets; bodies keep their strict, uncoerced types. Checked with the
// two Ajv set-ups of app.ts and the FailureDTO's field errors (errors.ts).
import { Ajv } from 'ajv';
import fc from 'fast-check';
import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { guardSchema } from '../../src/http/guard-schema.js';
import { validationErrors } from '../../src/http/errors.js';

// As app.ts's makeAjv: strict bodies, coerced query strings and paths.
const ajvOptions = { allErrors: true, strict: false, verbose: true, useDefaults: false, removeAdditional: false } as const;
const queryAjv = new Ajv({ ...ajvOptions, coerceTypes: 'array' });
const bodyAjv = new Ajv({ ...ajvOptions, coerceTypes: false });

const QUERY = {
  type: 'object',
  properties: {
    pageSize: { type: 'integer', minimum: 1 },
    rotateTimestamp: { type: 'integer', minimum: 0, maximum: 8_640_000_000_000_000 },
    n: { type: 'integer' },
    qps: { type: 'number', minimum: 0 },
    ids: { type: 'array', items: { type: 'integer' } },
    names: { type: 'array', items: { type: 'string' } },
    flag: { type: 'boolean' },
    text: { type: 'string', maxLength: 10 },
  },
};
const validateQuery = queryAjv.compile(guardSchema(QUERY, 'querystring'));

/** The query after validation (coerced), or the FailureDTO's field errors. */
function query(q: Record<string, string | string[]>): { data: Record<string, unknown> } | { errors: { fieldId: string; error: string }[] } {
  const data = structuredClone(q) as Record<string, unknown>;
  if (validateQuery(data)) return { data };
  return { errors: validationErrors({ validation: validateQuery.errors, validationContext: 'querystring' } as unknown as FastifyError) };
}
const mustBeInteger = (fieldId: string) => ({ errors: [{ fieldId, error: 'must be integer' }] });

describe('guardSchema for a query string', () => {
  it('refuses a blank, hex, binary, an exponent, a fraction or spaces with the message a word gets: must be integer', () => {
    expect(query({ pageSize: 'ten' })).toEqual(mustBeInteger('pageSize'));
    for (const text of [' ', '', '0x10', '0X10', '0b11', '0o7', '1e1', '1E1', '5.0', '5.', '.5', ' 5', '5 ', '\t5', '5\n', '+', '-', '--5', '+-5',
      'Infinity', '-Infinity', 'NaN', '1_000', '١٢', '５']) {
      expect(query({ pageSize: text }), JSON.stringify(text)).toEqual(mustBeInteger('pageSize'));
      expect(query({ rotateTimestamp: text }), JSON.stringify(text)).toEqual(mustBeInteger('rotateTimestamp'));
    }
  });

  it('reads what Java\'s Long.parseLong reads: an optional sign and decimal digits, leading zeros allowed', () => {
    expect(query({ pageSize: '10' })).toEqual({ data: { pageSize: 10 } });
    expect(query({ pageSize: '+5' })).toEqual({ data: { pageSize: 5 } });
    expect(query({ pageSize: '007' })).toEqual({ data: { pageSize: 7 } });
    expect(query({ n: '-42' })).toEqual({ data: { n: -42 } });
    expect(query({ rotateTimestamp: '0' })).toEqual({ data: { rotateTimestamp: 0 } });
    // Decimal text out of range is the range's error, as before.
    expect(query({ pageSize: '0' })).toEqual({ errors: [{ fieldId: 'pageSize', error: 'must be >= 1' }] });
  });

  it('property: any text is taken exactly when it is decimal, and then as the number it says', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[+-]?[0-9]{1,15}$/), fc.constantFrom(' 1', '0x1', '1e3', '2.5')), (text) => {
      const result = query({ n: text });
      if (/^[+-]?[0-9]+$/.test(text)) expect(result).toEqual({ data: { n: Number(text) } });
      else expect(result).toEqual(mustBeInteger('n'));
    }));
  });

  it('keeps the rest as it was: repeated values a list (and a list for a number the type error), strings, booleans', () => {
    expect(query({ pageSize: ['1', '2'] })).toEqual(mustBeInteger('pageSize'));
    expect(query({ ids: '5' })).toEqual({ data: { ids: [5] } });
    expect(query({ ids: ['1', '+2', '003'] })).toEqual({ data: { ids: [1, 2, 3] } });
    expect(query({ ids: ['1', '0x2'] })).toEqual({ errors: [{ fieldId: 'ids.1', error: 'must be integer' }] });
    expect(query({ names: 'a' })).toEqual({ data: { names: ['a'] } });
    expect(query({ names: ['a', ' 1', '0x10'] })).toEqual({ data: { names: ['a', ' 1', '0x10'] } });
    expect(query({ flag: 'true', text: ' 12 ' })).toEqual({ data: { flag: true, text: ' 12 ' } });
    expect(query({ flag: 'maybe' })).toEqual({ errors: [{ fieldId: 'flag', error: 'must be boolean' }] });
  });

  it('reads a number field from decimal text with a fraction or an exponent, nothing else: must be number', () => {
    expect(query({ qps: '2.5' })).toEqual({ data: { qps: 2.5 } });
    expect(query({ qps: '1e3' })).toEqual({ data: { qps: 1000 } });
    expect(query({ qps: '.5' })).toEqual({ data: { qps: 0.5 } });
    for (const text of [' ', '', '0x10', 'Infinity', '1e', '2.5 ', 'abc']) {
      expect(query({ qps: text }), JSON.stringify(text)).toEqual({ errors: [{ fieldId: 'qps', error: 'must be number' }] });
    }
  });

  it('applies to path parameters and headers (also text), not to bodies', () => {
    const params = queryAjv.compile(guardSchema({ type: 'object', properties: { id: { type: 'integer' } } }, 'params'));
    expect(params({ id: ' ' })).toBe(false);
    expect(guardSchema(QUERY)).toEqual(guardSchema(QUERY, 'body'));
    expect(JSON.stringify(guardSchema(QUERY, 'body'))).not.toContain('"if"');
  });
});

describe('guardSchema for a body', () => {
  const validateBody = bodyAjv.compile(guardSchema({ type: 'object', properties: { validTo: { type: 'integer' }, qps: { type: 'number' } } }));

  it('is strict as before: numbers are numbers, text is not coerced, whatever it says', () => {
    expect(validateBody({ validTo: 5, qps: 0.5 })).toBe(true);
    for (const body of [{ validTo: '5' }, { validTo: ' ' }, { validTo: '0x10' }, { qps: '1' }, { validTo: 1.5 }]) {
      expect(validateBody(body), JSON.stringify(body)).toBe(false);
      expect(validateBody.errors!.map((e) => e.keyword)).toEqual(['type']);
    }
  });
});
