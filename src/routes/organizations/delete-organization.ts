// DELETE /ng/api/organizations/{identifier}: the organization, its projects and everything scoped
// in them go in one transaction; every instance then drops the account's cached tokens and rights.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import { DEFAULT_ORGANIZATION, makeScope } from '../../domain/scope.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockScope } from '../../store/locks.js';
import { deleteOrganizationRow, getOrganization } from '../../store/organizations.js';
import { deleteScopeContents } from '../../store/scope-contents.js';
import { inTransaction } from '../../store/transaction.js';
import { AccountQuery, OrganizationParams } from './schemas.js';

export function deleteOrganization(app: App, services: Services) {
  app.delete('/organizations/:identifier', {
    schema: { tags: ['organizations'], params: OrganizationParams, querystring: AccountQuery, response: ok(Type.Boolean()) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = accountScope(req);
    await services.authz.authorize(principalOf(req), 'core_organization_delete', { scope, type: 'ORGANIZATION', identifier });
    if (identifier === DEFAULT_ORGANIZATION) throw invalidRequest(Messages.defaultOrganizationUndeletable);
    const orgScope = makeScope(scope.accountIdentifier, identifier);
    const now = services.now();
    const actor = auditActor(req);
    await inTransaction(services.db, async (trx) => {
      // First: writes into the organization finish before, or find it gone after (store/locks.ts).
      await lockScope(trx, services.store.engine, orgScope, 'exclusive');
      const before = await getOrganization(trx, scope.accountIdentifier, identifier);
      if (!before) throw entityNotFound(Messages.organizationNotFound(identifier));
      const deletedContents = await deleteScopeContents(trx, orgScope);
      await deleteOrganizationRow(trx, scope.accountIdentifier, identifier);
      await recordAudit(trx, actor, {
        action: 'DELETE', resource: { type: 'ORGANIZATION', identifier }, scope: orgScope,
        before: before.organization, after: { deletedContents },
      }, now);
    });
    services.invalidation.publish({ kind: 'account', accountIdentifier: scope.accountIdentifier });
    return success(true, req.correlationId);
  });
}
