// Tokens: secrets under an API key. The row's id is the server-side tokenId embedded in the value;
// only SHA-256 of the secret is stored. Rotation renames the old row and inserts a new one.
import { sql, SqliteAdapter, type Kysely } from 'kysely';
import { issueToken, type ApiKeyType } from '../domain/token-format.js';
import { makeScope, type Scope } from '../domain/scope.js';
import type { ApiKeyRecord } from './api-keys.js';
import type { Database, TokensTable } from './schema.js';
import { scopeCols, whereScope } from './scope-columns.js';
import { inCodePointOrder } from './text-order.js';

export interface TokenRecord {
  tokenId: string;
  apiKeyId: string;
  identifier: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  scope: Scope;
  apiKeyIdentifier: string;
  apiKeyType: ApiKeyType;
  parentIdentifier: string;
  validFrom: number;
  validTo: number;
  scheduledExpireTime: number | null;
  createdAt: number;
  lastModifiedAt: number;
  lastUsedAt: number | null;
}

/** What authentication needs of a token, and nothing more. */
export interface TokenCredential {
  tokenId: string;
  apiKeyId: string;
  apiKeyIdentifier: string;
  apiKeyType: ApiKeyType;
  parentIdentifier: string;
  scope: Scope;
  secretHash: string;
  validFrom: number;
  validTo: number;
  scheduledExpireTime: number | null;
}

const num = (v: number | string) => Number(v);
const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

export function toTokenRecord(row: Omit<TokensTable, 'secret_hash'>): TokenRecord {
  return {
    tokenId: row.id,
    apiKeyId: row.api_key_id,
    identifier: row.identifier,
    name: row.name,
    description: row.description,
    tags: JSON.parse(row.tags) as Record<string, string>,
    scope: makeScope(row.account_id, row.org_identifier, row.project_identifier),
    apiKeyIdentifier: row.api_key_identifier,
    apiKeyType: row.api_key_type,
    parentIdentifier: row.parent_identifier,
    validFrom: num(row.valid_from),
    validTo: num(row.valid_to),
    scheduledExpireTime: numOrNull(row.scheduled_expire_time),
    createdAt: num(row.created_at),
    lastModifiedAt: num(row.last_modified_at),
    lastUsedAt: numOrNull(row.last_used_at),
  };
}

// Every column but the hash: records leave the store without it.
const RECORD_COLUMNS = [
  'id', 'api_key_id', 'identifier', 'name', 'description', 'tags', 'account_id', 'org_identifier',
  'project_identifier', 'api_key_identifier', 'api_key_type', 'parent_identifier', 'valid_from', 'valid_to',
  'scheduled_expire_time', 'created_at', 'last_modified_at', 'last_used_at',
] as const;

const credentialQuery = (db: Kysely<Database>, tokenId: string) => db.selectFrom('tokens')
  .select(['id', 'api_key_id', 'api_key_identifier', 'api_key_type', 'parent_identifier', 'account_id',
    'org_identifier', 'project_identifier', 'secret_hash', 'valid_from', 'valid_to', 'scheduled_expire_time'])
  .where('id', '=', tokenId);

/**
 * The credential query compiled once per database: every token not in the verification cache (a
 * flood of made-up ones included) runs it, and building and compiling it anew each time cost more
 * than SQLite takes to answer it. Only the parameter changes.
 */
type CompiledCredentialQuery = ReturnType<ReturnType<typeof credentialQuery>['compile']>;
const compiledCredentialQueries = new WeakMap<Kysely<Database>, CompiledCredentialQuery>();

/** The hot path's one query: a token's credential by its id. */
export async function findTokenCredential(db: Kysely<Database>, tokenId: string): Promise<TokenCredential | null> {
  let compiled = compiledCredentialQueries.get(db);
  if (!compiled) compiledCredentialQueries.set(db, compiled = credentialQuery(db, '').compile());
  const query: CompiledCredentialQuery = { ...compiled, parameters: [tokenId] };
  const { rows: [row] } = await db.executeQuery(query);
  if (!row) return null;
  return {
    tokenId: row.id,
    apiKeyId: row.api_key_id,
    apiKeyIdentifier: row.api_key_identifier,
    apiKeyType: row.api_key_type,
    parentIdentifier: row.parent_identifier,
    scope: makeScope(row.account_id, row.org_identifier, row.project_identifier),
    secretHash: row.secret_hash,
    validFrom: num(row.valid_from),
    validTo: num(row.valid_to),
    scheduledExpireTime: numOrNull(row.scheduled_expire_time),
  };
}

export async function findTokenById(db: Kysely<Database>, tokenId: string): Promise<TokenRecord | null> {
  const row = await db.selectFrom('tokens').select(RECORD_COLUMNS).where('id', '=', tokenId).executeTakeFirst();
  return row ? toTokenRecord(row) : null;
}

