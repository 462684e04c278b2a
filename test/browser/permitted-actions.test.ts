// The console offers an action only to whoever may take it, as the server's access check
// (POST /authz/api/acl) answers: a button the person may not use is disabled, and its tooltip says
// which permission is missing. Rights count however they come (a custom role as much as the admin's),
// and a failed access check offers the action rather than locking the person out.
import { expect, it } from 'vitest';
import { describeConsole, dialog, expectDisabled, expectEnabled, field, hoverForTooltip } from './support.js';

describeConsole('console: actions offered by permission (the access check)', (env) => {
  const account = () => env().h.accountId;
  const url = (path: string) => `${path}?accountIdentifier=${account()}`;
  const saPage = (identifier: string) => url(`/account-settings/access-control/service-accounts/${identifier}`);

  /** A new user with this role on all account-level resources, as an admin gives it through the API. */
  async function userWithRole(roleIdentifier: string, name: string) {
    const user = await env().h.createUser({ name });
    const assigned = await env().h.admin.client.post('/authz/api/roleassignments', {
      roleIdentifier, resourceGroupIdentifier: '_all_account_level_resources', principal: { identifier: user.id, type: 'USER' }, disabled: false,
    }, { query: { accountIdentifier: account() } });
    expect(assigned.status).toBe(200);
    return user;
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

    for (const name of ['Assign Role', 'Edit', 'Delete']) await expectEnabled(page.getByRole('button', { name, exact: true }));
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
    await page.goto(url('/account-settings/organizations'));
    await expectEnabled(page.getByRole('button', { name: 'New Organization' }).first());
    await page.goto(url('/account-settings'));
    await expectEnabled(page.getByRole('button', { name: 'Save' }));
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((status) => status !== 200)).toEqual([]);
  });

  it('an account viewer sees them disabled, each tooltip naming the missing permission', async () => {
    const viewer = await userWithRole('_account_viewer', 'Vera Viewer');
    const page = await env().signedIn({ email: viewer.email, password: viewer.password });

    await page.goto(url('/account-settings/access-control/service-accounts'));
    const newSa = page.getByRole('button', { name: 'New Service Account' }).first();
    await hoverForTooltip(newSa, "You don't have permission to create service accounts here (core_serviceaccount_edit)");
    await expectDisabled(newSa);
    // The row's More Options say the same of editing and deleting it.
    await page.getByRole('button', { name: 'More Options for service account build bot' }).click();
    await expectDisabled(page.getByRole('menuitem', { name: 'Edit', exact: true }));
    await expectDisabled(page.getByRole('menuitem', { name: 'Delete', exact: true }));
    await expectEnabled(page.getByRole('menuitem', { name: 'Manage API Keys', exact: true }));
    await page.keyboard.press('Escape');

    await page.goto(saPage('build_bot'));
    await page.getByRole('heading', { name: 'build bot' }).waitFor();
    const assign = page.getByRole('button', { name: 'Assign Role' });
    await hoverForTooltip(assign, "You don't have permission to change the role assignments of this service account (core_serviceaccount_edit)");
    await expectDisabled(assign);
    const addKey = page.getByRole('button', { name: 'API Key', exact: true }).first();
    await hoverForTooltip(addKey, "You don't have permission to manage the API keys and tokens of this service account (core_serviceaccount_manageapikey)");
    await expectDisabled(addKey);
    await expectDisabled(page.getByRole('region', { name: 'API Key ci' }).getByRole('button', { name: 'Token', exact: true }));
    await expectDisabled(page.getByRole('button', { name: 'Delete', exact: true }));

    // Add API Key needs everything its steps do.
    await page.goto(url('/account-settings/access-control/api-keys'));
    const add = page.getByRole('button', { name: 'Add API Key' }).first();
    const tooltip = await hoverForTooltip(add, 'create service accounts here (core_serviceaccount_edit)');
    expect(await tooltip.textContent()).toContain('add service accounts to user groups here (core_usergroup_manage)');
    expect(await tooltip.textContent()).toContain('(core_serviceaccount_manageapikey)');
    await expectDisabled(add);

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

  it('follows the rights a custom role gives, not whether the person is an admin', async () => {
    const admin = env().h.admin.client;
    const role = await admin.post('/authz/api/roles', {
      identifier: 'sa_maker', name: 'Service account maker', description: '', tags: {},
      permissions: ['core_serviceaccount_view', 'core_serviceaccount_edit', 'core_usergroup_view'], allowedScopeLevels: ['account'],
    }, { query: { accountIdentifier: account() } });
    expect(role.status).toBe(200);
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
    await expectEnabled(page.getByRole('button', { name: 'Edit', exact: true }));
    await hoverForTooltip(page.getByRole('button', { name: 'Delete', exact: true }),
      "You don't have permission to delete this service account (core_serviceaccount_delete)");
    await expectDisabled(page.getByRole('button', { name: 'API Key', exact: true }).first());
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
});
