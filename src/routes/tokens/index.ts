// Tokens (SPEC §3, §4), under /ng/api and /gateway/ng/api.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createTokenRoute } from './create-token.js';
import { deleteOwnerTokensRoute } from './delete-owner-tokens.js';
import { deleteTokenRoute } from './delete-token.js';
import { listTokenAggregatesRoute } from './list-token-aggregates.js';
import { acceptRawTokenBodies } from './raw-token-body.js';
import { revokeTokenRoute } from './revoke-token.js';
import { rotateTokenRoute } from './rotate-token.js';
import { updateTokenRoute } from './update-token.js';
import { validateTokenRoute } from './validate-token.js';

export function tokenRoutes(app: App, services: Services) {
  createTokenRoute(app, services);
  updateTokenRoute(app, services);
  deleteOwnerTokensRoute(app, services);
  deleteTokenRoute(app, services);
  // Rotation takes everything from the query: a body, of any type and even malformed, is ignored
  // (SPEC §3), so the route reads no body at all — in its own context, not to change the others.
  void app.register(async (bodyless: App) => {
    bodyless.removeAllContentTypeParsers();
    bodyless.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
    rotateTokenRoute(bodyless, services);
  });
  listTokenAggregatesRoute(app, services);
  // Validate and revoke take the raw value whatever the body's type or syntax (raw-token-body.ts).
  void app.register(async (raw: App) => {
    acceptRawTokenBodies(raw);
    validateTokenRoute(raw, services);
    revokeTokenRoute(raw, services);
  });
}
