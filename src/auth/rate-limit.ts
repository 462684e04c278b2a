// PLACEHOLDER until the API-key issue lands.
import type { ApiKeyRateLimiter, Services } from '../services.js';

export function createApiKeyRateLimiter(_services: Services): ApiKeyRateLimiter {
  return { async consume() { return null; } };
}
