// Two keysmith instances on two ports, sharing PostgreSQL and Redis, behave as one (issue 6):
// what is revoked, deleted, rotated or taken away through A is refused by B within 2 s, and what is
// given back (a role assigned, a budget raised, a user enabled again — by `keysmith admin
// reset-password` too) is granted there as soon (the time each took is printed); and two instances
// share one rate-limit budget per API key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAnnouncer, resetPasswordCommand } from '../../src/cli/commands.js';
import { loadConfig } from '../../src/config.js';
import { REDIS_URL } from '../helpers/harness.js';
import { describeWithPostgresAndRedis, msUntil, startCluster, type Cluster, type HttpClient, type Instance } from './instances.js';

const PROPAGATION_LIMIT_MS = 2_000;
const timings: string[] = [];

describeWithPostgresAndRedis('two instances as one', () => {
  let cluster: Cluster;
  let a: Instance;
  let b: Instance;
  let account: string;

  beforeAll(async () => {
    cluster = await startCluster(2);
    [a, b] = cluster.instances;
    account = cluster.accountId;
    // Room for the admin's API keys of every case below (5 per owner by default).
    const settings = await a.admin.request('PUT', '/ng/api/account-settings', { maxApiKeysPerOwner: 50 }, { accountIdentifier: account });
    expect(settings.status, settings.text).toBe(200);
  });
  afterAll(async () => {
    if (timings.length > 0) console.log(`\npropagation A → B:\n  ${timings.join('\n  ')}\n`);
    await cluster?.close();
  });

  const scope = () => ({ accountIdentifier: account });

  async function createKey(client: HttpClient, key: Record<string, unknown>) {
    const res = await client.post('/ng/api/apikey', { accountIdentifier: account, name: key.identifier, ...key }, scope());
    expect(res.status, res.text).toBe(200);
  }

  async function createToken(client: HttpClient, token: Record<string, unknown>): Promise<string> {
    const res = await client.post('/ng/api/token', { accountIdentifier: account, name: token.identifier, ...token }, scope());
    expect(res.status, res.text).toBe(200);
    expect(typeof res.body.data).toBe('string');
    return res.body.data as string;
  }

  /** A PAT of the admin under a fresh key whose budget is high enough for polling. */
  async function adminToken(keyId: string, tokenId: string): Promise<string> {
    await createKey(a.admin, { identifier: keyId, apiKeyType: 'USER', parentIdentifier: cluster.adminId, rateLimitQps: 1000 });
    return createToken(a.admin, { identifier: tokenId, apiKeyIdentifier: keyId, parentIdentifier: cluster.adminId, apiKeyType: 'USER' });
  }

  /** Waits until B answers `status` to the request (polling), fails past 2 s, and records the time. */
  async function expectOnB(what: string, request: () => Promise<{ status: number }>, status: number) {
    let last = 0;
    const ms = await msUntil(async () => { last = (await request()).status; return last === status; }, PROPAGATION_LIMIT_MS);
    timings.push(`${what}: ${ms === null ? `NOT within ${PROPAGATION_LIMIT_MS} ms (last answer ${last})` : `${ms.toFixed(1)} ms`}`);
    expect(ms, `${what}: B still answered ${last} after ${PROPAGATION_LIMIT_MS} ms`).not.toBeNull();
  }

  it('refuses on B a token deleted through A', async () => {
    const token = await adminToken('prop_token_key', 'prop_token');
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200); // B has it cached now
    const del = await a.admin.delete('/ng/api/token/prop_token', {
      ...scope(), apiKeyType: 'USER', parentIdentifier: cluster.adminId, apiKeyIdentifier: 'prop_token_key',
    });
    expect(del.status, del.text).toBe(200);
    await expectOnB('token deleted', () => onB.get('/ng/api/user/currentUser'), 401);
    expect((await onB.get('/ng/api/user/currentUser')).body.code).toBe('INVALID_TOKEN');
  });

  it('refuses on B the tokens of an API key deleted through A', async () => {
    const token = await adminToken('prop_key', 'prop_key_token');
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
    const del = await a.admin.delete('/ng/api/apikey/prop_key', { ...scope(), apiKeyType: 'USER', parentIdentifier: cluster.adminId });
    expect(del.status, del.text).toBe(200);
    await expectOnB('API key deleted', () => onB.get('/ng/api/user/currentUser'), 401);
  });

  it('refuses on B the old value of a token rotated through A, and accepts the new one', async () => {
    const old = await adminToken('prop_rotate_key', 'prop_rotate');
    const oldOnB = b.tokenClient(old);
    expect((await oldOnB.get('/ng/api/user/currentUser')).status).toBe(200);
    const rotated = await a.admin.post('/ng/api/token/rotate/prop_rotate', {}, {
      ...scope(), apiKeyType: 'USER', parentIdentifier: cluster.adminId, apiKeyIdentifier: 'prop_rotate_key',
    });
    expect(rotated.status, rotated.text).toBe(200);
    await expectOnB('token rotated (no grace period)', () => oldOnB.get('/ng/api/user/currentUser'), 401);
    expect((await b.tokenClient(rotated.body.data).get('/ng/api/user/currentUser')).status).toBe(200);
  });

  /** Assigns a role through A; resolves to the assignment's identifier. */
  async function assign(principal: { identifier: string; type: string }, roleIdentifier: string, resourceGroupIdentifier: string): Promise<string> {
    const res = await a.admin.post('/authz/api/roleassignments', { resourceGroupIdentifier, roleIdentifier, principal, disabled: false }, scope());
    expect(res.status, res.text).toBe(200);
    return res.body.data.roleAssignment.identifier as string;
  }

  const tokenQuery = (keyId: string) => ({ ...scope(), apiKeyType: 'USER', parentIdentifier: cluster.adminId, apiKeyIdentifier: keyId });

  it('refuses on B a token revoked through A by its value (POST /token/revoke, no credentials)', async () => {
    const token = await adminToken('prop_revoke_key', 'prop_revoke');
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
    const revoked = await a.anonymous.post('/ng/api/token/revoke', token);
    expect(revoked.status, revoked.text).toBe(200);
    await expectOnB('token revoked by value', () => onB.get('/ng/api/user/currentUser'), 401);
  });

  it('refuses on B, once its grace period ends, the old value of a token rotated through A with one', async () => {
    const old = await adminToken('prop_grace_key', 'prop_grace');
    const oldOnB = b.tokenClient(old);
    expect((await oldOnB.get('/ng/api/user/currentUser')).status).toBe(200); // cached with its old end: validTo, 30 days away
    const graceMs = 300;
    const rotated = await a.admin.post('/ng/api/token/rotate/prop_grace', {}, { ...tokenQuery('prop_grace_key'), rotateTimestamp: Date.now() + graceMs });
    expect(rotated.status, rotated.text).toBe(200);
    await expectOnB(`token rotated (grace period ${graceMs} ms)`, () => oldOnB.get('/ng/api/user/currentUser'), 401);
    expect((await oldOnB.get('/ng/api/user/currentUser')).body.code).toBe('EXPIRED_TOKEN');
  });

  it('refuses on B a token whose validity window is moved later through A', async () => {
    const token = await adminToken('prop_window_key', 'prop_window');
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
    const updated = await a.admin.request('PUT', '/ng/api/token/prop_window', {
      identifier: 'prop_window', name: 'prop_window', accountIdentifier: account, apiKeyIdentifier: 'prop_window_key',
      parentIdentifier: cluster.adminId, apiKeyType: 'USER', validFrom: Date.now() + 3_600_000,
    }, scope());
    expect(updated.status, updated.text).toBe(200);
    await expectOnB('token window moved later', () => onB.get('/ng/api/user/currentUser'), 401);
  });

  it('refuses on B the tokens of an owner all deleted through A (DELETE /token/all)', async () => {
    const sa = 'cluster_all_tokens';
    const created = await a.admin.post('/ng/api/serviceaccount', { identifier: sa, name: sa, email: `${sa}@example.com`, accountIdentifier: account }, scope());
    expect(created.status, created.text).toBe(200);
    await createKey(a.admin, { identifier: `${sa}_key`, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa, rateLimitQps: 1000 });
    const token = await createToken(a.admin, { identifier: `${sa}_token`, apiKeyIdentifier: `${sa}_key`, parentIdentifier: sa, apiKeyType: 'SERVICE_ACCOUNT' });
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
    const deleted = await a.admin.delete('/ng/api/token/all', { ...scope(), apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa });
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body.data).toBe(1);
    await expectOnB('all tokens of an owner deleted', () => onB.get('/ng/api/user/currentUser'), 401);
  });

  it('gives on B the budget of a key raised through A', async () => {
    await createKey(a.admin, { identifier: 'prop_budget_key', apiKeyType: 'USER', parentIdentifier: cluster.adminId, rateLimitQps: 0.1 });
    const token = await createToken(a.admin, {
      identifier: 'prop_budget', apiKeyIdentifier: 'prop_budget_key', parentIdentifier: cluster.adminId, apiKeyType: 'USER',
    });
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(429); // one request per 10 s: B has the budget cached now
    const raised = await a.admin.request('PUT', '/ng/api/apikey/prop_budget_key', {
      identifier: 'prop_budget_key', name: 'prop_budget_key', accountIdentifier: account, apiKeyType: 'USER',
      parentIdentifier: cluster.adminId, rateLimitQps: 1000,
    }, scope());
    expect(raised.status, raised.text).toBe(200);
    await expectOnB('key budget raised', () => onB.get('/ng/api/user/currentUser'), 200);
  });

  it('refuses on B the tokens of service accounts of a project, then an organization, deleted through A', async () => {
    const org = await a.admin.post('/ng/api/organizations', { organization: { identifier: 'cluster_org', name: 'cluster org' } }, scope());
    expect(org.status, org.text).toBe(200);
    const project = await a.admin.post('/ng/api/projects', { project: { identifier: 'cluster_project', orgIdentifier: 'cluster_org', name: 'cluster project' } },
      { ...scope(), orgIdentifier: 'cluster_org' });
    expect(project.status, project.text).toBe(200);
    /** A service account of the scope with a token, which B has cached. */
    async function tokenIn(where: { orgIdentifier: string; projectIdentifier?: string }, sa: string) {
      const q = { ...scope(), ...where };
      const created = await a.admin.post('/ng/api/serviceaccount', { identifier: sa, name: sa, email: `${sa}@example.com`, ...q }, q);
      expect(created.status, created.text).toBe(200);
      const key = await a.admin.post('/ng/api/apikey', {
        identifier: `${sa}_key`, name: `${sa}_key`, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa, rateLimitQps: 1000, ...q,
      }, q);
      expect(key.status, key.text).toBe(200);
      const token = await a.admin.post('/ng/api/token', {
        identifier: `${sa}_token`, name: `${sa}_token`, apiKeyIdentifier: `${sa}_key`, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa, ...q,
      }, q);
      expect(token.status, token.text).toBe(200);
      const onB = b.tokenClient(token.body.data);
      expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
      return () => onB.get('/ng/api/user/currentUser');
    }
    const inProject = await tokenIn({ orgIdentifier: 'cluster_org', projectIdentifier: 'cluster_project' }, 'project_robot');
    const inOrg = await tokenIn({ orgIdentifier: 'cluster_org' }, 'org_robot');
    const delProject = await a.admin.delete('/ng/api/projects/cluster_project', { ...scope(), orgIdentifier: 'cluster_org' });
    expect(delProject.status, delProject.text).toBe(200);
    await expectOnB('project deleted', inProject, 401);
    expect((await inOrg()).status).toBe(200);
    const delOrg = await a.admin.delete('/ng/api/organizations/cluster_org', scope());
    expect(delOrg.status, delOrg.text).toBe(200);
    await expectOnB('organization deleted', inOrg, 401);
  });

  describe('a service account', () => {
    let token: string;
    let assignment: string;
    const sa = 'cluster_robot';
    const readOrg = () => b.tokenClient(token).get('/ng/api/organizations/default', scope());

    beforeAll(async () => {
      const created = await a.admin.post('/ng/api/serviceaccount',
        { identifier: sa, name: 'cluster robot', email: 'cluster.robot@example.com', accountIdentifier: account }, scope());
      expect(created.status, created.text).toBe(200);
      assignment = await assign({ identifier: sa, type: 'SERVICE_ACCOUNT' }, '_account_viewer', '_all_account_level_resources');
      await createKey(a.admin, { identifier: 'robot_key', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa, rateLimitQps: 1000 });
      token = await createToken(a.admin, { identifier: 'robot_token', apiKeyIdentifier: 'robot_key', parentIdentifier: sa, apiKeyType: 'SERVICE_ACCOUNT' });
    });

    it('is denied on B once its role assignment is removed through A', async () => {
      const before = await readOrg();
      expect(before.status, before.text).toBe(200); // B has its rights cached now
      const del = await a.admin.delete(`/authz/api/roleassignments/${assignment}`, scope());
      expect(del.status, del.text).toBe(200);
      await expectOnB('role assignment removed', readOrg, 403);
      expect((await readOrg()).body.code).toBe('NG_ACCESS_DENIED');
    });

    it('is allowed on B once a role is assigned to it again through A (a grant)', async () => {
      expect((await readOrg()).status).toBe(403); // B has the denial cached now
      assignment = await assign({ identifier: sa, type: 'SERVICE_ACCOUNT' }, '_account_viewer', '_all_account_level_resources');
      await expectOnB('role assigned', readOrg, 200);
    });

    it('is denied on B once its role assignment is disabled through A', async () => {
      expect((await readOrg()).status).toBe(200);
      const res = await a.admin.request('PUT', `/authz/api/roleassignments/${assignment}`, {
        identifier: assignment, resourceGroupIdentifier: '_all_account_level_resources', roleIdentifier: '_account_viewer',
        principal: { identifier: sa, type: 'SERVICE_ACCOUNT' }, disabled: true,
      }, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('role assignment disabled', readOrg, 403);
    });

    it('is shown on B under the name given through A', async () => {
      const onB = b.tokenClient(token);
      expect((await onB.get('/ng/api/user/currentUser')).body.data.name).toBe('cluster robot');
      const res = await a.admin.request('PUT', `/ng/api/serviceaccount/${sa}`,
        { identifier: sa, name: 'renamed robot', email: 'cluster.robot@example.com', accountIdentifier: account }, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('service account renamed', async () => {
        const me = await onB.get('/ng/api/user/currentUser');
        return { status: me.body?.data?.name === 'renamed robot' ? 200 : 0 };
      }, 200);
    });

    it('is refused on B once it is deleted through A', async () => {
      const onB = b.tokenClient(token);
      expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
      const del = await a.admin.delete(`/ng/api/serviceaccount/${sa}`, scope());
      expect(del.status, del.text).toBe(200);
      await expectOnB('service account deleted', () => onB.get('/ng/api/user/currentUser'), 401);
    });
  });

  /** A new user (signed in on A) with a PAT under the default budget: raising a key's own needs core_account_edit, which they lack. */
  async function userWithToken(tag: string) {
    const email = `cluster-${tag}-${Date.now()}@example.com`;
    const created = await a.admin.post('/ng/api/user', { email, name: 'Cluster User', password: 'cluster-password-1' }, scope());
    expect(created.status, created.text).toBe(200);
    const uuid = created.body.data.uuid as string;
    const login = await a.anonymous.post('/api/auth/login', { email, password: 'cluster-password-1' });
    expect(login.status, login.text).toBe(200);
    const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('keysmith_session=')) ?? '').split(';')[0];
    const user = a.anonymous.with({ cookie, 'x-csrf-token': login.body.data.csrfToken });
    await createKey(user, { identifier: `${tag}_key`, apiKeyType: 'USER', parentIdentifier: uuid });
    const token = await createToken(user, { identifier: `${tag}_token`, apiKeyIdentifier: `${tag}_key`, parentIdentifier: uuid, apiKeyType: 'USER' });
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200); // B has it cached now
    return { uuid, email, currentUserOnB: () => onB.get('/ng/api/user/currentUser') };
  }

  it('refuses on B the tokens of a user disabled through A', async () => {
    const { uuid, currentUserOnB } = await userWithToken('disabled_user');
    const disabled = await a.admin.request('PUT', `/ng/api/user/${uuid}`, { disabled: true }, scope());
    expect(disabled.status, disabled.text).toBe(200);
    await expectOnB('user disabled', currentUserOnB, 401);
  });

  it('refuses on B the tokens of a user deleted through A', async () => {
    const { uuid, currentUserOnB } = await userWithToken('deleted_user');
    const deleted = await a.admin.delete(`/ng/api/user/${uuid}`, scope());
    expect(deleted.status, deleted.text).toBe(200);
    await expectOnB('user deleted', currentUserOnB, 401);
  });

  it('accepts on B again the tokens of a user enabled again by `keysmith admin reset-password`', async () => {
    const { uuid, email, currentUserOnB } = await userWithToken('reset_user');
    const disabled = await a.admin.request('PUT', `/ng/api/user/${uuid}`, { disabled: true }, scope());
    expect(disabled.status, disabled.text).toBe(200);
    await expectOnB('user disabled (before the reset)', currentUserOnB, 401); // B has the refusal cached now
    // What `keysmith admin reset-password` does beside the running instances, with their REDIS_URL.
    const announce = redisAnnouncer(loadConfig({ REDIS_URL: REDIS_URL!, KEYSMITH_REDIS_PREFIX: cluster.prefix }));
    const reset = await resetPasswordCommand(a.store, { email, password: 'cluster-password-2' }, Date.now(), announce);
    expect(reset.announceWarning).toBeUndefined();
    await expectOnB('user enabled again by the CLI', currentUserOnB, 200);
  });

  it('warns when no server hears `keysmith admin reset-password` (another KEYSMITH_REDIS_PREFIX): the reset is done all the same', async () => {
    const { email } = await userWithToken('reset_unheard');
    const announce = redisAnnouncer(loadConfig({ REDIS_URL: REDIS_URL!, KEYSMITH_REDIS_PREFIX: `${cluster.prefix}_other` }));
    const reset = await resetPasswordCommand(a.store, { email, password: 'cluster-password-3' }, Date.now(), announce);
    expect(reset.announceWarning).toMatch(/no server listens on \S+_other:invalidation .*KEYSMITH_REDIS_PREFIX/);
    expect((await a.anonymous.post('/api/auth/login', { email, password: 'cluster-password-3' })).status).toBe(200);
  });

  describe('rights that come from a group, a role and a resource group', () => {
    /** A service account with a token (polling budget) that can read organizations only through `grant`. */
    async function serviceAccountWith(sa: string, grant: (sa: string) => Promise<void>) {
      const created = await a.admin.post('/ng/api/serviceaccount',
        { identifier: sa, name: sa, email: `${sa}@example.com`, accountIdentifier: account }, scope());
      expect(created.status, created.text).toBe(200);
      await grant(sa);
      await createKey(a.admin, { identifier: `${sa}_key`, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa, rateLimitQps: 1000 });
      const token = await createToken(a.admin, {
        identifier: `${sa}_token`, apiKeyIdentifier: `${sa}_key`, parentIdentifier: sa, apiKeyType: 'SERVICE_ACCOUNT',
      });
      const readOrg = () => b.tokenClient(token).get('/ng/api/organizations/default', scope());
      const before = await readOrg();
      expect(before.status, before.text).toBe(200); // B has its rights cached now
      return { readOrg, token };
    }

    /** Such a service account, reading organizations as a member of `group` (which holds _account_viewer). */
    async function memberOf(group: { identifier: string }, sa: string) {
      const { readOrg } = await serviceAccountWith(sa, async () => {
        const res = await a.admin.post('/ng/api/user-groups', { ...group, serviceAccounts: [sa] }, scope());
        expect(res.status, res.text).toBe(200);
        await assign({ identifier: group.identifier, type: 'USER_GROUP' }, '_account_viewer', '_all_account_level_resources');
      });
      return readOrg;
    }

    it('denies on B once the service account is taken out of its group through A', async () => {
      const group = { identifier: 'cluster_group', name: 'cluster group', accountIdentifier: account, users: [] as string[] };
      const readOrg = await memberOf(group, 'cluster_member');
      const res = await a.admin.request('PUT', `/ng/api/user-groups/${group.identifier}`, { ...group, serviceAccounts: [] }, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('group membership removed', readOrg, 403);
    });

    it('denies on B once its group is deleted through A', async () => {
      const group = { identifier: 'cluster_doomed_group', name: 'cluster doomed group', accountIdentifier: account, users: [] as string[] };
      const readOrg = await memberOf(group, 'cluster_doomed_member');
      const res = await a.admin.delete(`/ng/api/user-groups/${group.identifier}`, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('group deleted', readOrg, 403);
    });

    it('denies on B once its role loses the permission through A', async () => {
      const role = { identifier: 'cluster_reader', name: 'cluster reader', allowedScopeLevels: ['account'] };
      const { readOrg } = await serviceAccountWith('cluster_role_holder', async (sa) => {
        const res = await a.admin.post('/authz/api/roles', { ...role, permissions: ['core_organization_view'] }, scope());
        expect(res.status, res.text).toBe(200);
        await assign({ identifier: sa, type: 'SERVICE_ACCOUNT' }, role.identifier, '_all_account_level_resources');
      });
      const res = await a.admin.request('PUT', `/authz/api/roles/${role.identifier}`, { ...role, permissions: ['core_project_view'] }, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('role permission removed', readOrg, 403);
    });

    it("keeps B's verified token through a change of permissions only: B answers 403, not 401, for a token deleted meanwhile", async () => {
      const role = { identifier: 'cluster_kept_reader', name: 'cluster kept reader', allowedScopeLevels: ['account'] };
      const { readOrg, token } = await serviceAccountWith('cluster_kept_holder', async (sa) => {
        const res = await a.admin.post('/authz/api/roles', { ...role, permissions: ['core_organization_view'] }, scope());
        expect(res.status, res.text).toBe(200);
        await assign({ identifier: sa, type: 'SERVICE_ACCOUNT' }, role.identifier, '_all_account_level_resources');
      });
      // Deleted behind the instances' backs: only a verified token still in B's cache passes authentication.
      await a.store.db.deleteFrom('tokens').where('id', '=', token.split('.')[2]).execute();
      const res = await a.admin.request('PUT', `/authz/api/roles/${role.identifier}`, { ...role, permissions: ['core_project_view'] }, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('role permission removed, token kept', readOrg, 403);
    });

    it('denies on B once its resource group stops covering organizations through A', async () => {
      const resourceGroup = (resourceType: string) => ({
        resourceGroup: {
          identifier: 'cluster_rg', name: 'cluster rg', accountIdentifier: account,
          includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: account }],
          resourceFilter: { includeAllResources: false, resources: [{ resourceType }] },
        },
      });
      const { readOrg } = await serviceAccountWith('cluster_rg_holder', async (sa) => {
        const res = await a.admin.post('/resourcegroup/api/v2/resourcegroup', resourceGroup('ORGANIZATION'), scope());
        expect(res.status, res.text).toBe(200);
        await assign({ identifier: sa, type: 'SERVICE_ACCOUNT' }, '_account_viewer', 'cluster_rg');
      });
      const res = await a.admin.request('PUT', '/resourcegroup/api/v2/resourcegroup/cluster_rg', resourceGroup('PROJECT'), scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('resource group narrowed', readOrg, 403);
    });
  });

  it('shares one budget per API key: two instances × 20 requests/s against 1 request/s for 5 s accept at most 7', async () => {
    await createKey(a.admin, { identifier: 'budget_key', apiKeyType: 'USER', parentIdentifier: cluster.adminId, rateLimitQps: 1 });
    const token = await createToken(a.admin, {
      identifier: 'budget_token', apiKeyIdentifier: 'budget_key', parentIdentifier: cluster.adminId, apiKeyType: 'USER',
    });
    const clients = [a.tokenClient(token), b.tokenClient(token)];
    const statuses: number[] = [];
    const throttled: { text: string; type: string | null; retryAfter: string | null }[] = [];
    const start = performance.now();
    const requests: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) { // every 50 ms for 5 s, on each instance
      const due = start + i * 50;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      for (const client of clients) {
        requests.push(client.get('/ng/api/user/currentUser').then((res) => {
          statuses.push(res.status);
          if (res.status === 429) throttled.push({ text: res.text, type: res.headers.get('content-type'), retryAfter: res.headers.get('retry-after') });
        }));
      }
    }
    await Promise.all(requests);
    const accepted = statuses.filter((s) => s === 200).length;
    timings.push(`rate limit: ${accepted} of ${statuses.length} requests accepted over ${((performance.now() - start) / 1000).toFixed(1)} s`);
    expect(statuses).toHaveLength(200);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(accepted).toBeLessThanOrEqual(7);
    expect(accepted).toBeGreaterThanOrEqual(3); // the budget is shared, not gone
    expect(throttled[0]).toMatchObject({ text: 'Too Many requests. Throttled. Max QPS: 1.0' });
    expect(throttled[0].type).toMatch(/^text\/plain/);
    expect(Number(throttled[0].retryAfter)).toBeGreaterThanOrEqual(1);
  });
});
