// DELETE /user-groups/{identifier}: deletes the group, its memberships and its role assignments
// (answering the deleted group, as Harness does). Refused when it would leave the account without an admin.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { auditActor, principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockPrincipals, lockScope } from '../../store/locks.js';
import { keepingAnAccountAdmin } from '../../store/role-assignments.js';
import { inTransaction } from '../../store/transaction.js';
import { deleteUserGroup as storeDelete, getUserGroup } from '../../store/user-groups.js';
import { userGroupDto } from './dto.js';
import { IdentifierParams, ScopeQuery, UserGroup } from './schemas.js';

export function deleteUserGroup(app: App, services: Services) {
  app.delete('/user-groups/:identifier', {
    schema: { tags: ['user groups'], params: IdentifierParams, querystring: ScopeQuery, response: ok(UserGroup) },
  }, async (req) => {
    const { identifier } = req.params;
    const scope = requestScope(req);
    await services.authz.authorize(principalOf(req), 'core_usergroup_manage', { scope, type: 'USERGROUP', identifier });

    const now = services.now();
    const deleted = await inTransaction(services.db, async (trx) => {
      // First: grants being written for the group finish before, or find it gone after.
      await lockScope(trx, services.store.engine, scope, 'shared');
      await lockPrincipals(trx, services.store.engine, scope.accountIdentifier, [{ type: 'USER_GROUP', identifier }], 'exclusive');
      const before = await getUserGroup(trx, scope, identifier);
      if (!before) throw entityNotFound(Messages.userGroupNotFound(identifier));
      const roleAssignments = await keepingAnAccountAdmin(trx, services.store.engine, scope.accountIdentifier,
        () => storeDelete(trx, scope, identifier));
      await recordAudit(trx, auditActor(req), {
        action: 'DELETE', resource: { type: 'USERGROUP', identifier }, scope, before: { ...before, roleAssignments },
      }, now);
      return before;
    });
    services.invalidation.publish({ kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: 'USER_GROUP', principalIdentifier: identifier, permissionsOnly: true });
    return success(userGroupDto(deleted), req.correlationId);
  });
}
