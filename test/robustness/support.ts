// Shared pieces of the robustness suites: the app's routes (read from the app itself, so a new
// route is fuzzed without touching these tests), the answer-shape check every response must pass,
// and the store invariants that must hold after any sequence of requests.
import { sql } from 'kysely';
import type { App } from '../../src/http/app.js';
import type { Harness } from '../helpers/harness.js';

export interface RouteInfo {
  method: string;
  /** Fastify's form, e.g. `/ng/api/apikey/:identifier`. */
  path: string;
  /** The OpenAPI operation of the route (the /gateway copy shares the /ng one), if documented. */
  operation: OpenApiOperation | null;
}

export interface OpenApiParameter { in: string; name: string; required?: boolean; schema?: JsonSchema }
export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}
export type JsonSchema = Record<string, any>;

/**
 * Every route the app serves, from `printRoutes` (which lists the undocumented ones too: health,
 * metrics, the /gateway copies, the console's files). HEAD copies of GET routes are left out.
 */
export function appRoutes(app: App): Array<{ method: string; path: string }> {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: Array<{ method: string; path: string }> = [];
  for (const line of tree.split('\n')) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    const depth = at / 4;
    const m = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line.slice(at + 4))!;
    const parent = depth === 0 ? '' : stack[depth - 1];
    const path = parent.endsWith('/') && m[1].startsWith('/') ? parent + m[1].slice(1) : parent + m[1];
    stack[depth] = path;
    for (const method of (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      if (method !== 'HEAD') out.push({ method, path });
    }
  }
  return out;
}

