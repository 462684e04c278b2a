// The service account Add API Key makes for each key (the older document's flow): how the flow
// marks it, how the console recognises it, and how it is kept in step with its key: its user groups,
// its name, and its deletion with the key.
import { getUserGroup, updateUserGroup } from '../../api/accessControl';
import { deleteServiceAccount, getServiceAccount, updateServiceAccount } from '../../api/serviceAccounts';
import type { ApiKey, Scope, ServiceAccount, ServiceAccountAggregate, Tags, UserGroup } from '../../api/types';

/** The tag the flow puts on the service accounts it makes, and the description it has always set. */
const MARKER_TAG = 'created_by';
const MARKER_VALUE = 'add_api_key';
const MARKER_DESCRIPTION = 'Created by Add API Key';

export const addApiKeyMarker = (): { description: string; tags: Tags } =>
  ({ description: MARKER_DESCRIPTION, tags: { [MARKER_TAG]: MARKER_VALUE } });

/**
 * Whether Add API Key made this service account for this key: the flow gives both the same Id and
 * marks the service account (the tag; service accounts made before the tag existed carry the
 * description only). Nothing else counts: a service account made another way is never changed or
 * deleted along with a key.
 */
export function madeForKey(sa: ServiceAccount | undefined | null, key: ApiKey): sa is ServiceAccount {
  return !!sa && key.apiKeyType === 'SERVICE_ACCOUNT' && key.parentIdentifier === sa.identifier && key.identifier === sa.identifier
    && (sa.tags?.[MARKER_TAG] === MARKER_VALUE || sa.description === MARKER_DESCRIPTION);
}

/** The service account behind a key of the flow, when it has no other key (so it goes with this one). */
export function onlyForKey(sas: ServiceAccountAggregate[] | undefined, key: ApiKey): ServiceAccount | null {
  const agg = sas?.find((s) => s.serviceAccount.identifier === key.parentIdentifier);
  return agg && madeForKey(agg.serviceAccount, key) && agg.tokensCount <= 1 ? agg.serviceAccount : null;
}

/** The groups of `groups` the service account is a member of. */
export function groupsOf(groups: UserGroup[] | undefined, sa: string): UserGroup[] {
  return (groups ?? []).filter((g) => g.serviceAccounts.includes(sa));
}

/**
 * Makes the service account a member of exactly the `wanted` groups. Each group is read again just
 * before it is written, so members added meanwhile by someone else are kept.
 */
export async function setGroupsOf(scope: Scope, sa: string, current: string[], wanted: string[]): Promise<void> {
  const changes = [
    ...wanted.filter((g) => !current.includes(g)).map((g) => ({ group: g, member: true })),
    ...current.filter((g) => !wanted.includes(g)).map((g) => ({ group: g, member: false })),
  ];
  for (const { group, member } of changes) {
    const g = await getUserGroup(scope, group);
    const others = g.serviceAccounts.filter((s) => s !== sa);
    await updateUserGroup(scope, {
      identifier: g.identifier, name: g.name, description: g.description ?? '', tags: g.tags ?? {},
      users: g.users, serviceAccounts: member ? [...others, sa] : others,
    });
  }
}

/** Renames the service account along with its key (its description and tags, the marker, stay). */
export async function renameWithKey(sa: ServiceAccount, name: string): Promise<void> {
  if (sa.name === name) return;
  await updateServiceAccount(sa, { name, description: sa.description ?? '', tags: sa.tags ?? {} });
}

/**
 * After its key was deleted: deletes the service account if it is still the flow's and has no
 * key left (read again now, so a key added meanwhile keeps it). Says whether it was deleted.
 */
export async function deleteIfKeyless(scope: Scope, key: ApiKey): Promise<boolean> {
  const fresh = await getServiceAccount(scope, key.parentIdentifier);
  if (!madeForKey(fresh.serviceAccount, key) || fresh.tokensCount > 0) return false;
  await deleteServiceAccount({ ...scope, identifier: fresh.serviceAccount.identifier });
  return true;
}
