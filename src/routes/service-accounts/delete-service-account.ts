// DELETE /serviceaccount/{identifier}: deletes the service account with its API keys and tokens,
// its group memberships and role assignments; its tokens stop working at once on every instance.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockPrincipals, lockScope } from '../../store/locks.js';
import { deleteServiceAccount as storeDelete, getServiceAccount } from '../../store/service-accounts.js';
import { inTransaction } from '../../store/transaction.js';
import { IdentifierParams, ScopeQuery } from './schemas.js';

export function deleteServiceAccount(app: App, services: Services) {
  app.delete('/serviceaccount/:identifier', {
    schema: { tags: ['service accounts'], params: IdentifierParams, querystring: ScopeQuery, response: ok(Type.Boolean()) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_serviceaccount_delete', { scope, type: 'SERVICEACCOUNT', identifier });

    const now = services.now();
    await inTransaction(services.db, async (trx) => {
      // First: keys, memberships and grants being written for it finish before, or find it gone after.
      await lockScope(trx, services.store.engine, scope, 'shared');
      await lockPrincipals(trx, services.store.engine, scope.accountIdentifier, [{ type: 'SERVICE_ACCOUNT', identifier }], 'exclusive');
      const current = await getServiceAccount(trx, scope, identifier);
      if (!current) throw entityNotFound(Messages.serviceAccountNotFound(identifier));
      const deleted = await storeDelete(trx, scope, identifier);
      await recordAudit(trx, auditActor(req), {
        action: 'DELETE', resource: { type: 'SERVICEACCOUNT', identifier }, scope, before: { ...current.serviceAccount, ...deleted },
      }, now);
    });
    services.invalidation.publish({
      kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: 'SERVICE_ACCOUNT', principalIdentifier: identifier,
    });
    return success(true, req.correlationId);
  });
}
