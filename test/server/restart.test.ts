// A restart on the same SQLite file keeps everything and creates nothing twice; the admin's
// generated password stays where the banner said, and still logs in.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ADMIN_PASSWORD_FILE, bootstrap, startServer, type RunningServer } from '../../src/server/start.js';
import { migrate, openStore } from '../../src/store/database.js';

describe('restart on the SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-restart-'));
  const config = loadConfig({ KEYSMITH_DATA_DIR: dir, KEYSMITH_PORT: '0', KEYSMITH_HOST: '127.0.0.1', KEYSMITH_LOG_LEVEL: 'warn' });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts a server, capturing its banner instead of printing it. */
  async function start(env: Record<string, string> = {}): Promise<{ server: RunningServer; banner: string }> {
    let banner = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { banner += String(chunk); return true; });
    try {
      return { server: await startServer({ ...config, ...(env.KEYSMITH_ADMIN_EMAIL ? { adminEmail: env.KEYSMITH_ADMIN_EMAIL } : {}) }), banner };
    } finally {
      write.mockRestore();
    }
  }

  async function login(server: RunningServer, password: string) {
    const res = await server.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: config.adminEmail, password } });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = String([res.headers['set-cookie']].flat()[0]).split(';')[0];
    return { cookie, csrf: res.json().data.csrfToken as string, accountId: res.json().data.defaultAccountId as string };
  }

  function counts() {
    const db = new SqliteDatabase(join(dir, 'keysmith.db'), { readonly: true });
    try {
      const n = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      return { accounts: n('accounts'), users: n('users'), organizations: n('organizations'), projects: n('projects'), roleAssignments: n('role_assignments') };
    } finally {
      db.close();
    }
  }

  it('keeps data, creates nothing twice, and the admin still logs in', async () => {
    const passwordFile = join(dir, ADMIN_PASSWORD_FILE);

    const first = await start();
    const password = readFileSync(passwordFile, 'utf8').trim();
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    expect(first.banner).toContain(config.adminEmail);
    expect(first.banner).toContain(passwordFile);
    expect(first.banner).not.toContain(password);
    const session = await login(first.server, password);
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(first.server.services.db)).rows[0] as object)[0];
    expect(await pragma('synchronous')).toBe(2); // FULL
    expect(await pragma('foreign_keys')).toBe(1);
    const created = await first.server.app.inject({
      method: 'POST', url: `/ng/api/organizations?accountIdentifier=${session.accountId}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      payload: { organization: { identifier: 'survives_restart', name: 'Survives' } },
    });
    expect(created.statusCode, created.body).toBe(200);
    await first.server.stop();
    const before = counts();
    expect(before).toMatchObject({ accounts: 1, users: 1, organizations: 2, projects: 1 });

    const second = await start();
    try {
      expect(counts()).toEqual(before);
      expect(readFileSync(passwordFile, 'utf8').trim()).toBe(password); // not regenerated
      expect(second.banner).toContain(config.adminEmail);
      const again = await login(second.server, password);
      expect(again.accountId).toBe(session.accountId);
      const org = await second.server.app.inject({
        method: 'GET', url: `/ng/api/organizations/survives_restart?accountIdentifier=${session.accountId}`, headers: { cookie: again.cookie },
      });
      expect(org.statusCode).toBe(200);
      expect(org.json().data.organization.name).toBe('Survives');
      // The old session was server-side and survives the restart too.
      const old = await second.server.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: session.cookie } });
      expect(old.statusCode).toBe(200);
    } finally {
      await second.server.stop();
    }
  });

  it('names the admin there is, not whoever KEYSMITH_ADMIN_EMAIL names on a later start', async () => {
    const later = await start({ KEYSMITH_ADMIN_EMAIL: 'nobody@example.com' });
    try {
      const adminLine = later.banner.split('\n').find((line) => line.trim().startsWith('admin:'));
      expect(adminLine).toContain(config.adminEmail);
      expect(later.banner).not.toContain('nobody@example.com');
    } finally {
      await later.server.stop();
    }
  });

  it('stops pointing at the password file once the admin changed the password in the console', async () => {
    const passwordFile = join(dir, ADMIN_PASSWORD_FILE);
    const password = readFileSync(passwordFile, 'utf8').trim();
    const before = await start();
    try {
      const session = await login(before.server, password);
      const changed = await before.server.app.inject({
        method: 'PUT', url: '/api/auth/password', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        payload: { currentPassword: password, newPassword: 'changed-in-the-console' },
      });
      expect(changed.statusCode, changed.body).toBe(200);
    } finally {
      await before.server.stop();
    }
    const after = await start();
    try {
      const passwordLine = after.banner.split('\n').find((line) => line.trim().startsWith('password:'));
      expect(passwordLine).toContain('as set before');
      expect(after.banner).toContain(`${passwordFile} holds the first password, which no longer signs in: delete it`);
      // Back to the file's password, for the tests after this one: the banner points at the file again.
      const session = await login(after.server, 'changed-in-the-console');
      const back = await after.server.app.inject({
        method: 'PUT', url: '/api/auth/password', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        payload: { currentPassword: 'changed-in-the-console', newPassword: password },
      });
      expect(back.statusCode, back.body).toBe(200);
    } finally {
      await after.server.stop();
    }
    const again = await start();
    await again.server.stop();
    expect(again.banner).toContain(`password: in ${passwordFile}`);
  });

  it('prints an admin email stored with terminal control characters escaped, never raw', async () => {
    const email = 'eve\u001b[2j\u0007@example.com';
    const db = new SqliteDatabase(join(dir, 'keysmith.db'));
    try {
      const account = (db.prepare('select id from accounts').get() as { id: string }).id;
      const now = Date.now();
      db.prepare('insert into users (id, account_id, email, name, password_hash, disabled, created_at, last_modified_at) values (?, ?, ?, ?, ?, 0, ?, ?)')
        .run('EveControlUser00000000', account, email, 'Eve', 'x', now, now);
      db.prepare(`insert into role_assignments (account_id, org_identifier, project_identifier, identifier, role_identifier, resource_group_identifier,
        principal_type, principal_identifier, principal_scope_level, disabled, managed, created_at, last_modified_at)
        values (?, '', '', 'eve_admin', '_account_admin', '_all_resources_including_child_scopes', 'USER', 'EveControlUser00000000', null, 0, 0, ?, ?)`)
        .run(account, now, now);
    } finally {
      db.close();
    }
    const later = await start({ KEYSMITH_ADMIN_EMAIL: email });
    await later.server.stop();
    expect(later.banner).toContain('admin:   eve\\u001b[2j\\u0007@example.com');
    expect(later.banner).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    const cleanup = new SqliteDatabase(join(dir, 'keysmith.db'));
    try {
      cleanup.prepare("delete from role_assignments where identifier = 'eve_admin'").run();
      cleanup.prepare("delete from users where id = 'EveControlUser00000000'").run();
    } finally {
      cleanup.close();
    }
  });

  it("a new store's first start keeps the password file another store left in the data directory", async () => {
    const passwordFile = join(dir, ADMIN_PASSWORD_FILE);
    const earlier = readFileSync(passwordFile, 'utf8');
    // Another store (as when DATABASE_URL is set on a data directory first used with SQLite).
    const other = await openStore({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'keysmith-other-')), 'other.db') });
    try {
      await migrate(other.db);
      const boot = await bootstrap(config, other);
      expect(boot.created).toBe(true);
      expect(boot.keptPasswordFile).toMatch(new RegExp(`^${passwordFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`));
      expect(readFileSync(boot.keptPasswordFile!, 'utf8')).toBe(earlier);
      expect(statSync(boot.keptPasswordFile!).mode & 0o777).toBe(0o600);
      expect(readFileSync(passwordFile, 'utf8')).not.toBe(earlier);
      expect(readdirSync(dir).filter((f) => f.startsWith(ADMIN_PASSWORD_FILE))).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('leaves the file in WAL mode and intact', () => {
    const db = new SqliteDatabase(join(dir, 'keysmith.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
