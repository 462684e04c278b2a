// Projects (SPEC §3): every status of every route, the creator's grant, the cascade on delete.
import { beforeAll, describe, expect } from 'vitest';
import { describeEachEngine, it, type Client } from '../helpers/harness.js';
import { expectDenied, expectError, expectFailure, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import { allOne, allZero, countScopeContents, seedScopeContents } from '../helpers/scope-fixtures.js';
import { makeScope } from '../../src/domain/scope.js';
import type { InvalidationEvent } from '../../src/services.js';

const BASE = '/ng/api/projects';

describeEachEngine('projects', (h) => {
  let outsider: Client;
  const events: InvalidationEvent[] = [];
  const q = (orgIdentifier = 'apps') => ({ query: { accountIdentifier: h().accountId, orgIdentifier } });
  const body = (identifier: string, extra: Record<string, unknown> = {}) =>
    ({ project: { identifier, name: `Project ${identifier}`, color: '#ff0000', modules: ['CD', 'CI'], description: 'd', tags: { env: 'prod' }, ...extra } });
  const create = async (identifier: string, org = 'apps', extra: Record<string, unknown> = {}) => {
    const res = await h().admin.client.post(BASE, body(identifier, extra), q(org));
    expect(res.status, res.text).toBe(200);
    return res;
  };

  beforeAll(async () => {
    outsider = (await h().createUser()).client;
    for (const org of ['apps', 'infra']) {
      const res = await h().admin.client.post('/ng/api/organizations', { organization: { identifier: org, name: org } },
        { query: { accountIdentifier: h().accountId } });
      expect(res.status, res.text).toBe(200);
    }
    h().services.invalidation.subscribe((e) => events.push(e));
  });

  describe('POST /projects', () => {
    it('200: creates it in the organization, answers Harness\'s shape, and makes the creator its admin', async () => {
      const res = await create('web');
      expect(res.body.data).toEqual({
        project: { identifier: 'web', orgIdentifier: 'apps', name: 'Project web', color: '#ff0000', modules: ['CD', 'CI'], description: 'd', tags: { env: 'prod' } },
        createdAt: expect.any(Number), lastModifiedAt: expect.any(Number),
      });
      const grant = await h().store.db.selectFrom('role_assignments').selectAll().where('account_id', '=', h().accountId)
        .where('org_identifier', '=', 'apps').where('project_identifier', '=', 'web').executeTakeFirstOrThrow();
      expect(grant).toMatchObject({
        role_identifier: '_project_admin', resource_group_identifier: '_all_project_level_resources',
        principal_type: 'USER', principal_identifier: h().admin.id,
      });
      const audit = await h().store.db.selectFrom('audit_events').select(['action', 'resource_type', 'org_identifier', 'project_identifier'])
        .where('resource_type', '=', 'PROJECT').where('resource_identifier', '=', 'web').execute();
      expect(audit).toEqual([{ action: 'CREATE', resource_type: 'PROJECT', org_identifier: 'apps', project_identifier: 'web' }]);
      expect(events).toContainEqual({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: h().admin.id, permissionsOnly: true });
    });

    it('200: the organization may come from the body, and defaults to `default` as in Harness', async () => {
      const fromBody = await h().admin.client.post(BASE, body('from_body', { orgIdentifier: 'infra' }), { query: { accountIdentifier: h().accountId } });
      expect(fromBody.body.data.project.orgIdentifier).toBe('infra');
      const defaulted = await h().admin.client.post(BASE, { project: { identifier: 'defaulted', name: 'D' } }, { query: { accountIdentifier: h().accountId } });
      expect(defaulted.status, defaulted.text).toBe(200);
      expect(defaulted.body.data.project).toEqual({
        identifier: 'defaulted', orgIdentifier: 'default', name: 'D', color: '#0063F7', modules: [], description: '', tags: {},
      });
    });

    it('200: the same identifier may exist in two organizations', async () => {
      await create('shared_name', 'apps');
      await create('shared_name', 'infra');
    });

    it('400 DUPLICATE_FIELD for an identifier already in the organization', async () => {
      await create('twice');
      expectError(await h().admin.client.post(BASE, body('twice'), q()), 400, 'DUPLICATE_FIELD', /twice is already present in organization apps/);
    });

    it('400 for malformed and wrong-typed bodies', async () => {
      expectFailure(await h().admin.client.post(BASE, body('p1', { name: 5 }), q()), 'project.name');
      expectFailure(await h().admin.client.post(BASE, body('p2', { color: 'red' }), q()), 'project.color');
      expectFailure(await h().admin.client.post(BASE, body('p3', { modules: 'CD' }), q()), 'project.modules');
      expectFailure(await h().admin.client.post(BASE, body('p4', { modules: ['cd'] }), q()), 'project.modules.0');
      expectFailure(await h().admin.client.post(BASE, body('true'), q()), 'project.identifier');
      expectFailure(await h().admin.client.post(BASE, { identifier: 'flat', name: 'Flat' }, q()), 'project');
      expectError(await h().admin.client.request('POST', `${BASE}?accountIdentifier=${h().accountId}`, 'not json',
        { headers: { 'content-type': 'application/json' } }), 400, 'INVALID_REQUEST');
    });

    it('400 Value mismatch when the body names another organization than the query', async () => {
      expectError(await h().admin.client.post(BASE, body('mm', { orgIdentifier: 'infra' }), q('apps')), 400, 'INVALID_REQUEST',
        'Invalid request: Value mismatch, previous: apps current: infra');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.post(BASE, body('anon'), q()));
    });

    it('403 for a user without core_project_create, naming the organization scope', async () => {
      const res = await outsider.post(BASE, body('nope'), q());
      expectDenied(res, 'core_project_create', null);
      expect(res.body.failedPermissionChecks[0].resourceScope).toEqual({ accountIdentifier: h().accountId, orgIdentifier: 'apps', projectIdentifier: null });
    });

    it('404 ENTITY_NOT_FOUND for a missing organization, after authorization', async () => {
      expectError(await h().admin.client.post(BASE, body('lost'), q('no_such_org')), 404, 'ENTITY_NOT_FOUND', 'Organization with identifier no_such_org not found');
      expectSameDenial(await outsider.post(BASE, body('lost'), q('apps')), await outsider.post(BASE, body('lost'), q('no_such_org')), 'apps', 'no_such_org');
    });
  });

  describe('GET /projects/{identifier}', () => {
    it('200 with the stored project', async () => {
      await create('gettable');
      const res = await h().admin.client.get(`${BASE}/gettable`, q());
      expect(res.status).toBe(200);
      expect(res.body.data.project).toMatchObject({ identifier: 'gettable', orgIdentifier: 'apps' });
    });

    it('200 for default_project in the default organization, without an orgIdentifier', async () => {
      const res = await h().admin.client.get(`${BASE}/default_project`, { query: { accountIdentifier: h().accountId } });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.project.orgIdentifier).toBe('default');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${BASE}/gettable`, q()));
    });

    it('403 for a user without core_project_view', async () => {
      expectDenied(await outsider.get(`${BASE}/gettable`, q()), 'core_project_view', 'gettable');
    });

    it('404 for a missing project and for a missing organization', async () => {
      expectError(await h().admin.client.get(`${BASE}/absent`, q()), 404, 'ENTITY_NOT_FOUND', 'Project with identifier absent in organization apps not found');
      expectError(await h().admin.client.get(`${BASE}/gettable`, q('no_org')), 404, 'ENTITY_NOT_FOUND', 'Organization with identifier no_org not found');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.get(`${BASE}/gettable`, q()), await outsider.get(`${BASE}/absent`, q()), 'gettable', 'absent');
    });
  });

  describe('GET /projects', () => {
    beforeAll(async () => {
      await create('list_one', 'apps', { name: 'Listed one' });
      await create('list_two', 'infra', { name: 'Listed two', tags: { tier: 'gold' } });
    });
    const ids = (res: any) => res.body.data.content.map((p: any) => `${p.project.orgIdentifier}/${p.project.identifier}`).sort();

    it('200: one organization\'s projects, or every organization\'s without orgIdentifier', async () => {
      const apps = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, orgIdentifier: 'apps', searchTerm: 'listed' } });
      expect(ids(apps)).toEqual(['apps/list_one']);
      const all = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, searchTerm: 'listed' } });
      expect(ids(all)).toEqual(['apps/list_one', 'infra/list_two']);
      expect(all.body.data).toMatchObject({ totalItems: 2, pageItemCount: 2, pageSize: 50, pageIndex: 0, totalPages: 1, empty: false });
    });

    it('200: searches tags, literally', async () => {
      const gold = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, searchTerm: 'GOLD' } });
      expect(ids(gold)).toEqual(['infra/list_two']);
      const regex = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, searchTerm: 'list_(one|two)' } });
      expect(ids(regex)).toEqual([]);
    });

    it('200 and empty for a user who may view none, even for a missing organization', async () => {
      for (const org of ['apps', 'no_such_org']) {
        const res = await outsider.get(BASE, q(org));
        expect(res.status).toBe(200);
        expect(res.body.data).toMatchObject({ totalItems: 0, empty: true });
      }
    });

    it('404 for a missing organization, to a caller allowed to see organizations', async () => {
      expectError(await h().admin.client.get(BASE, q('no_such_org')), 404, 'ENTITY_NOT_FOUND');
    });

    it('400 for pageSize above 100', async () => {
      expectError(await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, pageSize: 500 } }), 400, 'INVALID_REQUEST', 'pageSize must be at most 100');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(BASE, q()));
    });
  });

  describe('PUT /projects/{identifier}', () => {
    it('200: changes what is given, keeps what is absent, and audits before/after', async () => {
      await create('mutable');
      const res = await h().admin.client.put(`${BASE}/mutable`, { project: { identifier: 'mutable', name: 'Changed', modules: ['CF'] } }, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.project).toEqual({
        identifier: 'mutable', orgIdentifier: 'apps', name: 'Changed', color: '#ff0000', modules: ['CF'], description: 'd', tags: { env: 'prod' },
      });
      expect((await h().admin.client.get(`${BASE}/mutable`, q())).body.data.project.name).toBe('Changed');
      const audit = await h().store.db.selectFrom('audit_events').selectAll().where('resource_identifier', '=', 'mutable')
        .where('action', '=', 'UPDATE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.before!).modules).toEqual(['CD', 'CI']);
      expect(JSON.parse(audit.after!).modules).toEqual(['CF']);
    });

    it('400 when the body\'s identifier or organization differs from the request\'s', async () => {
      expectError(await h().admin.client.put(`${BASE}/mutable`, body('renamed'), q()), 400, 'INVALID_REQUEST',
        'Invalid request: Value mismatch, previous: mutable current: renamed');
      expectError(await h().admin.client.put(`${BASE}/mutable`, body('mutable', { orgIdentifier: 'infra' }), q()), 400, 'INVALID_REQUEST',
        'Invalid request: Value mismatch, previous: apps current: infra');
    });

    it('400 for a wrong-typed body', async () => {
      expectFailure(await h().admin.client.put(`${BASE}/mutable`, body('mutable', { tags: [] }), q()), 'project.tags');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.put(`${BASE}/mutable`, body('mutable'), q()));
    });

    it('403 for a user without core_project_edit', async () => {
      expectDenied(await outsider.put(`${BASE}/mutable`, body('mutable'), q()), 'core_project_edit', 'mutable');
    });

    it('404 for a missing project or organization', async () => {
      expectError(await h().admin.client.put(`${BASE}/phantom`, body('phantom'), q()), 404, 'ENTITY_NOT_FOUND');
      expectError(await h().admin.client.put(`${BASE}/mutable`, body('mutable'), q('gone_org')), 404, 'ENTITY_NOT_FOUND');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.put(`${BASE}/mutable`, body('mutable'), q()), await outsider.put(`${BASE}/phantom`, body('phantom'), q()),
        'mutable', 'phantom');
    });

    it('403 before the identifier-mismatch 400: the same 403 for an existing and a missing project', async () => {
      const existing = await outsider.put(`${BASE}/mutable`, body('p7'), q());
      expectDenied(existing, 'core_project_edit', 'mutable');
      expectSameDenial(existing, await outsider.put(`${BASE}/phantom`, body('p7'), q()), 'mutable', 'phantom');
    });
  });

  describe('DELETE /projects/{identifier}', () => {
    it('200: deletes it and everything scoped in it, nothing else, and drops cached tokens', async () => {
      await create('short_lived');
      await create('sibling');
      const doomed = makeScope(h().accountId, 'apps', 'short_lived');
      const sibling = makeScope(h().accountId, 'apps', 'sibling');
      const org = makeScope(h().accountId, 'apps');
      await seedScopeContents(h().store.db, doomed);
      await seedScopeContents(h().store.db, sibling);
      await seedScopeContents(h().store.db, org);
      events.length = 0;
      const res = await h().admin.client.delete(`${BASE}/short_lived`, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toBe(true);
      expect(await countScopeContents(h().store.db, doomed)).toEqual(allZero());
      // the sibling keeps its seeded rows plus its creator's grant
      expect(await countScopeContents(h().store.db, sibling)).toMatchObject({ ...allOne(), role_assignments: 2 });
      expect(await countScopeContents(h().store.db, org)).toMatchObject({ ...allOne(), role_assignments: 2 });
      expectError(await h().admin.client.get(`${BASE}/short_lived`, q()), 404, 'ENTITY_NOT_FOUND');
      expect(events).toContainEqual({ kind: 'account', accountIdentifier: h().accountId });
      const audit = await h().store.db.selectFrom('audit_events').selectAll().where('resource_identifier', '=', 'short_lived')
        .where('action', '=', 'DELETE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.after!).deletedContents).toMatchObject({ projects: 0, serviceAccounts: 1, roleAssignments: 2, tokens: 1 });
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.delete(`${BASE}/sibling`, q()));
    });

    it('403 for a user without core_project_delete, who deletes nothing', async () => {
      expectDenied(await outsider.delete(`${BASE}/sibling`, q()), 'core_project_delete', 'sibling');
      expect((await h().admin.client.get(`${BASE}/sibling`, q())).status).toBe(200);
    });

    it('404 for a missing project or organization', async () => {
      expectError(await h().admin.client.delete(`${BASE}/vanished`, q()), 404, 'ENTITY_NOT_FOUND');
      expectError(await h().admin.client.delete(`${BASE}/sibling`, q('vanished_org')), 404, 'ENTITY_NOT_FOUND');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.delete(`${BASE}/sibling`, q()), await outsider.delete(`${BASE}/vanished`, q()), 'sibling', 'vanished');
    });
  });
});
