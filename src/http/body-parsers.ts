// How request bodies are read. Every route is in the application's root context (routes/index.ts
// says why), so the parsers are the application's, and a route that reads its body otherwise says
// so in its config (`body`):
// - JSON, for every route by default. An empty body is none: routes without a body (rotate, delete)
//   are often called by clients that still send `Content-Type: application/json`, and must not get a
//   400. U+0000 and unpaired surrogates are refused (nul-guard.ts), as are bytes that are not UTF-8
//   (decoded leniently they would be stored as U+FFFD, so what is read back would differ from what
//   was sent); valid JSON refused for a prototype-polluting key is said to be that. Any other type is
//   a 415 (text/plain reaches the route's schema as a string, a 400 there, as Fastify's own parser does).
// - `text` (validate, revoke: the body is a raw token value): never refused for its type or syntax.
//   SPEC §3 names text/plain and a JSON string; clients also send the bare value labelled
//   application/json (Harness reads the body as a plain String whatever its type), as a form (curl's
//   -d), or with no type at all. A JSON string is unquoted; anything else is the value as sent.
// - `ignored` (rotate takes everything from the query, SPEC §3): a body of any type, even
//   malformed, is read and dropped.
import { errorCodes, type FastifyRequest } from 'fastify';
import { KeysmithError } from '../domain/errors.js';
import type { App } from './app.js';
import { nulInJson } from './nul-guard.js';

export type BodyKind = 'json' | 'text' | 'ignored';

const NOT_UTF8 = 'Request body is not valid UTF-8';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const FORBIDDEN_KEY = 'Request body must not contain a "__proto__" key, nor a "constructor" object with a "prototype" key';
const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;

type Done = (err: Error | null, body?: unknown) => void;

/** How the route of `req` reads its body. */
const kindOf = (req: FastifyRequest): BodyKind => req.routeOptions.config.body ?? 'json';

/** Fastify's parser says only "invalid" when it refuses valid JSON for a forbidden key: tell the two apart. */
function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The text a `text` route takes from a body: a JSON string's content when sent as JSON, else the text. */
export function textOf(contentType: string | undefined, text: string): string {
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

/** A body of a type no parser takes, for a route of `kind`: its text, nothing, or the JSON routes' 415. */
function otherBody(req: FastifyRequest, raw: Buffer, done: Done): void {
  switch (kindOf(req)) {
    case 'text': done(null, textOf(req.headers['content-type'], raw.toString('utf8'))); return;
    case 'ignored': done(null, undefined); return;
    // An unmatched path answers its 404 (or 401) whatever it was sent.
    default: done(req.is404 ? null : new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
  }
}

export function registerBodyParsers(app: App): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, raw, done) => {
    const kind = kindOf(req);
    if (kind !== 'json') { otherBody(req, raw as Buffer, done); return; }
    let body: string;
    try {
      body = utf8.decode(raw as Buffer);
    } catch {
      done(new KeysmithError('INVALID_REQUEST', NOT_UTF8), undefined);
      return;
    }
    if (body === '') { done(null, undefined); return; }
    json(req, body, (err, parsed) => {
      if (err) {
        done(isValidJson(body) ? new KeysmithError('INVALID_REQUEST', FORBIDDEN_KEY) : err, undefined);
        return;
      }
      const nul = nulInJson(body, parsed);
      if (nul) done(nul, undefined);
      else done(null, parsed);
    });
  });
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (req, raw, done) => {
    if (kindOf(req) === 'json') done(null, (raw as Buffer).toString('utf8'));
    else otherBody(req, raw as Buffer, done);
  });
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, raw, done) => otherBody(req, raw as Buffer, done));
}
