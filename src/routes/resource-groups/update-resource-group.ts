// PUT /v2/resourcegroup/{identifier}: replaces a custom resource group's selection and details.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import { isManagedResourceGroup } from '../../domain/managed.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { getCustomResourceGroup, updateResourceGroup as storeUpdate } from '../../store/resource-groups.js';
import { inTransaction } from '../../store/transaction.js';
import { holdIncludedScopes, resourceGroupFromBody } from './resource-group-input.js';
import { IdentifierParams, ResourceGroupBody, ResourceGroupResponse, ScopeQuery } from './schemas.js';

export function updateResourceGroup(app: App, services: Services) {
  app.put('/v2/resourcegroup/:identifier', {
    schema: { tags: ['resource groups'], params: IdentifierParams, querystring: ScopeQuery, body: ResourceGroupBody, response: ok(ResourceGroupResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const body = req.body.resourceGroup;
    const scope = requestScope(req, body);
    await services.authz.authorize(principalOf(req), 'core_resourcegroup_edit', { scope, type: 'RESOURCEGROUP', identifier });
    if (body.identifier !== identifier) throw invalidRequest(Messages.valueMismatch(identifier, body.identifier));
    if (isManagedResourceGroup(identifier)) throw invalidRequest(Messages.managedResourceGroupImmutable(identifier));
    const group = resourceGroupFromBody(body, scope);

    const now = services.now();
    const updated = await inTransaction(services.db, async (trx) => {
      const before = await getCustomResourceGroup(trx, scope, identifier);
      if (!before) throw entityNotFound(Messages.resourceGroupNotFound(identifier));
      // A group left without any scope by the deletion of the one it named covers nothing; saved back
      // as it was read (no scope), it stays so, rather than becoming its own scope as a new one would.
      if (body.includedScopes?.length === 0 && before.resourceGroup.includedScopes.length === 0) group.includedScopes = [];
      await holdIncludedScopes(trx, services.store.engine, group);
      // Deleted since it was read (PostgreSQL: a concurrent deletion committed first): missing.
      if (!(await storeUpdate(trx, scope, group, now))) throw entityNotFound(Messages.resourceGroupNotFound(identifier));
      await recordAudit(trx, auditActor(req), {
        action: 'UPDATE', resource: { type: 'RESOURCEGROUP', identifier }, scope, before: before.resourceGroup, after: group,
      }, now);
      const after = await getCustomResourceGroup(trx, scope, identifier);
      if (!after) throw entityNotFound(Messages.resourceGroupNotFound(identifier));
      return after;
    });
    services.invalidation.publish({ kind: 'account', accountIdentifier: scope.accountIdentifier, permissionsOnly: true });
    return success(updated, req.correlationId);
  });
}
