// The older document's "Add API Key" on a fresh install, where step 4 ("enter a name and select
// your User Group") has no group to select: New User Group makes one with a role from inside the
// dialog, and a chosen group without any role is pointed out before its key is made.
import { expect, it } from 'vitest';
import { apiKeysPage, choose, closeList, copyTokenValue, describeConsole, field, openAddApiKey } from './support.js';

describeConsole('console: Add API Key\'s first key, with no user group yet', (env) => {
  const scope = () => ({ accountIdentifier: env().h.accountId });
  const keysPage = () => apiKeysPage(env().h.accountId);
  async function call(token: string, method: string, path: string, body?: unknown) {
    const res = await fetch(`${env().baseUrl}${path}`, {
      method, headers: { 'x-api-key': token, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined,
    });
    return res.status;
  }

  it('makes a user group with a read-only role from inside Add API Key, chooses it, and the key gets its rights', async () => {
    const page = await env().signedIn();
    await page.goto(keysPage());
    const add = await openAddApiKey(page);
    await field(add, 'Name').fill('Report bot');
    // Lists hold only what the caller may see: the page does not claim that no group exists.
    await add.getByText('No user groups that you can see in the account.').waitFor();

    await add.getByRole('button', { name: 'New User Group' }).click();
    const newGroup = add.getByRole('group', { name: 'New User Group' });
    await field(newGroup, 'Group name').fill('Readers');
    // A read-only role is offered first (chosen as soon as the roles have loaded).
    await expect.poll(() => field(newGroup, 'Role').inputValue(), { timeout: 10_000 }).toBe('Account Viewer');
    // Submit before the group is made says which button makes it, and makes nothing.
    await add.getByRole('button', { name: 'Submit' }).click();
    await add.getByText('Select Create User Group to make the group Readers first, or Discard it').waitFor();
    expect((await env().h.admin.client.get('/ng/api/serviceaccount', { query: scope() })).body.data).toEqual([]);
    await newGroup.getByRole('button', { name: 'Create User Group' }).click();
    await newGroup.waitFor({ state: 'detached' });
    await expect.poll(() => add.getByText('Select Create User Group').count()).toBe(0);

    await add.getByRole('button', { name: 'Submit' }).click();
    // The service account by its name (its Id is Report_bot), the expiry once, with its time.
    await add.getByText('API Key Report bot was created for the new service account Report bot, a member of the group Readers').waitFor();
    await add.getByText(/Its token expires on \d\d\/\d\d\/\d{4}, \d\d:\d\d [AP]M\.$/).waitFor();
    const token = await copyTokenValue(page, add);
    await add.getByRole('button', { name: 'Done' }).click();

    const group = await env().h.admin.client.get('/ng/api/user-groups/Readers', { query: scope() });
    expect(group.body.data.serviceAccounts).toEqual(['Report_bot']);
    const assignments = await env().h.admin.client.get('/authz/api/roleassignments', { query: scope() });
    expect(assignments.body.data.content.map((a: any) => a.roleAssignment)).toContainEqual(expect.objectContaining({
      roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
      principal: expect.objectContaining({ identifier: 'Readers', type: 'USER_GROUP' }),
    }));
    // The key may read, and only read.
    const settings = `/ng/api/account-settings?accountIdentifier=${env().h.accountId}`;
    expect(await call(token, 'GET', settings)).toBe(200);
    expect(await call(token, 'PUT', settings, { apiKeyQps: 5 })).toBe(403);
  });

  it('warns when a chosen user group has no role, so its key could do nothing', async () => {
    const created = await env().h.admin.client.post('/ng/api/user-groups', {
      identifier: 'Empty', name: 'Empty', users: [], serviceAccounts: [],
    }, { query: scope() });
    expect(created.status).toBe(200);
    const page = await env().signedIn();
    await page.goto(keysPage());
    const add = await openAddApiKey(page);
    // A group of a name already taken is said at the Group name, the only field the form shows for it.
    await add.getByRole('button', { name: 'New User Group' }).click();
    const newGroup = add.getByRole('group', { name: 'New User Group' });
    await field(newGroup, 'Group name').fill('Readers');
    await expect.poll(() => field(newGroup, 'Role').inputValue(), { timeout: 10_000 }).toBe('Account Viewer');
    await newGroup.getByRole('button', { name: 'Create User Group' }).click();
    await newGroup.getByText('A user group with the Id Readers already exists here: choose another Group name, or select that group under User Groups.').waitFor();
    expect(await newGroup.getByText('Choose another Id').count()).toBe(0);
    await newGroup.getByRole('button', { name: 'Discard' }).click();
    await newGroup.waitFor({ state: 'detached' });
    await choose(page, add, 'User Groups', 'Readers');
    await closeList(page);
    await page.waitForTimeout(400);
    expect(await add.getByText('has no role').count()).toBe(0);
    await choose(page, add, 'User Groups', 'Empty');
    await closeList(page);
    await add.getByText('Empty has no role').waitFor();
  });
}, { env: { KEYSMITH_API_KEY_QPS: '100' } });
