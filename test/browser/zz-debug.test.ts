import { it } from 'vitest';
import { describeConsole, field } from './support.js';
describeConsole('debug', (env) => {
  it('shows', async () => {
    const context = await env().newContext();
    const page = await context.newPage();
    page.on('console', (m) => console.log('CONSOLE', m.type(), m.text()));
    page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    page.on('response', (r) => console.log('RESP', r.status(), r.url()));
    await page.goto('/');
    await field(page, 'Email').fill(env().h.admin.email);
    await field(page, 'Password').fill(env().h.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForTimeout(4000);
    await page.screenshot({ path: '/tmp/shot-profile.png' });
    console.log(await page.locator('body').ariaSnapshot());
  });
});
