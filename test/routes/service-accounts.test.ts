// Service accounts (SPEC §3): every route, every status it can answer, on both engines.
import { describe, expect } from 'vitest';
import { makeScope } from '../../src/domain/scope.js';
import type { InvalidationEvent } from '../../src/services.js';
import { createOtherAccount, ensureOrg, ensureProject, grant, unique, userWith } from '../helpers/access-control.js';
import { expectOtherAccountDenied } from '../helpers/expect.js';
import { describeEachEngine, it, type Client, type Harness } from '../helpers/harness.js';

const SA_FIELDS = ['accountIdentifier', 'description', 'email', 'identifier', 'name', 'orgIdentifier', 'projectIdentifier', 'tags'];

function body(identifier: string, extra: Record<string, unknown> = {}) {
  return { identifier, name: `SA ${identifier}`, email: `${identifier.toLowerCase()}@Service.Example.com`, description: 'a robot', tags: { team: 'infra' }, ...extra };
}

async function createSa(h: Harness, query: Record<string, string>, identifier = unique('sa'), client: Client = h.admin.client) {
  const res = await client.post('/ng/api/serviceaccount', body(identifier), { query });
  expect(res.status, res.text).toBe(200);
  return identifier;
}

/** An error body without what differs between two requests anyway. */
const comparable = (b: any) => ({ ...b, correlationId: undefined });

