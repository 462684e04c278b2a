// API keys: named containers of tokens, owned by a user (USER) or a service account
// (SERVICE_ACCOUNT) and living at one scope. A key is identified by scope, type, owner and identifier.
import { sql, type Kysely } from 'kysely';
import { newUuid } from '../domain/ids.js';
import type { Scope } from '../domain/scope.js';
import type { ApiKeyType } from '../domain/token-format.js';
import type { ApiKeysTable, Database } from './schema.js';
import { isPostgres, lockPrincipals } from './locks.js';
import { scopeCols, whereScope } from './scope-columns.js';
import { inCodePointOrder } from './text-order.js';

export interface ApiKey {
  identifier: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
  apiKeyType: ApiKeyType;
  parentIdentifier: string;
  defaultTimeToExpireToken: number;
  rateLimitQps: number | null;
}

export interface ApiKeyRecord {
  /** Surrogate id: tokens point at it, rate-limit budgets are kept per it. */
  id: string;
  apiKey: ApiKey;
  createdAt: number;
  lastModifiedAt: number;
}

/** Who owns keys: the owner's type and identifier, at a scope. */
export interface KeyOwner {
  scope: Scope;
  apiKeyType: ApiKeyType;
  parentIdentifier: string;
}

export interface ApiKeyRef extends KeyOwner { identifier: string }

export function toApiKeyRecord(row: ApiKeysTable): ApiKeyRecord {
  return {
    id: row.id,
    apiKey: {
      identifier: row.identifier,
      name: row.name,
      description: row.description,
      tags: JSON.parse(row.tags) as Record<string, string>,
      accountIdentifier: row.account_id,
      orgIdentifier: row.org_identifier || null,
      projectIdentifier: row.project_identifier || null,
      apiKeyType: row.api_key_type,
      parentIdentifier: row.parent_identifier,
      defaultTimeToExpireToken: Number(row.default_time_to_expire_token),
      rateLimitQps: row.rate_limit_qps === null ? null : Number(row.rate_limit_qps),
    },
    createdAt: Number(row.created_at),
    lastModifiedAt: Number(row.last_modified_at),
  };
}


const selectApiKey = (db: Kysely<Database>, ref: ApiKeyRef) => whereScope(db.selectFrom('api_keys').selectAll(), ref.scope)
  .where('api_key_type', '=', ref.apiKeyType).where('parent_identifier', '=', ref.parentIdentifier)
  .where('identifier', '=', ref.identifier);

export async function findApiKey(db: Kysely<Database>, ref: ApiKeyRef): Promise<ApiKeyRecord | null> {
  const row = await selectApiKey(db, ref).executeTakeFirst();
  return row ? toApiKeyRecord(row) : null;
}

/**
 * findApiKey for a write: on PostgreSQL the row stays locked until the transaction ends, so a
 * concurrent delete or update waits (or has committed, and the key is read as it is now or missing).
 * SQLite's write transaction holds the whole database already.
 */
