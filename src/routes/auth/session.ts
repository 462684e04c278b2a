// GET /api/auth/session: the live session's UserInfo and CSRF token, so the console survives a reload.
import type { App } from '../../http/app.js';
import { noStore, success } from '../../http/envelope.js';
import { ok } from '../../http/schemas.js';
import { invalidRequest, Messages, unauthorized } from '../../domain/errors.js';
import { SESSION_COOKIE, sessionPrincipal } from '../../auth/authenticate.js';
import { cookieOf } from '../../http/cookies.js';
import type { Services } from '../../services.js';
import { getUser, userInfo } from '../../store/users.js';
import { SessionInfo } from './schemas.js';

export function session(app: App, services: Services) {
  app.get('/api/auth/session', { schema: { tags: ['auth'], response: ok(SessionInfo) } }, async (req, reply) => {
    const principal = req.principal;
    if (!principal) throw unauthorized();
    if (principal.type !== 'USER') throw invalidRequest(Messages.sessionOfServiceAccount);
    const user = await getUser(services.db, principal.accountIdentifier, principal.identifier);
    if (!user) throw unauthorized();
    // A token caller has a user but no session, so no CSRF token.
    const cookie = cookieOf(req, SESSION_COOKIE);
    const live = principal.via === 'session' && cookie ? await sessionPrincipal(services, cookie) : null;
    noStore(reply);
    return success({ ...(await userInfo(services.db, user)), csrfToken: live?.csrfToken ?? null }, req.correlationId);
  });
}
