// A PostgreSQL server that accepts connections but never answers (hung, or a network partition)
// must not hang keysmith: opening the store fails naming DATABASE_URL (never its password),
// /readyz answers 503 within seconds, and a request waiting on the store fails after the query
// timeout instead of waiting for ever — after which the pool recovers when the server answers again.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildApp, type App } from '../../src/http/app.js';
import { openMigratedStore } from '../../src/server/configured-store.js';
import { createServices } from '../../src/server/services.js';
import type { Services } from '../../src/services.js';
import { bootstrapIfEmpty } from '../../src/store/accounts.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { PG_URL, REQUIRE_SERVICES } from '../helpers/harness.js';
import { startTcpProxy, type TcpProxy } from '../cluster/tcp-proxy.js';

/** A TCP server on 127.0.0.1 that accepts every connection and never sends a byte. */
async function silentServer(): Promise<{ port: number; close(): void }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close() { for (const s of sockets) s.destroy(); server.close(); },
  };
}

/**
 * A TCP proxy to PostgreSQL whose `strand` leaves the connections open so far silent for good, as a
 * network partition leaves a half-open connection, while new connections go through.
 */
async function strandingProxy(target: string): Promise<{ url: string; strand(): void; close(): void }> {
  const upstream = new URL(target);
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const remote = connect(Number(upstream.port || 5432), upstream.hostname);
    open.add(client).add(remote);
    const drop = () => { client.destroy(); remote.destroy(); };
    for (const socket of [client, remote]) socket.on('error', drop).on('close', drop);
    client.pipe(remote).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = new URL(target);
  url.host = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url: url.toString(),
    strand() {
      for (const socket of open) { socket.unpipe(); socket.pause(); socket.removeAllListeners('data'); }
    },
    close() { for (const socket of open) socket.destroy(); server.close(); },
  };
}

const quietLogger = () => pino({ level: 'silent' }, new Writable({ write(_c, _e, cb) { cb(); } }));

describe('a PostgreSQL server that accepts connections and never answers', () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  beforeAll(async () => { silent = await silentServer(); });
  afterAll(() => silent.close());
  const url = () => `postgres://keysmith:s3cret-pw@127.0.0.1:${silent.port}/keysmith`;

  it('opening the store fails after the connect timeout, naming where and DATABASE_URL, never the password', async () => {
    const config = loadConfig({ DATABASE_URL: url(), KEYSMITH_DB_CONNECT_TIMEOUT_MS: '1000' });
    const error = await openMigratedStore(config).then(() => null, (err: Error) => err);
    expect(error?.message).toBe(`cannot connect to PostgreSQL at 127.0.0.1:${silent.port}/keysmith (DATABASE_URL): `
      + 'no answer within 1 s (KEYSMITH_DB_CONNECT_TIMEOUT_MS)');
  });

  it('a refused connection says so, with the same names', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://keysmith:s3cret-pw@127.0.0.1:1/keysmith' });
    const error = await openMigratedStore(config).then(() => null, (err: Error) => err);
    expect(error?.message).toMatch(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1\/keysmith \(DATABASE_URL\): connect ECONNREFUSED 127\.0\.0\.1:1$/);
  });

  it('/readyz answers 503 within seconds, whatever the connect timeout', async () => {
    // A connect timeout far beyond the test's own: only readiness's own limit can answer in time.
    const store = await openStore({ databaseUrl: url(), connectTimeoutMs: 600_000 });
    const config = loadConfig({ DATABASE_URL: url() });
    const services = await createServices(config, store, { logger: quietLogger() });
    const app = await buildApp(services);
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ ready: false, store: 'down', redis: 'not configured' });
    } finally {
      await app.close();
      await services.close();
      // The pool still waits on its silent connections: closing it would wait for them.
      silent.close();
      await store.close();
    }
  }, 20_000);
});

const describePostgres = PG_URL ? describe : describe.skip;
if (!PG_URL && REQUIRE_SERVICES) throw new Error('KEYSMITH_REQUIRE_SERVICES=1 but KEYSMITH_TEST_DATABASE_URL is not set');

