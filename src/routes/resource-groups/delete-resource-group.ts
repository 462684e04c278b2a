// DELETE /v2/resourcegroup/{identifier}: deletes a custom resource group no assignment uses.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import { isManagedResourceGroup } from '../../domain/managed.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockGrantParts } from '../../store/locks.js';
import { deleteResourceGroup as storeDelete, getCustomResourceGroup } from '../../store/resource-groups.js';
import { assignmentsUsingResourceGroup } from '../../store/role-assignments.js';
import { inTransaction } from '../../store/transaction.js';
import { IdentifierParams, ScopeQuery } from './schemas.js';

export function deleteResourceGroup(app: App, services: Services) {
  app.delete('/v2/resourcegroup/:identifier', {
    schema: { tags: ['resource groups'], params: IdentifierParams, querystring: ScopeQuery, response: ok(Type.Boolean()) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_resourcegroup_delete', { scope, type: 'RESOURCEGROUP', identifier });
    if (isManagedResourceGroup(identifier)) throw invalidRequest(Messages.managedResourceGroupImmutable(identifier));

    const now = services.now();
    await inTransaction(services.db, async (trx) => {
      // First: assignments being written with it finish before (and make it "in use"), or find it gone after.
      await lockGrantParts(trx, services.store.engine, scope.accountIdentifier, [{ type: 'RESOURCE_GROUP', identifier }], 'exclusive');
      const before = await getCustomResourceGroup(trx, scope, identifier);
      if (!before) throw entityNotFound(Messages.resourceGroupNotFound(identifier));
      const users = await assignmentsUsingResourceGroup(trx, scope, identifier);
      if (users.length > 0) throw invalidRequest(Messages.resourceGroupInUse(identifier, users));
      await storeDelete(trx, scope, identifier);
      await recordAudit(trx, auditActor(req), {
        action: 'DELETE', resource: { type: 'RESOURCEGROUP', identifier }, scope, before: before.resourceGroup,
      }, now);
    });
    services.invalidation.publish({ kind: 'account', accountIdentifier: scope.accountIdentifier, permissionsOnly: true });
    return success(true, req.correlationId);
  });
}
