// PUT /roleassignments/{identifier}: enables or disables an assignment — the only change Harness
// allows on one. Disabling the last account admin's assignment is refused.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { getRoleAssignment, keepingAnAccountAdmin, setRoleAssignmentDisabled } from '../../store/role-assignments.js';
import { inTransaction } from '../../store/transaction.js';
import { invalidationFor, roleAssignmentDto } from './dto.js';
import { authorizedAssignment, authorizeSome, samePrincipal } from './principal-access.js';
import { checkPrincipalScopeLevel } from './resolve.js';
import { IdentifierParams, RoleAssignmentBody, RoleAssignmentResponse, ScopeQuery } from './schemas.js';

export function updateRoleAssignment(app: App, services: Services) {
  app.put('/roleassignments/:identifier', {
    schema: {
      tags: ['role assignments'], params: IdentifierParams, querystring: ScopeQuery, body: RoleAssignmentBody, response: ok(RoleAssignmentResponse),
    },
  }, async (req) => {
    const { identifier } = req.params;
    const body = req.body;
    const caller = principalOf(req);
    const scope = requestScope(req);
    await authorizeSome(services, caller, scope, ['manage']);
    if (body.identifier && body.identifier !== identifier) throw invalidRequest(Messages.roleAssignmentIdentifierMismatch);
    checkPrincipalScopeLevel(scope, body.principal.scopeLevel);

    // Authorized before the transaction (on SQLite it holds the one connection a permission lookup
    // needs), and checked again inside it against the assignment as it is then.
    const seen = await authorizedAssignment(services, caller, scope, identifier);
    const now = services.now();
    const updated = await inTransaction(services.db, async (trx) => {
      const before = await getRoleAssignment(trx, scope, identifier);
      if (!before || !samePrincipal(before.roleAssignment.principal, seen.principal)) throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
      const a = before.roleAssignment;
      const changed = a.roleIdentifier !== body.roleIdentifier ? 'roleIdentifier'
        : a.resourceGroupIdentifier !== body.resourceGroupIdentifier ? 'resourceGroupIdentifier'
          : a.principal.type !== body.principal.type || a.principal.identifier !== body.principal.identifier
            || (body.principal.scopeLevel && body.principal.scopeLevel !== a.principal.scopeLevel) ? 'principal' : null;
      if (changed) throw invalidRequest(Messages.roleAssignmentImmutable(changed));
      const disabled = body.disabled ?? false;
      if (disabled !== a.disabled) {
        const found = await keepingAnAccountAdmin(trx, services.store.engine, scope.accountIdentifier,
          () => setRoleAssignmentDisabled(trx, scope, identifier, disabled, now));
        if (!found) throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
      }
      // Deleted since it was read (PostgreSQL: a concurrent deletion committed first): missing.
      const after = await getRoleAssignment(trx, scope, identifier);
      if (!after) throw entityNotFound(Messages.roleAssignmentNotFound(identifier));
      await recordAudit(trx, auditActor(req), {
        action: 'UPDATE', resource: { type: 'ROLEASSIGNMENT', identifier }, scope, before: a, after: after.roleAssignment,
      }, now);
      return after;
    });
    services.invalidation.publish(invalidationFor(updated));
    return success(roleAssignmentDto(updated), req.correlationId);
  });
}
