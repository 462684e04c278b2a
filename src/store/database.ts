// Opens the store: SQLite (the embedded default) or PostgreSQL, behind one Kysely<Database>.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery, Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteAdapter, sql, SqliteDialect, SqliteDriver,
  type DatabaseConnection, type Driver, type Migration, type MigrationProvider, type SqliteDatabase as SqliteDialectDatabase,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_audit_actor_scope.js';
import * as m003 from './migrations/003_emails_nfc.js';

// PostgreSQL returns BIGINT (and COUNT) as strings; every bigint here is epoch ms or a count.
pg.types.setTypeParser(20, (v) => Number(v));

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
  /** A cheap round trip, for readiness: fails after PING_TIMEOUT_MS without an answer. */
  ping(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL connection string; absent → SQLite at `sqlitePath`. */
  databaseUrl?: string | null;
  sqlitePath?: string;
  /** PostgreSQL schema to use (created if missing) — tests give each file its own. */
  pgSchema?: string;
  pgPoolSize?: number;
  /** PostgreSQL: how long opening a connection may take (the wait for a free one of the pool is not bounded by it). */
  connectTimeoutMs?: number;
  /** PostgreSQL: how long one query may go unanswered before it fails and its connection is dropped. */
  queryTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;
/** What /readyz waits for the store: a load balancer needs its answer in seconds, whatever the store does. */
export const PING_TIMEOUT_MS = 3_000;
/** pg's error for a query that got no answer within its query_timeout. */
const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/** True for a PostgreSQL query that failed because the server did not answer in time. */
export function isQueryTimeout(err: unknown): boolean {
  return (err as Error | null)?.message === QUERY_TIMEOUT_MESSAGE;
}

const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_audit_actor_scope': m002,
  '003_emails_nfc': m003,
};

class StaticMigrations implements MigrationProvider {
  async getMigrations() { return migrations; }
}

/**
 * Transactions on SQLite begin IMMEDIATE: the write lock is taken up front, so a second process
 * waits (busy_timeout) instead of failing on a lock upgrade half-way through.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** Statements kept prepared per SQLite connection; the least recently used go first. */
const STATEMENT_CACHE_SIZE = 1_000;
/** Longer SQL (multi-row batches) is prepared each time: it is rarely repeated and would crowd the cache. */
const STATEMENT_CACHE_MAX_SQL = 4_096;

/**
 * The connection as Kysely's SQLite dialect sees it, with prepared statements reused by SQL text:
 * Kysely prepares every query it runs, and preparing costs as much as running a simple one.
 * A cached statement still being iterated is busy; then a fresh one is prepared. Recency is a
 * counter on the entry, not Map order: deleting and re-inserting a hot key on every use slows
 * V8's lookups of that key (see lru-cache.ts); the rare eviction scans instead.
 */
export function withStatementCache(sqlite: SqliteDatabase.Database, maxEntries = STATEMENT_CACHE_SIZE): SqliteDialectDatabase {
  const statements = new Map<string, { statement: SqliteDatabase.Statement; usedAt: number }>();
  let clock = 0;
  function evictLeastRecentlyUsed() {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [text, entry] of statements) if (entry.usedAt < oldestUse) { oldest = text; oldestUse = entry.usedAt; }
    statements.delete(oldest!);
  }
  return {
    prepare(text) {
      if (text.length > STATEMENT_CACHE_MAX_SQL) return sqlite.prepare(text);
      const cached = statements.get(text);
      if (cached !== undefined) {
        if (cached.statement.busy) return sqlite.prepare(text);
        cached.usedAt = ++clock;
        return cached.statement;
      }
      const statement = sqlite.prepare(text);
      if (statements.size >= maxEntries) evictLeastRecentlyUsed();
      statements.set(text, { statement, usedAt: ++clock });
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}

/**
 * The store holds password hashes: a directory keysmith creates is 0700 and a database file 0600.
 * SQLite gives the -wal and -shm files the database file's mode, so they follow. Existing ones are
 * left as the operator set them.
 */
export function openSqlite(path: string): SqliteDatabase.Database {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
  }
  const sqlite = new SqliteDatabase(path);
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/** Fails with `message` when `work` has not settled within `ms` (what it waits for goes on, bounded by its own limits). */
function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * A PostgreSQL pool whose every wait is bounded, so a server that accepts connections but never
 * answers cannot hang keysmith: opening a connection fails after `connectTimeoutMs`, and each query
 * after `queryTimeoutMs`. Waiting for a free connection of the pool is not limited of itself (a busy
 * pool under legitimate load queues its requests, as it always did): it lasts as long as the
 * queries ahead, each bounded. The limits are the client's own:
 * server-side ones (statement_timeout) would go in the startup packet, which PgBouncer refuses,
 * and would not help against a server that has stopped answering.
 */
function postgresPool(options: StoreOptions & { databaseUrl: string }): pg.Pool {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  // The connect timeout goes to each client, not to the pool: pg-pool would apply it to the wait
  // for a free client as well.
  class BoundedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) { super({ ...config, connectionTimeoutMillis: connectTimeoutMs }); }
  }
  const pool = new pg.Pool({
    Client: BoundedClient,
    connectionString: options.databaseUrl,
    max: options.pgPoolSize ?? 10,
    query_timeout: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    keepAlive: true,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    // The pool listens for errors only while a client is idle; a connection dropped while a query
    // runs is reported to that query (and the client is discarded when released), not thrown.
    client.on('error', () => {});
    // pg fails a timed-out query but keeps waiting on the connection for its answer, and would hand
    // the connection out again with that wait still in front of every later query: end it instead,
    // and ask the server to cancel the statement (closing the connection alone leaves it running
    // there until it ends). This reaction is registered before the caller's, so the client is
    // ending (and the pool discards it) by the time the caller releases it. Whatever is asked of
    // it after that (a transaction's rollback) fails with the timeout, not "Client was closed",
    // so the error said is the one that happened.
    let timedOut: Error | null = null;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      if (timedOut) {
        const callback = args.at(-1);
        if (typeof callback !== 'function') return Promise.reject(timedOut);
        const err = timedOut;
        process.nextTick(() => (callback as (e: Error) => void)(err));
        return undefined;
      }
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((err: unknown) => {
          if (!isQueryTimeout(err) || timedOut) return;
          timedOut = err as Error;
          cancelOnServer(client, connectTimeoutMs);
          client.end().catch(() => {});
        });
      }
      return result;
    }) as typeof client.query;
  });
  return pool;
}

