// PUT /token/{identifier}: edits a token's name, description, tags and validity window; fields the
// body leaves out keep their stored values. The body names the token (the path is ignored, as real
// clients send it inconsistently). A rotated token, in its grace period, cannot be edited.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, ScopeQuery } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { updatedTokenWindow } from '../../domain/rotation.js';
import { authorizeKeys } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { getEffectiveSettings } from '../../store/account-settings.js';
import { findApiKey, lockApiKey, type KeyOwner } from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { findToken, updateToken, type TokenChanges } from '../../store/tokens.js';
import { inTransaction } from '../../store/transaction.js';
import { requireOwner } from '../api-keys/owners.js';
import { TokenOut, TokenParams, TokenUpdateBody } from './schemas.js';
import { tokenAudit, tokenView } from './views.js';

export function updateTokenRoute(app: App, services: Services) {
  app.put('/token/:identifier', {
    schema: { tags: ['tokens'], params: TokenParams, querystring: ScopeQuery, body: TokenUpdateBody, response: ok(TokenOut) },
  }, async (req) => {
    // 1. scope, caller and owner — from the body
    const body = req.body;
    const principal = principalOf(req);
    const scope = requestScope(req, body);
    const owner: KeyOwner = { scope, apiKeyType: body.apiKeyType, parentIdentifier: body.parentIdentifier };
    // 2. authorize
    await authorizeKeys(services, principal, owner, 'manage');
    // 3. look up and write, with the audit entry
    await assertScopeExists(services.db, scope);
    const ownerInfo = await requireOwner(services.db, owner);
    const settings = await getEffectiveSettings(services.db, services.config, scope.accountIdentifier);
    const now = services.now();
    const updated = await inTransaction(services.db, async (trx) => {
      const key = await findApiKey(trx, { ...owner, identifier: body.apiKeyIdentifier });
      if (!key) throw entityNotFound(Messages.tokenNotFound(body.identifier));
      await lockApiKey(trx, services.store.engine, key.id);
      const stored = await findToken(trx, key.id, body.identifier);
      if (!stored) throw entityNotFound(Messages.tokenNotFound(body.identifier));
      const window = updatedTokenWindow(stored, body, now, {
        defaultTtlMs: key.apiKey.defaultTimeToExpireToken, maxLifetimeMs: settings.maxTokenLifetimeMs,
      });
      const changes: TokenChanges = {
        name: body.name ?? stored.name,
        description: body.description === undefined ? stored.description : body.description ?? '',
        tags: body.tags === undefined ? stored.tags : body.tags ?? {},
        ...window,
      };
      await updateToken(trx, stored.tokenId, changes, now);
      const after = { ...stored, ...changes, lastModifiedAt: now };
      await recordAudit(trx, auditActor(req), {
        action: 'UPDATE', resource: { type: 'TOKEN', identifier: body.identifier }, scope,
        before: tokenAudit(stored), after: tokenAudit(after),
      }, now);
      return after;
    });
    // 4. a changed validity window applies at once
    services.invalidation.publish({ kind: 'token', tokenIds: [updated.tokenId] });
    return success(tokenView(updated, ownerInfo, now), req.correlationId);
  });
}
