// Starts one keysmith instance: open the store, migrate, bootstrap an empty store, listen,
// and shut down on SIGTERM/SIGINT (stop accepting, drain, flush, close), giving up after KEYSMITH_SHUTDOWN_TIMEOUT_MS.
import { closeSync, existsSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { fileHoldsPassword } from '../auth/passwords.js';
import { redisTarget, type Config } from '../config.js';
import { randomString } from '../domain/ids.js';
import { buildApp, type App } from '../http/app.js';
import { bootstrapIfEmpty, countAccounts } from '../store/accounts.js';
import type { Store } from '../store/database.js';
import { findUserByEmail, firstAccountAdminEmail } from '../store/users.js';
import type { Services } from '../services.js';
import { bannerText, httpUrl, localUrl } from './banner.js';
import { openMigratedStore, prepareDataDir, storeDescription } from './configured-store.js';
import { createServices, REDIS_NEEDS_POSTGRES } from './services.js';

export const ADMIN_PASSWORD_FILE = 'initial-admin-password';

/** The configured store, created when missing and migrated (see configured-store.ts). */
export async function openConfiguredStore(config: Config): Promise<Store> {
  return (await openMigratedStore(config)).store;
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
  // The generated password goes to the data directory: find out it cannot before the admin has it.
  if (!config.adminPassword && (await countAccounts(store.db)) === 0) prepareDataDir(config.dataDir);
  const created = await bootstrapIfEmpty(store.db, store.engine, { adminEmail: config.adminEmail, password });
  let keptPasswordFile: string | null = null;
  if (created && !config.adminPassword) {
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

export interface RunningServer {
  app: App; services: Services; url: string; stop(): Promise<void>;
  /** What a shutdown under way is waiting for, for the log when it takes too long. */
  stage(): string;
}

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
  prepareDataDir(dataDir);
  const lockFile = join(dataDir, LOCK_FILE);
  try { closeSync(openSync(lockFile, 'a', 0o600)); } catch (err) {
    throw new Error(`cannot create the lock file ${lockFile} (KEYSMITH_DATA_DIR): ${(err as Error).message}`);
  }
  const lock = new SqliteDatabase(lockFile, { timeout: 0 });
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
  let services: Services | null = null;
  let app: App | null = null;
  let boot: BootstrapResult;
  try {
    boot = await bootstrap(config, store);
    services = await createServices(config, store);
    app = await buildApp(services);
    await app.listen({ port: config.port, host: config.host }).catch((err: Error) => {
      throw new Error(`cannot listen on ${httpUrl(config.host, config.port)} (KEYSMITH_HOST, KEYSMITH_PORT): ${err.message}`);
    });
  } catch (err) {
    await app?.close().catch(() => {});
    await services?.close();
    await store.close().catch(() => {});
    throw err;
  }
  const address = app.server.address();
  const bound = typeof address === 'object' && address ? { address: address.address, port: address.port } : null;
  const port = bound?.port ?? config.port; // KEYSMITH_PORT=0 picks one
  const url = config.publicUrl ?? localUrl(config.host, port);
  const redis = config.redisUrl
    ? `${services.redisStatus() === 'up' ? 'connected' : 'UNREACHABLE (limits per instance until it returns)'} to ${redisTarget(config.redisUrl)}, prefix ${config.redisPrefix}`
    : null;
  process.stdout.write(bannerText({
    url, bound: config.publicUrl ? bound : null, storage: storeDescription(config), redis, boot, adminPasswordFromEnv: !!config.adminPassword,
  }));

  const running = services;
  let stage = 'not stopping';
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      stage = 'waiting for requests in flight';
      await app.close(); // stops accepting, waits for in-flight requests
      stage = 'writing token last-used times';
      await running.lastUsed.flush();
      stage = 'closing connections (Redis, timers)';
      await running.close();
      stage = 'closing the store';
      await store.close();
      unlock();
    })();
    return stopping;
  };
  return { app, services: running, url, stop, stage: () => stage };
}

/**
 * SIGTERM and SIGINT stop the server: stop accepting, drain, flush, close. A shutdown that is still
 * waiting after KEYSMITH_SHUTDOWN_TIMEOUT_MS (a request stuck on a store that stopped answering, a
 * client that never finishes sending its body) is given up: it says what it was waiting for and the
 * process exits anyway, as a supervisor would otherwise kill it without a word.
 */
/** How long a shutdown that gave up draining still gives the last write of last-used times. */
const LAST_WRITE_MS = 2_000;

export function stopOnSignals(server: RunningServer): void {
  const { logger, config } = server.services;
  let stopping = false;
  const onSignal = (signal: string, reason?: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, ...(reason ? { reason } : {}) }, 'shutting down');
    const giveUp = setTimeout(() => {
      logger.error({ waitingFor: server.stage(), timeoutMs: config.shutdownTimeoutMs },
        `gave up draining after ${config.shutdownTimeoutMs} ms (KEYSMITH_SHUTDOWN_TIMEOUT_MS): exiting with work unfinished`);
      // The drain is given up, not the tokens' last-used times: one more write of them, for at most
      // LAST_WRITE_MS (nothing is pending if the shutdown got past its own flush).
      const lastWrite = new Promise((resolve) => setTimeout(resolve, LAST_WRITE_MS).unref());
      Promise.race([server.services.lastUsed.flush().catch(() => {}), lastWrite]).finally(() => process.exit(1));
    }, config.shutdownTimeoutMs);
    server.stop().then(() => {
      clearTimeout(giveUp);
      process.exit(0);
    }, (err) => {
      clearTimeout(giveUp);
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  // `npx keysmith serve` runs the server under `sh -c`, which does not pass a signal on: npx hands
  // its SIGTERM to the shell, the shell dies, and the server would go on serving with no parent,
  // holding the port and the store. There (npm names the run `npx`), losing that parent is taken
  // as the SIGTERM it stands for.
  if (process.env.npm_lifecycle_event === 'npx') {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      onSignal('SIGTERM', 'the npx process that started the server is gone');
    }, 250);
    watch.unref();
  }
}
