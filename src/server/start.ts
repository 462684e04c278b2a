// Starts one keysmith instance: open the store, migrate, bootstrap an empty store, listen,
// and shut down cleanly on SIGTERM/SIGINT (stop accepting, drain, flush, close).
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { fileHoldsPassword } from '../auth/passwords.js';
import type { Config } from '../config.js';
import { randomString } from '../domain/ids.js';
import { escapeControls } from '../domain/validation.js';
import { buildApp, type App } from '../http/app.js';
import { bootstrapIfEmpty } from '../store/accounts.js';
import { migrate, openStore, type Store } from '../store/database.js';
import { findUserByEmail, firstAccountAdminEmail } from '../store/users.js';
import type { Services } from '../services.js';
import { createServices, REDIS_NEEDS_POSTGRES } from './services.js';

export const ADMIN_PASSWORD_FILE = 'initial-admin-password';

export async function openConfiguredStore(config: Config): Promise<Store> {
  const store = await openStore({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'keysmith.db') });
  await migrate(store.db);
  return store;
}

/**
 * `adminEmail`: the admin made now, else an enabled admin of the first account (null when none).
 * `passwordFile`: the file holding that admin's password, when it still signs them in.
 * `stalePasswordFile`: the file, when its password no longer does (changed since, in the console).
 * `keptPasswordFile`: where an earlier password file, of another store, was moved to make room.
 */
export interface BootstrapResult {
  created: boolean; adminEmail: string | null; passwordFile: string | null; stalePasswordFile: string | null; keptPasswordFile: string | null;
}

/** First start: create the account and admin; the password comes from the environment or a 0600 file. */
export async function bootstrap(config: Config, store: Store): Promise<BootstrapResult> {
  const passwordFile = join(config.dataDir, ADMIN_PASSWORD_FILE);
  const password = config.adminPassword ?? randomString(24);
  const created = await bootstrapIfEmpty(store.db, store.engine, { adminEmail: config.adminEmail, password });
  let keptPasswordFile: string | null = null;
  if (created && !config.adminPassword) {
    mkdirSync(config.dataDir, { recursive: true });
    // A file already here belongs to another store's first start (the data directory used with
    // SQLite, then with DATABASE_URL): its password is still that store's, so it is kept aside.
    if (existsSync(passwordFile)) {
      keptPasswordFile = `${passwordFile}.${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(passwordFile, keptPasswordFile);
    }
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  // On a later start KEYSMITH_ADMIN_EMAIL names nobody in particular: say who is admin.
  const adminEmail = created?.adminEmail ?? await firstAccountAdminEmail(store.db, config.adminEmail);
  // A password changed since (in the console) leaves the file behind: the banner must not point at it.
  const admin = !created && adminEmail ? await findUserByEmail(store.db, adminEmail) : undefined;
  const fileWorks = created ? existsSync(passwordFile) : !!admin && await fileHoldsPassword(passwordFile, admin.password_hash);
  return {
    created: !!created,
    adminEmail,
    passwordFile: fileWorks ? passwordFile : null,
    stalePasswordFile: !fileWorks && existsSync(passwordFile) ? passwordFile : null,
    keptPasswordFile,
  };
}

export interface RunningServer { app: App; services: Services; url: string; stop(): Promise<void> }

const LOCK_FILE = 'keysmith.lock';

/**
 * One server per SQLite data directory. A second would keep its own caches and counters: a token
 * revoked through one would still be let in by the other until its cache entry expired, and each
 * would allow a key its whole budget. So the server holds an exclusive lock on a small file beside
 * the store for as long as it runs: SQLite's own file lock, which the system drops when the process
 * ends however it ends (kill -9 included), so there is never a stale lock to clear by hand. The
 * CLI's commands take no lock: they run beside a server, as the store allows.
 */
function lockDataDir(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const lock = new SqliteDatabase(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (since TEXT); COMMIT');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    throw new Error(`another keysmith server is already serving ${dataDir}: SQLite takes one server per data directory `
      + '(stop that one first, or run several on PostgreSQL with DATABASE_URL and REDIS_URL)');
  }
  return { release: () => lock.close() };
}

export async function startServer(config: Config): Promise<RunningServer> {
  if (config.redisUrl && !config.databaseUrl) throw new Error(REDIS_NEEDS_POSTGRES); // before touching a SQLite file
  const lock = config.databaseUrl ? null : lockDataDir(config.dataDir);
  try {
    return await startLocked(config, () => lock?.release());
  } catch (err) {
    lock?.release();
    throw err;
  }
}

async function startLocked(config: Config, unlock: () => void): Promise<RunningServer> {
  const store = await openConfiguredStore(config);
  const boot = await bootstrap(config, store);
  const services = await createServices(config, store);
  const app = await buildApp(services);
  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port; // KEYSMITH_PORT=0 picks one
  const url = config.publicUrl ?? `http://${shownHost}:${port}`;

  // The banner goes to stdout directly, never through the logger.
  const lines = [
    '',
    `  keysmith is running at ${url}`,
    `  storage: ${store.engine === 'sqlite' ? join(config.dataDir, 'keysmith.db') : 'PostgreSQL (DATABASE_URL)'}`,
    ...(config.redisUrl ? [`  redis:   ${services.redisStatus() === 'up' ? 'connected' : 'UNREACHABLE (limits per instance until it returns)'}, prefix ${config.redisPrefix}`] : []),
    `  admin:   ${boot.adminEmail ?? 'no enabled account admin (give one back with `npx keysmith admin reset-password --email <email>`)'}`,
    boot.created && config.adminPassword
      ? '  password: the value of KEYSMITH_ADMIN_PASSWORD'
      : boot.passwordFile
        ? `  password: in ${boot.passwordFile}`
        : '  password: as set before (reset with `npx keysmith admin reset-password --email <email>`)',
    ...(boot.stalePasswordFile ? [`  (${boot.stalePasswordFile} holds the first password, which no longer signs in: delete it)`] : []),
    ...(boot.keptPasswordFile ? [`  (the password file that was there, another store's, is now ${boot.keptPasswordFile})`] : []),
    '',
  ];
  // Text only: an email or a path stored before emails were checked for them could hold characters
  // that steer the operator's terminal (ESC, BEL, bidirectional overrides).
  process.stdout.write(lines.map(escapeControls).join('\n') + '\n');

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await app.close(); // stops accepting, waits for in-flight requests
      await services.lastUsed.flush();
      await services.close();
      await store.close();
      unlock();
    })();
    return stopping;
  };
  return { app, services, url, stop };
}

export function stopOnSignals(server: RunningServer): void {
  const onSignal = (signal: string) => {
    server.services.logger.info({ signal }, 'shutting down');
    server.stop().then(() => process.exit(0), (err) => {
      server.services.logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}
