// Transaction-scoped locks that keep a write from interleaving with the deletion of what it refers
// to. A write that puts something inside a scope, or under a principal (an API key under its owner,
// a member into a group, a role assignment to a principal), holds that scope's or principal's lock
// *shared* and checks, after taking it, that the scope or principal is still there; a deletion
// holds it *exclusive* from its first statement. So either the write commits first and the
// deletion (whose later statements see it) removes it too, or the deletion commits first and the
// write finds nothing and answers 404/400 — never an orphan, never a foreign-key error (a 500).
//
// PostgreSQL only: SQLite transactions begin IMMEDIATE, so write transactions never overlap there
// and the checks inside the transaction are enough. Locks are taken in one global order — scopes,
// then principals, then roles and resource groups, then the account-admin lock, then rows (API keys
// before their tokens) — so two transactions never wait on each other in a cycle.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Scope } from '../domain/scope.js';
import type { Database } from './schema.js';

export type LockMode = 'shared' | 'exclusive';
export type Engine = 'sqlite' | 'postgres';
export type LockedPrincipalType = 'USER' | 'SERVICE_ACCOUNT' | 'USER_GROUP';
/** What a role assignment names besides its principal. */
export type LockedGrantPartType = 'ROLE' | 'RESOURCE_GROUP';

export const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

async function advisoryLocks(trx: Kysely<Database>, engine: Engine, locks: Array<{ name: string; mode: LockMode }>): Promise<void> {
  if (engine !== 'postgres') return;
  const sorted = [...locks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, mode } of sorted) {
    if (mode === 'shared') await sql`select pg_advisory_xact_lock_shared(hashtext(${name}))`.execute(trx);
    else await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
  }
}

const orgLock = (account: string, org: string) => `keysmith:scope:${account}:${org}`;
const projectLock = (account: string, org: string, project: string) => `keysmith:scope:${account}:${org}:${project}`;

/**
 * The lock of an organization or project scope (none for the account itself). `shared` for writes
 * inside it (a project's writes hold its organization too); `exclusive` for deleting it.
 */
export async function lockScope(trx: Kysely<Database>, engine: Engine, scope: Scope, mode: LockMode): Promise<void> {
  const { accountIdentifier: account, orgIdentifier: org, projectIdentifier: project } = scope;
  if (!org) return;
  const locks = project
    ? [{ name: orgLock(account, org), mode: 'shared' as const }, { name: projectLock(account, org, project), mode }]
    : [{ name: orgLock(account, org), mode }];
  await advisoryLocks(trx, engine, locks);
}

/**
 * The locks of principals (by account, type and identifier; a service account's scope is left out,
 * so two of one identifier in different scopes merely share a lock). `shared` for a write that
 * refers to them, `exclusive` for deleting one — and for creating API keys under an owner, whose
 * count must stay under the per-owner limit, and for writing a user group's own rows. A principal
 * may name its own mode; the others take `mode`. All are taken in the one global order.
 */
export async function lockPrincipals(trx: Kysely<Database>, engine: Engine, accountId: string,
  principals: Array<{ type: LockedPrincipalType; identifier: string; mode?: LockMode }>, mode: LockMode): Promise<void> {
  const locks = new Map<string, LockMode>();
  for (const p of principals) {
    const name = `keysmith:principal:${accountId}:${p.type}:${p.identifier}`;
    if (locks.get(name) !== 'exclusive') locks.set(name, p.mode ?? mode);
  }
  await advisoryLocks(trx, engine, [...locks].map(([name, lockMode]) => ({ name, mode: lockMode })));
}

/**
 * The locks of roles and resource groups (by account and identifier): `shared` for a role
 * assignment naming them, `exclusive` for deleting one (whose "in use" check must see every
 * assignment). Taken after the principal locks.
 */
export async function lockGrantParts(trx: Kysely<Database>, engine: Engine, accountId: string,
  parts: Array<{ type: LockedGrantPartType; identifier: string }>, mode: LockMode): Promise<void> {
  const names = [...new Set(parts.map((p) => `keysmith:grant-part:${accountId}:${p.type}:${p.identifier}`))];
  await advisoryLocks(trx, engine, names.map((name) => ({ name, mode })));
}
