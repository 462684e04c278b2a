// Service accounts (SPEC §3): non-human principals living at one scope, with their API keys'
// count and role assignments for the aggregate view. Deleting one takes its API keys (and, by the
// foreign key, their tokens), its group memberships and its role assignments with it.
import type { Kysely } from 'kysely';
import { scopeLevel, type Scope } from '../domain/scope.js';
import { roleAssignmentMetadata, type RoleAssignmentMetadata } from './role-assignment-metadata.js';
import { principalAssignmentsWhere } from './role-assignments.js';
import type { Database, ServiceAccountsTable } from './schema.js';
import { scopeCols, whereScope } from './scope-columns.js';
import { lockApiKeysWhere } from './api-keys.js';
import { normalizeEmail } from '../domain/validation.js';
import { inCodePointOrder } from './text-order.js';

export interface ServiceAccount {
  identifier: string;
  name: string;
  email: string;
  description: string;
  tags: Record<string, string>;
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
}

export interface ServiceAccountRecord { serviceAccount: ServiceAccount; createdAt: number; lastModifiedAt: number }

export function toServiceAccountRecord(row: ServiceAccountsTable): ServiceAccountRecord {
  return {
    serviceAccount: {
      identifier: row.identifier, name: row.name, email: row.email, description: row.description,
      tags: JSON.parse(row.tags), accountIdentifier: row.account_id,
      orgIdentifier: row.org_identifier || null, projectIdentifier: row.project_identifier || null,
    },
    createdAt: row.created_at,
    lastModifiedAt: row.last_modified_at,
  };
}

export async function getServiceAccount(db: Kysely<Database>, scope: Scope, identifier: string): Promise<ServiceAccountRecord | null> {
  const row = await whereScope(db.selectFrom('service_accounts').selectAll(), scope)
    .where('identifier', '=', identifier).executeTakeFirst();
  return row ? toServiceAccountRecord(row) : null;
}

/** The service accounts of exactly `scope`, optionally only those named. */
export async function listServiceAccounts(db: Kysely<Database>, scope: Scope, identifiers?: string[]): Promise<ServiceAccountRecord[]> {
  if (identifiers && identifiers.length === 0) return [];
  let q = whereScope(db.selectFrom('service_accounts').selectAll(), scope);
  if (identifiers) q = q.where('identifier', 'in', identifiers);
  return (await q.orderBy('identifier', inCodePointOrder(db)).execute()).map(toServiceAccountRecord);
}

export async function insertServiceAccount(db: Kysely<Database>, sa: ServiceAccount, now: number): Promise<ServiceAccountRecord> {
  const row: ServiceAccountsTable = {
    ...scopeCols(sa), identifier: sa.identifier, name: sa.name, email: normalizeEmail(sa.email),
    description: sa.description, tags: JSON.stringify(sa.tags), created_at: now, last_modified_at: now,
  };
  await db.insertInto('service_accounts').values(row).execute();
  return toServiceAccountRecord(row);
}

export async function updateServiceAccount(
  db: Kysely<Database>, scope: Scope, identifier: string,
  fields: Pick<ServiceAccount, 'name' | 'description' | 'tags'>, now: number,
): Promise<boolean> {
  const result = await whereScope(db.updateTable('service_accounts')
    .set({ name: fields.name, description: fields.description, tags: JSON.stringify(fields.tags), last_modified_at: now }), scope)
    .where('identifier', '=', identifier).executeTakeFirst();
  return result.numUpdatedRows > 0n; // false: deleted meanwhile by a concurrent transaction
}

export interface DeletedServiceAccount { apiKeys: number; groupMemberships: number; roleAssignments: number }

