// PUT /apikey/{identifier}: edits a key's name, description, tags, default token lifetime and rate
// limit. The body's identifier and scope decide which key: real clients put the account id in the
// path and send no query at all, so the path value is ignored.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, ScopeQuery } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { authorizeKeys, budgetDenial, mayRaiseBudget, raisesBudget } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { getEffectiveSettings } from '../../store/account-settings.js';
import { findApiKeyForUpdate, updateApiKey, type ApiKeyChanges, type KeyOwner } from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { inTransaction } from '../../store/transaction.js';
import { ApiKeyBody, ApiKeyOut } from './schemas.js';
import { apiKeyAudit, apiKeyView } from './views.js';

export function updateApiKeyRoute(app: App, services: Services) {
  app.put('/apikey/:identifier', {
    schema: {
      tags: ['api keys'], params: Type.Object({ identifier: Type.String({ maxLength: 512 }) }),
      querystring: ScopeQuery, body: ApiKeyBody, response: ok(ApiKeyOut),
    },
  }, async (req) => {
    // 1. scope, caller and owner — all from the body
    const body = req.body;
    const principal = principalOf(req);
    const scope = requestScope(req, body);
    const owner: KeyOwner = { scope, apiKeyType: body.apiKeyType, parentIdentifier: body.parentIdentifier };
    // 2. authorize
    await authorizeKeys(services, principal, owner, 'manage');
    // 3. look up
    await assertScopeExists(services.db, scope);
    const now = services.now();
    // Asked outside the transaction (on SQLite it holds the one connection the lookup needs), and
    // judged inside it against the budget the key has then.
    const { apiKeyQps } = await getEffectiveSettings(services.db, services.config, scope.accountIdentifier);
    const mayRaise = body.rateLimitQps !== undefined && await mayRaiseBudget(services, principal, scope.accountIdentifier);
    const { before, after } = await inTransaction(services.db, async (trx) => {
      const stored = await findApiKeyForUpdate(trx, services.store.engine, { ...owner, identifier: body.identifier });
      if (!stored) throw entityNotFound(Messages.apiKeyNotFound(body.identifier));
      if (!mayRaise && raisesBudget({ requested: body.rateLimitQps, stored: stored.apiKey.rateLimitQps, accountQps: apiKeyQps })) {
        throw budgetDenial(principal, scope.accountIdentifier);
      }
      // 4. write: name, description and tags are replaced (as Harness does); the lifetime and the
      // rate limit, which Harness clients may not send, keep their values when absent.
      const changes: ApiKeyChanges = {
        name: body.name,
        description: body.description ?? '',
        tags: body.tags ?? {},
        defaultTimeToExpireToken: body.defaultTimeToExpireToken ?? stored.apiKey.defaultTimeToExpireToken,
        rateLimitQps: body.rateLimitQps === undefined ? stored.apiKey.rateLimitQps : body.rateLimitQps,
      };
      await updateApiKey(trx, stored.id, changes, now);
      const updated = { ...stored, apiKey: { ...stored.apiKey, ...changes }, lastModifiedAt: now };
      await recordAudit(trx, auditActor(req), {
        action: 'UPDATE', resource: { type: 'API_KEY', identifier: body.identifier }, scope,
        before: apiKeyAudit(stored), after: apiKeyAudit(updated),
      }, now);
      return { before: stored, after: updated };
    });
    // 5. a new budget applies at once (the limiter caches budgets per account)
    if (before.apiKey.rateLimitQps !== after.apiKey.rateLimitQps) {
      services.invalidation.publish({ kind: 'budgets', accountIdentifier: scope.accountIdentifier });
    }
    return success(apiKeyView(after), req.correlationId);
  });
}
