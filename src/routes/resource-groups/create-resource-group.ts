// POST /v2/resourcegroup: creates a custom resource group at the request's scope.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import { isManagedResourceGroup } from '../../domain/managed.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { isUniqueViolation } from '../../store/database.js';
import { getCustomResourceGroup, insertResourceGroup } from '../../store/resource-groups.js';
import { inTransaction } from '../../store/transaction.js';
import { holdIncludedScopes, resourceGroupFromBody } from './resource-group-input.js';
import { ResourceGroupBody, ResourceGroupResponse, ScopeQuery } from './schemas.js';

export function createResourceGroup(app: App, services: Services) {
  app.post('/v2/resourcegroup', {
    schema: { tags: ['resource groups'], querystring: ScopeQuery, body: ResourceGroupBody, response: ok(ResourceGroupResponse) },
  }, async (req) => {
    const scope = requestScope(req, req.body.resourceGroup);
    await services.authz.authorize(principalOf(req), 'core_resourcegroup_edit', { scope, type: 'RESOURCEGROUP', identifier: null });
    await assertScopeExists(services.db, scope);
    const group = resourceGroupFromBody(req.body.resourceGroup, scope);
    if (isManagedResourceGroup(group.identifier)) throw duplicateField(Messages.duplicateResourceGroup(group.identifier));

    const now = services.now();
    const created = await inTransaction(services.db, async (trx) => {
      await holdScope(trx, services.store.engine, scope);
      await holdIncludedScopes(trx, services.store.engine, group);
      if (await getCustomResourceGroup(trx, scope, group.identifier)) throw duplicateField(Messages.duplicateResourceGroup(group.identifier));
      const record = await insertResourceGroup(trx, scope, group, now).catch((err: unknown) => {
        throw isUniqueViolation(err) ? duplicateField(Messages.duplicateResourceGroup(group.identifier)) : err;
      });
      await recordAudit(trx, auditActor(req), { action: 'CREATE', resource: { type: 'RESOURCEGROUP', identifier: group.identifier }, scope, after: group }, now);
      return record;
    });
    return success(created, req.correlationId);
  });
}
