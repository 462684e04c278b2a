// Console login, session, CSRF and logout (SPEC §3).
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';

describeEachEngine('console login', (h) => {
  it('logs in with the right password, and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await h().anonymous.post('/api/auth/login', { email: h().admin.email, password: h().admin.password });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ uuid: h().admin.id, email: h().admin.email, admin: true, disabled: false, defaultAccountId: h().accountId });
    expect(res.body.data.csrfToken).toEqual(expect.any(String));
    const cookie = [res.headers['set-cookie']].flat().join(';');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const wrong = await h().anonymous.post('/api/auth/login', { email: h().admin.email, password: 'nope-nope' });
    const unknown = await h().anonymous.post('/api/auth/login', { email: 'ghost@example.com', password: 'nope-nope' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED', message: 'Invalid email or password' });
    }
  });

  it('returns the session for a live cookie, 401 without one', async () => {
    const res = await h().admin.client.get('/api/auth/session');
    expect(res.status).toBe(200);
    expect(res.body.data.csrfToken).toBe(h().admin.client.headers['x-csrf-token']);
    const anon = await h().anonymous.get('/api/auth/session');
    expect(anon.status).toBe(401);
    expect(anon.body).toMatchObject({ code: 'UNAUTHORIZED', message: 'Authentication required' });
  });

  it('refuses a cookie change without the X-CSRF-Token with 403 ACCESS_DENIED', async () => {
    const client = await h().login(h().admin.email, h().admin.password);
    const noCsrf = client.with({ 'x-csrf-token': 'wrong' });
    const res = await noCsrf.post('/api/auth/logout', {});
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ACCESS_DENIED');
  });

  it('ends the session on logout', async () => {
    const client = await h().login(h().admin.email, h().admin.password);
    expect((await client.post('/api/auth/logout', {})).status).toBe(200);
    expect((await client.get('/api/auth/session')).status).toBe(401);
  });

  it('throttles after 10 failures for one email with 429 and Retry-After', async () => {
    const email = 'throttled@example.com';
    for (let i = 0; i < 10; i++) await h().anonymous.post('/api/auth/login', { email, password: 'wrong-password' });
    const res = await h().anonymous.post('/api/auth/login', { email, password: 'wrong-password' });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
