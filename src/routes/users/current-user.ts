// GET /ng/api/user/currentUser: who the caller is, for a console session or a token. A service
// account's token answers with the service account (its identifier as uuid; `admin` when it holds
// `_account_admin` at account scope, as for a user).
// Answered from the principal verified for this request, with no query once warm: a disabled or
// deleted user does not authenticate (so `disabled` is false), a rename or a change of the owner
// drops the cached principal, and `admin` comes from the caller's cached permission snapshot.
//
// The answer's `data` is written once per principal and kept beside it (until the account's name or
// the admin flag changes, or the principal is dropped): clients call this on every start and often
// before each batch of calls, to check their token, so it is the API's most frequent request. Built
// from exactly UserInfo's fields, in its order, the text is what the route's schema would write
// (test/routes/current-user.test.ts compares the two); the schema stays declared for the OpenAPI
// document.
import type { FastifyReply } from 'fastify';
import type { App } from '../../http/app.js';
import { principalOf, requestScope } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import type { Services } from '../../services.js';
import type { Principal } from '../../auth/principal.js';
import { UserInfo } from './schemas.js';
import { correlationIdJson } from '../../http/correlation-id.js';

/** UserInfo of the caller, once the account name and the admin flag are known. */
function userInfoOf(principal: Principal, accountName: string | null, admin: boolean) {
  return {
    uuid: principal.identifier,
    name: principal.name,
    email: principal.email,
    defaultAccountId: principal.accountIdentifier,
    admin,
    disabled: false,
    accounts: accountName === null ? [] : [{ uuid: principal.accountIdentifier, accountName }],
  };
}

/** A principal's UserInfo as JSON, with what it was written from besides the principal. */
interface Written { accountName: string | null; admin: boolean; json: string }
const written = new WeakMap<Principal, Written>();

function answer(reply: FastifyReply, principal: Principal, accountName: string | null, admin: boolean, correlationId: string): void {
  let data = written.get(principal);
  if (data === undefined || data.accountName !== accountName || data.admin !== admin) {
    data = { accountName, admin, json: JSON.stringify(userInfoOf(principal, accountName, admin)) };
    written.set(principal, data);
  }
  reply.type('application/json; charset=utf-8')
    .send(`{"status":"SUCCESS","data":${data.json},"metaData":null,"correlationId":${correlationIdJson(correlationId, reply.request.headers['x-correlation-id'])}}`);
}

/** `answer` once the lookups not yet cached are in; a failed one goes to the error handler. */
function answerOnceKnown(reply: FastifyReply, principal: Principal, accountName: string | null | Promise<string | null>,
  admin: boolean | Promise<boolean>, correlationId: string): void {
  Promise.all([accountName, admin]).then(
    ([name, isAdmin]) => answer(reply, principal, name, isAdmin, correlationId),
    (err: unknown) => { reply.send(err); },
  );
}

export function currentUser(app: App, services: Services) {
  // Clients call this to check a token, so it is among the most frequent requests: once the name
  // and the snapshot are cached it answers without a promise (both lookups then return values).
  app.get('/user/currentUser', { schema: { tags: ['users'], response: ok(UserInfo) } }, (req, reply) => {
    const principal = principalOf(req);
    // Another account named: a token was refused already (401); a console user is denied (403).
    const named = (req.query as { accountIdentifier?: unknown }).accountIdentifier;
    if (named !== undefined && named !== principal.accountIdentifier) requestScope(req);
    const accountName = services.accountNames.nameOf(principal.accountIdentifier);
    const admin = services.authz.isAccountAdmin(principal);
    // Sent by `answer` either way; the handler returns nothing, so Fastify sends nothing of its own
    // (a promise's undefined would be sent again if the answer were still on its way).
    if (accountName instanceof Promise || admin instanceof Promise) answerOnceKnown(reply, principal, accountName, admin, req.correlationId);
    else answer(reply, principal, accountName, admin, req.correlationId);
  });
}
