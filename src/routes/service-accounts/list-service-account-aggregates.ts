// GET /serviceaccount/aggregate: a page of the scope's service accounts the caller may view, with
// their API-key counts and role assignments; `searchTerm` matches name, identifier and tags (SPEC §2).
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { listServiceAccounts, serviceAccountAggregates, type ServiceAccountRecord } from '../../store/service-accounts.js';
import { AggregateQuery, ServiceAccountAggregate } from './schemas.js';

export function listServiceAccountAggregates(app: App, services: Services) {
  app.get('/serviceaccount/aggregate', {
    schema: { tags: ['service accounts'], querystring: AggregateQuery, response: ok(PageOf(ServiceAccountAggregate)) },
  }, async (req) => {
    const principal = principalOf(req);
    const scope = requestScope(req);
    const paging = pageRequest(req.query);
    await assertListedScopeExists(services, principal, scope);
    const visible: ServiceAccountRecord[] = [];
    for (const record of await listServiceAccounts(services.db, scope, req.query.identifiers)) {
      const { identifier, name, tags } = record.serviceAccount;
      if (!matchesSearch(paging.searchTerm, { identifier, name, tags })) continue;
      if (await services.authz.isAllowed(principal, 'core_serviceaccount_view', { scope, type: 'SERVICEACCOUNT', identifier })) visible.push(record);
    }
    const sorted = sortItems(visible, paging, (r, field) =>
      field === 'name' ? r.serviceAccount.name : field === 'identifier' ? r.serviceAccount.identifier
        : field === 'createdAt' ? r.createdAt : r.lastModifiedAt);
    const page = pageOf(sorted, paging);
    const content = await serviceAccountAggregates(services.db, scope, page.content);
    return success({ ...page, content }, req.correlationId);
  });
}
