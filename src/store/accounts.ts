// Accounts (tenants) and the first-start bootstrap: an account named "Default", its organization
// `default` with project `default_project`, and an admin user holding `_account_admin`.
import { sql, type Kysely } from 'kysely';
import { hashPassword } from '../auth/passwords.js';
import { newAccountId, newUserId, randomString } from '../domain/ids.js';
import { DEFAULT_ORGANIZATION, DEFAULT_PROJECT } from '../domain/scope.js';
import type { Database } from './schema.js';
import { recordAudit } from './audit-events.js';
import { inTransaction } from './transaction.js';
import { normalizeEmail } from '../domain/validation.js';

export interface NewAccount { accountId: string; adminUserId: string; adminEmail: string }

export async function countAccounts(db: Kysely<Database>): Promise<number> {
  const { n } = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

export async function getAccount(db: Kysely<Database>, id: string) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Account names as the hot path reads them (currentUser): cached, since an account is never renamed. */
export interface AccountNames {
  /** The account's name (at once when cached); null when there is no such account. */
  nameOf(accountId: string): string | Promise<string | null>;
  /** Forget every name (invalidation 'all'). */
  clear(): void;
}

export function createAccountNames(db: Kysely<Database>, maxEntries = 10_000): AccountNames {
  const names = new Map<string, string>();
  return {
    nameOf(accountId) {
      return names.get(accountId) ?? getAccount(db, accountId).then((account) => {
        if (!account) return null;
        if (names.size >= maxEntries) names.delete(names.keys().next().value!);
        names.set(accountId, account.name);
        return account.name;
      });
    },
    clear() { names.clear(); },
  };
}

export function newRoleAssignmentIdentifier(): string {
  return `role_assignment_${randomString(20)}`;
}

/** Creates an account with its default organization, project and admin, in the given transaction. */
export async function createAccountIn(
  trx: Kysely<Database>,
  input: { name: string; adminEmail: string; adminName?: string; passwordHash: string },
  now = Date.now(),
): Promise<NewAccount> {
  const accountId = newAccountId();
  const adminUserId = newUserId();
  const adminEmail = normalizeEmail(input.adminEmail);
  await trx.insertInto('accounts').values({ id: accountId, name: input.name, created_at: now }).execute();
  await trx.insertInto('organizations').values({
    account_id: accountId, identifier: DEFAULT_ORGANIZATION, name: 'Default', description: 'Default organization',
    tags: '{}', created_at: now, last_modified_at: now,
  }).execute();
  await trx.insertInto('projects').values({
    account_id: accountId, org_identifier: DEFAULT_ORGANIZATION, identifier: DEFAULT_PROJECT, name: 'Default Project',
    description: 'Default project', color: '#0063F7', modules: '[]', tags: '{}', created_at: now, last_modified_at: now,
  }).execute();
  await trx.insertInto('users').values({
    id: adminUserId, account_id: accountId, email: adminEmail, name: input.adminName ?? 'Admin',
    password_hash: input.passwordHash, disabled: 0, created_at: now, last_modified_at: now,
  }).execute();
  await trx.insertInto('role_assignments').values({
    account_id: accountId, org_identifier: '', project_identifier: '', identifier: newRoleAssignmentIdentifier(),
    role_identifier: '_account_admin', resource_group_identifier: '_all_resources_including_child_scopes',
    principal_type: 'USER', principal_identifier: adminUserId, principal_scope_level: 'account',
    disabled: 0, managed: 0, created_at: now, last_modified_at: now,
  }).execute();
  const actor = { principal: { type: 'SYSTEM', identifier: 'keysmith' }, ip: null, userAgent: null };
  const scope = { accountIdentifier: accountId, orgIdentifier: null, projectIdentifier: null };
  await recordAudit(trx, actor, { action: 'CREATE', resource: { type: 'ACCOUNT', identifier: accountId }, scope, after: { name: input.name } }, now);
  await recordAudit(trx, actor, { action: 'CREATE', resource: { type: 'USER', identifier: adminUserId }, scope, after: { email: adminEmail, name: input.adminName ?? 'Admin' } }, now);
  return { accountId, adminUserId, adminEmail };
}

/** Serializes bootstrap across processes: SQLite transactions begin IMMEDIATE; PostgreSQL takes a lock. */
async function lockBootstrap(trx: Kysely<Database>, engine: 'sqlite' | 'postgres') {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(7346127)`.execute(trx);
}

export async function createAccount(
  db: Kysely<Database>, engine: 'sqlite' | 'postgres',
  input: { name: string; adminEmail: string; adminName?: string; password: string },
): Promise<NewAccount> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    await lockBootstrap(trx, engine);
    const taken = await trx.selectFrom('users').select('id').where('email', '=', normalizeEmail(input.adminEmail)).executeTakeFirst();
    if (taken) throw new Error(`A user with email ${input.adminEmail} already exists`);
    return createAccountIn(trx, { ...input, passwordHash });
  });
}

/** On an empty store, creates the first account; returns null when one already exists. */
export async function bootstrapIfEmpty(
  db: Kysely<Database>, engine: 'sqlite' | 'postgres',
  input: { adminEmail: string; password: string },
): Promise<NewAccount | null> {
  if ((await countAccounts(db)) > 0) return null;
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    await lockBootstrap(trx, engine);
    if ((await countAccounts(trx)) > 0) return null;
    return createAccountIn(trx, { name: 'Default', adminEmail: input.adminEmail, passwordHash });
  });
}
