// A JSON body parser that takes an empty body as none. Routes without a body (rotate, delete) are
// often called by clients that still send `Content-Type: application/json`; they must not get a 400.
// Registered once on the app, so every route has it. It also refuses U+0000 and unpaired surrogates
// in a body (nul-guard.ts), bytes that are not UTF-8 (decoded leniently they would be stored as U+FFFD,
// so what is read back would differ from what was sent), and says so when valid JSON is refused for
// a prototype-polluting key.
import { KeysmithError } from '../domain/errors.js';
import type { App } from './app.js';
import { nulInJson } from './nul-guard.js';

const NOT_UTF8 = 'Request body is not valid UTF-8';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const FORBIDDEN_KEY = 'Request body must not contain a "__proto__" key, nor a "constructor" object with a "prototype" key';

/** Fastify's parser says only "invalid" when it refuses valid JSON for a forbidden key: tell the two apart. */
function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export function acceptEmptyJsonBodies(app: App): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, raw, done) => {
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
}
