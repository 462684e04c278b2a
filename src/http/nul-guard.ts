// U+0000 in any request string is a 400 on every route and both engines. PostgreSQL text cannot hold
// it (the driver fails, which would be a 500 for bad input), while SQLite would store it: refusing it
// at the door keeps the answer the same everywhere. Query strings, path parameters and JSON bodies —
// keys and values, at any depth — are checked; a string body is a raw token value (validate,
// revoke), which is parsed, never stored, so it is left to its route. The check runs where each part
// is read (app.ts for the URL, body-parsers.ts for bodies), at the cost of one `includes` when clean.
// A JSON body is also refused when a string holds an unpaired UTF-16 surrogate (`"\ud800"`): both
// engines store text as UTF-8, which cannot encode one, so it would be saved as U+FFFD — the value
// read back would differ from the one accepted.
import type { FastifyRequest } from 'fastify';
import { InvalidFields } from './errors.js';

const NUL = '\u0000';
const ERROR = 'must not contain the character U+0000';
const SURROGATE_ERROR = 'must not contain an unpaired UTF-16 surrogate (U+D800 to U+DFFF without its pair)';
/** A surrogate without its pair (String.prototype.isWellFormed, which ES2022's types lack). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** A JSON escape of a surrogate: the only way one can reach a parsed body (raw bytes decode as UTF-8). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

type Flaw = (s: string) => boolean;
const hasNul: Flaw = (s) => s.includes(NUL);
const notWellFormed: Flaw = (s) => {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s);
};

/** The dotted path of the first string (or key) with the flaw, or null. Iterative: any depth is fine. */
function findFlaw(root: unknown, rootPath: string, flawed: Flaw): string | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (flawed(value)) return path;
    } else if (Array.isArray(value)) {
      // Named as schema errors name them: `permissions.0.permission`.
      for (let i = 0; i < value.length; i++) stack.push([value[i], path ? `${path}.${i}` : String(i)]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (flawed(key)) return path || key;
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

/** The dotted path of the first string (or key) holding U+0000, or null. */
export function findNul(root: unknown, rootPath: string): string | null {
  return findFlaw(root, rootPath, hasNul);
}

/** A field path fit to be shown: without the flawed characters it names, and cut short. */
function printableField(field: string): string {
  return (field || 'body').replaceAll(NUL, '').replace(LONE_SURROGATE, '\uFFFD').slice(0, 200);
}

/** The field error for U+0000 found at `field` ('' when the body itself is the string). */
export function nulFieldError(field: string): InvalidFields {
  return new InvalidFields([{ fieldId: printableField(field), error: ERROR }]);
}

/**
 * U+0000 in the query string or a path parameter. Both come from the URL, where it can only be
 * written %00 (the HTTP parser refuses a raw one): a URL without it costs one `includes`.
 */
export function nulInUrl(req: FastifyRequest): InvalidFields | null {
  if (!req.url.includes('%00')) return null;
  const field = findNul(req.query, '') ?? findNul(req.params, '');
  return field === null ? null : nulFieldError(field);
}

/**
 * U+0000 or an unpaired surrogate in a JSON body. Either can only be written as an escape (\u0000,
 * \ud800): a body without one costs an `includes` and a regular-expression test.
 */
export function nulInJson(text: string, parsed: unknown): InvalidFields | null {
  if (text.includes('\\u0000')) {
    const field = findNul(parsed, '');
    if (field !== null) return nulFieldError(field);
  }
  if (SURROGATE_ESCAPE.test(text)) {
    const field = findFlaw(parsed, '', notWellFormed);
    if (field !== null) return new InvalidFields([{ fieldId: printableField(field), error: SURROGATE_ERROR }]);
  }
  return null;
}
