// The audit trail: one writer, called inside the same transaction as the change it records.
import { sql, type Kysely } from 'kysely';
import { newUuid } from '../domain/ids.js';
import { redact, redactString } from '../domain/redact.js';
import { makeScope, type Scope } from '../domain/scope.js';
import type { Database } from './schema.js';
import { scopeCols } from './scope-columns.js';

export type AuditAction =
  | 'CREATE' | 'UPDATE' | 'DELETE' | 'ROTATE' | 'REVOKE' | 'LOGIN' | 'LOGOUT' | 'PASSWORD_CHANGE'
  | 'ADD_MEMBER' | 'REMOVE_MEMBER';

export interface AuditActor {
  /** `scope`: a service account's own scope (`actorScopeKey`), which tells it from others of its identifier. */
  principal: { type: string; identifier: string; scope?: string | null };
  ip: string | null;
  userAgent: string | null;
}

/** How an actor's scope is written on its entries: `org/project`, '' for either that is absent. */
export const actorScopeKey = (scope: Scope) => `${scope.orgIdentifier ?? ''}/${scope.projectIdentifier ?? ''}`;

export interface AuditChange {
  action: AuditAction;
  resource: { type: string; identifier: string };
  scope: Scope;
  before?: unknown;
  after?: unknown;
}

export interface AuditEvent {
  auditId: string;
  timestamp: number;
  action: string;
  resource: { type: string; identifier: string };
  scope: Scope;
  authenticationInfo: { principal: { type: string; identifier: string }; ip: string | null; userAgent: string | null };
  before: unknown;
  after: unknown;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redact(v)));

export async function recordAudit(db: Kysely<Database>, actor: AuditActor, change: AuditChange, now = Date.now()): Promise<void> {
  await db.insertInto('audit_events').values({
    id: newUuid(),
    ...scopeCols(change.scope),
    timestamp: now,
    action: change.action,
    resource_type: change.resource.type,
    resource_identifier: change.resource.identifier,
    principal_type: actor.principal.type,
    principal_identifier: actor.principal.identifier,
    principal_scope: actor.principal.scope ?? null,
    ip: actor.ip,
    user_agent: actor.userAgent ? redactString(actor.userAgent).slice(0, 512) : null,
    before: json(change.before),
    after: json(change.after),
  }).execute();
}

export interface AuditFilter {
  accountIdentifier: string;
  orgIdentifier?: string | null;
  projectIdentifier?: string | null;
  /** Only entries of these actors (principal identifiers); absent → all. */
  actors?: string[];
  actions?: string[];
  resourceTypes?: string[];
  startTime?: number;
  endTime?: number;
  /**
   * Who sees what: entries judged at one of `scopes` (keys from `auditScopeKeys`) plus the entries of
   * `actor`'s own actions anywhere in the filter. Absent → every entry.
   */
  visible?: {
    scopes: string[];
    /** Entries judged at `key` from `from` (inclusive) to `to` (exclusive), in epoch ms. */
    periods?: { key: string; from?: number; to?: number }[];
    /**
     * `since`: the actor's own entries are shown from then on (epoch ms): a service account's, from
     * its creation, so that one made again under a deleted one's identifier does not see its actions.
     */
    actor: { type: string; identifier: string; scope?: string | null; since?: number };
  };
}

/**
 * The scope an entry is judged at, as the key 'org/project' ('' for none; '/' cannot occur in an
 * identifier): its own, except that an organization's or a project's own lifecycle, recorded in
 * that organization or project, belongs to the scope that holds it, where the resource is seen.
 */
const scopeKey = sql<string>`case when resource_type = 'ORGANIZATION' then '/' when resource_type = 'PROJECT' then org_identifier || '/' else org_identifier || '/' || project_identifier end`;

/** The scope of a key from `auditScopeKeys`. */
export function scopeOfKey(accountIdentifier: string, key: string): Scope {
  const [org = '', project = ''] = key.split('/');
  return makeScope(accountIdentifier, org || null, project || null);
}

