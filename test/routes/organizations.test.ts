// Organizations (SPEC §3): every status of every route, the creator's grant, the cascade on delete.
import { beforeAll, describe, expect } from 'vitest';
import { describeEachEngine, it, type Client } from '../helpers/harness.js';
import { expectDenied, expectError, expectFailure, expectOtherAccountDenied, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import { allOne, allZero, countScopeContents, seedScopeContents } from '../helpers/scope-fixtures.js';
import { makeScope } from '../../src/domain/scope.js';
import type { InvalidationEvent } from '../../src/services.js';

const BASE = '/ng/api/organizations';

describeEachEngine('organizations', (h) => {
  let outsider: Client; // a user with no roles
  const events: InvalidationEvent[] = [];
  const q = () => ({ query: { accountIdentifier: h().accountId } });
  const body = (identifier: string, extra: Record<string, unknown> = {}) =>
    ({ organization: { identifier, name: `Org ${identifier}`, description: 'about it', tags: { team: 'blue' }, ...extra } });
  const create = async (identifier: string, extra: Record<string, unknown> = {}) => {
    const res = await h().admin.client.post(BASE, body(identifier, extra), q());
    expect(res.status, res.text).toBe(200);
    return res;
  };

  beforeAll(async () => {
    const user = await h().createUser();
    outsider = user.client;
    h().services.invalidation.subscribe((e) => events.push(e));
  });

  describe('POST /organizations', () => {
    it('200: creates it, answers Harness\'s shape, and makes the creator its admin', async () => {
      const res = await create('engineering');
      expect(res.body.status).toBe('SUCCESS');
      expect(res.body.data).toEqual({
        organization: { identifier: 'engineering', name: 'Org engineering', description: 'about it', tags: { team: 'blue' } },
        createdAt: expect.any(Number), lastModifiedAt: expect.any(Number),
      });
      const grant = await h().store.db.selectFrom('role_assignments').selectAll()
        .where('account_id', '=', h().accountId).where('org_identifier', '=', 'engineering').executeTakeFirstOrThrow();
      expect(grant).toMatchObject({
        project_identifier: '', role_identifier: '_organization_admin', resource_group_identifier: '_all_resources_including_child_scopes',
        principal_type: 'USER', principal_identifier: h().admin.id, disabled: 0,
      });
      const audit = await h().store.db.selectFrom('audit_events').selectAll()
        .where('resource_identifier', 'in', ['engineering', grant.identifier]).execute();
      expect(audit.map((a) => `${a.action} ${a.resource_type} ${a.org_identifier}`).sort())
        .toEqual(['CREATE ORGANIZATION engineering', 'CREATE ROLEASSIGNMENT engineering']);
      expect(audit[0].principal_identifier).toBe(h().admin.id);
      expect(events).toContainEqual({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: h().admin.id, permissionsOnly: true });
    });

    it('200: description and tags may be absent or null, and the /gateway prefix works too', async () => {
      const res = await h().admin.client.post(`/gateway${BASE}`, { organization: { identifier: 'bare', name: 'Bare', description: null } }, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.organization).toEqual({ identifier: 'bare', name: 'Bare', description: '', tags: {} });
    });

    it('200: the account may come from the caller when the query has none', async () => {
      const res = await h().admin.client.post(BASE, body('implicit_account'));
      expect(res.status, res.text).toBe(200);
    });

    it('400 DUPLICATE_FIELD for an identifier already in the account', async () => {
      await create('dup_org');
      const res = await h().admin.client.post(BASE, body('dup_org'), q());
      expectError(res, 400, 'DUPLICATE_FIELD', /dup_org is already present/);
    });

    it('400 for malformed and wrong-typed bodies, with the failing fields', async () => {
      expectFailure(await h().admin.client.post(BASE, { organization: { identifier: 'x1', name: 123 } }, q()), 'organization.name');
      expectFailure(await h().admin.client.post(BASE, {}, q()), 'organization');
      expectFailure(await h().admin.client.post(BASE, { organization: { name: 'No id' } }, q()), 'organization.identifier');
      expectFailure(await h().admin.client.post(BASE, body('x2', { tags: { a: 1 } }), q()), 'organization.tags.a');
      expectFailure(await h().admin.client.post(BASE, body('x3', { description: 'd'.repeat(1025) }), q()), 'organization.description');
      const reserved = await h().admin.client.post(BASE, body('org'), q());
      expectFailure(reserved, 'organization.identifier');
      expect(reserved.body.message).toContain('org is a reserved word');
      const pattern = await h().admin.client.post(BASE, body('9lives'), q());
      expectFailure(pattern, 'organization.identifier');
      expect(pattern.body.message).toContain('must start with a letter or _');
      expectFailure(await h().admin.client.post(BASE, body('bad_name', { name: 'a*b' }), q()), 'organization.name');
      const malformed = await h().admin.client.request('POST', `${BASE}?accountIdentifier=${h().accountId}`, '{"organization":',
        { headers: { 'content-type': 'application/json' } });
      expectError(malformed, 400, 'INVALID_REQUEST');
    });

    it('400 Value mismatch when the body names another account than the query', async () => {
      const res = await h().admin.client.post(BASE, body('mismatch', { accountIdentifier: 'someOtherAccount' }), q());
      expectError(res, 400, 'INVALID_REQUEST', `Invalid request: Value mismatch, previous: ${h().accountId} current: someOtherAccount`);
    });

    it('413 for a body over 1 MiB', async () => {
      const res = await h().admin.client.post(BASE, body('huge', { description: 'x'.repeat(1024 * 1024 + 1) }), q());
      expectError(res, 413, 'INVALID_REQUEST', 'Request body too large');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.post(BASE, body('anon'), q()));
    });

    it('403 for a user without core_organization_create, and for another account', async () => {
      expectDenied(await outsider.post(BASE, body('not_mine'), q()), 'core_organization_create', null);
      const other = await h().admin.client.post(BASE, body('elsewhere'), { query: { accountIdentifier: 'AnotherAccount0000000a' } });
      expectOtherAccountDenied(other, 'AnotherAccount0000000a'); // denied on the account itself, before anything else
      expect(await h().store.db.selectFrom('organizations').select('identifier').where('identifier', 'in', ['not_mine', 'elsewhere']).execute()).toEqual([]);
    });
  });

  describe('GET /organizations/{identifier}', () => {
    it('200 with the stored organization', async () => {
      await create('readable');
      const res = await h().admin.client.get(`${BASE}/readable`, q());
      expect(res.status).toBe(200);
      expect(res.body.data.organization).toEqual({ identifier: 'readable', name: 'Org readable', description: 'about it', tags: { team: 'blue' } });
    });

    it('200 for the default organization every account has', async () => {
      const res = await h().admin.client.get(`${BASE}/default`, q());
      expect(res.status).toBe(200);
      expect(res.body.data.organization.identifier).toBe('default');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(`${BASE}/readable`, q()));
    });

    it('403 for a user without core_organization_view', async () => {
      expectDenied(await outsider.get(`${BASE}/default`, q()), 'core_organization_view', 'default');
    });

    it('404 ENTITY_NOT_FOUND for a missing one, to a caller allowed to view', async () => {
      expectError(await h().admin.client.get(`${BASE}/nowhere`, q()), 404, 'ENTITY_NOT_FOUND', 'Organization with identifier nowhere not found');
    });

    it('does not leak existence: the same 403 for an existing and a missing organization', async () => {
      expectSameDenial(await outsider.get(`${BASE}/default`, q()), await outsider.get(`${BASE}/nowhere`, q()), 'default', 'nowhere');
    });
  });

  describe('GET /organizations', () => {
    beforeAll(async () => {
      for (const id of ['list_a', 'list_b', 'list_c']) await create(id, { name: `Listed ${id}`, tags: { kind: `k_${id}` } });
    });

    it('200: pages, with Harness\'s page shape', async () => {
      const res = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, searchTerm: 'Listed', pageSize: 2 } });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 2, pageSize: 2, pageIndex: 0, empty: false });
      const second = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, searchTerm: 'Listed', pageSize: 2, pageIndex: 1 } });
      expect(second.body.data).toMatchObject({ pageItemCount: 1, pageIndex: 1 });
      const ids = [...res.body.data.content, ...second.body.data.content].map((o: any) => o.organization.identifier).sort();
      expect(ids).toEqual(['list_a', 'list_b', 'list_c']);
    });

    it('200: searches name, identifier and tags case-insensitively, as a literal', async () => {
      const search = async (searchTerm: string) => (await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, searchTerm } }))
        .body.data.content.map((o: any) => o.organization.identifier).sort();
      expect(await search('LIST_B')).toEqual(['list_b']);
      expect(await search('k_list_c')).toEqual(['list_c']);
      expect(await search('list_.')).toEqual([]);
      expect(await search('.*')).toEqual([]);
    });

    it('200: sorts by the requested order and filters by identifiers', async () => {
      const res = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, searchTerm: 'Listed', sortOrders: 'identifier,DESC' } });
      expect(res.body.data.content.map((o: any) => o.organization.identifier)).toEqual(['list_c', 'list_b', 'list_a']);
      const some = await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, identifiers: ['list_a', 'default'] } });
      expect(some.body.data.content.map((o: any) => o.organization.identifier).sort()).toEqual(['default', 'list_a']);
    });

    it('200 and empty for a user who may view none: a list never answers 403', async () => {
      const res = await outsider.get(BASE, q());
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ totalItems: 0, content: [], empty: true });
    });

    it('400 for pageSize above 100 and a bad sort field', async () => {
      expectError(await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, pageSize: 101 } }), 400, 'INVALID_REQUEST', 'pageSize must be at most 100');
      expectError(await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, sortOrders: 'color,ASC' } }), 400, 'INVALID_REQUEST');
      expectFailure(await h().admin.client.get(BASE, { query: { accountIdentifier: h().accountId, pageIndex: 'first' } }), 'pageIndex');
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(BASE, q()));
    });
  });

  describe('PUT /organizations/{identifier}', () => {
    it('200: changes name and description, keeps absent fields, and audits before/after', async () => {
      const created = await create('editable');
      const res = await h().admin.client.put(`${BASE}/editable`, { organization: { identifier: 'editable', name: 'Renamed', description: 'new words' } }, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.organization).toEqual({ identifier: 'editable', name: 'Renamed', description: 'new words', tags: { team: 'blue' } });
      expect(res.body.data.createdAt).toBe(created.body.data.createdAt);
      const again = await h().admin.client.get(`${BASE}/editable`, q());
      expect(again.body.data.organization.name).toBe('Renamed');
      const audit = await h().store.db.selectFrom('audit_events').selectAll()
        .where('resource_identifier', '=', 'editable').where('action', '=', 'UPDATE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.before!)).toMatchObject({ name: 'Org editable' });
      expect(JSON.parse(audit.after!)).toMatchObject({ name: 'Renamed' });
    });

    it('200: null clears description and tags', async () => {
      await create('clearable');
      const res = await h().admin.client.put(`${BASE}/clearable`, { organization: { identifier: 'clearable', name: 'C', description: null, tags: null } }, q());
      expect(res.body.data.organization).toEqual({ identifier: 'clearable', name: 'C', description: '', tags: {} });
    });

    it('400 when the body\'s identifier is not the path\'s: identifiers never change', async () => {
      await create('fixed_id');
      const res = await h().admin.client.put(`${BASE}/fixed_id`, body('other_id'), q());
      expectError(res, 400, 'INVALID_REQUEST', 'Invalid request: Value mismatch, previous: fixed_id current: other_id');
    });

    it('400 for wrong-typed bodies and a body naming another account', async () => {
      expectFailure(await h().admin.client.put(`${BASE}/default`, { organization: { identifier: 'default', name: ['x'] } }, q()), 'organization.name');
      expectError(await h().admin.client.put(`${BASE}/default`, body('default', { accountIdentifier: 'zzz' }), q()), 400, 'INVALID_REQUEST',
        `Invalid request: Value mismatch, previous: ${h().accountId} current: zzz`);
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.put(`${BASE}/default`, body('default'), q()));
    });

    it('403 for a user without core_organization_edit', async () => {
      expectDenied(await outsider.put(`${BASE}/default`, body('default'), q()), 'core_organization_edit', 'default');
    });

    it('404 for a missing one', async () => {
      expectError(await h().admin.client.put(`${BASE}/ghost_org`, body('ghost_org'), q()), 404, 'ENTITY_NOT_FOUND');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.put(`${BASE}/default`, body('default'), q()), await outsider.put(`${BASE}/ghost_org`, body('ghost_org'), q()),
        'default', 'ghost_org');
    });

    it('403 before the identifier-mismatch 400: the same 403 for an existing and a missing organization', async () => {
      const existing = await outsider.put(`${BASE}/default`, body('zz'), q());
      expectDenied(existing, 'core_organization_edit', 'default');
      expectSameDenial(existing, await outsider.put(`${BASE}/ghost_org`, body('zz'), q()), 'default', 'ghost_org');
    });
  });

  describe('DELETE /organizations/{identifier}', () => {
    it('200: deletes it with its projects and everything scoped in them, in one go, and drops cached tokens', async () => {
      await create('doomed');
      const project = await h().admin.client.post('/ng/api/projects', { project: { identifier: 'inner', name: 'Inner' } },
        { query: { accountIdentifier: h().accountId, orgIdentifier: 'doomed' } });
      expect(project.status, project.text).toBe(200);
      const orgScope = makeScope(h().accountId, 'doomed');
      const projectScope = makeScope(h().accountId, 'doomed', 'inner');
      const keptScope = makeScope(h().accountId, 'default', 'default_project');
      await seedScopeContents(h().store.db, orgScope);
      await seedScopeContents(h().store.db, projectScope);
      await seedScopeContents(h().store.db, keptScope);
      events.length = 0;

      const res = await h().admin.client.delete(`${BASE}/doomed`, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toBe(true);

      expect(await countScopeContents(h().store.db, orgScope)).toEqual(allZero());
      expect(await countScopeContents(h().store.db, projectScope)).toEqual(allZero());
      expect(await countScopeContents(h().store.db, keptScope)).toMatchObject(allOne());
      expect(await h().store.db.selectFrom('projects').select('identifier').where('org_identifier', '=', 'doomed').execute()).toEqual([]);
      expectError(await h().admin.client.get(`${BASE}/doomed`, q()), 404, 'ENTITY_NOT_FOUND');
      expect(events).toContainEqual({ kind: 'account', accountIdentifier: h().accountId });

      const audit = await h().store.db.selectFrom('audit_events').selectAll()
        .where('resource_type', '=', 'ORGANIZATION').where('resource_identifier', '=', 'doomed').where('action', '=', 'DELETE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.before!)).toMatchObject({ identifier: 'doomed' });
      // the org's own rows plus the project's (and the project creator's grant)
      expect(JSON.parse(audit.after!).deletedContents).toMatchObject({ projects: 1, serviceAccounts: 2, apiKeys: 2, tokens: 2 });
    });

    it('400 INVALID_REQUEST for the default organization', async () => {
      expectError(await h().admin.client.delete(`${BASE}/default`, q()), 400, 'INVALID_REQUEST', 'The default organization cannot be deleted');
      expect((await h().admin.client.get(`${BASE}/default`, q())).status).toBe(200);
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.delete(`${BASE}/readable`, q()));
    });

    it('403 for a user without core_organization_delete, who deletes nothing', async () => {
      await create('survivor');
      expectDenied(await outsider.delete(`${BASE}/survivor`, q()), 'core_organization_delete', 'survivor');
      expect((await h().admin.client.get(`${BASE}/survivor`, q())).status).toBe(200);
    });

    it('404 for a missing one', async () => {
      expectError(await h().admin.client.delete(`${BASE}/never_was`, q()), 404, 'ENTITY_NOT_FOUND');
    });

    it('does not leak existence', async () => {
      expectSameDenial(await outsider.delete(`${BASE}/survivor`, q()), await outsider.delete(`${BASE}/never_was`, q()), 'survivor', 'never_was');
    });
  });
});
