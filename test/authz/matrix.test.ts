// The authorization matrix (issue 3): every row of matrix-table.ts × every kind of caller → the
// expected status; and no response ever carries another account's data, nor a list the data of a
// scope its caller may not view.
import { beforeAll, expect } from 'vitest';
import { randomString } from '../../src/domain/ids.js';
import { makeScope, type Scope, type ScopeLevel } from '../../src/domain/scope.js';
import { ADMIN_AT, createOtherAccount, ensureProject, ensureOrg, grant, VIEWER_AT, type OtherAccount } from '../helpers/access-control.js';
import { describeEachEngine, it, type Client, type Harness } from '../helpers/harness.js';
import {
  CALLERS, expectedStatus, MATRIX, MX_FIXTURE, MX_ORG, MX_PROJECT, MX_SIBLING_ORG, MX_SIBLING_PROJECT,
  type Caller, type MatrixContext,
} from './matrix-table.js';

const ALPHA = 'alphamarker'; // in the descriptions of this account's fixtures
const BETA = 'betamarker'; // in the other account's

interface World {
  scopes: Record<ScopeLevel, Scope>;
  callers: Record<ScopeLevel, Record<Caller, Client | null>>;
  targetUserId: string;
  other: OtherAccount;
}

async function userWithGrant(h: Harness, scope: Scope | null, [role, rg]: [string, string] = ['', '']) {
  const user = await h.createUser();
  if (scope) await grant(h, scope, { type: 'USER', identifier: user.id }, role, rg);
  return user.client;
}

async function seedFixtures(client: Client, query: Record<string, string>, marker: string) {
  const ok = async (p: Promise<{ status: number; text: string }>) => {
    const r = await p;
    if (r.status !== 200) throw new Error(`fixture: ${r.status} ${r.text}`);
  };
  await ok(client.post('/ng/api/serviceaccount', { identifier: MX_FIXTURE, name: 'fixture', email: 'fixture@robots.example.com', description: marker }, { query }));
  await ok(client.post('/ng/api/user-groups', { identifier: MX_FIXTURE, name: 'fixture', description: marker }, { query }));
  await ok(client.post('/authz/api/roles', { identifier: MX_FIXTURE, name: 'fixture', permissions: ['core_audit_view'], description: marker }, { query }));
  await ok(client.post('/resourcegroup/api/v2/resourcegroup', { resourceGroup: { identifier: MX_FIXTURE, name: 'fixture', description: marker, resourceFilter: { includeAllResources: true } } }, { query }));
}

async function buildWorld(h: Harness): Promise<World> {
  const account = makeScope(h.accountId);
  const org = await ensureOrg(h, MX_ORG);
  const project = await ensureProject(h, MX_ORG, MX_PROJECT);
  const siblingOrg = await ensureOrg(h, MX_SIBLING_ORG);
  const siblingProject = await ensureProject(h, MX_ORG, MX_SIBLING_PROJECT);
  const scopes = { account, organization: org, project };
  for (const scope of Object.values(scopes)) {
    await seedFixtures(h.admin.client, { accountIdentifier: h.accountId, ...(scope.orgIdentifier ? { orgIdentifier: scope.orgIdentifier } : {}), ...(scope.projectIdentifier ? { projectIdentifier: scope.projectIdentifier } : {}) }, ALPHA);
  }

  const noRoles = await userWithGrant(h, null);
  const accountAdmin = await userWithGrant(h, account, ADMIN_AT.account);
  const orgAdmin = await userWithGrant(h, org, ADMIN_AT.organization);
  const siblingOrgAdmin = await userWithGrant(h, siblingOrg, ADMIN_AT.organization);
  const projectAdmin = await userWithGrant(h, project, ADMIN_AT.project);
  const siblingProjectAdmin = await userWithGrant(h, siblingProject, ADMIN_AT.project);
  const target = await h.createUser();

  const other = await createOtherAccount(h, 'Beta');
  const otherQuery = { accountIdentifier: other.accountId };
  await seedFixtures(other.client, otherQuery, BETA);

  const common = { anonymous: h.anonymous, noRoles, otherAccount: other.client };
  return {
    scopes,
    targetUserId: target.id,
    other,
    callers: {
      account: { ...common, viewer: await userWithGrant(h, account, VIEWER_AT.account), siblingAdmin: siblingOrgAdmin, admin: accountAdmin, parentAdmin: null },
      organization: { ...common, viewer: await userWithGrant(h, org, VIEWER_AT.organization), siblingAdmin: siblingOrgAdmin, admin: orgAdmin, parentAdmin: accountAdmin },
      project: { ...common, viewer: await userWithGrant(h, project, VIEWER_AT.project), siblingAdmin: siblingProjectAdmin, admin: projectAdmin, parentAdmin: orgAdmin },
    },
  };
}

