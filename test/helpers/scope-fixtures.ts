// Rows in every scoped table, written straight to the store, so a test can check that deleting a
// scope takes all of them (and nothing outside it) without depending on other resources' routes.
import type { Kysely } from 'kysely';
import { randomString } from '../../src/domain/ids.js';
import type { Scope } from '../../src/domain/scope.js';
import type { Database } from '../../src/store/schema.js';

export const SCOPED_TABLES = [
  'service_accounts', 'user_groups', 'user_group_members', 'roles', 'resource_groups', 'role_assignments', 'api_keys', 'tokens',
] as const;
export type ScopedTable = (typeof SCOPED_TABLES)[number];

function columns(scope: Scope) {
  return { account_id: scope.accountIdentifier, org_identifier: scope.orgIdentifier ?? '', project_identifier: scope.projectIdentifier ?? '' };
}

/** One row in each scoped table at `scope` (a service account with an API key and a token, a group with it as member, ...). */
export async function seedScopeContents(db: Kysely<Database>, scope: Scope, now = Date.now()): Promise<{ tokenId: string }> {
  const s = columns(scope);
  const sa = `sa_${randomString(6)}`;
  const group = `group_${randomString(6)}`;
  const role = `role_${randomString(6)}`;
  const rg = `rg_${randomString(6)}`;
  const keyId = randomString(24);
  const tokenId = randomString(24).toLowerCase();
  const meta = { created_at: now, last_modified_at: now };
  await db.insertInto('service_accounts').values({ ...s, identifier: sa, name: sa, email: `${sa}@service.local`, description: '', tags: '{}', ...meta }).execute();
  await db.insertInto('user_groups').values({ ...s, identifier: group, name: group, description: '', tags: '{}', ...meta }).execute();
  await db.insertInto('user_group_members').values({ ...s, group_identifier: group, member_type: 'SERVICE_ACCOUNT', member_identifier: sa }).execute();
  await db.insertInto('roles').values({ ...s, identifier: role, name: role, description: '', tags: '{}', permissions: '["core_serviceaccount_view"]', allowed_scope_levels: '["project"]', ...meta }).execute();
  await db.insertInto('resource_groups').values({ ...s, identifier: rg, name: rg, description: '', tags: '{}', color: '', included_scopes: '[]', resource_filter: '{}', ...meta }).execute();
  await db.insertInto('role_assignments').values({
    ...s, identifier: `ra_${randomString(6)}`, role_identifier: role, resource_group_identifier: rg, principal_type: 'USER_GROUP',
    principal_identifier: group, principal_scope_level: null, disabled: 0, managed: 0, ...meta,
  }).execute();
  await db.insertInto('api_keys').values({
    ...s, id: keyId, identifier: 'key', api_key_type: 'SERVICE_ACCOUNT', parent_identifier: sa, name: 'key', description: '', tags: '{}',
    default_time_to_expire_token: 2_592_000_000, rate_limit_qps: null, ...meta,
  }).execute();
  await db.insertInto('tokens').values({
    ...s, id: tokenId, api_key_id: keyId, api_key_identifier: 'key', api_key_type: 'SERVICE_ACCOUNT', parent_identifier: sa,
    identifier: 'token', name: 'token', description: '', tags: '{}', secret_hash: 'x'.repeat(64), valid_from: now,
    valid_to: now + 86_400_000, scheduled_expire_time: null, last_used_at: null, ...meta,
  }).execute();
  return { tokenId };
}

/** How many rows each scoped table holds at exactly `scope`. */
export async function countScopeContents(db: Kysely<Database>, scope: Scope): Promise<Record<ScopedTable, number>> {
  const s = columns(scope);
  const out = {} as Record<ScopedTable, number>;
  for (const table of SCOPED_TABLES) {
    const { n } = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', s.account_id).where('org_identifier', '=', s.org_identifier)
      .where('project_identifier', '=', s.project_identifier).executeTakeFirstOrThrow();
    out[table] = Number(n);
  }
  return out;
}

export const allZero = () => Object.fromEntries(SCOPED_TABLES.map((t) => [t, 0]));
export const allOne = () => Object.fromEntries(SCOPED_TABLES.map((t) => [t, 1]));
