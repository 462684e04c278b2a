// A JSON body parser that takes an empty body as none. Routes without a body (rotate, delete) are
// often called by clients that still send `Content-Type: application/json`; they must not get a 400.
// Registered once on the app, so every route has it. It also refuses U+0000 in a body (nul-guard.ts).
import type { App } from './app.js';
import { nulInJson } from './nul-guard.js';

export function acceptEmptyJsonBodies(app: App): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' || body === undefined) { done(null, undefined); return; }
    json(req, body as string, (err, parsed) => {
      if (err) { done(err, undefined); return; }
      const nul = nulInJson(body as string, parsed);
      if (nul) done(nul, undefined);
      else done(null, parsed);
    });
  });
}
