// A name whose Id is already taken, and a role assigned twice, as the console says them: a taken Id
// at the Id field (marked invalid, the message tied to it, in words naming what exists), gone as
// soon as the Name or the Id changes; a repeated role assignment, in a form without an Id, in words
// naming the role, the principal and the resource group, never the assignment's internal Id. And a
// name the rule refuses, said at the Name field (Add API Key's New User Group: its Group name) as it is typed.
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import { apiKeysPage, choose, closeList, describeConsole, dialog, field, moreOptions, openAddApiKey } from './support.js';

describeConsole('console: a taken Id at the Id field, a repeated role assignment in words', (env) => {
  const scope = () => ({ accountIdentifier: env().h.accountId });
  const url = (path: string) => `${path}?accountIdentifier=${env().h.accountId}`;
  async function post(path: string, body: Record<string, unknown>) {
    const res = await env().h.admin.client.post(path, { ...body, ...scope() }, { query: scope() });
    expect(res.status).toBe(200);
  }

  /** The field's own message: null unless it is marked invalid; else what its description (aria-describedby) says. */
  async function messageAt(input: Locator): Promise<string | null> {
    if ((await input.getAttribute('aria-invalid')) !== 'true') return null;
    return input.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '').join(' | '));
  }
  /** Waits for the field to say `message`. */
  async function expectMessageAt(input: Locator, message: string): Promise<void> {
    await expect.poll(() => messageAt(input), { timeout: 10_000 }).toContain(message);
  }
  /** The form's alert ("… was not created") is not used for the taken Id, nor are the server's words. */
  async function expectNoAlert(form: Locator): Promise<void> {
    // (Add API Key's warning that a chosen group has no role is an alert too, and may stay.)
    expect(await form.getByRole('alert').filter({ hasText: /was not|already/ }).count()).toBe(0);
    expect(await form.getByText('Choose another Id').count()).toBe(0);
    expect(await form.getByText('Try using different').count()).toBe(0);
  }

  /**
   * In the create form `form`, a Name whose Id is taken: `message` at the Id field, no alert; after
   * `correct` changes the Name or the Id, no message and no alert; then the form is cancelled.
   */
  async function clashAtId(form: Locator, name: string, message: string, correct: (id: Locator) => Promise<void>) {
    const id = field(form, 'Id');
    await field(form, 'Name').fill(name);
    await form.getByRole('button', { name: 'Save' }).click();
    await expectMessageAt(id, message);
    await expectNoAlert(form);
    await correct(id);
    expect(await messageAt(id)).toBeNull();
    await expectNoAlert(form);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'hidden' });
  }

  it('prepares what the names will clash with', async () => {
    const owner = { apiKeyType: 'USER', parentIdentifier: env().h.admin.id };
    // A key renamed after it was made: its Id is the one "My first key" gives.
    await post('/ng/api/apikey', { identifier: 'My_first_key', name: 'Renamed key', ...owner });
    await post('/ng/api/token', { identifier: 'phone', name: 'phone', apiKeyIdentifier: 'My_first_key', ...owner });
    await post('/ng/api/serviceaccount', { identifier: 'ci_bot', name: 'ci bot', email: 'ci_bot@example.com', description: '', tags: {} });
    await post('/ng/api/user-groups', { identifier: 'Readers', name: 'Readers', users: [], serviceAccounts: [] });
    await post('/ng/api/user-groups', { identifier: 'deployers', name: 'Deployers', users: [], serviceAccounts: [] });
  });

  it('New API Key and New Token: a taken Id is said at the Id field, and goes when the Name or the Id changes', async () => {
    const page = await env().signedIn();
    await page.getByRole('button', { name: 'API Key', exact: true }).first().click();
    const create = dialog(page, 'New API Key');
    const name = field(create, 'Name');
    const id = field(create, 'Id');
    const taken = 'An API key with the Id My_first_key already exists here: choose another Name or Id.';

    // The Id follows the name.
    await name.fill('My first key');
    expect(await id.inputValue()).toBe('My_first_key');
    expect(await messageAt(id)).toBeNull();
    await create.getByRole('button', { name: 'Save' }).click();
    await expectMessageAt(id, taken);
    await expectNoAlert(create);
    // A changed name makes another Id: the message goes, and no alert is left behind.
    await name.fill('My first key 2');
    expect(await id.inputValue()).toBe('My_first_key_2');
    expect(await messageAt(id)).toBeNull();
    expect(await create.getByText(taken).count()).toBe(0);
    await expectNoAlert(create);

    // An Id typed by hand: the message is at it, and goes when the Name alone changes too.
    await id.fill('My_first_key');
    await create.getByRole('button', { name: 'Save' }).click();
    await expectMessageAt(id, taken);
    await name.fill('Another key');
    expect(await id.inputValue()).toBe('My_first_key');
    expect(await messageAt(id)).toBeNull();
    await expectNoAlert(create);
    await id.fill('Another_key');
    await create.getByRole('button', { name: 'Save' }).click();
    await create.waitFor({ state: 'hidden' });
    await page.getByRole('region', { name: 'API Key Another key' }).waitFor();

    // A token of a name already used in that key.
    await page.getByRole('region', { name: 'API Key Renamed key' }).getByRole('button', { name: 'Token', exact: true }).click();
    const token = dialog(page, 'New Token for Renamed key');
    const tokenId = field(token, 'Id');
    await field(token, 'Name').fill('phone');
    await token.getByRole('button', { name: 'Generate Token' }).click();
    await expectMessageAt(tokenId, 'A token with the Id phone already exists in API key Renamed key: choose another Name or Id.');
    await expectNoAlert(token);
    expect(await token.getByTestId('token-value').count()).toBe(0);
    await tokenId.fill('phone_2');
    expect(await messageAt(tokenId)).toBeNull();
    await expectNoAlert(token);
    await token.getByRole('button', { name: 'Cancel' }).click();
    await token.waitFor({ state: 'hidden' });
  });

  it('New Service Account and New User Group: the same at the Id field', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings/access-control/service-accounts'));
    await page.getByRole('button', { name: 'New Service Account' }).first().click();
    await clashAtId(dialog(page, 'New Service Account'), 'ci bot',
      'A service account with the Id ci_bot already exists here: choose another Name or Id.', (id) => id.fill('ci_bot2'));

    await page.getByRole('tab', { name: 'User Groups' }).click();
    await page.getByRole('button', { name: 'New User Group' }).first().click();
    const group = dialog(page, 'New User Group');
    await clashAtId(group, 'Readers', 'A user group with the Id Readers already exists here: choose another Name or Id.',
      () => field(group, 'Name').fill('Readers 2'));
  });

  it('a name with a character the rule refuses is said at the Name field as it is typed, in every form with a Name', async () => {
    const rule = 'Use at most 128 characters: English letters (A–Z, a–z, no accents), digits, spaces and - _ . /';
    /** In `form`: nothing said of an empty Name before it is sent, the rule once "(" is typed, nothing once it is gone. */
    async function ruleAtName(form: Locator, label = 'Name', cancel = 'Cancel') {
      const name = field(form, label);
      await name.fill('');
      expect(await messageAt(name)).toBeNull();
      await name.fill('Build (nightly)');
      await expectMessageAt(name, rule);
      await name.fill('Build nightly');
      expect(await messageAt(name)).toBeNull();
      await form.getByRole('button', { name: cancel }).click();
      await form.waitFor({ state: 'hidden' });
    }
    const page = await env().signedIn();
    await page.getByRole('button', { name: 'API Key', exact: true }).first().click();
    await ruleAtName(dialog(page, 'New API Key'));
    await moreOptions(page, 'API Key Renamed key', 'Edit');
    await ruleAtName(dialog(page, 'Edit API Key'));
    await page.getByRole('region', { name: 'API Key Renamed key' }).getByRole('button', { name: 'Token', exact: true }).click();
    await ruleAtName(dialog(page, 'New Token for Renamed key'));

    await page.goto(url('/account-settings/access-control/service-accounts'));
    await page.getByRole('button', { name: 'New Service Account' }).first().click();
    await ruleAtName(dialog(page, 'New Service Account'));
    await page.goto(apiKeysPage(env().h.accountId));
    await ruleAtName(await openAddApiKey(page));
    // Add API Key's own New User Group, whose Group name is its only field for the name.
    const add = await openAddApiKey(page);
    await add.getByRole('button', { name: 'New User Group' }).click();
    await ruleAtName(add.getByRole('group', { name: 'New User Group' }), 'Group name', 'Discard');
    await add.getByRole('button', { name: 'Cancel' }).click();
    await add.waitFor({ state: 'hidden' });
    await page.goto(url('/account-settings/organizations'));
    await page.getByRole('button', { name: 'New Organization' }).first().click();
    await ruleAtName(dialog(page, 'New Organization'));
  });

  it('Assign Role a second time says that the role is already assigned there, without an internal Id', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings/access-control/service-accounts/ci_bot'));
    await page.getByRole('heading', { name: 'ci bot' }).waitFor();
    const repeated = 'The role Account Viewer is already assigned to service account ci bot with the resource group All Resources Including Child Scopes.';
    for (const time of [1, 2]) {
      await page.getByRole('button', { name: 'Assign Role' }).click();
      const assign = dialog(page, 'Assign Role to service account ci bot');
      await choose(page, assign, 'Role', 'Account Viewer (managed)');
      await choose(page, assign, 'Resource group', 'All Resources Including Child Scopes');
      await assign.getByRole('button', { name: 'Assign' }).click();
      if (time === 1) {
        await assign.waitFor({ state: 'hidden' });
        continue;
      }
      await assign.getByRole('alert').getByText(repeated).waitFor();
      expect(await assign.getByText('role_assignment_', { exact: false }).count()).toBe(0);
      expect(await assign.getByText('Choose another Id').count()).toBe(0);
      expect(await assign.getByRole('textbox', { name: 'Id' }).count()).toBe(0);
      // Another resource group is another assignment: the message goes.
      await choose(page, assign, 'Resource group', 'All Account Level Resources');
      expect(await assign.getByRole('alert').count()).toBe(0);
      await assign.getByRole('button', { name: 'Cancel' }).click();
      await assign.waitFor({ state: 'hidden' });
    }
    const assignments = await env().h.admin.client.get('/authz/api/roleassignments', { query: scope() });
    expect(assignments.status).toBe(200);
    expect((assignments.body.data.content as any[]).filter((a) => a.roleAssignment.principal.identifier === 'ci_bot')).toHaveLength(1);
  });

  it('Add API Key with a name whose service account exists: said at the Id field, and nothing is done', async () => {
    const page = await env().signedIn();
    await page.goto(apiKeysPage(env().h.accountId));
    const add = await openAddApiKey(page);
    const id = field(add, 'Id');
    await field(add, 'Name').fill('ci bot');
    await choose(page, add, 'User Groups', 'Deployers');
    await closeList(page);
    await add.getByRole('button', { name: 'Submit' }).click();
    await expectMessageAt(id, "A service account with the Id ci_bot already exists here (Add API Key makes one with the key's Id): choose another Name or Id.");
    await expectNoAlert(add);
    expect(await add.getByRole('list', { name: 'Progress' }).count()).toBe(0);
    await field(add, 'Name').fill('ci bot 2');
    expect(await messageAt(id)).toBeNull();
    await expectNoAlert(add);
    const deployers = await env().h.admin.client.get('/ng/api/user-groups/deployers', { query: scope() });
    expect(deployers.body.data.serviceAccounts).toEqual([]);
  });
}, { env: { KEYSMITH_API_KEY_QPS: '100' } });