/** A key list as IN lists of a bounded size: one IN of thousands of values is fine, one OR of thousands of terms is not. */
function chunks<T>(items: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The filter's WHERE clause, shared by the count, the page and the scopes below. */
function filtered(db: Kysely<Database>, filter: AuditFilter) {
  let q = db.selectFrom('audit_events').where('account_id', '=', filter.accountIdentifier);
  if (filter.orgIdentifier) q = q.where('org_identifier', '=', filter.orgIdentifier);
  if (filter.projectIdentifier) q = q.where('project_identifier', '=', filter.projectIdentifier);
  if (filter.actors?.length) q = q.where('principal_identifier', 'in', filter.actors);
  if (filter.actions?.length) q = q.where('action', 'in', filter.actions);
  if (filter.resourceTypes?.length) q = q.where('resource_type', 'in', filter.resourceTypes);
  if (filter.startTime !== undefined) q = q.where('timestamp', '>=', filter.startTime);
  if (filter.endTime !== undefined) q = q.where('timestamp', '<=', filter.endTime);
  return q;
}

/**
 * The distinct scopes the entries a filter matches are judged at, as keys (see `scopeKey`), each
 * with the time of its earliest such entry.
 */
export async function auditScopeKeys(db: Kysely<Database>, filter: AuditFilter): Promise<{ key: string; earliest: number }[]> {
  const rows = await filtered(db, filter)
    .select((eb) => [scopeKey.as('scope_key'), eb.fn.min('timestamp').as('earliest')]).groupBy(sql`scope_key`).execute();
  return rows.map((r) => ({ key: r.scope_key, earliest: Number(r.earliest) }));
}

/**
 * For each key of `auditScopeKeys` naming an organization (and a project) that exists, when it was
 * created: an entry of that scope from before belongs to a deleted one of the same identifier.
 */
export async function scopesCreatedAt(db: Kysely<Database>, accountIdentifier: string, keys: string[]):
  Promise<Map<string, { org: number; project: number | null }>> {
  const orgs = [...new Set(keys.map((k) => k.split('/')[0]!).filter((o) => o !== ''))];
  const out = new Map<string, { org: number; project: number | null }>();
  if (orgs.length === 0) return out;
  const orgCreated = new Map<string, number>();
  const projectCreated = new Map<string, number>();
  for (const some of chunks(orgs)) {
    for (const r of await db.selectFrom('organizations').select(['identifier', 'created_at'])
      .where('account_id', '=', accountIdentifier).where('identifier', 'in', some).execute()) orgCreated.set(r.identifier, Number(r.created_at));
    for (const r of await db.selectFrom('projects').select(['org_identifier', 'identifier', 'created_at'])
      .where('account_id', '=', accountIdentifier).where('org_identifier', 'in', some).execute()) projectCreated.set(`${r.org_identifier}/${r.identifier}`, Number(r.created_at));
  }
  for (const key of keys) {
    const [org = '', project = ''] = key.split('/');
    const created = orgCreated.get(org);
    if (created === undefined) continue;
    out.set(key, { org: created, project: project === '' ? null : projectCreated.get(key) ?? null });
  }
  return out;
}

export async function listAudit(db: Kysely<Database>, filter: AuditFilter, pageIndex: number, pageSize: number,
  order: 'asc' | 'desc' = 'desc'): Promise<{ items: AuditEvent[]; total: number }> {
  let q = filtered(db, filter);
  const visible = filter.visible;
  if (visible) {
    q = q.where((eb) => eb.or([
      eb.and([
        eb('principal_type', '=', visible.actor.type), eb('principal_identifier', '=', visible.actor.identifier),
        // A service account's own entries are those of its scope too (older entries, without one, are not).
        ...(visible.actor.scope ? [eb('principal_scope', '=', visible.actor.scope)] : []),
        ...(visible.actor.since === undefined ? [] : [eb('timestamp', '>=', visible.actor.since)]),
      ]),
      ...chunks(visible.scopes).map((keys) => eb(scopeKey, 'in', keys)),
      // In groups, so that the OR stays shallow however many periods there are (SQLite parses a
      // flat OR of n terms as a tree n deep, and refuses one over 1,000).
      ...chunks(visible.periods ?? [], 100).map((group) => eb.or(group.map(({ key, from, to }) => eb.and([
        eb(scopeKey, '=', key),
        ...(from === undefined ? [] : [eb('timestamp', '>=', from)]),
        ...(to === undefined ? [] : [eb('timestamp', '<', to)]),
      ])))),
    ]));
  }
  const { count } = await q.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('timestamp', order).orderBy('id', order)
    .limit(pageSize).offset(pageIndex * pageSize).execute();
  return {
    total: Number(count),
    items: rows.map((r) => ({
      auditId: r.id,
      timestamp: r.timestamp,
      action: r.action,
      resource: { type: r.resource_type, identifier: r.resource_identifier },
      scope: makeScope(r.account_id, r.org_identifier, r.project_identifier),
      authenticationInfo: {
        principal: { type: r.principal_type, identifier: r.principal_identifier },
        ip: r.ip,
        userAgent: r.user_agent,
      },
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
    })),
  };
}
