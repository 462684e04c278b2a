// Every list keysmith returns is in code-point order — SQLite's byte order — whatever the database's
// collation: a PostgreSQL database created with an ICU or en_US collation sorts text
// case-insensitively, punctuation first, unless the query says otherwise.
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { makeScope } from '../../src/domain/scope.js';
import { migrate, openStore, type Store } from '../../src/store/database.js';
import { listApiKeys } from '../../src/store/api-keys.js';
import { listOrganizations } from '../../src/store/organizations.js';
import { listProjects } from '../../src/store/projects.js';
import { listCustomResourceGroups } from '../../src/store/resource-groups.js';
import { roleAssignmentMetadata } from '../../src/store/role-assignment-metadata.js';
import { assignmentsUsingResourceGroup, assignmentsUsingRole, listRoleAssignments } from '../../src/store/role-assignments.js';
import { listCustomRoles } from '../../src/store/roles.js';
import type { Database } from '../../src/store/schema.js';
import { listServiceAccounts } from '../../src/store/service-accounts.js';
import { listUserGroups } from '../../src/store/user-groups.js';
import { listUsers } from '../../src/store/users.js';
import { describeEachEngine, it, PG_URL } from '../helpers/harness.js';

/** Written in this order; listed in code-point order. An ICU en-US database sorts them a_b, A$x, a1, alpha, beta, Zeta. */
const WORDS = ['beta', 'a_b', 'Zeta', 'alpha', 'a1', 'A$x'];
const CODE_POINT_ORDER = ['A$x', 'Zeta', 'a1', 'a_b', 'alpha', 'beta'];
/** Sorted by name through the API: case aside, then by code point. */
const NAME_ORDER = ['A$x', 'a1', 'a_b', 'alpha', 'beta', 'Zeta'];
const ORG = 'ordered';

/** Rows named by WORDS in every listed table, all created at the same instant (so the order falls to the text). */
async function seedWords(db: Kysely<Database>, accountId: string) {
  const at = { description: '', tags: '{}', created_at: 1, last_modified_at: 1 };
  const scoped = { account_id: accountId, org_identifier: ORG, project_identifier: '' };
  const each = <T>(row: (word: string, i: number) => T) => WORDS.map(row);
  await db.insertInto('organizations').values([ORG, ...WORDS].map((identifier) => ({ account_id: accountId, identifier, name: identifier, ...at }))).execute();
  await db.insertInto('projects').values(each((identifier) => ({ account_id: accountId, org_identifier: ORG, identifier, name: identifier, color: '', modules: '[]', ...at }))).execute();
  await db.insertInto('users').values(each((w, i) => ({
    id: `ordered_${i}`, account_id: accountId, email: `${w.toLowerCase()}@ordered.example.com`, name: w, password_hash: 'x', disabled: 0,
    created_at: 1, last_modified_at: 1,
  }))).execute();
  await db.insertInto('service_accounts').values(each((identifier) => ({ ...scoped, identifier, name: identifier, email: `${identifier}@sa.example.com`, ...at }))).execute();
  await db.insertInto('user_groups').values(each((identifier) => ({ ...scoped, identifier, name: identifier, ...at }))).execute();
  await db.insertInto('user_group_members').values([
    ...each((member_identifier) => ({ ...scoped, group_identifier: 'A$x', member_type: 'USER' as const, member_identifier })),
    ...each((member_identifier) => ({ ...scoped, group_identifier: 'A$x', member_type: 'SERVICE_ACCOUNT' as const, member_identifier })),
  ]).execute();
  await db.insertInto('roles').values(each((identifier) => ({ ...scoped, identifier, name: identifier, permissions: '[]', allowed_scope_levels: '[]', ...at })))
    .execute();
  await db.insertInto('resource_groups').values(each((identifier) => ({
    ...scoped, identifier, name: identifier, color: '', included_scopes: '[]', resource_filter: '{}', ...at,
  }))).execute();
  await db.insertInto('role_assignments').values(each((identifier) => ({
    ...scoped, identifier, role_identifier: 'A$x', resource_group_identifier: 'A$x', principal_type: 'USER', principal_identifier: 'ordered_0',
    principal_scope_level: null, disabled: 0, managed: 0, created_at: 1, last_modified_at: 1,
  }))).execute();
  await db.insertInto('api_keys').values(each((identifier, i) => ({
    ...scoped, id: `ordered_key_${i}`, identifier, api_key_type: 'USER', parent_identifier: 'ordered_0', name: identifier,
    default_time_to_expire_token: 1000, rate_limit_qps: null, ...at,
  }))).execute();
}

