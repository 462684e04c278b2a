// The newer document's procedures for personal API keys and tokens, in a real browser:
// My Profile → My API Keys → API Key → Save → Token → Set Expiration Date → Generate Token → copy;
// then Edit (key and token), Rotate Token, Delete (token and key). Each token the page hands out
// is checked against the API from outside the browser.
import type { Locator } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  apiKeysPage, copyTokenValue, describeConsole, dialog, escapeMenu, eventually, expectDisabled, expectEnabled, field, horizontalOverflow, moreOptions, overlaps, signIn,
  UI_TIMEOUT,
} from './support.js';

const WARNINGS = [
  'The token is only displayed once. Store the token somewhere secure that you can access when you make API requests.',
  "Your API keys carry many privileges. Don't store them in publicly-accessible areas.",
  'After rotating tokens make sure you always use the new token.',
];
const NEW_YORK = 'America/New_York';
const DAY = 86_400_000;
/** Years ahead, so the dates never fall into the past. */
const Y1 = new Date().getFullYear() + 4;
const Y2 = Y1 + 1;
const Y3 = Y1 + 2;

/** An instant as wall-clock time in New York, to check "end of that day in the browser's time zone". */
function newYorkTime(ms: number): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: NEW_YORK, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).format(new Date(ms));
}

/** "December 2026", as the calendar's header says a month. */
function monthOf(day: Date): string {
  return day.toLocaleString('en-US', { month: 'long', year: 'numeric' });
}

/** mm/dd/yyyy of a local day, as the date field takes it. */
function usDay(day: Date): string {
  return `${String(day.getMonth() + 1).padStart(2, '0')}/${String(day.getDate()).padStart(2, '0')}/${day.getFullYear()}`;
}

