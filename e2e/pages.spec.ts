// Owning the blog's words, in a browser, as the demo admin: an About page written in the admin and shown at /about;
// a draft that autosaves through a forced network failure and recovers; and an older revision restored from the
// revisions view (checked with axe). `E2E_DOCS=1` also refreshes the README's docs/revisions.png.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible } from './axe';
import { demoAdmin, screenshot, signIn, url, visit } from './browser';

const status = (page: Page) => page.locator('[data-autosave-status]');

/** The page's globals these predicates read (this file is compiled without the DOM's types). */
interface InPage {
  document: { querySelector(selector: string): { textContent: string | null } | null };
  location: { pathname: string };
}

// Functions, not strings: a string predicate is evaluated in the page, which the site's CSP (rightly) forbids.
async function waitForStatus(page: Page, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) =>
      new RegExp(source).test(
        (globalThis as unknown as InPage).document.querySelector('[data-autosave-status]')?.textContent ?? '',
      ),
    pattern.source,
  );
}

describe('pages and revisions', () => {
  const run = Date.now().toString(36);
  // The admin signs in once; later tests reuse the session cookie (sign-ins are rate limited per account).
  let adminCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];
  let draftEdit = '';

  it('writes an About page in the admin and shows it at /about, never among the posts', async () => {
    await visit('desktop', async (page, _problems, context) => {
      page.on('dialog', (dialog) => void dialog.accept());
      await signIn(page, demoAdmin(), '/admin/pages');
      adminCookies = await context.cookies();
      // On a database that has one already (a second run), this run edits it.
      const existing = page.locator('table tr', { has: page.locator('a[href="/about"]') });
      if ((await existing.count()) > 0) {
        await existing.locator('td a').first().click();
      } else {
        await page.getByRole('link', { name: 'New page' }).click();
        await page.locator('form.editor input[name="slug"]').fill('about');
      }
      await page.locator('form.editor input[name="title"]').fill('About');
      await page
        .locator('form.editor textarea[name="markdown"]')
        .fill(`This blog is written with **lembas** (run ${run}).`);
      await page.getByRole('button', { name: 'Publish now' }).click();
      await page.waitForURL(/\/admin\/pages\/\d+\/edit\?saved=publish/);

      await page.goto(url('/about'));
      assert.equal(await page.locator('article.page h1').textContent(), 'About');
      assert.match((await page.locator('article.page .post-body').textContent()) ?? '', new RegExp(`run ${run}`));
      await assertAccessible(page);
      await page.goto(url('/'));
      assert.equal(await page.locator('ol.post-list a[href="/about"]').count(), 0, 'a page is not a post');
    });
  });

  it('autosaves a draft through a network failure, and recovers when the network is back', async () => {
    assert.ok(adminCookies.length > 0, 'the admin session from the previous test');
    await visit('desktop', async (page, problems, context) => {
      page.on('dialog', (dialog) => void dialog.accept());
      await context.addCookies(adminCookies);
      await page.goto(url('/admin/posts/new'));
      await page.locator('form.editor input[name="title"]').fill(`Autosaved ${run}`);
      const body = page.locator('form.editor textarea[name="markdown"]');
      await body.fill('The first version of the draft.');
      // The first autosave creates the draft and moves the editor to its address.
      await waitForStatus(page, /^saved/);
      // The address changes in place (history.replaceState), without a navigation to wait for.
      await page.waitForFunction(() =>
        /^\/admin\/posts\/\d+\/edit$/.test((globalThis as unknown as InPage).location.pathname),
      );
      draftEdit = new URL(page.url()).pathname;

      await page.route('**/autosave', (route) => route.abort('internetdisconnected'));
      await body.fill('The first version of the draft.\n\nA paragraph written while offline.');
      await waitForStatus(page, /^not saved: retrying/);
      assert.equal(await status(page).getAttribute('aria-live'), 'polite');
      await page.unroute('**/autosave');
      await waitForStatus(page, /^saved/);
      // The failures were forced: the browser reports each aborted request, which is what this test wanted.
      const forced = problems.list.filter((problem) => /\/autosave|ERR_INTERNET_DISCONNECTED/.test(problem));
      problems.list.splice(0, problems.list.length, ...problems.list.filter((p) => !forced.includes(p)));
      assert.ok(forced.length > 0, 'the route abort was seen');

      await page.reload();
      assert.match(await body.inputValue(), /written while offline\.$/);
    });
  });

  it('restores an older revision from the revisions view', async () => {
    assert.ok(draftEdit, 'the draft from the previous test');
    await visit('desktop', async (page, _problems, context) => {
      await context.addCookies(adminCookies);
      await page.goto(url(draftEdit));
      await page.getByRole('link', { name: 'revisions' }).click();
      await page.waitForURL(/\/revisions$/);
      const rows = page.locator('table.revisions tbody tr');
      assert.ok((await rows.count()) >= 2, 'the first autosave and the one after the failure');
      await rows.last().locator('a').click();
      await page.locator('pre.diff ins', { hasText: 'written while offline' }).waitFor();
      await assertAccessible(page);
      await screenshot(page, 'admin-revisions', 'desktop');
      if (process.env.E2E_DOCS === '1') {
        const shot = await page.screenshot({
          path: new URL('../docs/revisions.png', import.meta.url).pathname,
          fullPage: true,
        });
        assert.ok(shot.length < 200_000, `docs/revisions.png is ${shot.length} bytes; keep it under 200 KB`);
      }
      await page.getByRole('button', { name: /^Restore version/ }).click();
      await page.waitForURL(/\/edit\?saved=restored$/);
      assert.equal(
        await page.locator('form.editor textarea[name="markdown"]').inputValue(),
        'The first version of the draft.',
      );
    });
  });
});