describeEachEngine('authorization matrix', (h) => {
  let world: World;
  beforeAll(async () => { world = await buildWorld(h()); }, 120_000);

  const context = (level: ScopeLevel): MatrixContext => {
    const scope = world.scopes[level];
    const query: Record<string, string> = { accountIdentifier: scope.accountIdentifier };
    if (scope.orgIdentifier) query.orgIdentifier = scope.orgIdentifier;
    if (scope.projectIdentifier) query.projectIdentifier = scope.projectIdentifier;
    return { h: h(), accountId: h().accountId, scope, query, setup: h().admin.client, targetUserId: world.targetUserId, unique: (p) => `${p}_${randomString(10)}` };
  };

  it('covers every caller kind and every level', () => {
    expect(CALLERS).toHaveLength(7);
    expect(new Set(MATRIX.map((r) => r.level))).toEqual(new Set(['account', 'organization', 'project']));
    expect(new Set(MATRIX.map((r) => r.name)).size).toBe(MATRIX.length);
  });

  for (const row of MATRIX) {
    it(row.name, async () => {
      const problems: string[] = [];
      for (const caller of CALLERS) {
        const expected = expectedStatus(row, caller);
        const client = world.callers[row.level][caller];
        if (expected === null || !client) continue;
        const ctx = context(row.level);
        const req = await row.request(ctx);
        const res = await client.request(req.method, req.path, req.method === 'GET' || req.method === 'DELETE' ? undefined : req.body ?? {}, { query: req.query });
        const asked = JSON.stringify(req);
        if (res.status !== expected) problems.push(`${caller}: expected ${expected}, got ${res.status} ${res.text.slice(0, 300)}`);
        if (res.status === 403 && res.body?.code !== 'NG_ACCESS_DENIED') problems.push(`${caller}: a 403 that is not NG_ACCESS_DENIED: ${res.text.slice(0, 200)}`);
        if (caller === 'otherAccount') {
          // Denied on the account itself (SPEC §2), lists included, before anything is looked up.
          const check = res.body?.failedPermissionChecks?.[0];
          if (res.status === 403 && (check?.permission !== 'core_account_view' || check?.resourceIdentifier !== h().accountId)) {
            problems.push(`${caller}: a 403 that is not the denial on the account: ${res.text.slice(0, 200)}`);
          }
          // Nothing of this account, beyond what the caller itself sent.
          for (const secret of [ALPHA, h().admin.email, h().admin.id, world.targetUserId]) {
            if (res.text.includes(secret) && !asked.includes(secret)) problems.push(`${caller}: response carries ${secret}`);
          }
        } else {
          for (const secret of [BETA, world.other.accountId, world.other.adminEmail]) {
            if (res.text.includes(secret)) problems.push(`${caller}: response carries the other account's ${secret}`);
          }
        }
        if (row.access === 'list' && ['noRoles', 'siblingAdmin', 'otherAccount'].includes(caller) && res.text.includes(ALPHA)) {
          problems.push(`${caller}: the list shows fixtures of a scope it may not view`);
        }
      }
      expect(problems, row.name).toEqual([]);
    });
  }
});
