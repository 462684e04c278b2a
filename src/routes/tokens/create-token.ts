// POST /token: creates a token and answers with its value — the only time the value is shown.
// A missing API key is created on the way (`<apiKeyIdentifier>_auto`), as Harness does.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { noStore, success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, ScopeQuery } from '../../http/schemas.js';
import { duplicateField, invalidRequest, Messages } from '../../domain/errors.js';
import { DEFAULT_TOKEN_LIFETIME_MS, newTokenWindow } from '../../domain/rotation.js';
import { autoApiKeyName } from '../../domain/validation.js';
import { authorizeKeys } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { getEffectiveSettings } from '../../store/account-settings.js';
import {
  countApiKeysOfOwner, findApiKeyForUpdate, insertApiKey, lockKeyOwner, type KeyOwner,
} from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { isUniqueViolation } from '../../store/database.js';
import { countCountedTokens, findToken, insertToken } from '../../store/tokens.js';
import { inTransaction } from '../../store/transaction.js';
import { requireOwner } from '../api-keys/owners.js';
import { apiKeyAudit } from '../api-keys/views.js';
import { TokenCreateBody } from './schemas.js';
import { tokenAudit } from './views.js';

export function createTokenRoute(app: App, services: Services) {
  app.post('/token', {
    schema: { tags: ['tokens'], querystring: ScopeQuery, body: TokenCreateBody, response: ok(Type.String()) },
  }, async (req, reply) => {
    // 1. scope, caller and owner
    const body = req.body;
    const principal = principalOf(req);
    const scope = requestScope(req, body);
    const owner: KeyOwner = { scope, apiKeyType: body.apiKeyType, parentIdentifier: body.parentIdentifier };
    // 2. authorize
    await authorizeKeys(services, principal, owner, 'manage');
    // 3. look up: the scope and the owner exist
    await assertScopeExists(services.db, scope);
    await requireOwner(services.db, owner);
    // 4. write under the limits, with the audit entries
    const settings = await getEffectiveSettings(services.db, services.config, scope.accountIdentifier);
    const now = services.now();
    const actor = auditActor(req);
    const engine = services.store.engine;
    const duplicate = () => duplicateField(Messages.duplicateToken(body.identifier));
    const { value } = await inTransaction(services.db, async (trx) => {
      // The scope and the owner, again under their locks: neither can be deleted under the new token.
      await holdScope(trx, engine, scope);
      await lockKeyOwner(trx, engine, owner);
      await requireOwner(trx, owner);
      const keyRef = { ...owner, identifier: body.apiKeyIdentifier };
      // Locked as it is read (PostgreSQL), so token changes under one key happen one after another.
      // A deletion of the key that commits meanwhile leaves it missing: the deletion came first,
      // and the key is created again, as for any token whose key does not exist.
      let key = await findApiKeyForUpdate(trx, engine, keyRef);
      if (!key) {
        if (await countApiKeysOfOwner(trx, owner) >= settings.maxApiKeysPerOwner) throw invalidRequest(Messages.maximumLimit);
        key = await insertApiKey(trx, {
          identifier: body.apiKeyIdentifier, name: autoApiKeyName(body.apiKeyIdentifier), description: Messages.autoApiKeyDescription,
          tags: {}, accountIdentifier: scope.accountIdentifier, orgIdentifier: scope.orgIdentifier,
          projectIdentifier: scope.projectIdentifier, apiKeyType: body.apiKeyType, parentIdentifier: body.parentIdentifier,
          defaultTimeToExpireToken: DEFAULT_TOKEN_LIFETIME_MS, rateLimitQps: null,
        }, now);
        await recordAudit(trx, actor, {
          action: 'CREATE', resource: { type: 'API_KEY', identifier: key.apiKey.identifier }, scope, after: apiKeyAudit(key),
        }, now);
      }
      if (await findToken(trx, key.id, body.identifier)) throw duplicate();
      if (await countCountedTokens(trx, key.id) >= settings.maxTokensPerApiKey) throw invalidRequest(Messages.maximumLimit);
      const window = newTokenWindow(body, now, {
        defaultTtlMs: key.apiKey.defaultTimeToExpireToken, maxLifetimeMs: settings.maxTokenLifetimeMs,
      });
      const created = await insertToken(trx, key, {
        identifier: body.identifier, name: body.name, description: body.description ?? '', tags: body.tags ?? {}, ...window,
      }, now);
      await recordAudit(trx, actor, {
        action: 'CREATE', resource: { type: 'TOKEN', identifier: body.identifier }, scope, after: tokenAudit(created.record),
      }, now);
      return created;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    });
    noStore(reply); // the token value: no cache may keep it
    return success(value, req.correlationId);
  });
}
