// A shutdown has a time limit: a request that never ends (here a client that stops half-way through
// its body; a store that stopped answering does the same) cannot keep a SIGTERM'd server alive.
// After KEYSMITH_SHUTDOWN_TIMEOUT_MS it logs that it gave up draining, and what it waited for, and exits.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRE_SERVICES } from '../helpers/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = existsSync(join(ROOT, 'dist/cli/index.js'));
const PASSWORD = 'shutdown-test-password';

if (!BUILT) {
  if (REQUIRE_SERVICES) throw new Error('test/server/shutdown.test.ts: dist/cli/index.js is missing — run `npm run build:server` (npm ci does)');
  console.warn('\n*** keysmith shutdown tests SKIPPED: dist/cli/index.js does not exist; run `npm run build:server` first ***\n');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

describe.skipIf(!BUILT)('shutdown (process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-shutdown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives up draining after KEYSMITH_SHUTDOWN_TIMEOUT_MS, says so, and exits', async () => {
    const port = await freePort();
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of Object.keys(env)) {
      if (name.startsWith('KEYSMITH_') || name === 'DATABASE_URL' || name === 'REDIS_URL') delete env[name];
    }
    const child = spawn(process.execPath, [join(ROOT, 'bin/keysmith.js'), 'serve'], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env, KEYSMITH_DATA_DIR: dir, KEYSMITH_PORT: String(port), KEYSMITH_HOST: '127.0.0.1', KEYSMITH_SHUTDOWN_TIMEOUT_MS: '1000',
        // Last-used times are written by the shutdown only.
        KEYSMITH_ADMIN_PASSWORD: PASSWORD, KEYSMITH_LAST_USED_FLUSH_MS: '3600000',
      },
    });
    let output = '';
    child.stdout!.on('data', (c) => { output += c; });
    child.stderr!.on('data', (c) => { output += c; });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((resolve) => child.once('exit', (code) => { exitCode = code; resolve(); }));
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (exitCode !== undefined) throw new Error(`keysmith exited before it was ready:\n${output}`);
        if (Date.now() > deadline) throw new Error(`keysmith never became ready:\n${output}`);
        try { if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break; } catch { /* not listening yet */ }
        await new Promise((r) => setTimeout(r, 100));
      }
      // A token used once: its last use is pending, to be written by the shutdown.
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@keysmith.local', password: PASSWORD }),
      });
      const session = await login.json() as { data: { csrfToken: string; uuid: string; defaultAccountId: string } };
      const cookie = login.headers.getSetCookie().find((c) => c.startsWith('keysmith_session='))!.split(';')[0]!;
      const account = session.data.defaultAccountId;
      const created = await fetch(`${base}/ng/api/token?accountIdentifier=${account}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.data.csrfToken },
        body: JSON.stringify({
          identifier: 'used', name: 'used', apiKeyIdentifier: 'k', parentIdentifier: session.data.uuid, apiKeyType: 'USER', accountIdentifier: account,
        }),
      });
      const token = (await created.json() as { data: string }).data;
      expect((await fetch(`${base}/ng/api/user/currentUser`, { headers: { 'x-api-key': token } })).status).toBe(200);

      // A request whose body never comes: Fastify would wait for it for ever.
      const stalled = connect(port, '127.0.0.1');
      stalled.on('error', () => {});
      await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
      stalled.write('POST /api/auth/login HTTP/1.1\r\nHost: keysmith\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
      await new Promise((r) => setTimeout(r, 300));

      child.kill('SIGTERM');
      await exited;
      stalled.destroy();
      expect(exitCode).toBe(1);
      const lines = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.find((line) => line.msg === 'shutting down')).toBeDefined();
      expect(lines.find((line) => String(line.msg).startsWith('gave up draining after 1000 ms (KEYSMITH_SHUTDOWN_TIMEOUT_MS)')))
        .toMatchObject({ waitingFor: 'waiting for requests in flight', timeoutMs: 1000 });
      // Given up, the drain still left the token's last use written.
      const db = new Database(join(dir, 'keysmith.db'), { readonly: true });
      try {
        const row = db.prepare('select last_used_at from tokens where identifier = ?').get('used') as { last_used_at: unknown };
        expect(row.last_used_at).not.toBeNull();
      } finally {
        db.close();
      }
    } finally {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exited;
    }
  }, 90_000);
});
