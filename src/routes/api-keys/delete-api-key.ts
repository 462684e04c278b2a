// DELETE /apikey/{identifier}: deletes a key and every token under it, effective at once.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { Type } from '@sinclair/typebox';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { authorizeKeys } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { deleteApiKey, findApiKeyForUpdate, type KeyOwner } from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { inTransaction } from '../../store/transaction.js';
import { IdentifierParams, OwnerQuery } from './schemas.js';
import { apiKeyAudit } from './views.js';

export function deleteApiKeyRoute(app: App, services: Services) {
  app.delete('/apikey/:identifier', {
    schema: { tags: ['api keys'], params: IdentifierParams, querystring: OwnerQuery, response: ok(Type.Boolean()) },
  }, async (req) => {
    // 1. scope, caller and owner
    const { identifier } = req.params;
    const principal = principalOf(req);
    const scope = requestScope(req);
    const owner: KeyOwner = { scope, apiKeyType: req.query.apiKeyType, parentIdentifier: req.query.parentIdentifier };
    // 2. authorize
    await authorizeKeys(services, principal, owner, 'delete');
    // 3. look up and delete, with the audit entry
    const now = services.now();
    const tokenIds = await inTransaction(services.db, async (trx) => {
      // The key's row lock before its tokens', as every token change takes them (no deadlock); read
      // under it, so the audit entry holds the key as it was deleted.
      const stored = await findApiKeyForUpdate(trx, services.store.engine, { ...owner, identifier });
      if (!stored) throw entityNotFound(Messages.apiKeyNotFound(identifier));
      const deleted = await deleteApiKey(trx, stored.id);
      await recordAudit(trx, auditActor(req), {
        action: 'DELETE', resource: { type: 'API_KEY', identifier }, scope,
        before: { ...apiKeyAudit(stored), tokensDeleted: deleted.length },
      }, now);
      return deleted;
    });
    // 4. its tokens stop working on every instance now
    if (tokenIds.length > 0) services.invalidation.publish({ kind: 'token', tokenIds });
    return success(true, req.correlationId);
  });
}
