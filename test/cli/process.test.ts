// `node bin/keysmith.js …` as an operator runs it: --version; migrate saying what it applied; the
// account and admin commands naming their store and refusing one that does not exist yet or has no
// account (creating nothing); errors naming the setting at fault, never a password; and what the
// operator typed echoed with its control characters escaped.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRE_SERVICES } from '../helpers/harness.js';
import { loadConfig } from '../../src/config.js';
import { openMigratedStore } from '../../src/server/configured-store.js';
import { bootstrapIfEmpty } from '../../src/store/accounts.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT = existsSync(join(ROOT, 'dist/cli/index.js'));
const TIMEOUT = 60_000;
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

if (!BUILT) {
  if (REQUIRE_SERVICES) throw new Error('test/cli/process.test.ts: dist/cli/index.js is missing — run `npm run build:server` (npm ci does)');
  console.warn('\n*** keysmith CLI process tests SKIPPED: dist/cli/index.js does not exist; run `npm run build:server` first ***\n');
}

interface Run { status: number | null; stdout: string; stderr: string }

/** Runs the CLI in `cwd` with only the given keysmith settings (none inherited from the test's environment). */
function keysmith(cwd: string, args: string[], settings: Record<string, string> = {}): Promise<Run> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith('KEYSMITH_') || name === 'DATABASE_URL' || name === 'REDIS_URL') delete env[name];
  }
  const child = spawn(process.execPath, [join(ROOT, 'bin/keysmith.js'), ...args], {
    cwd, env: { ...env, KEYSMITH_LOG_LEVEL: 'warn', ...settings }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { stderr += c; });
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

describe.skipIf(!BUILT)('keysmith CLI (process)', () => {
  const dirs: string[] = [];
  const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'keysmith-cli-process-')); dirs.push(d); return d; };
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  /** A data directory whose store has its first account, as after the server's first start. */
  async function bootstrapped(): Promise<string> {
    const dataDir = join(tempDir(), 'data');
    const { store } = await openMigratedStore(loadConfig({ KEYSMITH_DATA_DIR: dataDir }));
    try {
      await bootstrapIfEmpty(store.db, store.engine, { adminEmail: 'admin@keysmith.local', password: 'first-admin-password' });
    } finally {
      await store.close();
    }
    return dataDir;
  }

  it('--version and -V print the version of package.json', async () => {
    const dir = tempDir();
    for (const flag of ['--version', '-V']) {
      const run = await keysmith(dir, [flag]);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  }, TIMEOUT);

  it('--help says the commands take their store and settings from the environment', async () => {
    const run = await keysmith(tempDir(), ['--help']);
    expect(run.status, run.stderr).toBe(0);
    for (const name of ['serve', 'migrate', 'account', 'admin', 'KEYSMITH_DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'KEYSMITH_PORT']) expect(run.stdout).toContain(name);
  }, TIMEOUT);

  it('migrate names the store and says what it applied, then that the store is up to date', async () => {
    const dir = tempDir();
    const first = await keysmith(dir, ['migrate']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^store: SQLite ${join(dir, 'data', 'keysmith.db')}\napplied \\d+ migrations: 001_initial, 002_audit_actor_scope, 003_emails_nfc`));
    const second = await keysmith(dir, ['migrate']);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toBe(`store: SQLite ${join(dir, 'data', 'keysmith.db')}\nthe store is up to date: no migration was pending\n`);
  }, TIMEOUT);

  it('admin reset-password and account create in a directory without a store: refused, naming the path and KEYSMITH_DATA_DIR; nothing created', async () => {
    const dir = tempDir();
    const path = join(dir, 'data', 'keysmith.db');
    for (const args of [['admin', 'reset-password', '--email', 'admin@keysmith.local'], ['account', 'create', '--name', 'Acme', '--admin-email', 'a@acme.io']]) {
      const run = await keysmith(dir, args);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe(`store: SQLite ${path}\n`);
      expect(run.stderr).toBe(`keysmith: there is no keysmith store here: the SQLite file ${path} (KEYSMITH_DATA_DIR) does not exist. `
        + 'Run this with the server\'s KEYSMITH_DATA_DIR (or DATABASE_URL), or start the server once (`npx keysmith serve`) to create the store\n');
    }
    expect(readdirSync(dir)).toEqual([]);
  }, TIMEOUT);

  it('account create before the first start (a migrated store without account): refused; the first account stays the server\'s to make', async () => {
    const dir = tempDir();
    expect((await keysmith(dir, ['migrate'])).status).toBe(0);
    const run = await keysmith(dir, ['account', 'create', '--name', 'Acme', '--admin-email', 'a@acme.io']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`keysmith: SQLite ${join(dir, 'data', 'keysmith.db')} (KEYSMITH_DATA_DIR) has no account yet: start the server once`);
    const db = new SqliteDatabase(join(dir, 'data', 'keysmith.db'), { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from accounts').get()).toEqual({ n: 0 });
      expect(db.prepare('select count(*) as n from users').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, TIMEOUT);

  it('on a store with its first account: names it and works; what the operator typed is echoed with control characters escaped', async () => {
    const dataDir = await bootstrapped();
    const created = await keysmith(tempDir(), ['account', 'create', '--name', 'Acme', '--admin-email', 'a@acme.io', '--admin-password', 'acme-password'],
      { KEYSMITH_DATA_DIR: dataDir });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^store: SQLite ${join(dataDir, 'keysmith.db')}\naccount [A-Za-z0-9]{22} created\nadmin: a@acme.io\n$`));

    const sneaky = 'eve\u001b]0;owned\u0007\u001b[2J@example.com';
    const unknown = await keysmith(tempDir(), ['admin', 'reset-password', '--email', sneaky], { KEYSMITH_DATA_DIR: dataDir });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('keysmith: no user with email eve\\u001b]0;owned\\u0007\\u001b[2J@example.com\n');
    const badEmail = await keysmith(tempDir(), ['account', 'create', '--name', 'Evil', '--admin-email', sneaky], { KEYSMITH_DATA_DIR: dataDir });
    expect(badEmail.status).toBe(1);
    expect(badEmail.stderr).toContain('got "eve\\u001b]0;owned\\u0007\\u001b[2J@example.com"');
    for (const run of [unknown, badEmail]) expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  }, TIMEOUT);

  it('a data directory keysmith cannot use is named with KEYSMITH_DATA_DIR, for serve and migrate', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, '');
    for (const command of ['serve', 'migrate']) {
      const run = await keysmith(dir, [command], { KEYSMITH_DATA_DIR: file, KEYSMITH_PORT: '0' });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(`keysmith: data directory ${file} (KEYSMITH_DATA_DIR) is not a directory\n`);
    }
  }, TIMEOUT);

  it('DATABASE_URL: a malformed one, a refused connection, and a server that never answers are each named, without the password', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const dir = tempDir();
      const cases: [string[], Record<string, string>, string][] = [
        [['migrate'], { DATABASE_URL: 'postgres://keysmith:s3cret-pw@[db/keys' },
          'keysmith: DATABASE_URL is not a valid URL (postgres://user:password@host:5432/database; percent-encode special characters in the password)\n'],
        [['migrate'], { DATABASE_URL: 'postgres://keysmith:s3cret-pw@127.0.0.1:1/keys' },
          'keysmith: cannot connect to PostgreSQL at 127.0.0.1:1/keys (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1\n'],
        [['migrate'], { DATABASE_URL: `postgres://keysmith:s3cret-pw@127.0.0.1:${port}/keys`, KEYSMITH_DB_CONNECT_TIMEOUT_MS: '1000' },
          `keysmith: cannot connect to PostgreSQL at 127.0.0.1:${port}/keys (DATABASE_URL): no answer within 1 s (KEYSMITH_DB_CONNECT_TIMEOUT_MS)\n`],
        [['serve'], { DATABASE_URL: `postgres://keysmith:s3cret-pw@127.0.0.1:${port}/keys`, KEYSMITH_DB_CONNECT_TIMEOUT_MS: '1000', KEYSMITH_PORT: '0' },
          `keysmith: cannot connect to PostgreSQL at 127.0.0.1:${port}/keys (DATABASE_URL): no answer within 1 s (KEYSMITH_DB_CONNECT_TIMEOUT_MS)\n`],
        [['admin', 'reset-password', '--email', 'a@b.io'], { DATABASE_URL: `postgres://keysmith:s3cret-pw@127.0.0.1:${port}/keys`, KEYSMITH_DB_CONNECT_TIMEOUT_MS: '1000' },
          `keysmith: cannot connect to PostgreSQL at 127.0.0.1:${port}/keys (DATABASE_URL): no answer within 1 s (KEYSMITH_DB_CONNECT_TIMEOUT_MS)\n`],
      ];
      for (const [args, settings, stderr] of cases) {
        const run = await keysmith(dir, args, settings);
        expect(run.status, args.join(' ')).toBe(1);
        expect(run.stderr, args.join(' ')).toBe(stderr);
        expect(run.stdout + run.stderr).not.toContain('s3cret-pw');
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 120_000);
});
