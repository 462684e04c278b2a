// Test harness: one keysmith app per test file, on SQLite (a temp file) or PostgreSQL (its own
// schema), with an admin already bootstrapped and clients that log in like the console does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp, type App } from '../../src/http/app.js';
import { bootstrapIfEmpty } from '../../src/store/accounts.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { createServices } from '../../src/server/services.js';
import { LOG_REDACT_PATHS } from '../../src/server/logging.js';
import type { Services } from '../../src/services.js';
import { randomString } from '../../src/domain/ids.js';
import { makeScope, type Scope } from '../../src/domain/scope.js';

export type EngineName = 'sqlite' | 'postgres';
export const PG_URL = process.env.KEYSMITH_TEST_DATABASE_URL || null;
export const REDIS_URL = process.env.KEYSMITH_TEST_REDIS_URL || null;
export const REQUIRE_SERVICES = process.env.KEYSMITH_REQUIRE_SERVICES === '1';

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

export interface RequestOptions { headers?: Record<string, string>; query?: Record<string, string | string[] | number | boolean | undefined> }

/** Every token value any response of an app carried, so tests can check none is kept anywhere. */
const ISSUED_TOKENS = new WeakMap<App, Set<string>>();
const TOKEN_VALUE_SHAPE = /(?:pat|sat)\.[A-Za-z0-9]+\.[0-9a-f]{24}\.[A-Za-z0-9]{20}/g;

export class Client {
  constructor(readonly app: App, readonly headers: Record<string, string> = {}) {}

  async request(method: string, url: string, payload?: unknown, options: RequestOptions = {}): Promise<Response> {
    const query = options.query ? '?' + new URLSearchParams(
      Object.entries(options.query).flatMap(([k, v]) => v === undefined ? [] : Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, String(v)]]),
    ).toString() : '';
    const headers: Record<string, string> = { ...this.headers, ...options.headers };
    const res = await this.app.inject({
      method: method as any,
      url: url + (query && url.includes('?') ? '&' + query.slice(1) : query),
      headers,
      ...(payload === undefined ? {} : typeof payload === 'string' || Buffer.isBuffer(payload) ? { payload } : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } }),
    });
    let body: any = undefined;
    try { body = JSON.parse(res.body); } catch { body = undefined; }
    const issued = ISSUED_TOKENS.get(this.app);
    if (issued) for (const m of res.body.matchAll(TOKEN_VALUE_SHAPE)) issued.add(m[0]);
    return { status: res.statusCode, headers: res.headers as any, text: res.body, body };
  }
  get(url: string, options?: RequestOptions) { return this.request('GET', url, undefined, options); }
  post(url: string, payload?: unknown, options?: RequestOptions) { return this.request('POST', url, payload ?? {}, options); }
  put(url: string, payload?: unknown, options?: RequestOptions) { return this.request('PUT', url, payload ?? {}, options); }
  delete(url: string, options?: RequestOptions) { return this.request('DELETE', url, undefined, options); }
  /** A client for the same app with extra headers. */
  with(headers: Record<string, string>) { return new Client(this.app, { ...this.headers, ...headers }); }
}

export interface Harness {
  engine: EngineName;
  app: App;
  services: Services;
  store: Store;
  config: Config;
  accountId: string;
  admin: { id: string; email: string; password: string; client: Client };
  /** Every log line the app wrote, for "no secret in the logs" checks. */
  logs: string[];
  anonymous: Client;
  login(email: string, password: string): Promise<Client>;
  /** Creates a user through the API as the admin and returns it logged in. */
  createUser(opts?: { email?: string; name?: string; password?: string }): Promise<{ id: string; email: string; password: string; client: Client }>;
  tokenClient(token: string): Client;
  /** Every token value the app has answered with so far (POST /token, rotations). */
  issuedTokens: Set<string>;
  /** A service account written straight to the store (its routes are another module's). */
  seedServiceAccount(opts?: { identifier?: string; name?: string; scope?: Partial<Scope> }): Promise<{ identifier: string; scope: Scope; email: string; name: string }>;
  /** A role assignment written straight to the store, with the invalidation a real grant publishes. */
  grantRole(principal: { type: 'USER' | 'SERVICE_ACCOUNT' | 'USER_GROUP'; identifier: string }, roleIdentifier: string,
    opts?: { scope?: Partial<Scope>; resourceGroupIdentifier?: string }): Promise<string>;
  /** Removes a role assignment from the store, publishing the invalidation a real removal does. */
  revokeRole(identifier: string, scope?: Partial<Scope>): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  now?: () => number;
}

let counter = 0;

