// Request schemas as the validator compiles them: the routes' schemas (which also feed the
// serializer and the OpenAPI document, untouched) with guards that keep validation cheap on any
// input. With `allErrors`, Ajv checks every keyword of a value even after one has failed, so an
// 800 KB string sent for an e-mail field was matched against the e-mail pattern although it had
// already failed `maxLength: 254` — and a pattern with backtracking then holds the event loop for
// minutes. Here a pattern is only tried on a string that passed its `maxLength`: the errors a
// client sees are the same (the length error, and the pattern error whenever the pattern runs).
// And an integer without its own bounds is bounded to the safe integers: `pageIndex=1e29` is a 400,
// not a number JavaScript cannot hold exactly nor a 64-bit column store (a database error, a 500).
// The query string, path and headers are text, which the validator coerces to the declared types:
// there a number must also be written as a decimal (see guardSchema), since Ajv's coercion takes
// any text JavaScript reads as a number — `rotateTimestamp=%20` would be 0, deleting the old token
// at once, and `pageSize=0x10` 16.
import type { ValidateFunction } from 'ajv';
import { DECIMAL_INTEGER_PATTERN, DECIMAL_NUMBER_PATTERN } from '../domain/validation.js';

type Schema = Record<string, unknown>;

const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'] as const;
const SUBSCHEMA_LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SUBSCHEMA_MAP_KEYS = ['properties', 'patternProperties', 'definitions', '$defs'] as const;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `schema` whose string patterns run only on strings within their `maxLength`. `httpPart`
 * is where the schema applies (Fastify's name): any part but the body is text coerced to the
 * schema's types (query string, path parameters, headers), and there an integer or number is also
 * taken only from its decimal text — any other (`" "`, `0x10`, `1e1` for an integer) fails as a
 * word does: `<field>: must be integer`.
 */
export function guardSchema<T>(schema: T, httpPart = 'body'): T {
  return guard(schema, httpPart !== 'body') as T;
}

function guard(node: unknown, fromText: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => guard(n, fromText));
  if (!isSchema(node)) return node;
  const sub = (n: unknown) => guard(n, fromText);
  let out: Schema = { ...node };
  for (const key of SUBSCHEMA_KEYS) if (isSchema(out[key])) out[key] = sub(out[key]);
  for (const key of SUBSCHEMA_LIST_KEYS) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(sub);
  for (const key of SUBSCHEMA_MAP_KEYS) {
    if (isSchema(out[key])) out[key] = Object.fromEntries(Object.entries(out[key] as Schema).map(([k, v]) => [k, sub(v)]));
  }
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (types.includes('integer')) {
    if (typeof out.maximum !== 'number' && typeof out.exclusiveMaximum !== 'number') out.maximum = Number.MAX_SAFE_INTEGER;
    if (typeof out.minimum !== 'number' && typeof out.exclusiveMinimum !== 'number') out.minimum = Number.MIN_SAFE_INTEGER;
  }
  if (typeof out.pattern === 'string' && typeof out.maxLength === 'number') {
    const { pattern, ...rest } = out;
    const guarded = { if: { maxLength: out.maxLength }, then: { pattern } };
    out = { ...rest, allOf: [...(Array.isArray(rest.allOf) ? rest.allOf : []), guarded] };
  }
  const numeric = types.includes('number') ? DECIMAL_NUMBER_PATTERN : types.includes('integer') ? DECIMAL_INTEGER_PATTERN : null;
  if (fromText && numeric && !types.includes('string')) {
    // The text is checked before the schema coerces it: `pattern` applies to strings only, so a
    // list (a parameter repeated with different values) still meets the type's own error. The
    // pattern's message is the type's (PATTERN_MESSAGES), and the `if` error is not reported.
    return { if: { pattern: numeric }, then: out, else: { pattern: numeric } };
  }
  return out;
}

/** A compiled validator as Fastify calls it: true or false, with the errors of the last call. */
export type Validate = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => boolean) & Pick<ValidateFunction, 'errors'>;

const FLAG_TEXT = /^(?:true|false)$/i;

/**
 * `validate` reading the booleans of a query string or path in any letter case, as Harness's Java
 * server does: clients generated for Python write `True` and `False`. Other text still fails as
 * `<field>: must be boolean`. The body is JSON, whose booleans are never text: left as it is. Only
 * a single boolean parameter is read so (the only kind the API has: `includeOnlyActiveTokens`); a
 * repeated one is a list, refused anyway.
 */
export function readingFlagsInAnyCase(validate: Validate, schema: unknown, httpPart: string): Validate {
  const properties = httpPart !== 'body' && isSchema(schema) && isSchema(schema.properties) ? schema.properties : {};
  const flags = Object.entries(properties).filter(([, p]) => isSchema(p) && [p.type].flat().includes('boolean')).map(([name]) => name);
  if (flags.length === 0) return validate;
  const reading: Validate = (data, context) => {
    if (isSchema(data)) {
      for (const name of flags) {
        const text = data[name];
        if (typeof text === 'string' && FLAG_TEXT.test(text)) data[name] = text.toLowerCase();
      }
    }
    const valid = validate(data, context);
    reading.errors = validate.errors;
    return valid;
  };
  return reading;
}
