// API keys (SPEC §3), under /ng/api and /gateway/ng/api.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createApiKey } from './create-api-key.js';
import { deleteApiKeyRoute } from './delete-api-key.js';
import { getApiKeyAggregateRoute } from './get-api-key-aggregate.js';
import { listApiKeyAggregatesRoute, listApiKeysRoute } from './list-api-keys.js';
import { updateApiKeyRoute } from './update-api-key.js';

export function apiKeyRoutes(app: App, services: Services) {
  createApiKey(app, services);
  updateApiKeyRoute(app, services);
  deleteApiKeyRoute(app, services);
  listApiKeysRoute(app, services);
  listApiKeyAggregatesRoute(app, services);
  getApiKeyAggregateRoute(app, services);
}
