// Console login, session, CSRF, logout and password change (SPEC §3, §5).
import { describe, expect } from 'vitest';
import { describeEachEngine, it, type Client } from '../helpers/harness.js';

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

  it('clears sessions that ended without a logout when someone logs in', async () => {
    const db = h().store.db;
    const ended = { id_hash: 'e'.repeat(64), user_id: h().admin.id, csrf_token: 'x', created_at: Date.now() - 2_000, expires_at: Date.now() - 1_000 };
    await db.insertInto('sessions').values(ended).execute();
    await h().login(h().admin.email, h().admin.password);
    expect(await db.selectFrom('sessions').select('id_hash').where('id_hash', '=', ended.id_hash).execute()).toEqual([]);
    // Live ones stay: the admin's client still has its session.
    expect((await h().admin.client.get('/api/auth/session')).status).toBe(200);
  });

  it('throttles after 10 failures for one email with 429 and Retry-After', async () => {
    const email = 'throttled@example.com';
    for (let i = 0; i < 10; i++) await h().anonymous.post('/api/auth/login', { email, password: 'wrong-password' });
    const res = await h().anonymous.post('/api/auth/login', { email, password: 'wrong-password' });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('checks at most 10 passwords of an email when 40 attempts come at once; a right one among them does not count', async () => {
    const user = await h().createUser();
    const attempts = Array.from({ length: 40 }, (_, i) => i === 0
      ? h().anonymous.post('/api/auth/login', { email: user.email, password: user.password })
      : h().anonymous.post('/api/auth/login', { email: user.email, password: `wrong-at-once-${i}` }));
    const answers = await Promise.all(attempts);
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 401).length + statuses.filter((s) => s === 429).length + statuses.filter((s) => s === 200).length).toBe(40);
    // A right password let through gave its attempt back: ten wrong ones in all are checked, never more.
    let after = 0;
    while ((await h().anonymous.post('/api/auth/login', { email: user.email, password: `wrong-after-${after}` })).status === 401) after++;
    expect(statuses.filter((s) => s === 401).length + after).toBe(10);
  });

  describe('PUT /api/auth/password', () => {
    const change = (client: Client, currentPassword: string, newPassword = 'a-brand-new-password') =>
      client.put('/api/auth/password', { currentPassword, newPassword });
    const storedHash = async (id: string) =>
      (await h().store.db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;

    it('200: the right current password changes it; the new one logs in, the old one no longer', async () => {
      const user = await h().createUser();
      const res = await change(user.client, user.password);
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toBe(true);
      expect((await h().anonymous.post('/api/auth/login', { email: user.email, password: 'a-brand-new-password' })).status).toBe(200);
      expect((await h().anonymous.post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(401);
    });

    it('400 INVALID_ARGUMENT for a wrong current password, which changes nothing', async () => {
      const user = await h().createUser();
      const before = await storedHash(user.id);
      const res = await change(user.client, 'not-my-password');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'currentPassword: the current password is not correct' });
      expect(await storedHash(user.id)).toBe(before);
    });

    it('401 without credentials', async () => {
      const res = await h().anonymous.put('/api/auth/password', { currentPassword: 'whatever-1', newPassword: 'whatever-2' });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });

    it('429 as login answers it after 10 wrong current passwords: the right one is refused too, and login is locked', async () => {
      const user = await h().createUser();
      const before = await storedHash(user.id);
      for (let i = 0; i < 10; i++) expect((await change(user.client, `wrong-guess-${i}`)).status).toBe(400);
      const res = await change(user.client, user.password);
      expect(res.status, res.text).toBe(429);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ status: 'ERROR', code: 'TOO_MANY_REQUESTS', message: 'Too many login attempts, try again later' });
      const retryAfter = Number(res.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 15 * 60).toBe(true);
      expect(await storedHash(user.id)).toBe(before);
      const login = await h().anonymous.post('/api/auth/login', { email: user.email, password: user.password });
      expect(login.status).toBe(429);
      expect({ ...login.body, correlationId: null }).toEqual({ ...res.body, correlationId: null });
    });

    it('429 when failed logins and wrong current passwords together reach 10 for the email', async () => {
      const user = await h().createUser();
      for (let i = 0; i < 5; i++) expect((await h().anonymous.post('/api/auth/login', { email: user.email, password: `wrong-${i}` })).status).toBe(401);
      for (let i = 0; i < 5; i++) expect((await change(user.client, `wrong-guess-${i}`)).status).toBe(400);
      expect((await change(user.client, user.password)).status).toBe(429);
    });
  });
});
