// U+0000 in any request string is a 400 on every route and both engines. PostgreSQL text cannot hold
// it (the driver fails, which would be a 500 for bad input), while SQLite would store it: refusing it
// at the door keeps the answer the same everywhere. Query strings, path parameters and JSON bodies —
// keys and values, at any depth — are checked; a string body is a raw token value (validate,
// revoke), which is parsed, never stored, so it is left to its route. The check runs where each part
// is read (app.ts for the URL, empty-json.ts for bodies), at the cost of one `includes` when clean.
import type { FastifyRequest } from 'fastify';
import { InvalidFields } from './errors.js';

const NUL = '\u0000';
const ERROR = 'must not contain the character U+0000';

/** The dotted path of the first string (or key) holding U+0000, or null. Iterative: any depth is fine. */
export function findNul(root: unknown, rootPath: string): string | null {
  const stack: [unknown, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return path;
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push([value[i], path]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes(NUL)) return path || key.replaceAll(NUL, '');
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}

/** The field error for U+0000 found at `field` ('' when the body itself is the string). */
export function nulFieldError(field: string): InvalidFields {
  return new InvalidFields([{ fieldId: (field || 'body').replaceAll(NUL, '').slice(0, 200), error: ERROR }]);
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

/** U+0000 in a JSON body, which can only be written \u0000: a body without that costs one `includes`. */
export function nulInJson(text: string, parsed: unknown): InvalidFields | null {
  if (!text.includes('\\u0000')) return null;
  const field = findNul(parsed, '');
  return field === null ? null : nulFieldError(field);
}
