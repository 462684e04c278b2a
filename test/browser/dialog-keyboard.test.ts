// The console's dialogs by keyboard and mouse, where a slip costs work or a token: the dialogs that
// More Options (⋮) opens take the focus and give it back (or, when what opened them was deleted, to
// the region around it); a Delete confirmation starts on Cancel; every close button has a name; Escape
// and Enter in "Set Expiration Date"'s date field close its calendar only, saying at once what is
// wrong with the date typed; a past or malformed date stays as typed with a precise message, which
// does not move the dialog under a click; a token value on screen survives Escape and a click
// outside; and copying it where the Clipboard API is missing leaves the focus on Copy.
import { expect, it } from 'vitest';
import { describeConsole, dialog, field, moreOptions } from './support.js';

const YEAR = new Date().getFullYear() + 3;

describeConsole('console: dialogs by keyboard (focus, Escape, Enter, the date field)', (env) => {
  const scope = () => ({ accountIdentifier: env().h.accountId });
  const owner = () => ({ apiKeyType: 'USER', parentIdentifier: env().h.admin.id });

  async function tokens() {
    const res = await env().h.admin.client.get('/ng/api/token/aggregate', { query: { ...scope(), ...owner() } });
    expect(res.status).toBe(200);
    return res.body.data.content as any[];
  }
  async function makeToken(identifier: string) {
    const res = await env().h.admin.client.post('/ng/api/token', {
      identifier, name: identifier, apiKeyIdentifier: 'keyboard', ...owner(), ...scope(),
    }, { query: scope() });
    expect(res.status).toBe(200);
  }
  /** The focused element's accessible-name-ish description, seen from the page. */
  function focused(page: import('playwright-core').Page) {
    return page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return {
        inDialog: !!el?.closest('[role="dialog"]'),
        label: el?.getAttribute('aria-label') ?? null,
        text: el?.textContent?.trim() ?? '',
        value: (el as HTMLInputElement | null)?.value ?? null,
      };
    });
  }
  /** Longer than any focus hand-over (Mantine's menu hands the focus back after 10 ms). */
  const settle = (page: import('playwright-core').Page) => page.waitForTimeout(400);

  /** "+ Token" on the key "keyboard", a name, and Set Expiration Date checked: the dialog and its date field. */
  async function newTokenWithDate(page: import('playwright-core').Page, name: string) {
    const card = page.getByRole('region', { name: 'API Key keyboard' });
    await card.getByRole('button', { name: 'Token', exact: true }).click();
    const create = dialog(page, 'New Token for keyboard');
    await field(create, 'Name').fill(name);
    await create.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    return { create, date: field(create, 'Expiration Date') };
  }

  it('prepares a personal API key with tokens', async () => {
    const created = await env().h.admin.client.post('/ng/api/apikey', {
      identifier: 'keyboard', name: 'keyboard', ...owner(), ...scope(),
    }, { query: scope() });
    expect(created.status).toBe(200);
    for (const t of ['first', 'second', 'rotating']) await makeToken(t);
  });

  it('a dialog opened from More Options keeps the focus, Tab stays inside, and closing it returns the focus to ⋮', async () => {
    const page = await env().signedIn();
    await page.getByRole('region', { name: 'API Key keyboard' }).waitFor();

    await moreOptions(page, 'API Key keyboard', 'Edit');
    const edit = dialog(page, 'Edit API Key');
    await field(edit, 'Name').waitFor();
    await settle(page);
    // The focus is in the dialog's first field, not on ⋮ behind it.
    expect(await focused(page)).toMatchObject({ inDialog: true, value: 'keyboard' });
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect((await focused(page)).inDialog).toBe(true);
    }
    await page.keyboard.press('Escape');
    await edit.waitFor({ state: 'hidden' });
    await settle(page);
    expect((await focused(page)).label).toBe('More Options for API Key keyboard');

    // The same for a token's Rotate Token: the focus starts on the first choice.
    const first = (await tokens()).find((t) => t.token.identifier === 'first');
    await moreOptions(page, 'Token first', 'Rotate Token');
    const rotate = dialog(page, 'Rotate Token first');
    await rotate.getByRole('radio', { name: 'Stop it now' }).waitFor();
    await settle(page);
    expect(await focused(page)).toMatchObject({ inDialog: true, value: 'now' });
    // Enter on that choice does not rotate: only the Rotate Token button does.
    await page.keyboard.press('Enter');
    await settle(page);
    expect(await rotate.getByTestId('token-value').count()).toBe(0);
    expect((await tokens()).find((t) => t.token.identifier === 'first').createdAt).toBe(first.createdAt);
    await rotate.getByRole('button', { name: 'Cancel' }).click();
    await rotate.waitFor({ state: 'hidden' });
    await settle(page);
    expect((await focused(page)).label).toBe('More Options for Token first');
  });

  it('the Delete confirmation opened from More Options starts on Cancel (Enter keeps the token); Tab, Enter deletes, and the focus stays in the key', async () => {
    const page = await env().signedIn();
    await page.getByRole('region', { name: 'API Key keyboard' }).waitFor();
    await moreOptions(page, 'Token second', 'Delete');
    let confirm = dialog(page, 'Delete Token');
    await confirm.getByText('Delete the Token second').waitFor();
    await settle(page);
    expect(await focused(page)).toMatchObject({ inDialog: true, text: 'Cancel' });
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    expect((await tokens()).map((t) => t.token.identifier)).toContain('second');

    await moreOptions(page, 'Token second', 'Delete');
    confirm = dialog(page, 'Delete Token');
    await confirm.getByText('Delete the Token second').waitFor();
    await settle(page);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ inDialog: true, text: 'Delete' });
    await page.keyboard.press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    expect((await tokens()).map((t) => t.token.identifier)).not.toContain('second');
    expect(await page.getByRole('menu').count()).toBe(0);
    // The row's More Options is gone with the row: the focus goes to the API key's card, not the page's top.
    await settle(page);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('API Key keyboard');
  });

  it('every dialog has a close button named "Close", and closing returns the focus to what opened it', async () => {
    const page = await env().signedIn();
    const add = page.getByRole('button', { name: 'API Key', exact: true }).first();
    await add.click();
    const create = dialog(page, 'New API Key');
    await create.getByRole('button', { name: 'Close', exact: true }).click();
    await create.waitFor({ state: 'hidden' });
    await settle(page);
    expect((await focused(page)).text).toBe('API Key');

    await moreOptions(page, 'Token first', 'Edit');
    const edit = dialog(page, 'Edit Token');
    await edit.getByRole('button', { name: 'Close', exact: true }).click();
    await edit.waitFor({ state: 'hidden' });
  });

  it('Escape and Enter in the Expiration Date field close the calendar only; the token on screen survives Escape and a click outside', async () => {
    const page = await env().signedIn();
    const { create, date } = await newTokenWithDate(page, 'dated');
    // The calendar, by its month-and-year heading.
    const calendar = page.getByRole('button', { name: /^[A-Z][a-z]+ \d{4}$/ });

    // Escape: the calendar closes, the dialog and what was typed stay.
    await date.click();
    await calendar.waitFor();
    // The calendar's arrows have names.
    await page.getByRole('button', { name: 'Previous month', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Next month', exact: true }).waitFor();
    await date.pressSequentially(`12/31/${YEAR}`);
    await page.keyboard.press('Escape');
    await calendar.waitFor({ state: 'hidden' });
    await settle(page);
    expect(await create.isVisible()).toBe(true);
    expect(await field(create, 'Name').inputValue()).toBe('dated');
    expect(await date.inputValue()).toBe(`12/31/${YEAR}`);

    // Enter: the date is taken and the calendar closes; nothing is generated yet.
    await date.click();
    await calendar.waitFor();
    await date.fill(`1/15/${YEAR}`);
    await date.press('Enter');
    await calendar.waitFor({ state: 'hidden' });
    await settle(page);
    expect(await date.inputValue()).toBe(`01/15/${YEAR}`);
    expect(await create.getByTestId('token-value').count()).toBe(0);
    expect((await tokens()).map((t) => t.token.identifier)).not.toContain('dated');

    // The value shown once is not thrown away by Escape or by a click outside the dialog.
    await create.getByRole('button', { name: 'Generate Token' }).click();
    const value = create.getByTestId('token-value');
    await value.waitFor();
    // The dialog says how it closes; Escape points there (and moves the focus there) instead of doing nothing.
    const hint = create.getByTestId('close-hint');
    await hint.getByText('Close it with Done (or ✕) once you have copied the token: its value is not shown again.').waitFor();
    expect(await hint.getAttribute('data-nudged')).toBeNull();
    await page.keyboard.press('Escape');
    await create.getByText('Escape does not close this dialog, so the token is not lost by accident.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('close-hint');
    await page.mouse.click(5, 5);
    await create.getByText('A click outside does not close this dialog', { exact: false }).waitFor();
    await settle(page);
    expect(await value.isVisible()).toBe(true);
    await create.getByRole('button', { name: 'Done' }).click();
    await create.waitFor({ state: 'hidden' });
    const stored = (await tokens()).find((t) => t.token.identifier === 'dated');
    expect(new Date(stored.token.validTo).getDate()).toBe(15);
  });

  it('Edit Token of an expired token speaks of the past, once, and does not point to Rotate Token', async () => {
    const made = await env().h.admin.client.post('/ng/api/token', {
      identifier: 'short', name: 'short', apiKeyIdentifier: 'keyboard', validTo: Date.now() + 1500, ...owner(), ...scope(),
    }, { query: scope() });
    expect(made.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    const page = await env().signedIn();
    await moreOptions(page, 'Token short', 'Edit');
    const edit = dialog(page, 'Edit Token');
    await edit.getByText(/^The token expired on \d\d\/\d\d\/\d{4}, \d\d:\d\d [AP]M\. Select Set Expiration Date to give it a later date\.$/).waitFor();
    await edit.getByText('An expired token cannot be rotated: to get a new value, create a new token with + Token under its API key.', { exact: false }).waitFor();
    expect(await edit.getByText('use Rotate Token').count()).toBe(0);
    // The field starts from its expiry's day, which is today and so still allowed (an earlier day would not be offered).
    await edit.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    const today = new Date();
    const todayUs = `${String(today.getMonth() + 1).padStart(2, '0')}/${String(today.getDate()).padStart(2, '0')}/${today.getFullYear()}`;
    expect(await field(edit, 'Expiration Date').inputValue()).toBe(todayUs);
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'hidden' });
    // Out of the way of the key's token limit.
    const removed = await env().h.admin.client.delete('/ng/api/token/short', { query: { ...scope(), ...owner(), apiKeyIdentifier: 'keyboard' } });
    expect(removed.status).toBe(200);
  });

  it('Enter in Rotate Token\'s date field does not rotate', async () => {
    const page = await env().signedIn();
    await page.getByRole('region', { name: 'API Key keyboard' }).waitFor();
    const before = (await tokens()).find((t) => t.token.identifier === 'rotating');
    await moreOptions(page, 'Token rotating', 'Rotate Token');
    const rotate = dialog(page, 'Rotate Token rotating');
    await rotate.getByRole('checkbox', { name: 'Set Expiration Date' }).check();
    const date = field(rotate, 'Expiration Date');
    // As in Edit Token, the field starts from the token's current expiry day.
    const current = new Date(before.token.validTo);
    expect(await date.inputValue()).toBe(`${String(current.getMonth() + 1).padStart(2, '0')}/${String(current.getDate()).padStart(2, '0')}/${current.getFullYear()}`);
    await date.fill(`03/03/${YEAR}`);
    await date.press('Enter');
    await settle(page);
    expect(await rotate.getByRole('button', { name: 'Rotate Token' }).isVisible()).toBe(true);
    const after = await tokens();
    expect(after.some((t) => t.token.identifier.startsWith('rotated_'))).toBe(false);
    expect(after.find((t) => t.token.identifier === 'rotating').token.validTo).toBe(before.token.validTo);
    // The button still rotates, with that date.
    await rotate.getByRole('button', { name: 'Rotate Token' }).click();
    await rotate.getByText('The old value no longer works.').waitFor();
    await rotate.getByRole('button', { name: 'Done' }).click();
    const rotated = (await tokens()).find((t) => t.token.identifier === 'rotating');
    expect(new Date(rotated.token.validTo).getMonth()).toBe(2);
  });

  it('Escape in a fresh date field says what is wrong with the date typed, at the field; one click then unticks Set Expiration Date', async () => {
    const page = await env().signedIn();
    const { create, date } = await newTokenWithDate(page, 'escaped');
    const calendar = page.getByTestId('expiration-calendar');
    const box = create.getByRole('checkbox', { name: 'Set Expiration Date' });
    const message = 'The expiration date must be today or later';

    // The field was never left: Escape alone closes the calendar and shows the message (as Enter and Tab do).
    await date.click();
    await calendar.waitFor();
    await date.pressSequentially('01/02/2020');
    expect(await create.getByText(message).count()).toBe(0);
    await page.keyboard.press('Escape');
    await calendar.waitFor({ state: 'hidden' });
    await create.getByText(message).waitFor();
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    expect(await date.inputValue()).toBe('01/02/2020');
    expect(await create.isVisible()).toBe(true);

    await box.click();
    await settle(page);
    expect(await box.isChecked()).toBe(false);
    expect(await date.count()).toBe(0);
    await create.getByRole('button', { name: 'Cancel' }).click();
    await create.waitFor({ state: 'hidden' });
    expect((await tokens()).map((t) => t.token.identifier)).not.toContain('escaped');
  });

  it('a click that takes the focus from a wrong date unticks Set Expiration Date at once: the message waits until the click is over', async () => {
    // On a screen this tall the calendar opens below the field, leaving the box above it free to click.
    const page = await env().signedIn({ height: 1200 });
    const { create, date } = await newTokenWithDate(page, 'clicked');
    const calendar = page.getByTestId('expiration-calendar');
    const box = create.getByRole('checkbox', { name: 'Set Expiration Date' });
    await date.click();
    await calendar.waitFor();
    expect(await calendar.getAttribute('data-position')).toMatch(/^bottom/);
    await date.pressSequentially('hello');
    expect(await create.getByText('Enter a date as mm/dd/yyyy').count()).toBe(0);

    // Before, the message appeared on the press, the centred dialog grew and moved, and the release missed the box.
    await box.click();
    await settle(page);
    expect(await box.isChecked()).toBe(false);
    expect(await date.count()).toBe(0);
    // Ticked again, the field holds what was typed, with its message.
    await box.check();
    expect(await date.inputValue()).toBe('hello');
    await create.getByText('Enter a date as mm/dd/yyyy').waitFor();
    await create.getByRole('button', { name: 'Cancel' }).click();
    await create.waitFor({ state: 'hidden' });
    expect((await tokens()).map((t) => t.token.identifier)).not.toContain('clicked');
  });

  it('with too little room below, the calendar opens above the field, leaving its label and help readable', async () => {
    const page = await env().signedIn({ height: 640 });
    const { create, date } = await newTokenWithDate(page, 'upward');
    const calendar = page.getByTestId('expiration-calendar');
    await date.click();
    await calendar.waitFor();
    expect(await calendar.getAttribute('data-position')).toMatch(/^top/);
    const label = create.locator('label').filter({ hasText: /^Expiration Date/ });
    const help = create.getByText('The token stops working at the end of this day (your time zone).');
    const boxes = await Promise.all([calendar, label, help, date].map((l) => l.boundingBox()));
    const [cal, ...field] = boxes.map((b) => b!);
    // The calendar ends above the label, the topmost part of the field.
    expect(field.map((b) => Math.round(cal.y + cal.height - b.y) <= 0)).toEqual([true, true, true]);
    await page.keyboard.press('Escape');
    await create.getByRole('button', { name: 'Cancel' }).click();
    await create.waitFor({ state: 'hidden' });
  });

  it('a past or malformed date stays as typed, and the message says what is wrong', async () => {
    const page = await env().signedIn();
    const { create, date } = await newTokenWithDate(page, 'past');

    await date.fill('01/02/2020');
    await date.press('Tab');
    expect(await date.inputValue()).toBe('01/02/2020');
    await create.getByText('The expiration date must be today or later').waitFor();
    await create.getByRole('button', { name: 'Generate Token' }).click();
    await settle(page);
    expect(await date.inputValue()).toBe('01/02/2020');
    expect(await create.getByText('The expiration date must be today or later').isVisible()).toBe(true);
    expect((await tokens()).map((t) => t.token.identifier)).not.toContain('past');

    await date.fill('next tuesday');
    await date.press('Tab');
    expect(await date.inputValue()).toBe('next tuesday');
    await create.getByText('Enter a date as mm/dd/yyyy').waitFor();

    await date.fill(`02/30/${YEAR}`);
    await date.press('Tab');
    await create.getByText(`There is no day 02/30/${YEAR}: check the month and the day`).waitFor();

    await date.fill(`02/28/${YEAR}`);
    await date.press('Tab');
    await create.getByRole('button', { name: 'Generate Token' }).click();
    await create.getByTestId('token-value').waitFor();
    await create.getByRole('button', { name: 'Done' }).click();
    expect((await tokens()).map((t) => t.token.identifier)).toContain('past');
  });

  it('Copy without the Clipboard API (plain http on a host name): the focus and the selection stay where they were, and the token is copied', async () => {
    const page = await env().signedIn();
    // What a page served over plain http from a host name has: no navigator.clipboard. The test
    // reads what was copied from the copy event, the page's own clipboard being out of reach, and
    // where the textarea copying it was.
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
      const copies: { text: string; inDialog: boolean; ariaHidden: boolean }[] = [];
      (window as unknown as { copies: typeof copies }).copies = copies;
      document.addEventListener('copy', (e) => {
        const area = e.target as HTMLTextAreaElement;
        copies.push({
          text: area.value.slice(area.selectionStart, area.selectionEnd),
          inDialog: !!area.closest('[role="dialog"]'),
          ariaHidden: area.hasAttribute('aria-hidden'),
        });
      }, true);
    });
    const copies = () => page.evaluate(() => (window as unknown as { copies: { text: string; inDialog: boolean; ariaHidden: boolean }[] }).copies);
    await page.reload();
    expect(await page.evaluate(() => navigator.clipboard)).toBeUndefined();
    await page.getByRole('region', { name: 'API Key keyboard' }).getByRole('button', { name: 'Token', exact: true }).click();
    const create = dialog(page, 'New Token for keyboard');
    await field(create, 'Name').fill('copied');
    await create.getByRole('button', { name: 'Generate Token' }).click();
    const copy = create.getByRole('button', { name: 'Copy token' });
    await copy.waitFor();

    // By mouse: the focus is back on Copy, in the dialog. The textarea copying was in the dialog
    // too, focused and so not aria-hidden (a focused element must not be).
    await copy.click();
    await copy.filter({ hasText: 'Copied' }).waitFor();
    expect(await focused(page)).toMatchObject({ inDialog: true, label: 'Copy token' });
    await create.getByRole('button', { name: 'Show token value' }).click();
    const value = (await create.getByTestId('token-value').textContent())?.trim();
    expect(value).toMatch(/^pat\./);
    const copiedOnce = { text: value, inDialog: true, ariaHidden: false };
    expect(await copies()).toEqual([copiedOnce]);

    // By keyboard, with some text of the dialog selected: the token is copied, and the selection is
    // still there afterwards.
    const warning = 'The token is only displayed once.';
    await page.evaluate((text) => {
      const node = [...document.querySelectorAll('[role="dialog"] p')].find((p) => p.textContent?.startsWith(text))!.firstChild!;
      const range = document.createRange();
      range.setStart(node, 0);
      range.setEnd(node, text.length);
      document.getSelection()!.removeAllRanges();
      document.getSelection()!.addRange(range);
    }, warning);
    await copy.focus();
    await page.keyboard.press('Enter');
    await expect.poll(copies).toEqual([copiedOnce, copiedOnce]);
    expect(await focused(page)).toMatchObject({ inDialog: true, label: 'Copy token' });
    expect(await page.evaluate(() => document.getSelection()?.toString())).toBe(warning);

    // As in Safari, whose click does not focus the button: with nothing focused, the textarea still
    // goes in the dialog and the focus ends on Copy, not outside the dialog.
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      document.addEventListener('mousedown', (e) => e.preventDefault(), { capture: true, once: true });
    });
    expect(await focused(page)).toMatchObject({ inDialog: false });
    await copy.click();
    await expect.poll(copies).toEqual([copiedOnce, copiedOnce, copiedOnce]);
    expect(await focused(page)).toMatchObject({ inDialog: true, label: 'Copy token' });

    await create.getByRole('button', { name: 'Done' }).click();
    await create.waitFor({ state: 'hidden' });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '100' } });
