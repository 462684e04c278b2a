// A JSON body parser that takes an empty body as none. Routes without a body (rotate, delete) are
// often called by clients that still send `Content-Type: application/json`; they must not get a 400.
// Registered once on the app, so every route has it. It also refuses U+0000 and unpaired surrogates
// in a body (nul-guard.ts), and says so when valid JSON is refused for a prototype-polluting key.
import { KeysmithError } from '../domain/errors.js';
import type { App } from './app.js';
import { nulInJson } from './nul-guard.js';

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
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' || body === undefined) { done(null, undefined); return; }
    json(req, body as string, (err, parsed) => {
      if (err) {
        done(isValidJson(body as string) ? new KeysmithError('INVALID_REQUEST', FORBIDDEN_KEY) : err, undefined);
        return;
      }
      const nul = nulInJson(body as string, parsed);
      if (nul) done(nul, undefined);
      else done(null, parsed);
    });
  });
}