export async function findApiKeyForUpdate(trx: Kysely<Database>, engine: 'sqlite' | 'postgres', ref: ApiKeyRef): Promise<ApiKeyRecord | null> {
  const query = selectApiKey(trx, ref);
  const row = await (engine === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  return row ? toApiKeyRecord(row) : null;
}

/**
 * Takes the key's row lock for the rest of the transaction (PostgreSQL; SQLite transactions already
 * hold the database's write lock), so token changes under one key happen one after another.
 */
export async function lockApiKey(trx: Kysely<Database>, engine: 'sqlite' | 'postgres', id: string): Promise<boolean> {
  if (engine !== 'postgres') return true;
  // False when a concurrent transaction deleted the key after it was read: nothing may go under it.
  const { rows } = await sql`select id from api_keys where id = ${id} for update`.execute(trx);
  return rows.length > 0;
}

/**
 * Serializes key creation for one owner (PostgreSQL), so the per-owner limit holds under
 * concurrency; it is the owner's principal lock (locks.ts), which deleting the owner takes too, so
 * no key is created for an owner being deleted. Check the owner exists after taking it.
 */
export async function lockKeyOwner(trx: Kysely<Database>, engine: 'sqlite' | 'postgres', owner: KeyOwner): Promise<void> {
  await lockPrincipals(trx, engine, owner.scope.accountIdentifier, [{ type: owner.apiKeyType, identifier: owner.parentIdentifier }], 'exclusive');
}

/**
 * Row-locks (PostgreSQL) the API keys a deletion is about to remove, in id order, before any of
 * their tokens: the order token changes take them in (lockApiKey, then tokens), so the two never
 * deadlock. Call first in deletions that remove keys in bulk (an owner's, a scope's).
 */
export async function lockApiKeysWhere(trx: Kysely<Database>, where: { accountId: string; apiKeyType?: ApiKeyType;
  parentIdentifier?: string; orgIdentifier?: string; projectIdentifier?: string }): Promise<void> {
  if (!isPostgres(trx)) return;
  let q = trx.selectFrom('api_keys').select('id').where('account_id', '=', where.accountId);
  if (where.apiKeyType) q = q.where('api_key_type', '=', where.apiKeyType);
  if (where.parentIdentifier !== undefined) q = q.where('parent_identifier', '=', where.parentIdentifier);
  if (where.orgIdentifier !== undefined) q = q.where('org_identifier', '=', where.orgIdentifier);
  if (where.projectIdentifier !== undefined) q = q.where('project_identifier', '=', where.projectIdentifier);
  await q.orderBy('id').forUpdate().execute();
}

export interface ApiKeyFilter {
  scope: Scope;
  apiKeyType?: ApiKeyType;
  parentIdentifier?: string;
  identifiers?: string[];
}

export async function listApiKeys(db: Kysely<Database>, filter: ApiKeyFilter): Promise<ApiKeyRecord[]> {
  let q = whereScope(db.selectFrom('api_keys').selectAll(), filter.scope);
  if (filter.apiKeyType) q = q.where('api_key_type', '=', filter.apiKeyType);
  if (filter.parentIdentifier) q = q.where('parent_identifier', '=', filter.parentIdentifier);
  if (filter.identifiers?.length) q = q.where('identifier', 'in', filter.identifiers);
  // Identifiers repeat across owners; the id tells their keys apart.
  const rows = await q.orderBy('created_at').orderBy('identifier', inCodePointOrder(db)).orderBy('id', inCodePointOrder(db)).execute();
  return rows.map(toApiKeyRecord);
}

/** The distinct owners of keys matching a filter, for per-owner visibility checks. */
export async function listKeyOwners(db: Kysely<Database>, filter: ApiKeyFilter): Promise<KeyOwner[]> {
  let q = whereScope(db.selectFrom('api_keys').select(['api_key_type', 'parent_identifier']), filter.scope);
  if (filter.apiKeyType) q = q.where('api_key_type', '=', filter.apiKeyType);
  if (filter.parentIdentifier) q = q.where('parent_identifier', '=', filter.parentIdentifier);
  // group by, not distinct: PostgreSQL orders a distinct list only by what it selects, not by a collation of it.
  const rows = await q.groupBy(['api_key_type', 'parent_identifier'])
    .orderBy('api_key_type').orderBy('parent_identifier', inCodePointOrder(db)).execute();
  return rows.map((r) => ({ scope: filter.scope, apiKeyType: r.api_key_type, parentIdentifier: r.parent_identifier }));
}

export async function countApiKeysOfOwner(db: Kysely<Database>, owner: KeyOwner): Promise<number> {
  const { n } = await whereScope(db.selectFrom('api_keys'), owner.scope)
    .where('api_key_type', '=', owner.apiKeyType).where('parent_identifier', '=', owner.parentIdentifier)
    .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

/** Tokens per key (all of them, rotated ones included), for ApiKeyAggregate.tokensCount. */
export async function countTokensByKey(db: Kysely<Database>, keyIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (keyIds.length === 0) return counts;
  for (let i = 0; i < keyIds.length; i += 500) {
    const rows = await db.selectFrom('tokens').select(['api_key_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('api_key_id', 'in', keyIds.slice(i, i + 500)).groupBy('api_key_id').execute();
    for (const r of rows) counts.set(r.api_key_id, Number(r.n));
  }
  return counts;
}

export async function insertApiKey(db: Kysely<Database>, apiKey: ApiKey, now: number): Promise<ApiKeyRecord> {
  const row: ApiKeysTable = {
    id: newUuid(),
    ...scopeCols(apiKey),
    identifier: apiKey.identifier,
    api_key_type: apiKey.apiKeyType,
    parent_identifier: apiKey.parentIdentifier,
    name: apiKey.name,
    description: apiKey.description,
    tags: JSON.stringify(apiKey.tags),
    default_time_to_expire_token: apiKey.defaultTimeToExpireToken,
    rate_limit_qps: apiKey.rateLimitQps,
    created_at: now,
    last_modified_at: now,
  };
  await db.insertInto('api_keys').values(row).execute();
  return toApiKeyRecord(row);
}

export type ApiKeyChanges = Pick<ApiKey, 'name' | 'description' | 'tags' | 'defaultTimeToExpireToken' | 'rateLimitQps'>;

export async function updateApiKey(db: Kysely<Database>, id: string, changes: ApiKeyChanges, now: number): Promise<void> {
  await db.updateTable('api_keys').set({
    name: changes.name,
    description: changes.description,
    tags: JSON.stringify(changes.tags),
    default_time_to_expire_token: changes.defaultTimeToExpireToken,
    rate_limit_qps: changes.rateLimitQps,
    last_modified_at: now,
  }).where('id', '=', id).execute();
}

/** Deletes a key and its tokens; returns the deleted token ids (for cache invalidation). */
export async function deleteApiKey(db: Kysely<Database>, id: string): Promise<string[]> {
  const tokens = await db.selectFrom('tokens').select('id').where('api_key_id', '=', id).execute();
  await db.deleteFrom('tokens').where('api_key_id', '=', id).execute();
  await db.deleteFrom('api_keys').where('id', '=', id).execute();
  return tokens.map((t) => t.id);
}

