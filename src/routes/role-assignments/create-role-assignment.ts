// POST /roleassignments: assigns a role on a resource group to a user, group or service account at
// the request's scope.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { assertScopeExists, auditActor, holdScope, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { newRoleAssignmentIdentifier } from '../../store/accounts.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockGrantParts, lockPrincipals } from '../../store/locks.js';
import { isUniqueViolation } from '../../store/database.js';
import { findSameAssignment, getRoleAssignment, insertRoleAssignment, type RoleAssignment } from '../../store/role-assignments.js';
import { inTransaction } from '../../store/transaction.js';
import { invalidationFor, roleAssignmentDto } from './dto.js';
import { authorizeManage } from './principal-access.js';
import { checkPrincipalScopeLevel, checkRoleAndResourceGroup, resolvePrincipal } from './resolve.js';
import { RoleAssignmentBody, RoleAssignmentResponse, ScopeQuery } from './schemas.js';

export function createRoleAssignment(app: App, services: Services) {
  app.post('/roleassignments', {
    schema: { tags: ['role assignments'], querystring: ScopeQuery, body: RoleAssignmentBody, response: ok(RoleAssignmentResponse) },
  }, async (req) => {
    const body = req.body;
    const scope = requestScope(req);
    const requested = { type: body.principal.type, identifier: body.principal.identifier, scopeLevel: body.principal.scopeLevel ?? null };
    await authorizeManage(services, principalOf(req), scope, requested);
    checkPrincipalScopeLevel(scope, body.principal.scopeLevel);
    await assertScopeExists(services.db, scope);

    const now = services.now();
    const created = await inTransaction(services.db, async (trx) => {
      // The scope and the principal cannot be deleted under the new assignment; the principal's lock
      // is exclusive so that two concurrent creates of the same grant cannot both find none (the
      // check below), which on PostgreSQL stored it twice.
      await holdScope(trx, services.store.engine, scope);
      await lockPrincipals(trx, services.store.engine, scope.accountIdentifier, [requested], 'exclusive');
      await lockGrantParts(trx, services.store.engine, scope.accountIdentifier,
        [{ type: 'ROLE', identifier: body.roleIdentifier }, { type: 'RESOURCE_GROUP', identifier: body.resourceGroupIdentifier }], 'shared');
      await checkRoleAndResourceGroup(trx, scope, body.roleIdentifier, body.resourceGroupIdentifier);
      const assignment: RoleAssignment = {
        identifier: body.identifier ?? newRoleAssignmentIdentifier(),
        roleIdentifier: body.roleIdentifier,
        resourceGroupIdentifier: body.resourceGroupIdentifier,
        principal: await resolvePrincipal(trx, scope, requested),
        disabled: body.disabled ?? false,
        managed: false,
      };
      if (await getRoleAssignment(trx, scope, assignment.identifier)) throw duplicateField(Messages.duplicateRoleAssignment(assignment.identifier));
      const same = await findSameAssignment(trx, scope, assignment);
      if (same) throw duplicateField(Messages.sameRoleAssignment(same));
      const record = await insertRoleAssignment(trx, scope, assignment, now).catch((err: unknown) => {
        throw isUniqueViolation(err) ? duplicateField(Messages.duplicateRoleAssignment(assignment.identifier)) : err;
      });
      await recordAudit(trx, auditActor(req), {
        action: 'CREATE', resource: { type: 'ROLEASSIGNMENT', identifier: assignment.identifier }, scope, after: assignment,
      }, now);
      return record;
    });
    services.invalidation.publish(invalidationFor(created));
    return success(roleAssignmentDto(created), req.correlationId);
  });
}
