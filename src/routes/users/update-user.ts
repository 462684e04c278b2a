// PUT /ng/api/user/{uuid}: rename (anyone may rename themself) or disable/enable (core_user_manage).
// Disabling ends the user's sessions and, on every instance, their tokens; the last enabled
// account admin cannot be disabled.
import { denial } from '../../auth/authorize.js';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, invalidRequest, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { inTransaction } from '../../store/transaction.js';
import {
  enabledAccountAdminCount, getUser, isAccountAdmin, lockAccountAdmins, updateUserProfile, userInfo,
} from '../../store/users.js';
import { AccountQuery, UpdateUserBody, UserInfo, UserParams } from './schemas.js';

export function updateUser(app: App, services: Services) {
  app.put('/user/:uuid', {
    schema: { tags: ['users'], params: UserParams, querystring: AccountQuery, body: UpdateUserBody, response: ok(UserInfo) },
  }, async (req) => {
    const { uuid } = req.params;
    const principal = principalOf(req);
    const scope = accountScope(req);
    const { db } = services;

    // A user may rename themself; anything else, or changing their own disabled flag, needs
    // core_user_manage. Asked here (on SQLite the transaction holds the one connection the lookup
    // needs); whether the flag changes is judged inside it, against the user as they are then: an
    // admin may be disabling them at this very moment.
    const self = principal.type === 'USER' && principal.identifier === uuid && principal.accountIdentifier === scope.accountIdentifier;
    const resource = { scope, type: 'USER', identifier: uuid } as const;
    const mayManage = !self || req.body.disabled != null ? await services.authz.isAllowed(principal, 'core_user_manage', resource) : false;
    if (!self && !mayManage) throw denial(principal, 'core_user_manage', resource);

    const now = services.now();
    const actor = auditActor(req);
    const { before, after } = await inTransaction(db, async (trx) => {
      await lockAccountAdmins(trx, services.store.engine, scope.accountIdentifier);
      const user = await getUser(trx, scope.accountIdentifier, uuid);
      if (!user) throw entityNotFound(Messages.userNotFound(uuid));
      const before = { name: user.name, disabled: !!user.disabled };
      const after = { name: req.body.name ?? user.name, disabled: req.body.disabled ?? !!user.disabled };
      if (after.disabled !== before.disabled && !mayManage) throw denial(principal, 'core_user_manage', resource);
      if (after.disabled && !before.disabled && await isAccountAdmin(trx, scope.accountIdentifier, uuid, 'guarding')
        && await enabledAccountAdminCount(trx, scope.accountIdentifier) <= 1) {
        throw invalidRequest(Messages.lastAccountAdmin('disable'));
      }
      await updateUserProfile(trx, uuid, after, now);
      if (after.disabled && !before.disabled) await deleteUserSessions(trx, uuid);
      await recordAudit(trx, actor, { action: 'UPDATE', resource: { type: 'USER', identifier: uuid }, scope, before, after }, now);
      return { before, after };
    });
    // Cached principals carry the name (currentUser answers from them) and the enabled state.
    if (before.disabled !== after.disabled || before.name !== after.name) {
      services.invalidation.publish({
        kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: 'USER', principalIdentifier: uuid,
      });
    }
    const user = await getUser(db, scope.accountIdentifier, uuid);
    if (!user) throw entityNotFound(Messages.userNotFound(uuid)); // deleted meanwhile
    return success(await userInfo(db, user), req.correlationId);
  });
}
