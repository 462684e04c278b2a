// The newer document's procedures for service account API keys and tokens, in a real browser:
// Account Settings → Access Control → Service Accounts → the service account → API Key → Save →
// Token → Set Expiration Date → Generate Token → copy; Edit, Rotate Token and Delete. The service
// account's role assignment is made on the same page, and each token is checked outside the browser.
import { expect, it } from 'vitest';
import { choose, copyTokenValue, describeConsole, dialog, field, moreOptions } from './support.js';

const YEAR = new Date().getFullYear() + 4;

describeConsole('console: service account API keys and tokens (Access Control → Service Accounts)', (env) => {
  async function call(token: string, path: string) {
    const res = await fetch(`${env().baseUrl}${path}`, { headers: { 'x-api-key': token } });
    return { status: res.status, body: await res.json().catch(() => null) as any };
  }
  async function saTokens() {
    const res = await env().h.admin.client.get('/ng/api/token/aggregate', {
      query: { accountIdentifier: env().h.accountId, apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'deploy_bot' },
    });
    expect(res.status).toBe(200);
    return res.body.data.content as any[];
  }
  let firstToken = '';

  it('creates a service account and gives it a role', async () => {
    const page = await env().signedIn();
    await page.getByRole('link', { name: 'Account Settings' }).first().click();
    await page.getByRole('heading', { name: 'Account Settings' }).waitFor();
    await page.getByRole('link', { name: 'Access Control' }).last().click();
    await page.getByRole('tab', { name: 'Service Accounts' }).click();
    await page.getByText('No service accounts that you can see in this scope').waitFor();
    await page.getByRole('button', { name: 'New Service Account' }).first().click();
    const create = dialog(page, 'New Service Account');
    await field(create, 'Name').fill('deploy bot');
    expect(await field(create, 'Id').inputValue()).toBe('deploy_bot');
    expect(await field(create, 'Email').inputValue()).toBe('deploy_bot@service.keysmith.local');
    await create.getByRole('button', { name: 'Save' }).click();
    // A new service account opens on its own page, which says what comes next, in the page rather
    // than in a notice over its buttons (one covered + API Key); said once, not again on a reload.
    await page.getByRole('heading', { name: 'deploy bot' }).waitFor();
    const created = page.getByRole('status').filter({ hasText: 'Service account deploy bot created. Give it roles, then add API keys.' });
    await created.waitFor();
    expect(await page.locator('.mantine-Notification-root').count()).toBe(0);
    const addKey = page.getByRole('button', { name: 'API Key', exact: true }).first();
    const box = (await addKey.boundingBox())!;
    expect(await page.evaluate(([x, y]) => !!document.elementFromPoint(x, y)?.closest('button')?.textContent?.includes('API Key'),
      [box.x + box.width / 2, box.y + box.height / 2])).toBe(true);
    await page.reload();
    await page.getByRole('heading', { name: 'deploy bot' }).waitFor();
    await page.getByRole('heading', { name: 'API Keys' }).waitFor();
    expect(await created.count()).toBe(0);

    await page.getByRole('button', { name: 'Assign Role' }).click();
    const assign = dialog(page, 'Assign Role to service account deploy bot');
    await choose(page, assign, 'Role', 'Account Viewer (managed)');
    await choose(page, assign, 'Resource group', 'All Account Level Resources');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await assign.waitFor({ state: 'hidden' });
    await page.getByRole('table', { name: 'Role assignments of service account deploy bot' }).getByText('Account Viewer').waitFor();
  });

  it('follows "Create service account API keys and tokens", steps 2 to 10', async () => {
    const page = await env().signedIn({ timezoneId: 'Asia/Tokyo' });
    // 2. Select Account Settings, and then select Access Control.
    await page.getByRole('button', { name: /User menu for/ }).click();
    await page.getByRole('menuitem', { name: 'Account Settings' }).click();
    await page.getByRole('link', { name: 'Access Control' }).last().click();
    // 3. Select Service Accounts in the header, and then select the service account.
    await page.getByRole('tab', { name: 'Service Accounts' }).click();
    await page.getByRole('link', { name: 'deploy bot' }).click();
    await page.getByRole('heading', { name: 'API Keys' }).waitFor();
    // 4. Under API Keys, select API Key.
    await page.getByRole('button', { name: 'API Key', exact: true }).first().click();
    const keyDialog = dialog(page, 'New API Key');
    // 5. Enter a Name. 6. Select Save.
    await field(keyDialog, 'Name').fill('GitHub Actions');
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.waitFor({ state: 'hidden' });
    const card = page.getByRole('region', { name: 'API Key GitHub Actions' });
    // 7. Select Token under the new API key. 8. Enter a Name.
    await card.getByRole('button', { name: 'Token', exact: true }).click();
    const tokenDialog = dialog(page, 'New Token for GitHub Actions');
    await field(tokenDialog, 'Name').fill('main branch');
    // 9. Set Expiration Date, mm/dd/yyyy.
    await tokenDialog.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    await field(tokenDialog, 'Expiration Date').fill(`03/15/${YEAR}`);
    await field(tokenDialog, 'Expiration Date').press('Tab');
    // 10. Select Generate Token and copy the token.
    await tokenDialog.getByRole('button', { name: 'Generate Token' }).click();
    await tokenDialog.getByText('The token is only displayed once.', { exact: false }).waitFor();
    firstToken = await copyTokenValue(page, tokenDialog);
    expect(firstToken).toMatch(/^sat\.[A-Za-z0-9]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20}$/);
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await tokenDialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(firstToken);

    // The token acts as the service account, with the service account's role.
    const me = await call(firstToken, '/ng/api/user/currentUser');
    expect(me.status).toBe(200);
    expect(me.body.data.uuid).toBe('deploy_bot');
    const settings = await call(firstToken, `/ng/api/account-settings?accountIdentifier=${env().h.accountId}`);
    expect(settings.status).toBe(200); // Account Viewer holds core_account_view
    // The end of March 15th in Tokyo (UTC+9, no daylight saving).
    const [stored] = await saTokens();
    expect(stored.token.validTo).toBe(Date.UTC(YEAR, 2, 15, 14, 59, 59, 999));
    await card.locator('[data-row="main_branch"]').getByText('Active').waitFor();
  });

  it('follows "Edit service account API keys" and "Edit service account tokens"', async () => {
    const page = await env().signedIn();
    await page.goto(`/account-settings/access-control/service-accounts/deploy_bot?accountIdentifier=${env().h.accountId}`);
    await moreOptions(page, 'API Key GitHub Actions', 'Edit');
    const keyDialog = dialog(page, 'Edit API Key');
    expect(await field(keyDialog, 'Id').getAttribute('readonly')).not.toBeNull();
    await field(keyDialog, 'Name').fill('GitHub');
    await field(keyDialog, 'Tags').fill('ci:github');
    await field(keyDialog, 'Tags').press('Enter');
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.waitFor({ state: 'hidden' });
    const card = page.getByRole('region', { name: 'API Key GitHub' });
    await card.getByText('ci:github', { exact: true }).waitFor();

    // 3. Select the API key that has the token. 4. More Options → Edit.
    await moreOptions(page, 'Token main branch', 'Edit');
    const tokenDialog = dialog(page, 'Edit Token');
    expect(await field(tokenDialog, 'Id').inputValue()).toBe('main_branch');
    await field(tokenDialog, 'Name').fill('main');
    await tokenDialog.getByRole('button', { name: 'Save' }).click();
    await tokenDialog.waitFor({ state: 'hidden' });
    await card.locator('[data-row="main_branch"]').getByText('main', { exact: true }).waitFor();
    const [stored] = await saTokens();
    expect(stored.token.name).toBe('main');
  });

  it('follows "Rotate service account tokens"', async () => {
    const page = await env().signedIn();
    await page.goto(`/account-settings/access-control/service-accounts/deploy_bot?accountIdentifier=${env().h.accountId}`);
    await moreOptions(page, 'Token main', 'Rotate Token');
    const rotate = dialog(page, 'Rotate Token main');
    await rotate.getByRole('radio', { name: '24 hours' }).check();
    await rotate.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    await field(rotate, 'Expiration Date').fill(`04/01/${YEAR}`);
    await field(rotate, 'Expiration Date').press('Tab');
    await rotate.getByRole('button', { name: 'Rotate Token' }).click();
    const second = await copyTokenValue(page, rotate);
    expect(second).toMatch(/^sat\./);
    await rotate.getByRole('button', { name: 'Done' }).click();
    expect((await call(second, '/ng/api/user/currentUser')).status).toBe(200);
    expect((await call(firstToken, '/ng/api/user/currentUser')).status).toBe(200); // in its 24-hour grace period
    const tokens = await saTokens();
    const old = tokens.find((t) => t.token.identifier.startsWith('rotated_'));
    expect(old.token.scheduledExpireTime).toBeGreaterThan(Date.now() + 23 * 3600_000);
    firstToken = second;
  });

  it('follows "Delete service account tokens" and "Delete service account API keys", then deletes the service account', async () => {
    const page = await env().signedIn();
    await page.goto(`/account-settings/access-control/service-accounts/deploy_bot?accountIdentifier=${env().h.accountId}`);
    const card = page.getByRole('region', { name: 'API Key GitHub' });
    await moreOptions(page, 'Token main', 'Delete');
    const confirmToken = dialog(page, 'Delete Token');
    await confirmToken.getByRole('button', { name: 'Delete' }).click();
    await confirmToken.waitFor({ state: 'hidden' });
    await card.locator('[data-row="main_branch"]').waitFor({ state: 'detached' });
    expect((await call(firstToken, '/ng/api/user/currentUser')).status).toBe(401);

    await moreOptions(page, 'API Key GitHub', 'Delete');
    const confirmKey = dialog(page, 'Delete API Key');
    // The rotated one, still in its grace period, said as the card counts it (apart from the others).
    await confirmKey.getByText('Delete the API Key GitHub and its 1 token (rotated, in its grace period)?').waitFor();
    await confirmKey.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No API keys yet').waitFor();
    expect(await saTokens()).toEqual([]);

    // Edit, then delete, the service account from the list; the confirmation names what goes.
    await page.getByRole('link', { name: 'Service Accounts' }).click();
    await moreOptions(page, 'service account deploy bot', 'Edit');
    const edit = dialog(page, 'Edit Service Account');
    expect(await field(edit, 'Email').getAttribute('readonly')).not.toBeNull();
    await field(edit, 'Description').fill('Deploys from CI');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'hidden' });
    // The list shows its description.
    await page.locator('[data-row="deploy_bot"]').getByText('Deploys from CI').waitFor();
    await moreOptions(page, 'service account deploy bot', 'Delete');
    // Titled as the button and the other confirmations are ("Delete API Key", "Delete Token").
    const confirmSa = dialog(page, /^Delete Service Account$/);
    // It has no API key left: nothing is said about keys.
    await confirmSa.getByText('Delete the service account deploy bot (Id deploy_bot)? This cannot be undone.').waitFor();
    expect(await confirmSa.getByText('API key').count()).toBe(0);
    await confirmSa.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No service accounts that you can see in this scope').waitFor();
  });

  it('deletes a service account from its own page and lands on the list, without asking for the deleted account again', async () => {
    const account = env().h.accountId;
    const made = await env().h.admin.client.post('/ng/api/serviceaccount', {
      identifier: 'short_lived', name: 'short lived', email: 'short_lived@service.keysmith.local', accountIdentifier: account,
    }, { query: { accountIdentifier: account } });
    expect(made.status, made.text).toBe(200);
    const page = await env().signedIn();
    await page.goto(`${env().baseUrl}/account-settings/access-control/service-accounts/short_lived?accountIdentifier=${account}`);
    await page.getByRole('heading', { name: 'short lived' }).waitFor();
    // A key added on this page is counted at once by the confirmation (no reload in between).
    await page.getByRole('button', { name: 'API Key', exact: true }).first().click();
    const keyDialog = dialog(page, 'New API Key');
    await field(keyDialog, 'Name').fill('last key');
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'API Key last key' }).waitFor();
    const refused: string[] = [];
    page.on('response', (res) => { if (res.status() >= 400) refused.push(`${res.status()} ${res.url()}`); });
    await page.getByRole('button', { name: 'Delete Service Account', exact: true }).click();
    const confirm = dialog(page, /^Delete Service Account$/);
    await confirm.getByText(/and its 1 API key with all their/).waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('tab', { name: 'Service Accounts', selected: true }).waitFor();
    await page.locator('[data-row="short_lived"]').waitFor({ state: 'detached' });
    // The keyboard goes on from the list, not from the top of the page.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Service accounts');
    await page.waitForLoadState('networkidle');
    expect(refused).toEqual([]);
  });
}, { env: { KEYSMITH_API_KEY_QPS: '100' } });
