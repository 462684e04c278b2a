// POST /roles: creates a custom role at the request's scope.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import { isManagedRole } from '../../domain/managed.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { isUniqueViolation } from '../../store/database.js';
import { getCustomRole, insertRole } from '../../store/roles.js';
import { inTransaction } from '../../store/transaction.js';
import { roleFromBody } from './role-input.js';
import { RoleBody, RoleResponse, ScopeQuery } from './schemas.js';

export function createRole(app: App, services: Services) {
  app.post('/roles', {
    schema: { tags: ['roles'], querystring: ScopeQuery, body: RoleBody, response: ok(RoleResponse) },
  }, async (req) => {
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_role_edit', { scope, type: 'ROLE', identifier: null });
    await assertScopeExists(services.db, scope);
    const role = roleFromBody(req.body, scope);
    if (isManagedRole(role.identifier)) throw duplicateField(Messages.duplicateRole(role.identifier));

    const now = services.now();
    const created = await inTransaction(services.db, async (trx) => {
      await holdScope(trx, services.store.engine, scope);
      if (await getCustomRole(trx, scope, role.identifier)) throw duplicateField(Messages.duplicateRole(role.identifier));
      const record = await insertRole(trx, scope, role, now).catch((err: unknown) => {
        throw isUniqueViolation(err) ? duplicateField(Messages.duplicateRole(role.identifier)) : err;
      });
      await recordAudit(trx, auditActor(req), { action: 'CREATE', resource: { type: 'ROLE', identifier: role.identifier }, scope, after: role }, now);
      return record;
    });
    // A role of this identifier may now shadow one of a parent scope: recompute the account's rights.
    services.invalidation.publish({ kind: 'account', accountIdentifier: scope.accountIdentifier, permissionsOnly: true });
    return success(created, req.correlationId);
  });
}
