// Conflicting writes at once: fifty concurrent requests that fight over one identifier, one limit,
// or one thing being changed and deleted (or its owner, organization or project deleted) at the
// same time. Every answer is a 200, 400 or 404 in the Harness envelope — never a 5xx — and
// afterwards the store is consistent: no duplicate identifiers, no limit overrun, no token without
// its key, no key without its owner, nothing left inside a deleted organization or project.
import { expect } from 'vitest';
import { randomString } from '../../src/domain/ids.js';
import { NG, apiKeyBody, createApiKey, createToken, ownerQuery, saOwner, tokenBody, userOwner, type Owner } from '../helpers/api-keys.js';
import { describeEachEngine, it, type Client, type Response } from '../helpers/harness.js';
import { answerProblem, storeProblems } from './support.js';

const N = 50;

/** Fires `n` requests at once; checks every answer's shape and status, and returns the answers. */
async function burst(n: number, send: (i: number) => Promise<Response>, allowed: number[] = [200, 400, 404]): Promise<Response[]> {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => send(i)));
  const problems = answers.flatMap((res, i) => {
    const problem = answerProblem('POST', '/ng/api', { status: res.status, headers: res.headers, text: res.text });
    if (problem) return [`#${i}: ${problem}: ${res.text.slice(0, 300)}`];
    if (!allowed.includes(res.status)) return [`#${i}: status ${res.status} not in ${allowed.join('/')}: ${res.text.slice(0, 300)}`];
    return [];
  });
  expect(problems).toEqual([]);
  return answers;
}

const count = (answers: Response[], status: number) => answers.filter((a) => a.status === status).length;

