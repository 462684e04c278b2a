// `node bin/keysmith.js serve` as a user runs it: first start on an empty data directory (banner,
// 0600 password file, the admin logs in, the password never printed); two servers started at once
// on one SQLite data directory (one serves, the other refuses; one account, the file intact); and
// `npm start` stopped by SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PASSWORD_HASH_COST } from '../../src/auth/passwords.js';
import { REQUIRE_SERVICES } from '../helpers/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = existsSync(join(ROOT, 'dist/cli/index.js'));
const ADMIN_EMAIL = 'admin@keysmith.local';
const TIMEOUT = 90_000;

if (!BUILT) {
  if (REQUIRE_SERVICES) throw new Error('test/server/process.test.ts: dist/cli/index.js is missing — run `npm run build:server` (npm ci does)');
  console.warn('\n*** keysmith process tests SKIPPED: dist/cli/index.js does not exist; run `npm run build:server` first ***\n');
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

interface Running {
  port: number; url: string; output(): string; exitedWith(): string | null; stop(): Promise<void>; kill(signal: NodeJS.Signals): void;
}

/** keysmith serving `dataDir`, started by `command` (`node bin/keysmith.js serve` unless told). */
async function serve(dataDir: string, command: string[] = [process.execPath, join(ROOT, 'bin/keysmith.js'), 'serve']): Promise<Running> {
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('KEYSMITH_') || name === 'DATABASE_URL' || name === 'REDIS_URL') delete env[name];
  }
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    env: { ...env, KEYSMITH_DATA_DIR: dataDir, KEYSMITH_PORT: String(port), KEYSMITH_HOST: '127.0.0.1', KEYSMITH_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => { output += c; });
  child.stderr!.on('data', (c) => { output += c; });
  let exitedWith: string | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => { exitedWith = String(code ?? signal); resolve(); }));
  return {
    port, url: `http://127.0.0.1:${port}`, output: () => output, exitedWith: () => exitedWith,
    async stop() {
      if (exitedWith === null) child.kill('SIGTERM');
      await exited;
    },
    kill(signal) { child.kill(signal); },
  };
}

/** Polls /readyz until it answers 200; fails with the process's output if it never does. */
async function waitReady(server: Running): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const exit = server.exitedWith();
    if (exit !== null) throw new Error(`keysmith exited (${exit}) before it was ready:\n${server.output()}`);
    try {
      const res = await fetch(`${server.url}/readyz`);
      if (res.status === 200) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`keysmith never became ready:\n${server.output()}`);
}

async function login(server: Running, password: string): Promise<Response> {
  return fetch(`${server.url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password }),
  });
}

describe.skipIf(!BUILT)('keysmith serve (process)', () => {
  const dirs: string[] = [];
  const running: Running[] = [];
  const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'keysmith-process-')); dirs.push(d); return d; };
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('first start: ready, a 0600 password file the banner names, the admin logs in, the password is never printed', async () => {
    const dir = tempDir();
    const server = await serve(dir);
    running.push(server);
    await waitReady(server);

    const passwordFile = join(dir, 'initial-admin-password');
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(password.length).toBeGreaterThanOrEqual(16);

    const res = await login(server, password);
    expect(res.status).toBe(200);
    expect((await res.json() as any).data).toMatchObject({ email: ADMIN_EMAIL, admin: true });
    const wrong = await login(server, `${password}x`);
    expect(wrong.status).toBe(401);

    await server.stop();
    // A real server hashes at the full cost (the suite's own in-process hashes are cheaper: test/setup.ts).
    const db = new SqliteDatabase(join(dir, 'keysmith.db'), { readonly: true });
    try {
      const { password_hash: hash } = db.prepare('select password_hash from users').get() as { password_hash: string };
      const { N, r, p } = PASSWORD_HASH_COST;
      expect(hash).toMatch(new RegExp(`^scrypt\\$${N}\\$${r}\\$${p}\\$`));
    } finally {
      db.close();
    }
    const output = server.output();
    expect(output).toContain(`running at http://127.0.0.1:${server.port}`);
    expect(output).toContain(ADMIN_EMAIL);
    expect(output).toContain(passwordFile);
    expect(output).not.toContain(password);
  }, TIMEOUT);

  it('two servers started at once on one SQLite data directory: one serves, the other refuses and says why; the file intact', async () => {
    const dir = tempDir();
    const [a, b] = await Promise.all([serve(dir), serve(dir)]);
    running.push(a, b);
    const exited = (r: Running) => new Promise<void>((resolve) => {
      const poll = () => (r.exitedWith() !== null ? resolve() : setTimeout(poll, 100));
      poll();
    });
    // The one that lost the lock exits at once; the other becomes ready.
    const loser = await Promise.race([exited(a).then(() => a), exited(b).then(() => b)]);
    const winner = loser === a ? b : a;
    expect(loser.exitedWith()).toBe('1');
    expect(loser.output()).toContain(`keysmith: another keysmith server is already serving ${dir}: SQLite takes one server per data directory`);
    await waitReady(winner);
    const password = readFileSync(join(dir, 'initial-admin-password'), 'utf8').trim();
    expect((await login(winner, password)).status).toBe(200);

    // The CLI still works beside the running server; a third server is refused too.
    const migrate = spawnSync(process.execPath, [join(ROOT, 'bin/keysmith.js'), 'migrate'], {
      cwd: ROOT, env: { ...process.env, KEYSMITH_DATA_DIR: dir, DATABASE_URL: '', REDIS_URL: '' }, encoding: 'utf8',
    });
    expect(migrate.status, migrate.stderr).toBe(0);
    const third = await serve(dir);
    running.push(third);
    await exited(third);
    expect(third.exitedWith()).toBe('1');

    // Killed outright, the server leaves no lock behind: the next one starts.
    winner.kill('SIGKILL');
    await exited(winner);
    const next = await serve(dir);
    running.push(next);
    await waitReady(next);
    expect((await login(next, password)).status).toBe(200);
    await next.stop();

    const db = new SqliteDatabase(join(dir, 'keysmith.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((db.prepare('select count(*) as n from accounts').get() as { n: number }).n).toBe(1);
      expect((db.prepare('select count(*) as n from users').get() as { n: number }).n).toBe(1);
      expect((db.prepare("select count(*) as n from organizations where identifier = 'default'").get() as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
  }, TIMEOUT);

  it('`npm start` hands SIGTERM to the server: it shuts down cleanly and nothing is left serving', async () => {
    const dir = tempDir();
    const server = await serve(dir, ['npm', 'start']);
    running.push(server);
    await waitReady(server);
    await server.stop(); // SIGTERM to npm, as a supervisor or `docker stop` sends it
    expect(server.output()).toContain('"msg":"shutting down"');
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, TIMEOUT);

  it('`npx keysmith serve` stops too when npx gets SIGTERM, though npx runs it under a shell that does not pass the signal on', async () => {
    const dir = tempDir();
    const server = await serve(dir, ['npx', '--yes', 'keysmith', 'serve']);
    running.push(server);
    await waitReady(server);
    await server.stop(); // SIGTERM to npx: it goes to the shell between npx and the server, which dies of it
    // The server, left without its parent, shuts down as on SIGTERM (its output still reaches the pipe).
    const deadline = Date.now() + 15_000;
    while (!server.output().includes('"msg":"shutting down"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(server.output()).toContain('"reason":"the npx process that started the server is gone"');
    let listening = true;
    while (listening && Date.now() < deadline) {
      listening = await fetch(`${server.url}/healthz`).then(() => true, () => false);
      if (listening) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listening).toBe(false);
  }, TIMEOUT);
});
