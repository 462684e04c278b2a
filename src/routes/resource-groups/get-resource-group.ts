// GET /v2/resourcegroup/{identifier}: a managed resource group usable at the scope, or a custom one of it.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getCustomResourceGroup, managedResourceGroupRecords } from '../../store/resource-groups.js';
import { IdentifierParams, ResourceGroupResponse, ScopeQuery } from './schemas.js';

export function getResourceGroup(app: App, services: Services) {
  app.get('/v2/resourcegroup/:identifier', {
    schema: { tags: ['resource groups'], params: IdentifierParams, querystring: ScopeQuery, response: ok(ResourceGroupResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_resourcegroup_view', { scope, type: 'RESOURCEGROUP', identifier });
    // Managed groups are usable at every scope of their level, but only at a scope that exists.
    await assertScopeExists(services.db, scope);
    const group = managedResourceGroupRecords(scope).find((g) => g.resourceGroup.identifier === identifier)
      ?? await getCustomResourceGroup(services.db, scope, identifier);
    if (!group) throw entityNotFound(Messages.resourceGroupNotFound(identifier));
    return success(group, req.correlationId);
  });
}
