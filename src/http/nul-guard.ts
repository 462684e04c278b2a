// U+0000 in any request string is a 400 on every route and both engines. PostgreSQL text cannot hold
// it (the driver fails, which would be a 500 for bad input), while SQLite would store it: refusing it
// at the door keeps the answer the same everywhere. Query strings, path parameters and JSON bodies —
// keys and values, at any depth — are checked; a string body is a raw token value (validate,
// revoke), which is parsed, never stored, so it is left to its route.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { failureBody } from './errors.js';

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

export async function rejectNulCharacters(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
  const field = findNul(req.query, '') ?? findNul(req.params, '')
    ?? (typeof req.body === 'string' ? null : findNul(req.body, ''));
  if (field === null) return;
  const fieldId = (field || 'body').replaceAll(NUL, '').slice(0, 200);
  return reply.code(400).send(failureBody([{ fieldId, error: ERROR }], req.correlationId));
}
