// POST /api/auth/logout: ends the session on the server and clears the cookie.
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { ok } from '../../http/schemas.js';
import { SESSION_COOKIE } from '../../auth/authenticate.js';
import { clearCookie } from '../../http/cookies.js';
import { secureCookies } from '../../config.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { deleteSession } from '../../store/sessions.js';
import { inTransaction } from '../../store/transaction.js';
import { auditActor, principalOf } from '../../http/request-scope.js';

export function logout(app: App, services: Services) {
  app.post('/api/auth/logout', { schema: { tags: ['auth'], response: ok(Type.Boolean()) } }, async (req, reply) => {
    const principal = principalOf(req);
    if (principal.sessionIdHash) {
      const idHash = principal.sessionIdHash;
      await inTransaction(services.db, async (trx) => {
        await deleteSession(trx, idHash);
        await recordAudit(trx, auditActor(req), {
          action: 'LOGOUT', resource: { type: 'USER', identifier: principal.identifier },
          scope: { accountIdentifier: principal.accountIdentifier, orgIdentifier: null, projectIdentifier: null },
        }, services.now());
      });
    }
    clearCookie(reply, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(services.config) });
    return success(true, req.correlationId);
  });
}
