// User groups (SPEC §1, §3): live at one scope; members are users of the account and service
// accounts of the same scope. Deleting a group removes its memberships and its role assignments.
import type { Kysely } from 'kysely';
import type { GroupRef } from '../domain/evaluation.js';
import { makeScope, type Scope } from '../domain/scope.js';
import { principalAssignmentsWhere } from './role-assignments.js';
import type { Database, UserGroupsTable } from './schema.js';
import { scopeCols, whereScope } from './scope-columns.js';

export interface UserGroup {
  identifier: string;
  name: string;
  description: string;
  tags: Record<string, string>;
  users: string[];
  serviceAccounts: string[];
  accountIdentifier: string;
  orgIdentifier: string | null;
  projectIdentifier: string | null;
}

export interface UserGroupRecord extends UserGroup { createdAt: number; lastModifiedAt: number }

async function withMembers(db: Kysely<Database>, scope: Scope, rows: UserGroupsTable[]): Promise<UserGroupRecord[]> {
  if (rows.length === 0) return [];
  const members = await whereScope(db.selectFrom('user_group_members').selectAll(), scope)
    .where('group_identifier', 'in', rows.map((r) => r.identifier))
    .orderBy('member_identifier').execute();
  return rows.map((r) => {
    const mine = members.filter((m) => m.group_identifier === r.identifier);
    return {
      identifier: r.identifier, name: r.name, description: r.description, tags: JSON.parse(r.tags),
      users: mine.filter((m) => m.member_type === 'USER').map((m) => m.member_identifier),
      serviceAccounts: mine.filter((m) => m.member_type === 'SERVICE_ACCOUNT').map((m) => m.member_identifier),
      accountIdentifier: r.account_id, orgIdentifier: r.org_identifier || null, projectIdentifier: r.project_identifier || null,
      createdAt: r.created_at, lastModifiedAt: r.last_modified_at,
    };
  });
}

export async function getUserGroup(db: Kysely<Database>, scope: Scope, identifier: string): Promise<UserGroupRecord | null> {
  const row = await whereScope(db.selectFrom('user_groups').selectAll(), scope).where('identifier', '=', identifier).executeTakeFirst();
  return row ? (await withMembers(db, scope, [row]))[0] : null;
}

/** The groups of exactly `scope`, with their members. */
export async function listUserGroups(db: Kysely<Database>, scope: Scope): Promise<UserGroupRecord[]> {
  const rows = await whereScope(db.selectFrom('user_groups').selectAll(), scope).orderBy('identifier').execute();
  return withMembers(db, scope, rows);
}

async function writeMembers(trx: Kysely<Database>, scope: Scope, group: UserGroup): Promise<void> {
  const c = scopeCols(scope);
  const rows = [
    ...[...new Set(group.users)].map((id) => ({ ...c, group_identifier: group.identifier, member_type: 'USER' as const, member_identifier: id })),
    ...[...new Set(group.serviceAccounts)].map((id) => ({ ...c, group_identifier: group.identifier, member_type: 'SERVICE_ACCOUNT' as const, member_identifier: id })),
  ];
  if (rows.length > 0) await trx.insertInto('user_group_members').values(rows).execute();
}

export async function insertUserGroup(trx: Kysely<Database>, group: UserGroup, now: number): Promise<void> {
  const scope = makeScope(group.accountIdentifier, group.orgIdentifier, group.projectIdentifier);
  await trx.insertInto('user_groups').values({
    ...scopeCols(scope), identifier: group.identifier, name: group.name, description: group.description,
    tags: JSON.stringify(group.tags), created_at: now, last_modified_at: now,
  }).execute();
  await writeMembers(trx, scope, group);
}

/** Replaces the group's fields and its members; call inside a transaction. */
export async function updateUserGroup(trx: Kysely<Database>, group: UserGroup, now: number): Promise<void> {
  const scope = makeScope(group.accountIdentifier, group.orgIdentifier, group.projectIdentifier);
  await whereScope(trx.updateTable('user_groups')
    .set({ name: group.name, description: group.description, tags: JSON.stringify(group.tags), last_modified_at: now }), scope)
    .where('identifier', '=', group.identifier).execute();
  await whereScope(trx.deleteFrom('user_group_members'), scope).where('group_identifier', '=', group.identifier).execute();
  await writeMembers(trx, scope, group);
}

/** Deletes the group, its memberships and its role assignments; returns how many assignments went. */
export async function deleteUserGroup(trx: Kysely<Database>, scope: Scope, identifier: string): Promise<number> {
  await whereScope(trx.deleteFrom('user_group_members'), scope).where('group_identifier', '=', identifier).execute();
  const assignments = await principalAssignmentsWhere(trx.deleteFrom('role_assignments'), 'USER_GROUP', identifier, scope)
    .executeTakeFirstOrThrow();
  await whereScope(trx.deleteFrom('user_groups'), scope).where('identifier', '=', identifier).execute();
  return Number(assignments.numDeletedRows);
}

/**
 * The groups a principal is a member of: any group of the account for a user; for a service
 * account, groups of its own scope (`scope`) only.
 */
export async function groupsOfPrincipal(
  db: Kysely<Database>, accountId: string, type: 'USER' | 'SERVICE_ACCOUNT', identifier: string, scope: Scope | null = null,
): Promise<GroupRef[]> {
  let q = db.selectFrom('user_group_members').select(['org_identifier', 'project_identifier', 'group_identifier'])
    .where('account_id', '=', accountId).where('member_type', '=', type).where('member_identifier', '=', identifier);
  if (type === 'SERVICE_ACCOUNT' && scope) {
    q = q.where('org_identifier', '=', scope.orgIdentifier ?? '').where('project_identifier', '=', scope.projectIdentifier ?? '');
  }
  const rows = await q.execute();
  return rows.map((r) => ({ identifier: r.group_identifier, scope: makeScope(accountId, r.org_identifier, r.project_identifier) }));
}

/** The users of `accountId` among `ids`; the service accounts of exactly `scope` among `identifiers`. */
export async function existingMembers(db: Kysely<Database>, scope: Scope, ids: string[], identifiers: string[]) {
  const users = ids.length === 0 ? [] : await db.selectFrom('users').select('id')
    .where('account_id', '=', scope.accountIdentifier).where('id', 'in', ids).execute();
  const sas = identifiers.length === 0 ? [] : await whereScope(db.selectFrom('service_accounts').select('identifier'), scope)
    .where('identifier', 'in', identifiers).execute();
  return { users: new Set(users.map((u) => u.id)), serviceAccounts: new Set(sas.map((s) => s.identifier)) };
}
