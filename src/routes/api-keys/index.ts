// API keys (SPEC §3), under /ng/api and /gateway/ng/api.
import type { App } from '../../http/app.js';
import { acceptEmptyJsonBodies } from '../../http/empty-json.js';
import type { Services } from '../../services.js';
import { createApiKey } from './create-api-key.js';
import { deleteApiKeyRoute } from './delete-api-key.js';
import { getApiKeyAggregateRoute } from './get-api-key-aggregate.js';
import { listApiKeyAggregatesRoute, listApiKeysRoute } from './list-api-keys.js';
import { updateApiKeyRoute } from './update-api-key.js';

export function apiKeyRoutes(app: App, services: Services) {
  void app.register(async (keys: App) => {
    acceptEmptyJsonBodies(keys); // DELETE carries no body, whatever its Content-Type says
    createApiKey(keys, services);
    updateApiKeyRoute(keys, services);
    deleteApiKeyRoute(keys, services);
    listApiKeysRoute(keys, services);
    listApiKeyAggregatesRoute(keys, services);
    getApiKeyAggregateRoute(keys, services);
  });
}