/** What a pg client knows of its backend once connected (pg's own fields, not in its types). */
interface BackendKey { processID?: number | null; secretKey?: number | null }

/**
 * Asks the server to cancel what `client`'s backend is running, as psql's Ctrl-C does: the
 * protocol's CancelRequest (16 bytes naming the backend and its secret) on a connection of its own,
 * in the clear (the server reads it before any TLS negotiation). Best effort, and on a direct
 * connection only: a pooler such as PgBouncer sees the client leave first and may not pass it on,
 * and the statement then runs on there. Nothing is waited for or reported; the connection is
 * closed by the server, or by us after `limitMs`.
 */
function cancelOnServer(client: pg.Client, limitMs: number): void {
  const { processID, secretKey } = client as unknown as BackendKey;
  if (processID == null || secretKey == null) return;
  const request = Buffer.alloc(16);
  request.writeInt32BE(16, 0);
  request.writeInt32BE(80877102, 4); // the CancelRequest code
  request.writeInt32BE(processID, 8);
  request.writeInt32BE(secretKey, 12);
  const host = client.host ?? 'localhost';
  const socket = host.startsWith('/') ? netConnect(`${host}/.s.PGSQL.${client.port}`) : netConnect(client.port, host);
  socket.on('error', () => {});
  socket.setTimeout(limitMs, () => socket.destroy());
  socket.once('connect', () => socket.end(request));
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    const schema = options.pgSchema;
    if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
    if (schema) {
      const admin = new pg.Client({
        connectionString: options.databaseUrl,
        connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        query_timeout: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      });
      admin.on('error', () => {});
      await admin.connect();
      try { await admin.query(`create schema if not exists ${schema}`); } finally { await admin.end(); }
    }
    const pool = postgresPool({ ...options, databaseUrl: options.databaseUrl });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db, engine: 'postgres',
      close: () => db.destroy(),
      // Its own query timeout too, so that pings piling up while the server is silent do not hold
      // the pool's connections for the longer query timeout (pg discards a client whose query failed here).
      ping: () => within(pool.query({ text: 'select 1', query_timeout: PING_TIMEOUT_MS } as pg.QueryConfig).then(() => {}),
        PING_TIMEOUT_MS, `no answer within ${PING_TIMEOUT_MS / 1000} s`),
    };
  }
  const path = options.sqlitePath ?? ':memory:';
  const sqlite = openSqlite(path);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db, engine: 'sqlite',
    close: () => db.destroy(),
    ping: async () => { await db.executeQuery(CompiledQuery.raw('select 1')); },
  };
}

async function runMigrator(db: Kysely<any>, migrationTableSchema?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new StaticMigrations(), ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const { adapter } = db.getExecutor();
  if (adapter instanceof SqliteAdapter) {
    // Kysely takes no lock on SQLite (it assumes one process), so two processes starting at once
    // on one file would both run a migration and one would fail half-way. SQLite's DDL is
    // transactional: run the whole migration in one BEGIN IMMEDIATE transaction, which holds the
    // file's write lock (the other process waits, busy_timeout) and commits all of it or nothing.
    return db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const applied = await runMigrator(conn);
        await sql`commit`.execute(conn);
        return applied;
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw err;
      }
    });
  }
  // PostgreSQL: Kysely locks its lock table. It looks for its migration tables in every schema
  // unless told which one, so another schema in the same database holding them (another app, a
  // parallel test file) would make it skip creating ours: name the schema keysmith's tables go to.
  let migrationTableSchema: string | undefined;
  if (adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  return whileRelationsVanish(() => runMigrator(db, migrationTableSchema));
}

/**
 * Runs `attempt` again when it fails because a table, a column of one or a schema went away under
 * it (PostgreSQL's undefined_table 42P01, undefined_column 42703, invalid_schema_name 3F000), up to
 * `tries` times. Kysely finds its
 * migration tables by reading every schema's tables and resolving each by name, so a table or
 * schema that someone else sharing the database (another app, a parallel test file) drops
 * meanwhile fails that read. Nothing was migrated then — a migration runs in a transaction — so
 * trying again is safe.
 */
const VANISHED = new Set(['42P01', '42703', '3F000']);
export async function whileRelationsVanish<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= tries || !VANISHED.has((err as { code?: string }).code ?? '')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * i));
    }
  }
}

/**
 * True when the store holds keysmith's tables and at least one account: what the CLI's commands
 * need before they read or write anything. Reads only, so that asking creates nothing.
 */
export async function hasAccount(store: Store): Promise<boolean> {
  const table = store.engine === 'sqlite'
    ? sql<{ found: number }>`select count(*) as found from sqlite_master where type = 'table' and name = 'accounts'`
    : sql<{ found: number }>`select count(*) as found from information_schema.tables where table_schema = current_schema() and table_name = 'accounts'`;
  const { rows } = await table.execute(store.db);
  if (Number(rows[0]?.found ?? 0) === 0) return false;
  return (await store.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** True for a unique/primary-key violation on either engine (a concurrent insert won the race). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return !!e && (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE');
}
