// GET /serviceaccount/aggregate/{identifier}: one service account with its API-key count and role assignments.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getServiceAccount, serviceAccountAggregates } from '../../store/service-accounts.js';
import { IdentifierParams, ScopeQuery, ServiceAccountAggregate } from './schemas.js';

export function getServiceAccountAggregate(app: App, services: Services) {
  app.get('/serviceaccount/aggregate/:identifier', {
    schema: { tags: ['service accounts'], params: IdentifierParams, querystring: ScopeQuery, response: ok(ServiceAccountAggregate) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_serviceaccount_view', { scope, type: 'SERVICEACCOUNT', identifier });
    const record = await getServiceAccount(services.db, scope, identifier);
    if (!record) throw entityNotFound(Messages.serviceAccountNotFound(identifier));
    const [aggregate] = await serviceAccountAggregates(services.db, scope, [record]);
    return success(aggregate, req.correlationId);
  });
}
