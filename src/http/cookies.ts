// The console's one cookie, read and written here. A plugin that parses every request's Cookie
// header and runs an onSend hook on every answer costs the token-authenticated hot path for
// nothing: a cookie is read only when a request carries no token, and set only by login/logout.
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CookieOptions {
  path: string;
  httpOnly?: boolean;
  sameSite?: 'lax' | 'strict';
  secure?: boolean;
  expires?: Date;
}

/** Names and values we set are tokens of RFC 6265 (base64url values); anything else is a bug. */
const COOKIE_OCTETS = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

function decode(value: string): string {
  const unquoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  if (!unquoted.includes('%')) return unquoted;
  try { return decodeURIComponent(unquoted); } catch { return unquoted; }
}

/** The value of the first cookie called `name` in the request's Cookie header(s), if any. */
export function cookieOf(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    return decode(pair.slice(eq + 1).trim());
  }
  return undefined;
}

function serialize(name: string, value: string, options: CookieOptions & { maxAge?: number }): string {
  if (!COOKIE_OCTETS.test(name) || !COOKIE_OCTETS.test(value)) throw new Error(`cookie ${name}: value is not a cookie token`);
  let out = `${name}=${value}; Path=${options.path}`;
  if (options.expires) out += `; Expires=${options.expires.toUTCString()}`;
  if (options.maxAge !== undefined) out += `; Max-Age=${options.maxAge}`;
  if (options.httpOnly) out += '; HttpOnly';
  if (options.secure) out += '; Secure';
  if (options.sameSite) out += `; SameSite=${options.sameSite === 'lax' ? 'Lax' : 'Strict'}`;
  return out;
}

function append(reply: FastifyReply, cookie: string): void {
  const previous = reply.getHeader('set-cookie');
  const all = previous === undefined ? [] : Array.isArray(previous) ? previous.map(String) : [String(previous)];
  reply.header('set-cookie', [...all, cookie]);
}

export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  append(reply, serialize(name, value, options));
}

/** Tells the browser to drop the cookie: empty, expired, Max-Age 0. */
export function clearCookie(reply: FastifyReply, name: string, options: Omit<CookieOptions, 'expires'>): void {
  append(reply, serialize(name, '', { ...options, expires: new Date(0), maxAge: 0 }));
}
