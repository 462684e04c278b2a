// GET /apikey/aggregate/{identifier}: one key with its token count (how clients read a key back).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { authorizeKeys } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { countTokensByKey, findApiKey, type KeyOwner } from '../../store/api-keys.js';
import { ApiKeyAggregateOut, IdentifierParams, OwnerQuery } from './schemas.js';
import { apiKeyAggregateView } from './views.js';

export function getApiKeyAggregateRoute(app: App, services: Services) {
  app.get('/apikey/aggregate/:identifier', {
    schema: { tags: ['api keys'], params: IdentifierParams, querystring: OwnerQuery, response: ok(ApiKeyAggregateOut) },
  }, async (req) => {
    // 1. scope, caller and owner
    const principal = principalOf(req);
    const scope = requestScope(req);
    const owner: KeyOwner = { scope, apiKeyType: req.query.apiKeyType, parentIdentifier: req.query.parentIdentifier };
    // 2. authorize before looking anything up: no existence leak
    await authorizeKeys(services, principal, owner, 'read');
    // 3. look up
    const record = await findApiKey(services.db, { ...owner, identifier: req.params.identifier });
    if (!record) throw entityNotFound(Messages.apiKeyNotFound(req.params.identifier));
    const counts = await countTokensByKey(services.db, [record.id]);
    return success(apiKeyAggregateView(record, counts.get(record.id) ?? 0), req.correlationId);
  });
}
