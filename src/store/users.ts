// Users: people who log in to the console. One user belongs to one account.
import { sql, type Kysely, type Selectable } from 'kysely';
import { newUserId } from '../domain/ids.js';
import { ACCOUNT_ADMIN_RESOURCE_GROUPS, ACCOUNT_ADMIN_ROLE } from '../domain/managed.js';
import { makeScope } from '../domain/scope.js';
import type { Database, UsersTable } from './schema.js';
import { whereScope } from './scope-columns.js';
import { inCodePointOrder } from './text-order.js';
import { lockApiKeysWhere } from './api-keys.js';
import { normalizeEmail } from '../domain/validation.js';

export interface UserInfo {
  uuid: string;
  name: string;
  email: string;
  defaultAccountId: string;
  admin: boolean;
  disabled: boolean;
  accounts: { uuid: string; accountName: string }[];
}

export async function findUserByEmail(db: Kysely<Database>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export async function getUser(db: Kysely<Database>, accountId: string, id: string) {
  return db.selectFrom('users').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

/**
 * Which account admins: `any` holds `_account_admin` at account scope (UserInfo's `admin`, SPEC §3);
 * `guarding` on one of ACCOUNT_ADMIN_RESOURCE_GROUPS, the admins the account may not lose the last of.
 */
export type AdminRule = 'any' | 'guarding';

/**
 * The ids of the holders of an enabled `_account_admin` assignment at account scope, directly or
 * through an account-level group, as a subquery: a group can have more members than a statement
 * can bind.
 */
function accountAdminIdQuery(db: Kysely<Database>, accountId: string, rule: AdminRule) {
  const accountScope = makeScope(accountId);
  let assignments = whereScope(db.selectFrom('role_assignments'), accountScope)
    .where('role_identifier', '=', ACCOUNT_ADMIN_ROLE).where('disabled', '=', 0);
  if (rule === 'guarding') assignments = assignments.where('resource_group_identifier', 'in', ACCOUNT_ADMIN_RESOURCE_GROUPS);
  const direct = assignments.where('principal_type', '=', 'USER').select('principal_identifier as id');
  const throughGroups = whereScope(db.selectFrom('user_group_members'), accountScope).where('member_type', '=', 'USER')
    .where('group_identifier', 'in', assignments.where('principal_type', '=', 'USER_GROUP').select('principal_identifier'))
    .select('member_identifier as id');
  return direct.union(throughGroups);
}

/** accountAdminIdQuery's ids. */
export async function accountAdminIds(db: Kysely<Database>, accountId: string, rule: AdminRule): Promise<Set<string>> {
  return new Set((await accountAdminIdQuery(db, accountId, rule).execute()).map((r) => r.id));
}

/**
 * The email of the first account's (the one the first start created) enabled account admin — the
 * one named `preferred` when it is one, else the earliest created; null when it has none.
 */
export async function firstAccountAdminEmail(db: Kysely<Database>, preferred: string): Promise<string | null> {
  const account = await db.selectFrom('accounts').select('id')
    .orderBy('created_at').orderBy('id', inCodePointOrder(db)).executeTakeFirst();
  if (!account) return null;
  const admins = await db.selectFrom('users').select('email').where('account_id', '=', account.id)
    .where('disabled', '=', 0).where('id', 'in', accountAdminIdQuery(db, account.id, 'any'))
    .orderBy('created_at').orderBy('id', inCodePointOrder(db)).execute();
  return admins.find((a) => a.email === normalizeEmail(preferred))?.email ?? admins[0]?.email ?? null;
}

export async function isAccountAdmin(db: Kysely<Database>, accountId: string, userId: string, rule: AdminRule): Promise<boolean> {
  return (await accountAdminIds(db, accountId, rule)).has(userId);
}

/** Enabled account admins by the `guarding` rule, for the "never lock the account out" rule. */
export async function enabledAccountAdminCount(db: Kysely<Database>, accountId: string): Promise<number> {
  const { n } = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId)
    .where('disabled', '=', 0).where('id', 'in', accountAdminIdQuery(db, accountId, 'guarding')).executeTakeFirstOrThrow();
  return Number(n);
}

export async function userInfo(db: Kysely<Database>, user: Pick<UsersTable, 'id' | 'account_id' | 'email' | 'name' | 'disabled'>): Promise<UserInfo> {
  const account = await db.selectFrom('accounts').select(['id', 'name']).where('id', '=', user.account_id).executeTakeFirstOrThrow();
  return {
    uuid: user.id,
    name: user.name,
    email: user.email,
    defaultAccountId: user.account_id,
    admin: await isAccountAdmin(db, user.account_id, user.id, 'any'),
    disabled: !!user.disabled,
    accounts: [{ uuid: account.id, accountName: account.name }],
  };
}

export type UserRow = Selectable<UsersTable>;

export async function listUsers(db: Kysely<Database>, accountId: string): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().where('account_id', '=', accountId).orderBy('email', inCodePointOrder(db)).execute();
}

