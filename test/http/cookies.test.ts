// The session cookie is read and written without a plugin (src/http/cookies.ts): what browsers send
// is read the way the cookie RFC says, and what is set carries the attributes the console relies on.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { clearCookie, cookieOf, setCookie } from '../../src/http/cookies.js';
import { describeEachEngine, it as engineIt } from '../helpers/harness.js';

const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as unknown as FastifyRequest;

function fakeReply() {
  const headers: Record<string, unknown> = {};
  const reply = {
    getHeader: (name: string) => headers[name],
    header(name: string, value: unknown) { headers[name] = value; return reply; },
  };
  return { reply: reply as unknown as FastifyReply, headers };
}

describe('cookieOf', () => {
  it('finds a cookie among others, whatever the spacing, and takes the first of two', () => {
    expect(cookieOf(request('a=1; keysmith_session=abc; b=2'), 'keysmith_session')).toBe('abc');
    expect(cookieOf(request('keysmith_session=first;keysmith_session=second'), 'keysmith_session')).toBe('first');
    expect(cookieOf(request('  keysmith_session = spaced  '), 'keysmith_session')).toBe('spaced');
  });

  it('unquotes and percent-decodes a value, and keeps a malformed escape as sent', () => {
    expect(cookieOf(request('s="quoted"'), 's')).toBe('quoted');
    expect(cookieOf(request('s=a%20b'), 's')).toBe('a b');
    expect(cookieOf(request('s=100%'), 's')).toBe('100%');
  });

  it('answers undefined without a header, without the cookie, or for a prefix of another name', () => {
    expect(cookieOf(request(), 's')).toBeUndefined();
    expect(cookieOf(request(''), 's')).toBeUndefined();
    expect(cookieOf(request('other=1; novalue'), 's')).toBeUndefined();
    expect(cookieOf(request('keysmith_session_old=1'), 'keysmith_session')).toBeUndefined();
  });
});

describe('setCookie and clearCookie', () => {
  it('write every attribute asked for, and add to cookies set before', () => {
    const { reply, headers } = fakeReply();
    setCookie(reply, 'a', 'x', { path: '/' });
    setCookie(reply, 'keysmith_session', 'abc-_1', {
      path: '/', httpOnly: true, secure: true, sameSite: 'lax', expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
    });
    expect(headers['set-cookie']).toEqual([
      'a=x; Path=/',
      'keysmith_session=abc-_1; Path=/; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Secure; SameSite=Lax',
    ]);
  });

  it('clears with an empty value that has expired', () => {
    const { reply, headers } = fakeReply();
    clearCookie(reply, 'keysmith_session', { path: '/', httpOnly: true, sameSite: 'lax' });
    expect(headers['set-cookie']).toEqual(['keysmith_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax']);
  });

  it('refuses a value that would break the header', () => {
    const { reply } = fakeReply();
    expect(() => setCookie(reply, 's', 'a;b', { path: '/' })).toThrow();
    expect(() => setCookie(reply, 's', 'a\r\nSet-Cookie: x=y', { path: '/' })).toThrow();
  });
});

describeEachEngine('session cookie over HTTP', (h) => {
  engineIt('is set by login, accepted among other cookies, and cleared by logout', async () => {
    const login = await h().anonymous.post('/api/auth/login', { email: h().admin.email, password: h().admin.password });
    const set = [login.headers['set-cookie']].flat().find((c) => c?.startsWith('keysmith_session='))!;
    expect(set).toMatch(/^keysmith_session=[A-Za-z0-9_-]{43}; Path=\/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$/);
    const cookie = `theme=dark; ${set.split(';')[0]}; other="x"`;
    const headers = { cookie, 'x-csrf-token': login.body.data.csrfToken };
    expect((await h().anonymous.get('/api/auth/session', { headers })).status).toBe(200);
    const logout = await h().anonymous.post('/api/auth/logout', {}, { headers });
    expect(logout.status).toBe(200);
    expect([logout.headers['set-cookie']].flat()).toEqual([expect.stringMatching(/^keysmith_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax$/)]);
    expect((await h().anonymous.get('/api/auth/session', { headers })).status).toBe(401);
  });
});
