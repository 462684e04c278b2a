// The console for people who use a keyboard or a screen reader: each page has its own title; a
// skip link leads past the navigation; a move through the navigation puts the focus on the new
// page's title; Access Control's tabs control panels named by them; a menu
// opened from the keyboard starts on its first item, and reaches the items that cannot be chosen,
// which say why; a button refused by the access check stays in the keyboard's reach, saying why;
// the Account Settings cards show their focus; New Project names every button and starts on its
// first field; API keys are headings; tags are a named list; dimmed text is legible (WCAG AA).
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeConsole, dialog, field } from './support.js';

/** What has the focus: its role (explicit or the tag), accessible name-ish, description and state. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const describedBy = (el?.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return {
      role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? null,
      name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      description: describedBy.map((id) => document.getElementById(id)?.textContent ?? '').join(' '),
      ariaDisabled: el?.getAttribute('aria-disabled') ?? null,
      inMain: !!el?.closest('main'),
    };
  });
}

/** Presses Tab until `matches` holds for the focused element (or gives up after `max` presses). */
async function tabUntil(page: Page, matches: (f: Awaited<ReturnType<typeof focused>>) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (matches(f)) return f;
  }
  throw new Error(`Tab never reached it; the focus is on ${JSON.stringify(await focused(page))}`);
}

/** WCAG's contrast ratio between an element's text colour and white. */
function contrastOnWhite(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    const [r, g, b] = getComputedStyle(el).color.match(/\d+(\.\d+)?/g)!.map(Number).map((v) => v / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return 1.05 / (luminance + 0.05);
  });
}

/**
 * WCAG's contrast ratio between an element's text colour and what is behind it: its own background
 * and its ancestors', each laid over the next, down to the white page.
 */
