// Browser tests of the console: one keysmith app (SQLite) listening on a free port and one
// Chromium (Debian's, driven by playwright-core) per test file. Skips loudly without Chromium or
// without the built console — and fails instead when KEYSMITH_REQUIRE_SERVICES=1 (CI).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createHarness, REQUIRE_SERVICES, type Harness } from '../helpers/harness.js';

export const CHROMIUM = '/usr/bin/chromium';
const WEB_INDEX = join(process.cwd(), 'dist/web/index.html');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

/** Generous: the machine running the suite may be busy. */
export const UI_TIMEOUT = 20_000;

function unavailable(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (!existsSync(WEB_INDEX)) return 'the console is not built: dist/web/index.html is missing (npm run build:web)';
  return null;
}

export interface ContextOptions {
  timezoneId?: string;
  width?: number;
  height?: number;
  reducedMotion?: 'reduce' | 'no-preference';
}

export interface ConsoleEnv {
  h: Harness;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies), allowed to use the clipboard. */
  newContext(options?: ContextOptions): Promise<BrowserContext>;
  /** A new page, signed in as the given user (the admin by default). */
  signedIn(options?: ContextOptions & { email?: string; password?: string }): Promise<Page>;
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

let staleWarned = false;
function warnIfStale(): void {
  if (staleWarned || !existsSync(WEB_INDEX)) return;
  staleWarned = true;
  if (newestMtime(join(process.cwd(), 'web')) > statSync(WEB_INDEX).mtimeMs) {
    console.warn('\n*** The console build is older than web/: these browser tests run the OLD build. Run npm run build:web. ***\n');
  }
}

/**
 * Declares a browser suite. `fn` gets a getter for the environment, valid inside tests.
 */
export function describeConsole(title: string, fn: (env: () => ConsoleEnv) => void, options: { env?: Record<string, string> } = {}): void {
  const reason = unavailable();
  warnIfStale();
  if (reason) {
    if (REQUIRE_SERVICES) {
      describe(title, () => {
        beforeAll(() => { throw new Error(`KEYSMITH_REQUIRE_SERVICES=1 but ${reason}`); });
        fn(() => { throw new Error(reason); });
      });
      return;
    }
    console.warn(`\n*** Browser tests "${title}" SKIPPED: ${reason} ***\n`);
    describe.skip(title, () => fn(() => { throw new Error(reason); }));
    return;
  }

  // Each test walks a whole procedure; on a busy machine that can take a while.
  describe(title, { timeout: 120_000 }, () => {
    let harness: (Harness & { close(): Promise<void> }) | null = null;
    let browser: Browser | null = null;
    let baseUrl = '';
    const contexts: BrowserContext[] = [];
    // Whatever the console's content security policy refused, on any page of any test: the console
    // must run whole under it (app.ts, CONSOLE_CSP).
    const refused: string[] = [];

    beforeAll(async () => {
      harness = await createHarness('sqlite', { env: options.env });
      await harness.app.listen({ port: 0, host: '127.0.0.1' });
      const address = harness.app.server.address();
      if (!address || typeof address !== 'object') throw new Error('no listening address');
      baseUrl = `http://127.0.0.1:${address.port}`;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    }, 120_000);

    afterAll(async () => {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close().catch(() => undefined);
      await harness?.close();
      expect(refused, 'refused by the content security policy').toEqual([]);
    }, 60_000);

    const env: ConsoleEnv = {
      get h() { return harness!; },
      get baseUrl() { return baseUrl; },
      get browser() { return browser!; },
      async newContext(opts = {}) {
        const context = await browser!.newContext({
          baseURL: baseUrl,
          viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
          timezoneId: opts.timezoneId,
          locale: 'en-US',
          reducedMotion: opts.reducedMotion,
        });
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
        context.on('page', (page) => page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) refused.push(`${page.url()}: ${message.text()}`);
        }));
        context.setDefaultTimeout(UI_TIMEOUT);
        contexts.push(context);
        return context;
      },
      async signedIn(opts = {}) {
        const context = await env.newContext(opts);
        const page = await context.newPage();
        await signIn(page, opts.email ?? harness!.admin.email, opts.password ?? harness!.admin.password);
        return page;
      },
    };
    fn(() => env);
  });
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/');
  await field(page, 'Email').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My Profile' }).waitFor();
}

/** A text field by its label (the accessible name, so a required field's "*" does not count). */
export function field(scope: Page | Locator, name: string): Locator {
  return scope.getByRole('textbox', { name, exact: true });
}

/** The dialog with this title. */
export function dialog(page: Page, title: string | RegExp): Locator {
  return page.getByRole('dialog', { name: title });
}

/** A dialog's title exactly as shown, case and all (its accessible name: dialog() matches it loosely). */
export async function titleOf(d: Locator): Promise<string | null | undefined> {
  return d.evaluate((el) => document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent);
}

/** Account Settings → Access Control → API Keys, the older document's page. */
export function apiKeysPage(accountId: string): string {
  return `/account-settings/access-control/api-keys?accountIdentifier=${accountId}`;
}

/** Selects "Add API Key" on that page: its dialog. */
export async function openAddApiKey(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Add API Key' }).first().click();
  return dialog(page, 'Add API Key');
}

/** Picks an option of a Mantine Select or MultiSelect (a combobox with a listbox of options). */
export async function choose(page: Page, scope: Page | Locator, label: string, option: string): Promise<void> {
  await scope.getByRole('textbox', { name: label, exact: true }).click();
  // An option can be disabled while the console asks whether the person may choose it.
  await page.getByRole('option', { name: option, exact: true }).and(page.locator(':not([data-combobox-disabled])')).click();
}

