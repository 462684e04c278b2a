// The README's walk-through, twice: step by step over HTTP through the harness, asserting each
// answer; and the README's shell block itself, run by bash with curl and jq against the app
// listening on a port (skipped where those tools are missing), so every command stays copy-pasteable.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { describeEachEngine, it, type Client, type Harness } from './helpers/harness.js';
import { expectError } from './helpers/expect.js';

const json = (c: Client) => c.with({ 'content-type': 'application/json' });

async function walkThrough(h: Harness) {
  // 1. log in (the harness keeps the cookie and sends the CSRF token)
  const admin = await h.login(h.admin.email, h.admin.password);
  const session = await admin.get('/api/auth/session');
  const ACCOUNT = session.body.data.defaultAccountId as string;
  expect(ACCOUNT).toBe(h.accountId);
  const q = `accountIdentifier=${ACCOUNT}`;
  const owner = `apiKeyType=SERVICE_ACCOUNT&parentIdentifier=deployer`;

  // 2. a service account
  const sa = await json(admin).post(`/ng/api/serviceaccount?${q}`, { identifier: 'deployer', name: 'Deployer', email: 'deployer@service.example.com' });
  expect(sa.status, sa.text).toBe(200);

  // 3. a role for it
  const ra = await admin.post(`/authz/api/roleassignments?${q}`, {
    roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_resources_including_child_scopes',
    principal: { identifier: 'deployer', type: 'SERVICE_ACCOUNT' },
  });
  expect(ra.status, ra.text).toBe(200);

  // 4. its API key and token
  const key = await admin.post(`/ng/api/apikey?${q}`, {
    identifier: 'deploy_key', name: 'Deploy key', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'deployer', accountIdentifier: ACCOUNT,
  });
  expect(key.status, key.text).toBe(200);
  const created = await admin.post(`/ng/api/token?${q}`, {
    identifier: 'ci', name: 'CI', apiKeyIdentifier: 'deploy_key', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'deployer', accountIdentifier: ACCOUNT,
  });
  expect(created.status, created.text).toBe(200);
  let TOKEN = created.body.data as string;
  expect(TOKEN).toMatch(new RegExp(`^sat\\.${ACCOUNT}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}$`));

  // 5. the token acts as the service account, with its role's rights (and only those)
  const bySa = h.tokenClient(TOKEN);
  const me = await bySa.get('/ng/api/user/currentUser');
  expect(me.status, me.text).toBe(200);
  expect(me.body.data).toMatchObject({ uuid: 'deployer', name: 'Deployer' });
  await new Promise((r) => setTimeout(r, 1000)); // a fresh one-second window
  const list = await bySa.get(`/ng/api/serviceaccount?${q}`);
  expect(list.status, list.text).toBe(200);
  expect(list.body.data.map((s: any) => s.identifier)).toContain('deployer');
  const cannotWrite = await bySa.post(`/ng/api/serviceaccount?${q}`, { identifier: 'other', name: 'Other', email: 'o@service.example.com' });
  expect(cannotWrite.status === 403 || cannotWrite.status === 429, cannotWrite.text).toBe(true);

  // 6. the rate limit: a burst of five, at most one accepted per second spanned
  const start = Date.now();
  const burst = [];
  for (let i = 0; i < 5; i++) burst.push(await bySa.get('/ng/api/user/currentUser'));
  const windows = Math.floor(Date.now() / 1000) - Math.floor(start / 1000) + 1;
  expect(burst.filter((r) => r.status === 200).length).toBeLessThanOrEqual(windows);
  const throttled = burst.find((r) => r.status === 429)!;
  expect(throttled.text).toBe('Too Many requests. Throttled. Max QPS: 1.0');
  expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  const raised = await admin.put(`/ng/api/apikey/deploy_key`, {
    identifier: 'deploy_key', name: 'Deploy key', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'deployer', accountIdentifier: ACCOUNT, rateLimitQps: 10,
  });
  expect(raised.body.data.rateLimitQps).toBe(10);

  // 7. rotate with a one-hour grace period
  const OLD = TOKEN;
  const graceEnd = Date.now() + 3_600_000;
  const rotated = await json(admin).request('POST', `/ng/api/token/rotate/ci?${q}&${owner}&apiKeyIdentifier=deploy_key&rotateTimestamp=${graceEnd}`, '');
  expect(rotated.status, rotated.text).toBe(200);
  TOKEN = rotated.body.data;
  const tokens = await admin.get(`/ng/api/token/aggregate?${q}&${owner}&apiKeyIdentifier=deploy_key`);
  const rows = tokens.body.data.content.map((a: any) => ({ identifier: a.token.identifier, expiryAt: a.expiryAt, valid: a.token.valid }));
  expect(rows).toHaveLength(2);
  expect(rows.find((r: any) => r.identifier === 'ci').valid).toBe(true);
  expect(rows.find((r: any) => r.identifier !== 'ci')).toMatchObject({ identifier: expect.stringMatching(/^rotated_[A-Za-z]{15}$/), expiryAt: graceEnd, valid: true });
  expect((await h.tokenClient(OLD).get('/ng/api/user/currentUser')).status).toBe(200);
  expect((await h.tokenClient(TOKEN).get('/ng/api/user/currentUser')).status).toBe(200);

  // 8. revoke the leaked old value, without credentials
  const revoked = await h.anonymous.request('POST', '/ng/api/token/revoke', OLD, { headers: { 'content-type': 'text/plain' } });
  expect(revoked.body.data).toBe(true);
  expectError(await h.tokenClient(OLD).get('/ng/api/user/currentUser'), 401, 'INVALID_TOKEN');

  // 9. delete the token, the key and the service account
  for (const url of [
    `/ng/api/token/ci?${q}&${owner}&apiKeyIdentifier=deploy_key`, `/ng/api/apikey/deploy_key?${q}&${owner}`, `/ng/api/serviceaccount/deployer?${q}`,
  ]) {
    const res = await admin.delete(url);
    expect(res.status, `${url}: ${res.text}`).toBe(200);
  }
  expectError(await h.tokenClient(TOKEN).get('/ng/api/user/currentUser'), 401, 'INVALID_TOKEN');
  expect((await admin.post('/api/auth/logout', {})).status).toBe(200);
  return ACCOUNT;
}

