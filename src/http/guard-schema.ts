// Request schemas as the validator compiles them: the routes' schemas (which also feed the
// serializer and the OpenAPI document, untouched) with guards that keep validation cheap on any
// input. With `allErrors`, Ajv checks every keyword of a value even after one has failed, so an
// 800 KB string sent for an e-mail field was matched against the e-mail pattern although it had
// already failed `maxLength: 254` — and a pattern with backtracking then holds the event loop for
// minutes. Here a pattern is only tried on a string that passed its `maxLength`: the errors a
// client sees are the same (the length error, and the pattern error whenever the pattern runs).
// And an integer without its own bounds is bounded to the safe integers: `pageIndex=1e29` is a 400,
// not a number JavaScript cannot hold exactly nor a 64-bit column store (a database error, a 500).

type Schema = Record<string, unknown>;

const SUBSCHEMA_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'] as const;
const SUBSCHEMA_LIST_KEYS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const SUBSCHEMA_MAP_KEYS = ['properties', 'patternProperties', 'definitions', '$defs'] as const;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `schema` whose string patterns run only on strings within their `maxLength`. */
export function guardSchema<T>(schema: T): T {
  return guard(schema) as T;
}

function guard(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(guard);
  if (!isSchema(node)) return node;
  const out: Schema = { ...node };
  for (const key of SUBSCHEMA_KEYS) if (isSchema(out[key])) out[key] = guard(out[key]);
  for (const key of SUBSCHEMA_LIST_KEYS) if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(guard);
  for (const key of SUBSCHEMA_MAP_KEYS) {
    if (isSchema(out[key])) out[key] = Object.fromEntries(Object.entries(out[key] as Schema).map(([k, v]) => [k, guard(v)]));
  }
  const types = Array.isArray(out.type) ? out.type : [out.type];
  if (types.includes('integer')) {
    if (typeof out.maximum !== 'number' && typeof out.exclusiveMaximum !== 'number') out.maximum = Number.MAX_SAFE_INTEGER;
    if (typeof out.minimum !== 'number' && typeof out.exclusiveMinimum !== 'number') out.minimum = Number.MIN_SAFE_INTEGER;
  }
  if (typeof out.pattern === 'string' && typeof out.maxLength === 'number') {
    const { pattern, ...rest } = out;
    const guarded = { if: { maxLength: out.maxLength }, then: { pattern } };
    return { ...rest, allOf: [...(Array.isArray(rest.allOf) ? rest.allOf : []), guarded] };
  }
  return out;
}