/** 'YYYY-MM-DD' of a local day. */
function isoDay(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/** The days of the shown month the calendar offers, as 'YYYY-MM-DD' (from their names: "5 December 2026"). */
async function offeredDays(calendar: Locator): Promise<string[]> {
  const labels = await calendar.locator('table button:not([disabled]):not([data-outside])').evaluateAll((days) => days.map((d) => d.getAttribute('aria-label') ?? ''));
  return labels.map((label) => {
    const [day, month, year] = label.split(' ');
    return isoDay(new Date(Number(year), new Date(`${month} 1, 2000`).getMonth(), Number(day)));
  });
}

describeConsole('console: personal API keys and tokens (My Profile → My API Keys)', (env) => {
  /** A request made outside the browser with the copied token. */
  async function whoAmI(token: string) {
    const res = await fetch(`${env().baseUrl}/ng/api/user/currentUser`, { headers: { 'x-api-key': token } });
    return { status: res.status, body: await res.json().catch(() => null) as any };
  }
  async function myTokens() {
    const res = await env().h.admin.client.get('/ng/api/token/aggregate', {
      query: { accountIdentifier: env().h.accountId, apiKeyType: 'USER', parentIdentifier: env().h.admin.id },
    });
    expect(res.status).toBe(200);
    return res.body.data.content as any[];
  }

  it('signs in, keeps the session over a reload, and signs out', async () => {
    const context = await env().newContext();
    const page = await context.newPage();
    await page.goto('/');
    await field(page, 'Email').fill(env().h.admin.email);
    await field(page, 'Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'The email or the password is not correct.' }).waitFor();

    await signIn(page, env().h.admin.email, env().h.admin.password);
    await page.reload();
    await page.getByRole('heading', { name: 'My Profile' }).waitFor();

    await page.getByRole('button', { name: /User menu for/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('says what failed when the session check meets a server error or no server, and Try again asks again', async () => {
    const page = await env().signedIn();
    const SESSION = '**/api/auth/session';
    await page.route(SESSION, (route) => route.fulfill({
      status: 500, contentType: 'application/json', body: JSON.stringify({ status: 'ERROR', code: 'UNKNOWN_ERROR', message: 'database is down' }),
    }));
    await page.reload();
    const failed = page.getByRole('alert').filter({ hasText: 'Could not load your session' });
    await failed.getByText("The server failed to handle this (database is down). Try again; if it keeps failing, check the server's log.").waitFor();
    // Not the sign-in form: signing in would not help, and the session may well be fine.
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

    await page.unroute(SESSION);
    await page.route(SESSION, (route) => route.abort('connectionrefused'));
    await failed.getByRole('button', { name: 'Try again' }).click();
    await failed.getByText('The keysmith server could not be reached. Check your connection and try again.').waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);

    // Once the server answers, Try again finds the session still there.
    await page.unroute(SESSION);
    await failed.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'My Profile' }).waitFor();
    expect(await failed.count()).toBe(0);

    // A 401 still means "not signed in": the sign-in form, with no error.
    const anonymous = await (await env().newContext()).newPage();
    await anonymous.goto('/');
    await anonymous.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await anonymous.getByRole('alert').count()).toBe(0);
  });

  it('follows "Create personal API keys and tokens", steps 1 to 8', async () => {
    const page = await env().signedIn({ timezoneId: NEW_YORK });

    // 1. Go to your user profile.
    await page.getByRole('button', { name: /User menu for/ }).click();
    await page.getByRole('menuitem', { name: 'My Profile' }).click();
    await page.getByRole('heading', { name: 'My API Keys' }).waitFor();
    await page.getByText('No API keys yet').waitFor();
    // Keys made in another scope are not here: the page says where they are.
    await page.getByText(/Each scope has its own API keys: choose another organization or project under Scope/).waitFor();

    // 2. Under My API Keys, select API Key.
    await page.getByRole('button', { name: 'API Key', exact: true }).first().click();
    const keyDialog = dialog(page, 'New API Key');
    // 3. Enter a Name; Description and Tags are optional. The Id follows the name.
    await field(keyDialog, 'Name').fill('CI deploy key');
    expect(await field(keyDialog, 'Id').inputValue()).toBe('CI_deploy_key');
    await field(keyDialog, 'Description').fill('Used by the CI pipeline');
    await field(keyDialog, 'Tags').fill('team:platform');
    await field(keyDialog, 'Tags').press('Enter');
    // 4. Select Save to create your API key.
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.waitFor({ state: 'hidden' });
    const card = page.getByRole('region', { name: 'API Key CI deploy key' });
    await card.getByText('Used by the CI pipeline').waitFor();
    // Shown as typed.
    await card.getByText('team:platform', { exact: true }).waitFor();

    // A message points at the next step; it goes once that step is taken, rather than staying, stale.
    const hint = page.getByRole('alert').filter({ hasText: 'API Key CI deploy key created. Now add a token to it with + Token.' });
    await hint.waitFor();
    // (Held open by the pointer resting on it, so that going within 3 s of + Token is + Token's doing:
    // leaving it starts its 4 s again.)
    await hint.hover();

    // 5. Select Token under your new API key.
    await card.getByRole('button', { name: 'Token', exact: true }).click();
    const tokenDialog = dialog(page, 'New Token for CI deploy key');
    await hint.waitFor({ state: 'detached', timeout: 3_000 });
    // 6. Enter a Name for the token.
    await field(tokenDialog, 'Name').fill('pipeline');
    // Without a date, the dialog says which date the key's default gives.
    await tokenDialog.getByTestId('default-expiry').filter({ hasText: "the API key's default of 30 days" }).waitFor();
    // 7. Select Set Expiration Date and enter a date as mm/dd/yyyy.
    await tokenDialog.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    // A checkbox is square with rounded corners, not round like a radio button.
    expect(await tokenDialog.getByRole('checkbox', { name: 'Set Expiration Date' })
      .evaluate((box) => parseFloat(getComputedStyle(box).borderTopLeftRadius) / box.getBoundingClientRect().width)).toBeLessThan(0.3);
    const dateInput = field(tokenDialog, 'Expiration Date');
    await dateInput.fill(`12/31/${Y1}`);
    // 8. Select Generate Token and copy the token.
    await tokenDialog.getByRole('button', { name: 'Generate Token' }).click();
    for (const warning of WARNINGS) await tokenDialog.getByText(warning).waitFor();
    // ...and how to use it ("Use an API Key and REST": in the call's header).
    await tokenDialog.getByText('Send it in the x-api-key header of your API calls.').waitFor();
    const token = await copyTokenValue(page, tokenDialog);
    expect(token).toMatch(/^pat\.[A-Za-z0-9]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20}$/);

    // The copied token works outside the browser, as the signed-in user.
    const me = await whoAmI(token);
    expect(me.status).toBe(200);
    expect(me.body.data.email).toBe(env().h.admin.email);

    // Once the dialog closes the value is gone from the page and from browser storage.
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await tokenDialog.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(token);
    expect(await page.evaluate('JSON.stringify(Object.assign({}, localStorage, sessionStorage))')).not.toContain(token.split('.')[3]);

    // The token is listed under its key, active, expiring at the end of December 31st in New York.
    const row = card.locator('[data-row="pipeline"]');
    await row.getByText('Active').waitFor();
    await row.getByText(`12/31/${Y1}, 11:59 PM`).waitFor();
    const [stored] = await myTokens();
    expect(newYorkTime(stored.token.validTo)).toBe(`12/31/${Y1}, 23:59:59`);
  });

  it('follows "Edit API keys" and "Edit tokens" (personal)', async () => {
    const page = await env().signedIn({ timezoneId: NEW_YORK });
    await page.getByRole('heading', { name: 'My API Keys' }).waitFor();

    // Edit API keys: More Options → Edit; the Id cannot be edited.
    await moreOptions(page, 'API Key CI deploy key', 'Edit');
    const keyDialog = dialog(page, 'Edit API Key');
    const id = field(keyDialog, 'Id');
    expect(await id.inputValue()).toBe('CI_deploy_key');
    expect(await id.getAttribute('readonly')).not.toBeNull();
    await field(keyDialog, 'Name').fill('CI deploy key v2');
    expect(await id.inputValue()).toBe('CI_deploy_key');
    await field(keyDialog, 'Description').fill('Renamed');
    // A lifetime of 0 days is refused with a message, and nothing is saved (not 0.01 days in its place).
    const lifetime = field(keyDialog, 'Default token lifetime (days)');
    await lifetime.fill('0');
    await lifetime.press('Tab');
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.getByText('Enter a number of days greater than 0').waitFor();
    expect(await lifetime.inputValue()).toBe('0');
    await lifetime.fill('30');
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.waitFor({ state: 'hidden' });
    // The message that pops up leaves the user menu, at the header's right, uncovered.
    const saved = page.getByRole('alert').filter({ hasText: 'API Key CI deploy key v2 saved.' });
    await saved.waitFor();
    expect(await overlaps(saved, page.getByRole('button', { name: /User menu for/ }))).toBe(false);
    const card = page.getByRole('region', { name: 'API Key CI deploy key v2' });
    await card.getByText('Renamed').waitFor();
    const keys = await env().h.admin.client.get('/ng/api/apikey', {
      query: { accountIdentifier: env().h.accountId, apiKeyType: 'USER', parentIdentifier: env().h.admin.id },
    });
    expect(keys.body.data).toMatchObject([{ identifier: 'CI_deploy_key', name: 'CI deploy key v2', description: 'Renamed', defaultTimeToExpireToken: 30 * 86_400_000 }]);

    // Edit tokens: expand the token, More Options → Edit: name, description, tags, expiration date.
    // A key's tokens fold away with Collapse; Expand, or selecting the key, shows them again.
    await card.getByRole('button', { name: 'Collapse CI deploy key v2', exact: true }).click();
    await card.locator('[data-row="pipeline"]').waitFor({ state: 'hidden' });
    await card.getByText('CI deploy key v2', { exact: true }).click();
    await card.locator('[data-row="pipeline"]').waitFor();
    const toggle = card.getByRole('button', { name: 'Collapse CI deploy key v2', exact: true });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    // The tokens unfold for a moment, clipped until they are all out, as a person sees them before reaching for a ⋮.
    const tokens = page.locator(`[id="${await toggle.getAttribute('aria-controls')}"]`);
    await eventually(async () => expect(await tokens.evaluate((panel) => (panel as HTMLElement).style.height)).toBe(''));
    await moreOptions(page, 'Token pipeline', 'Edit');
    const tokenDialog = dialog(page, 'Edit Token');
    expect(await field(tokenDialog, 'Id').getAttribute('readonly')).not.toBeNull();
    await tokenDialog.getByText("The token's value cannot be shown again or changed").waitFor();
    await field(tokenDialog, 'Description').fill('Nightly builds');
    await tokenDialog.getByText(`The token expires on 12/31/${Y1}, 11:59 PM.`).waitFor();
    await tokenDialog.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    const dateInput = field(tokenDialog, 'Expiration Date');
    // The field starts from the token's current date, selected: clicking it and typing replaces it.
    expect(await dateInput.inputValue()).toBe(`12/31/${Y1}`);
    await dateInput.click();
    await page.keyboard.type(`06/30/${Y2}`);
    expect(await dateInput.inputValue()).toBe(`06/30/${Y2}`);
    await dateInput.press('Tab');
    await tokenDialog.getByRole('button', { name: 'Save' }).click();
    await tokenDialog.waitFor({ state: 'hidden' });
    const row = card.locator('[data-row="pipeline"]');
    await row.getByText('Nightly builds').waitFor();
    await row.getByText(`06/30/${Y2}, 11:59 PM`).waitFor();
    const [stored] = await myTokens();
    expect(stored.token.description).toBe('Nightly builds');
    expect(newYorkTime(stored.token.validTo)).toBe(`06/30/${Y2}, 23:59:59`);
  });

  it('follows "Rotate tokens" (personal): the old value keeps working for the chosen time, the new one works', async () => {
    const page = await env().signedIn({ timezoneId: NEW_YORK });
    const card = page.getByRole('region', { name: 'API Key CI deploy key v2' });
    await card.waitFor();

    // A fresh token whose value we hold, to watch rotation from outside.
    await card.getByRole('button', { name: 'Token', exact: true }).click();
    const create = dialog(page, /New Token for/);
    await field(create, 'Name').fill('rotating');
    await create.getByRole('button', { name: 'Generate Token' }).click();
    const first = await copyTokenValue(page, create);
    await create.getByRole('button', { name: 'Done' }).click();
    await create.waitFor({ state: 'hidden' });

    // 2. Expand the token, More Options → Rotate Token.
    await moreOptions(page, 'Token rotating', 'Rotate Token');
    const rotate = dialog(page, 'Rotate Token rotating');
    await rotate.getByRole('radio', { name: '1 hour' }).check();
    // 3. Set Expiration Date for the new token.
    await rotate.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    const dateInput = field(rotate, 'Expiration Date');
    await dateInput.fill(`01/15/${Y3}`);
    await dateInput.press('Tab');
    // 4. Select Rotate Token and copy the token.
    const before = Date.now();
    await rotate.getByRole('button', { name: 'Rotate Token' }).click();
    await rotate.getByText('The old value keeps working until').waitFor();
    for (const warning of WARNINGS) await rotate.getByText(warning).waitFor();
    const second = await copyTokenValue(page, rotate);
    expect(second).not.toBe(first);
    await rotate.getByRole('button', { name: 'Done' }).click();
    await rotate.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(second);

    // Both values work now: the old one is in its grace period.
    expect((await whoAmI(second)).status).toBe(200);
    expect((await whoAmI(first)).status).toBe(200);
    const tokens = await myTokens();
    const fresh = tokens.find((t) => t.token.identifier === 'rotating');
    const old = tokens.find((t) => t.token.identifier.startsWith('rotated_'));
    expect(newYorkTime(fresh.token.validTo)).toBe(`01/15/${Y3}, 23:59:59`);
    expect(old.token.scheduledExpireTime).toBeGreaterThanOrEqual(before + 3600_000 - 60_000);
    expect(old.token.scheduledExpireTime).toBeLessThanOrEqual(Date.now() + 3600_000 + 60_000);
    // The page shows the old one as rotated and in its grace period; it can no longer be edited.
    await card.getByText(/in grace period until/).waitFor();
    await page.getByRole('button', { name: 'More Options for Token rotating (rotated)', exact: true }).click();
    expect(await page.getByRole('menuitem', { name: 'Rotate Token' }).isDisabled()).toBe(true);
    // Why, written in the menu (once for Edit and Rotate Token, which share it) and given as each item's description.
    const why = 'A rotated token only works until its grace period ends and cannot be changed.';
    await expect.poll(() => page.getByRole('menu').getByText(why).count()).toBe(1);
    for (const item of ['Edit', 'Rotate Token']) {
      const described = await page.getByRole('menuitem', { name: item, exact: true }).getAttribute('aria-describedby');
      expect(await page.locator(`[id="${described}"]`).textContent()).toBe(why);
    }
    // The reason is written at full strength (only the items it explains are faded), so it can be read.
    expect(await page.getByRole('menu').getByText(why).evaluate((hint) => {
      let opacity = 1;
      for (let e: Element | null = hint; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      return opacity;
    })).toBe(1);
    await escapeMenu(page);

    // Rotating with "Stop it now": the previous value stops at once.
    await moreOptions(page, 'Token rotating', 'Rotate Token');
    const again = dialog(page, 'Rotate Token rotating');
    await again.getByText(`The new token keeps the current expiration date: 01/15/${Y3}`).waitFor();
    await again.getByRole('radio', { name: 'Stop it now' }).check();
    await again.getByRole('button', { name: 'Rotate Token' }).click();
    await again.getByText('The old value no longer works.').waitFor();
    const third = await copyTokenValue(page, again);
    await again.getByRole('button', { name: 'Done' }).click();
    expect((await whoAmI(third)).status).toBe(200);
    expect((await whoAmI(second)).status).toBe(401);
  });

  it('treats a token whose Id starts with rotated_ like any other until it is rotated: Active, editable, rotatable', async () => {
    const { h } = env();
    const scope = { accountIdentifier: h.accountId };
    const owner = { apiKeyType: 'USER', parentIdentifier: h.admin.id };
    expect((await h.admin.client.post('/ng/api/apikey', { identifier: 'named_ids', name: 'named ids', ...owner, ...scope }, { query: scope })).status).toBe(200);
    const made = await h.admin.client.post('/ng/api/token', {
      identifier: 'rotated_ci', name: 'rotated_ci', apiKeyIdentifier: 'named_ids', ...owner, ...scope,
    }, { query: scope });
    expect(made.status).toBe(200);
    try {
      const page = await env().signedIn();
      const card = page.getByRole('region', { name: 'API Key named ids' });
      await card.locator('[data-row="rotated_ci"]').getByText('Active').waitFor();
      await card.getByText('1 token', { exact: true }).waitFor();
      expect(await card.getByText(/in grace period/).count()).toBe(0);
      await page.getByRole('button', { name: 'More Options for Token rotated_ci', exact: true }).click();
      await expectEnabled(page.getByRole('menuitem', { name: 'Edit', exact: true }));
      await expectEnabled(page.getByRole('menuitem', { name: 'Rotate Token', exact: true }));
      await page.getByRole('menuitem', { name: 'Rotate Token', exact: true }).click();

      // Rotated for real: the old value is the one in its grace period, the new one keeps the Id.
      const rotate = dialog(page, 'Rotate Token rotated_ci');
      await rotate.getByRole('radio', { name: '1 hour' }).check();
      await rotate.getByRole('button', { name: 'Rotate Token' }).click();
      await rotate.getByText('The old value keeps working until').waitFor();
      await rotate.getByRole('button', { name: 'Done' }).click();
      await rotate.waitFor({ state: 'hidden' });
      await card.getByText('+ 1 rotated, in grace period').waitFor();
      await card.locator('[data-row="rotated_ci"]').getByText('Active').waitFor();
      await page.getByRole('button', { name: 'More Options for Token rotated_ci (rotated)', exact: true }).click();
      expect(await page.getByRole('menuitem', { name: 'Edit', exact: true }).isDisabled()).toBe(true);
      await escapeMenu(page);
      await page.getByRole('button', { name: 'More Options for Token rotated_ci', exact: true }).click();
      await expectEnabled(page.getByRole('menuitem', { name: 'Edit', exact: true }));
      await escapeMenu(page);
    } finally {
      // Out of the way of the other tests, which count this owner's keys and tokens.
      expect((await h.admin.client.delete('/ng/api/apikey/named_ids', { query: { ...scope, ...owner } })).status).toBe(200);
    }
  });

  /** A personal API key of the admin's with one token, made through the API; the token's value. */
  async function keyWithToken(key: string, token: string): Promise<string> {
    const { h } = env();
    const scope = { accountIdentifier: h.accountId };
    const owner = { apiKeyType: 'USER', parentIdentifier: h.admin.id };
    const madeKey = await h.admin.client.post('/ng/api/apikey', { identifier: key, name: key, ...owner, ...scope }, { query: scope });
    expect(madeKey.status, madeKey.text).toBe(200);
    const made = await h.admin.client.post('/ng/api/token', { identifier: token, name: token, apiKeyIdentifier: key, ...owner, ...scope }, { query: scope });
    expect(made.status, made.text).toBe(200);
    return made.body.data;
  }
  /** Out of the way of the other tests, which count this owner's keys and tokens. */
  async function deleteKey(key: string) {
    const { h } = env();
    const res = await h.admin.client.delete(`/ng/api/apikey/${key}`, { query: { accountIdentifier: h.accountId, apiKeyType: 'USER', parentIdentifier: h.admin.id } });
    expect(res.status).toBe(200);
  }

  it('says "Expired <date>", not "Expires", of a token past its expiry: in My Profile and in the API Keys inventory', async () => {
    await keyWithToken('short_key', 'short_lived');
    try {
      // Its expiry moved into the past in the store: the API refuses one in the past, and waiting
      // for a short one to pass would race the requests that make it on a busy machine.
      const now = Date.now();
      await env().h.store.db.updateTable('tokens').set({ valid_from: now - 2 * 3_600_000, valid_to: now - 3_600_000 })
        .where('identifier', '=', 'short_lived').execute();
      const page = await env().signedIn();
      const row = page.getByRole('region', { name: 'API Key short_key' }).locator('[data-row="short_lived"]');
      await row.getByText('Expired', { exact: true }).waitFor();
      // The Expires column, as the badge says.
      await row.getByText(/^Expired \d\d\/\d\d\/\d{4}, /).waitFor();

      await page.goto(apiKeysPage(env().h.accountId));
      const line = page.locator('[data-token="short_lived"]');
      await line.getByText('Expired', { exact: true }).waitFor();
      await line.getByText(/^Expired \d\d\/\d\d\/\d{4}, .* · Last used never$/).waitFor();
    } finally {
      await deleteKey('short_key');
    }
  });

  it('says Expired when a token expires while the page stays open, without a reload or new data', async () => {
    await keyWithToken('expiring_key', 'expiring');
    const now = Date.now();
    await env().h.store.db.updateTable('tokens').set({ valid_to: now + 10 * 60_000 }).where('identifier', '=', 'expiring').execute();
    const context = await env().newContext();
    try {
      // The page's clock, to move it past the expiry rather than wait ten minutes.
      const page = await context.newPage();
      await page.clock.install();
      await signIn(page, env().h.admin.email, env().h.admin.password);
      const row = page.getByRole('region', { name: 'API Key expiring_key' }).locator('[data-row="expiring"]');
      await row.getByText('Active', { exact: true }).waitFor();
      await page.clock.fastForward('11:00');
      await row.getByText('Expired', { exact: true }).waitFor();
      await row.getByText(/^Expired \d\d\/\d\d\/\d{4}, /).waitFor();
    } finally {
      await context.close();
      await deleteKey('expiring_key');
    }
  });

  it('refreshes "Last used" while the page stays open, without a reload', async () => {
    const value = await keyWithToken('used_key', 'used');
    // Its own context, closed at the end: the page polls for as long as it is open.
    const context = await env().newContext();
    try {
      // The page's clock, to move it on by the refresh's interval rather than wait that long.
      const page = await context.newPage();
      await page.clock.install();
      await signIn(page, env().h.admin.email, env().h.admin.password);
      const lastUsed = page.getByRole('region', { name: 'API Key used_key' }).locator('[data-row="used"]').getByText('Never', { exact: true });
      await lastUsed.waitFor();

      expect((await whoAmI(value)).status).toBe(200);
      await eventually(async () => expect((await myTokens()).find((t) => t.token.identifier === 'used')?.lastUsedAt).toBeGreaterThan(0));
      await page.clock.fastForward('00:31');
      await lastUsed.waitFor({ state: 'detached' });
      await page.getByRole('region', { name: 'API Key used_key' }).locator('[data-row="used"]').getByText('just now').waitFor();
    } finally {
      await context.close();
      await deleteKey('used_key');
    }
  });

  it('says a list is too long to show whole, after one request, rather than showing part of it', async () => {
    const page = await env().signedIn();
    // The signed-in page's own first load finishes first: a request of it sent after the route below
    // is set would be answered and counted too, though the reload never sent it.
    await page.waitForLoadState('networkidle');
    let asked = 0;
    await page.route('**/ng/api/apikey/aggregate**', (route) => {
      asked++;
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({
        status: 'SUCCESS', data: { content: [], pageIndex: 0, pageSize: 100, pageItemCount: 100, totalItems: 5_050, totalPages: 51, empty: false },
      }) });
    });
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Could not load the API keys' })
      .getByText('This list has 5,050 entries, more than the 5,000 the console shows. Use the REST API to read it page by page.').waitFor();
    // Asking again would get the same answer: the console did not.
    expect(asked).toBe(1);
  });

  it('keeps dates within the account\'s maximum token lifetime, in days, before asking the server', async () => {
    const account = { accountIdentifier: env().h.accountId };
    const set = (maxTokenLifetimeMs: number | null) => env().h.admin.client.put('/ng/api/account-settings', { maxTokenLifetimeMs }, { query: account });
    expect((await set(10 * 86_400_000)).status).toBe(200);
    try {
      // The last day whose end is at most 10 days from now, in the browser's (= this machine's) time zone.
      const latest = Date.now() + 10 * 86_400_000;
      const lastDay = new Date(latest);
      if (new Date(lastDay.getFullYear(), lastDay.getMonth(), lastDay.getDate(), 23, 59, 59, 999).getTime() > latest) lastDay.setDate(lastDay.getDate() - 1);
      const last = `${String(lastDay.getMonth() + 1).padStart(2, '0')}/${String(lastDay.getDate()).padStart(2, '0')}/${lastDay.getFullYear()}`;
      const message = `Tokens in this account may last at most 10 days: choose a date on or before ${last}.`;

      const page = await env().signedIn();
      const card = page.getByRole('region', { name: 'API Key CI deploy key v2' });
      await card.getByRole('button', { name: 'Token', exact: true }).click();
      const create = dialog(page, /New Token for/);
      await field(create, 'Name').fill('too long');
      await create.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
      await field(create, 'Expiration Date').fill(`12/31/${Y1}`);
      await field(create, 'Expiration Date').press('Tab');
      await create.getByText(message).waitFor();
      await create.getByRole('button', { name: 'Generate Token' }).click();
      await page.waitForTimeout(300);
      expect(await create.getByTestId('token-value').count()).toBe(0);
      expect((await myTokens()).some((t) => t.token.identifier === 'too_long')).toBe(false);
      // The last allowed day is accepted.
      await field(create, 'Expiration Date').fill(last);
      await field(create, 'Expiration Date').press('Tab');
      await create.getByRole('button', { name: 'Generate Token' }).click();
      await create.getByTestId('token-value').waitFor();
      await create.getByRole('button', { name: 'Done' }).click();
      await create.waitFor({ state: 'hidden' });

      // Rotating a token whose date is further away than that: said at once, in days, and not sent.
      await moreOptions(page, 'Token rotating', 'Rotate Token');
      const rotate = dialog(page, 'Rotate Token rotating');
      await rotate.getByText(`select Set Expiration Date and choose a date on or before ${last}.`).waitFor();
      const before = (await myTokens()).find((t) => t.token.identifier === 'rotating');
      await rotate.getByRole('button', { name: 'Rotate Token' }).click();
      await page.waitForTimeout(300);
      expect(await rotate.getByTestId('token-value').count()).toBe(0);
      expect((await myTokens()).find((t) => t.token.identifier === 'rotating').createdAt).toBe(before.createdAt);
      // Set Expiration Date leaves that date out rather than put it in the field, and its calendar
      // opens on this month, offering today to the last allowed day only; a date typed too far away
      // shows the last allowed day's month.
      await rotate.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
      const rotateDate = field(rotate, 'Expiration Date');
      expect(await rotateDate.inputValue()).toBe('');
      await rotateDate.click();
      const calendar = page.getByTestId('expiration-calendar');
      const choosable = calendar.locator('table button:not([disabled]):not([data-outside])');
      await calendar.waitFor();
      await calendar.getByText(monthOf(new Date()), { exact: true }).waitFor();
      const todayIso = isoDay(new Date());
      const lastIso = isoDay(lastDay);
      const offered = await offeredDays(calendar);
      expect(offered.length).toBeGreaterThan(0);
      expect(offered.filter((d) => d < todayIso || d > lastIso)).toEqual([]);
      await rotateDate.fill(`12/31/${Y1}`);
      await calendar.getByText(monthOf(lastDay), { exact: true }).waitFor();
      expect(await choosable.count()).toBeGreaterThan(0);
      await choosable.filter({ hasText: new RegExp(`^${lastDay.getDate()}$`) }).click();
      expect(await rotateDate.inputValue()).toBe(last);
      await rotate.getByRole('button', { name: 'Cancel' }).click();
      await rotate.waitFor({ state: 'hidden' });

      // Where the console cannot read the account settings, the server's refusal is put into days.
      const blind = await env().signedIn();
      await blind.route('**/ng/api/account-settings**', (route) => route.fulfill({
        status: 403, contentType: 'application/json', body: JSON.stringify({ status: 'ERROR', code: 'NG_ACCESS_DENIED', message: 'denied' }),
      }));
      await blind.reload();
      await blind.getByRole('region', { name: 'API Key CI deploy key v2' }).getByRole('button', { name: 'Token', exact: true }).click();
      const refused = dialog(blind, /New Token for/);
      await field(refused, 'Name').fill('refused');
      await refused.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
      await field(refused, 'Expiration Date').fill(`12/31/${Y1}`);
      await field(refused, 'Expiration Date').press('Tab');
      await refused.getByRole('button', { name: 'Generate Token' }).click();
      await refused.getByRole('alert').getByText(
        'Tokens in this account may last at most 10 days from when they start: choose an earlier expiration date with Set Expiration Date.').waitFor();
      expect(await refused.getByText('864000000').count()).toBe(0);
    } finally {
      expect((await set(null)).status).toBe(200);
    }
  });

  it('waits for the account\'s maximum before filling in the date, and disables Set Expiration Date, saying why, when it leaves no day', async () => {
    const { h } = env();
    const scope = { accountIdentifier: h.accountId };
    const owner = { apiKeyType: 'USER', parentIdentifier: h.admin.id };
    const set = (maxTokenLifetimeMs: number | null) => h.admin.client.put('/ng/api/account-settings', { maxTokenLifetimeMs }, { query: scope });
    const madeKey = await h.admin.client.post('/ng/api/apikey', { identifier: 'limited_key', name: 'limited key', ...owner, ...scope }, { query: scope });
    expect(madeKey.status, madeKey.text).toBe(200);
    const now = Date.now();
    for (const [identifier, validTo] of [['limit_near', now + 3 * DAY], ['limit_far', now + 60 * DAY], ['limit_old', now + 60 * DAY]] as const) {
      const made = await h.admin.client.post('/ng/api/token', { identifier, name: identifier, apiKeyIdentifier: 'limited_key', validTo, ...owner, ...scope }, { query: scope });
      expect(made.status, made.text).toBe(200);
    }
    // Started 30 days ago, before the account's maximum was lowered to 10 days: no day from today on is within them.
    await h.store.db.updateTable('tokens').set({ valid_from: now - 30 * DAY }).where('identifier', '=', 'limit_old').execute();
    expect((await set(10 * DAY)).status).toBe(200);
    try {
      const page = await env().signedIn();
      // The account's limits answer only when the test says so.
      let release!: () => void;
      const answer = new Promise<void>((resolve) => { release = resolve; });
      await page.route('**/ng/api/account-settings/effective**', async (route) => { await answer; await route.continue(); });
      await page.reload();
      const card = page.getByRole('region', { name: 'API Key limited key' });
      await card.locator('[data-row="limit_far"]').waitFor();
      const editToken = async (name: string) => {
        await moreOptions(page, `Token ${name}`, 'Edit');
        return dialog(page, 'Edit Token');
      };
      const cancel = async (d: Locator) => {
        await d.getByRole('button', { name: 'Cancel' }).click();
        await d.waitFor({ state: 'hidden' });
      };

      // Ticked while the limit is still being asked: no date yet, not even the token's own, which lies past it.
      let edit = await editToken('limit_far');
      await edit.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
      expect(await field(edit, 'Expiration Date').inputValue()).toBe('');
      await cancel(edit);
      // A date within it goes in once the limit is known.
      edit = await editToken('limit_near');
      await edit.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
      const date = field(edit, 'Expiration Date');
      expect(await date.inputValue()).toBe('');
      release();
      await expect.poll(() => date.inputValue(), { timeout: UI_TIMEOUT }).toBe(usDay(new Date(now + 3 * DAY)));
      await cancel(edit);
      // The limit known, the far date is still left out.
      edit = await editToken('limit_far');
      await edit.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
      expect(await field(edit, 'Expiration Date').inputValue()).toBe('');
      await cancel(edit);

      // A token started long ago: Set Expiration Date is disabled, saying why and what to do instead,
      // rather than offer days the server refuses.
      edit = await editToken('limit_old');
      const box = edit.getByRole('checkbox', { name: 'Set Expiration Date' });
      await expectDisabled(box);
      const reason = `Tokens in this account may last at most 10 days from when they start, and this token started on ${usDay(new Date(now - 30 * DAY))}: `
        + 'its time ends before today does, so no expiration date can be set. Leave it unticked to keep the current expiration date. '
        + 'For a later one, use Rotate Token (the new token starts now), or ask an account admin to raise the limit.';
      await edit.getByText(reason, { exact: true }).waitFor();
      expect(await box.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent)).toBe(reason);
      expect(await field(edit, 'Expiration Date').count()).toBe(0);
      await edit.getByTestId('default-expiry').getByText('The token expires on', { exact: false }).waitFor();
      await cancel(edit);

      // A maximum shorter than what is left of today (an account may set 1 ms): no day for a new token either.
      expect((await set(1)).status).toBe(200);
      await page.reload();
      await card.getByRole('button', { name: 'Token', exact: true }).click();
      const create = dialog(page, 'New Token for limited key');
      await expectDisabled(create.getByRole('checkbox', { name: 'Set Expiration Date' }));
      await create.getByText('Tokens in this account may last at most 1 ms from when they start, less than what is left of today, so no expiration date can be set. '
        + 'Leave it unticked (the token then expires as said below), or ask an account admin to raise the limit.', { exact: true }).waitFor();
      await cancel(create);
    } finally {
      expect((await set(null)).status).toBe(200);
      await deleteKey('limited_key');
    }
  });

  it('wraps long names in its dialogs at 390 px: each shown whole, the ✕ on screen', async () => {
    const keyName = 'Production_Deployment_Pipeline_Integration_Key_For_Team';
    const tokenName = 'Token_For_The_Production_Deployment_Pipeline';
    const { h } = env();
    const scope = { accountIdentifier: h.accountId };
    const made = await h.admin.client.post('/ng/api/apikey', { identifier: 'long_names', name: keyName, apiKeyType: 'USER', parentIdentifier: h.admin.id, ...scope }, { query: scope });
    expect(made.status, made.text).toBe(200);
    try {
      const page = await env().signedIn({ width: 390, height: 844 });
      /** The dialog's ✕ within the screen, and each text inside the dialog, none of it cut off. */
      async function shownWhole(d: Locator, texts: Locator[]) {
        const close = (await d.getByRole('button', { name: 'Close', exact: true }).boundingBox())!;
        expect(close.x).toBeGreaterThanOrEqual(0);
        expect(close.x + close.width).toBeLessThanOrEqual(390);
        for (const text of texts) {
          const fit = await text.evaluate((el) => {
            const box = el.getBoundingClientRect();
            const dialogBox = el.closest('[role="dialog"]')!.getBoundingClientRect();
            return {
              text: el.textContent,
              cut: el.scrollWidth > el.clientWidth,
              inside: box.left >= dialogBox.left && box.right <= dialogBox.right && dialogBox.right <= window.innerWidth,
            };
          });
          expect(fit).toEqual({ text: fit.text, cut: false, inside: true });
        }
      }
      const card = page.getByRole('region', { name: `API Key ${keyName}` });
      await card.getByRole('button', { name: 'Token', exact: true }).click();
      const create = dialog(page, `New Token for ${keyName}`);
      await shownWhole(create, [create.getByRole('heading', { name: `New Token for ${keyName}` })]);
      await field(create, 'Name').fill(tokenName);
      await create.getByRole('button', { name: 'Generate Token' }).click();
      await shownWhole(create, [create.getByText(`Token ${tokenName} was generated for API Key ${keyName}.`)]);
      await create.getByRole('button', { name: 'Done' }).click();
      await create.waitFor({ state: 'hidden' });

      await moreOptions(page, `Token ${tokenName}`, 'Rotate Token');
      const rotate = dialog(page, `Rotate Token ${tokenName}`);
      await shownWhole(rotate, [rotate.getByRole('heading', { name: `Rotate Token ${tokenName}` })]);
      await rotate.getByRole('button', { name: 'Cancel' }).click();
      await rotate.waitFor({ state: 'hidden' });

      await moreOptions(page, `API Key ${keyName}`, 'Delete');
      const confirm = dialog(page, 'Delete API Key');
      await shownWhole(confirm, [confirm.getByText(`Delete the API Key ${keyName} and its 1 token?`, { exact: false })]);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });
    } finally {
      await deleteKey('long_names');
    }
  });

  it('follows "Delete tokens" and "Delete API keys" (personal), naming what goes', async () => {
    const page = await env().signedIn();
    const card = page.getByRole('region', { name: 'API Key CI deploy key v2' });
    await card.waitFor();
    const before = await myTokens();
    const pipeline = before.find((t) => t.token.identifier === 'pipeline');
    expect(pipeline).toBeTruthy();

    // Delete tokens: expand the token, More Options → Delete.
    await moreOptions(page, 'Token pipeline', 'Delete');
    const confirmToken = dialog(page, 'Delete Token');
    await confirmToken.getByText('Delete the Token pipeline').waitFor();
    await confirmToken.getByRole('button', { name: 'Delete' }).click();
    await confirmToken.waitFor({ state: 'hidden' });
    await card.locator('[data-row="pipeline"]').waitFor({ state: 'detached' });
    expect((await myTokens()).some((t) => t.token.identifier === 'pipeline')).toBe(false);

    // Delete API keys: More Options → Delete; the confirmation names the key and its tokens.
    // The rotated one among them, still in its grace period, is said apart, as the card counts it.
    const left = await myTokens();
    expect(left.filter((t) => t.token.identifier.startsWith('rotated_'))).toHaveLength(1);
    expect(left.length).toBeGreaterThan(1);
    await moreOptions(page, 'API Key CI deploy key v2', 'Delete');
    const confirmKey = dialog(page, 'Delete API Key');
    await confirmKey.getByText(`Delete the API Key CI deploy key v2 and its ${left.length} tokens (1 of them rotated, in its grace period)?`).waitFor();
    await confirmKey.getByRole('button', { name: 'Delete' }).click();
    await confirmKey.waitFor({ state: 'hidden' });
    await page.getByText('No API keys yet').waitFor();
    expect(await myTokens()).toEqual([]);
  });

  it('is usable by keyboard and at 390 px wide without sideways scrolling', async () => {
    const page = await env().signedIn({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'My API Keys' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);

    // Keyboard only: reach "API Key", open the dialog, fill it, save.
    const button = page.getByRole('button', { name: 'API Key', exact: true }).first();
    await button.focus();
    await page.keyboard.press('Enter');
    const keyDialog = dialog(page, 'New API Key');
    await field(keyDialog, 'Name').waitFor();
    // The dialog puts the focus in its first field.
    await page.waitForFunction("document.activeElement && document.activeElement.hasAttribute('data-autofocus')");
    await page.keyboard.type('phone key');
    await keyDialog.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await keyDialog.waitFor({ state: 'hidden' });
    const card = page.getByRole('region', { name: 'API Key phone key' });
    await card.getByRole('button', { name: 'Token', exact: true }).click();
    const tokenDialog = dialog(page, /New Token for phone key/);
    await field(tokenDialog, 'Name').fill('phone');
    await tokenDialog.getByRole('button', { name: 'Generate Token' }).click();
    await tokenDialog.getByTestId('token-value').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    // The value has the frame's whole width, its buttons under it.
    expect(await tokenDialog.getByTestId('token-value').evaluate((value) =>
      value.getBoundingClientRect().width / value.parentElement!.getBoundingClientRect().width)).toBeGreaterThan(0.9);
    await tokenDialog.getByRole('button', { name: 'Done' }).click();
    await card.locator('[data-row="phone"]').getByText('Active').waitFor({ timeout: UI_TIMEOUT });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await eventually(async () => expect((await myTokens()).length).toBe(1));
  });
}, { env: { KEYSMITH_API_KEY_QPS: '100' } });
