// CORS, off by default and turned on by KEYSMITH_CORS_ORIGINS (SPEC §7): an allowed origin can use
// the whole API from a browser (every method it serves, with credentials) and read the headers a
// client needs; any other origin is not allowed.
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { NG } from '../helpers/api-keys.js';

const ORIGIN = 'https://console.example';

describeEachEngine('CORS with KEYSMITH_CORS_ORIGINS', (h) => {
  it('a preflight from an allowed origin allows every method the API serves, with credentials', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const res = await h().anonymous.request('OPTIONS', `${NG}/apikey/some_key`, undefined, {
        headers: { origin: ORIGIN, 'access-control-request-method': method, 'access-control-request-headers': 'x-api-key,content-type,x-csrf-token' },
      });
      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(String(res.headers['access-control-allow-methods']).split(/,\s*/)).toContain(method);
      expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('x-api-key');
    }
  });

  it('lets the page read the correlation id and Retry-After', async () => {
    const res = await h().anonymous.get('/healthz', { headers: { origin: ORIGIN } });
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    const exposed = String(res.headers['access-control-expose-headers']).toLowerCase().split(',').map((s) => s.trim());
    expect(exposed).toEqual(expect.arrayContaining(['x-correlation-id', 'retry-after']));
  });

  it('does not allow another origin', async () => {
    const res = await h().anonymous.request('OPTIONS', `${NG}/apikey`, undefined, {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
    });
    // Without Access-Control-Allow-Origin the browser refuses, whatever else the answer carries.
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
}, { env: { KEYSMITH_CORS_ORIGINS: `${ORIGIN},https://other.example` } });

describeEachEngine('CORS by default', (h) => {
  it('sends no CORS headers when no origin is configured', async () => {
    const res = await h().anonymous.get('/healthz', { headers: { origin: ORIGIN } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
