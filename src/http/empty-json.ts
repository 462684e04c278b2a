// A JSON body parser that takes an empty body as none. Routes without a body (rotate, delete) are
// often called by clients that still send `Content-Type: application/json`; they must not get a 400.
// Registered once on the app, so every route has it.
import type { App } from './app.js';

export function acceptEmptyJsonBodies(app: App): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' || body === undefined) { done(null, undefined); return; }
    json(req, body as string, done);
  });
}
