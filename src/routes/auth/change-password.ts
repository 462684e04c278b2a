// PUT /api/auth/password: the signed-in user changes their password; their other sessions end.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { ok } from '../../http/schemas.js';
import { invalidArgument, invalidRequest, Messages, tooManyRequests, unauthorized } from '../../domain/errors.js';
import { hashPassword, PASSWORD_MAX, PASSWORD_MIN, verifyPassword } from '../../auth/passwords.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteUserSessions } from '../../store/sessions.js';
import { inTransaction } from '../../store/transaction.js';
import { getUser } from '../../store/users.js';
import { auditActor, principalOf } from '../../http/request-scope.js';
import { loginThrottleKey } from './login.js';

export function changePassword(app: App, services: Services) {
  app.put('/api/auth/password', {
    schema: {
      tags: ['auth'],
      body: Type.Object({
        currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
        newPassword: Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
      }),
      response: ok(Type.Boolean()),
    },
  }, async (req) => {
    const principal = principalOf(req);
    if (principal.type !== 'USER') throw invalidRequest(Messages.passwordOfServiceAccount);
    const user = await getUser(services.db, principal.accountIdentifier, principal.identifier);
    if (!user) throw unauthorized();
    // A wrong current password is a failed login: the same count, so a session is no way round the
    // login throttle, and a locked email is refused before the password is checked, as login does.
    const throttleKey = loginThrottleKey(user.email, user.password_hash);
    const attempt = await services.loginThrottle.reserve(throttleKey, req.ip);
    if (attempt.waitSeconds !== null) throw tooManyRequests(Messages.tooManyLoginAttempts, attempt.waitSeconds);
    if (!(await verifyPassword(req.body.currentPassword, user.password_hash))) {
      throw invalidArgument('currentPassword: the current password is not correct');
    }
    await attempt.succeeded();
    const hash = await hashPassword(req.body.newPassword);
    await inTransaction(services.db, async (trx) => {
      await trx.updateTable('users').set({ password_hash: hash, last_modified_at: services.now() }).where('id', '=', user.id).execute();
      await deleteUserSessions(trx, user.id, principal.sessionIdHash);
      await recordAudit(trx, auditActor(req), {
        action: 'PASSWORD_CHANGE', resource: { type: 'USER', identifier: user.id },
        scope: { accountIdentifier: user.account_id, orgIdentifier: null, projectIdentifier: null },
      }, services.now());
    });
    return success(true, req.correlationId);
  });
}
