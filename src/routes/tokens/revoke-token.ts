// POST /token/revoke: anyone holding a leaked token value may kill it (as GitHub's credential
// revocation API does). No credentials; limited per IP; always answers `true`, so it tells nothing
// about the value; a genuine value's token is deleted at once and the deletion audited.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { ok } from '../../http/schemas.js';
import { Messages, tooManyRequests } from '../../domain/errors.js';
import { parseToken, prefixOf, secretMatches } from '../../domain/token-format.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteToken, findTokenById } from '../../store/tokens.js';
import { inTransaction } from '../../store/transaction.js';
import { emptyTokenWhenAbsent, RawTokenBody } from './schemas.js';
import { tokenAudit } from './views.js';

export function revokeTokenRoute(app: App, services: Services) {
  app.post('/token/revoke', {
    config: { auth: 'public', body: 'text' },
    preValidation: emptyTokenWhenAbsent,
    schema: { tags: ['tokens'], body: RawTokenBody, response: ok(Type.Boolean()) },
  }, async (req) => {
    // 1. the per-IP budget of revocations
    const wait = await services.ipRateLimiter.consume('revoke', req.ip);
    if (wait !== null) throw tooManyRequests(Messages.tooManyTokenRequests, wait);
    // 2. a genuine value — expired or not — names a token to delete
    const parsed = parseToken(req.body.trim());
    if (!parsed) return success(true, req.correlationId);
    const now = services.now();
    const ua = req.headers['user-agent'];
    const actor = { principal: { type: 'ANONYMOUS', identifier: 'token-revocation' }, ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
    const revoked = await inTransaction(services.db, async (trx) => {
      const cred = await trx.selectFrom('tokens').select(['secret_hash', 'account_id', 'api_key_type']).where('id', '=', parsed.tokenId).executeTakeFirst();
      if (!cred || !secretMatches(parsed.secret, cred.secret_hash)) return false;
      if (prefixOf(cred.api_key_type) !== parsed.prefix || cred.account_id !== parsed.accountIdentifier) return false;
      const record = await findTokenById(trx, parsed.tokenId);
      if (!record) return false;
      await deleteToken(trx, parsed.tokenId);
      await recordAudit(trx, actor, {
        action: 'REVOKE', resource: { type: 'TOKEN', identifier: record.identifier }, scope: record.scope, before: tokenAudit(record),
      }, now);
      return true;
    });
    // 3. it stops working on every instance now
    if (revoked) services.invalidation.publish({ kind: 'token', tokenIds: [parsed.tokenId] });
    return success(true, req.correlationId);
  });
}
