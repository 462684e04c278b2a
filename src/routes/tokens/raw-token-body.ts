// The body of validate and revoke: a raw token value, however a client sends it. SPEC §3 names
// text/plain and a JSON string; clients also send the bare value labelled application/json (Harness
// reads the body as a plain String whatever its type), as a form (curl's -d), or with no type at
// all. A JSON string is unquoted; anything else is the value as sent. So a body is never refused
// for its type or its syntax: validate answers 401 for what is not a valid token, and revoke, which
// must tell nothing, answers `true`.
import type { FastifyRequest } from 'fastify';
import type { App } from '../../http/app.js';

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;

/** The token value a body carries: a JSON string's content when sent as JSON, else the text. */
export function rawTokenOf(contentType: string | undefined, text: string): string {
  if (contentType && JSON_TYPE.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // not JSON: the bare value
    }
  }
  return text;
}

/** Makes every body of the routes registered on `app` (a context of their own) a raw token value. */
export function acceptRawTokenBodies(app: App): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req: FastifyRequest, body, done) => {
    done(null, rawTokenOf(req.headers['content-type'], body as string));
  });
}
