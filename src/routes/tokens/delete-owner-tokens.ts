// DELETE /token/all (keysmith's addition): deletes every token of one owner — a user's own, or
// another's with core_user_manage, or a service account's with core_serviceaccount_manageapikey —
// and answers with how many (an owner that does not exist is a 404, not 0). A token whose
// identifier is literally "all" is deleted singly when the query names its API key, as
// DELETE /token/{identifier} would.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { authorizeKeys } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import type { KeyOwner } from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteTokensOfOwner } from '../../store/tokens.js';
import { inTransaction } from '../../store/transaction.js';
import { requireOwner } from '../api-keys/owners.js';
import { deleteOneToken } from './delete-token.js';
import { OwnerTokensQuery } from './schemas.js';
import { tokenAudit } from './views.js';

export function deleteOwnerTokensRoute(app: App, services: Services) {
  app.delete('/token/all', {
    schema: { tags: ['tokens'], querystring: OwnerTokensQuery, response: ok(Type.Union([Type.Integer(), Type.Boolean()])) },
  }, async (req) => {
    const query = req.query;
    if (query.apiKeyIdentifier) {
      await deleteOneToken(services, req, 'all', { ...query, apiKeyIdentifier: query.apiKeyIdentifier });
      return success(true, req.correlationId);
    }
    // 1. scope, caller and owner
    const principal = principalOf(req);
    const scope = requestScope(req);
    const owner: KeyOwner = { scope, apiKeyType: query.apiKeyType, parentIdentifier: query.parentIdentifier };
    // 2. authorize
    await authorizeKeys(services, principal, owner, 'delete');
    // 3. look up: the scope and the owner exist (a missing one is a 404, as on every other call naming it)
    await assertScopeExists(services.db, scope);
    await requireOwner(services.db, owner);
    // 4. delete, one audit entry per token
    const now = services.now();
    const actor = auditActor(req);
    const deleted = await inTransaction(services.db, async (trx) => {
      const records = await deleteTokensOfOwner(trx, owner);
      for (const r of records) {
        await recordAudit(trx, actor, {
          action: 'DELETE', resource: { type: 'TOKEN', identifier: r.identifier }, scope: r.scope, before: tokenAudit(r),
        }, now);
      }
      return records;
    });
    // 5. they stop working on every instance now
    if (deleted.length > 0) services.invalidation.publish({ kind: 'token', tokenIds: deleted.map((r) => r.tokenId) });
    return success(deleted.length, req.correlationId);
  });
}
