#!/usr/bin/env node
// Renders screenshots of the console's main pages into docs/screenshots/, at 1280 px and 390 px
// wide: starts keysmith on a temporary data directory, fills it with example data through the API,
// signs in with Debian's Chromium (playwright-core) and visits the pages.
//
//   node scripts/screenshots.mjs            (builds first if the sources changed)
import { spawn, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
/* global URLSearchParams */

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUT = 'docs/screenshots';
const EMAIL = 'admin@example.com';
const PASSWORD = 'screenshots-password-1';

if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  process.exit(1);
}
execSync('node scripts/ensure-built.mjs', { stdio: 'inherit' });
mkdirSync(OUT, { recursive: true });

const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-shots-'));
const server = spawn(process.execPath, ['bin/keysmith.js', 'serve'], {
  env: {
    ...process.env, KEYSMITH_DATA_DIR: dataDir, KEYSMITH_PORT: '0', KEYSMITH_HOST: '127.0.0.1', KEYSMITH_ADMIN_EMAIL: EMAIL,
    KEYSMITH_ADMIN_PASSWORD: PASSWORD, KEYSMITH_API_KEY_QPS: '100', KEYSMITH_LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stop = () => { if (server.exitCode === null) server.kill('SIGTERM'); };
process.on('exit', () => { stop(); rmSync(dataDir, { recursive: true, force: true }); });

const baseUrl = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`keysmith did not start:\n${out}`)), 60_000);
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const m = /running at (http:\/\/\S+)/.exec(out);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  server.on('exit', (code) => reject(new Error(`keysmith exited with ${code}:\n${out}`)));
});

// ---- example data, through the API as the console would send it ----
let cookie = '';
let csrf = '';
async function call(method, path, body, query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null)).toString();
  const res = await fetch(`${baseUrl}${path}${qs ? `?${qs}` : ''}`, {
    method,
    headers: { 'content-type': 'application/json', cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.headers.get('set-cookie')) cookie = res.headers.get('set-cookie').split(';')[0];
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return json?.data;
}
async function seed(label, fn) {
  try { return await fn(); } catch (e) { console.warn(`  (example data: ${label} skipped: ${e.message})`); return null; }
}

const session = await call('POST', '/api/auth/login', { email: EMAIL, password: PASSWORD });
csrf = session.csrfToken;
const account = session.defaultAccountId;
const A = { accountIdentifier: account };
const DAY = 24 * 3600_000;

await seed('organization', () => call('POST', '/ng/api/organizations', { organization: { identifier: 'engineering', name: 'Engineering', description: 'Product engineering', tags: { cost: 'eng' } } }, A));
await seed('project', () => call('POST', '/ng/api/projects', { project: { identifier: 'payments', orgIdentifier: 'engineering', name: 'Payments', color: '#0ca678', description: 'Card payments service', tags: {} } }, { ...A, orgIdentifier: 'engineering' }));
const alice = await seed('user', () => call('POST', '/ng/api/user', { email: 'alice@example.com', name: 'Alice Martin', password: 'alice-password-1' }, A));
await seed('user', () => call('POST', '/ng/api/user', { email: 'bob@example.com', name: 'Bob Chen', password: 'bob-password-12' }, A));
await seed('service account', () => call('POST', '/ng/api/serviceaccount', { identifier: 'deploy_bot', name: 'deploy-bot', email: 'deploy_bot@service.keysmith.local', description: 'Deploys from CI', tags: { team: 'platform' }, ...A }, A));
await seed('service account', () => call('POST', '/ng/api/serviceaccount', { identifier: 'metrics_reader', name: 'metrics-reader', email: 'metrics_reader@service.keysmith.local', description: 'Reads dashboards', tags: {}, ...A }, A));
await seed('user group', () => call('POST', '/ng/api/user-groups', { identifier: 'release_managers', name: 'Release managers', description: 'Can deploy', tags: {}, users: alice ? [alice.uuid] : [], serviceAccounts: ['deploy_bot'] }, A));
await seed('role assignment', () => call('POST', '/authz/api/roleassignments', { resourceGroupIdentifier: '_all_account_level_resources', roleIdentifier: '_account_viewer', principal: { identifier: 'deploy_bot', type: 'SERVICE_ACCOUNT' }, disabled: false }, A));
await seed('role', () => call('POST', '/authz/api/roles', { identifier: 'key_auditor', name: 'Key auditor', permissions: ['core_serviceaccount_view', 'core_audit_view', 'core_user_view'], allowedScopeLevels: ['account'], description: 'Reviews keys and the audit trail', tags: {} }, A));

const userKey = (identifier, name, description) => call('POST', '/ng/api/apikey', { identifier, name, description, tags: { env: 'prod' }, apiKeyType: 'USER', parentIdentifier: session.uuid, defaultTimeToExpireToken: 30 * DAY, ...A }, A);
const token = (apiKeyIdentifier, parentIdentifier, apiKeyType, identifier, name, validTo) => call('POST', '/ng/api/token', { identifier, name, description: '', tags: {}, apiKeyIdentifier, parentIdentifier, apiKeyType, validTo, ...A }, A);
await seed('personal keys', async () => {
  await userKey('terraform', 'terraform', 'Terraform provider runs');
  await token('terraform', session.uuid, 'USER', 'laptop', 'laptop', Date.now() + 90 * DAY);
  const value = await token('terraform', session.uuid, 'USER', 'ci_runner', 'ci-runner', undefined);
  await fetch(`${baseUrl}/ng/api/user/currentUser`, { headers: { 'x-api-key': value } }); // "last used"
  await call('POST', '/ng/api/token/rotate/ci_runner', undefined, { ...A, apiKeyType: 'USER', parentIdentifier: session.uuid, apiKeyIdentifier: 'terraform', rotateTimestamp: Date.now() + DAY });
  await userKey('scripts', 'local scripts', 'curl scripts from the docs');
});
await seed('service account keys', async () => {
  await call('POST', '/ng/api/apikey', { identifier: 'ci', name: 'ci', description: 'GitHub Actions', tags: {}, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'deploy_bot', defaultTimeToExpireToken: 30 * DAY, ...A }, A);
  await token('ci', 'deploy_bot', 'SERVICE_ACCOUNT', 'main_branch', 'main-branch', Date.now() + 60 * DAY);
  await token('ci', 'deploy_bot', 'SERVICE_ACCOUNT', 'release', 'release', Date.now() + 5 * DAY);
});

// ---- the pages ----
const browser = await chromium.launch({
  executablePath: CHROMIUM, headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const q = `?accountIdentifier=${account}`;
const shots = [];

async function shoot(width, name, path, prepare) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: width > 500 ? 860 : 844 }, locale: 'en-US', timezoneId: 'UTC', deviceScaleFactor: 1 });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  try {
    if (path === null) {
      await page.goto('/');
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    } else {
      await page.goto('/');
      await page.getByRole('textbox', { name: 'Email', exact: true }).fill(EMAIL);
      await page.getByRole('textbox', { name: 'Password', exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'My Profile' }).waitFor();
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await page.locator('[role=status]').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    }
    if (prepare) await prepare(page);
    await page.waitForTimeout(300); // let transitions settle before the picture
    const file = join(OUT, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: !prepare });
    shots.push(file);
  } catch (e) {
    console.warn(`  ${name} at ${width} px failed: ${e.message}`);
  } finally {
    await context.close();
  }
}

