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

/** The token routes whose bodies are JSON, like every other route's. */
export function tokenRoutes(app: App, services: Services) {
  createTokenRoute(app, services);
  updateTokenRoute(app, services);
  deleteOwnerTokensRoute(app, services);
  deleteTokenRoute(app, services);
  listTokenAggregatesRoute(app, services);
}

/**
 * Rotation takes everything from the query: a body, of any type and even malformed, is ignored
 * (SPEC §3), so the route reads no body at all. `app` is a context of its own (body parsers are
 * per context), shared by every prefix's copy of the route.
 */
export function bodylessTokenRoutes(app: App, services: Services) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
  return (under: App) => rotateTokenRoute(under, services);
}

/** Validate and revoke take the raw value whatever the body's type or syntax (raw-token-body.ts); as above. */
export function rawTokenRoutes(app: App, services: Services) {
  acceptRawTokenBodies(app);
  return (under: App) => {
    validateTokenRoute(under, services);
    revokeTokenRoute(under, services);
  };
}
