// DELETE /ng/api/user/{uuid}: the user and what is theirs (API keys and tokens, group memberships,
// role assignments, sessions) go in one transaction; the last enabled account admin cannot go.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { lockPrincipals } from '../../store/locks.js';
import { inTransaction } from '../../store/transaction.js';
import {
  deleteUserAndContents, enabledAccountAdminCount, getUser, isAccountAdmin, lockAccountAdmins,
} from '../../store/users.js';
import { AccountQuery, UserParams } from './schemas.js';

export function deleteUser(app: App, services: Services) {
  app.delete('/user/:uuid', {
    schema: { tags: ['users'], params: UserParams, querystring: AccountQuery, response: ok(Type.Boolean()) },
  }, async (req) => {
    const { uuid } = req.params;
    const scope = accountScope(req);
    await services.authz.authorize(principalOf(req), 'core_user_manage', { scope, type: 'USER', identifier: uuid });
    const now = services.now();
    const actor = auditActor(req);
    await inTransaction(services.db, async (trx) => {
      // First: keys, memberships and grants being written for the user finish before, or find it gone after.
      await lockPrincipals(trx, services.store.engine, scope.accountIdentifier, [{ type: 'USER', identifier: uuid }], 'exclusive');
      await lockAccountAdmins(trx, services.store.engine, scope.accountIdentifier);
      const user = await getUser(trx, scope.accountIdentifier, uuid);
      if (!user) throw entityNotFound(Messages.userNotFound(uuid));
      if (!user.disabled && await isAccountAdmin(trx, scope.accountIdentifier, uuid, 'guarding')
        && await enabledAccountAdminCount(trx, scope.accountIdentifier) <= 1) {
        throw invalidRequest(Messages.lastAccountAdmin('delete'));
      }
      const deletedContents = await deleteUserAndContents(trx, scope.accountIdentifier, uuid);
      await recordAudit(trx, actor, {
        action: 'DELETE', resource: { type: 'USER', identifier: uuid }, scope,
        before: { uuid, email: user.email, name: user.name, disabled: !!user.disabled }, after: { deletedContents },
      }, now);
    });
    services.invalidation.publish({
      kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: 'USER', principalIdentifier: uuid,
    });
    return success(true, req.correlationId);
  });
}
