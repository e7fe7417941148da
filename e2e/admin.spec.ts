// The admin in a browser, as the demo admin: write a post with an uploaded image, schedule another, publish, find
// the post on the home page, then hide a reader's comment from the moderation queue and see it gone from the post.
// Runs against `npm run dev` (demo content); the demo admin's sign-in comes from .data/demo-admin.json or
// LEMBAS_DEMO_PASSWORD (see demoAdmin in e2e/browser.ts). `E2E_DOCS=1` also refreshes the README's docs/editor.png.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { assertAccessible } from './axe';
import { demoAdmin, screenshot, signIn, signUpReader, url, visit } from './browser';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real PNG (a diagonal gradient in a colour of this run), so each run uploads an image of its own. */
function gradientPng(width: number, height: number, seed: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1) {
      const t = (x + y) / (width + height);
      rows.set([Math.round(40 + 180 * t), (seed * 37) % 200, Math.round(220 - 160 * t)], row + 1 + x * 3);
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** YYYY-MM-DDTHH:mm for a datetime-local field, `days` from now, in UTC (the editor's zone is set to UTC below). */
function localInput(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16);
}

async function startPost(page: Page, title: string, tags: string, markdown: string): Promise<void> {
  await page.goto(url('/admin/posts/new'));
  await page.locator('form.editor input[name="title"]').fill(title);
  await page.locator('form.editor input[name="tags"]').fill(tags);
  await page.locator('form.editor textarea[name="markdown"]').fill(markdown);
}

/** Waits until the image is loaded and decoded at its real width (a broken image has none). */
async function imageShown(page: Page, selector: string, width: number): Promise<void> {
  await page.waitForFunction(
    `(() => { const img = document.querySelector(${JSON.stringify(selector)}); return !!img && img.complete && img.naturalWidth === ${width}; })()`,
  );
}

async function savedNotice(page: Page, text: string): Promise<void> {
  await page.waitForURL(/\/admin\/posts\/\d+\/edit\?saved=/);
  assert.equal((await page.locator('p.notice[role="status"]').textContent())?.trim(), text);
}

describe('the demo admin', () => {
  const run = Date.now().toString(36);
  const title = `Notes from the browser ${run}`;
  const later = `Coming later ${run}`;
  const comment = `A comment to moderate, ${run}.`;
  let postPath = '';
  // The admin signs in once; the second test reuses the session cookie (sign-ins are rate limited per account).
  let adminCookies: Awaited<ReturnType<BrowserContext['cookies']>> = [];

  it('writes a post with an image, schedules another, publishes, and finds the post on the home page', async () => {
    await visit('desktop', async (page, _problems, context) => {
      page.on('dialog', (dialog) => void dialog.accept());
      await signIn(page, demoAdmin(), '/admin');
      adminCookies = await context.cookies();
      assert.equal(await page.locator('h1').textContent(), 'All posts');

      await startPost(
        page,
        title,
        'Browser, Notes',
        `Written in **the admin** by the browser suite (${run}).\n\n## An image\n\nUploaded from the editor:`,
      );
      await page.locator('form.editor textarea[name="excerpt"]').fill(`The browser suite’s post of run ${run}.`);
      await page.locator('form.editor input[type="file"][name="file"]').setInputFiles({
        name: `gradient-${run}.png`,
        mimeType: 'image/png',
        buffer: gradientPng(480, 160, Date.now() % 1000),
      });
      await page.getByRole('button', { name: 'Upload and insert' }).click();
      await page.locator('p.notice[role="status"]', { hasText: 'Image uploaded' }).waitFor();
      const markdown = await page.locator('form.editor textarea[name="markdown"]').inputValue();
      assert.match(markdown, /!\[gradient [0-9a-z]+\]\(\/media\/[0-9a-f]{64}\.png\)\n$/);

      await page.getByRole('button', { name: 'Preview' }).click();
      const preview = page.locator('[data-preview-target] img[src^="/media/"]');
      await preview.waitFor();
      await imageShown(page, '[data-preview-target] img[src^="/media/"]', 480);
      await assertAccessible(page);
      await screenshot(page, 'admin-editor', 'desktop');
      if (process.env.E2E_DOCS === '1') {
        // The whole editor, preview included, for the README.
        const shot = await page.screenshot({
          path: new URL('../docs/editor.png', import.meta.url).pathname,
          fullPage: true,
        });
        assert.ok(shot.length < 200_000, `docs/editor.png is ${shot.length} bytes; keep it under 200 KB`);
      }

      await page.getByRole('button', { name: 'Publish now' }).click();
      await savedNotice(page, 'Published.');
      postPath = (await page.locator('p.post-state a', { hasText: 'view' }).getAttribute('href')) ?? '';
      assert.match(postPath, /^\/posts\/notes-from-the-browser-/);

      // A second post, scheduled for tomorrow (10:30 UTC) from the same editor.
      await startPost(page, later, 'Notes', 'Not out yet.');
      await page.locator('form.editor select[name="timeZone"]').selectOption('UTC');
      await page.locator('form.editor input[name="publishAt"]').fill(`${localInput(1).slice(0, 10)}T10:30`);
      await page.getByRole('button', { name: 'Schedule' }).click();
      await savedNotice(page, 'Scheduled.');

      await page.goto(url('/admin?status=scheduled'));
      await page.locator('section.posts-scheduled a', { hasText: later }).waitFor();
      await page.goto(url('/admin?status=published'));
      await page.locator('section.posts-published a', { hasText: title }).waitFor();

      await page.goto(url('/'));
      const listed = page.locator('ol.post-list h2 a', { hasText: title });
      await listed.waitFor();
      assert.equal(await page.locator('ol.post-list h2 a', { hasText: later }).count(), 0, 'not out before its time');
      await listed.click();
      await page.waitForURL(url(postPath));
      await imageShown(page, 'article.post img[src^="/media/"]', 480);
    });
  });

  it('hides a reader’s comment in /admin/comments, and the post no longer shows it', async () => {
    assert.ok(postPath && adminCookies.length > 0, 'the post and the admin session from the previous test');
    await visit('desktop', async (page) => {
      const name = `mod${run}`;
      await signUpReader(page, name);
      await page.goto(url(postPath));
      await page.locator('form.comment-form:not(details form) textarea[name="body"]').fill(comment);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await page.locator('li.comment', { hasText: comment }).waitFor();
    });

    await visit('desktop', async (page, _problems, context) => {
      await context.addCookies(adminCookies);
      await page.goto(url('/admin'));
      await page.locator('a[href="/admin/comments"]', { hasText: /comments? in the last 7 days/ }).click();
      await page.waitForURL(url('/admin/comments'));
      const row = page.locator('table.comments-queue tr', { hasText: comment });
      await row.waitFor();
      assert.equal(
        await row.locator('a', { hasText: title }).getAttribute('href'),
        `${postPath}#${await row.getAttribute('id')}`,
      );
      await row.getByRole('button', { name: 'Hide' }).click();
      await page.locator('p.notice[role="status"]', { hasText: 'Comment hidden' }).waitFor();
      await page
        .locator('table.comments-queue tr', { hasText: comment })
        .getByRole('button', { name: 'Restore' })
        .waitFor();
      await assertAccessible(page);
      await screenshot(page, 'admin-comments', 'desktop');

      await page.goto(url(postPath));
      await page.locator('article.post h1').waitFor();
      assert.equal(await page.locator('li.comment', { hasText: comment }).count(), 0, 'the hidden comment is gone');
    });
  });
});