/** The routes with their OpenAPI operations, for schema-aware requests. */
export async function routesWithSchemas(app: App): Promise<RouteInfo[]> {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const operation = (method: string, path: string) => {
    const documented = path.replace(/^\/gateway\//, '/').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    return doc.paths[documented]?.[method.toLowerCase()] ?? null;
  };
  return appRoutes(app).map((r) => ({ ...r, operation: operation(r.method, r.path) }));
}

export interface Answer { status: number; headers: Record<string, unknown>; text: string }

const API_PREFIXES = ['/ng/', '/gateway/', '/authz/', '/resourcegroup/', '/api/'];
export const isApiPath = (url: string) => API_PREFIXES.some((p) => url.startsWith(p));
const PER_KEY_429 = /^Too Many requests\. Throttled\. Max QPS: \d+\.\d$/;

/**
 * What every answer must be (SPEC §2): never a 5xx; an error is the Harness envelope in JSON (the
 * per-key 429 excepted, which is Harness's exact text); a success of the API is the success envelope.
 * Returns the problem, or null.
 */
export function answerProblem(method: string, url: string, res: Answer): string | null {
  if (res.status >= 500) return `status ${res.status}`;
  const type = String(res.headers['content-type'] ?? '');
  if (method === 'HEAD') return null;
  if (res.status === 429 && type.startsWith('text/plain')) {
    return PER_KEY_429.test(res.text) && Number(res.headers['retry-after']) >= 1 ? null : `bad per-key 429: ${res.text.slice(0, 200)}`;
  }
  if (res.status >= 400) {
    if (!type.startsWith('application/json')) return `error ${res.status} with content-type ${type}`;
    let body: any;
    try { body = JSON.parse(res.text); } catch { return `error ${res.status} body is not JSON: ${res.text.slice(0, 200)}`; }
    if (body === null || typeof body !== 'object') return `error ${res.status} body is not an object`;
    if (body.status !== 'ERROR' && body.status !== 'FAILURE') return `error ${res.status} with status ${body.status}`;
    if (typeof body.code !== 'string' || !body.code) return `error ${res.status} without a code`;
    if (typeof body.message !== 'string' || !body.message) return `error ${res.status} without a message`;
    if (typeof body.correlationId !== 'string' || !body.correlationId) return `error ${res.status} without a correlationId`;
    if (body.status === 'FAILURE' && (!Array.isArray(body.errors) || body.errors.length === 0)) return 'FAILURE without errors[]';
    if (body.status === 'ERROR' && !Array.isArray(body.responseMessages)) return 'ERROR without responseMessages[]';
    if (body.code === 'UNKNOWN_ERROR') return `UNKNOWN_ERROR with status ${res.status}`;
    // A clear error names the problem; it does not echo a megabyte of input back.
    if (res.text.length > 8192) return `error body of ${res.text.length} characters`;
    return null;
  }
  if (res.status >= 200 && res.status < 300 && isApiPath(url)) {
    if (!type.startsWith('application/json')) return `success with content-type ${type}`;
    let body: any;
    try { body = JSON.parse(res.text); } catch { return 'success body is not JSON'; }
    if (body?.status !== 'SUCCESS' || !('data' in body) || typeof body.correlationId !== 'string') {
      return `success without the envelope: ${res.text.slice(0, 200)}`;
    }
  }
  return null;
}

/** Token values as keysmith issues them (SPEC §4). */
export const TOKEN_VALUE = /(?:pat|sat)\.[A-Za-z0-9]+\.[0-9a-f]{24}\.[A-Za-z0-9]{20}/g;

/** Store invariants: no duplicates, no orphans. Returns every violation found. */
export async function storeProblems(h: Harness): Promise<string[]> {
  const db = h.store.db;
  const problems: string[] = [];
  const dup = async (table: string, cols: string[]) => {
    const rows = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)} group by ${sql.join(cols.map((c) => sql.ref(c)))} having count(*) > 1`.execute(db);
    if (rows.rows.length) problems.push(`${table}: duplicate (${cols.join(', ')})`);
  };
  const scope = ['account_id', 'org_identifier', 'project_identifier'];
  await dup('organizations', ['account_id', 'identifier']);
  await dup('projects', ['account_id', 'org_identifier', 'identifier']);
  await dup('service_accounts', [...scope, 'identifier']);
  await dup('user_groups', [...scope, 'identifier']);
  await dup('roles', [...scope, 'identifier']);
  await dup('resource_groups', [...scope, 'identifier']);
  await dup('role_assignments', [...scope, 'identifier']);
  await dup('api_keys', [...scope, 'api_key_type', 'parent_identifier', 'identifier']);
  await dup('tokens', ['api_key_id', 'identifier']);
  await dup('users', ['email']);

  const orphans = async (what: string, query: ReturnType<typeof sql<{ n: number }>>) => {
    const { rows } = await query.execute(db);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) problems.push(`${n} ${what}`);
  };
  await orphans('tokens without their API key', sql`select count(*) as n from tokens t where not exists (select 1 from api_keys k where k.id = t.api_key_id)`);
  await orphans('tokens whose owner fields disagree with their key', sql`select count(*) as n from tokens t join api_keys k on k.id = t.api_key_id
    where t.account_id <> k.account_id or t.org_identifier <> k.org_identifier or t.project_identifier <> k.project_identifier
      or t.api_key_type <> k.api_key_type or t.parent_identifier <> k.parent_identifier or t.api_key_identifier <> k.identifier`);
  await orphans('service-account keys without their service account', sql`select count(*) as n from api_keys k where k.api_key_type = 'SERVICE_ACCOUNT'
    and not exists (select 1 from service_accounts s where s.account_id = k.account_id and s.org_identifier = k.org_identifier
      and s.project_identifier = k.project_identifier and s.identifier = k.parent_identifier)`);
  await orphans('personal keys without their user', sql`select count(*) as n from api_keys k where k.api_key_type = 'USER'
    and not exists (select 1 from users u where u.id = k.parent_identifier and u.account_id = k.account_id)`);
  await orphans('projects without their organization', sql`select count(*) as n from projects p
    where not exists (select 1 from organizations o where o.account_id = p.account_id and o.identifier = p.org_identifier)`);
  for (const table of ['service_accounts', 'user_groups', 'roles', 'resource_groups', 'role_assignments', 'api_keys']) {
    await orphans(`${table} in a deleted organization`, sql`select count(*) as n from ${sql.table(table)} x where x.org_identifier <> ''
      and not exists (select 1 from organizations o where o.account_id = x.account_id and o.identifier = x.org_identifier)`);
    await orphans(`${table} in a deleted project`, sql`select count(*) as n from ${sql.table(table)} x where x.project_identifier <> ''
      and not exists (select 1 from projects p where p.account_id = x.account_id and p.org_identifier = x.org_identifier and p.identifier = x.project_identifier)`);
  }
  await orphans('group members of a deleted group', sql`select count(*) as n from user_group_members m where not exists (select 1 from user_groups g
    where g.account_id = m.account_id and g.org_identifier = m.org_identifier and g.project_identifier = m.project_identifier and g.identifier = m.group_identifier)`);
  await orphans('group memberships of a deleted user', sql`select count(*) as n from user_group_members m where m.member_type = 'USER'
    and not exists (select 1 from users u where u.id = m.member_identifier and u.account_id = m.account_id)`);
  await orphans('group memberships of a deleted service account', sql`select count(*) as n from user_group_members m where m.member_type = 'SERVICE_ACCOUNT'
    and not exists (select 1 from service_accounts s where s.account_id = m.account_id and s.org_identifier = m.org_identifier
      and s.project_identifier = m.project_identifier and s.identifier = m.member_identifier)`);
  await orphans('role assignments of a deleted user', sql`select count(*) as n from role_assignments r where r.principal_type = 'USER'
    and not exists (select 1 from users u where u.id = r.principal_identifier and u.account_id = r.account_id)`);
  await orphans('role assignments of a deleted user group', sql`select count(*) as n from role_assignments r where r.principal_type = 'USER_GROUP'
    and not exists (select 1 from user_groups g where g.account_id = r.account_id and g.identifier = r.principal_identifier)`);
  await orphans('role assignments of a deleted custom role', sql`select count(*) as n from role_assignments ra where substr(ra.role_identifier, 1, 1) <> '_'
    and not exists (select 1 from roles r where r.account_id = ra.account_id and r.identifier = ra.role_identifier
      and (r.org_identifier = '' or (r.org_identifier = ra.org_identifier and (r.project_identifier = '' or r.project_identifier = ra.project_identifier))))`);
  await orphans('role assignments of a deleted custom resource group', sql`select count(*) as n from role_assignments ra where substr(ra.resource_group_identifier, 1, 1) <> '_'
    and not exists (select 1 from resource_groups g where g.account_id = ra.account_id and g.identifier = ra.resource_group_identifier
      and g.org_identifier = ra.org_identifier and g.project_identifier = ra.project_identifier)`);
  await orphans('sessions of a deleted user', sql`select count(*) as n from sessions s where not exists (select 1 from users u where u.id = s.user_id)`);
  if (h.store.engine === 'sqlite') {
    const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    if (rows.map((r) => r.integrity_check).join() !== 'ok') problems.push(`integrity_check: ${JSON.stringify(rows)}`);
    const fk = await sql`pragma foreign_key_check`.execute(db);
    if (fk.rows.length) problems.push(`foreign_key_check: ${JSON.stringify(fk.rows).slice(0, 500)}`);
  }
  return problems;
}

/** Rejects when a promise takes longer than `ms`: an answer that never comes is a failure too. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms); }),
  ]);
}
