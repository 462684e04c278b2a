// GET /ng/api/user/currentUser: who the caller is, for a console session or a token. A service
// account's token answers with the service account (its identifier as uuid, never an admin).
// Answered from the principal verified for this request, with no query once warm: a disabled or
// deleted user does not authenticate (so `disabled` is false), a rename or a change of the owner
// drops the cached principal, and `admin` comes from the caller's cached permission snapshot.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import { UserInfo } from './schemas.js';

export function currentUser(app: App, services: Services) {
  app.get('/user/currentUser', { schema: { tags: ['users'], response: ok(UserInfo) } }, async (req) => {
    const principal = principalOf(req);
    const accountName = await services.accountNames.nameOf(principal.accountIdentifier);
    return success({
      uuid: principal.identifier,
      name: principal.name,
      email: principal.email,
      defaultAccountId: principal.accountIdentifier,
      admin: await services.authz.isAccountAdmin(principal),
      disabled: false,
      accounts: accountName === null ? [] : [{ uuid: principal.accountIdentifier, accountName }],
    }, req.correlationId);
  });
}
