// Checks a group's members before they are written: users of the account, service accounts of the
// group's own scope. An unknown one is a 400 naming it.
import type { Kysely } from 'kysely';
import { invalidArgument, Messages } from '../../domain/errors.js';
import type { Scope } from '../../domain/scope.js';
import type { Database } from '../../store/schema.js';
import { existingMembers } from '../../store/user-groups.js';

/** The principal locks (store/locks.ts) a write of these members holds, so none is deleted under it. */
export function memberLocks(body: { users?: string[] | null; serviceAccounts?: string[] | null }) {
  return [
    ...(body.users ?? []).map((identifier) => ({ type: 'USER' as const, identifier })),
    ...(body.serviceAccounts ?? []).map((identifier) => ({ type: 'SERVICE_ACCOUNT' as const, identifier })),
  ];
}

/** A group's write: its members' locks (shared, as the call says) and the group's own, exclusive. */
export function groupLocks(identifier: string, body: { users?: string[] | null; serviceAccounts?: string[] | null }) {
  return [{ type: 'USER_GROUP' as const, identifier, mode: 'exclusive' as const }, ...memberLocks(body)];
}

export async function checkedMembers(db: Kysely<Database>, scope: Scope, body: { users?: string[] | null; serviceAccounts?: string[] | null }) {
  const users = [...new Set(body.users ?? [])];
  const serviceAccounts = [...new Set(body.serviceAccounts ?? [])];
  const found = await existingMembers(db, scope, users, serviceAccounts);
  const unknownUser = users.find((id) => !found.users.has(id));
  if (unknownUser) throw invalidArgument(Messages.unknownGroupUser(unknownUser));
  const unknownSa = serviceAccounts.find((id) => !found.serviceAccounts.has(id));
  if (unknownSa) throw invalidArgument(Messages.unknownGroupServiceAccount(unknownSa));
  return { users, serviceAccounts };
}
