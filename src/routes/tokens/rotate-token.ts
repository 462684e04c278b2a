// POST /token/rotate/{identifier}: issues a new value for a token and answers with it (shown once).
// The old value keeps working until `rotateTimestamp` under a `rotated_…` identifier, or stops at
// once without one. Rotations of one token are serialized: an in-process queue per token, then the
// API key's row lock (PostgreSQL) or the write lock (SQLite), and the token is read again inside.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { noStore, success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { planRotation, rotatedIdentifier } from '../../domain/rotation.js';
import { authorizeKeys } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { getEffectiveSettings } from '../../store/account-settings.js';
import { findApiKey, lockApiKey, type KeyOwner } from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteToken, findToken, insertToken, retireToken } from '../../store/tokens.js';
import { inTransaction } from '../../store/transaction.js';
import { KeyedMutex } from './keyed-mutex.js';
import { RotateQuery, TokenParams } from './schemas.js';
import { tokenAudit } from './views.js';

// One queue per process: both route prefixes (/ng/api, /gateway/ng/api) share it.
const rotations = new KeyedMutex();

export function rotateTokenRoute(app: App, services: Services) {
  app.post('/token/rotate/:identifier', {
    config: { body: 'ignored' }, // everything is in the query (SPEC §3)
    schema: { tags: ['tokens'], params: TokenParams, querystring: RotateQuery, response: ok(Type.String()) },
  }, async (req, reply) => {
    // 1. scope, caller and owner (a body, if any, is ignored)
    const { identifier } = req.params;
    const query = req.query;
    const principal = principalOf(req);
    const scope = requestScope(req);
    const owner: KeyOwner = { scope, apiKeyType: query.apiKeyType, parentIdentifier: query.parentIdentifier };
    // 2. authorize
    await authorizeKeys(services, principal, owner, 'manage');
    const settings = await getEffectiveSettings(services.db, services.config, scope.accountIdentifier);
    const actor = auditActor(req);
    const queueKey = JSON.stringify([scope, owner.apiKeyType, owner.parentIdentifier, query.apiKeyIdentifier, identifier]);
    // 3. look up, plan and write, one rotation of this token at a time
    const { value, oldTokenId } = await rotations.run(queueKey, () => inTransaction(services.db, async (trx) => {
      const now = services.now();
      const key = await findApiKey(trx, { ...owner, identifier: query.apiKeyIdentifier });
      if (!key) throw entityNotFound(Messages.tokenNotFound(identifier));
      await lockApiKey(trx, services.store.engine, key.id);
      const old = await findToken(trx, key.id, identifier);
      if (!old) throw entityNotFound(Messages.tokenNotFound(identifier));
      const plan = planRotation(old, now, query.rotateTimestamp, query.validTo, {
        defaultTtlMs: key.apiKey.defaultTimeToExpireToken, maxLifetimeMs: settings.maxTokenLifetimeMs,
      });
      const retiredAs = plan.graceUntil === null ? null : rotatedIdentifier();
      if (retiredAs === null || plan.graceUntil === null) await deleteToken(trx, old.tokenId);
      else await retireToken(trx, old.tokenId, retiredAs, plan.graceUntil, now);
      const created = await insertToken(trx, key, {
        identifier: old.identifier, name: old.name, description: old.description, tags: old.tags,
        validFrom: plan.newValidFrom, validTo: plan.newValidTo,
      }, now);
      await recordAudit(trx, actor, {
        action: 'ROTATE', resource: { type: 'TOKEN', identifier }, scope,
        before: { ...tokenAudit(old), ...(retiredAs ? { identifier: retiredAs, scheduledExpireTime: plan.graceUntil } : { deleted: true }) },
        after: tokenAudit(created.record),
      }, now);
      return { value: created.value, oldTokenId: old.tokenId };
    }));
    // 4. the old value's new end (or deletion) applies at once
    services.invalidation.publish({ kind: 'token', tokenIds: [oldTokenId] });
    noStore(reply); // the new token value: no cache may keep it
    return success(value, req.correlationId);
  });
}
