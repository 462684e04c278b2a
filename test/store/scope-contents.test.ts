// deleteScopeContents: everything inside an organization or a project goes, nothing outside it.
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { allOne, allZero, countScopeContents, seedScopeContents } from '../helpers/scope-fixtures.js';
import { makeScope } from '../../src/domain/scope.js';
import { insertOrganization } from '../../src/store/organizations.js';
import { insertProject } from '../../src/store/projects.js';
import { deleteScopeContents } from '../../src/store/scope-contents.js';

describeEachEngine('deleteScopeContents', (h) => {
  async function organizationWithProjects(org: string, projects: string[]) {
    const db = h().store.db;
    const now = Date.now();
    await insertOrganization(db, h().accountId, { identifier: org, name: org, description: '', tags: {} }, now);
    await seedScopeContents(db, makeScope(h().accountId, org), now);
    for (const p of projects) {
      await insertProject(db, h().accountId, { identifier: p, orgIdentifier: org, name: p, color: '#000000', modules: [], description: '', tags: {} }, now);
      await seedScopeContents(db, makeScope(h().accountId, org, p), now);
    }
  }

  it('empties an organization and its projects, and deletes the projects; other scopes keep everything', async () => {
    await organizationWithProjects('gone', ['p1', 'p2']);
    await organizationWithProjects('kept', ['p1']);
    await seedScopeContents(h().store.db, makeScope(h().accountId));
    const accountBefore = await countScopeContents(h().store.db, makeScope(h().accountId));

    const deleted = await h().store.db.transaction().execute((trx) => deleteScopeContents(trx, makeScope(h().accountId, 'gone')));
    expect(deleted).toEqual({
      projects: 2, serviceAccounts: 3, userGroups: 3, userGroupMembers: 3, roles: 3, resourceGroups: 3, roleAssignments: 3, apiKeys: 3, tokens: 3,
    });
    for (const scope of [makeScope(h().accountId, 'gone'), makeScope(h().accountId, 'gone', 'p1'), makeScope(h().accountId, 'gone', 'p2')]) {
      expect(await countScopeContents(h().store.db, scope)).toEqual(allZero());
    }
    const projects = await h().store.db.selectFrom('projects').select('identifier').where('org_identifier', '=', 'gone').execute();
    expect(projects).toEqual([]);
    for (const scope of [makeScope(h().accountId, 'kept'), makeScope(h().accountId, 'kept', 'p1')]) {
      expect(await countScopeContents(h().store.db, scope)).toEqual(allOne());
    }
    expect(await countScopeContents(h().store.db, makeScope(h().accountId))).toEqual(accountBefore);
  });

  it('empties one project only', async () => {
    await organizationWithProjects('half', ['a', 'b']);
    const deleted = await h().store.db.transaction().execute((trx) => deleteScopeContents(trx, makeScope(h().accountId, 'half', 'a')));
    expect(deleted).toMatchObject({ projects: 0, serviceAccounts: 1, tokens: 1 });
    expect(await countScopeContents(h().store.db, makeScope(h().accountId, 'half', 'a'))).toEqual(allZero());
    expect(await countScopeContents(h().store.db, makeScope(h().accountId, 'half', 'b'))).toEqual(allOne());
    expect(await countScopeContents(h().store.db, makeScope(h().accountId, 'half'))).toEqual(allOne());
  });

  it('rolls back with its transaction', async () => {
    await organizationWithProjects('sturdy', ['x']);
    await expect(h().store.db.transaction().execute(async (trx) => {
      await deleteScopeContents(trx, makeScope(h().accountId, 'sturdy'));
      throw new Error('abort');
    })).rejects.toThrow('abort');
    expect(await countScopeContents(h().store.db, makeScope(h().accountId, 'sturdy', 'x'))).toEqual(allOne());
  });

  it('refuses the account scope', async () => {
    await expect(h().store.db.transaction().execute((trx) => deleteScopeContents(trx, makeScope(h().accountId))))
      .rejects.toThrow(/only an organization or a project/);
  });
});
