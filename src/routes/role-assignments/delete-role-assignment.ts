// DELETE /roleassignments/{identifier}: removes an assignment (answering it, as Harness does).
// Removing the last account admin's assignment is refused.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteRoleAssignment as storeDelete, getRoleAssignment, keepingAnAccountAdmin } from '../../store/role-assignments.js';
import { inTransaction } from '../../store/transaction.js';
import { invalidationFor, roleAssignmentDto } from './dto.js';
import { authorizedAssignment, authorizeSome, samePrincipal } from './principal-access.js';
import { IdentifierParams, RoleAssignmentResponse, ScopeQuery } from './schemas.js';

export function deleteRoleAssignment(app: App, services: Services) {
  app.delete('/roleassignments/:identifier', {
    schema: { tags: ['role assignments'], params: IdentifierParams, querystring: ScopeQuery, response: ok(RoleAssignmentResponse) },
  }, async (req) => {
    const { identifier } = req.params;
    const caller = principalOf(req);
    const scope = requestScope(req);
    await authorizeSome(services, caller, scope, ['manage']);

    // Authorized before the transaction (on SQLite it holds the one connection a permission lookup
    // needs), and checked again inside it against the assignment as it is then.
    const seen = await authorizedAssignment(services, caller, scope, identifier);
    const now = services.now();
    const deleted = await inTransaction(services.db, async (trx) => {
      const before = await getRoleAssignment(trx, scope, identifier);
      if (!before || !samePrincipal(before.roleAssignment.principal, seen.principal)) throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
      // Deleted since it was read (PostgreSQL: a concurrent deletion committed first): missing.
      const found = await keepingAnAccountAdmin(trx, services.store.engine, scope.accountIdentifier, () => storeDelete(trx, scope, identifier));
      if (!found) throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
      await recordAudit(trx, auditActor(req), {
        action: 'DELETE', resource: { type: 'ROLEASSIGNMENT', identifier }, scope, before: before.roleAssignment,
      }, now);
      return before;
    });
    services.invalidation.publish(invalidationFor(deleted));
    return success(roleAssignmentDto(deleted), req.correlationId);
  });
}
