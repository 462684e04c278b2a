// User groups (SPEC §1, §3): live at one scope; members are users of the account and service
// accounts of the same scope. Deleting a group removes its memberships and its role assignments.
import type { Kysely } from 'kysely';
import type { GroupRef } from '../domain/evaluation.js';
import { makeScope, type Scope } from '../domain/scope.js';
import { principalAssignmentsWhere } from './role-assignments.js';
import type { Database, UserGroupMembersTable, UserGroupsTable } from './schema.js';
import { scopeCols, whereScope } from './scope-columns.js';
import { inCodePointOrder } from './text-order.js';

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

/** Memberships in the groups of `scope`: one group's, or every group's (a list of their ids could outgrow a statement). */
async function membersOfGroups(db: Kysely<Database>, scope: Scope, groupIdentifier: string | null) {
  return whereScope(db.selectFrom('user_group_members').selectAll(), scope)
    .$if(groupIdentifier !== null, (q) => q.where('group_identifier', '=', groupIdentifier!))
    .orderBy('member_identifier', inCodePointOrder(db)).execute();
}

function withMembers(rows: UserGroupsTable[], members: UserGroupMembersTable[]): UserGroupRecord[] {
  const byGroup = new Map(rows.map((r) => [r.identifier, { users: [] as string[], serviceAccounts: [] as string[] }]));
  for (const m of members) {
    const group = byGroup.get(m.group_identifier);
    if (group) (m.member_type === 'USER' ? group.users : group.serviceAccounts).push(m.member_identifier);
  }
  return rows.map((r) => ({
    identifier: r.identifier, name: r.name, description: r.description, tags: JSON.parse(r.tags),
    ...byGroup.get(r.identifier)!,
    accountIdentifier: r.account_id, orgIdentifier: r.org_identifier || null, projectIdentifier: r.project_identifier || null,
    createdAt: r.created_at, lastModifiedAt: r.last_modified_at,
  }));
}

export async function getUserGroup(db: Kysely<Database>, scope: Scope, identifier: string): Promise<UserGroupRecord | null> {
  const row = await whereScope(db.selectFrom('user_groups').selectAll(), scope).where('identifier', '=', identifier).executeTakeFirst();
  return row ? withMembers([row], await membersOfGroups(db, scope, identifier))[0] : null;
}

/** The groups of exactly `scope`, with their members. */
export async function listUserGroups(db: Kysely<Database>, scope: Scope): Promise<UserGroupRecord[]> {
  const rows = await whereScope(db.selectFrom('user_groups').selectAll(), scope).orderBy('identifier', inCodePointOrder(db)).execute();
  return withMembers(rows, await membersOfGroups(db, scope, null));
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
  const rows = await membershipsOfPrincipal(db, accountId, type, identifier, scope)
    .select(['org_identifier', 'project_identifier', 'group_identifier']).execute();
  return rows.map((r) => ({ identifier: r.group_identifier, scope: makeScope(accountId, r.org_identifier, r.project_identifier) }));
}

function membershipsOfPrincipal(db: Kysely<Database>, accountId: string, type: 'USER' | 'SERVICE_ACCOUNT', identifier: string, scope: Scope | null) {
  const q = db.selectFrom('user_group_members')
    .where('account_id', '=', accountId).where('member_type', '=', type).where('member_identifier', '=', identifier);
  return type === 'SERVICE_ACCOUNT' && scope
    ? q.where('org_identifier', '=', scope.orgIdentifier ?? '').where('project_identifier', '=', scope.projectIdentifier ?? '')
    : q;
}

/** The users of `accountId` among `ids`; the service accounts of exactly `scope` among `identifiers`. */
export async function existingMembers(db: Kysely<Database>, scope: Scope, ids: string[], identifiers: string[]) {
  const users = ids.length === 0 ? [] : await db.selectFrom('users').select('id')
    .where('account_id', '=', scope.accountIdentifier).where('id', 'in', ids).execute();
  const sas = identifiers.length === 0 ? [] : await whereScope(db.selectFrom('service_accounts').select('identifier'), scope)
    .where('identifier', 'in', identifiers).execute();
  return { users: new Set(users.map((u) => u.id)), serviceAccounts: new Set(sas.map((s) => s.identifier)) };
}
