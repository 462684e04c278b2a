// Opens the store the configuration names — the SQLite file in KEYSMITH_DATA_DIR, or DATABASE_URL —
// for the server and the CLI, so that what goes wrong on the way is said with the setting at fault.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { postgresTarget, type Config } from '../config.js';
import { hasAccount, isQueryTimeout, migrate, openStore, type Store } from '../store/database.js';

export const SQLITE_FILE = 'keysmith.db';

/**
 * Migrations may rewrite whole tables, and wait for another instance's migration to finish (Kysely
 * locks its lock table): their queries may take this long, whatever KEYSMITH_DB_QUERY_TIMEOUT_MS
 * allows a request's query.
 */
export const MIGRATION_QUERY_TIMEOUT_MS = 15 * 60_000;

/** The store, as the banner and the CLI name it: a path, or PostgreSQL's host and database (never a password). */
export function storeDescription(config: Config): string {
  return config.databaseUrl ? `PostgreSQL at ${postgresTarget(config.databaseUrl)}` : `SQLite ${join(config.dataDir, SQLITE_FILE)}`;
}

/** The setting that chose the store. */
function storeSetting(config: Config): string {
  return config.databaseUrl ? 'DATABASE_URL' : 'KEYSMITH_DATA_DIR';
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The data directory, created (0700) when missing; refused, naming KEYSMITH_DATA_DIR, when keysmith cannot write there. */
export function prepareDataDir(dataDir: string): void {
  let isDirectory = false;
  try { isDirectory = statSync(dataDir).isDirectory(); } catch { /* missing: created below */ }
  if (!isDirectory) {
    try {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`data directory ${dataDir} (KEYSMITH_DATA_DIR) is not a directory`);
      throw new Error(`data directory ${dataDir} (KEYSMITH_DATA_DIR) cannot be created: ${message(err)}`);
    }
  }
  try {
    accessSync(dataDir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new Error(`data directory ${dataDir} (KEYSMITH_DATA_DIR) is not writable: ${message(err)}`);
  }
}

/** pg's message, saying which limit ran out for a timeout, and never holding the password of DATABASE_URL. */
function postgresProblem(err: unknown, config: Config, queryTimeoutMs: number): string {
  const text = message(err);
  if (isQueryTimeout(err)) return `no answer to a query within ${queryTimeoutMs / 1000} s (KEYSMITH_DB_QUERY_TIMEOUT_MS)`;
  if (/timeout expired|connection timeout|timeout exceeded when trying to connect/i.test(text)) {
    return `no answer within ${config.dbConnectTimeoutMs / 1000} s (KEYSMITH_DB_CONNECT_TIMEOUT_MS)`;
  }
  return withoutPassword(text, config.databaseUrl!);
}

function withoutPassword(text: string, url: string): string {
  let password = '';
  try { password = decodeURIComponent(new URL(url).password); } catch { /* not a WHATWG URL: pg parsed it its own way */ }
  // pg's messages do not quote the password; this is a safety net, and a very short password could
  // match ordinary words of the message, so it is left out.
  if (password.length < 4) return text;
  return text.split(password).join('***').split(encodeURIComponent(password)).join('***');
}

/**
 * Opens the store and makes one round trip, so that a store that cannot be reached is reported now,
 * naming where it is and the setting that chose it, rather than by the first query that needs it.
 */
async function openReachable(config: Config, queryTimeoutMs: number, pgPoolSize = config.dbPoolSize): Promise<Store> {
  if (!config.databaseUrl) {
    const path = join(config.dataDir, SQLITE_FILE);
    prepareDataDir(config.dataDir);
    try {
      return await openStore({ sqlitePath: path });
    } catch (err) {
      throw new Error(`cannot open the SQLite store ${path} (KEYSMITH_DATA_DIR): ${message(err)}`);
    }
  }
  const store = await openStore({
    databaseUrl: config.databaseUrl, connectTimeoutMs: config.dbConnectTimeoutMs, queryTimeoutMs, pgPoolSize,
  });
  try {
    await store.db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
  } catch (err) {
    await store.close().catch(() => {});
    throw new Error(`cannot connect to ${storeDescription(config)} (DATABASE_URL): ${postgresProblem(err, config, queryTimeoutMs)}`);
  }
  return store;
}

/** Applies pending migrations; on PostgreSQL over a connection of its own, with MIGRATION_QUERY_TIMEOUT_MS. */
async function applyMigrations(config: Config, opened: Store): Promise<string[]> {
  const migrationTimeoutMs = Math.max(config.dbQueryTimeoutMs, MIGRATION_QUERY_TIMEOUT_MS);
  const store = opened.engine === 'postgres' ? await openReachable(config, migrationTimeoutMs, 1) : opened;
  try {
    return await migrate(store.db);
  } catch (err) {
    const problem = opened.engine === 'postgres' ? postgresProblem(err, config, migrationTimeoutMs) : message(err);
    throw new Error(`cannot migrate ${storeDescription(config)} (${storeSetting(config)}): ${problem}`);
  } finally {
    if (store !== opened) await store.close().catch(() => {});
  }
}

/** The store `serve` and `migrate` use: created when missing, migrated. `applied`: the migrations applied now. */
export async function openMigratedStore(config: Config): Promise<{ store: Store; applied: string[] }> {
  const store = await openReachable(config, config.dbQueryTimeoutMs);
  try {
    return { store, applied: await applyMigrations(config, store) };
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}

/** A store that is not there: the CLI's commands other than `serve` and `migrate` create none. */
export class MissingStoreError extends Error {}

/**
 * The store the CLI's account and admin commands use: it must exist and hold an account, since
 * creating a fresh one in the wrong directory and reporting on it (or writing into it) would only
 * mislead; pending migrations are applied.
 */
export async function openExistingStore(config: Config): Promise<Store> {
  const setting = storeSetting(config);
  const sqlitePath = join(config.dataDir, SQLITE_FILE);
  if (!config.databaseUrl && !isFile(sqlitePath)) {
    throw new MissingStoreError(`there is no keysmith store here: the SQLite file ${sqlitePath} (KEYSMITH_DATA_DIR) does not exist. `
      + 'Run this with the server\'s KEYSMITH_DATA_DIR (or DATABASE_URL), or start the server once (`npx keysmith serve`) to create the store');
  }
  const store = await openReachable(config, config.dbQueryTimeoutMs);
  try {
    if (!(await hasAccount(store))) {
      throw new MissingStoreError(`${storeDescription(config)} (${setting}) has no account yet: start the server once (\`npx keysmith serve\`) `
        + `to create the first account and its admin, or run this with the server's ${setting}`);
    }
    await applyMigrations(config, store);
    return store;
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
}

function isFile(path: string): boolean {
  try { return statSync(path).isFile(); } catch { return false; }
}