/** Deletes the service account and everything that hangs off it; call inside a transaction. */
export async function deleteServiceAccount(trx: Kysely<Database>, scope: Scope, identifier: string): Promise<DeletedServiceAccount> {
  const c = scopeCols(scope);
  const n = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  // Keys before tokens, and grants before memberships: the order every deletion takes rows in.
  await lockApiKeysWhere(trx, { accountId: c.account_id, orgIdentifier: c.org_identifier, projectIdentifier: c.project_identifier,
    apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: identifier });
  const keys = whereScope(trx.selectFrom('api_keys').select('id'), scope)
    .where('api_key_type', '=', 'SERVICE_ACCOUNT').where('parent_identifier', '=', identifier);
  // Tokens go with their keys by the foreign key; deleting them first does not rely on it.
  await trx.deleteFrom('tokens').where('api_key_id', 'in', keys).execute();
  const apiKeys = n(await whereScope(trx.deleteFrom('api_keys'), scope)
    .where('api_key_type', '=', 'SERVICE_ACCOUNT').where('parent_identifier', '=', identifier).executeTakeFirstOrThrow());
  const roleAssignments = n(await principalAssignmentsWhere(trx.deleteFrom('role_assignments'), 'SERVICE_ACCOUNT', identifier, scope)
    .executeTakeFirstOrThrow());
  const groupMemberships = n(await whereScope(trx.deleteFrom('user_group_members'), scope)
    .where('member_type', '=', 'SERVICE_ACCOUNT').where('member_identifier', '=', identifier).executeTakeFirstOrThrow());
  await whereScope(trx.deleteFrom('service_accounts'), scope).where('identifier', '=', identifier).execute();
  return { apiKeys, groupMemberships, roleAssignments };
}

/** API keys per service account of `scope` (the aggregate's tokensCount, as Harness counts it). */
export async function apiKeyCounts(db: Kysely<Database>, scope: Scope, identifiers: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (identifiers.length === 0) return out;
  const rows = await whereScope(db.selectFrom('api_keys')
    .select((eb) => ['parent_identifier', eb.fn.countAll<number>().as('n')]), scope)
    .where('api_key_type', '=', 'SERVICE_ACCOUNT').where('parent_identifier', 'in', identifiers)
    .groupBy('parent_identifier').execute();
  for (const r of rows) out.set(r.parent_identifier, Number(r.n));
  return out;
}

/**
 * The service account an assignment at `scope` names by `identifier`: at `level` when given, else
 * the nearest one (the scope itself, then its ancestors). Returns its scope, or null.
 */
export async function findServiceAccountFor(
  db: Kysely<Database>, scope: Scope, identifier: string, level: 'account' | 'organization' | 'project' | null,
): Promise<Scope | null> {
  const candidates: Scope[] = [];
  if (scope.projectIdentifier) candidates.push(scope);
  if (scope.orgIdentifier) candidates.push({ ...scope, projectIdentifier: null });
  candidates.push({ accountIdentifier: scope.accountIdentifier, orgIdentifier: null, projectIdentifier: null });
  for (const s of candidates) {
    if (level && scopeLevel(s) !== level) continue;
    if (await getServiceAccount(db, s, identifier)) return s;
  }
  return null;
}

export interface ServiceAccountAggregate extends ServiceAccountRecord {
  tokensCount: number;
  roleAssignmentsMetadataDTO: RoleAssignmentMetadata[];
}

/** Adds API-key counts and the role assignments made at their own scope to service accounts of `scope`. */
export async function serviceAccountAggregates(db: Kysely<Database>, scope: Scope, records: ServiceAccountRecord[]): Promise<ServiceAccountAggregate[]> {
  if (records.length === 0) return [];
  const ids = records.map((r) => r.serviceAccount.identifier);
  const counts = await apiKeyCounts(db, scope, ids);
  const metadata = await roleAssignmentMetadata(db, scope, 'SERVICE_ACCOUNT', ids, scopeLevel(scope));
  return records.map((record) => ({
    ...record,
    tokensCount: counts.get(record.serviceAccount.identifier) ?? 0,
    roleAssignmentsMetadataDTO: metadata.get(record.serviceAccount.identifier) ?? [],
  }));
}
