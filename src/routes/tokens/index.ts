// Tokens (SPEC §3, §4), under /ng/api and /gateway/ng/api.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createTokenRoute } from './create-token.js';
import { deleteOwnerTokensRoute } from './delete-owner-tokens.js';
import { deleteTokenRoute } from './delete-token.js';
import { listTokenAggregatesRoute } from './list-token-aggregates.js';
import { revokeTokenRoute } from './revoke-token.js';
import { rotateTokenRoute } from './rotate-token.js';
import { updateTokenRoute } from './update-token.js';
import { validateTokenRoute } from './validate-token.js';

export function tokenRoutes(app: App, services: Services) {
  createTokenRoute(app, services);
  updateTokenRoute(app, services);
  deleteOwnerTokensRoute(app, services);
  deleteTokenRoute(app, services);
  rotateTokenRoute(app, services);
  listTokenAggregatesRoute(app, services);
  validateTokenRoute(app, services);
  revokeTokenRoute(app, services);
}