function contrastWithBackground(element: Locator): Promise<number> {
  return element.evaluate((el) => {
    const rgba = (css: string) => {
      const [r, g, b, a = 1] = css.match(/\d+(\.\d+)?/g)!.map(Number);
      return { rgb: [r, g, b], a };
    };
    const layers: { rgb: number[]; a: number }[] = [];
    for (let node: Element | null = el; node; node = node.parentElement) {
      const layer = rgba(getComputedStyle(node).backgroundColor);
      if (layer.a > 0) layers.push(layer);
      if (layer.a === 1) break;
    }
    let behind = [255, 255, 255];
    for (const layer of layers.reverse()) behind = behind.map((v, i) => layer.rgb[i] * layer.a + v * (1 - layer.a));
    const luminance = (rgb: number[]) => {
      const [r, g, b] = rgb.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [high, low] = [luminance(rgba(getComputedStyle(el).color).rgb), luminance(behind)].sort((x, y) => y - x);
    return (high + 0.05) / (low + 0.05);
  });
}

describeConsole('console: accessibility (titles, skip link, tabs, menus, refused buttons, focus, names)', (env) => {
  const account = () => env().h.accountId;
  const url = (path: string) => `${path}?accountIdentifier=${account()}`;
  const scope = () => ({ accountIdentifier: account() });
  const owner = () => ({ apiKeyType: 'USER', parentIdentifier: env().h.admin.id });

  async function adminPost(path: string, body: unknown) {
    const res = await env().h.admin.client.post(path, body, { query: scope() });
    expect(res.status, res.text).toBe(200);
    return res.body.data;
  }

  it('prepares a service account with tags, and a personal API key with a token and a rotated one', async () => {
    await adminPost('/ng/api/serviceaccount', {
      identifier: 'reader_bot', name: 'reader bot', email: 'reader_bot@service.example.com', description: '', tags: { team: 'ops' }, ...scope(),
    });
    await adminPost('/ng/api/apikey', { identifier: 'menus', name: 'menus', ...owner(), ...scope() });
    for (const t of ['plain', 'spun']) await adminPost('/ng/api/token', { identifier: t, name: t, apiKeyIdentifier: 'menus', ...owner(), ...scope() });
    // Rotated with an hour's grace: the old value stays, as "spun (rotated)", whose Edit and Rotate Token cannot be chosen.
    const res = await env().h.admin.client.request('POST', '/ng/api/token/rotate/spun', undefined, {
      query: { ...scope(), ...owner(), apiKeyIdentifier: 'menus', rotateTimestamp: Date.now() + 3600_000 },
    });
    expect(res.status, res.text).toBe(200);
  });

  it('gives every page its own title', async () => {
    const page = await env().signedIn();
    const titled = async (path: string, title: string) => {
      await page.goto(url(path));
      await expect.poll(() => page.title()).toBe(title);
    };
    await titled('/profile', 'My Profile · keysmith');
    await titled('/account-settings', 'Account Settings · keysmith');
    await titled('/account-settings/access-control/service-accounts', 'Service Accounts · Access Control · keysmith');
    await titled('/account-settings/access-control/api-keys', 'API Keys · Access Control · keysmith');
    await titled('/account-settings/access-control/service-accounts/reader_bot', 'reader bot · Service Accounts · keysmith');
    await titled('/account-settings/audit-trail', 'Audit Trail · keysmith');
    await titled('/no/such/page', 'Page not found · keysmith');
    // Going from one page to another by the navigation changes it too.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Organizations' }).click();
    await expect.poll(() => page.title()).toBe('Organizations · keysmith');

    const signedOut = await (await env().newContext()).newPage();
    await signedOut.goto('/');
    await signedOut.getByRole('heading', { name: 'Sign in to keysmith' }).waitFor();
    await expect.poll(() => signedOut.title()).toBe('Sign in · keysmith');
  });

  it('starts the keyboard on a skip link, shown when focused, that leads past the navigation into the page', async () => {
    const page = await env().signedIn();
    await page.goto(url('/profile'));
    await page.getByRole('heading', { name: 'My Profile' }).waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await focused(page)).toMatchObject({ role: 'a', name: 'Skip to main content' });
    const box = (await skip.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.height).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
    // The next stop is the page's first control, not the header's or the navigation's.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ inMain: true, name: 'Change password' });
    expect(new URL(page.url()).hash).toBe('');
  });

  it("puts the focus on the new page's title after a move through the navigation, and leaves it where it is in the page", async () => {
    const page = await env().signedIn();
    const titleFocused = (p: Page) => p.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null));
    // A first page reached through a redirect (/ opens My Profile) still starts the keyboard at the skip link.
    await page.goto(url('/'));
    await page.getByRole('heading', { name: 'My Profile' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ role: 'a', name: 'Skip to main content' });
    const nav = page.getByRole('navigation', { name: 'Pages' });
    // By the keyboard: the link, then Enter.
    await nav.getByRole('link', { name: 'Audit Trail', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => titleFocused(page)).toBe('Audit Trail');
    // The next stop is in the page, not back in the navigation.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ inMain: true });
    // By the pointer, and through a link that redirects (Access Control opens its Users tab).
    await nav.getByRole('link', { name: 'Access Control', exact: true }).click();
    await expect.poll(() => page.title()).toBe('Users · Access Control · keysmith');
    await expect.poll(() => titleFocused(page)).toBe('Access Control');
    // A tab of the page moves to another address, but the focus stays on the tab.
    await page.getByRole('tab', { name: 'Users', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.title()).not.toBe('Users · Access Control · keysmith');
    expect(await focused(page)).toMatchObject({ role: 'tab' });
    // The user's menu likewise; closed without a choice, it hands the focus back to its button.
    const userMenu = page.getByRole('button', { name: /^User menu for / });
    await userMenu.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ role: 'menuitem', name: 'My Profile' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => titleFocused(page)).toBe('Account Settings');
    await userMenu.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ role: 'menuitem', name: 'My Profile' });
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await userMenu.evaluate((el) => el === document.activeElement)).toBe(true);
    // The scope switcher leaves a service account's page for the list of the scope chosen: the focus stays on it.
    await page.goto(url('/account-settings/access-control/service-accounts/reader_bot'));
    const organization = page.getByRole('combobox', { name: 'Organization' });
    await organization.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.title()).toBe('Service Accounts · Access Control · keysmith');
    expect(await organization.evaluate((el) => el === document.activeElement)).toBe(true);

    // On a phone the navigation folds away behind the link chosen: the focus must not stay in it.
    const phone = await env().signedIn({ width: 390, height: 844 });
    await phone.getByRole('button', { name: 'Open navigation' }).click();
    await phone.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Organizations', exact: true }).click();
    await phone.getByRole('button', { name: 'Open navigation' }).waitFor();
    await expect.poll(() => titleFocused(phone)).toBe('Organizations');
    await phone.context().close();
  });

  it('lets each Access Control tab control a panel that it names', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings/access-control/service-accounts'));
    const panel = page.getByRole('tabpanel', { name: 'Service Accounts', exact: true });
    await panel.getByRole('region', { name: 'Service accounts' }).waitFor();
    const tabs = await page.getByRole('tab').evaluateAll((els) => els.map((el) => {
      const controlled = document.getElementById(el.getAttribute('aria-controls') ?? '');
      return {
        name: el.textContent, selected: el.getAttribute('aria-selected'),
        controls: controlled?.getAttribute('role') ?? null, namedBy: controlled?.getAttribute('aria-labelledby') === el.id,
      };
    }));
    expect(tabs).toHaveLength(6);
    for (const tab of tabs) expect(tab).toMatchObject({ controls: 'tabpanel', namedBy: true });
    expect(tabs.filter((t) => t.selected === 'true').map((t) => t.name)).toEqual(['Service Accounts']);
    // The arrow keys go from tab to tab, and the panel follows.
    await page.getByRole('tab', { name: 'Service Accounts' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tabpanel', { name: 'Roles', exact: true }).getByRole('button', { name: 'New Role' }).waitFor();
  });

  it('opens a menu from the keyboard on its first item; the arrow keys reach the items that cannot be chosen, which say why', async () => {
    const page = await env().signedIn();
    await page.getByRole('region', { name: 'API Key menus' }).waitFor();
    const why = 'A rotated token only works until its grace period ends and cannot be changed.';
    const more = page.getByRole('button', { name: 'More Options for Token spun (rotated)', exact: true });
    await more.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ role: 'menuitem', name: 'Edit', ariaDisabled: 'true', description: why });
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ role: 'menuitem', name: 'Rotate Token', ariaDisabled: 'true', description: why });
    // Choosing it does nothing: the menu stays, no dialog opens.
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    expect(await page.getByRole('menu').count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toMatchObject({ role: 'menuitem', name: 'Delete', ariaDisabled: null });
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await focused(page)).toMatchObject({ name: 'More Options for Token spun (rotated)' });

    // ArrowDown on ⋮ opens it too; Enter on an item that can be chosen opens its dialog.
    await page.getByRole('button', { name: 'More Options for Token plain', exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(page)).toMatchObject({ role: 'menuitem', name: 'Edit', ariaDisabled: null });
    await page.keyboard.press('Enter');
    const edit = dialog(page, 'Edit Token');
    await edit.waitFor();
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await edit.waitFor({ state: 'hidden' });

    // The user menu the same way.
    await page.getByRole('button', { name: /^User menu for / }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ role: 'menuitem', name: 'My Profile' });
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });

    // Opened by a pointer, no item is lit until the pointer or an arrow key picks one.
    await more.click();
    await page.getByRole('menu').waitFor();
    await page.waitForTimeout(300);
    expect(await focused(page)).toMatchObject({ role: 'div' });
    await page.keyboard.press('Escape');
  });

  it('keeps a refused button in the keyboard\'s reach: the button itself, saying why, and doing nothing', async () => {
    const viewer = await env().h.createUser({ name: 'Kim Keyboard' });
    await adminPost('/authz/api/roleassignments', {
      roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
      principal: { identifier: viewer.id, type: 'USER' }, disabled: false,
    });
    const page = await env().signedIn({ email: viewer.email, password: viewer.password });
    await page.goto(url('/account-settings/access-control/service-accounts'));
    const reason = "You don't have permission to create service accounts here (core_serviceaccount_edit)";
    const button = page.getByRole('button', { name: 'New Service Account' }).first();
    await button.and(page.locator('[aria-disabled="true"]')).waitFor();
    // Reached by Tab from the tabs above it: the button, not a nameless wrapper.
    await page.getByRole('tab', { name: 'Service Accounts' }).focus();
    const reached = await tabUntil(page, (f) => f.name === 'New Service Account' || f.role === 'span' || f.name === '', 5);
    expect(reached).toMatchObject({ role: 'button', name: 'New Service Account', ariaDisabled: 'true', description: reason });
    await page.getByRole('tooltip').filter({ hasText: reason }).waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Space');
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog').count()).toBe(0);
    // A click does nothing either.
    await button.click({ force: true });
    await page.waitForTimeout(300);
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('shows the focus on the Account Settings cards, each named by its title and described by its text', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings'));
    await page.getByRole('heading', { name: 'Account Settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audit Trail' }).focus();
    await tabUntil(page, (f) => f.inMain && f.role === 'a' && f.description === 'Create, rename and delete organizations.');
    const card = page.getByRole('link', { name: 'Organizations', exact: true }).last();
    expect(await card.evaluate((el) => el === document.activeElement)).toBe(true);
    const outline = await card.evaluate((el) => {
      const style = getComputedStyle(el);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(outline.style).not.toBe('none');
    expect(outline.width).toBeGreaterThan(0);
  });

  it('names every button of New Project and starts it on its first field', async () => {
    const page = await env().signedIn();
    await page.goto(url('/account-settings/projects'));
    await page.getByRole('button', { name: 'New Project' }).first().click();
    const create = dialog(page, 'New Project');
    await create.waitFor();
    await expect.poll(() => focused(page)).toMatchObject({ role: 'select' });
    expect(await page.evaluate(() => (document.activeElement as HTMLSelectElement).labels[0]?.textContent)).toBe('Organization');
    await field(create, 'Name').fill('named');
    const unnamed = await create.getByRole('button').evaluateAll((els) => els
      .filter((el) => !(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()).map((el) => el.outerHTML.slice(0, 120)));
    expect(unnamed).toEqual([]);
    await create.getByRole('button', { name: 'Cancel' }).click();
  });

  it('opens dialogs and the phone\'s navigation without animation for someone whose system asks for less motion, and with it for others', async () => {
    // Mantine writes a transition's length on the element it moves, in every state of it; with no
    // transition, nothing.
    const animation = async (reducedMotion: 'reduce' | 'no-preference') => {
      const page = await env().signedIn({ reducedMotion });
      await page.getByRole('button', { name: 'Change password' }).click();
      const opened = dialog(page, 'Change password');
      await opened.waitFor();
      const ms = await opened.evaluate((el) => el.closest<HTMLElement>('.mantine-Modal-content')!.style.transitionDuration);
      await page.context().close();
      return ms;
    };
    expect(await animation('reduce')).toBe('');
    expect(await animation('no-preference')).toMatch(/^[1-9]\d*ms$/);

    // On a phone, the navigation that slides in under the ☰ button: its length is the shell's.
    const slide = async (reducedMotion: 'reduce' | 'no-preference') => {
      const page = await env().signedIn({ reducedMotion, width: 390 });
      const ms = await page.locator('.mantine-AppShell-root').evaluate((el) => getComputedStyle(el).getPropertyValue('--app-shell-transition-duration').trim());
      await page.context().close();
      return ms;
    };
    expect(await slide('reduce')).toBe('0ms');
    expect(await slide('no-preference')).toMatch(/^[1-9]\d*ms$/);
  });

  it('makes each API key a heading under My API Keys, and a row\'s tags a named list', async () => {
    const page = await env().signedIn();
    await page.getByRole('heading', { name: 'My API Keys', level: 2 }).waitFor();
    await page.getByRole('region', { name: 'API Key menus' }).getByRole('heading', { name: 'menus', level: 3 }).waitFor();

    await page.goto(url('/account-settings/access-control/service-accounts'));
    const tags = page.locator('[data-row="reader_bot"]').getByRole('list', { name: 'Tags' });
    await tags.waitFor();
    expect(await tags.getByRole('listitem').allTextContents()).toEqual(['team:ops']);
  });

  it('writes dimmed text (descriptions, hints) in a grey that reaches WCAG AA\'s 4.5:1 on white', async () => {
    const page = await env().signedIn();
    const description = page.getByText('API keys you create here act as you', { exact: false });
    await description.waitFor();
    expect(await contrastOnWhite(description)).toBeGreaterThanOrEqual(4.5);
    await page.getByRole('button', { name: 'API Key', exact: true }).click();
    const hint = dialog(page, 'New API Key').getByText('Made from the name; you can change it until you save.');
    await hint.waitFor();
    expect(await contrastOnWhite(hint)).toBeGreaterThanOrEqual(4.5);
  });

  it('writes filled buttons, light badges and coloured text in colours that reach WCAG AA\'s 4.5:1', async () => {
    const page = await env().signedIn();
    const key = page.getByRole('region', { name: 'API Key menus' });
    await key.waitFor();
    // A filled button (white on blue), a light badge (teal on its tint), one in orange, the palest
    // of the colours the console uses, and orange text beside it.
    const filled = page.getByRole('button', { name: 'API Key', exact: true });
    expect(await contrastWithBackground(filled)).toBeGreaterThanOrEqual(4.5);
    const badges = [key.getByText('Active', { exact: true }).first(), key.getByText('Rotated', { exact: true }).first()];
    for (const badge of [...badges, key.getByText(/^in grace period until/).first()]) {
      await badge.waitFor();
      expect(await contrastWithBackground(badge)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