export async function createHarness(engine: EngineName, options: HarnessOptions = {}): Promise<Harness & { close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-test-'));
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const config = loadConfig({ KEYSMITH_DATA_DIR: dir, KEYSMITH_LOG_LEVEL: 'info', ...options.env });
  const store = await openStore(engine === 'postgres'
    ? { databaseUrl: PG_URL, pgSchema: schema, pgPoolSize: 4 }
    : { sqlitePath: join(dir, 'keysmith.db') });
  await migrate(store.db);
  const adminPassword = 'admin-password-' + randomString(8);
  const boot = await bootstrapIfEmpty(store.db, store.engine, { adminEmail: 'admin@example.com', password: adminPassword });
  if (!boot) throw new Error('bootstrap did not run');
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const logger = pino({ level: 'info', redact: { paths: LOG_REDACT_PATHS, censor: '[REDACTED]' } }, sink);
  const services = await createServices(config, store, { logger, now: options.now });
  const app = await buildApp(services);
  await app.ready();
  const anonymous = new Client(app);
  const issuedTokens = new Set<string>();
  ISSUED_TOKENS.set(app, issuedTokens);
  const fullScope = (s: Partial<Scope> = {}): Scope =>
    makeScope(s.accountIdentifier ?? boot.accountId, s.orgIdentifier ?? null, s.projectIdentifier ?? null);
  const scopeCols = (s: Scope) => ({ account_id: s.accountIdentifier, org_identifier: s.orgIdentifier ?? '', project_identifier: s.projectIdentifier ?? '' });

  async function login(email: string, password: string): Promise<Client> {
    const res = await anonymous.post('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
    const setCookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('keysmith_session='))!;
    const cookie = setCookie.split(';')[0];
    return new Client(app, { cookie, 'x-csrf-token': res.body.data.csrfToken });
  }
  const adminClient = await login(boot.adminEmail, adminPassword);

  return {
    engine, app, services, store, config, logs, anonymous,
    accountId: boot.accountId,
    admin: { id: boot.adminUserId, email: boot.adminEmail, password: adminPassword, client: adminClient },
    login,
    async createUser(opts = {}) {
      const email = opts.email ?? `user-${randomString(8).toLowerCase()}@example.com`;
      const password = opts.password ?? 'password-' + randomString(8);
      const res = await adminClient.post(`/ng/api/user?accountIdentifier=${boot.accountId}`, { email, name: opts.name ?? 'Test User', password });
      if (res.status !== 200) throw new Error(`createUser failed: ${res.status} ${res.text}`);
      return { id: res.body.data.uuid, email, password, client: await login(email, password) };
    },
    tokenClient(token: string) { return new Client(app, { 'x-api-key': token }); },
    issuedTokens,
    async seedServiceAccount(opts = {}) {
      const identifier = opts.identifier ?? `sa_${randomString(8)}`;
      const scope = fullScope(opts.scope);
      const name = opts.name ?? identifier;
      const email = `${identifier.toLowerCase()}@service.example.com`;
      const now = Date.now();
      await store.db.insertInto('service_accounts').values({
        ...scopeCols(scope), identifier, name, email, description: '', tags: '{}', created_at: now, last_modified_at: now,
      }).execute();
      return { identifier, scope, email, name };
    },
    async grantRole(principal, roleIdentifier, opts = {}) {
      const scope = fullScope(opts.scope);
      const identifier = `ra_${randomString(12)}`;
      const now = Date.now();
      await store.db.insertInto('role_assignments').values({
        ...scopeCols(scope), identifier, role_identifier: roleIdentifier,
        resource_group_identifier: opts.resourceGroupIdentifier
          ?? (scope.projectIdentifier ? '_all_project_level_resources' : '_all_resources_including_child_scopes'),
        principal_type: principal.type, principal_identifier: principal.identifier,
        principal_scope_level: scope.projectIdentifier ? 'project' : scope.orgIdentifier ? 'organization' : 'account',
        disabled: 0, managed: 0, created_at: now, last_modified_at: now,
      }).execute();
      services.invalidation.publish({
        kind: 'principal', accountIdentifier: scope.accountIdentifier, principalType: principal.type, principalIdentifier: principal.identifier,
        permissionsOnly: true,
      });
      return identifier;
    },
    async revokeRole(identifier, scopeIn) {
      const scope = fullScope(scopeIn);
      const row = await store.db.selectFrom('role_assignments').selectAll().where('account_id', '=', scope.accountIdentifier)
        .where('identifier', '=', identifier).executeTakeFirst();
      await store.db.deleteFrom('role_assignments').where('account_id', '=', scope.accountIdentifier).where('identifier', '=', identifier).execute();
      if (row) {
        services.invalidation.publish({
          kind: 'principal', accountIdentifier: row.account_id, principalType: row.principal_type, principalIdentifier: row.principal_identifier,
          permissionsOnly: true,
        });
      }
    },
    async close() {
      await app.close();
      await services.close();
      await store.close();
      if (engine === 'postgres') {
        const client = new pg.Client({ connectionString: PG_URL! });
        await client.connect();
        try { await client.query(`drop schema if exists ${schema} cascade`); } finally { await client.end(); }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The engines this run covers. PostgreSQL is skipped (loudly) unless configured; required in CI. */
export function engines(): EngineName[] {
  if (PG_URL) return ['sqlite', 'postgres'];
  if (REQUIRE_SERVICES) throw new Error('KEYSMITH_REQUIRE_SERVICES=1 but KEYSMITH_TEST_DATABASE_URL is not set');
  return ['sqlite'];
}

let warned = false;
function warnSkipped() {
  if (warned || PG_URL) return;
  warned = true;
  console.warn('\n*** PostgreSQL suites SKIPPED: set KEYSMITH_TEST_DATABASE_URL to run them ***\n');
}

/**
 * Runs a suite once per engine with its own harness. `fn` gets a getter, valid inside tests.
 */
export function describeEachEngine(title: string, fn: (h: () => Harness) => void, options: HarnessOptions = {}): void {
  warnSkipped();
  const all: EngineName[] = ['sqlite', 'postgres'];
  for (const engine of all) {
    const active = engines().includes(engine);
    const d = active ? describe : describe.skip;
    d(`${title} [${engine}]`, () => {
      let harness: (Harness & { close(): Promise<void> }) | null = null;
      beforeAll(async () => { harness = await createHarness(engine, options); });
      afterAll(async () => { await harness?.close(); });
      fn(() => {
        if (!harness) throw new Error('harness not ready');
        return harness;
      });
    });
  }
}

export { it };
