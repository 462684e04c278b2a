// A shutdown has a time limit: a request that never ends (here a client that stops half-way through
// its body; a store that stopped answering does the same) cannot keep a SIGTERM'd server alive.
// After KEYSMITH_SHUTDOWN_TIMEOUT_MS it logs that it gave up draining, and what it waited for, still
// writes the tokens' last-used times, and exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { createPat, describeWithBuiltServer, login, spawnServer } from '../crash/server-process.js';

const PASSWORD = 'shutdown-test-password';

describeWithBuiltServer('shutdown (process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-shutdown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives up draining after KEYSMITH_SHUTDOWN_TIMEOUT_MS, says so, writes last-used times, and exits', async () => {
    const server = await spawnServer(dir, {
      KEYSMITH_SHUTDOWN_TIMEOUT_MS: '1000', KEYSMITH_LOG_LEVEL: 'info',
      // Last-used times are written by the shutdown only.
      KEYSMITH_ADMIN_PASSWORD: PASSWORD, KEYSMITH_LAST_USED_FLUSH_MS: '3600000',
    });
    try {
      // A token used once: its last use is pending, to be written by the shutdown.
      const token = await createPat(server.url, await login(server.url, 'admin@keysmith.local', PASSWORD), 'k', 'used');
      expect((await fetch(`${server.url}/ng/api/user/currentUser`, { headers: { 'x-api-key': token } })).status).toBe(200);

      // A request whose body never comes: Fastify would wait for it for ever.
      const { port } = new URL(server.url);
      const stalled = connect(Number(port), '127.0.0.1');
      stalled.on('error', () => {});
      await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
      stalled.write('POST /api/auth/login HTTP/1.1\r\nHost: keysmith\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em');
      await new Promise((r) => setTimeout(r, 300));

      server.child.kill('SIGTERM');
      const { code } = await server.exited;
      stalled.destroy();
      expect(code).toBe(1);
      const lines = server.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
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
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
  }, 90_000);
});
