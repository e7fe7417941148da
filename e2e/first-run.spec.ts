// Owning a new blog, in a browser, on a database of its own: /setup creates the owner; an About page is written;
// /admin/settings renames the site and builds its navigation (the About page through the page picker, a second link
// added and moved up), and the public pages show both on the very next request; axe checks /setup and the settings
// page. The rest of issue 19's walk runs on the demo site: autosave through a network failure and a revision restore
// in pages.spec.ts, a password reset through the mailbox in recovery.spec.ts.
//
// The demo site the other specs use has its owner already, so this spec starts its own `LEMBAS_FRESH=1 npm run dev`
// (an empty database in memory, the Worker's storage in a temporary folder: nothing of the demo's .data/ or .wrangler/
// is touched) on free ports, and stops its process group at the end. `E2E_DOCS=1` also refreshes the README's
// docs/settings.png.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { freePort } from '../dev/ports';
import { assertAccessible } from './axe';
import { screenshot, visit } from './browser';

const STARTUP_MS = 180_000;

interface FreshSite {
  base: string;
  stop(): Promise<void>;
}

/** `npm run dev` on an empty database and free ports; resolves once its home page answers. */
async function startFreshSite(): Promise<FreshSite> {
  const [port, cache, neon, upstash, mail, inspector] = await Promise.all(Array.from({ length: 6 }, freePort));
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('npm', ['run', 'dev'], {
    cwd: new URL('..', import.meta.url).pathname,
    // Its own process group, so stopping it reaches tsx, wrangler and workerd too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LEMBAS_FRESH: '1',
      PORT: String(port),
      LEMBAS_CACHE_PORT: String(cache),
      LEMBAS_NEON_PORT: String(neon),
      LEMBAS_UPSTASH_PORT: String(upstash),
      LEMBAS_MAIL_PORT: String(mail),
      LEMBAS_INSPECTOR_PORT: String(inspector),
      // The embedded stand-ins: a real database named here would not be empty.
      DATABASE_URL: '',
      REDIS_URL: '',
    },
  });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Ctrl-C, as a person stops it: dev.ts closes wrangler and the stand-ins.
    process.kill(-child.pid!, 'SIGINT');
    const done = await Promise.race([exited.then(() => true), delay(15_000).then(() => false)]);
    if (!done) process.kill(-child.pid!, 'SIGKILL');
  };

  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${base}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { base, stop };
    await delay(500);
  }
  await stop();
  assert.fail(`LEMBAS_FRESH=1 npm run dev did not serve ${base}/ in time:\n${log.slice(-3000)}`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const OWNER = {
  displayName: 'Bilbo Baggins',
  username: 'bilbo',
  email: 'bilbo@bag-end.example',
  password: 'there and back again, a long passphrase',
};

describe('a new blog, owned from the browser', () => {
  let site: FreshSite | undefined;
  const at = (path: string) => new URL(path, site!.base).toString();
  // The owner signs in once, through /setup; later tests reuse the session cookie.
  let ownerCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];

  before(async () => {
    site = await startFreshSite();
  });
  after(async () => {
    await site?.stop();
  });

  it('sends every /admin address to /setup, which creates the owner, signs them in and lands on /admin', async () => {
    await visit('desktop', async (page, _problems, context) => {
      await page.goto(at('/admin/settings'));
      assert.equal(new URL(page.url()).pathname, '/setup');
      await assertAccessible(page);
      const form = page.locator('form[action="/setup"]');
      await form.locator('input[name="title"]').fill('Bag End Notes');
      await form.locator('input[name="displayName"]').fill(OWNER.displayName);
      await form.locator('input[name="username"]').fill(OWNER.username);
      await form.locator('input[name="email"]').fill(OWNER.email);
      await form.locator('input[name="password"]').fill(OWNER.password);
      await form.getByRole('button', { name: 'Create the owner and sign in' }).click();
      await page.waitForURL((target) => target.pathname === '/admin');
      ownerCookies = await context.cookies();
      // Once: the form is gone for good.
      const again = await page.request.get(at('/setup'));
      assert.equal(again.status(), 404);
    });
  });

  it('writes an About page', async () => {
    assert.ok(ownerCookies.length > 0, 'the owner session from the setup');
    await visit('desktop', async (page, _problems, context) => {
      page.on('dialog', (dialog) => void dialog.accept());
      await context.addCookies(ownerCookies);
      await page.goto(at('/admin/pages'));
      await page.getByRole('link', { name: 'New page' }).click();
      await page.locator('form.editor input[name="title"]').fill('About');
      await page.locator('form.editor input[name="slug"]').fill('about');
      await page
        .locator('form.editor textarea[name="markdown"]')
        .fill('A hobbit writes here about **second breakfast**.');
      await page.getByRole('button', { name: 'Publish now' }).click();
      await page.waitForURL(/\/admin\/pages\/\d+\/edit\?saved=publish/);
    });
  });

  it('renames the site and builds its navigation in /admin/settings; the public pages show it at once', async () => {
    assert.ok(ownerCookies.length > 0, 'the owner session from the setup');
    await visit('desktop', async (page, _problems, context) => {
      await context.addCookies(ownerCookies);
      // The home page is in the edge cache before the change: the save must drop it.
      await page.goto(at('/'));
      assert.equal(await page.title(), 'Bag End Notes');

      await page.goto(at('/admin/settings'));
      await assertAccessible(page);
      await page.locator('input[name="title"]').fill('The Green Dragon');
      await page.locator('textarea[name="description"]').fill('News and songs from Bywater.');
      // The page picker fills a navigation row with the page's title and address.
      await page.getByLabel('Link to one of your pages').selectOption({ label: 'About (/about)' });
      await submitAndWait(page, page.getByRole('button', { name: 'Add page link' }));
      assert.equal(await page.locator('input[name="navigation.0.label"]').inputValue(), 'About');
      assert.equal(await page.locator('input[name="navigation.0.url"]').inputValue(), '/about');
      // The typed title survived the redraw, which saved nothing yet.
      assert.equal(await page.locator('input[name="title"]').inputValue(), 'The Green Dragon');
      assert.match((await page.getByRole('status').textContent()) ?? '', /Not saved yet/);

      // A second link, by hand, moved in front of the first.
      await submitAndWait(page, page.getByRole('button', { name: 'Add a header link' }));
      await page.getByLabel('Label of header link 2').fill('Archive');
      await page.getByLabel('Address of header link 2').fill('/archive');
      await submitAndWait(page, page.getByRole('button', { name: 'Move header link 2 up' }));
      assert.equal(await page.locator('input[name="navigation.0.label"]').inputValue(), 'Archive');
      assert.equal(await page.locator('input[name="navigation.1.label"]').inputValue(), 'About');
      await assertAccessible(page);

      await submitAndWait(page, page.getByRole('button', { name: 'Save settings' }));
      assert.equal(new URL(page.url()).search, '?done=saved');
      assert.equal(await page.getByRole('status').textContent(), 'Settings saved.');
      await screenshot(page, 'admin-settings', 'desktop');
      if (process.env.E2E_DOCS === '1') {
        const shot = await page.screenshot({
          path: new URL('../docs/settings.png', import.meta.url).pathname,
          fullPage: true,
        });
        assert.ok(shot.length < 250_000, `docs/settings.png is ${shot.length} bytes; keep it under 250 KB`);
      }

      // The next request of a public page shows the new name and the links, in order.
      await context.clearCookies();
      await page.goto(at('/'));
      assert.equal(await page.title(), 'The Green Dragon');
      const links = page.locator('.site-header nav > a');
      assert.deepEqual((await links.allTextContents()).slice(0, 2), ['Archive', 'About']);
      await page.locator('.site-header nav').getByRole('link', { name: 'About' }).click();
      await page.waitForURL((target) => target.pathname === '/about');
      assert.equal(await page.locator('article.page h1').textContent(), 'About');
      assert.match((await page.locator('.site-name').textContent()) ?? '', /The Green Dragon/);
      const feed = await page.request.get(at('/feed.xml'));
      assert.match(await feed.text(), /<title>The Green Dragon<\/title>/);
    });
  });
});

/** Clicks a button that submits the form and waits for the page it answers with. */
async function submitAndWait(page: Page, button: ReturnType<Page['locator']>): Promise<void> {
  await Promise.all([page.waitForNavigation(), button.click()]);
}
