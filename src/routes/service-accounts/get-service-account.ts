// GET /serviceaccount/{identifier}: one service account (what Harness's Terraform provider reads).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getServiceAccount as find } from '../../store/service-accounts.js';
import { IdentifierParams, ScopeQuery, ServiceAccount } from './schemas.js';

export function getServiceAccount(app: App, services: Services) {
  app.get('/serviceaccount/:identifier', {
    schema: { tags: ['service accounts'], params: IdentifierParams, querystring: ScopeQuery, response: ok(ServiceAccount) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_serviceaccount_view', { scope, type: 'SERVICEACCOUNT', identifier });
    const record = await find(services.db, scope, identifier);
    if (!record) throw entityNotFound(Messages.serviceAccountNotFound(identifier));
    return success(record.serviceAccount, req.correlationId);
  });
}
