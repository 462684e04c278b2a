// Lists of any length: no store query binds one parameter per row of a list it read first.
// SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535; the seeds here go past
// both, written in a few set-based statements so the file stays fast.
import { sql } from 'kysely';
import { beforeAll, expect } from 'vitest';
import { makeScope } from '../../src/domain/scope.js';
import { loadAccessFacts } from '../../src/store/access-facts.js';
import { listUserGroups } from '../../src/store/user-groups.js';
import { accountAdminIds, enabledAccountAdminCount, firstAccountAdminEmail } from '../../src/store/users.js';
import { describeEachEngine, it } from '../helpers/harness.js';

const MANY = 66_000;

describeEachEngine('lists longer than one statement can bind', (h) => {
  const numbers = sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${MANY})`;

  beforeAll(async () => {
    const { db } = h().store;
    const account = sql`cast(${h().accountId} as text)`;
    // MANY users, all in one account-level group that holds _account_admin ...
    await sql`${numbers} insert into users (id, account_id, email, name, password_hash, disabled, created_at, last_modified_at)
      select 'bulk' || i, ${account}, 'bulk' || i || '@example.com', 'Bulk', 'x', 0, 1, 1 from n`.execute(db);
    await sql`${numbers} insert into user_group_members (account_id, org_identifier, project_identifier, group_identifier, member_type, member_identifier)
      select ${account}, '', '', 'everyone', 'USER', 'bulk' || i from n`.execute(db);
    await h().grantRole({ type: 'USER_GROUP', identifier: 'everyone' }, '_account_admin');
    // ... and MANY groups in the organization `crowded`, every one with bulk1 in it.
    await sql`${numbers} insert into user_groups (account_id, org_identifier, project_identifier, identifier, name, description, tags, created_at, last_modified_at)
      select ${account}, 'crowded', '', 'g' || i, 'group ' || i, '', '{}', 1, 1 from n`.execute(db);
    await sql`${numbers} insert into user_group_members (account_id, org_identifier, project_identifier, group_identifier, member_type, member_identifier)
      select ${account}, 'crowded', '', 'g' || i, 'USER', 'bulk1' from n`.execute(db);
    await db.insertInto('user_group_members').values(['bulk2', 'Bulk0'].map((member) => ({
      account_id: h().accountId, org_identifier: 'crowded', project_identifier: '', group_identifier: 'g7', member_type: 'USER', member_identifier: member,
    }))).execute();
  });

  it('lists every group of a scope, each with its own members', async () => {
    const groups = await listUserGroups(h().store.db, makeScope(h().accountId, 'crowded', null));
    expect(groups).toHaveLength(MANY);
    expect(groups.find((g) => g.identifier === 'g7')?.users).toEqual(['Bulk0', 'bulk1', 'bulk2']);
    expect(groups.find((g) => g.identifier === `g${MANY}`)?.users).toEqual(['bulk1']);
  });

  it('counts and finds account admins who hold the role through a group of any size', async () => {
    const { db } = h().store;
    expect((await accountAdminIds(db, h().accountId, 'any')).size).toBe(MANY + 1);
    expect(await enabledAccountAdminCount(db, h().accountId)).toBe(MANY + 1);
    // The earliest created (created_at 1, then by id) unless the preferred one is an admin.
    expect(await firstAccountAdminEmail(db, 'nobody@example.com')).toBe('bulk1@example.com');
    expect(await firstAccountAdminEmail(db, h().admin.email)).toBe(h().admin.email);
  });

  it("loads the access facts of a user in any number of groups, with their groups' assignments", async () => {
    const grant = await h().grantRole({ type: 'USER_GROUP', identifier: `g${MANY}` }, '_organization_viewer', { scope: { orgIdentifier: 'crowded' } });
    const facts = await loadAccessFacts(h().store.db, { type: 'USER', identifier: 'bulk1', accountIdentifier: h().accountId, scope: null });
    expect(facts.groups).toHaveLength(MANY + 1);
    expect(facts.assignments.map((a) => a.identifier)).toEqual(expect.arrayContaining([grant]));
  });
});