const generateToken = async (page) => {
  await page.getByRole('region', { name: 'API Key local scripts' }).getByRole('button', { name: 'Token', exact: true }).click();
  const d = page.getByRole('dialog');
  await d.getByRole('textbox', { name: 'Name', exact: true }).fill(`docs example ${page.viewportSize().width}`);
  await d.getByRole('button', { name: 'Generate Token' }).click();
  await d.getByTestId('token-value').waitFor();
};
const addApiKey = async (page) => {
  await page.getByRole('button', { name: 'Add API Key' }).first().click();
  const d = page.getByRole('dialog');
  await d.getByRole('textbox', { name: 'Name', exact: true }).fill('Jenkins');
  await d.getByRole('textbox', { name: 'User Groups' }).click().catch(() => undefined);
};

for (const width of [1280, 390]) {
  await shoot(width, 'login', null);
  await shoot(width, 'my-api-keys', `/profile${q}`);
  await shoot(width, 'token-generated', `/profile${q}`, generateToken);
  await shoot(width, 'service-account', `/account-settings/access-control/service-accounts/deploy_bot${q}`);
  await shoot(width, 'api-keys-inventory', `/account-settings/access-control/api-keys${q}`);
  if (width === 1280) {
    await shoot(width, 'add-api-key', `/account-settings/access-control/api-keys${q}`, addApiKey);
    await shoot(width, 'service-accounts', `/account-settings/access-control/service-accounts${q}`);
    await shoot(width, 'users', `/account-settings/access-control/users${q}`);
    await shoot(width, 'user-groups', `/account-settings/access-control/user-groups${q}`);
    await shoot(width, 'roles', `/account-settings/access-control/roles${q}`);
    await shoot(width, 'resource-groups', `/account-settings/access-control/resource-groups${q}`);
    await shoot(width, 'organizations', `/account-settings/organizations${q}`);
    await shoot(width, 'projects', `/account-settings/projects${q}`);
    await shoot(width, 'audit-trail', `/account-settings/audit-trail${q}`);
    await shoot(width, 'account-settings', `/account-settings${q}`);
  }
}

await browser.close();
stop();
console.log(`wrote ${shots.length} screenshots to ${OUT}/`);
for (const s of shots) console.log(`  ${s}`);
