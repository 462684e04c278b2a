// POST /apikey: creates an API key for its owner (a user for themselves, or a service account).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, ScopeQuery } from '../../http/schemas.js';
import { duplicateField, invalidRequest, Messages } from '../../domain/errors.js';
import { DEFAULT_TOKEN_LIFETIME_MS } from '../../domain/rotation.js';
import { authorizeKeys, budgetDenial, mayRaiseBudget, raisesBudget } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { getEffectiveSettings } from '../../store/account-settings.js';
import { countApiKeysOfOwner, findApiKey, insertApiKey, lockKeyOwner, type KeyOwner } from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { isUniqueViolation } from '../../store/database.js';
import { inTransaction } from '../../store/transaction.js';
import { requireOwner } from './owners.js';
import { ApiKeyBody, ApiKeyOut } from './schemas.js';
import { apiKeyAudit, apiKeyView } from './views.js';

export function createApiKey(app: App, services: Services) {
  app.post('/apikey', {
    schema: { tags: ['api keys'], querystring: ScopeQuery, body: ApiKeyBody, response: ok(ApiKeyOut) },
  }, async (req) => {
    // 1. scope, caller and owner
    const body = req.body;
    const principal = principalOf(req);
    const scope = requestScope(req, body);
    const owner: KeyOwner = { scope, apiKeyType: body.apiKeyType, parentIdentifier: body.parentIdentifier };
    // 2. authorize
    await authorizeKeys(services, principal, owner, 'manage');
    const settings = await getEffectiveSettings(services.db, services.config, scope.accountIdentifier);
    if (raisesBudget({ requested: body.rateLimitQps, stored: null, accountQps: settings.apiKeyQps })
      && !(await mayRaiseBudget(services, principal, scope.accountIdentifier))) throw budgetDenial(principal, scope.accountIdentifier);
    // 3. look up: the scope and the owner exist
    await assertScopeExists(services.db, scope);
    await requireOwner(services.db, owner);
    // 4. write with the audit entry, under the per-owner limit
    const now = services.now();
    const duplicate = () => duplicateField(Messages.duplicateApiKey(body.identifier));
    const record = await inTransaction(services.db, async (trx) => {
      // The scope and the owner, again under their locks: neither can be deleted under the new key.
      await holdScope(trx, services.store.engine, scope);
      await lockKeyOwner(trx, services.store.engine, owner);
      await requireOwner(trx, owner);
      if (await findApiKey(trx, { ...owner, identifier: body.identifier })) throw duplicate();
      if (await countApiKeysOfOwner(trx, owner) >= settings.maxApiKeysPerOwner) throw invalidRequest(Messages.maximumLimit);
      const created = await insertApiKey(trx, {
        identifier: body.identifier,
        name: body.name,
        description: body.description ?? '',
        tags: body.tags ?? {},
        accountIdentifier: scope.accountIdentifier,
        orgIdentifier: scope.orgIdentifier,
        projectIdentifier: scope.projectIdentifier,
        apiKeyType: body.apiKeyType,
        parentIdentifier: body.parentIdentifier,
        defaultTimeToExpireToken: body.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS,
        rateLimitQps: body.rateLimitQps ?? null,
      }, now);
      await recordAudit(trx, auditActor(req), {
        action: 'CREATE', resource: { type: 'API_KEY', identifier: body.identifier }, scope, after: apiKeyAudit(created),
      }, now);
      return created;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    });
    return success(apiKeyView(record), req.correlationId);
  });
}
