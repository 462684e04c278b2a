import { it } from 'vitest';
import { describeConsole } from './support.js';
describeConsole('debug', (env) => {
  it('shows', async () => {
    await env().h.admin.client.post('/ng/api/organizations', { organization: { identifier: 'Research', name: 'Research' } }, { query: { accountIdentifier: env().h.accountId } });
    const page = await env().signedIn();
    page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    await page.goto(`/account-settings/organizations?accountIdentifier=${env().h.accountId}`);
    await page.locator('[data-row="Research"]').waitFor();
    console.log(await page.getByRole('combobox', { name: 'Organization' }).innerHTML());
    await page.getByRole('combobox', { name: 'Organization' }).selectOption('Research');
    await page.waitForTimeout(2000);
    console.log(page.url());
    await page.screenshot({ path: '/tmp/shot-org.png' });
  });
});
