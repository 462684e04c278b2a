// PLACEHOLDER until the API-key issue lands: no token authenticates yet.
import { invalidToken } from '../domain/errors.js';
import type { Services, TokenAuthenticator } from '../services.js';

export function createTokenAuthenticator(_services: Services): TokenAuthenticator {
  return {
    async authenticate() { throw invalidToken(); },
    invalidate() {},
  };
}