describeEachEngine('robustness: concurrent conflicting writes', (h) => {
  const q = () => ({ query: { accountIdentifier: h().accountId } });
  const admin = () => h().admin.client;
  const consistent = async () => expect(await storeProblems(h())).toEqual([]);

  async function newSa(client: Client = admin(), scope: { orgIdentifier?: string; projectIdentifier?: string } = {}) {
    const identifier = `sa_${randomString(8)}`;
    const res = await client.post(`${NG}/serviceaccount`, {
      identifier, name: identifier, email: `${identifier.toLowerCase()}@example.com`, ...scope,
    }, { query: { accountIdentifier: h().accountId, ...scope } });
    expect(res.status, res.text).toBe(200);
    return { identifier, scope: { orgIdentifier: scope.orgIdentifier ?? null, projectIdentifier: scope.projectIdentifier ?? null } };
  }

  async function newOrg(): Promise<string> {
    const identifier = `org_${randomString(8)}`;
    const res = await admin().post(`${NG}/organizations`, { organization: { identifier, name: identifier } }, q());
    expect(res.status, res.text).toBe(200);
    return identifier;
  }

  it('creates one API key, one token, one of each resource, when fifty ask for the same identifier', async () => {
    const owner = saOwner(await newSa());
    let answers = await burst(N, () => admin().post(`${NG}/apikey`, apiKeyBody(h(), owner, 'same_key'), q()));
    expect(count(answers, 200)).toBe(1);
    expect(answers.filter((a) => a.status === 400).every((a) => a.body.code === 'DUPLICATE_FIELD')).toBe(true);

    answers = await burst(N, () => admin().post(`${NG}/token`, tokenBody(h(), owner, 'same_key', 'same_tok'), q()));
    expect(count(answers, 200)).toBe(1);
    expect(answers.filter((a) => a.status === 400).every((a) => a.body.code === 'DUPLICATE_FIELD')).toBe(true);

    // A token whose key does not exist yet: the key is created on the way, once.
    answers = await burst(N, () => admin().post(`${NG}/token`, tokenBody(h(), owner, 'auto_key', 'auto_tok'), q()));
    expect(count(answers, 200)).toBe(1);

    const id = `same_${randomString(6)}`;
    const creates: Array<[string, string, () => unknown]> = [
      ['service account', `${NG}/serviceaccount`, () => ({ identifier: id, name: 'Same', email: `${id.toLowerCase()}@example.com` })],
      ['organization', `${NG}/organizations`, () => ({ organization: { identifier: id, name: 'Same' } })],
      ['user group', `${NG}/user-groups`, () => ({ identifier: id, name: 'Same' })],
      ['role', '/authz/api/roles', () => ({ identifier: id, name: 'Same', permissions: ['core_user_view'], allowedScopeLevels: ['account'] })],
      ['resource group', '/resourcegroup/api/v2/resourcegroup', () => ({ resourceGroup: { identifier: id, name: 'Same', resourceFilter: { includeAllResources: true, resources: [] } } })],
      ['user', `${NG}/user`, () => ({ email: `${id.toLowerCase()}@example.com`, name: 'Same', password: `Pw-${randomString(12)}` })],
    ];
    for (const [what, url, body] of creates) {
      answers = await burst(N, () => admin().post(url, body(), q()));
      expect(count(answers, 200), `${what}: ${answers.find((a) => a.status !== 200)?.text}`).toBe(1);
    }
    answers = await burst(N, () => admin().post(`${NG}/projects`, { project: { identifier: id, orgIdentifier: 'default', name: 'Same' } },
      { query: { accountIdentifier: h().accountId, orgIdentifier: 'default' } }));
    expect(count(answers, 200)).toBe(1);
    answers = await burst(N, () => admin().post('/authz/api/roleassignments', {
      identifier: id, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
      principal: { identifier: owner.parentIdentifier, type: 'SERVICE_ACCOUNT' },
    }, q()));
    expect(count(answers, 200)).toBe(1);
    await consistent();
  }, 90_000); // about 250 requests in bursts of fifty: 10–30 s on a busy 2-core machine

  it('never goes over the per-owner and per-key limits, whatever the interleaving', async () => {
    const owner = saOwner(await newSa());
    const max = h().config.maxApiKeysPerOwner;
    let answers = await burst(N, (i) => admin().post(`${NG}/apikey`, apiKeyBody(h(), owner, `key_${i}`), q()));
    expect(count(answers, 200)).toBe(max);
    const keys = await admin().get(`${NG}/apikey`, { query: ownerQuery(h(), owner) });
    expect(keys.body.data).toHaveLength(max);

    // Which five won is up to the interleaving: fill the first of them.
    const key = keys.body.data[0].identifier as string;
    answers = await burst(N, (i) => admin().post(`${NG}/token`, tokenBody(h(), owner, key, `tok_${i}`), q()));
    const tokens = await h().store.db.selectFrom('tokens').select('identifier')
      .where('parent_identifier', '=', owner.parentIdentifier).where('api_key_identifier', '=', key).execute();
    expect(tokens.length).toBe(count(answers, 200));
    expect(tokens.length).toBe(h().config.maxTokensPerApiKey);
    await consistent();
  });

  it('keeps a key and its tokens whole when updates, rotations and deletes race', async () => {
    const owner = saOwner(await newSa());
    await createApiKey(h(), admin(), owner, 'raced_key');
    await createToken(h(), admin(), owner, 'raced_key', 'raced_tok');
    // Updates, rotations and deletes of one token at once.
    await burst(N, (i) => {
      switch (i % 3) {
        case 0: return admin().put(`${NG}/token/raced_tok`, tokenBody(h(), owner, 'raced_key', 'raced_tok', { name: `renamed ${i}` }), q());
        case 1: return admin().request('POST', `${NG}/token/rotate/raced_tok`, undefined, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'raced_key' }) });
        default: return admin().delete(`${NG}/token/raced_tok`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'raced_key' }) });
      }
    });
    const left = await h().store.db.selectFrom('tokens').select('identifier').where('parent_identifier', '=', owner.parentIdentifier)
      .where('identifier', '=', 'raced_tok').execute();
    expect(left.length).toBeLessThanOrEqual(1);
    // Updates of the key, tokens created under it, and its deletion, at once.
    await burst(N, (i) => {
      switch (i % 3) {
        case 0: return admin().put(`${NG}/apikey/raced_key`, apiKeyBody(h(), owner, 'raced_key', { name: `renamed ${i}` }), q());
        case 1: return admin().post(`${NG}/token`, tokenBody(h(), owner, 'raced_key', `t_${i}`), q());
        default: return admin().delete(`${NG}/apikey/raced_key`, { query: ownerQuery(h(), owner) });
      }
    });
    await consistent();
  });

  it('a token created while its key is being deleted is created, with the key again: the deletion came first', async () => {
    const owner = saOwner(await newSa());
    for (let round = 0; round < 10; round++) {
      const key = `comeback_${round}`;
      await createApiKey(h(), admin(), owner, key);
      // Four tokens (the per-key limit is five, for a key created again after some were made).
      const answers = await burst(5, (i) => (i === 2
        ? admin().delete(`${NG}/apikey/${key}`, { query: ownerQuery(h(), owner) })
        : admin().post(`${NG}/token`, tokenBody(h(), owner, key, `t_${i}`), q())), [200]);
      expect(count(answers, 200)).toBe(5);
      // Gone, or there again with the tokens created after the deletion; keys per owner are limited.
      await admin().delete(`${NG}/apikey/${key}`, { query: ownerQuery(h(), owner) });
    }
    await consistent();
  });

  it('updates of a user group racing its deletion and its creation again answer 200, 400 or 404, never a 500', async () => {
    const sa = await newSa();
    const body = { identifier: 'raced_group', name: 'Raced', serviceAccounts: [sa.identifier] };
    for (let round = 0; round < 20; round++) {
      const created = await admin().post(`${NG}/user-groups`, body, q());
      expect([200, 400], created.text).toContain(created.status);
      await burst(13, (i) => (i < 8 ? admin().put(`${NG}/user-groups`, body, q())
        : i === 8 ? admin().delete(`${NG}/user-groups/raced_group`, q())
          : admin().post(`${NG}/user-groups`, body, q())));
    }
    await consistent();
  });

  it('an update racing the deletion of its key comes before it (the deletion saw its name) or is a 404', async () => {
    const owner = saOwner(await newSa());
    for (let round = 0; round < 10; round++) {
      const id = `doomed_${round}`;
      await createApiKey(h(), admin(), owner, id);
      const [update, deletion] = await Promise.all([
        admin().put(`${NG}/apikey/${id}`, apiKeyBody(h(), owner, id, { name: 'renamed' }), q()),
        admin().delete(`${NG}/apikey/${id}`, { query: ownerQuery(h(), owner) }),
      ]);
      expect(deletion.status, deletion.text).toBe(200);
      expect([200, 404], update.text).toContain(update.status);
      const audit = await h().store.db.selectFrom('audit_events').select('before').where('resource_type', '=', 'API_KEY')
        .where('resource_identifier', '=', id).where('action', '=', 'DELETE').executeTakeFirstOrThrow();
      if (update.status === 200) expect(JSON.parse(audit.before!).name).toBe('renamed');
    }
    await consistent();
  });

  it('updates racing the deletion of what they update answer 200 or 404, and the deletion happens once', async () => {
    const user = await h().createUser();
    for (let round = 0; round < 5; round++) {
      // A role assignment: disabled and enabled while deleted, twice at once.
      const ra = (await admin().post('/authz/api/roleassignments', {
        roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
        principal: { identifier: user.id, type: 'USER' },
      }, q())).body.data.roleAssignment.identifier as string;
      const raBody = { identifier: ra, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' } };
      let answers = await burst(8, (i) => i % 4 < 2
        ? admin().put(`/authz/api/roleassignments/${ra}`, { ...raBody, disabled: i % 2 === 0 }, q())
        : admin().delete(`/authz/api/roleassignments/${ra}`, q()));
      expect(answers.filter((a, i) => i % 4 >= 2 && a.status === 200)).toHaveLength(1);
      const deletions = await h().store.db.selectFrom('audit_events').select('id').where('resource_identifier', '=', ra).where('action', '=', 'DELETE').execute();
      expect(deletions).toHaveLength(1);

      // A service account and a user group, renamed while deleted.
      const sa = await newSa();
      answers = await burst(6, (i) => i % 2 === 0
        ? admin().put(`${NG}/serviceaccount/${sa.identifier}`, { identifier: sa.identifier, name: `renamed ${i}`, email: `${sa.identifier.toLowerCase()}@example.com` }, q())
        : admin().delete(`${NG}/serviceaccount/${sa.identifier}`, q()));
      expect(answers.filter((a, i) => i % 2 === 1 && a.status === 200)).toHaveLength(1);
      const group = `g_${randomString(8)}`;
      expect((await admin().post(`${NG}/user-groups`, { identifier: group, name: group }, q())).status).toBe(200);
      answers = await burst(6, (i) => i % 2 === 0
        ? admin().put(`${NG}/user-groups/${group}`, { identifier: group, name: `renamed ${i}`, users: [user.id] }, q())
        : admin().delete(`${NG}/user-groups/${group}`, q()));
      expect(answers.filter((a, i) => i % 2 === 1 && a.status === 200)).toHaveLength(1);
      // A resource group, changed while deleted.
      const rg = `rg_${randomString(8)}`;
      const rgBody = (name: string) => ({ resourceGroup: { identifier: rg, name, resourceFilter: { includeAllResources: true } } });
      expect((await admin().post('/resourcegroup/api/v2/resourcegroup', rgBody(rg), q())).status).toBe(200);
      answers = await burst(6, (i) => i % 2 === 0
        ? admin().put(`/resourcegroup/api/v2/resourcegroup/${rg}`, rgBody(`renamed ${i}`), q())
        : admin().delete(`/resourcegroup/api/v2/resourcegroup/${rg}`, q()));
      expect(answers.filter((a, i) => i % 2 === 1 && a.status === 200)).toHaveLength(1);
    }
    await consistent();
  });

  it('leaves no key or token behind when their service account is deleted during the writes', async () => {
    for (let round = 0; round < 3; round++) {
      const sa = await newSa();
      const owner = saOwner(sa);
      await createToken(h(), admin(), owner, 'k_0', 'first');
      const group = `g_${randomString(6)}`;
      expect((await admin().post(`${NG}/user-groups`, { identifier: group, name: group }, q())).status).toBe(200);
      const tokenQuery = { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'k_0' }) };
      await burst(N, (i) => {
        if (i === 10 + round * 7 || i === 40) return admin().delete(`${NG}/serviceaccount/${sa.identifier}`, q());
        switch (i % 8) {
          case 0: return admin().put(`${NG}/serviceaccount/${sa.identifier}`, { identifier: sa.identifier, name: `renamed ${i}`, email: `${sa.identifier.toLowerCase()}@example.com` }, q());
          case 1: return admin().post(`${NG}/apikey`, apiKeyBody(h(), owner, `k_${i % 3}`), q());
          case 2: return admin().request('POST', `${NG}/token/rotate/first`, undefined, tokenQuery);
          case 3: return admin().put(`${NG}/token/first`, tokenBody(h(), owner, 'k_0', 'first', { name: `renamed ${i}` }), q());
          case 4: return admin().put(`${NG}/user-groups/${group}`, { identifier: group, name: group, serviceAccounts: [sa.identifier] }, q());
          case 5: return admin().post('/authz/api/roleassignments', {
            roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
            principal: { identifier: sa.identifier, type: 'SERVICE_ACCOUNT' },
          }, q());
          default: return admin().post(`${NG}/token`, tokenBody(h(), owner, `k_${i % 3}`, `t_${i}`), q());
        }
      });
      const keys = await h().store.db.selectFrom('api_keys').select('identifier').where('parent_identifier', '=', sa.identifier).execute();
      expect(keys).toEqual([]);
      const grants = await h().store.db.selectFrom('role_assignments').select('identifier')
        .where('principal_type', '=', 'SERVICE_ACCOUNT').where('principal_identifier', '=', sa.identifier).execute();
      expect(grants).toEqual([]);
      await consistent();
    }
  });

  it("leaves no personal key or token behind when their user is deleted during the writes", async () => {
    const user = await h().createUser();
    const owner: Owner = userOwner(user.id);
    // The user's own session loses its rights (401) once the user is gone: that answer is expected.
    await createToken(h(), user.client, owner, 'k_0', 'first');
    const group = `g_${randomString(6)}`;
    expect((await admin().post(`${NG}/user-groups`, { identifier: group, name: group }, q())).status).toBe(200);
    await burst(N, (i) => {
      if (i === 20) return admin().delete(`${NG}/user/${user.id}`, q());
      switch (i % 6) {
        case 0: return user.client.post(`${NG}/apikey`, apiKeyBody(h(), owner, `k_${i % 3}`), q());
        case 1: return user.client.request('POST', `${NG}/token/rotate/first`, undefined, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'k_0' }) });
        case 2: return admin().put(`${NG}/user-groups/${group}`, { identifier: group, name: group, users: [user.id] }, q());
        case 3: return admin().post('/authz/api/roleassignments', {
          roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' },
        }, q());
        default: return user.client.post(`${NG}/token`, tokenBody(h(), owner, `k_${i % 3}`, `t_${i}`), q());
      }
    }, [200, 400, 401, 404]);
    const keys = await h().store.db.selectFrom('api_keys').select('identifier').where('parent_identifier', '=', user.id).execute();
    expect(keys).toEqual([]);
    await consistent();
  });

  it('never assigns a custom role, resource group or user group that is being deleted', async () => {
    for (let round = 0; round < 3; round++) {
      const role = `role_${randomString(6)}`;
      const group = `rg_${randomString(6)}`;
      const userGroup = `ug_${randomString(6)}`;
      expect((await admin().post(`${NG}/user-groups`, { identifier: userGroup, name: userGroup }, q())).status).toBe(200);
      expect((await admin().post('/authz/api/roles', { identifier: role, name: role, permissions: ['core_user_view'], allowedScopeLevels: ['account'] }, q())).status).toBe(200);
      expect((await admin().post('/resourcegroup/api/v2/resourcegroup', { resourceGroup: { identifier: group, name: group, resourceFilter: { includeAllResources: true, resources: [] } } }, q())).status).toBe(200);
      const sa = await newSa();
      await burst(N, (i) => {
        if (i === 15 + round * 5) return admin().delete(`/authz/api/roles/${role}`, q());
        if (i === 35 - round * 5) return admin().delete(`/resourcegroup/api/v2/resourcegroup/${group}`, q());
        if (i === 25) return admin().delete(`${NG}/user-groups/${userGroup}`, q());
        return admin().post('/authz/api/roleassignments', {
          roleIdentifier: i % 2 ? role : '_account_viewer', resourceGroupIdentifier: i % 3 ? group : '_all_account_level_resources',
          principal: i % 5 ? { identifier: sa.identifier, type: 'SERVICE_ACCOUNT' } : { identifier: userGroup, type: 'USER_GROUP' },
        }, q());
      });
      await consistent();
      const aggregate = await admin().get(`${NG}/serviceaccount/aggregate/${sa.identifier}`, q());
      expect(aggregate.status, aggregate.text).toBe(200);
    }
  });

  it('leaves nothing inside an organization or project deleted while things are created in it', async () => {
    for (let round = 0; round < 2; round++) {
      const org = await newOrg();
      const project = `p_${randomString(6)}`;
      const res = await admin().post(`${NG}/projects`, { project: { identifier: project, orgIdentifier: org, name: project } },
        { query: { accountIdentifier: h().accountId, orgIdentifier: org } });
      expect(res.status, res.text).toBe(200);
      const inOrg = { accountIdentifier: h().accountId, orgIdentifier: org };
      const inProject = { ...inOrg, projectIdentifier: project };
      const sa = await newSa(admin(), { orgIdentifier: org, projectIdentifier: project });
      const owner = saOwner(sa);
      await burst(N, (i) => {
        const id = `x_${i}`;
        const where = i % 2 === 0 ? inOrg : inProject;
        switch (i % 10) {
          case 5: return admin().delete(`${NG}/${round === 0 ? 'organizations' : 'projects'}/${round === 0 ? org : project}`, { query: round === 0 ? { accountIdentifier: h().accountId } : inOrg });
          case 0: case 1: return admin().post(`${NG}/serviceaccount`, { identifier: id, name: id, email: `${id}@example.com` }, { query: where });
          case 2: return admin().post(`${NG}/projects`, { project: { identifier: id, orgIdentifier: org, name: id } }, { query: inOrg });
          case 3: case 4: return admin().post(`${NG}/user-groups`, { identifier: id, name: id }, { query: where });
          case 6: return admin().post('/authz/api/roles', { identifier: id, name: id, permissions: ['core_user_view'], allowedScopeLevels: ['project'] }, { query: where });
          case 7: return admin().post(`${NG}/token`, tokenBody(h(), owner, `k_${i % 3}`, `t_${i}`), { query: inProject });
          case 8: return admin().post('/resourcegroup/api/v2/resourcegroup', { resourceGroup: { identifier: id, name: id, resourceFilter: { includeAllResources: true, resources: [] } } }, { query: where });
          default: return admin().post(`${NG}/apikey`, apiKeyBody(h(), owner, `k_${i % 4}`), { query: inProject });
        }
      });
      await consistent();
    }
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000000' } });

