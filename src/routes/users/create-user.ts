// POST /ng/api/user: an admin creates a user who signs in with email and password.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, auditActor, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { duplicateField, Messages } from '../../domain/errors.js';
import { hashPassword } from '../../auth/passwords.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { isUniqueViolation } from '../../store/database.js';
import { inTransaction } from '../../store/transaction.js';
import { findUserByEmail, insertUser, userInfo } from '../../store/users.js';
import { AccountQuery, CreateUserBody, UserInfo } from './schemas.js';
import { normalizeEmail } from '../../domain/validation.js';

export function createUser(app: App, services: Services) {
  app.post('/user', {
    schema: { tags: ['users'], querystring: AccountQuery, body: CreateUserBody, response: ok(UserInfo) },
  }, async (req) => {
    const scope = accountScope(req);
    await services.authz.authorize(principalOf(req), 'core_user_manage', { scope, type: 'USER', identifier: null });
    const email = normalizeEmail(req.body.email);
    const passwordHash = await hashPassword(req.body.password);
    const now = services.now();
    const actor = auditActor(req);
    const user = await inTransaction(services.db, async (trx) => {
      // Emails are unique across accounts: they are what a user signs in with.
      if (await findUserByEmail(trx, email)) throw duplicateField(Messages.duplicateUser(email));
      const created = await insertUser(trx, { accountId: scope.accountIdentifier, email, name: req.body.name, passwordHash }, now);
      await recordAudit(trx, actor, {
        action: 'CREATE', resource: { type: 'USER', identifier: created.id }, scope,
        after: { uuid: created.id, email, name: created.name, disabled: false },
      }, now);
      return created;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err)) throw duplicateField(Messages.duplicateUser(email));
      throw err;
    });
    return success(await userInfo(services.db, user), req.correlationId);
  });
}