/** What each store list gives back, by identifier (email for users). */
async function listedOrders(db: Kysely<Database>, accountId: string): Promise<Record<string, string[]>> {
  const scope = makeScope(accountId, ORG, null);
  const [group] = (await listUserGroups(db, scope)).filter((g) => g.identifier === 'A$x');
  const word = (id: string) => WORDS.includes(id);
  return {
    organizations: (await listOrganizations(db, accountId)).map((r) => r.organization.identifier).filter(word),
    projects: (await listProjects(db, accountId, ORG)).map((r) => r.project.identifier),
    users: (await listUsers(db, accountId)).map((u) => u.email).filter((e) => e.endsWith('@ordered.example.com')).map((e) => e.split('@')[0]),
    serviceAccounts: (await listServiceAccounts(db, scope)).map((r) => r.serviceAccount.identifier),
    userGroups: (await listUserGroups(db, scope)).map((g) => g.identifier),
    groupUsers: group.users,
    groupServiceAccounts: group.serviceAccounts,
    roles: (await listCustomRoles(db, scope)).map((r) => r.role.identifier),
    resourceGroups: (await listCustomResourceGroups(db, scope)).map((r) => r.resourceGroup.identifier),
    roleAssignments: (await listRoleAssignments(db, scope)).map((r) => r.roleAssignment.identifier),
    roleAssignmentMetadata: (await roleAssignmentMetadata(db, scope, 'USER', ['ordered_0'])).get('ordered_0')!.map((m) => m.identifier),
    assignmentsUsingRole: (await assignmentsUsingRole(db, scope, 'A$x')).map((a) => a.identifier),
    assignmentsUsingResourceGroup: await assignmentsUsingResourceGroup(db, scope, 'A$x'),
    apiKeys: (await listApiKeys(db, { scope })).map((r) => r.apiKey.identifier),
  };
}

function expectCodePointOrder(orders: Record<string, string[]>) {
  const lowered = [...new Set(CODE_POINT_ORDER.map((w) => w.toLowerCase()))].sort();
  for (const [list, order] of Object.entries(orders)) {
    expect(order, list).toEqual(list === 'users' ? lowered : CODE_POINT_ORDER);
  }
}

describeEachEngine('code-point order of lists', (h) => {
  beforeAll(async () => { await seedWords(h().store.db, h().accountId); });

  it('every store list', async () => {
    expectCodePointOrder(await listedOrders(h().store.db, h().accountId));
  });

  it('the API: a list in store order, and one sorted by name', async () => {
    const query = { accountIdentifier: h().accountId, orgIdentifier: ORG };
    const listed = await h().admin.client.get('/ng/api/serviceaccount', { query });
    expect(listed.body.data.map((sa: any) => sa.identifier)).toEqual(CODE_POINT_ORDER);
    const byName = await h().admin.client.get('/ng/api/serviceaccount/aggregate', { query: { ...query, sortOrders: 'name,ASC' } });
    expect(byName.body.data.content.map((a: any) => a.serviceAccount.name)).toEqual(NAME_ORDER);
    const byNameDesc = await h().admin.client.get('/ng/api/serviceaccount/aggregate', { query: { ...query, sortOrders: 'name,DESC' } });
    expect(byNameDesc.body.data.content.map((a: any) => a.serviceAccount.name)).toEqual([...NAME_ORDER].reverse());
  });
});

describe.skipIf(!PG_URL)('code-point order of lists [postgres, ICU en-US database]', () => {
  const database = `keysmith_icu_${process.pid}_${Date.now().toString(36)}`;
  const accountId = 'icu_account';
  let admin: pg.Client;
  let store: Store | null = null;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: PG_URL! });
    await admin.connect();
    await admin.query(`create database ${database} template template0 locale_provider icu icu_locale 'en-US' locale 'C.UTF-8'`);
    const url = new URL(PG_URL!);
    url.pathname = `/${database}`;
    store = await openStore({ databaseUrl: url.toString(), pgPoolSize: 2 });
    await migrate(store.db);
    await store.db.insertInto('accounts').values({ id: accountId, name: 'ICU', created_at: 1 }).execute();
    await seedWords(store.db, accountId);
  });

  afterAll(async () => {
    await store?.close();
    await admin.query(`drop database if exists ${database}`);
    await admin.end();
  });

  it('the database itself sorts case-insensitively (what the lists must not follow)', async () => {
    const rows = await store!.db.selectFrom('service_accounts').select('identifier').where('account_id', '=', accountId)
      .orderBy('identifier').execute();
    expect(rows.map((r) => r.identifier)).toEqual(['a_b', 'A$x', 'a1', 'alpha', 'beta', 'Zeta']);
  });

  it('every store list', async () => {
    expectCodePointOrder(await listedOrders(store!.db, accountId));
  });
});
