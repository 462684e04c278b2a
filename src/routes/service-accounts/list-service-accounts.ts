// GET /serviceaccount: the service accounts of the scope (optionally only `identifiers`) that the
// caller may view.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { listServiceAccounts as list } from '../../store/service-accounts.js';
import { ListQuery, ServiceAccount } from './schemas.js';

export function listServiceAccounts(app: App, services: Services) {
  app.get('/serviceaccount', {
    schema: { tags: ['service accounts'], querystring: ListQuery, response: ok(Type.Array(ServiceAccount)) },
  }, async (req) => {
    const principal = principalOf(req);
    const scope = requestScope(req);
    await assertListedScopeExists(services, principal, scope);
    const visible = [];
    for (const record of await list(services.db, scope, req.query.identifiers)) {
      const { identifier } = record.serviceAccount;
      if (await services.authz.isAllowed(principal, 'core_serviceaccount_view', { scope, type: 'SERVICEACCOUNT', identifier })) {
        visible.push(record.serviceAccount);
      }
    }
    return success(visible, req.correlationId);
  });
}
