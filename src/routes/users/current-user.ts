// GET /ng/api/user/currentUser: who the caller is, for a console session or a token. A service
// account's token answers with the service account (its identifier as uuid; `admin` when it holds
// `_account_admin` at account scope, as for a user).
// Answered from the principal verified for this request, with no query once warm: a disabled or
// deleted user does not authenticate (so `disabled` is false), a rename or a change of the owner
// drops the cached principal, and `admin` comes from the caller's cached permission snapshot.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import type { Principal } from '../../auth/principal.js';
import { UserInfo } from './schemas.js';

/** UserInfo of the caller, once the account name and the admin flag are known. */
function userInfoOf(principal: Principal, accountName: string | null, admin: boolean, correlationId: string) {
  return success({
    uuid: principal.identifier,
    name: principal.name,
    email: principal.email,
    defaultAccountId: principal.accountIdentifier,
    admin,
    disabled: false,
    accounts: accountName === null ? [] : [{ uuid: principal.accountIdentifier, accountName }],
  }, correlationId);
}

export function currentUser(app: App, services: Services) {
  // Clients call this to check a token, so it is among the most frequent requests: once the name
  // and the snapshot are cached it answers without a promise (both lookups then return values).
  app.get('/user/currentUser', { schema: { tags: ['users'], response: ok(UserInfo) } }, (req) => {
    const principal = principalOf(req);
    // Another account named: a token was refused already (401); a console user is denied (403).
    const named = (req.query as { accountIdentifier?: unknown }).accountIdentifier;
    if (named !== undefined && named !== principal.accountIdentifier) requestScope(req);
    const accountName = services.accountNames.nameOf(principal.accountIdentifier);
    const admin = services.authz.isAccountAdmin(principal);
    if (accountName instanceof Promise || admin instanceof Promise) {
      return Promise.all([accountName, admin]).then(([name, isAdmin]) => userInfoOf(principal, name, isAdmin, req.correlationId));
    }
    return userInfoOf(principal, accountName, admin, req.correlationId);
  });
}
