// The rest of the console in a real browser: organizations and projects, the scope switcher,
// users, user groups, roles, resource groups, the audit trail, account settings, errors in words
// (a 403 names the missing permission), and every page at 1280 and 390 px without sideways scrolling.
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { choose, closeList, describeConsole, dialog, expectDisabled, field, horizontalOverflow, hoverForTooltip, moreOptions, titleOf, UI_TIMEOUT } from './support.js';

describeConsole('console: organizations, projects, access control, audit trail, settings', (env) => {
  const account = () => env().h.accountId;
  const url = (path: string, extra = '') => `${path}?accountIdentifier=${account()}${extra}`;

  /** Signs in as the admin and makes a user with New User on the Users tab; the page, on that tab. */
  async function createUserInConsole(name: string, email: string, password: string) {
    const page = await env().signedIn();
    await page.goto(url('/account-settings/access-control/users'));
    await page.getByRole('button', { name: 'New User' }).click();
    const create = dialog(page, 'New User');
    await field(create, 'Name').fill(name);
    await field(create, 'Email').fill(email);
    await field(create, 'Initial password').fill(password);
    await create.getByRole('button', { name: 'Save' }).click();
    await create.waitFor({ state: 'hidden' });
    return page;
  }

  it('creates, edits and deletes organizations and projects, and the scope switcher scopes every page', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings/organizations'));
    await page.getByRole('button', { name: 'New Organization' }).first().click();
    const create = dialog(page, 'New Organization');
    await field(create, 'Name').fill('Research');
    await field(create, 'Description').fill('R and D');
    await create.getByRole('button', { name: 'Save' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.locator('[data-row="Research"]').getByText('R and D').waitFor();

    await moreOptions(page, 'organization Research', 'Edit');
    const edit = dialog(page, 'Edit Organization');
    expect(await field(edit, 'Id').getAttribute('readonly')).not.toBeNull();
    await field(edit, 'Description').fill('Research and development');
    await edit.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-row="Research"]').getByText('Research and development').waitFor();

    // Switch the scope to the organization: the badge and the URL follow, and so do the pages.
    await page.getByRole('combobox', { name: 'Organization' }).selectOption('Research');
    await page.waitForURL(/orgIdentifier=Research/);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByTestId('scope-badge').filter({ hasText: 'Organization: Research' }).waitFor();
    await page.getByText('Projects of organization Research.').waitFor();
    await page.getByRole('button', { name: 'New Project' }).first().click();
    const project = dialog(page, 'New Project');
    await field(project, 'Name').fill('Vision');
    await project.getByRole('button', { name: 'Save' }).click();
    await project.waitFor({ state: 'hidden' });
    await page.locator('[data-row="Vision"]').waitFor();
    await page.getByRole('combobox', { name: 'Project' }).selectOption('Vision');
    await page.getByTestId('scope-badge').filter({ hasText: 'Project: Research / Vision' }).waitFor();

    // A personal key made now lives in the project.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'My Profile', exact: true }).click();
    await page.getByRole('button', { name: 'API Key', exact: true }).first().click();
    const key = dialog(page, 'New API Key');
    await field(key, 'Name').fill('vision key');
    await key.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('region', { name: 'API Key vision key' }).waitFor();
    const keys = await env().h.admin.client.get('/ng/api/apikey', {
      query: { accountIdentifier: account(), orgIdentifier: 'Research', projectIdentifier: 'Vision', apiKeyType: 'USER', parentIdentifier: env().h.admin.id },
    });
    expect(keys.body.data).toMatchObject([{ identifier: 'vision_key', orgIdentifier: 'Research', projectIdentifier: 'Vision' }]);
    // ...and is not shown at account scope.
    await page.getByRole('combobox', { name: 'Organization' }).selectOption({ label: 'None (account level)' });
    await page.getByText('No API keys yet').waitFor();

    // Deleting asks first and says what goes with it.
    await page.goto(url('/account-settings/projects', '&orgIdentifier=Research'));
    await moreOptions(page, 'project Vision', 'Delete');
    const confirmProject = dialog(page, 'Delete Project');
    await confirmProject.getByText('every API key and token created in it', { exact: false }).waitFor();
    await confirmProject.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No projects').waitFor();
    await page.goto(url('/account-settings/organizations'));
    await moreOptions(page, 'organization Research', 'Delete');
    await dialog(page, 'Delete Organization').getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-row="Research"]').waitFor({ state: 'detached' });
  });

  it("takes a person's name as people write it (accents, apostrophes), as the server does", async () => {
    const page = await createUserInConsole('Zoë O’Brien-Łukasz', 'zoe.obrien@example.com', 'zoe-password-1');
    await page.locator('[data-row="zoe.obrien@example.com"]').getByText('Zoë O’Brien-Łukasz').waitFor();
    // The message saying so can be closed by a button that says what it does.
    await page.getByRole('alert').filter({ hasText: 'User Zoë O’Brien-Łukasz created' }).getByRole('button', { name: 'Close this message' }).click();
    await page.getByRole('alert').filter({ hasText: 'User Zoë O’Brien-Łukasz created' }).waitFor({ state: 'detached' });
  });

  it('creates, disables, enables and deletes users; a 403 names the missing permission', async () => {
    const page = await createUserInConsole('Carol Diaz', 'carol@example.com', 'carol-password-1');
    await page.locator('[data-row="carol@example.com"]').getByText('Active').waitFor();

    // Carol has no roles: creating a service account is refused, and the page says why. (The console
    // would not offer it to her: without its access check, which fails here, it does, and the server decides.)
    const carol = await env().signedIn({ email: 'carol@example.com', password: 'carol-password-1' });
    await carol.route('**/authz/api/acl', (route) => route.abort());
    await carol.goto(url('/account-settings/access-control/service-accounts'));
    // She sees none, which is not to say there are none.
    await carol.getByText('No service accounts that you can see in this scope').waitFor();
    await carol.getByRole('button', { name: 'New Service Account' }).first().click();
    const sa = dialog(carol, 'New Service Account');
    await field(sa, 'Name').fill('carol bot');
    await sa.getByRole('button', { name: 'Save' }).click();
    await sa.getByRole('alert').getByText('You are not allowed to do this: you need permission to create and edit service accounts (core_serviceaccount_edit)', { exact: false }).waitFor();

    // Disable: she can no longer sign in.
    await moreOptions(page, 'user Carol Diaz', 'Disable');
    await dialog(page, /^Disable User$/).getByRole('button', { name: 'Disable' }).click();
    await page.locator('[data-row="carol@example.com"]').getByText('Disabled').waitFor();
    expect((await env().h.anonymous.post('/api/auth/login', { email: 'carol@example.com', password: 'carol-password-1' })).status).toBe(401);
    // Enable: she can again. Titled as the item is, capitalised.
    await moreOptions(page, 'user Carol Diaz', 'Enable');
    const enable = dialog(page, 'Enable User');
    expect(await titleOf(enable)).toBe('Enable User');
    await enable.getByRole('button', { name: 'Enable' }).click();
    await page.locator('[data-row="carol@example.com"]').getByText('Active').waitFor();
    expect((await env().h.anonymous.post('/api/auth/login', { email: 'carol@example.com', password: 'carol-password-1' })).status).toBe(200);

    await moreOptions(page, 'user Carol Diaz', 'Delete');
    const confirm = dialog(page, /^Delete User$/);
    await confirm.getByText('Their API keys and tokens are deleted too', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await page.locator('[data-row="carol@example.com"]').waitFor({ state: 'detached' });
  });

  it('manages user groups (users and service accounts as members), roles, resource groups and role assignments, and removes and deletes them', async () => {
    const admin = env().h.admin.client;
    const member = await env().h.createUser({ name: 'Dan Ito' });
    expect((await admin.post('/ng/api/serviceaccount', { identifier: 'builder', name: 'builder', email: 'builder@example.com' }, { query: { accountIdentifier: account() } })).status).toBe(200);
    const page = await env().signedIn();

    await page.goto(url('/account-settings/access-control/roles'));
    await page.getByRole('button', { name: 'New Role' }).click();
    const role = dialog(page, 'New Role');
    await field(role, 'Name').fill('Key auditor');
    await role.getByRole('checkbox', { name: /view service accounts/ }).check();
    await role.getByRole('checkbox', { name: /view the audit trail/ }).check();
    await role.getByRole('button', { name: 'Save' }).click();
    await role.waitFor({ state: 'hidden' });
    await page.locator('[data-row="Key_auditor"]').getByText('core_audit_view').waitFor();

    await page.getByRole('tab', { name: 'Resource Groups' }).click();
    await page.getByRole('button', { name: 'New Resource Group' }).click();
    const rg = dialog(page, 'New Resource Group');
    await field(rg, 'Name').fill('Service accounts only');
    await choose(page, rg, 'Resource types', 'Service Accounts');
    await closeList(page);
    await rg.getByRole('button', { name: 'Save' }).click();
    await rg.waitFor({ state: 'hidden' });
    await page.locator('[data-row="Service_accounts_only"]').getByText('All Service Accounts').waitFor();

    await page.getByRole('tab', { name: 'User Groups' }).click();
    await page.getByRole('button', { name: 'New User Group' }).first().click();
    const group = dialog(page, 'New User Group');
    await field(group, 'Name').fill('Auditors');
    await choose(page, group, 'Users', `Dan Ito (${member.email})`);
    await closeList(page);
    await choose(page, group, 'Service accounts', 'builder (builder)');
    await closeList(page);
    await group.getByRole('button', { name: 'Save' }).click();
    await group.waitFor({ state: 'hidden' });
    const row = page.locator('[data-row="Auditors"]');
    await row.getByText('Dan Ito').waitFor();
    await row.getByText('builder').waitFor();
    const stored = await admin.get('/ng/api/user-groups/Auditors', { query: { accountIdentifier: account() } });
    expect(stored.body.data).toMatchObject({ users: [member.id], serviceAccounts: ['builder'] });
    // A group without a role gives its members none: the service accounts' Roles column does not name it.
    await page.getByRole('tab', { name: 'Service Accounts' }).click();
    const builderRoles = page.getByRole('table', { name: 'Service accounts' }).locator('[data-row="builder"] td').nth(2);
    await expect.poll(() => builderRoles.innerText(), { timeout: UI_TIMEOUT }).not.toContain('Auditors');
    await page.getByRole('tab', { name: 'User Groups' }).click();

    // Give the group the custom role over the custom resource group.
    await moreOptions(page, 'user group Auditors', 'Role Assignments');
    const roles = dialog(page, 'Role Assignments: user group Auditors');
    await roles.getByRole('button', { name: 'Assign Role' }).click();
    const assign = dialog(page, 'Assign Role to user group Auditors');
    // The Role field takes the focus without opening its list over the rest of the form.
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.mantine-InputWrapper-root')?.querySelector('label')?.textContent))
      .toMatch(/^Role/);
    await field(assign, 'Resource group').click({ trial: true, timeout: 5_000 });
    await choose(page, assign, 'Role', 'Key auditor');
    await choose(page, assign, 'Resource group', 'Service accounts only');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await assign.waitFor({ state: 'hidden' });
    await roles.getByText('Key auditor').waitFor();
    // Dan now sees service accounts through the group.
    const seen = await member.client.get('/ng/api/serviceaccount/aggregate', { query: { accountIdentifier: account() } });
    expect(seen.body.data.content.map((s: any) => s.serviceAccount.identifier)).toContain('builder');

    // An assigned role cannot be deleted; the message says so in words.
    await page.keyboard.press('Escape');
    await roles.waitFor({ state: 'hidden' });
    // Now the group gives builder a role, and its row says through which group.
    await page.getByRole('tab', { name: 'Service Accounts' }).click();
    await expect.poll(() => builderRoles.innerText(), { timeout: UI_TIMEOUT }).toContain('Through group: Auditors');
    await page.getByRole('tab', { name: 'Roles' }).click();
    await moreOptions(page, 'role Key auditor', 'Delete');
    const confirm = dialog(page, /^Delete Role$/);
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('alert').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });

    // Take the role back from the group, then delete the resource group and the group; each
    // confirmation titled as its button is, capitalised.
    await page.getByRole('tab', { name: 'User Groups' }).click();
    await moreOptions(page, 'user group Auditors', 'Role Assignments');
    await roles.getByRole('button', { name: 'Remove role Key auditor from user group Auditors', exact: true }).click();
    const remove = dialog(page, 'Remove Role');
    expect(await titleOf(remove)).toBe('Remove Role');
    await remove.getByRole('button', { name: 'Remove', exact: true }).click();
    await remove.waitFor({ state: 'hidden' });
    await roles.getByText('No roles in this scope').waitFor();
    await roles.getByRole('button', { name: 'Close', exact: true }).click();
    await roles.waitFor({ state: 'hidden' });

    /** Deletes a row through its More Options menu, the confirmation titled exactly `title`. */
    const deleteRow = async (tab: string, of: string, title: string, row: string) => {
      await page.getByRole('tab', { name: tab }).click();
      await moreOptions(page, of, 'Delete');
      const confirmation = dialog(page, title);
      expect(await titleOf(confirmation)).toBe(title);
      await confirmation.getByRole('button', { name: 'Delete', exact: true }).click();
      await page.locator(`[data-row="${row}"]`).waitFor({ state: 'detached' });
    };
    await deleteRow('Resource Groups', 'resource group Service accounts only', 'Delete Resource Group', 'Service_accounts_only');
    await deleteRow('User Groups', 'user group Auditors', 'Delete User Group', 'Auditors');
  });

  it('finds a service account, a user, an API key, a role or a resource group by typing part of its name, Id, email, owner or permission', async () => {
    const admin = env().h.admin.client;
    const q = { query: { accountIdentifier: account() } };
    for (let i = 0; i < 12; i++) {
      const id = `search_bot_${i}`;
      expect((await admin.post('/ng/api/serviceaccount', { identifier: id, name: `search bot ${i}`, email: `${id}@example.com` }, q)).status).toBe(200);
    }
    expect((await admin.post('/ng/api/serviceaccount', { identifier: 'deployer_x', name: 'Deployer X', email: 'ship@example.com' }, q)).status).toBe(200);
    expect((await admin.post('/ng/api/apikey', { identifier: 'deploy_key', name: 'deploy key', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'deployer_x', accountIdentifier: account() }, q)).status).toBe(200);
    await env().h.createUser({ name: 'Zoe Quill' });
    const page = await env().signedIn();

    await page.goto(url('/account-settings/access-control/service-accounts'));
    await page.locator('[data-row="search_bot_11"]').waitFor();
    const search = page.getByRole('searchbox', { name: 'Search service accounts' });
    await search.fill('SHIP@');
    await page.locator('[data-row="deployer_x"]').waitFor();
    expect(await page.locator('[data-row^="search_bot_"]').count()).toBe(0);
    await search.fill('bot 1');
    await page.locator('[data-row="search_bot_10"]').waitFor();
    expect(await page.locator('[data-row^="search_bot_"]').count()).toBe(3); // 1, 10, 11
    await search.fill('nobody');
    await page.getByRole('status').filter({ hasText: 'Nothing matches “nobody”.' }).waitFor();
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await page.locator('[data-row="search_bot_0"]').waitFor();

    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('quill');
    await page.getByRole('table', { name: 'Users' }).getByText('Zoe Quill').waitFor();
    expect(await page.getByRole('table', { name: 'Users' }).getByRole('row').count()).toBe(2); // the header and Zoe

    await page.getByRole('tab', { name: 'API Keys' }).click();
    // By the owner's name.
    await page.getByRole('searchbox', { name: 'Search API keys' }).fill('deployer');
    await page.locator('[data-row="deploy_key"]').waitFor();
    expect(await page.getByRole('table', { name: 'API keys' }).getByRole('row').count()).toBe(2);

    await page.getByRole('tab', { name: 'Roles' }).click();
    // By a permission the role grants: only Account Admin may edit the account.
    await page.locator('[data-row="_account_viewer"]').waitFor();
    await page.getByRole('searchbox', { name: 'Search roles' }).fill('core_account_edit');
    await page.locator('[data-row="_account_admin"]').waitFor();
    expect(await page.locator('[data-row="_account_viewer"]').count()).toBe(0);

    await page.getByRole('tab', { name: 'Resource Groups' }).click();
    await page.locator('[data-row="_all_account_level_resources"]').waitFor();
    await page.getByRole('searchbox', { name: 'Search resource groups' }).fill('child');
    await page.locator('[data-row="_all_resources_including_child_scopes"]').waitFor();
    expect(await page.locator('[data-row="_all_account_level_resources"]').count()).toBe(0);
  });

  it('shows the audit trail newest first, filtered by action and resource type', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings/audit-trail'));
    await page.getByText(/\d+ entries/).waitFor();
    await choose(page, page, 'Action', 'DELETE');
    await closeList(page);
    await field(page, 'Resource type').fill('ORGANIZATION');
    await field(page, 'Resource type').press('Enter');
    await closeList(page);
    const table = page.getByRole('table', { name: 'Audit entries' });
    await page.getByText('1 entry').waitFor();
    await table.getByText('DELETE', { exact: true }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await table.locator('tbody tr').innerText()).toContain('Research');

    // Newest first: compare with the API's order.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    const res = await env().h.admin.client.get('/ng/api/audits', { query: { accountIdentifier: account(), pageSize: 5 } });
    const times = res.body.data.content.map((e: any) => e.timestamp);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // Each action is shown whole (not "CREA…"), and a one-word scope is not broken mid-word.
    await page.getByText(/^\d\d+ entries$/).waitFor();
    await table.getByText('CREATE', { exact: true }).first().waitFor();
    const cut = await table.locator('tbody .mantine-Badge-label').evaluateAll((labels) =>
      labels.filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent));
    expect(cut).toEqual([]);
    const brokenScopes = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLTableRowElement).cells[4]!)
      .filter((cell) => {
        const text = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT).nextNode();
        if (!text || /\s/.test(cell.textContent!.trim())) return false;
        const range = document.createRange();
        range.selectNodeContents(text);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
      }).map((cell) => cell.textContent));
    expect(brokenScopes).toEqual([]);
  });

  it('saves the account settings, and their limits show up as plain words', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings'));
    // The defaults named are the server's own: this file's environment allows 6 keys per owner.
    await page.getByText('Per user or service account, per scope. Default: 6.').waitFor();
    // A value out of range is said, not changed behind the person's back, and nothing is saved.
    await field(page, 'Maximum API keys per owner').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Enter a number from 1 to 1,000,000, or leave it empty').waitFor();
    expect(await field(page, 'Maximum API keys per owner').inputValue()).toBe('0');
    expect((await env().h.admin.client.get('/ng/api/account-settings', { query: { accountIdentifier: account() } })).body.data.maxApiKeysPerOwner).toBeNull();
    await field(page, 'Maximum API keys per owner').fill('');
    await field(page, 'Maximum tokens per API key').fill('1');
    await field(page, 'Maximum token lifetime (days)').fill('10');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Account settings saved.').waitFor();
    const stored = await env().h.admin.client.get('/ng/api/account-settings', { query: { accountIdentifier: account() } });
    expect(stored.body.data).toMatchObject({ maxTokensPerApiKey: 1, maxTokenLifetimeMs: 10 * 24 * 3600_000 });

    await page.goto(url('/profile'));
    await page.getByRole('button', { name: 'API Key', exact: true }).first().click();
    const key = dialog(page, 'New API Key');
    await field(key, 'Name').fill('limited');
    await key.getByRole('button', { name: 'Save' }).click();
    const card = page.getByRole('region', { name: 'API Key limited' });
    await card.getByRole('button', { name: 'Token', exact: true }).click();
    const d = dialog(page, 'New Token for limited');
    await field(d, 'Name').fill('one');
    await d.getByTestId('default-expiry').filter({ hasText: "the account's maximum token lifetime of 10 days" }).waitFor();
    await d.getByRole('button', { name: 'Generate Token' }).click();
    await d.getByRole('button', { name: 'Done' }).click();
    await d.waitFor({ state: 'hidden' });
    // At the limit, + Token says so before any form is filled.
    const plus = card.getByRole('button', { name: 'Token', exact: true });
    await hoverForTooltip(plus, 'This API key already has 1 token, the most this account allows');
    await expectDisabled(plus);

    // Someone who may not view the account settings sees the limits in force, and their token
    // dialogs know the maximum lifetime too (no refused request behind them).
    const user = await env().h.createUser();
    const userPage = await env().signedIn({ email: user.email, password: user.password });
    const refused: string[] = [];
    userPage.on('response', (r) => { if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`); });
    await userPage.goto(url('/account-settings'));
    const inForce = userPage.getByRole('table', { name: 'Limits in force' });
    await inForce.getByRole('row', { name: 'Maximum tokens per API key 1' }).waitFor();
    await inForce.getByRole('row', { name: 'Maximum API keys per owner 6' }).waitFor();
    await inForce.getByRole('row', { name: 'Maximum token lifetime 10 days' }).waitFor();
    expect(await userPage.getByText('Could not load the account settings').count()).toBe(0);
    await userPage.goto(url('/profile'));
    await userPage.getByRole('button', { name: 'API Key', exact: true }).first().click();
    const userKey = dialog(userPage, 'New API Key');
    await field(userKey, 'Name').fill('mine');
    await userKey.getByRole('button', { name: 'Save' }).click();
    await userPage.getByRole('region', { name: 'API Key mine' }).getByRole('button', { name: 'Token', exact: true }).click();
    const userToken = dialog(userPage, 'New Token for mine');
    await userToken.getByTestId('default-expiry').filter({ hasText: "the account's maximum token lifetime of 10 days" }).waitFor();
    expect(refused).toEqual([]);

    await env().h.admin.client.put('/ng/api/account-settings', { apiKeyQps: 100, maxApiKeysPerOwner: null, maxTokensPerApiKey: null, maxTokenLifetimeMs: null }, { query: { accountIdentifier: account() } });
  });

  /** Whether a select's chosen option fits in the select, between its paddings (a native select cuts it off). */
  function textFitsIn(select: Locator): Promise<boolean> {
    return select.evaluate((el: HTMLSelectElement) => {
      const style = getComputedStyle(el);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = style.font;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return context.measureText(el.selectedOptions[0].text).width <= room;
    });
  }

  it('fits every page at 1280 and 390 px without sideways scrolling', async () => {
    // Long text with nowhere to break (a URL in a description, a long token name) wraps too.
    const unbroken = `https://example.com/${'x'.repeat(280)}`;
    const personal = { apiKeyType: 'USER', parentIdentifier: env().h.admin.id, accountIdentifier: account() };
    const key = await env().h.admin.client.post('/ng/api/apikey', { identifier: 'long_text', name: 'long text', description: unbroken, ...personal }, { query: { accountIdentifier: account() } });
    expect(key.status, key.text).toBe(200);
    const token = await env().h.admin.client.post('/ng/api/token', {
      identifier: 'long_name', name: 'n'.repeat(128), description: unbroken, apiKeyIdentifier: 'long_text', ...personal,
    }, { query: { accountIdentifier: account() } });
    expect(token.status, token.text).toBe(200);
    // A member with a long name, shown as a badge in the user groups' table.
    const accountQuery = { query: { accountIdentifier: account() } };
    const longSa = await env().h.admin.client.post('/ng/api/serviceaccount', {
      identifier: 'long_named_sa', name: 'Terraform provisioner for the shared platform infrastructure stack in all regions',
      email: 'long_named_sa@service.example.com', accountIdentifier: account(),
    }, accountQuery);
    expect(longSa.status, longSa.text).toBe(200);
    const longGroup = await env().h.admin.client.post('/ng/api/user-groups', {
      identifier: 'long_members', name: 'Long members', serviceAccounts: ['long_named_sa'],
    }, accountQuery);
    expect(longGroup.status, longGroup.text).toBe(200);
    // A scope whose identifiers are long, as the pages name them in their badge and introduction.
    const longOrg = `org_${'o'.repeat(80)}`;
    const longProject = `project_${'p'.repeat(80)}`;
    expect((await env().h.admin.client.post('/ng/api/organizations', { organization: { identifier: longOrg, name: 'Long org' } }, accountQuery)).status).toBe(200);
    expect((await env().h.admin.client.post('/ng/api/projects', { project: { identifier: longProject, orgIdentifier: longOrg, name: 'Long project' } },
      { query: { accountIdentifier: account(), orgIdentifier: longOrg } })).status).toBe(200);
    const paths = [
      '/profile', '/account-settings', '/account-settings/access-control/users', '/account-settings/access-control/user-groups',
      '/account-settings/access-control/service-accounts', '/account-settings/access-control/service-accounts/builder',
      '/account-settings/access-control/roles', '/account-settings/access-control/resource-groups',
      '/account-settings/access-control/api-keys', '/account-settings/organizations', '/account-settings/projects',
      '/account-settings/audit-trail',
    ];
    for (const width of [1280, 390]) {
      const page = await env().signedIn({ width, height: 900 });
      for (const path of paths) {
        await page.goto(url(path));
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.locator('[role=status]').first().waitFor({ state: 'detached' }).catch(() => undefined);
        if (path === '/profile') {
          const card = page.getByRole('region', { name: 'API Key long text' });
          await card.getByText('n'.repeat(128)).waitFor();
          // On a phone the key's name has the card's whole width; its buttons go under it.
          const nameShare = await card.evaluate((c) => c.querySelector('h3')!.parentElement!.parentElement!.getBoundingClientRect().width / c.getBoundingClientRect().width);
          expect({ width, wide: nameShare > 0.8 }).toEqual({ width, wide: true });
        }
        // A phone's cards show what the table does, but the creation date: a service account's email, an entry's scope.
        if (path.endsWith('/service-accounts')) await page.locator('[data-row="long_named_sa"]').getByText('long_named_sa@service.example.com').waitFor();
        if (path.endsWith('/builder') && width === 390) {
          // A breadcrumb that wraps keeps its lines apart; the page's buttons, one under the other, are as wide as each other.
          const crumbs = await page.getByRole('navigation', { name: 'Breadcrumbs' }).or(page.locator('.mantine-Breadcrumbs-root')).first()
            .locator('a').evaluateAll((links) => links.map((l) => l.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom })));
          const lines = crumbs.filter((c, i) => i === 0 || c.top !== crumbs[i - 1].top);
          expect(lines.length).toBeGreaterThan(1);
          expect(lines.map((line, i) => i === 0 || line.top - lines[i - 1].bottom >= 4)).toEqual(lines.map(() => true));
          const widths = await Promise.all(['Edit Service Account', 'Delete Service Account']
            .map(async (name) => Math.round((await page.getByRole('button', { name }).boundingBox())!.width)));
          expect(widths[0]).toBe(widths[1]);
        }
        if (path.endsWith('/audit-trail') && width === 390) {
          await page.getByRole('list', { name: 'Audit entries' }).getByRole('listitem').first().getByText('Scope', { exact: true }).waitFor();
        }
        expect({ path, width, overflow: await horizontalOverflow(page) }).toEqual({ path, width, overflow: 0 });
        // A date or a time in a table is never broken across lines ("12/06/202 6", "08:20 / PM").
        expect({ path, width, broken: await brokenDates(page) }).toEqual({ path, width, broken: [] });
        if (path.endsWith('/api-keys') && width === 1280) {
          // The tokens get the widest share of the inventory's row, whatever the key's Id and tags.
          const share = await page.getByRole('table', { name: 'API keys' }).evaluate((table) =>
            [...table.querySelectorAll('th')].find((th) => th.textContent === 'Tokens')!.getBoundingClientRect().width / table.getBoundingClientRect().width);
          expect(share).toBeGreaterThan(0.4);
        }
      }
      if (width === 1280) {
        // The scope switcher shows a project's name and Id whole, not cut off; its title says them too.
        await page.goto(url('/profile', '&orgIdentifier=default&projectIdentifier=default_project'));
        const project = page.getByRole('combobox', { name: 'Project' });
        await expect.poll(() => project.getAttribute('title')).toBe('Default Project (default_project)');
        expect(await textFitsIn(project)).toBe(true);
        // A longer one is cut with an ellipsis, so it shows that it goes on; its title gives it whole.
        await page.goto(url('/profile', `&orgIdentifier=${longOrg}`));
        const org = page.getByRole('combobox', { name: 'Organization' });
        await expect.poll(() => org.getAttribute('title')).toBe(`Long org (${longOrg})`);
        expect({ fits: await textFitsIn(org), overflow: await org.evaluate((s) => getComputedStyle(s).textOverflow) })
          .toEqual({ fits: false, overflow: 'ellipsis' });
      }
      if (width === 390) {
        // In a scope of long identifiers, the tab's introduction and the scope badge wrap inside them.
        for (const path of ['/account-settings/access-control/service-accounts', '/account-settings/projects']) {
          await page.goto(url(path, `&orgIdentifier=${longOrg}${path.endsWith('projects') ? '' : `&projectIdentifier=${longProject}`}`));
          await page.getByRole('heading', { level: 1 }).waitFor();
          await page.getByText(`organization ${longOrg}`).first().waitFor();
          expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
          const badge = page.getByTestId('scope-badge');
          expect(await badge.evaluate((b) => b.scrollWidth <= b.clientWidth + 1 && b.scrollHeight <= b.clientHeight + 1)).toBe(true);
        }
        // Folded away on a phone, the navigation is hidden, not merely off-screen: nothing finds a
        // link there that cannot be clicked. The burger brings it back.
        await page.goto(url('/profile'));
        await page.getByRole('heading', { name: 'My Profile' }).waitFor();
        expect(await page.getByRole('link', { name: 'Audit Trail' }).count()).toBe(0);
        await page.getByRole('button', { name: 'Open navigation' }).click();
        await page.getByRole('link', { name: 'Audit Trail' }).waitFor();
        // Escape folds it again, back on the burger.
        await page.keyboard.press('Escape');
        await page.getByRole('link', { name: 'Audit Trail' }).waitFor({ state: 'detached' });
        expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open navigation');
        await page.getByRole('button', { name: 'Open navigation' }).click();
        await page.getByRole('link', { name: 'Audit Trail' }).click();
        await page.getByRole('heading', { name: 'Audit Trail' }).waitFor();
      }
      await page.context().close();
    }
    // At 768 px, Mantine's `sm` breakpoint itself, the navigation is the sidebar: shown, and it works.
    const tablet = await env().signedIn({ width: 768, height: 1024 });
    await tablet.getByRole('link', { name: 'Audit Trail' }).click();
    await tablet.getByRole('heading', { name: 'Audit Trail' }).waitFor();
    await tablet.context().close();
  });
}, { env: { KEYSMITH_API_KEY_QPS: '100', KEYSMITH_MAX_API_KEYS_PER_OWNER: '6' } });

/** Dates (mm/dd/yyyy) and times (hh:mm AM) in table cells whose characters do not all sit on one line. */
function brokenDates(page: import('playwright-core').Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest('td')) continue;
      for (const match of node.textContent!.matchAll(/\d\d\/\d\d\/\d{4}|\d\d:\d\d [AP]M/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });
}