describePostgres('PostgreSQL going silent while keysmith runs', () => {
  const schema = `t_silent_${process.pid}_${Date.now().toString(36)}`;
  let proxy: TcpProxy;
  let store: Store;
  let services: Services;
  let app: App;
  const adminPassword = 'silent-admin-password';

  beforeAll(async () => {
    proxy = await startTcpProxy(PG_URL!);
    const upstream = new URL(PG_URL!);
    upstream.host = `127.0.0.1:${proxy.port}`;
    store = await openStore({ databaseUrl: upstream.toString(), pgSchema: schema, pgPoolSize: 4, connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 });
    await migrate(store.db);
    await bootstrapIfEmpty(store.db, store.engine, { adminEmail: 'admin@example.com', password: adminPassword });
    services = await createServices(loadConfig({ DATABASE_URL: upstream.toString() }), store, { logger: quietLogger() });
    app = await buildApp(services);
  });

  afterAll(async () => {
    await proxy?.restore();
    await app?.close();
    await services?.close();
    await store?.close();
    await proxy?.close();
    const admin = new pg.Client({ connectionString: PG_URL! });
    await admin.connect();
    try { await admin.query(`drop schema if exists ${schema} cascade`); } finally { await admin.end(); }
  });

  const login = () => app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'admin@example.com', password: adminPassword } });

  it('requests fail after the query timeout and /readyz says 503; once the server answers, both work again', async () => {
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await login()).statusCode).toBe(200);

    proxy.freeze();
    const [ready, stuck] = await Promise.all([app.inject({ method: 'GET', url: '/readyz' }), login()]);
    expect(ready.statusCode).toBe(503);
    expect(stuck.statusCode).toBe(500);

    await proxy.restore();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && (status = (await login()).statusCode) !== 200) await new Promise((r) => setTimeout(r, 200));
    expect(status).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 40_000);

  it('a connection whose query timed out is dropped, not handed out again with that query still in front', async () => {
    const proxy = await strandingProxy(PG_URL!);
    // One connection: were the timed-out one kept, the next query would have to use it.
    const small = await openStore({ databaseUrl: proxy.url, pgPoolSize: 1, connectTimeoutMs: 5_000, queryTimeoutMs: 1_000 });
    try {
      expect((await sql<{ one: number }>`select 1 as one`.execute(small.db)).rows).toEqual([{ one: 1 }]);
      proxy.strand();
      await expect(sql`select 1`.execute(small.db)).rejects.toThrow('Query read timeout');
      expect((await sql<{ two: number }>`select 2 as two`.execute(small.db)).rows).toEqual([{ two: 2 }]);
    } finally {
      proxy.close();
      await small.close();
    }
  }, 30_000);

  it('a statement that times out is cancelled on the server too, and a transaction around it fails with the timeout', async () => {
    const watcher = await openStore({ databaseUrl: PG_URL! });
    const slow = await openStore({ databaseUrl: PG_URL!, pgPoolSize: 2, connectTimeoutMs: 5_000, queryTimeoutMs: 500 })
      .catch(async (err: unknown) => { await watcher.close(); throw err; });
    const marker = `keysmith_cancel_${process.pid}_${Date.now()}`;
    const running = async () => (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
      where query like ${`%${marker}%`} and pid <> pg_backend_pid()`.execute(watcher.db)).rows[0]!.n;
    try {
      const started = Date.now();
      await expect(sql`select pg_sleep(20), ${sql.lit(marker)}`.execute(slow.db)).rejects.toThrow('Query read timeout');
      // Cancelled: gone from the server long before its 20 s (closing the connection alone would not end it).
      let left = await running();
      while (left > 0 && Date.now() - started < 5_000) { await new Promise((r) => setTimeout(r, 100)); left = await running(); }
      expect(left).toBe(0);
      await expect(slow.db.transaction().execute((trx) => sql`select pg_sleep(20), ${sql.lit(marker)}`.execute(trx)))
        .rejects.toThrow('Query read timeout');
      expect((await sql<{ one: number }>`select 1 as one`.execute(slow.db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await slow.close();
      await watcher.close();
    }
  }, 30_000);

  it('a busy pool queues its requests past the connect timeout: only opening a connection is bounded by it', async () => {
    const busy = await openStore({ databaseUrl: PG_URL!, pgPoolSize: 2, connectTimeoutMs: 300, queryTimeoutMs: 10_000 });
    try {
      const answers = await Promise.all([
        sql`select pg_sleep(0.8)`.execute(busy.db).then(() => 'slept'),
        sql`select pg_sleep(0.8)`.execute(busy.db).then(() => 'slept'),
        sql<{ one: number }>`select 1 as one`.execute(busy.db).then((r) => r.rows[0]!.one),
      ]);
      expect(answers).toEqual(['slept', 'slept', 1]);
    } finally {
      await busy.close();
    }
  }, 30_000);
});

describePostgres('KEYSMITH_DB_POOL_SIZE', () => {
  const schema = `t_pool_${process.pid}_${Date.now().toString(36)}`;
  const urlInSchema = () => {
    const url = new URL(PG_URL!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return url.toString();
  };
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: PG_URL! });
    await client.connect();
    try { await client.query(text); } finally { await client.end(); }
  };
  beforeAll(() => admin(`create schema ${schema}`));
  afterAll(() => admin(`drop schema if exists ${schema} cascade`));

  /** How many server connections (backends) six queries at once are spread over. */
  async function backendsOf(env: Record<string, string>): Promise<number> {
    const { store } = await openMigratedStore(loadConfig({ DATABASE_URL: urlInSchema(), ...env }));
    try {
      const pids = await Promise.all(Array.from({ length: 6 }, () =>
        sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.2)`.execute(store.db).then((r) => r.rows[0]!.pid)));
      return new Set(pids).size;
    } finally {
      await store.close();
    }
  }

  it('bounds the connections of one instance: six queries at once share two', async () => {
    expect(await backendsOf({ KEYSMITH_DB_POOL_SIZE: '2' })).toBeLessThanOrEqual(2);
    expect(await backendsOf({})).toBeGreaterThan(2); // the default, 10, lets them run side by side
  }, 30_000);
});
