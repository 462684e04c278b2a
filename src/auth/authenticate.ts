// Authenticates every request that is not public, before validation and before any lookup:
// a token (x-api-key or Authorization: Bearer) is the whole identity and the cookie is then
// ignored; otherwise a console session cookie, with the X-CSRF-Token rule for changes.
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { invalidToken, KeysmithError, Messages, unauthorized } from '../domain/errors.js';
import type { Services } from '../services.js';
import { findSession } from '../store/sessions.js';
import { cookieOf } from '../http/cookies.js';
import type { UserPrincipal } from './principal.js';

export const SESSION_COOKIE = 'keysmith_session';
const MAX_TOKEN_HEADER = 512;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The raw token a request carries, '' for a present-but-empty one, or null when none. */
export function tokenFromHeaders(headers: FastifyRequest['headers']): string | null {
  const apiKey = headers['x-api-key'];
  if (apiKey !== undefined) return (Array.isArray(apiKey) ? apiKey[0] : apiKey).trim();
  const authorization = headers.authorization;
  // `Bearer` alone is a present-but-empty token, as an empty x-api-key is (HTTP drops the space after it).
  if (typeof authorization === 'string' && /^bearer(?:\s|$)/i.test(authorization)) return authorization.slice(6).trim();
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The account a request names, as the query has it before validation (a token never acts in another). */
const namedAccount = (req: FastifyRequest): unknown => (req.query as Record<string, unknown> | undefined)?.accountIdentifier;

/**
 * The hot path: true when the request's token was verified before and is still cached, with
 * `req.principal` set, all without a promise; false when `authenticateRequest` must decide.
 */
export function authenticateCached(services: Services, req: FastifyRequest, now: number): boolean {
  const raw = tokenFromHeaders(req.headers);
  if (raw === null || raw.length === 0 || raw.length > MAX_TOKEN_HEADER) return false;
  const principal = services.tokens.authenticateCached(raw, now, namedAccount(req));
  if (principal === null) return false;
  req.principal = principal;
  return true;
}

export async function authenticateRequest(services: Services, req: FastifyRequest): Promise<void> {
  const raw = tokenFromHeaders(req.headers);
  if (raw !== null) {
    if (raw.length === 0 || raw.length > MAX_TOKEN_HEADER) throw invalidToken();
    const principal = await services.tokens.authenticate(raw, services.now(), namedAccount(req));
    req.principal = principal;
    return;
  }

  const cookie = cookieOf(req, SESSION_COOKIE);
  if (!cookie) throw unauthorized();
  const principal = await sessionPrincipal(services, cookie);
  if (!principal) throw unauthorized();
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !sameSecret(sent, principal.csrfToken)) {
      throw new KeysmithError('ACCESS_DENIED', Messages.csrf);
    }
  }
  req.principal = principal.user;
}

export async function sessionPrincipal(services: Services, cookie: string):
  Promise<{ user: UserPrincipal; csrfToken: string } | null> {
  const session = await findSession(services.db, cookie, services.now());
  if (!session) return null;
  const user = await services.db.selectFrom('users').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  if (!user || user.disabled) return null;
  return {
    csrfToken: session.csrf_token,
    user: {
      type: 'USER', identifier: user.id, accountIdentifier: user.account_id, email: user.email, name: user.name,
      via: 'session', token: null, sessionIdHash: session.id_hash,
    },
  };
}
