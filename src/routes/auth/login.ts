// POST /api/auth/login: email and password → session cookie, UserInfo and the CSRF token.
import { hash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { noStore, success } from '../../http/envelope.js';
import { ok } from '../../http/schemas.js';
import { tooManyRequests, unauthorized, Messages } from '../../domain/errors.js';
import { dummyHash, verifyPassword } from '../../auth/passwords.js';
import { SESSION_COOKIE } from '../../auth/authenticate.js';
import { setCookie } from '../../http/cookies.js';
import { secureCookies } from '../../config.js';
import type { Services } from '../../services.js';
import { recordAudit } from '../../store/audit-events.js';
import { createSession, purgeExpiredSessions } from '../../store/sessions.js';
import { inTransaction } from '../../store/transaction.js';
import { findUserByEmail, userInfo } from '../../store/users.js';
import { SessionInfo } from './schemas.js';
import { normalizeEmail } from '../../domain/validation.js';

/**
 * What failed logins are counted under: the email and, for a user that exists, a fingerprint of
 * their current password hash (salted, so it changes with every new password). A password reset —
 * `keysmith admin reset-password`, the lock-out recovery, or a change from the console — starts a
 * fresh count, so the new password works at once; until then a locked email stays locked, for the
 * right password too (or the 429 would tell a guesser when a guess was right).
 */
export function loginThrottleKey(email: string, passwordHash: string | null): string {
  return passwordHash === null ? email : `${email}#${hash('sha256', passwordHash, 'hex').slice(0, 16)}`;
}

export function login(app: App, services: Services) {
  app.post('/api/auth/login', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }),
      response: ok(SessionInfo),
    },
  }, async (req, reply) => {
    const email = normalizeEmail(req.body.email.trim());
    const user = await findUserByEmail(services.db, email);
    const throttleKey = loginThrottleKey(email, user?.password_hash ?? null);
    const attempt = await services.loginThrottle.reserve(throttleKey, req.ip);
    if (attempt.waitSeconds !== null) throw tooManyRequests(Messages.tooManyLoginAttempts, attempt.waitSeconds);

    // Unknown email and wrong password take the same time and give the same answer; the attempt
    // stays counted.
    const valid = await verifyPassword(req.body.password, user?.password_hash ?? await dummyHash());
    if (!user || !valid || user.disabled) throw unauthorized(Messages.invalidLogin);
    await attempt.succeeded();
    // Sessions that ended without a logout are cleared here, so their rows do not pile up (in a
    // statement of its own: the login's transaction need not hold the store while it runs).
    await purgeExpiredSessions(services.db, services.now());
    const session = await inTransaction(services.db, async (trx) => {
      const created = await createSession(trx, user.id, services.config.sessionTtlMs, services.now());
      const ua = req.headers['user-agent'];
      await recordAudit(trx, { principal: { type: 'USER', identifier: user.id }, ip: req.ip, userAgent: typeof ua === 'string' ? ua : null },
        { action: 'LOGIN', resource: { type: 'USER', identifier: user.id }, scope: { accountIdentifier: user.account_id, orgIdentifier: null, projectIdentifier: null } },
        services.now());
      return created;
    });
    setCookie(reply, SESSION_COOKIE, session.cookieValue, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies(services.config),
      expires: new Date(session.expiresAt),
    });
    noStore(reply);
    return success({ ...(await userInfo(services.db, user)), csrfToken: session.csrfToken }, req.correlationId);
  });
}
