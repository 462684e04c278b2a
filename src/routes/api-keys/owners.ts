// The owner behind a key: it must exist (404 after authorization), and tokens show its email and name.
// A disabled user's tokens do not authenticate, so they are listed as not valid.
import type { Kysely } from 'kysely';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { KeyOwner } from '../../store/api-keys.js';
import type { Database } from '../../store/schema.js';

export interface OwnerInfo {
  email: string;
  name: string;
  /** A disabled user; service accounts are never disabled. */
  disabled: boolean;
}

export async function findOwner(db: Kysely<Database>, owner: KeyOwner): Promise<OwnerInfo | null> {
  if (owner.apiKeyType === 'USER') {
    const user = await db.selectFrom('users').select(['email', 'name', 'disabled'])
      .where('account_id', '=', owner.scope.accountIdentifier).where('id', '=', owner.parentIdentifier).executeTakeFirst();
    return user ? { email: user.email, name: user.name, disabled: !!user.disabled } : null;
  }
  const sa = await db.selectFrom('service_accounts').select(['email', 'name'])
    .where('account_id', '=', owner.scope.accountIdentifier)
    .where('org_identifier', '=', owner.scope.orgIdentifier ?? '')
    .where('project_identifier', '=', owner.scope.projectIdentifier ?? '')
    .where('identifier', '=', owner.parentIdentifier).executeTakeFirst();
  return sa ? { ...sa, disabled: false } : null;
}

export async function requireOwner(db: Kysely<Database>, owner: KeyOwner): Promise<OwnerInfo> {
  const found = await findOwner(db, owner);
  if (found) return found;
  throw entityNotFound(owner.apiKeyType === 'USER'
    ? Messages.userNotFound(owner.parentIdentifier)
    : Messages.parentServiceAccountNotFound(owner.parentIdentifier));
}

/**
 * Email and name of many owners at once, keyed by `ownerKey`. Users are looked up account-wide,
 * service accounts at the scope of their keys.
 */
export async function ownerInfos(db: Kysely<Database>, owners: KeyOwner[]): Promise<Map<string, OwnerInfo>> {
  const out = new Map<string, OwnerInfo>();
  if (owners.length === 0) return out;
  const account = owners[0].scope.accountIdentifier;
  const userIds = [...new Set(owners.filter((o) => o.apiKeyType === 'USER').map((o) => o.parentIdentifier))];
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db.selectFrom('users').select(['id', 'email', 'name', 'disabled'])
      .where('account_id', '=', account).where('id', 'in', userIds.slice(i, i + 500)).execute();
    for (const r of rows) {
      out.set(ownerKey({ apiKeyType: 'USER', parentIdentifier: r.id, scope: owners[0].scope }), { email: r.email, name: r.name, disabled: !!r.disabled });
    }
  }
  for (const o of owners.filter((x) => x.apiKeyType === 'SERVICE_ACCOUNT')) {
    const key = ownerKey(o);
    if (out.has(key)) continue;
    const info = await findOwner(db, o);
    if (info) out.set(key, info);
  }
  return out;
}

/** The disabled users of an account (usually none): their tokens are not active. */
export async function disabledUserIds(db: Kysely<Database>, accountIdentifier: string): Promise<Set<string>> {
  const rows = await db.selectFrom('users').select('id').where('account_id', '=', accountIdentifier).where('disabled', '=', 1).execute();
  return new Set(rows.map((r) => r.id));
}

/** Users are account-wide; a service account is named by its scope too. */
export function ownerKey(o: KeyOwner): string {
  return o.apiKeyType === 'USER'
    ? `USER\u0000${o.parentIdentifier}`
    : `SERVICE_ACCOUNT\u0000${o.scope.orgIdentifier ?? ''}\u0000${o.scope.projectIdentifier ?? ''}\u0000${o.parentIdentifier}`;
}