export async function insertUser(
  db: Kysely<Database>,
  input: { accountId: string; email: string; name: string; passwordHash: string },
  now: number,
): Promise<UserRow> {
  const row: UserRow = {
    id: newUserId(), account_id: input.accountId, email: normalizeEmail(input.email), name: input.name,
    password_hash: input.passwordHash, disabled: 0, created_at: now, last_modified_at: now,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

export async function updateUserProfile(
  db: Kysely<Database>, userId: string, change: { name: string; disabled: boolean }, now: number,
): Promise<void> {
  await db.updateTable('users').set({ name: change.name, disabled: change.disabled ? 1 : 0, last_modified_at: now })
    .where('id', '=', userId).execute();
}

export interface DeletedUserContents {
  apiKeys: number;
  tokens: number;
  groupMemberships: number;
  roleAssignments: number;
  sessions: number;
}

/** Deletes a user and everything that is theirs: API keys and tokens, memberships, grants, sessions. */
export async function deleteUserAndContents(trx: Kysely<Database>, accountId: string, userId: string): Promise<DeletedUserContents> {
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  // Keys before tokens, and grants before memberships: the order every deletion takes rows in.
  await lockApiKeysWhere(trx, { accountId, apiKeyType: 'USER', parentIdentifier: userId });
  const keyIds = trx.selectFrom('api_keys').select('id')
    .where('account_id', '=', accountId).where('api_key_type', '=', 'USER').where('parent_identifier', '=', userId);
  const tokens = count(await trx.deleteFrom('tokens').where('api_key_id', 'in', keyIds).executeTakeFirstOrThrow());
  const apiKeys = count(await trx.deleteFrom('api_keys')
    .where('account_id', '=', accountId).where('api_key_type', '=', 'USER').where('parent_identifier', '=', userId)
    .executeTakeFirstOrThrow());
  const roleAssignments = count(await trx.deleteFrom('role_assignments')
    .where('account_id', '=', accountId).where('principal_type', '=', 'USER').where('principal_identifier', '=', userId)
    .executeTakeFirstOrThrow());
  const groupMemberships = count(await trx.deleteFrom('user_group_members')
    .where('account_id', '=', accountId).where('member_type', '=', 'USER').where('member_identifier', '=', userId)
    .executeTakeFirstOrThrow());
  const sessions = count(await trx.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirstOrThrow());
  await trx.deleteFrom('users').where('account_id', '=', accountId).where('id', '=', userId).execute();
  return { apiKeys, tokens, groupMemberships, roleAssignments, sessions };
}

/**
 * Serializes changes that can remove an account admin (disable, delete, demote), so two concurrent
 * ones cannot each see "another admin is left" and lock the account out. Call first in the
 * transaction. SQLite transactions already begin IMMEDIATE (one writer at a time); PostgreSQL
 * takes a per-account advisory lock held until the transaction ends.
 */
export async function lockAccountAdmins(trx: Kysely<Database>, engine: 'sqlite' | 'postgres', accountId: string): Promise<void> {
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtext(${'keysmith:admins:' + accountId}))`.execute(trx);
}
