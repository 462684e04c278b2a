// Two keysmith instances on two ports, sharing PostgreSQL and Redis, behave as one (issue 6):
// what is revoked, deleted, rotated or taken away through A is refused by B within 2 s (the time
// each took is printed), and two instances share one rate-limit budget per API key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  describe('a service account', () => {
    let token: string;
    let assignment: string;
    const sa = 'cluster_robot';
    const readOrg = () => b.tokenClient(token).get('/ng/api/organizations/default', scope());

    beforeAll(async () => {
      const created = await a.admin.post('/ng/api/serviceaccount',
        { identifier: sa, name: 'cluster robot', email: 'cluster.robot@example.com', accountIdentifier: account }, scope());
      expect(created.status, created.text).toBe(200);
      const ra = await a.admin.post('/authz/api/roleassignments', {
        resourceGroupIdentifier: '_all_account_level_resources', roleIdentifier: '_account_viewer',
        principal: { identifier: sa, type: 'SERVICE_ACCOUNT' }, disabled: false,
      }, scope());
      expect(ra.status, ra.text).toBe(200);
      assignment = ra.body.data.roleAssignment.identifier;
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

    it('is refused on B once it is deleted through A', async () => {
      const onB = b.tokenClient(token);
      expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
      const del = await a.admin.delete(`/ng/api/serviceaccount/${sa}`, scope());
      expect(del.status, del.text).toBe(200);
      await expectOnB('service account deleted', () => onB.get('/ng/api/user/currentUser'), 401);
    });
  });

  it('refuses on B the tokens of a user disabled through A', async () => {
    const email = `cluster-user-${Date.now()}@example.com`;
    const created = await a.admin.post('/ng/api/user', { email, name: 'Cluster User', password: 'cluster-password-1' }, scope());
    expect(created.status, created.text).toBe(200);
    const uuid = created.body.data.uuid as string;
    const login = await a.anonymous.post('/api/auth/login', { email, password: 'cluster-password-1' });
    expect(login.status, login.text).toBe(200);
    const cookie = (login.headers.getSetCookie().find((c) => c.startsWith('keysmith_session=')) ?? '').split(';')[0];
    const user = a.anonymous.with({ cookie, 'x-csrf-token': login.body.data.csrfToken });
    // The default budget (1 request/s): raising a key's own needs core_account_edit, which this user lacks.
    await createKey(user, { identifier: 'user_key', apiKeyType: 'USER', parentIdentifier: uuid });
    const token = await createToken(user, { identifier: 'user_token', apiKeyIdentifier: 'user_key', parentIdentifier: uuid, apiKeyType: 'USER' });
    const onB = b.tokenClient(token);
    expect((await onB.get('/ng/api/user/currentUser')).status).toBe(200);
    const disabled = await a.admin.request('PUT', `/ng/api/user/${uuid}`, { disabled: true }, scope());
    expect(disabled.status, disabled.text).toBe(200);
    await expectOnB('user disabled', () => onB.get('/ng/api/user/currentUser'), 401);
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
      return readOrg;
    }

    async function assign(principal: { identifier: string; type: string }, roleIdentifier: string, resourceGroupIdentifier: string) {
      const res = await a.admin.post('/authz/api/roleassignments', { resourceGroupIdentifier, roleIdentifier, principal, disabled: false }, scope());
      expect(res.status, res.text).toBe(200);
    }

    it('denies on B once the service account is taken out of its group through A', async () => {
      const group = { identifier: 'cluster_group', name: 'cluster group', accountIdentifier: account, users: [] as string[] };
      const readOrg = await serviceAccountWith('cluster_member', async (sa) => {
        const res = await a.admin.post('/ng/api/user-groups', { ...group, serviceAccounts: [sa] }, scope());
        expect(res.status, res.text).toBe(200);
        await assign({ identifier: group.identifier, type: 'USER_GROUP' }, '_account_viewer', '_all_account_level_resources');
      });
      const res = await a.admin.request('PUT', `/ng/api/user-groups/${group.identifier}`, { ...group, serviceAccounts: [] }, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('group membership removed', readOrg, 403);
    });

    it('denies on B once its role loses the permission through A', async () => {
      const role = { identifier: 'cluster_reader', name: 'cluster reader', allowedScopeLevels: ['account'] };
      const readOrg = await serviceAccountWith('cluster_role_holder', async (sa) => {
        const res = await a.admin.post('/authz/api/roles', { ...role, permissions: ['core_organization_view'] }, scope());
        expect(res.status, res.text).toBe(200);
        await assign({ identifier: sa, type: 'SERVICE_ACCOUNT' }, role.identifier, '_all_account_level_resources');
      });
      const res = await a.admin.request('PUT', `/authz/api/roles/${role.identifier}`, { ...role, permissions: ['core_project_view'] }, scope());
      expect(res.status, res.text).toBe(200);
      await expectOnB('role permission removed', readOrg, 403);
    });

    it('denies on B once its resource group stops covering organizations through A', async () => {
      const resourceGroup = (resourceType: string) => ({
        resourceGroup: {
          identifier: 'cluster_rg', name: 'cluster rg', accountIdentifier: account,
          includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: account }],
          resourceFilter: { includeAllResources: false, resources: [{ resourceType }] },
        },
      });
      const readOrg = await serviceAccountWith('cluster_rg_holder', async (sa) => {
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
