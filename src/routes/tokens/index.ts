// Tokens (SPEC §3, §4), under /ng/api and /gateway/ng/api. Registered in their own context, whose
// JSON parser takes an empty body as none (rotate and delete carry no body).
import type { App } from '../../http/app.js';
import { acceptEmptyJsonBodies } from '../../http/empty-json.js';
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
  void app.register(async (tokens: App) => {
    acceptEmptyJsonBodies(tokens);
    createTokenRoute(tokens, services);
    updateTokenRoute(tokens, services);
    deleteOwnerTokensRoute(tokens, services);
    deleteTokenRoute(tokens, services);
    rotateTokenRoute(tokens, services);
    listTokenAggregatesRoute(tokens, services);
    validateTokenRoute(tokens, services);
    revokeTokenRoute(tokens, services);
  });
}
