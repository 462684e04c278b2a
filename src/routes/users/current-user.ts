// GET /ng/api/user/currentUser: who the caller is, for a console session or a token. A service
// account's token answers with the service account (its identifier as uuid, never an admin).
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { unauthorized } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getAccount } from '../../store/accounts.js';
import { getUser, userInfo } from '../../store/users.js';
import { UserInfo } from './schemas.js';

export function currentUser(app: App, services: Services) {
  app.get('/user/currentUser', { schema: { tags: ['users'], response: ok(UserInfo) } }, async (req) => {
    const principal = principalOf(req);
    if (principal.type === 'USER') {
      const user = await getUser(services.db, principal.accountIdentifier, principal.identifier);
      if (!user) throw unauthorized();
      return success(await userInfo(services.db, user), req.correlationId);
    }
    const account = await getAccount(services.db, principal.accountIdentifier);
    return success({
      uuid: principal.identifier,
      name: principal.name,
      email: principal.email,
      defaultAccountId: principal.accountIdentifier,
      admin: false,
      disabled: false,
      accounts: account ? [{ uuid: account.id, accountName: account.name }] : [],
    }, req.correlationId);
  });
}
