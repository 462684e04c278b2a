// A client has KEYSMITH_REQUEST_TIMEOUT_MS to send its whole request: one that trickles its body (or
// stops half-way) is answered 408 in the Harness envelope and its connection closed, rather than
// holding it — and a shutdown's drain — for ever (Fastify's own default is no limit).
import { connect } from 'node:net';
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';

describeEachEngine('request timeout', (h) => {
  it('answers 408 INVALID_REQUEST to a request whose body does not arrive in time, and closes', async () => {
    if (!h().app.server.listening) await h().app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h().app.server.address() as { port: number };
    const started = Date.now();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        // Headers in full, then 10 of the 100 bytes promised, then nothing.
        socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":"`);
      });
      let text = '';
      socket.on('data', (chunk) => { text += chunk; });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    const elapsed = Date.now() - started;
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(raw).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 'ERROR', code: 'INVALID_REQUEST', message: 'Request timed out' });
    // The limit is 1 s and Node looks at its connections every second: not before, and not much after.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(15_000);
  });
}, { env: { KEYSMITH_REQUEST_TIMEOUT_MS: '1000' } });