describeEachEngine('service accounts', (h) => {
  const q = () => ({ accountIdentifier: h().accountId });

  it('the OpenAPI document lists the access-control endpoints (and not their /gateway copies)', async () => {
    const paths = Object.keys((await h().anonymous.get('/openapi.json')).body.paths);
    for (const p of ['/ng/api/serviceaccount', '/ng/api/serviceaccount/aggregate/{identifier}', '/ng/api/user-groups',
      '/authz/api/roles/{identifier}', '/authz/api/roleassignments', '/resourcegroup/api/v2/resourcegroup']) expect(paths).toContain(p);
    expect(paths.some((p) => p.startsWith('/gateway/'))).toBe(false);
  });

  describe('POST /ng/api/serviceaccount', () => {
    it('200: creates at account, organization and project scope, email stored lower-case', async () => {
      await ensureProject(h(), 'sa_org', 'sa_proj');
      for (const scope of [{}, { orgIdentifier: 'sa_org' }, { orgIdentifier: 'sa_org', projectIdentifier: 'sa_proj' }]) {
        const id = unique('Robot');
        const res = await h().admin.client.post('/ng/api/serviceaccount', body(id), { query: { ...q(), ...scope } });
        expect(res.status, res.text).toBe(200);
        expect(Object.keys(res.body.data).sort()).toEqual(SA_FIELDS);
        expect(res.body.data).toEqual({
          identifier: id, name: `SA ${id}`, email: `${id.toLowerCase()}@service.example.com`, description: 'a robot', tags: { team: 'infra' },
          accountIdentifier: h().accountId, orgIdentifier: (scope as any).orgIdentifier ?? null, projectIdentifier: (scope as any).projectIdentifier ?? null,
        });
      }
    });

    it('200: also under /gateway, and audited', async () => {
      const id = unique('gw');
      const res = await h().admin.client.post('/gateway/ng/api/serviceaccount', body(id), { query: q() });
      expect(res.status).toBe(200);
      const audit = await h().store.db.selectFrom('audit_events').selectAll()
        .where('resource_type', '=', 'SERVICEACCOUNT').where('resource_identifier', '=', id).execute();
      expect(audit.map((a) => a.action)).toEqual(['CREATE']);
      expect(audit[0].principal_identifier).toBe(h().admin.id);
    });

    it('400: schema failures (missing or invalid email, bad or reserved identifier, wrong types)', async () => {
      const cases: [unknown, string][] = [
        [{ identifier: 'x1', name: 'X' }, 'email'],
        [body('x2', { email: 'not-an-email' }), 'email'],
        [body('1bad'), 'identifier'],
        [body('true'), 'identifier'],
        [body('x3', { name: 123 }), 'name'],
        [body('x4', { tags: { a: 1 } }), 'tags.a'],
      ];
      for (const [payload, field] of cases) {
        const res = await h().admin.client.post('/ng/api/serviceaccount', payload, { query: q() });
        expect(res.status, JSON.stringify(payload)).toBe(400);
        expect(res.body).toMatchObject({ status: 'FAILURE', code: 'INVALID_REQUEST' });
        expect(res.body.errors.map((e: any) => e.fieldId)).toContain(field);
      }
    });

    it('400: body scope different from the query scope → Value mismatch', async () => {
      await ensureOrg(h(), 'sa_org');
      const res = await h().admin.client.post('/ng/api/serviceaccount', body(unique('m'), { orgIdentifier: 'elsewhere' }),
        { query: { ...q(), orgIdentifier: 'sa_org' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_REQUEST', message: 'Invalid request: Value mismatch, previous: sa_org current: elsewhere' });
    });

    it('400 DUPLICATE_FIELD: the same identifier twice in a scope (fine in another scope)', async () => {
      const id = await createSa(h(), q());
      const again = await h().admin.client.post('/ng/api/serviceaccount', body(id), { query: q() });
      expect(again.status).toBe(400);
      expect(again.body).toMatchObject({ code: 'DUPLICATE_FIELD', message: `A service account with identifier ${id} is already present or was deleted in scope` });
      await ensureOrg(h(), 'sa_org');
      expect((await h().admin.client.post('/ng/api/serviceaccount', body(id), { query: { ...q(), orgIdentifier: 'sa_org' } })).status).toBe(200);
    });

    it('401: without credentials', async () => {
      const res = await h().anonymous.post('/ng/api/serviceaccount', body('anon'), { query: q() });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });

    it('403: a user without core_serviceaccount_edit, with the failed check', async () => {
      const user = await h().createUser();
      const res = await user.client.post('/ng/api/serviceaccount', body('nope'), { query: q() });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        code: 'NG_ACCESS_DENIED',
        message: `Principal of type USER with identifier ${user.id} : Missing permission core_serviceaccount_edit on serviceaccount`,
        failedPermissionChecks: [{
          resourceScope: { accountIdentifier: h().accountId, orgIdentifier: null, projectIdentifier: null },
          resourceType: 'SERVICEACCOUNT', resourceIdentifier: null, permission: 'core_serviceaccount_edit',
        }],
      });
    });

    it('403: an organization admin at account scope; 200 in its organization and its projects', async () => {
      const org = await ensureOrg(h(), 'sa_admin_org');
      await ensureProject(h(), 'sa_admin_org', 'p');
      const admin = await userWith(h(), [{ scope: org, role: '_organization_admin', resourceGroup: '_all_resources_including_child_scopes' }]);
      expect((await admin.client.post('/ng/api/serviceaccount', body(unique('a')), { query: q() })).status).toBe(403);
      expect((await admin.client.post('/ng/api/serviceaccount', body(unique('o')), { query: { ...q(), orgIdentifier: 'sa_admin_org' } })).status).toBe(200);
      expect((await admin.client.post('/ng/api/serviceaccount', body(unique('p')),
        { query: { ...q(), orgIdentifier: 'sa_admin_org', projectIdentifier: 'p' } })).status).toBe(200);
    });

    it('403: a cookie user of another account', async () => {
      const other = await createOtherAccount(h());
      const res = await other.client.post('/ng/api/serviceaccount', body('intruder'), { query: q() });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('NG_ACCESS_DENIED');
      expect(await h().store.db.selectFrom('service_accounts').select('identifier').where('identifier', '=', 'intruder').execute()).toEqual([]);
    });

    it('404: the organization or project of the scope does not exist (for an allowed caller)', async () => {
      const res = await h().admin.client.post('/ng/api/serviceaccount', body(unique('x')), { query: { ...q(), orgIdentifier: 'no_such_org' } });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ENTITY_NOT_FOUND');
    });
  });

  describe('PUT /ng/api/serviceaccount/{identifier}', () => {
    it('200: edits name, description and tags; audited with before and after', async () => {
      const id = await createSa(h(), q());
      const res = await h().admin.client.put(`/ng/api/serviceaccount/${id}`,
        body(id, { name: 'Renamed', description: 'new', tags: { a: 'b' } }), { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toMatchObject({ identifier: id, name: 'Renamed', description: 'new', tags: { a: 'b' }, email: `${id.toLowerCase()}@service.example.com` });
      const got = await h().admin.client.get(`/ng/api/serviceaccount/${id}`, { query: q() });
      expect(got.body.data.name).toBe('Renamed');
      const audit = await h().store.db.selectFrom('audit_events').selectAll()
        .where('resource_identifier', '=', id).where('action', '=', 'UPDATE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.before!).name).toBe(`SA ${id}`);
      expect(JSON.parse(audit.after!).name).toBe('Renamed');
    });

    it('200: a rename shows at once to the service account\'s own token (currentUser)', async () => {
      const id = await createSa(h(), q());
      const owner = { apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: id, accountIdentifier: h().accountId };
      const key = await h().admin.client.post('/ng/api/apikey', { identifier: 'k', name: 'k', rateLimitQps: 1000, ...owner }, { query: q() });
      expect(key.status, key.text).toBe(200);
      const created = await h().admin.client.post('/ng/api/token', { identifier: 't', name: 't', apiKeyIdentifier: 'k', ...owner }, { query: q() });
      expect(created.status, created.text).toBe(200);
      const me = async () => (await h().tokenClient(created.body.data).get('/ng/api/user/currentUser')).body.data;
      expect(await me()).toMatchObject({ uuid: id, name: `SA ${id}` }); // now cached
      expect((await h().admin.client.put(`/ng/api/serviceaccount/${id}`, body(id, { name: 'Renamed Robot' }), { query: q() })).status).toBe(200);
      expect(await me()).toMatchObject({ uuid: id, name: 'Renamed Robot' });
    });

    it('400: the identifier or the email cannot change', async () => {
      const id = await createSa(h(), q());
      const other = await h().admin.client.put(`/ng/api/serviceaccount/${id}`, body('different'), { query: q() });
      expect(other.status).toBe(400);
      expect(other.body.message).toBe(`Invalid request: Value mismatch, previous: ${id} current: different`);
      const email = await h().admin.client.put(`/ng/api/serviceaccount/${id}`, body(id, { email: 'changed@example.com' }), { query: q() });
      expect(email.status).toBe(400);
      expect(email.body.message).toBe(`Invalid request: Value mismatch, previous: ${id.toLowerCase()}@service.example.com current: changed@example.com`);
    });

    it('401, 403 (same for existing and missing), 404', async () => {
      const id = await createSa(h(), q());
      expect((await h().anonymous.put(`/ng/api/serviceaccount/${id}`, body(id), { query: q() })).status).toBe(401);
      const user = await h().createUser();
      const existing = await user.client.put(`/ng/api/serviceaccount/${id}`, body(id), { query: q() });
      const missing = await user.client.put('/ng/api/serviceaccount/ghost', body('ghost'), { query: q() });
      expect(existing.status).toBe(403);
      expect(missing.status).toBe(403);
      expect(existing.body.failedPermissionChecks[0]).toMatchObject({ permission: 'core_serviceaccount_edit', resourceIdentifier: id });
      const notFound = await h().admin.client.put('/ng/api/serviceaccount/ghost', body('ghost'), { query: q() });
      expect(notFound.status).toBe(404);
      expect(notFound.body).toMatchObject({ code: 'ENTITY_NOT_FOUND', message: 'Service account with identifier ghost not found' });
    });
  });

  describe('DELETE /ng/api/serviceaccount/{identifier}', () => {
    it('200: deletes the account with its API keys, tokens, memberships and role assignments, and invalidates', async () => {
      const id = await createSa(h(), q());
      const scope = makeScope(h().accountId);
      const now = Date.now();
      const db = h().store.db;
      await db.insertInto('api_keys').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', id: `k_${id}`, identifier: 'key1', api_key_type: 'SERVICE_ACCOUNT',
        parent_identifier: id, name: 'key1', description: '', tags: '{}', default_time_to_expire_token: 1000, rate_limit_qps: null, created_at: now, last_modified_at: now,
      }).execute();
      await db.insertInto('tokens').values({
        account_id: h().accountId, org_identifier: '', project_identifier: '', id: `t_${id}`, api_key_id: `k_${id}`, api_key_identifier: 'key1',
        api_key_type: 'SERVICE_ACCOUNT', parent_identifier: id, identifier: 'tok', name: 'tok', description: '', tags: '{}', secret_hash: 'h',
        valid_from: now, valid_to: now + 1000, scheduled_expire_time: null, created_at: now, last_modified_at: now, last_used_at: null,
      }).execute();
      await db.insertInto('user_groups').values({ account_id: h().accountId, org_identifier: '', project_identifier: '', identifier: `g_${id}`, name: 'g', description: '', tags: '{}', created_at: now, last_modified_at: now }).execute();
      await db.insertInto('user_group_members').values({ account_id: h().accountId, org_identifier: '', project_identifier: '', group_identifier: `g_${id}`, member_type: 'SERVICE_ACCOUNT', member_identifier: id }).execute();
      await grant(h(), scope, { type: 'SERVICE_ACCOUNT', identifier: id }, '_account_viewer', '_all_account_level_resources');

      const events: InvalidationEvent[] = [];
      h().services.invalidation.subscribe((e) => events.push(e));
      const res = await h().admin.client.delete(`/ng/api/serviceaccount/${id}`, { query: q() });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toBe(true);
      for (const [table, column] of [['api_keys', 'parent_identifier'], ['tokens', 'parent_identifier'], ['user_group_members', 'member_identifier'], ['role_assignments', 'principal_identifier'], ['service_accounts', 'identifier']] as const) {
        const rows = await db.selectFrom(table).select(column as any).where(column as any, '=', id).execute();
        expect(rows, table).toEqual([]);
      }
      expect(events).toContainEqual({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'SERVICE_ACCOUNT', principalIdentifier: id });
      const audit = await db.selectFrom('audit_events').selectAll().where('resource_identifier', '=', id).where('action', '=', 'DELETE').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.before!)).toMatchObject({ identifier: id, apiKeys: 1, groupMemberships: 1, roleAssignments: 1 });
    });

    it('leaves a service account of the same identifier in another scope alone', async () => {
      await ensureOrg(h(), 'sa_org');
      const id = await createSa(h(), q());
      await createSa(h(), { ...q(), orgIdentifier: 'sa_org' }, id);
      expect((await h().admin.client.delete(`/ng/api/serviceaccount/${id}`, { query: q() })).status).toBe(200);
      expect((await h().admin.client.get(`/ng/api/serviceaccount/${id}`, { query: { ...q(), orgIdentifier: 'sa_org' } })).status).toBe(200);
    });

    it('401, 403 (same for existing and missing), 404', async () => {
      const id = await createSa(h(), q());
      expect((await h().anonymous.delete(`/ng/api/serviceaccount/${id}`, { query: q() })).status).toBe(401);
      // a viewer may see but not delete
      const viewer = await userWith(h(), [{ scope: makeScope(h().accountId), role: '_account_viewer', resourceGroup: '_all_account_level_resources' }]);
      const existing = await viewer.client.delete(`/ng/api/serviceaccount/${id}`, { query: q() });
      expect(existing.status).toBe(403);
      expect(existing.body.failedPermissionChecks[0].permission).toBe('core_serviceaccount_delete');
      const user = await h().createUser();
      const a = await user.client.delete(`/ng/api/serviceaccount/${id}`, { query: q() });
      const b = await user.client.delete('/ng/api/serviceaccount/ghost', { query: q() });
      expect([a.status, b.status]).toEqual([403, 403]);
      expect((await h().admin.client.delete('/ng/api/serviceaccount/ghost', { query: q() })).status).toBe(404);
      expect((await h().admin.client.get(`/ng/api/serviceaccount/${id}`, { query: q() })).status).toBe(200);
    });
  });

  describe('GET /ng/api/serviceaccount and /serviceaccount/{identifier}', () => {
    it('200: lists the scope, filtered by repeated identifiers', async () => {
      await ensureProject(h(), 'list_org', 'list_proj');
      const scopeQ = { ...q(), orgIdentifier: 'list_org', projectIdentifier: 'list_proj' };
      const a = await createSa(h(), scopeQ);
      const b = await createSa(h(), scopeQ);
      const all = await h().admin.client.get('/ng/api/serviceaccount', { query: scopeQ });
      expect(all.status).toBe(200);
      expect(all.body.data.map((s: any) => s.identifier).sort()).toEqual([a, b].sort());
      const some = await h().admin.client.get('/ng/api/serviceaccount', { query: { ...scopeQ, identifiers: [a, 'ghost'] } });
      expect(some.body.data.map((s: any) => s.identifier)).toEqual([a]);
      expect(Object.keys(some.body.data[0]).sort()).toEqual(SA_FIELDS);
    });

    it('200: lists only what the caller may view (a custom resource group naming one), never 403', async () => {
      await ensureOrg(h(), 'filter_org');
      const scopeQ = { ...q(), orgIdentifier: 'filter_org' };
      const scope = makeScope(h().accountId, 'filter_org');
      const seen = await createSa(h(), scopeQ);
      await createSa(h(), scopeQ);
      const now = Date.now();
      await h().store.db.insertInto('roles').values({ account_id: h().accountId, org_identifier: 'filter_org', project_identifier: '', identifier: 'sa_viewer', name: 'SA viewer', description: '', tags: '{}', permissions: '["core_serviceaccount_view"]', allowed_scope_levels: '["organization"]', created_at: now, last_modified_at: now }).execute();
      await h().store.db.insertInto('resource_groups').values({
        account_id: h().accountId, org_identifier: 'filter_org', project_identifier: '', identifier: 'one_sa', name: 'one', description: '', tags: '{}', color: '',
        included_scopes: JSON.stringify([{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: h().accountId, orgIdentifier: 'filter_org', projectIdentifier: null }]),
        resource_filter: JSON.stringify({ includeAllResources: false, resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: [seen] }] }),
        created_at: now, last_modified_at: now,
      }).execute();
      const limited = await userWith(h(), [{ scope, role: 'sa_viewer', resourceGroup: 'one_sa' }]);
      const list = await limited.client.get('/ng/api/serviceaccount', { query: scopeQ });
      expect(list.status).toBe(200);
      expect(list.body.data.map((s: any) => s.identifier)).toEqual([seen]);
      const page = await limited.client.get('/ng/api/serviceaccount/aggregate', { query: scopeQ });
      expect(page.body.data.content.map((s: any) => s.serviceAccount.identifier)).toEqual([seen]);
      expect(page.body.data.totalItems).toBe(1);
      const nobody = await h().createUser();
      const empty = await nobody.client.get('/ng/api/serviceaccount', { query: scopeQ });
      expect(empty.status).toBe(200);
      expect(empty.body.data).toEqual([]);
    });

    it('another account\'s admin: 403 for one and for lists alike; its data never shows', async () => {
      await createSa(h(), q());
      const other = await createOtherAccount(h());
      for (const path of ['/ng/api/serviceaccount', '/ng/api/serviceaccount/aggregate']) {
        const res = await other.client.get(path, { query: q() });
        expectOtherAccountDenied(res, h().accountId);
        expect(res.text).not.toContain('service.example.com');
      }
      const one = await other.client.get('/ng/api/serviceaccount/aggregate/' + (await createSa(h(), q())), { query: q() });
      expect(one.status).toBe(403);
      expect(one.body.code).toBe('NG_ACCESS_DENIED');
    });

    it('get: 200, 401, 403 same for existing and missing, 404', async () => {
      const id = await createSa(h(), q());
      expect((await h().admin.client.get(`/ng/api/serviceaccount/${id}`, { query: q() })).body.data.identifier).toBe(id);
      expect((await h().anonymous.get(`/ng/api/serviceaccount/${id}`, { query: q() })).status).toBe(401);
      const user = await h().createUser();
      const a = await user.client.get(`/ng/api/serviceaccount/${id}`, { query: q() });
      const b = await user.client.get('/ng/api/serviceaccount/ghost_sa', { query: q() });
      expect(a.status).toBe(403);
      expect(b.status).toBe(403);
      expect(comparable(a.body).code).toBe(comparable(b.body).code);
      expect(a.body.message.replace(id, 'X')).toBe(b.body.message.replace('ghost_sa', 'X'));
      expect((await h().admin.client.get('/ng/api/serviceaccount/ghost_sa', { query: q() })).status).toBe(404);
    });
  });

  describe('GET /ng/api/serviceaccount/aggregate[/{identifier}]', () => {
    it('200: pages, searches (literally) and sorts; tokensCount counts API keys; role assignments at its scope', async () => {
      await ensureOrg(h(), 'agg_org');
      const scopeQ = { ...q(), orgIdentifier: 'agg_org' };
      const scope = makeScope(h().accountId, 'agg_org');
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(await createSa(h(), scopeQ, `agg_${i}_${unique('s')}`));
      const now = Date.now();
      for (const k of ['k1', 'k2']) {
        await h().store.db.insertInto('api_keys').values({
          account_id: h().accountId, org_identifier: 'agg_org', project_identifier: '', id: `${k}_${ids[0]}`, identifier: k, api_key_type: 'SERVICE_ACCOUNT',
          parent_identifier: ids[0], name: k, description: '', tags: '{}', default_time_to_expire_token: 1000, rate_limit_qps: null, created_at: now, last_modified_at: now,
        }).execute();
      }
      const ra = await grant(h(), scope, { type: 'SERVICE_ACCOUNT', identifier: ids[0] }, '_organization_viewer', '_all_organization_level_resources');

      const page = await h().admin.client.get('/ng/api/serviceaccount/aggregate', { query: { ...scopeQ, pageSize: 2, sortOrders: 'identifier,ASC' } });
      expect(page.status, page.text).toBe(200);
      expect(page.body.data).toMatchObject({ totalItems: 3, totalPages: 2, pageItemCount: 2, pageSize: 2, pageIndex: 0, empty: false });
      expect(page.body.data.content.map((c: any) => c.serviceAccount.identifier)).toEqual(ids.slice(0, 2));
      const first = page.body.data.content[0];
      expect(Object.keys(first).sort()).toEqual(['createdAt', 'lastModifiedAt', 'roleAssignmentsMetadataDTO', 'serviceAccount', 'tokensCount']);
      expect(first.tokensCount).toBe(2);
      expect(first.roleAssignmentsMetadataDTO).toEqual([{
        identifier: ra, roleIdentifier: '_organization_viewer', roleName: 'Organization Viewer',
        resourceGroupIdentifier: '_all_organization_level_resources', resourceGroupName: 'All Organization Level Resources',
        managedRole: true, managedRoleAssignment: false,
      }]);
      expect(page.body.data.content[1].tokensCount).toBe(0);

      const search = await h().admin.client.get('/ng/api/serviceaccount/aggregate', { query: { ...scopeQ, searchTerm: 'AGG_1' } });
      expect(search.body.data.content.map((c: any) => c.serviceAccount.identifier)).toEqual([ids[1]]);
      const regex = await h().admin.client.get('/ng/api/serviceaccount/aggregate', { query: { ...scopeQ, searchTerm: 'agg_.*' } });
      expect(regex.body.data.totalItems).toBe(0);

      const one = await h().admin.client.get(`/ng/api/serviceaccount/aggregate/${ids[0]}`, { query: scopeQ });
      expect(one.status).toBe(200);
      expect(one.body.data.tokensCount).toBe(2);
      expect(one.body.data.roleAssignmentsMetadataDTO).toHaveLength(1);
    });

    it('400: pageSize over 100', async () => {
      const res = await h().admin.client.get('/ng/api/serviceaccount/aggregate', { query: { ...q(), pageSize: 101 } });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('pageSize must be at most 100');
    });

    it('aggregate/{identifier}: 401, 403 same for existing and missing, 404', async () => {
      const id = await createSa(h(), q());
      expect((await h().anonymous.get(`/ng/api/serviceaccount/aggregate/${id}`, { query: q() })).status).toBe(401);
      const user = await h().createUser();
      expect((await user.client.get(`/ng/api/serviceaccount/aggregate/${id}`, { query: q() })).status).toBe(403);
      expect((await user.client.get('/ng/api/serviceaccount/aggregate/ghost', { query: q() })).status).toBe(403);
      const notFound = await h().admin.client.get('/ng/api/serviceaccount/aggregate/ghost', { query: q() });
      expect(notFound.status).toBe(404);
      expect(notFound.body.code).toBe('ENTITY_NOT_FOUND');
    });
  });
});
