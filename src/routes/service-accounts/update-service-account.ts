// PUT /serviceaccount/{identifier}: edits name, description and tags. The identifier and the email
// are immutable: the body must repeat them (Harness's "Value mismatch" otherwise).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { getServiceAccount, updateServiceAccount as storeUpdate } from '../../store/service-accounts.js';
import { inTransaction } from '../../store/transaction.js';
import { IdentifierParams, ScopeQuery, ServiceAccount, ServiceAccountBody } from './schemas.js';
import { normalizeEmail } from '../../domain/validation.js';

export function updateServiceAccount(app: App, services: Services) {
  app.put('/serviceaccount/:identifier', {
    schema: { tags: ['service accounts'], params: IdentifierParams, querystring: ScopeQuery, body: ServiceAccountBody, response: ok(ServiceAccount) },
  }, async (req) => {
    const { identifier } = req.params;
    const body = req.body;
    const scope = requestScope(req, body);
    await services.authz.authorize(principalOf(req), 'core_serviceaccount_edit', { scope, type: 'SERVICEACCOUNT', identifier });
    if (body.identifier !== identifier) throw invalidRequest(Messages.valueMismatch(identifier, body.identifier));

    const now = services.now();
    const updated = await inTransaction(services.db, async (trx) => {
      const current = await getServiceAccount(trx, scope, identifier);
      if (!current) throw entityNotFound(Messages.serviceAccountNotFound(identifier));
      if (normalizeEmail(body.email) !== current.serviceAccount.email) {
        throw invalidRequest(Messages.valueMismatch(current.serviceAccount.email, body.email));
      }
      const after = { ...current.serviceAccount, name: body.name, description: body.description ?? '', tags: body.tags ?? {} };
      // Deleted since it was read (PostgreSQL: a concurrent deletion committed first): missing, not updated.
      if (!(await storeUpdate(trx, scope, identifier, after, now))) throw entityNotFound(Messages.serviceAccountNotFound(identifier));
      await recordAudit(trx, auditActor(req), {
        action: 'UPDATE', resource: { type: 'SERVICEACCOUNT', identifier }, scope, before: current.serviceAccount, after,
      }, now);
      return { before: current.serviceAccount, after };
    });
    // Its tokens' cached principals carry the name (currentUser answers from them).
    if (updated.before.name !== updated.after.name) {
      services.invalidation.publish({
        kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: 'SERVICE_ACCOUNT', principalIdentifier: identifier,
      });
    }
    return success(updated.after, req.correlationId);
  });
}
