// Users: people who log in to the console. One user belongs to one account.
import type { Kysely } from 'kysely';
import type { Database, UsersTable } from './schema.js';

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
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function getUser(db: Kysely<Database>, accountId: string, id: string) {
  return db.selectFrom('users').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
}

/** Holders of an enabled `_account_admin` assignment at account scope, directly or through a group. */
export async function accountAdminIds(db: Kysely<Database>, accountId: string): Promise<Set<string>> {
  const assignments = await db.selectFrom('role_assignments').select(['principal_type', 'principal_identifier'])
    .where('account_id', '=', accountId).where('org_identifier', '=', '').where('project_identifier', '=', '')
    .where('role_identifier', '=', '_account_admin').where('disabled', '=', 0).execute();
  const ids = new Set<string>();
  const groups: string[] = [];
  for (const a of assignments) {
    if (a.principal_type === 'USER') ids.add(a.principal_identifier);
    else if (a.principal_type === 'USER_GROUP') groups.push(a.principal_identifier);
  }
  if (groups.length > 0) {
    const members = await db.selectFrom('user_group_members').select('member_identifier')
      .where('account_id', '=', accountId).where('org_identifier', '=', '').where('project_identifier', '=', '')
      .where('member_type', '=', 'USER').where('group_identifier', 'in', groups).execute();
    for (const m of members) ids.add(m.member_identifier);
  }
  return ids;
}

export async function isAccountAdmin(db: Kysely<Database>, accountId: string, userId: string): Promise<boolean> {
  return (await accountAdminIds(db, accountId)).has(userId);
}

/** Enabled account admins, for the "never lock the account out" rule. */
export async function enabledAccountAdminCount(db: Kysely<Database>, accountId: string): Promise<number> {
  const ids = [...(await accountAdminIds(db, accountId))];
  if (ids.length === 0) return 0;
  const rows = await db.selectFrom('users').select('id').where('account_id', '=', accountId)
    .where('disabled', '=', 0).where('id', 'in', ids).execute();
  return rows.length;
}

export async function userInfo(db: Kysely<Database>, user: Pick<UsersTable, 'id' | 'account_id' | 'email' | 'name' | 'disabled'>): Promise<UserInfo> {
  const account = await db.selectFrom('accounts').select(['id', 'name']).where('id', '=', user.account_id).executeTakeFirstOrThrow();
  return {
    uuid: user.id,
    name: user.name,
    email: user.email,
    defaultAccountId: user.account_id,
    admin: await isAccountAdmin(db, user.account_id, user.id),
    disabled: !!user.disabled,
    accounts: [{ uuid: account.id, accountName: account.name }],
  };
}
