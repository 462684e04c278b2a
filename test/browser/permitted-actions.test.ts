// The console offers an action only to whoever may take it, as the server's access check
// (POST /authz/api/acl) answers: a button the person may not use is disabled, and its tooltip says
// which permission is missing. Rights count however they come (a custom role as much as the admin's),
// the answers follow the person's rights as they change during the session, and a check that fails
// (or cannot be asked, offline) offers the action rather than locking the person out.
// Each test makes what it needs through the API, so any of them runs alone and in any order.
import { expect, it } from 'vitest';
import { describeConsole, dialog, escapeMenu, expectDisabled, expectEnabled, field, hoverForTooltip } from './support.js';

describeConsole('console: actions offered by permission (the access check)', (env) => {
  const account = () => env().h.accountId;
  const inAccount = () => ({ query: { accountIdentifier: account() } });
  const url = (path: string) => `${path}?accountIdentifier=${account()}`;
  const saPage = (identifier: string) => url(`/account-settings/access-control/service-accounts/${identifier}`);

  /** Creates something as the admin, through the API. */
  async function adminPost(path: string, body: unknown) {
    const res = await env().h.admin.client.post(path, body, inAccount());
    expect(res.status, res.text).toBe(200);
    return res.body.data;
  }

  /** A custom role at account level with exactly these permissions. */
  const customRole = (identifier: string, permissions: string[]) => adminPost('/authz/api/roles', {
    identifier, name: identifier, description: '', tags: {}, permissions, allowedScopeLevels: ['account'],
  });

  const assign = (user: { id: string }, roleIdentifier: string, resourceGroupIdentifier = '_all_account_level_resources') =>
    adminPost('/authz/api/roleassignments', {
      roleIdentifier, resourceGroupIdentifier, principal: { identifier: user.id, type: 'USER' }, disabled: false,
    });

  /** A new user with this role on all account-level resources, as an admin gives it through the API. */
  async function userWithRole(roleIdentifier: string, name: string) {
    const user = await env().h.createUser({ name });
    await assign(user, roleIdentifier);
    return user;
  }

  /** A service account at the account with an API key and a token under it. */
  async function serviceAccountWithKey(sa: string, key: string, token: string) {
    await adminPost('/ng/api/serviceaccount', {
      identifier: sa, name: sa, email: `${sa}@service.example.com`, description: '', tags: {}, accountIdentifier: account(),
    });
    const owner = { apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa, accountIdentifier: account() };
    await adminPost('/ng/api/apikey', { identifier: key, name: key, ...owner });
    await adminPost('/ng/api/token', { identifier: token, name: token, apiKeyIdentifier: key, ...owner });
  }

  it('the admin has every button enabled, and creates a service account, its API key and a token', async () => {
    const page = await env().signedIn();
    // Enabled because the server said so, not because the check failed (it fails open).
    const answers: number[] = [];
    page.on('response', (res) => { if (new URL(res.url()).pathname === '/authz/api/acl') answers.push(res.status()); });
    // A page loaded afresh asks as it mounts, before anything else has been done.
    await page.goto(url('/account-settings/access-control/service-accounts'));
    const newSa = page.getByRole('button', { name: 'New Service Account' }).first();
    await expectEnabled(newSa);
    await newSa.click();
    const create = dialog(page, 'New Service Account');
    await field(create, 'Name').fill('build bot');
    await create.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'build bot' }).waitFor();

    for (const name of ['Assign Role', 'Edit Service Account', 'Delete Service Account']) await expectEnabled(page.getByRole('button', { name, exact: true }));
    const addKey = page.getByRole('button', { name: 'API Key', exact: true }).first();
    await expectEnabled(addKey);
    await addKey.click();
    const keyDialog = dialog(page, 'New API Key');
    await field(keyDialog, 'Name').fill('ci');
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.waitFor({ state: 'hidden' });
    const addToken = page.getByRole('region', { name: 'API Key ci' }).getByRole('button', { name: 'Token', exact: true });
    await expectEnabled(addToken);
    await addToken.click();
    const tokenDialog = dialog(page, 'New Token for ci');
    await field(tokenDialog, 'Name').fill('first');
    await tokenDialog.getByRole('button', { name: 'Generate Token' }).click();
    await tokenDialog.getByText('The token is only displayed once.', { exact: false }).waitFor();
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await tokenDialog.waitFor({ state: 'hidden' });

    await page.goto(url('/account-settings/access-control/api-keys'));
    await expectEnabled(page.getByRole('button', { name: 'Add API Key' }).first());
    // The key's own Edit and Delete on the inventory, and its token's Delete.
    for (const name of ['Edit API Key ci', 'Delete API Key ci', 'Delete token first of ci']) {
      await expectEnabled(page.getByRole('button', { name, exact: true }));
    }
    await page.goto(url('/account-settings/organizations'));
    await expectEnabled(page.getByRole('button', { name: 'New Organization' }).first());
    await page.goto(url('/account-settings'));
    await expectEnabled(page.getByRole('button', { name: 'Save' }));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((status) => status !== 200)).toEqual([]);
  });

  it('an account viewer sees them disabled, each tooltip naming the missing permission', async () => {
    await serviceAccountWithKey('viewer_bot', 'deploy', 'nightly');
    const viewer = await userWithRole('_account_viewer', 'Vera Viewer');
    // Her own personal key, which is hers to manage whatever her role.
    const own = await viewer.client.post('/ng/api/apikey', {
      identifier: 'vera_laptop', name: 'vera laptop', apiKeyType: 'USER', parentIdentifier: viewer.id, accountIdentifier: account(),
    }, inAccount());
    expect(own.status, own.text).toBe(200);
    const page = await env().signedIn({ email: viewer.email, password: viewer.password });

    await page.goto(url('/account-settings/access-control/service-accounts'));
    const newSa = page.getByRole('button', { name: 'New Service Account' }).first();
    await hoverForTooltip(newSa, "You don't have permission to create service accounts here (core_serviceaccount_edit)");
    await expectDisabled(newSa);
    // The row's More Options say the same of editing and deleting it.
    await page.getByRole('button', { name: 'More Options for service account viewer_bot' }).click();
    await expectDisabled(page.getByRole('menuitem', { name: 'Edit', exact: true }));
    await expectDisabled(page.getByRole('menuitem', { name: 'Delete', exact: true }));
    await expectEnabled(page.getByRole('menuitem', { name: 'Manage API Keys', exact: true }));
    // ...and say why in the menu itself, where a finger or a keyboard reads it too.
    await page.getByRole('menu').getByText("You don't have permission to edit this service account (core_serviceaccount_edit)", { exact: true }).waitFor();
    await page.getByRole('menu').getByText("You don't have permission to delete this service account (core_serviceaccount_delete)", { exact: true }).waitFor();
    await escapeMenu(page);

    await page.goto(saPage('viewer_bot'));
    await page.getByRole('heading', { name: 'viewer_bot' }).waitFor();
    const assign = page.getByRole('button', { name: 'Assign Role' });
    await hoverForTooltip(assign, "You don't have permission to change the role assignments of this service account (core_serviceaccount_edit)");
    await expectDisabled(assign);
    const manageKeys = "You don't have permission to manage the API keys and tokens of this service account (core_serviceaccount_manageapikey)";
    const addKey = page.getByRole('button', { name: 'API Key', exact: true }).first();
    await hoverForTooltip(addKey, manageKeys);
    await expectDisabled(addKey);
    await expectDisabled(page.getByRole('region', { name: 'API Key deploy' }).getByRole('button', { name: 'Token', exact: true }));
    await expectDisabled(page.getByRole('button', { name: 'Delete Service Account', exact: true }));
    // The key's More Options say why in the menu, the permission's long name wrapped inside it.
    await page.getByRole('button', { name: 'More Options for API Key deploy', exact: true }).click();
    const reason = page.getByRole('menu').getByText(manageKeys, { exact: true });
    await reason.waitFor();
    const fits = await reason.evaluate((el) => {
      const menu = el.closest('[role="menu"]')!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return { overflow: el.scrollWidth - el.clientWidth, right: Math.round(box.right - menu.right) };
    });
    expect(fits.overflow).toBeLessThanOrEqual(0);
    expect(fits.right).toBeLessThanOrEqual(0);
    await escapeMenu(page);

    // Add API Key needs what its steps at the scope do; the user groups are asked about one by one.
    await page.goto(url('/account-settings/access-control/api-keys'));
    const add = page.getByRole('button', { name: 'Add API Key' }).first();
    const tooltip = await hoverForTooltip(add, 'create service accounts here (core_serviceaccount_edit)');
    expect(await tooltip.textContent()).toContain('create API keys and tokens for service accounts here (core_serviceaccount_manageapikey)');
    expect(await tooltip.textContent()).not.toContain('core_usergroup_manage');
    await expectDisabled(add);
    // The inventory's own buttons for the service account's key and token, as on its page.
    const editKey = page.getByRole('button', { name: 'Edit API Key deploy', exact: true });
    await hoverForTooltip(editKey, manageKeys);
    await expectDisabled(editKey);
    await expectDisabled(page.getByRole('button', { name: 'Delete API Key deploy', exact: true }));
    await expectDisabled(page.getByRole('button', { name: 'Delete token nightly of deploy', exact: true }));
    // Her personal key is not asked about.
    await expectEnabled(page.getByRole('button', { name: 'Edit API Key vera laptop', exact: true }));
    await expectEnabled(page.getByRole('button', { name: 'Delete API Key vera laptop', exact: true }));

    await page.goto(url('/account-settings/organizations'));
    const newOrg = page.getByRole('button', { name: 'New Organization' }).first();
    await hoverForTooltip(newOrg, "You don't have permission to create organizations (core_organization_create)");
    await expectDisabled(newOrg);

    await page.goto(url('/account-settings'));
    const save = page.getByRole('button', { name: 'Save' });
    await hoverForTooltip(save, "You don't have permission to change the account settings (core_account_edit)");
    await expectDisabled(save);

    // Personal API keys are always their owner's to manage.
    await page.goto(url('/profile'));
    await expectEnabled(page.getByRole('button', { name: 'API Key', exact: true }).first());
  });

  it("shows the Edit icon of another user's personal API key disabled, saying only its owner can edit it; the admin may still delete it", async () => {
    const owner = await env().h.createUser({ name: 'Olive Owner' });
    const key = await owner.client.post('/ng/api/apikey', {
      identifier: 'olive_laptop', name: 'olive laptop', apiKeyType: 'USER', parentIdentifier: owner.id, accountIdentifier: account(),
    }, inAccount());
    expect(key.status, key.text).toBe(200);
    const page = await env().signedIn();
    await page.goto(url('/account-settings/access-control/api-keys'));
    const edit = page.getByRole('button', { name: 'Edit API Key olive laptop', exact: true });
    await hoverForTooltip(edit, 'Only its owner, Olive Owner, can edit a personal API key');
    await expectDisabled(edit);
    // The keyboard reaches the reason too: the button itself takes the focus.
    await page.mouse.move(0, 0);
    await page.getByRole('tooltip').waitFor({ state: 'detached' });
    await edit.focus();
    await page.getByRole('tooltip').filter({ hasText: 'Only its owner, Olive Owner, can edit a personal API key' }).waitFor();
    await expectEnabled(page.getByRole('button', { name: 'Delete API Key olive laptop', exact: true }));
    // As the server has it: nobody but its owner edits it.
    const refused = await env().h.admin.client.put('/ng/api/apikey/olive_laptop', {
      identifier: 'olive_laptop', name: 'renamed', apiKeyType: 'USER', parentIdentifier: owner.id, accountIdentifier: account(),
    }, inAccount());
    expect(refused.status).toBe(403);
  });

  const ASK = 'Ask an account admin for a role that grants it.';

  it('tells only whoever may create a thing to select its button when there are none, and the others why not', async () => {
    const nobody = await env().h.createUser({ name: 'Nadia Nobody' });
    const page = await env().signedIn({ email: nobody.email, password: nobody.password });
    /** At `path`, the empty list `title` says the denial `reason` and whom to ask, not to select `button`, which is disabled. */
    async function toldWhyNot(path: string, title: string, reason: string, button: string, hint: string) {
      await page.goto(url(path));
      await page.getByText(title, { exact: true }).waitFor();
      await page.getByText(`${reason}. ${ASK}`, { exact: false }).waitFor();
      await expectDisabled(page.getByRole('button', { name: button, exact: true }).first());
      expect(await page.getByText(hint, { exact: false }).count()).toBe(0);
    }
    const cannot = (what: string, permission: string) => `You don't have permission to ${what} (${permission})`;
    await toldWhyNot('/account-settings/access-control/service-accounts', 'No service accounts that you can see in this scope',
      cannot('create service accounts here', 'core_serviceaccount_edit'), 'New Service Account', 'Select New Service Account');
    await toldWhyNot('/account-settings/access-control/user-groups', 'No user groups that you can see in this scope',
      cannot('create user groups here', 'core_usergroup_manage'), 'New User Group', 'Select New User Group');
    // (Users is never empty: everyone may see themselves.)
    await toldWhyNot('/account-settings/access-control/api-keys', 'No API keys that you can see in this scope',
      `${cannot('create service accounts here', 'core_serviceaccount_edit')} or to create API keys and tokens for service accounts here (core_serviceaccount_manageapikey)`,
      'Add API Key', 'Select Add API Key');
    // Where personal keys are made is said to everyone.
    await page.getByText('Personal keys are made in My Profile.', { exact: false }).waitFor();
    await toldWhyNot('/account-settings/organizations', 'No organizations that you can see',
      cannot('create organizations', 'core_organization_create'), 'New Organization', 'Select New Organization');
    await toldWhyNot('/account-settings/projects', 'No projects',
      cannot('create projects in any organization you can see', 'core_project_create'), 'New Project', 'Select New Project');

    // The admin, where there are none yet (the default project, a new organization), is told to.
    const admin = await env().signedIn();
    const inDefaultProject = (path: string) => `${url(path)}&orgIdentifier=default&projectIdentifier=default_project`;
    for (const [path, hint, button] of [
      ['/account-settings/access-control/service-accounts', 'Select New Service Account to create one', 'New Service Account'],
      ['/account-settings/access-control/api-keys', 'Select Add API Key, give it a name', 'Add API Key'],
    ]) {
      await admin.goto(inDefaultProject(path));
      await admin.getByText(hint, { exact: false }).waitFor();
      await expectEnabled(admin.getByRole('button', { name: button, exact: true }).first());
      expect(await admin.getByText(ASK, { exact: false }).count()).toBe(0);
    }
    await adminPost('/ng/api/organizations', { organization: { identifier: 'empty_org', name: 'empty org', description: '', tags: {} } });
    await admin.goto(`${url('/account-settings/projects')}&orgIdentifier=empty_org`);
    await admin.getByText('Select New Project to create one.', { exact: false }).waitFor();
    await expectEnabled(admin.getByRole('button', { name: 'New Project', exact: true }).first());
  });

  it("a service account's empty roles, API keys and tokens say why not to whoever may only view it, and to select the button to the admin", async () => {
    await customRole('sa_looker', ['core_serviceaccount_view']);
    const looker = await userWithRole('sa_looker', 'Lou Looker');
    // One service account with no roles and no API keys, one with an API key and no tokens.
    for (const sa of ['quiet_bot', 'spare_bot']) {
      await adminPost('/ng/api/serviceaccount', {
        identifier: sa, name: sa, email: `${sa}@service.example.com`, description: '', tags: {}, accountIdentifier: account(),
      });
    }
    await adminPost('/ng/api/apikey', { identifier: 'spare', name: 'spare', apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'spare_bot', accountIdentifier: account() });

    const page = await env().signedIn({ email: looker.email, password: looker.password });
    await page.goto(saPage('quiet_bot'));
    await page.getByText('No roles in this scope', { exact: true }).waitFor();
    await page.getByText(`You don't have permission to change the role assignments of this service account (core_serviceaccount_edit). ${ASK}`,
      { exact: false }).waitFor();
    await page.getByText('No API keys yet', { exact: true }).waitFor();
    await page.getByText(`You don't have permission to manage the API keys and tokens of this service account (core_serviceaccount_manageapikey). ${ASK}`,
      { exact: false }).waitFor();
    expect(await page.getByText('Select Assign Role').count()).toBe(0);
    expect(await page.getByText('Select + API Key').count()).toBe(0);
    await page.goto(saPage('spare_bot'));
    const spare = page.getByRole('region', { name: 'API Key spare' });
    await spare.getByText(`No tokens yet. You don't have permission to manage the API keys and tokens of this service account (core_serviceaccount_manageapikey). ${ASK}`).waitFor();
    await expectDisabled(spare.getByRole('button', { name: 'Token', exact: true }));

    const admin = await env().signedIn();
    await admin.goto(saPage('quiet_bot'));
    await admin.getByText('Select Assign Role to give service account quiet_bot a role over a resource group.', { exact: false }).waitFor();
    await admin.getByText('Select + API Key above to create one for', { exact: false }).waitFor();
    await admin.goto(saPage('spare_bot'));
    await admin.getByRole('region', { name: 'API Key spare' }).getByText('No tokens yet. Select + Token to generate one.').waitFor();
    expect(await admin.getByText(ASK, { exact: false }).count()).toBe(0);
  });

  it('follows the rights a custom role gives, not whether the person is an admin', async () => {
    await customRole('sa_maker', ['core_serviceaccount_view', 'core_serviceaccount_edit', 'core_usergroup_view']);
    const maker = await userWithRole('sa_maker', 'Sam Maker');
    const page = await env().signedIn({ email: maker.email, password: maker.password });

    await page.goto(url('/account-settings/access-control/user-groups'));
    const newGroup = page.getByRole('button', { name: 'New User Group' }).first();
    await hoverForTooltip(newGroup, "You don't have permission to create user groups here (core_usergroup_manage)");
    await expectDisabled(newGroup);

    await page.getByRole('tab', { name: 'Service Accounts' }).click();
    const newSa = page.getByRole('button', { name: 'New Service Account' }).first();
    await expectEnabled(newSa);
    await newSa.click();
    const create = dialog(page, 'New Service Account');
    await field(create, 'Name').fill('sam bot');
    await create.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('heading', { name: 'sam bot' }).waitFor();
    // Editing it and its role assignments is core_serviceaccount_edit too; its keys and deleting it are not.
    await expectEnabled(page.getByRole('button', { name: 'Assign Role' }));
    await expectEnabled(page.getByRole('button', { name: 'Edit Service Account', exact: true }));
    await hoverForTooltip(page.getByRole('button', { name: 'Delete Service Account', exact: true }),
      "You don't have permission to delete this service account (core_serviceaccount_delete)");
    await expectDisabled(page.getByRole('button', { name: 'API Key', exact: true }).first());
  });

  it('offers Add API Key to whoever may make the service account and its key, and only the user groups they may change', async () => {
    for (const [identifier, name] of [['open_group', 'Open Group'], ['closed_group', 'Closed Group']]) {
      await adminPost('/ng/api/user-groups', { identifier, name, users: [], serviceAccounts: [], accountIdentifier: account() });
    }
    await adminPost('/resourcegroup/api/v2/resourcegroup', { resourceGroup: {
      identifier: 'open_group_only', name: 'Open group only', accountIdentifier: account(),
      resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'USERGROUP', identifiers: ['open_group'] }] },
    } });
    await customRole('key_maker', ['core_serviceaccount_view', 'core_serviceaccount_edit', 'core_serviceaccount_manageapikey', 'core_usergroup_view']);
    await customRole('group_keeper', ['core_usergroup_view', 'core_usergroup_manage']);
    const kim = await userWithRole('key_maker', 'Kim Keys');
    await assign(kim, 'group_keeper', 'open_group_only');
    const page = await env().signedIn({ email: kim.email, password: kim.password });

    await page.goto(url('/account-settings/access-control/api-keys'));
    const add = page.getByRole('button', { name: 'Add API Key' }).first();
    await expectEnabled(add);
    await add.click();
    const flow = dialog(page, 'Add API Key');
    await field(flow, 'Name').fill('kim key');
    await flow.getByRole('textbox', { name: 'User Groups', exact: true }).click();
    const closed = page.getByRole('option', { name: /^Closed Group/ });
    await closed.and(page.locator('[data-combobox-disabled]')).waitFor();
    expect(await closed.textContent()).toContain("You can't change the members of this group (core_usergroup_manage)");
    const open = page.getByRole('option', { name: 'Open Group', exact: true });
    await open.and(page.locator(':not([data-combobox-disabled])')).click();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'detached' });

    await flow.getByRole('button', { name: 'Submit' }).click();
    await flow.getByText('API Key kim key was created for the new service account kim key').waitFor();
    const group = await env().h.admin.client.get('/ng/api/user-groups/open_group', inAccount());
    expect(group.body.data.serviceAccounts).toEqual(['kim_key']);
  });

  it('refreshes its answers when the person\'s own rights change in the session: creating an organization makes them its admin', async () => {
    // The organization's creator gets _organization_admin in it (src/routes/organizations/create-organization.ts).
    await customRole('org_maker', ['core_organization_view', 'core_organization_create']);
    const olga = await userWithRole('org_maker', 'Olga Orgs');
    for (const identifier of ['Skunkworks', 'Elsewhere']) {
      await adminPost('/ng/api/organizations', { organization: { identifier, name: identifier } });
    }
    const page = await env().signedIn({ email: olga.email, password: olga.password });
    const newProject = page.getByRole('button', { name: 'New Project' }).first();
    await page.goto(`${url('/account-settings/projects')}&orgIdentifier=Skunkworks`);
    await hoverForTooltip(newProject, "You don't have permission to create projects in organization Skunkworks (core_project_create)");
    await expectDisabled(newProject);

    // The admin deletes it; Olga makes one of the same Id in the console. The answer above is still
    // in the console's cache, fresh for a while, under the same key: only the refresh after the
    // creation replaces it. (From here on Olga stays in the page: a reload would empty the cache.)
    const deleted = await env().h.admin.client.delete('/ng/api/organizations/Skunkworks', inAccount());
    expect(deleted.status, deleted.text).toBe(200);
    await page.getByRole('link', { name: 'Organizations', exact: true }).click();
    const newOrg = page.getByRole('button', { name: 'New Organization' }).first();
    await expectEnabled(newOrg);
    await newOrg.click();
    const create = dialog(page, 'New Organization');
    await field(create, 'Name').fill('Skunkworks');
    await create.getByRole('button', { name: 'Save' }).click();
    await create.waitFor({ state: 'hidden' });

    await page.getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByText('Projects of organization Skunkworks.').waitFor();
    await expectEnabled(newProject);
    // Only where she is the admin.
    await page.getByRole('combobox', { name: 'Organization', exact: true }).selectOption('Elsewhere');
    await page.getByText('Projects of organization Elsewhere.').waitFor();
    await hoverForTooltip(newProject, "You don't have permission to create projects in organization Elsewhere (core_project_create)");
    await expectDisabled(newProject);
  });

  it('offers the action when the access check itself fails, and the server still refuses it in words', async () => {
    const viewer = await userWithRole('_account_viewer', 'Otto Offline');
    const page = await env().signedIn({ email: viewer.email, password: viewer.password });
    await page.route('**/authz/api/acl', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{}' }));
    await page.goto(url('/account-settings/access-control/service-accounts'));
    const newSa = page.getByRole('button', { name: 'New Service Account' }).first();
    await expectEnabled(newSa);
    await newSa.click();
    const create = dialog(page, 'New Service Account');
    await field(create, 'Name').fill('otto bot');
    await create.getByRole('button', { name: 'Save' }).click();
    await create.getByRole('alert').getByText('you need permission to create and edit service accounts (core_serviceaccount_edit)', { exact: false }).waitFor();
  });

  it('offers the action while offline, when the check waits for the network, and follows the answer once back', async () => {
    const viewer = await userWithRole('_account_viewer', 'Paula Paused');
    const page = await env().signedIn({ email: viewer.email, password: viewer.password });
    await page.context().setOffline(true);
    // Moving within the console needs no network; the check it asks waits (paused) until it is back.
    await page.getByRole('link', { name: 'Organizations', exact: true }).click();
    const newOrg = page.getByRole('button', { name: 'New Organization' }).first();
    await expectEnabled(newOrg);
    await page.context().setOffline(false);
    await hoverForTooltip(newOrg, "You don't have permission to create organizations (core_organization_create)");
    await expectDisabled(newOrg);
  });
});