export async function findToken(db: Kysely<Database>, apiKeyId: string, identifier: string): Promise<TokenRecord | null> {
  const row = await db.selectFrom('tokens').select(RECORD_COLUMNS)
    .where('api_key_id', '=', apiKeyId).where('identifier', '=', identifier).executeTakeFirst();
  return row ? toTokenRecord(row) : null;
}

export interface TokenFilter {
  scope: Scope;
  /** Owners whose tokens may be listed (already filtered to what the caller may see). */
  owners: { apiKeyType: ApiKeyType; parentIdentifier: string }[];
  apiKeyIdentifier?: string;
  identifiers?: string[];
  /** A literal of printable ASCII; narrows the rows to those whose name, identifier or tags text contain it, case aside. */
  searchTerm?: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The search term as a LIKE pattern over `lower(...)` that keeps every row JavaScript's toLowerCase
 * would match. lower() folds only ASCII on SQLite and follows the locale on PostgreSQL (a Turkish
 * one folds I to ı), while toLowerCase also folds U+212A KELVIN SIGN to k and U+0130 İ to i̇: so `k`
 * and `i` match any one character.
 */
const searchPattern = (term: string) => `%${escapeLike(term.toLowerCase()).replace(/[ki]/g, '_')}%`;

/**
 * Tokens of the given owners at a scope. The search here is a coarse pre-filter (tags are JSON
 * text); the route applies the exact rule to what comes back.
 */
export async function listTokens(db: Kysely<Database>, filter: TokenFilter): Promise<TokenRecord[]> {
  if (filter.owners.length === 0) return [];
  const out: TokenRecord[] = [];
  for (let i = 0; i < filter.owners.length; i += 200) {
    const owners = filter.owners.slice(i, i + 200);
    let q = whereScope(db.selectFrom('tokens').select(RECORD_COLUMNS), filter.scope)
      .where((eb) => eb.or(owners.map((o) => eb.and([
        eb('api_key_type', '=', o.apiKeyType), eb('parent_identifier', '=', o.parentIdentifier),
      ]))));
    if (filter.apiKeyIdentifier) q = q.where('api_key_identifier', '=', filter.apiKeyIdentifier);
    if (filter.identifiers?.length) q = q.where('identifier', 'in', filter.identifiers);
    if (filter.searchTerm) {
      const like = searchPattern(filter.searchTerm);
      q = q.where(sql<boolean>`(lower(name) like ${like} escape '\\' or lower(identifier) like ${like} escape '\\' or lower(tags) like ${like} escape '\\')`);
    }
    const rows = await q.orderBy('id', inCodePointOrder(db)).execute();
    out.push(...rows.map(toTokenRecord));
  }
  return out;
}

/** Tokens that count against the per-key limit: rotated ones in their grace period do not. */
export async function countCountedTokens(db: Kysely<Database>, apiKeyId: string): Promise<number> {
  const { n } = await db.selectFrom('tokens').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('api_key_id', '=', apiKeyId).where('scheduled_expire_time', 'is', null).executeTakeFirstOrThrow();
  return Number(n);
}

export interface NewToken {
  identifier: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  validFrom: number;
  validTo: number;
}

/** Inserts a token under a key; returns its record and the value, which the caller shows once. */
export async function insertToken(db: Kysely<Database>, key: ApiKeyRecord, token: NewToken, now: number):
  Promise<{ record: TokenRecord; value: string }> {
  const issued = issueToken(key.apiKey.apiKeyType, key.apiKey.accountIdentifier);
  const row = tokenRow(key, token, issued.tokenId, issued.secretHash, now);
  await db.insertInto('tokens').values(row).execute();
  return { record: toTokenRecord(row), value: issued.value };
}

function tokenRow(key: ApiKeyRecord, token: NewToken, tokenId: string, secretHash: string, now: number): TokensTable {
  const k = key.apiKey;
  return {
    id: tokenId,
    api_key_id: key.id,
    ...scopeCols(k),
    api_key_identifier: k.identifier,
    api_key_type: k.apiKeyType,
    parent_identifier: k.parentIdentifier,
    identifier: token.identifier,
    name: token.name,
    description: token.description,
    tags: JSON.stringify(token.tags),
    secret_hash: secretHash,
    valid_from: token.validFrom,
    valid_to: token.validTo,
    scheduled_expire_time: null,
    created_at: now,
    last_modified_at: now,
    last_used_at: null,
  };
}

export type TokenChanges = Pick<TokenRecord, 'name' | 'description' | 'tags' | 'validFrom' | 'validTo'>;

export async function updateToken(db: Kysely<Database>, tokenId: string, changes: TokenChanges, now: number): Promise<void> {
  await db.updateTable('tokens').set({
    name: changes.name,
    description: changes.description,
    tags: JSON.stringify(changes.tags),
    valid_from: changes.validFrom,
    valid_to: changes.validTo,
    last_modified_at: now,
  }).where('id', '=', tokenId).execute();
}

/** The old token of a rotation: renamed, and working only until `graceUntil`. */
export async function retireToken(db: Kysely<Database>, tokenId: string, rotatedIdentifier: string, graceUntil: number, now: number):
  Promise<void> {
  await db.updateTable('tokens')
    .set({ identifier: rotatedIdentifier, scheduled_expire_time: graceUntil, last_modified_at: now })
    .where('id', '=', tokenId).execute();
}

export async function deleteToken(db: Kysely<Database>, tokenId: string): Promise<void> {
  await db.deleteFrom('tokens').where('id', '=', tokenId).execute();
}

/**
 * Deletes every token of one owner (DELETE /token/all): a user's in every scope of the account, a
 * service account's at its scope. Returns the deleted ids.
 */
export async function deleteTokensOfOwner(
  db: Kysely<Database>, owner: { scope: Scope; apiKeyType: ApiKeyType; parentIdentifier: string },
): Promise<TokenRecord[]> {
  let q = db.selectFrom('tokens').select(RECORD_COLUMNS)
    .where('account_id', '=', owner.scope.accountIdentifier)
    .where('api_key_type', '=', owner.apiKeyType).where('parent_identifier', '=', owner.parentIdentifier);
  if (owner.apiKeyType === 'SERVICE_ACCOUNT') {
    q = q.where('org_identifier', '=', owner.scope.orgIdentifier ?? '')
      .where('project_identifier', '=', owner.scope.projectIdentifier ?? '');
  }
  const rows = (await q.execute()).map(toTokenRecord);
  for (let i = 0; i < rows.length; i += 500) {
    await db.deleteFrom('tokens').where('id', 'in', rows.slice(i, i + 500).map((r) => r.tokenId)).execute();
  }
  return rows;
}

/**
 * Writes tokens' last-used times, the batch the last-used recorder flushes, never moving one back.
 *
 * On SQLite the write does not wait for the disk (`synchronous = NORMAL` for it alone, then FULL
 * again): better-sqlite3 runs on the event loop, so a FULL commit's fsync — 1 ms typically, tens
 * of milliseconds on a busy disk — would stall every request in flight once per flush. In WAL mode
 * that loses nothing but durability of these times, and only to a power cut or an OS crash (the
 * next FULL commit or checkpoint syncs them); they are already kept in memory for seconds before
 * being written, and a kill loses those too. Every other write still waits for the disk.
 */
export async function recordTokensLastUsed(db: Kysely<Database>, entries: Iterable<[string, number]>): Promise<void> {
  const all = [...entries];
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return writeLastUsed(db, all);
  await db.connection().execute(async (conn) => {
    await sql`pragma synchronous = NORMAL`.execute(conn);
    try {
      await writeLastUsed(conn, all);
    } finally {
      await sql`pragma synchronous = FULL`.execute(conn);
    }
  });
}

/**
 * Writes last-used times in one statement per chunk (`case id when … then …`). Never moves a time
 * backwards (several instances flush independently).
 */
async function writeLastUsed(db: Kysely<Database>, all: [string, number][]): Promise<void> {
  for (let i = 0; i < all.length; i += 250) {
    const chunk = all.slice(i, i + 250);
    const at = sql`case id ${sql.join(chunk.map(([id, t]) => sql`when ${id} then cast(${t} as bigint)`), sql` `)} end`;
    await sql`update tokens
      set last_used_at = case when last_used_at is null or last_used_at < ${at} then ${at} else last_used_at end
      where id in (${sql.join(chunk.map(([id]) => id))})`.execute(db);
  }
}

/**
 * For benchmarks and load tests: inserts `count` tokens under a key in a few large statements,
 * bypassing the per-key limit, and returns their values. Identifiers are `<prefix><n>`.
 */
export async function seedTokens(
  db: Kysely<Database>, key: ApiKeyRecord, count: number,
  options: { now?: number; validTo?: number; identifierPrefix?: string } = {},
): Promise<string[]> {
  const now = options.now ?? Date.now();
  const validTo = options.validTo ?? now + 365 * 24 * 3_600_000;
  const prefix = options.identifierPrefix ?? 'seeded_';
  const values: string[] = [];
  let rows: TokensTable[] = [];
  const write = async () => {
    if (rows.length === 0) return;
    await db.insertInto('tokens').values(rows).execute();
    rows = [];
  };
  for (let n = 0; n < count; n++) {
    const issued = issueToken(key.apiKey.apiKeyType, key.apiKey.accountIdentifier);
    values.push(issued.value);
    rows.push(tokenRow(key, {
      identifier: `${prefix}${n}`, name: `${prefix}${n}`, description: '', tags: {}, validFrom: now, validTo,
    }, issued.tokenId, issued.secretHash, now));
    if (rows.length === 500) await write(); // 19 columns × 500 rows stays well under both engines' parameter limits
  }
  await write();
  return values;
}
