// The audit trail (SPEC §3): item shape, filters, scope narrowing, and who sees what (never a 403 within
// the caller's own account; another account's trail is a 403, SPEC §2).
import { beforeAll, describe, expect } from 'vitest';
import { describeEachEngine, it, type Client } from '../helpers/harness.js';
import { expectError, expectFailure, expectOtherAccountDenied, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import { createOtherAccount, grant, userWith } from '../helpers/access-control.js';
import { makeScope } from '../../src/domain/scope.js';
import { createApiKey, createToken, saOwner } from '../helpers/api-keys.js';

const BASE = '/ng/api/audits';

describeEachEngine('audit trail', (h) => {
  let outsider: { id: string; client: Client };
  let startedAt: number;
  const list = (client: Client, query: Record<string, string | string[] | number | undefined> = {}) =>
    client.get(BASE, { query: { accountIdentifier: h().accountId, ...query } });

  beforeAll(async () => {
    startedAt = Date.now();
    const admin = h().admin.client.with({ 'user-agent': 'audit-test/1.0' });
    const query = { query: { accountIdentifier: h().accountId } };
    expect((await admin.post('/ng/api/organizations', { organization: { identifier: 'audited', name: 'Audited' } }, query)).status).toBe(200);
    expect((await admin.post('/ng/api/projects', { project: { identifier: 'audited_p', name: 'P' } },
      { query: { accountIdentifier: h().accountId, orgIdentifier: 'audited' } })).status).toBe(200);
    expect((await admin.put('/ng/api/organizations/audited', { organization: { identifier: 'audited', name: 'Audited 2' } }, query)).status).toBe(200);
    const user = await h().createUser({ name: 'Watcher' });
    outsider = user;
    expect((await user.client.put(`/ng/api/user/${user.id}`, { name: 'Watcher Renamed' }, query)).status).toBe(200);
  });

  describe('GET /audits', () => {
    it('200: newest first, each item exactly in SPEC\'s shape with actor, IP and user agent', async () => {
      const res = await list(h().admin.client);
      expect(res.status, res.text).toBe(200);
      const items = res.body.data.content;
      const times = items.map((i: any) => i.timestamp);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const update = items.find((i: any) => i.action === 'UPDATE' && i.resource.type === 'ORGANIZATION');
      expect(update).toEqual({
        auditId: expect.any(String), timestamp: expect.any(Number), action: 'UPDATE',
        resource: { type: 'ORGANIZATION', identifier: 'audited' },
        scope: { accountIdentifier: h().accountId, orgIdentifier: 'audited', projectIdentifier: null },
        authenticationInfo: { principal: { type: 'USER', identifier: h().admin.id }, ip: expect.any(String), userAgent: 'audit-test/1.0' },
        before: { identifier: 'audited', name: 'Audited', description: '', tags: {} },
        after: { identifier: 'audited', name: 'Audited 2', description: '', tags: {} },
      });
      const login = items.find((i: any) => i.action === 'LOGIN');
      expect(login.before).toBeNull();
      expect(login.after).toBeNull();
    });

    it('200: filters by actors, actions (repeated), resource types and time', async () => {
      const byActor = await list(h().admin.client, { actors: outsider.id });
      expect(byActor.body.data.totalItems).toBeGreaterThan(0);
      expect(new Set(byActor.body.data.content.map((i: any) => i.authenticationInfo.principal.identifier))).toEqual(new Set([outsider.id]));

      const byActions = await list(h().admin.client, { actions: ['CREATE', 'UPDATE'], resourceTypes: 'ORGANIZATION' });
      expect(byActions.body.data.content.map((i: any) => `${i.action} ${i.resource.identifier}`).sort())
        .toEqual(['CREATE audited', 'UPDATE audited']);

      const future = await list(h().admin.client, { startTime: Date.now() + 60_000 });
      expect(future.body.data).toMatchObject({ totalItems: 0, empty: true });
      const window = await list(h().admin.client, { startTime: startedAt, endTime: Date.now() + 1000, resourceTypes: 'PROJECT' });
      expect(window.body.data.content.map((i: any) => i.resource.identifier)).toEqual(['audited_p']);
      const before = await list(h().admin.client, { endTime: startedAt - 1, resourceTypes: 'PROJECT' });
      expect(before.body.data.totalItems).toBe(0);
    });

    it('200: an organization or project in the query narrows the scope', async () => {
      const org = await list(h().admin.client, { orgIdentifier: 'audited' });
      const scopes = org.body.data.content.map((i: any) => `${i.scope.orgIdentifier}/${i.scope.projectIdentifier}`);
      expect(scopes.length).toBeGreaterThan(0);
      expect(scopes.every((s: string) => s.startsWith('audited/'))).toBe(true);
      expect(scopes).toContain('audited/audited_p');
      const project = await list(h().admin.client, { orgIdentifier: 'audited', projectIdentifier: 'audited_p' });
      expect(project.body.data.content.every((i: any) => i.scope.projectIdentifier === 'audited_p')).toBe(true);
      expect(project.body.data.totalItems).toBe(2); // the project and its creator's grant
    });

    it('200: pages', async () => {
      const all = (await list(h().admin.client)).body.data.totalItems;
      const page = await list(h().admin.client, { pageSize: 2, pageIndex: 1 });
      expect(page.body.data).toMatchObject({ totalItems: all, pageSize: 2, pageIndex: 1, pageItemCount: 2, totalPages: Math.ceil(all / 2) });
    });

    it('200: sorted by time, newest first unless sortOrders asks for timestamp,ASC; any other field is a 400', async () => {
      const ids = async (query: Record<string, string | string[]>) => {
        const res = await list(h().admin.client, { pageSize: 100, ...query });
        expect(res.status, res.text).toBe(200);
        return res.body.data.content.map((i: any) => [i.timestamp, i.auditId]);
      };
      const newestFirst = await ids({});
      expect(newestFirst.length).toBeGreaterThan(3);
      const oldestFirst = await ids({ sortOrders: 'timestamp,ASC' });
      const times = oldestFirst.map(([t]: [number]) => t);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times[0]).toBeLessThan(times[times.length - 1]);
      // The list's default order named explicitly, as some clients send it, is the default.
      expect(await ids({ sortOrders: 'lastModifiedAt,DESC' })).toEqual(newestFirst);
      expect(await ids({ sortOrders: 'timestamp,DESC' })).toEqual(newestFirst);
      expectError(await list(h().admin.client, { sortOrders: 'action,ASC' }), 400, 'INVALID_REQUEST',
        'sortOrders: cannot sort by action; use one of timestamp, lastModifiedAt, createdAt');
      expectError(await list(h().admin.client, { sortOrders: 'timestamp,SIDEWAYS' }), 400, 'INVALID_REQUEST',
        'sortOrders: direction must be ASC or DESC, got SIDEWAYS');
    });

    it('200 with only its own entries for a caller without core_audit_view, never a 403', async () => {
      const own = await list(outsider.client);
      expect(own.status).toBe(200);
      const actors = new Set(own.body.data.content.map((i: any) => i.authenticationInfo.principal.identifier));
      expect(actors).toEqual(new Set([outsider.id]));
      expect(own.body.data.content.map((i: any) => i.action)).toEqual(expect.arrayContaining(['LOGIN', 'UPDATE']));
      const others = await list(outsider.client, { actors: h().admin.id });
      expect(others.status).toBe(200);
      expect(others.body.data).toMatchObject({ totalItems: 0, content: [] });
    });

    it('a service account sees its own entries, not those of another of the same identifier in another scope', async () => {
      const admin = h().admin.client;
      const accountQ = { query: { accountIdentifier: h().accountId } };
      expect((await admin.post('/authz/api/roles', { identifier: 'groups_only', name: 'groups only',
        permissions: ['core_usergroup_view', 'core_usergroup_manage'], allowedScopeLevels: ['account', 'organization'] }, accountQ)).status).toBe(200);
      const twins = [];
      for (const org of [null, 'audited']) {
        const sa = await h().seedServiceAccount({ identifier: 'twin', scope: { orgIdentifier: org } });
        await grant(h(), sa.scope, { type: 'SERVICE_ACCOUNT', identifier: 'twin', scopeLevel: org ? 'organization' : 'account' }, 'groups_only',
          org ? '_all_organization_level_resources' : '_all_account_level_resources');
        await createApiKey(h(), admin, saOwner(sa), 'twin_key', { rateLimitQps: 100 });
        const client = h().tokenClient(await createToken(h(), admin, saOwner(sa), 'twin_key', 'twin_token'));
        const group = org ? 'made_by_org_twin' : 'made_by_account_twin';
        expect((await client.post('/ng/api/user-groups', { identifier: group, name: group },
          { query: { accountIdentifier: h().accountId, ...(org ? { orgIdentifier: org } : {}) } })).status).toBe(200);
        twins.push({ client, group });
      }
      for (const [i, { client, group }] of twins.entries()) {
        const seen = (await list(client, { pageSize: 100 })).body.data.content.map((e: any) => e.resource.identifier);
        expect(seen).toContain(group);
        expect(seen).not.toContain(twins[1 - i]!.group);
      }
    });

    it('a service account made again under a deleted one\'s identifier does not see the deleted one\'s actions as its own', async () => {
      const admin = h().admin.client;
      const A = h().accountId;
      expect((await admin.post('/authz/api/roles', { identifier: 'reborn_groups', name: 'reborn groups',
        permissions: ['core_usergroup_view', 'core_usergroup_manage'], allowedScopeLevels: ['account'] }, { query: { accountIdentifier: A } })).status).toBe(200);
      const actAs = async (group: string) => {
        const sa = await h().seedServiceAccount({ identifier: 'reborn' });
        await grant(h(), sa.scope, { type: 'SERVICE_ACCOUNT', identifier: 'reborn', scopeLevel: 'account' }, 'reborn_groups', '_all_account_level_resources');
        await createApiKey(h(), admin, saOwner(sa), 'reborn_key', { rateLimitQps: 100 });
        const client = h().tokenClient(await createToken(h(), admin, saOwner(sa), 'reborn_key', 'reborn_token'));
        expect((await client.post('/ng/api/user-groups', { identifier: group, name: group }, { query: { accountIdentifier: A } })).status).toBe(200);
        return client;
      };
      const first = await actAs('made_by_first_reborn');
      const seenByFirst = (await list(first, { pageSize: 100 })).body.data.content.map((e: any) => e.resource.identifier);
      expect(seenByFirst).toContain('made_by_first_reborn');
      expect((await admin.delete('/ng/api/serviceaccount/reborn', { query: { accountIdentifier: A } })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5)); // the new one is created in a later millisecond
      const second = await actAs('made_by_second_reborn');
      const page = (await list(second, { pageSize: 100 })).body.data;
      const seen = page.content.map((e: any) => e.resource.identifier);
      expect(seen).toContain('made_by_second_reborn');
      expect(seen).not.toContain('made_by_first_reborn');
      expect(page.totalItems).toBe(page.content.length);
      // Named as the actor, the first one's entries stay out too; the admin still sees both.
      expect((await list(second, { actors: 'reborn', actions: 'CREATE', resourceTypes: 'USERGROUP' })).body.data.content
        .map((e: any) => e.resource.identifier)).toEqual(['made_by_second_reborn']);
      expect((await list(admin, { actors: 'reborn', actions: 'CREATE', resourceTypes: 'USERGROUP' })).body.data.content
        .map((e: any) => e.resource.identifier)).toEqual(['made_by_second_reborn', 'made_by_first_reborn']);
    });

    it("shows each entry by the permission at the entry's scope: a viewer of the account's own resources sees no organization's entries, but the organizations' own lifecycle", async () => {
      const account = makeScope(h().accountId);
      const viewer = await userWith(h(), [{ scope: account, role: '_account_viewer', resourceGroup: '_all_account_level_resources' }]);
      const entries = async (client: Client, query: Record<string, string | number> = {}) =>
        (await list(client, { pageSize: 100, ...query })).body.data.content as any[];
      const inAudited = (items: any[]) => items.filter((i) => i.scope.orgIdentifier === 'audited').map((i) => `${i.action} ${i.resource.type} ${i.resource.identifier}`);
      // The admin (all resources, child scopes included) sees the project's creation, recorded in the organization.
      expect(inAudited(await entries(h().admin.client))).toContain('CREATE PROJECT audited_p');
      // The viewer sees the account's entries and the organization's own lifecycle (it can see the
      // organization), but not what happened inside it, where it holds no permission.
      const seen = await entries(viewer.client);
      expect(seen.map((i) => i.resource.identifier)).toContain(outsider.id);
      expect(inAudited(seen).sort()).toEqual(['CREATE ORGANIZATION audited', 'UPDATE ORGANIZATION audited']);
      expect((await list(viewer.client, { pageSize: 100 })).body.data.totalItems).toBe(seen.length);
      // An organization deleted since: its creation and deletion stay visible to the viewer.
      const q = { query: { accountIdentifier: h().accountId } };
      expect((await h().admin.client.post('/ng/api/organizations', { organization: { identifier: 'gone_org', name: 'Gone' } }, q)).status).toBe(200);
      expect((await h().admin.client.delete('/ng/api/organizations/gone_org', q)).status).toBe(200);
      const gone = (await entries(viewer.client, { resourceTypes: 'ORGANIZATION' })).filter((i) => i.resource.identifier === 'gone_org').map((i) => i.action);
      expect(gone).toEqual(['DELETE', 'CREATE']);
      // Its own actions show wherever they were done.
      await grant(h(), makeScope(h().accountId, 'audited'), { type: 'USER', identifier: viewer.id }, '_organization_admin', '_all_resources_including_child_scopes');
      expect((await viewer.client.post('/ng/api/user-groups', { identifier: 'audited_by_viewer', name: 'By viewer' }, { query: { accountIdentifier: h().accountId, orgIdentifier: 'audited' } })).status).toBe(200);
      expect((await entries(viewer.client, { orgIdentifier: 'audited' })).map((i: any) => i.resource.identifier)).toContain('audited_by_viewer');
    });

    it("keeps a deleted organization's or project's entries from the grants of a new one of the same identifier; the grants from above still show them", async () => {
      const A = h().accountId;
      const admin = h().admin.client;
      const pause = () => new Promise((resolve) => setTimeout(resolve, 5)); // entries and creations in distinct milliseconds
      const group = async (identifier: string, org: string, project?: string) =>
        expect((await admin.post('/ng/api/user-groups', { identifier, name: identifier },
          { query: { accountIdentifier: A, orgIdentifier: org, ...(project ? { projectIdentifier: project } : {}) } })).status).toBe(200);
      const createOrg = async (identifier: string) =>
        expect((await admin.post('/ng/api/organizations', { organization: { identifier, name: identifier } }, { query: { accountIdentifier: A } })).status).toBe(200);
      const createProject = async (org: string, identifier: string) =>
        expect((await admin.post('/ng/api/projects', { project: { identifier, name: identifier } }, { query: { accountIdentifier: A, orgIdentifier: org } })).status).toBe(200);
      const groupsSeen = async (client: Client, org: string) =>
        ((await list(client, { orgIdentifier: org, resourceTypes: 'USERGROUP', pageSize: 100 })).body.data.content as any[])
          .map((i) => i.resource.identifier).sort();

      // An organization, with a group in it and one in its project, deleted and made again.
      await createOrg('reborn');
      await createProject('reborn', 'reborn_p');
      await group('old_in_org', 'reborn');
      await group('old_in_project', 'reborn', 'reborn_p');
      await pause();
      expect((await admin.delete('/ng/api/organizations/reborn', { query: { accountIdentifier: A } })).status).toBe(200);
      await pause();
      await createOrg('reborn');
      await createProject('reborn', 'reborn_p');
      await group('new_in_org', 'reborn');
      await group('new_in_project', 'reborn', 'reborn_p');
      const orgViewer = await userWith(h(), [{ scope: makeScope(A, 'reborn'), role: '_organization_viewer', resourceGroup: '_all_resources_including_child_scopes' }]);
      const projectViewer = await userWith(h(), [{ scope: makeScope(A, 'reborn', 'reborn_p'), role: '_project_viewer', resourceGroup: '_all_project_level_resources' }]);
      expect(await groupsSeen(orgViewer.client, 'reborn')).toEqual(['new_in_org', 'new_in_project']);
      expect(await groupsSeen(projectViewer.client, 'reborn')).toEqual(['new_in_project']);
      expect(await groupsSeen(admin, 'reborn')).toEqual(['new_in_org', 'new_in_project', 'old_in_org', 'old_in_project']);
      // The same for a project made again in an organization that stayed: the organization's grants show both.
      await createOrg('keeper');
      const keeperViewer = await userWith(h(), [{ scope: makeScope(A, 'keeper'), role: '_organization_viewer', resourceGroup: '_all_resources_including_child_scopes' }]);
      await createProject('keeper', 'kp');
      await group('old_in_kp', 'keeper', 'kp');
      await pause();
      expect((await admin.delete('/ng/api/projects/kp', { query: { accountIdentifier: A, orgIdentifier: 'keeper' } })).status).toBe(200);
      await pause();
      await createProject('keeper', 'kp');
      await group('new_in_kp', 'keeper', 'kp');
      const kpViewer = await userWith(h(), [{ scope: makeScope(A, 'keeper', 'kp'), role: '_project_viewer', resourceGroup: '_all_project_level_resources' }]);
      expect(await groupsSeen(kpViewer.client, 'keeper')).toEqual(['new_in_kp']);
      expect(await groupsSeen(keeperViewer.client, 'keeper')).toEqual(['new_in_kp', 'old_in_kp']);
      // The totals agree with what is shown.
      expect((await list(kpViewer.client, { orgIdentifier: 'keeper', resourceTypes: 'USERGROUP' })).body.data.totalItems).toBe(1);
    });

    it('answers with entries in thousands of scopes, more than a thousand of them visible', async () => {
      const now = Date.now();
      const rows = Array.from({ length: 2_400 }, (_, i) => ({
        id: `bulk-${i}-${now}`, account_id: h().accountId, org_identifier: i % 2 === 0 ? 'bulk_org' : 'other_bulk_org', project_identifier: `p${i}`,
        timestamp: now - i, action: 'UPDATE', resource_type: 'SERVICEACCOUNT', resource_identifier: `sa${i}`,
        principal_type: 'USER', principal_identifier: h().admin.id, ip: null, user_agent: null, before: null, after: null,
      }));
      for (let i = 0; i < rows.length; i += 200) await h().store.db.insertInto('audit_events').values(rows.slice(i, i + 200)).execute();
      const viewer = await userWith(h(), [{ scope: makeScope(h().accountId, 'bulk_org'), role: '_organization_viewer', resourceGroup: '_all_resources_including_child_scopes' }]);
      const res = await list(viewer.client, { resourceTypes: 'SERVICEACCOUNT', pageSize: 100 });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.totalItems).toBe(1_200);
      expect(new Set((res.body.data.content as any[]).map((i) => i.scope.orgIdentifier))).toEqual(new Set(['bulk_org']));
    });

    it('answers a caller with rights in more than a thousand existing projects, each with entries', async () => {
      const now = Date.now();
      const A = h().accountId;
      const db = h().store.db;
      const viewer = await h().createUser();
      expect((await h().admin.client.post('/ng/api/organizations', { organization: { identifier: 'many_projects', name: 'Many' } }, { query: { accountIdentifier: A } })).status).toBe(200);
      const n = 1_100;
      const range = Array.from({ length: n }, (_, i) => i);
      const scoped = (i: number) => ({ account_id: A, org_identifier: 'many_projects', project_identifier: `mp${i}` });
      for (let i = 0; i < n; i += 200) {
        const some = range.slice(i, i + 200);
        await db.insertInto('projects').values(some.map((j) => ({
          account_id: A, org_identifier: 'many_projects', identifier: `mp${j}`, name: `mp${j}`, description: '', color: '#0063f7', modules: '[]', tags: '{}',
          created_at: now - 60_000, last_modified_at: now - 60_000,
        }))).execute();
        await db.insertInto('role_assignments').values(some.map((j) => ({
          ...scoped(j), identifier: `mp_ra_${j}`, role_identifier: '_project_viewer', resource_group_identifier: '_all_project_level_resources',
          principal_type: 'USER', principal_identifier: viewer.id, principal_scope_level: 'account', disabled: 0, managed: 0, created_at: now, last_modified_at: now,
        }))).execute();
        await db.insertInto('audit_events').values(some.map((j) => ({
          id: `mp-${j}-${now}`, ...scoped(j), timestamp: now - j, action: 'UPDATE', resource_type: 'SERVICEACCOUNT', resource_identifier: `sa${j}`,
          principal_type: 'USER', principal_identifier: h().admin.id, ip: null, user_agent: null, before: null, after: null,
        }))).execute();
      }
      h().services.invalidation.publish({ kind: 'principal', accountIdentifier: A, principalType: 'USER', principalIdentifier: viewer.id, permissionsOnly: true });
      const res = await list(viewer.client, { orgIdentifier: 'many_projects', resourceTypes: 'SERVICEACCOUNT', pageSize: 10 });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.totalItems).toBe(n);
      // The same projects as if each had been made again after its entries: every scope is judged by
      // periods, and the viewer's grants on the new projects do not show the old entries.
      await db.updateTable('projects').set({ created_at: now + 1 }).where('account_id', '=', A).where('org_identifier', '=', 'many_projects').execute();
      const periods = await list(viewer.client, { orgIdentifier: 'many_projects', resourceTypes: 'SERVICEACCOUNT', pageSize: 10 });
      expect(periods.status, periods.text).toBe(200);
      expect(periods.body.data.totalItems).toBe(0);
      expect((await list(h().admin.client, { orgIdentifier: 'many_projects', resourceTypes: 'SERVICEACCOUNT', pageSize: 10 })).body.data.totalItems).toBe(n);
    });

    it('403 for another account\'s trail, the same whether it exists or not; none of its entries shows', async () => {
      const other = await createOtherAccount(h(), 'Audited Elsewhere'); // its admin's LOGIN is in its trail
      const existing = await h().admin.client.get(BASE, { query: { accountIdentifier: other.accountId } });
      expectOtherAccountDenied(existing, other.accountId);
      expect(existing.text).not.toContain(other.adminId);
      expect(existing.text).not.toContain(other.adminEmail);
      const missing = await h().admin.client.get(BASE, { query: { accountIdentifier: 'AnotherAccount00000000' } });
      expectOtherAccountDenied(missing, 'AnotherAccount00000000');
      expectSameDenial(existing, missing, other.accountId, 'AnotherAccount00000000');
    });

    it('404 at an organization or project that does not exist, as every list, for a caller who may see it (a 200 with nothing for anyone else); a deleted one\'s entries stay in the account\'s trail', async () => {
      expectError(await list(h().admin.client, { orgIdentifier: 'nosuch' }), 404, 'ENTITY_NOT_FOUND', 'Organization with identifier nosuch not found');
      expectError(await list(h().admin.client, { orgIdentifier: 'audited', projectIdentifier: 'nosuch' }), 404, 'ENTITY_NOT_FOUND',
        'Project with identifier nosuch in organization audited not found');
      for (const scope of [{ orgIdentifier: 'nosuch' }, { orgIdentifier: 'audited', projectIdentifier: 'nosuch' }]) {
        const res = await list(outsider.client, scope);
        expect(res.status, res.text).toBe(200);
        expect(res.body.data.content).toEqual([]);
      }
      const query = { query: { accountIdentifier: h().accountId } };
      expect((await h().admin.client.post('/ng/api/organizations', { organization: { identifier: 'audited_gone', name: 'Gone' } }, query)).status).toBe(200);
      expect((await h().admin.client.post('/ng/api/user-groups', { identifier: 'gone_group', name: 'Gone group' },
        { query: { accountIdentifier: h().accountId, orgIdentifier: 'audited_gone' } })).status).toBe(200);
      expect((await h().admin.client.delete('/ng/api/organizations/audited_gone', query)).status).toBe(200);
      expectError(await list(h().admin.client, { orgIdentifier: 'audited_gone' }), 404, 'ENTITY_NOT_FOUND', 'Organization with identifier audited_gone not found');
      const trail = (await list(h().admin.client, { resourceTypes: ['ORGANIZATION', 'USERGROUP'], pageSize: 100 })).body.data.content as any[];
      expect(trail.filter((i) => ['audited_gone', 'gone_group'].includes(i.resource.identifier)).map((i) => `${i.action} ${i.resource.identifier}`).sort())
        .toEqual(['CREATE audited_gone', 'CREATE gone_group', 'DELETE audited_gone']);
    });

    it('400 for pageSize above 100 and non-numeric times', async () => {
      expectError(await list(h().admin.client, { pageSize: 101 }), 400, 'INVALID_REQUEST', 'pageSize must be at most 100');
      expectFailure(await list(h().admin.client, { startTime: 'yesterday' }), 'startTime');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(BASE, { query: { accountIdentifier: h().accountId } }));
    });
  });
});
