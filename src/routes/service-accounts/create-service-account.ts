// POST /serviceaccount: creates a service account at the request's scope.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { isUniqueViolation } from '../../store/database.js';
import { getServiceAccount, insertServiceAccount, type ServiceAccount as ServiceAccountData } from '../../store/service-accounts.js';
import { inTransaction } from '../../store/transaction.js';
import { ScopeQuery, ServiceAccount, ServiceAccountBody } from './schemas.js';
import { normalizeEmail } from '../../domain/validation.js';

export function createServiceAccount(app: App, services: Services) {
  app.post('/serviceaccount', {
    schema: { tags: ['service accounts'], querystring: ScopeQuery, body: ServiceAccountBody, response: ok(ServiceAccount) },
  }, async (req) => {
    const body = req.body;
    const scope = requestScope(req, body);
    await services.authz.authorize(principalOf(req), 'core_serviceaccount_edit', { scope, type: 'SERVICEACCOUNT', identifier: null });
    await assertScopeExists(services.db, scope);

    const serviceAccount: ServiceAccountData = {
      identifier: body.identifier, name: body.name, email: normalizeEmail(body.email),
      description: body.description ?? '', tags: body.tags ?? {}, ...scope,
    };
    const now = services.now();
    const created = await inTransaction(services.db, async (trx) => {
      await holdScope(trx, services.store.engine, scope);
      if (await getServiceAccount(trx, scope, body.identifier)) throw duplicateField(Messages.duplicateServiceAccount(body.identifier));
      const record = await insertServiceAccount(trx, serviceAccount, now).catch((err: unknown) => {
        throw isUniqueViolation(err) ? duplicateField(Messages.duplicateServiceAccount(body.identifier)) : err;
      });
      await recordAudit(trx, auditActor(req), {
        action: 'CREATE', resource: { type: 'SERVICEACCOUNT', identifier: body.identifier }, scope, after: record.serviceAccount,
      }, now);
      return record;
    });
    return success(created.serviceAccount, req.correlationId);
  });
}
