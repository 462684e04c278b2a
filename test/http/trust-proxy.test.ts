// Whose IP a request has behind a proxy (SPEC §7, KEYSMITH_TRUST_PROXY): the login throttle and the
// audit trail use it. A client writes what it likes at the start of X-Forwarded-For; the proxy in
// front appends the address it saw. So `true` believes one hop (that last address), a number that
// many, a list the named proxies; and unset, the header is not read at all.
import { expect } from 'vitest';
import { describeEachEngine, it, type Harness } from '../helpers/harness.js';

/** Logs the admin in through `forwardedFor` and answers the IP the audit trail gave that login. */
async function ipOfLogin(h: Harness, forwardedFor: string): Promise<string> {
  const login = await h.anonymous.post('/api/auth/login', { email: h.admin.email, password: h.admin.password },
    { headers: { 'x-forwarded-for': forwardedFor } });
  expect(login.status, login.text).toBe(200);
  const audits = await h.admin.client.get('/ng/api/audits', { query: { accountIdentifier: h.accountId, actions: 'LOGIN', pageSize: 1 } });
  expect(audits.status, audits.text).toBe(200);
  return audits.body.data.content[0].authenticationInfo.ip;
}

describeEachEngine('KEYSMITH_TRUST_PROXY=true', (h) => {
  it('takes the address the proxy in front appended, not what the client wrote before it', async () => {
    expect(await ipOfLogin(h(), '203.0.113.7')).toBe('203.0.113.7');
    expect(await ipOfLogin(h(), '9.9.9.9, 203.0.113.8')).toBe('203.0.113.8');
    expect(await ipOfLogin(h(), '1.1.1.1, 2.2.2.2, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('so a client cannot leave the per-IP login limit by writing a new address each time', async () => {
    const failures = [];
    for (let i = 0; i < 100; i++) {
      failures.push(h().anonymous.post('/api/auth/login', { email: `nobody${i}@example.com`, password: 'wrong-password' },
        { headers: { 'x-forwarded-for': `10.0.${i >> 8}.${i & 255}, 198.51.100.1` } }));
    }
    for (const res of await Promise.all(failures)) expect(res.status).toBe(401);
    const next = await h().anonymous.post('/api/auth/login', { email: 'someone@example.com', password: 'wrong-password' },
      { headers: { 'x-forwarded-for': '10.9.9.9, 198.51.100.1' } });
    expect(next.status, next.text).toBe(429);
    expect(next.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  }, 120_000); // a hundred failed logins, each checking a password hash
}, { env: { KEYSMITH_TRUST_PROXY: 'true' } });

describeEachEngine('KEYSMITH_TRUST_PROXY=2', (h) => {
  it('believes two hops: the address before the last two', async () => {
    expect(await ipOfLogin(h(), '9.9.9.9, 203.0.113.10, 10.0.0.2')).toBe('203.0.113.10');
  });
}, { env: { KEYSMITH_TRUST_PROXY: '2' } });

describeEachEngine('KEYSMITH_TRUST_PROXY as a list of proxies', (h) => {
  it('skips the listed proxies from the end, and stops at the first address that is not one', async () => {
    expect(await ipOfLogin(h(), '9.9.9.9, 203.0.113.11, 10.0.0.5')).toBe('203.0.113.11');
    expect(await ipOfLogin(h(), '9.9.9.9, 203.0.113.12')).toBe('203.0.113.12');
  });
}, { env: { KEYSMITH_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' } });

describeEachEngine('KEYSMITH_TRUST_PROXY unset', (h) => {
  it('reads no X-Forwarded-For: the IP is the connection\'s', async () => {
    expect(await ipOfLogin(h(), '203.0.113.13')).toBe('127.0.0.1');
  });
});
