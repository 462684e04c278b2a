// The older document (000_…) as keysmith maps it: Account Settings → Access Control → API Keys.
// "Add API Key" takes a name and user groups, creates a service account in those groups with an
// API key and a token, and shows the token once (Eye icon, Copy icon); Edit and Delete icons.
// A failure part-way leaves nothing behind. Edit changes a key's user groups too, and deleting a key
// takes along the service account the flow made for it, so its name can be used again.
import { expect, it } from 'vitest';
import { apiKeysPage, choose, closeList, copyTokenValue, describeConsole, dialog, eventually, expectEnabled, field, openAddApiKey } from './support.js';

describeConsole('console: the older document\'s API Keys page (Access Control → API Keys)', (env) => {
  const scope = () => ({ accountIdentifier: env().h.accountId });
  async function call(token: string, path: string) {
    const res = await fetch(`${env().baseUrl}${path}`, { headers: { 'x-api-key': token } });
    return { status: res.status, body: await res.json().catch(() => null) as any };
  }
  async function group(identifier: string) {
    const res = await env().h.admin.client.get(`/ng/api/user-groups/${identifier}`, { query: scope() });
    expect(res.status).toBe(200);
    return res.body.data;
  }
  async function serviceAccount(identifier: string) {
    return env().h.admin.client.get(`/ng/api/serviceaccount/aggregate/${identifier}`, { query: scope() });
  }
  const keysPage = () => apiKeysPage(env().h.accountId);
  let token = '';

  it('prepares user groups whose rights the keys will take', async () => {
    const admin = env().h.admin.client;
    for (const [identifier, name] of [['deployers', 'Deployers'], ['auditors', 'Auditors']]) {
      const res = await admin.post('/ng/api/user-groups', { identifier, name, users: [], serviceAccounts: [] }, { query: scope() });
      expect(res.status).toBe(200);
    }
    const assigned = await admin.post('/authz/api/roleassignments', {
      resourceGroupIdentifier: '_all_account_level_resources', roleIdentifier: '_account_viewer',
      principal: { identifier: 'deployers', type: 'USER_GROUP' }, disabled: false,
    }, { query: scope() });
    expect(assigned.status).toBe(200);
  });

  it('follows "Create an API Key", steps 1 to 7', async () => {
    const page = await env().signedIn();
    // 1. Click Security, and then click Access Management: Account Settings → Access Control.
    const nav = page.getByRole('navigation', { name: 'Pages' });
    const security = nav.getByRole('button', { name: 'Security', exact: true });
    // Folded away until Security is clicked.
    expect(await security.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.getByRole('link', { name: 'Access Management' }).count()).toBe(0);
    await security.click();
    expect(await security.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Access Management', exact: true }).click();
    await page.getByRole('tab', { name: 'Users' }).waitFor();
    // The page, named Access Control, says it is the one the older words mean, whichever tab is shown.
    const older = page.getByText('Older documentation calls this page Security → Access Management.', { exact: false });
    await older.waitFor();
    // The link it came through is the current page, and only that one (Access Control leads there too).
    await expect.poll(() => nav.locator('[aria-current="page"]').allTextContents()).toEqual(['Access Management']);
    // 2. Click API Keys.
    await page.getByRole('tab', { name: 'API Keys' }).click();
    await page.getByText('No API keys that you can see in this scope').waitFor();
    await older.waitFor();
    // One Add API Key, even with nothing listed.
    expect(await page.getByRole('button', { name: 'Add API Key' }).count()).toBe(1);
    // 3. Click Add API Key.
    const add = await openAddApiKey(page);
    // 4. Enter a name and select your User Group.
    await field(add, 'Name').fill('Jenkins');
    await choose(page, add, 'User Groups', 'Deployers');
    await closeList(page); // close the list of groups, not the dialog
    // 5. Click Submit. The new API key is created.
    await add.getByRole('button', { name: 'Submit' }).click();
    await add.getByText('API Key Jenkins was created for the new service account Jenkins').waitFor();
    // 6. The Eye icon reveals the key's value. 7. The Copy icon copies it.
    token = await copyTokenValue(page, add);
    expect(token).toMatch(/^sat\./);
    await add.getByRole('button', { name: 'Done' }).click();
    await add.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(token);
    // Whoever comes back for step 6 later learns why there is no eye beside the key.
    await page.getByText('only a hash of it is kept, so it cannot be revealed here later', { exact: false }).waitFor();

    // Behind it: a service account in the group, its key and token; the token has the group's rights.
    expect((await group('deployers')).serviceAccounts).toEqual(['Jenkins']);
    expect((await call(token, '/ng/api/user/currentUser')).body.data.uuid).toBe('Jenkins');
    expect((await call(token, `/ng/api/account-settings?accountIdentifier=${env().h.accountId}`)).status).toBe(200);

    // The inventory lists it: owner and its type, the token, its expiry and when it was last used.
    const row = page.locator('[data-row="Jenkins"]');
    await row.getByText('Service account').waitFor();
    await row.getByText('Active').waitFor();
    await eventually(async () => {
      await page.reload();
      await page.locator('[data-row="Jenkins"]').getByText('Last used').waitFor();
      const lastUsed = await page.locator('[data-token="Jenkins"]').innerText();
      expect(lastUsed).toMatch(/Last used\s*(just now|\d+ minutes? ago)/);
    });
  });

  it('steps 1 and 2 by keyboard, and on a phone, where Access Management folds the navigation away', async () => {
    const page = await env().signedIn();
    const nav = page.getByRole('navigation', { name: 'Pages' });
    const security = nav.getByRole('button', { name: 'Security', exact: true });
    const accessManagement = nav.getByRole('link', { name: 'Access Management', exact: true });
    await security.focus();
    await page.keyboard.press('Enter');
    await accessManagement.waitFor();
    expect(await security.getAttribute('aria-expanded')).toBe('true');
    // Space folds it and unfolds it, once each.
    await page.keyboard.press('Space');
    await accessManagement.waitFor({ state: 'hidden' });
    expect(await security.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Space');
    await accessManagement.waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Access Management');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'Users' }).waitFor();
    await expect.poll(() => nav.locator('[aria-current="page"]').allTextContents()).toEqual(['Access Management']);
    // Come by Account Settings' Access Control, and that one is the current page instead.
    await nav.getByRole('link', { name: 'Access Control', exact: true }).click();
    await expect.poll(() => nav.locator('[aria-current="page"]').allTextContents()).toEqual(['Access Control']);
    // Security folded away with the page its link leads to still open: the mark moves to Access Control, in sight, not out of it.
    await accessManagement.click();
    await expect.poll(() => nav.locator('[aria-current="page"]').allTextContents()).toEqual(['Access Management']);
    await security.click();
    await accessManagement.waitFor({ state: 'hidden' });
    expect(await security.getAttribute('aria-expanded')).toBe('false');
    await expect.poll(() => nav.locator('[aria-current="page"]').allTextContents()).toEqual(['Access Control']);

    const phone = await env().signedIn({ width: 390, height: 844 });
    await phone.getByRole('button', { name: 'Open navigation' }).click();
    await phone.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Security', exact: true }).click();
    await phone.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Access Management', exact: true }).click();
    await phone.getByRole('tab', { name: 'Users' }).waitFor();
    // The navigation folded away, out of the page's way.
    await phone.getByRole('button', { name: 'Open navigation' }).waitFor();
    expect(await phone.getByRole('navigation', { name: 'Pages' }).count()).toBe(0);
    await phone.getByRole('tab', { name: 'API Keys' }).click();
    await phone.getByRole('button', { name: 'Add API Key' }).first().waitFor();
    await phone.context().close();
  });

  it('sets the key\'s Delete icon apart from each token\'s: red with the tooltip "Delete", against small and grey in the token\'s own frame', async () => {
    const page = await env().signedIn();
    await page.goto(keysPage());
    const keyDelete = page.getByRole('button', { name: 'Delete API Key Jenkins', exact: true });
    const tokenDelete = page.getByRole('button', { name: 'Delete token Jenkins of Jenkins', exact: true });
    // Disabled (and grey) until the access check answers.
    await expectEnabled(keyDelete);
    await expectEnabled(tokenDelete);
    const look = (button: typeof keyDelete) => button.evaluate((el) => {
      const [r, g, b] = getComputedStyle(el).color.match(/\d+/g)!.map(Number);
      const box = el.getBoundingClientRect();
      return { red: r - Math.max(g, b) > 80, size: box.width * box.height };
    });
    const key = await look(keyDelete);
    const token = await look(tokenDelete);
    expect(key.red).toBe(true);
    expect(token.red).toBe(false);
    expect(token.size).toBeLessThan(key.size);
    await keyDelete.hover();
    await page.getByRole('tooltip').filter({ hasText: /^Delete$/ }).waitFor();
    await tokenDelete.hover();
    await page.getByRole('tooltip').filter({ hasText: /^Delete token Jenkins$/ }).waitFor();

    // The token's Delete is inside the token's bordered frame; the key's Edit and Delete stand
    // outside every token's, clear of it.
    const frame = page.locator('[data-token="Jenkins"]');
    const bordered = await frame.evaluate((el) => {
      const style = getComputedStyle(el);
      return style.borderTopStyle !== 'none' && parseFloat(style.borderTopWidth) > 0 && parseFloat(style.borderRightWidth) > 0;
    });
    expect(bordered).toBe(true);
    const box = async (l: typeof keyDelete) => (await l.boundingBox())!;
    const [frameBox, tokenBox, editBox] = [await box(frame), await box(tokenDelete), await box(page.getByRole('button', { name: 'Edit API Key Jenkins', exact: true }))];
    expect(tokenBox.x).toBeGreaterThanOrEqual(frameBox.x);
    expect(tokenBox.x + tokenBox.width).toBeLessThanOrEqual(frameBox.x + frameBox.width);
    expect(await page.locator('[data-token]').getByRole('button', { name: /API Key/ }).count()).toBe(0);
    expect(editBox.x - (frameBox.x + frameBox.width)).toBeGreaterThanOrEqual(12);
  });

  it('shows the rights a key of Add API Key has through its user group, on the service account\'s page and in the list', async () => {
    const page = await env().signedIn();
    await page.goto(`/account-settings/access-control/service-accounts?accountIdentifier=${env().h.accountId}`);
    // Not "None": its roles come from the group.
    await page.locator('[data-row="Jenkins"]').getByText('Through group: Deployers').waitFor();
    await page.locator('[data-row="Jenkins"]').getByRole('link', { name: 'Jenkins' }).click();
    await page.getByText('No roles of its own in this scope').waitFor();
    const groups = page.getByRole('table', { name: 'User groups of Service account Jenkins' });
    await groups.locator('[data-row="deployers"]').getByText('Deployers', { exact: true }).waitFor();
    await groups.locator('[data-row="deployers"]').getByText('Account Viewer · All Account Level Resources').waitFor();
  });

  it('lists personal keys too, with their owner, description and tags', async () => {
    const admin = env().h.admin.client;
    const created = await admin.post('/ng/api/apikey', {
      identifier: 'personal', name: 'My laptop', description: 'Scripts on my laptop', tags: { env: 'dev' },
      apiKeyType: 'USER', parentIdentifier: env().h.admin.id, ...scope(),
    }, { query: scope() });
    expect(created.status).toBe(200);
    const page = await env().signedIn();
    await page.goto(`/account-settings/access-control/api-keys?accountIdentifier=${env().h.accountId}`);
    const row = page.locator('[data-row="personal"]');
    await row.getByText('User (personal)').waitFor();
    await row.getByText('No tokens').waitFor();
    await row.getByText('Scripts on my laptop').waitFor();
    await row.getByText('env:dev', { exact: true }).waitFor();

    // Deleting one of its tokens names the key by its name, not its Id.
    const token = await admin.post('/ng/api/token', {
      identifier: 'mob_tok', name: 'mob tok', apiKeyIdentifier: 'personal', apiKeyType: 'USER', parentIdentifier: env().h.admin.id, ...scope(),
    }, { query: scope() });
    expect(token.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: 'Delete token mob tok of My laptop' }).click();
    const confirm = dialog(page, 'Delete Token');
    await confirm.getByText('Delete the Token mob tok (Id mob_tok) of API Key My laptop? Anything using it stops working at once. This cannot be undone.').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });

    // Rotated with a grace period: the new token first, as the key's panel lists them (the API's
    // order puts rotated_… first here), and the rotated one's Delete says which it is (both have the
    // same name).
    const owner = { ...scope(), apiKeyType: 'USER', parentIdentifier: env().h.admin.id, apiKeyIdentifier: 'personal' };
    expect((await admin.post('/ng/api/token', { identifier: 'sync_tok', name: 'sync tok', ...owner }, { query: scope() })).status).toBe(200);
    const rotated = await admin.post('/ng/api/token/rotate/sync_tok', undefined, { query: { ...owner, rotateTimestamp: String(Date.now() + 3_600_000) } });
    expect(rotated.status, rotated.text).toBe(200);
    const listed = (await admin.get('/ng/api/token/aggregate', { query: owner })).body.data.content.map((t: any) => t.token.identifier);
    const renamed = listed.find((id: string) => id.startsWith('rotated_'));
    expect(listed.indexOf(renamed)).toBeLessThan(listed.indexOf('sync_tok'));
    await page.reload();
    await row.locator('[data-token="sync_tok"]').waitFor();
    expect(await row.locator('[data-token]').evaluateAll((frames) => frames.map((f) => f.getAttribute('data-token'))))
      .toEqual(['sync_tok', renamed, 'mob_tok']);
    await row.locator(`[data-token="${renamed}"]`).getByText('Rotated').waitFor();
    await page.getByRole('button', { name: 'Delete token sync tok (rotated) of My laptop' }).click();
    const confirmRotated = dialog(page, 'Delete Token');
    await confirmRotated.getByText(`Delete the Token sync tok (Id ${renamed}) of API Key My laptop? Anything using it stops working at once.`).waitFor();
    await confirmRotated.getByRole('button', { name: 'Cancel' }).click();
    await confirmRotated.waitFor({ state: 'hidden' });
  });

  it('follows "Edit an API Key": the Edit icon, then Submit; the key\'s user groups change there too', async () => {
    const page = await env().signedIn();
    await page.goto(keysPage());
    await page.getByRole('button', { name: 'Edit API Key Jenkins' }).click();
    const edit = dialog(page, 'Edit API Key');
    await field(edit, 'Name').fill('Jenkins prod');
    // Its rights: the groups of its service account, Deployers for now. Swap it for Auditors, which has no role.
    await choose(page, edit, 'User Groups', 'Auditors');
    await choose(page, edit, 'User Groups', 'Deployers');
    await closeList(page);
    await edit.getByText('Auditors has no role').waitFor();
    await edit.getByRole('button', { name: 'Submit' }).click();
    await edit.waitFor({ state: 'hidden' });
    // The key's name, and its owner's: the service account's name follows the key's.
    await expect.poll(() => page.locator('[data-row="Jenkins"]').getByText('Jenkins prod', { exact: true }).count()).toBe(2);

    expect((await group('auditors')).serviceAccounts).toEqual(['Jenkins']);
    expect((await group('deployers')).serviceAccounts).toEqual([]);
    // The token lost the rights Deployers gave.
    expect((await serviceAccount('Jenkins')).body.data.serviceAccount.name).toBe('Jenkins prod');
    expect((await call(token, `/ng/api/account-settings?accountIdentifier=${env().h.accountId}`)).status).toBe(403);
  });

  it('step 8: the Delete icon deletes the API key, naming its tokens, and the service account made for it', async () => {
    const page = await env().signedIn();
    await page.goto(keysPage());
    await page.getByRole('button', { name: 'Delete API Key Jenkins prod' }).click();
    const confirm = dialog(page, 'Delete API Key');
    await confirm.getByText('Delete the API Key Jenkins prod of service account Jenkins prod and its 1 token?').waitFor();
    await confirm.getByText('Add API Key made the service account Jenkins prod for this key alone, so it is deleted too and leaves the user group Auditors; a new key may then take the same name. This cannot be undone.').waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-row="Jenkins"]').waitFor({ state: 'detached' });
    expect((await call(token, '/ng/api/user/currentUser')).status).toBe(401);
    await eventually(async () => expect((await serviceAccount('Jenkins')).status).toBe(404));
    expect((await group('auditors')).serviceAccounts).toEqual([]);
  });

  it('adds a key of the same name again after deleting it', async () => {
    const page = await env().signedIn();
    await page.goto(keysPage());
    const add = await openAddApiKey(page);
    await field(add, 'Name').fill('Jenkins');
    await choose(page, add, 'User Groups', 'Deployers');
    await closeList(page);
    await add.getByRole('button', { name: 'Submit' }).click();
    await add.getByText('API Key Jenkins was created for the new service account Jenkins').waitFor();
    await add.getByRole('button', { name: 'Done' }).click();
    expect((await group('deployers')).serviceAccounts).toEqual(['Jenkins']);
  });

  it('never deletes a service account that Add API Key did not make', async () => {
    const admin = env().h.admin.client;
    const sa = await admin.post('/ng/api/serviceaccount', {
      identifier: 'builder', name: 'builder', email: 'builder@example.com', description: 'made by hand', tags: {}, ...scope(),
    }, { query: scope() });
    expect(sa.status).toBe(200);
    const key = await admin.post('/ng/api/apikey', {
      identifier: 'builder', name: 'builder', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'builder', ...scope(),
    }, { query: scope() });
    expect(key.status).toBe(200);
    const page = await env().signedIn();
    await page.goto(keysPage());
    await page.getByRole('button', { name: 'Delete API Key builder' }).click();
    const confirm = dialog(page, 'Delete API Key');
    // It has no token: the confirmation says nothing about tokens.
    await confirm.getByText('Delete the API Key builder of service account builder?').waitFor();
    expect(await confirm.getByText('Add API Key made').count()).toBe(0);
    expect(await confirm.getByText('token').count()).toBe(0);
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-row="builder"]').waitFor({ state: 'detached' });
    expect((await serviceAccount('builder')).status).toBe(200);
  });

  it('undoes every step when one fails part-way, and says what failed', async () => {
    const page = await env().signedIn();
    await page.goto(`/account-settings/access-control/api-keys?accountIdentifier=${env().h.accountId}`);
    const before = { deployers: await group('deployers'), auditors: await group('auditors') };
    // The last step (generating the token) fails.
    await page.route('**/ng/api/token?**', (route) => route.request().method() === 'POST'
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ status: 'ERROR', code: 'UNKNOWN_ERROR', message: 'disk full' }) })
      : route.continue());
    const add = await openAddApiKey(page);
    await field(add, 'Name').fill('Broken');
    await choose(page, add, 'User Groups', 'Deployers');
    await choose(page, add, 'User Groups', 'Auditors');
    await closeList(page);
    await add.getByRole('button', { name: 'Submit' }).click();
    await add.getByRole('alert').getByText('"Generate its token" failed').waitFor();
    await add.getByText('Everything done before it was undone, so nothing was left behind.').waitFor();

    const sa = await env().h.admin.client.get('/ng/api/serviceaccount/aggregate/Broken', { query: scope() });
    expect(sa.status).toBe(404);
    expect((await group('deployers')).serviceAccounts).toEqual(before.deployers.serviceAccounts);
    expect((await group('auditors')).serviceAccounts).toEqual(before.auditors.serviceAccounts);
    const keys = await env().h.admin.client.get('/ng/api/apikey', { query: { ...scope(), apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'Broken' } });
    expect(keys.body.data ?? []).toEqual([]);
  });
}, { env: { KEYSMITH_API_KEY_QPS: '100', KEYSMITH_LAST_USED_FLUSH_MS: '200' } });
