// GET /v2/resourcegroup: a page of the managed resource groups usable at the scope and its custom
// ones, as far as the caller may view them.
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { listCustomResourceGroups, managedResourceGroupRecords, type ResourceGroupRecord } from '../../store/resource-groups.js';
import { ListQuery, ResourceGroupResponse } from './schemas.js';

export function listResourceGroups(app: App, services: Services) {
  app.get('/v2/resourcegroup', {
    schema: { tags: ['resource groups'], querystring: ListQuery, response: ok(PageOf(ResourceGroupResponse)) },
  }, async (req) => {
    const principal = principalOf(req);
    const scope = requestScope(req);
    const paging = pageRequest(req.query);
    await assertListedScopeExists(services, principal, scope);
    const visible: ResourceGroupRecord[] = [];
    for (const record of [...managedResourceGroupRecords(scope), ...await listCustomResourceGroups(services.db, scope)]) {
      if (!matchesSearch(paging.searchTerm, record.resourceGroup)) continue;
      const identifier = record.resourceGroup.identifier;
      if (await services.authz.isAllowed(principal, 'core_resourcegroup_view', { scope, type: 'RESOURCEGROUP', identifier })) visible.push(record);
    }
    const sorted = sortItems(visible, paging, (r, field) =>
      field === 'name' ? r.resourceGroup.name : field === 'identifier' ? r.resourceGroup.identifier
        : field === 'createdAt' ? r.createdAt : r.lastModifiedAt);
    return success(pageOf(sorted, paging), req.correlationId);
  });
}