/** Closes an open option list (Escape on its input) — and only when one is open, so Escape never closes a dialog. */
export async function closeList(page: Page): Promise<void> {
  const list = page.getByRole('listbox');
  if ((await list.count()) === 0) return;
  await page.keyboard.press('Escape');
  await list.first().waitFor({ state: 'detached' }).catch(() => undefined);
}

/**
 * Closes an open ⋮ menu with Escape, as a keyboard user does. The menu hears Escape once the focus
 * is in it, which it takes a moment after opening: on a busy machine a key pressed sooner is lost.
 */
export async function escapeMenu(page: Page): Promise<void> {
  await eventually(async () => {
    if (!(await page.evaluate(() => !!document.activeElement?.closest('[role="menu"]')))) throw new Error('the focus is not in the menu yet');
  });
  await page.keyboard.press('Escape');
  await page.getByRole('menu').waitFor({ state: 'detached' });
}

/** Opens a More Options (⋮) menu and picks an item. */
export async function moreOptions(page: Page, of: string | RegExp, item: string): Promise<void> {
  const name = typeof of === 'string' ? `More Options for ${of}` : of;
  const button = page.getByRole('button', { name, exact: typeof of === 'string' });
  await button.click();
  const menuItem = page.getByRole('menuitem', { name: item, exact: true });
  try {
    await menuItem.waitFor({ timeout: UI_TIMEOUT / 2 });
  } catch (e) {
    throw new Error(`no "${item}" in the menu of ${String(of)}: ${JSON.stringify(await menuState(page, button))}`, { cause: e });
  }
  await menuItem.click();
}

/** What a menu that did not show is doing, for the message of a failed test. */
async function menuState(page: Page, button: Locator): Promise<unknown> {
  const target = await button.evaluate((b) => {
    const r = b.getBoundingClientRect();
    return { expanded: b.getAttribute('aria-expanded'), rect: [r.x, r.y, r.width, r.height].map(Math.round), connected: b.isConnected };
  }).catch((e: unknown) => String(e));
  return page.evaluate((target) => ({
    target,
    menus: [...document.querySelectorAll('[role="menu"]')].map((m) => ({ style: m.getAttribute('style'), items: m.querySelectorAll('[role="menuitem"]').length })),
    active: document.activeElement ? `${document.activeElement.tagName} ${document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent?.slice(0, 40)}` : null,
    scroll: [window.scrollX, window.scrollY, window.innerHeight],
    dialogs: [...document.querySelectorAll('[role="dialog"]')].map((d) => d.getAttribute('aria-labelledby') ? document.getElementById(d.getAttribute('aria-labelledby')!)?.textContent : d.textContent?.slice(0, 40)),
    alerts: [...document.querySelectorAll('[role="alert"]')].map((a) => a.textContent?.slice(0, 60)),
  }), target);
}

/**
 * Reads a one-time token value the way a person does: with the Copy button, then from the
 * clipboard. Also checks the value is masked until the eye is used.
 */
export async function copyTokenValue(page: Page, scope: Locator): Promise<string> {
  const output = scope.getByTestId('token-value');
  await output.waitFor();
  const masked = await output.textContent();
  if (!masked || /[A-Za-z0-9]/.test(masked)) throw new Error(`the token should be masked at first, shows "${masked}"`);
  await scope.getByRole('button', { name: 'Copy token' }).click();
  await scope.getByRole('button', { name: 'Copy token' }).filter({ hasText: 'Copied' }).waitFor();
  const copied = await page.evaluate('navigator.clipboard.readText()') as string;
  // The eye reveals the same value.
  await scope.getByRole('button', { name: 'Show token value' }).click();
  const revealed = (await output.textContent())?.trim();
  if (revealed !== copied) throw new Error(`revealed value differs from the copied one: ${revealed} vs ${copied}`);
  return copied;
}

/**
 * How far the page's content runs past its width (it must not, at 1280 or 390 px): the document's,
 * and the body's, whose overflow the document may clip — text cut off instead of scrolling.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - document.documentElement.clientWidth') as Promise<number>;
}

/** Whether the two elements, both shown, cover any of the same part of the page. */
export async function overlaps(a: Locator, b: Locator): Promise<boolean> {
  const [x, y] = [await a.boundingBox(), await b.boundingBox()];
  if (!x || !y) throw new Error('both elements must be shown');
  return x.x < y.x + y.width && y.x < x.x + x.width && x.y < y.y + y.height && y.y < x.y + x.height;
}

/** Waits until `check` passes (for state the server changes after the page does). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = UI_TIMEOUT): Promise<T> {
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      last = e;
      if (Date.now() - start > timeoutMs) throw last;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Waits until the button is disabled (Playwright's own waiting, up to the context's timeout):
 * disabled, or aria-disabled as an action refused is (still reached by the keyboard, which hears why).
 */
export async function expectDisabled(button: Locator): Promise<void> {
  await button.and(button.page().locator(':disabled, [aria-disabled="true"]')).waitFor();
}

/** Waits until the button is enabled (Playwright's own waiting, up to the context's timeout). */
export async function expectEnabled(button: Locator): Promise<void> {
  await button.and(button.page().locator(':enabled:not([aria-disabled="true"])')).waitFor();
}

/**
 * Hovers a button as a person does and waits for its tooltip with this text. A disabled button
 * takes no pointer events, so the console shows its tooltip on the wrapper around it: hover that.
 */
export async function hoverForTooltip(button: Locator, text: string): Promise<Locator> {
  await button.locator('xpath=..').hover();
  const tooltip = button.page().getByRole('tooltip').filter({ hasText: text });
  await tooltip.waitFor();
  return tooltip;
}