async function expectCleanedUp(h: Harness) {
  const left = await h.store.db.selectFrom('api_keys').select('id').where('parent_identifier', '=', 'deployer').execute();
  expect(left).toEqual([]);
  const sas = await h.store.db.selectFrom('service_accounts').select('identifier').where('identifier', '=', 'deployer').execute();
  expect(sas).toEqual([]);
  const audit = await h.store.db.selectFrom('audit_events').select(['action', 'resource_type'])
    .where('resource_type', 'in', ['API_KEY', 'TOKEN']).execute();
  const actions = new Set(audit.map((a) => `${a.resource_type} ${a.action}`));
  for (const a of ['API_KEY CREATE', 'API_KEY UPDATE', 'API_KEY DELETE', 'TOKEN CREATE', 'TOKEN ROTATE', 'TOKEN REVOKE', 'TOKEN DELETE']) {
    expect(actions).toContain(a);
  }
}

describeEachEngine('README walk-through over HTTP', (h) => {
  it('runs the whole sequence', async () => {
    await walkThrough(h());
    await expectCleanedUp(h());
  });
});

const hasTools = ['bash', 'curl', 'jq'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);

/** The README's block, pointed at this server and this admin. */
function readmeScript(url: string, email: string, password: string): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /<!-- walkthrough:begin -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme);
  if (!block) throw new Error('README has no walkthrough block');
  const script = block[1]
    .replace(/^KS=.*$/m, `KS='${url}'`)
    .replace(/^EMAIL=.*$/m, `EMAIL='${email}'`)
    .replace(/^PASSWORD=.*$/m, `PASSWORD='${password}'`);
  expect(script).not.toBe(block[1]);
  return script;
}

describe.skipIf(!hasTools)('README walk-through, the shell block itself', () => {
  describeEachEngine('with bash, curl and jq', (h) => {
    it('runs as written and leaves nothing behind', async () => {
      const address = await h().app.listen({ port: 0, host: '127.0.0.1' });
      const dir = mkdtempSync(join(tmpdir(), 'keysmith-walkthrough-'));
      try {
        const script = readmeScript(address, h().admin.email, h().admin.password);
        // Asynchronously: the server answering the script runs in this very process.
        const { stdout: out } = await promisify(execFile)('bash', ['-c', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
        expect(out).toMatch(/sat\.[A-Za-z0-9]+\.[0-9a-f]{24}\.[A-Za-z0-9]{20}/);
        expect(out).toContain('Too Many requests. Throttled. Max QPS: 1.0 (HTTP 429)');
        expect(out).toMatch(/"identifier":"rotated_[A-Za-z]{15}"/);
        expect(out).toMatch(/"code":"INVALID_TOKEN"/);
        const failures = out.match(/"status":"(ERROR|FAILURE)","code":"(?!INVALID_TOKEN)[^"]*","message":"[^"]*"/g);
        expect(failures, out).toBeNull();
        await expectCleanedUp(h());
        expect(readdirSync(dir)).toEqual([]); // no cookie jar left where it ran
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
