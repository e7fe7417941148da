// The browser suite's harness: Debian's Chromium driven by playwright-core (no browser is ever downloaded), a fresh
// profile per device, and guards that fail a test on any console error, uncaught exception or failed request.
// Spec files (`e2e/*.spec.ts`) import `visit` and `devices` from here; add your own spec file beside the others.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';

export const BASE_URL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots land here (gitignored). */
export const OUTPUT_DIR = new URL('./output/', import.meta.url).pathname;

// No network beyond the site under test, no first-run or background chatter that could show up as failed requests.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const devices = {
  desktop: { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;
export type DeviceName = keyof typeof devices;

/** What went wrong on a page: console errors, uncaught exceptions, failed or 4xx/5xx requests. */
export class PageProblems {
  readonly list: string[] = [];
  /** Requests a test expects to fail (e.g. it opens a missing page on purpose). */
  readonly allowed = new Set<string>();

  /** Requests the browser aborted, with how many times the page had navigated when each started. */
  private readonly aborted: { problem: string; startedAfter: number }[] = [];
  private navigations = 0;

  watch(page: Page): void {
    const startedAfter = new WeakMap<Request, number>();
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) this.navigations += 1;
    });
    page.on('request', (request) => startedAfter.set(request, this.navigations));
    page.on('console', (message) => {
      if (message.type() === 'error') this.list.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.list.push(`uncaught exception on ${page.url()}: ${error.message}`));
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText;
      const problem = `request failed: ${request.method()} ${request.url()} (${error})`;
      if (error === 'net::ERR_ABORTED') this.aborted.push({ problem, startedAfter: startedAfter.get(request) ?? 0 });
      else this.list.push(problem);
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !this.allowed.has(new URL(response.url()).pathname)) {
        this.list.push(`HTTP ${response.status()} for ${response.request().method()} ${response.url()}`);
      }
    });
  }

  assertNone(): void {
    // A request still in flight when the page navigated away (the editor's live preview, or its script on a slow
    // machine, when the form is submitted) is aborted by the browser: the page moved on, nothing failed. Judged
    // here, at the end, because the abort can be reported before the navigation that caused it.
    const problems = [
      ...this.list,
      ...this.aborted.filter((a) => a.startedAfter === this.navigations).map((a) => a.problem),
    ];
    assert.deepEqual(problems, [], `the browser reported problems:\n${problems.join('\n')}`);
  }
}

/**
 * Opens a fresh Chromium profile for the device, hands the test a page with problem guards attached, and fails the
 * test if the page logged an error or a request failed. The profile is deleted afterwards.
 */
export async function visit(
  device: DeviceName,
  test: (page: Page, problems: PageProblems, context: BrowserContext) => Promise<void>,
): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'lembas-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    ...devices[device],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const problems = new PageProblems();
    problems.watch(page);
    await test(page, problems, context);
    problems.assertNone();
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Saves a full-page screenshot as e2e/output/<name>-<device>.png. */
export async function screenshot(page: Page, name: string, device: DeviceName): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}-${device}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export const url = (path: string) => new URL(path, BASE_URL).toString();

/** Where `npm run dev` keeps the demo admin's sign-in when it seeds a fresh database (dev/seed). */
export const DEMO_CREDENTIALS_FILE = new URL('../.data/demo-admin.json', import.meta.url).pathname;

/**
 * The demo admin's email and password: LEMBAS_DEMO_PASSWORD when set (the seed uses it too), else the file the seed
 * wrote. Fails with what to do when neither exists (a database seeded before the file was kept).
 */
export function demoAdmin(): { email: string; password: string } {
  const email = process.env.LEMBAS_DEMO_EMAIL ?? 'admin@lembas.local';
  if (process.env.LEMBAS_DEMO_PASSWORD) return { email, password: process.env.LEMBAS_DEMO_PASSWORD };
  assert.ok(
    existsSync(DEMO_CREDENTIALS_FILE),
    `no demo admin sign-in: set LEMBAS_DEMO_PASSWORD, or let npm run dev seed a fresh .data/ (it writes ${DEMO_CREDENTIALS_FILE})`,
  );
  const saved = JSON.parse(readFileSync(DEMO_CREDENTIALS_FILE, 'utf8')) as { email?: unknown; password?: unknown };
  assert.ok(
    typeof saved.email === 'string' && typeof saved.password === 'string',
    `${DEMO_CREDENTIALS_FILE} is malformed`,
  );
  return { email: saved.email, password: saved.password };
}

/** Signs in through the /login form and waits to land on `next`; a refused sign-in fails with the page's reason. */
export async function signIn(page: Page, account: { email: string; password: string }, next = '/'): Promise<void> {
  await page.goto(url(`/login?next=${encodeURIComponent(next)}`));
  const form = page.locator('form[action="/login"]');
  await form.locator('input[name="email"]').fill(account.email);
  await form.locator('input[name="password"]').fill(account.password);
  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST' && response.url() === url('/login')),
    form.locator('button[type="submit"]').click(),
  ]);
  if (answer.status() !== 303) {
    await page.waitForLoadState('load');
    const reason = await page
      .locator('[role="alert"]')
      .first()
      .textContent()
      .catch(() => null);
    assert.fail(`signing in as ${account.email} was refused (HTTP ${answer.status()}): ${reason ?? 'no reason shown'}`);
  }
  await page.waitForURL((target) => target.pathname === next.split('?')[0]);
}

let demoAdminCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];

/**
 * Signs in as the demo admin once per spec file and hands later tests the same session: sign-ins are rate limited
 * per account and address (5 in 15 minutes), and the whole suite signs in from one address.
 */
export async function asDemoAdmin(page: Page, context: BrowserContext, next: string): Promise<void> {
  if (demoAdminCookies.length === 0) {
    await signIn(page, demoAdmin(), next);
    demoAdminCookies = await context.cookies();
    return;
  }
  await context.addCookies(demoAdminCookies);
  await page.goto(url(next));
}

/** Signs a new reader up through the /register form (display name `Reader <name>`) and waits until signed in. */
export async function signUpReader(page: Page, name: string): Promise<void> {
  await page.goto(url('/register'));
  // The form itself: every page's footer has a subscribe form with an email field of its own.
  const form = page.locator('form[action="/register"]');
  await form.locator('input[name="email"]').fill(`${name}@example.com`);
  await form.locator('input[name="username"]').fill(name);
  await form.locator('input[name="displayName"]').fill(`Reader ${name}`);
  await form.locator('input[name="password"]').fill('a long and unusual passphrase for the browser suite');
  await form.getByRole('button', { name: 'Create account' }).click();
  await page.locator('.viewer-name').waitFor();
}
