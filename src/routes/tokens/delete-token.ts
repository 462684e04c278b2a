// DELETE /token/{identifier}: deletes one token, effective at once on every instance.
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import { authorizeKeys } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { findApiKey, lockApiKey, type KeyOwner } from '../../store/api-keys.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteToken, findToken } from '../../store/tokens.js';
import { inTransaction } from '../../store/transaction.js';
import { TokenKeyQuery, TokenParams } from './schemas.js';
import { tokenAudit } from './views.js';

export interface TokenKeyRef {
  apiKeyType: 'USER' | 'SERVICE_ACCOUNT';
  parentIdentifier: string;
  apiKeyIdentifier: string;
}

export async function deleteOneToken(services: Services, req: FastifyRequest, identifier: string, query: TokenKeyRef): Promise<void> {
  // 1. scope, caller and owner
  const principal = principalOf(req);
  const scope = requestScope(req);
  const owner: KeyOwner = { scope, apiKeyType: query.apiKeyType, parentIdentifier: query.parentIdentifier };
  // 2. authorize
  await authorizeKeys(services, principal, owner, 'delete');
  // 3. look up and delete, with the audit entry
  const now = services.now();
  const tokenId = await inTransaction(services.db, async (trx) => {
    const key = await findApiKey(trx, { ...owner, identifier: query.apiKeyIdentifier });
    if (!key) throw entityNotFound(Messages.tokenNotFound(identifier));
    await lockApiKey(trx, services.store.engine, key.id);
    const stored = await findToken(trx, key.id, identifier);
    if (!stored) throw entityNotFound(Messages.tokenNotFound(identifier));
    await deleteToken(trx, stored.tokenId);
    await recordAudit(trx, auditActor(req), {
      action: 'DELETE', resource: { type: 'TOKEN', identifier }, scope, before: tokenAudit(stored),
    }, now);
    return stored.tokenId;
  });
  // 4. it stops working on every instance now
  services.invalidation.publish({ kind: 'token', tokenIds: [tokenId] });
}

export function deleteTokenRoute(app: App, services: Services) {
  app.delete('/token/:identifier', {
    schema: { tags: ['tokens'], params: TokenParams, querystring: TokenKeyQuery, response: ok(Type.Boolean()) },
  }, async (req) => {
    await deleteOneToken(services, req, req.params.identifier, req.query);
    return success(true, req.correlationId);
  });
}
