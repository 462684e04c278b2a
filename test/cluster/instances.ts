// Several keysmith instances in one test process, as a load balancer would see them: each has its own
// services (caches, rate limiter, Redis connections) and listens on its own port of 127.0.0.1; all
// share one PostgreSQL schema and one Redis key prefix and channel, both unique to the test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { describe } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { randomString } from '../../src/domain/ids.js';
import { buildApp, type App } from '../../src/http/app.js';
import { LOG_REDACT_PATHS } from '../../src/server/logging.js';
import { createServices } from '../../src/server/services.js';
import type { Services } from '../../src/services.js';
import { bootstrapIfEmpty } from '../../src/store/accounts.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { PG_URL, REDIS_URL, REQUIRE_SERVICES } from '../helpers/harness.js';

/** `describe` when PostgreSQL and Redis are configured; a loud skip otherwise (a failure in CI). */
export function describeWithPostgresAndRedis(title: string, fn: () => void): void {
  if (PG_URL && REDIS_URL) {
    describe(title, fn);
    return;
  }
  if (REQUIRE_SERVICES) {
    throw new Error('KEYSMITH_REQUIRE_SERVICES=1 but KEYSMITH_TEST_DATABASE_URL or KEYSMITH_TEST_REDIS_URL is not set');
  }
  console.warn(`\n*** ${title}: SKIPPED — set KEYSMITH_TEST_DATABASE_URL and KEYSMITH_TEST_REDIS_URL to run it ***\n`);
  describe.skip(title, fn);
}

export interface HttpResponse { status: number; headers: Headers; text: string; body: any }

/** A client of one instance over real HTTP (127.0.0.1 only). */
export class HttpClient {
  constructor(readonly baseUrl: string, readonly headers: Record<string, string> = {}) {}

  async request(method: string, path: string, payload?: unknown, query?: Record<string, string | number | undefined>): Promise<HttpResponse> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.append(k, String(v));
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(payload);
    }
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    let parsed: any;
    try { parsed = JSON.parse(text); } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }
  get(path: string, query?: Record<string, string | number | undefined>) { return this.request('GET', path, undefined, query); }
  post(path: string, payload: unknown, query?: Record<string, string | number | undefined>) { return this.request('POST', path, payload, query); }
  delete(path: string, query?: Record<string, string | number | undefined>) { return this.request('DELETE', path, undefined, query); }
  with(headers: Record<string, string>) { return new HttpClient(this.baseUrl, { ...this.headers, ...headers }); }
}

export interface Instance {
  name: string;
  app: App;
  services: Services;
  store: Store;
  url: string;
  logs: string[];
  anonymous: HttpClient;
  /** The admin, logged in on this instance (cookie + CSRF header). */
  admin: HttpClient;
  tokenClient(token: string): HttpClient;
}

export interface Cluster {
  accountId: string;
  adminId: string;
  adminEmail: string;
  adminPassword: string;
  prefix: string;
  instances: Instance[];
  /** One more instance on the same schema and prefix (e.g. one reaching Redis through a proxy). */
  addInstance(name: string, env?: Record<string, string>): Promise<Instance>;
  close(): Promise<void>;
}

let counter = 0;

export async function startCluster(count: number, env: Record<string, string> = {}): Promise<Cluster> {
  if (!PG_URL || !REDIS_URL) throw new Error('startCluster needs KEYSMITH_TEST_DATABASE_URL and KEYSMITH_TEST_REDIS_URL');
  const unique = `${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const schema = `cluster_${unique}`;
  const prefix = `keysmith-test:${unique}`;
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-cluster-'));
  const adminEmail = `admin-${unique}@example.com`;
  const adminPassword = 'admin-password-' + randomString(8);

  const setup = await openStore({ databaseUrl: PG_URL, pgSchema: schema, pgPoolSize: 2 });
  await migrate(setup.db);
  const boot = await bootstrapIfEmpty(setup.db, setup.engine, { adminEmail, password: adminPassword });
  await setup.close();
  if (!boot) throw new Error('bootstrap did not run');

  const instances: Instance[] = [];
  async function addInstance(name: string, extraEnv: Record<string, string> = {}): Promise<Instance> {
    const config = loadConfig({
      KEYSMITH_DATA_DIR: dir, KEYSMITH_LOG_LEVEL: 'info', REDIS_URL: REDIS_URL!, KEYSMITH_REDIS_PREFIX: prefix,
      ...env, ...extraEnv,
    });
    const store = await openStore({ databaseUrl: PG_URL, pgSchema: schema, pgPoolSize: 4 });
    const logs: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
    const logger = pino({ level: 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' } }, sink);
    const services = await createServices(config, store, { logger });
    const app = await buildApp(services);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const url = `http://127.0.0.1:${address.port}`;
    const anonymous = new HttpClient(url);
    const login = await anonymous.post('/api/auth/login', { email: adminEmail, password: adminPassword });
    if (login.status !== 200) throw new Error(`login on ${name} failed: ${login.status} ${login.text}`);
    const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('keysmith_session=')) ?? '').split(';')[0];
    const instance: Instance = {
      name, app, services, store, url, logs, anonymous,
      admin: new HttpClient(url, { cookie, 'x-csrf-token': login.body.data.csrfToken }),
      tokenClient: (token) => new HttpClient(url, { 'x-api-key': token }),
    };
    instances.push(instance);
    return instance;
  }
  for (let i = 0; i < count; i++) await addInstance(String.fromCharCode(65 + i)); // A, B, ...

  return {
    accountId: boot.accountId, adminId: boot.adminUserId, adminEmail, adminPassword, prefix, instances, addInstance,
    async close() {
      for (const instance of instances) {
        await instance.app.close();
        await instance.services.close();
        await instance.store.close();
      }
      const client = new pg.Client({ connectionString: PG_URL! });
      await client.connect();
      try { await client.query(`drop schema if exists ${schema} cascade`); } finally { await client.end(); }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true or `limitMs` passes; resolves to the milliseconds it took, or null. */
export async function msUntil(check: () => Promise<boolean>, limitMs: number, intervalMs = 5): Promise<number | null> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > limitMs) return null;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
