// DELETE /roles/{identifier}: deletes a custom role no assignment uses (answering the deleted role).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import { isManagedRole } from '../../domain/managed.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockGrantParts } from '../../store/locks.js';
import { assignmentsUsingRole } from '../../store/role-assignments.js';
import { deleteRole as storeDelete, getCustomRole } from '../../store/roles.js';
import { inTransaction } from '../../store/transaction.js';
import { IdentifierParams, RoleResponse, ScopeQuery } from './schemas.js';

export function deleteRole(app: App, services: Services) {
  app.delete('/roles/:identifier', {
    schema: { tags: ['roles'], params: IdentifierParams, querystring: ScopeQuery, response: ok(RoleResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_role_delete', { scope, type: 'ROLE', identifier });
    if (isManagedRole(identifier)) throw invalidRequest(Messages.managedRoleImmutable(identifier));

    const now = services.now();
    const deleted = await inTransaction(services.db, async (trx) => {
      // First: assignments being written with it finish before (and make it "in use"), or find it gone after.
      await lockGrantParts(trx, services.store.engine, scope.accountIdentifier, [{ type: 'ROLE', identifier }], 'exclusive');
      const before = await getCustomRole(trx, scope, identifier);
      if (!before) throw entityNotFound(Messages.roleNotFound(identifier));
      const users = await assignmentsUsingRole(trx, scope, identifier);
      if (users.length > 0) throw invalidRequest(Messages.roleInUse(identifier, users.map((a) => a.identifier)));
      await storeDelete(trx, scope, identifier);
      await recordAudit(trx, auditActor(req), { action: 'DELETE', resource: { type: 'ROLE', identifier }, scope, before: before.role }, now);
      return before;
    });
    services.invalidation.publish({ kind: 'account', accountIdentifier: scope.accountIdentifier, permissionsOnly: true });
    return success(deleted, req.correlationId);
  });
}
