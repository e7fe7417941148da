// A reader's side of the blog in a browser, without any JavaScript of ours: sign up, comment on a post, reply to the
// comment, react, and sign out. Runs against `npm run dev` (demo content); see e2e/browser.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible } from './axe';
import { demoAdmin, screenshot, signIn, signUpReader, url, visit } from './browser';

describe('a reader', () => {
  it('signs up, comments, replies, reacts and signs out', async () => {
    await visit('desktop', async (page) => {
      const name = `reader${Date.now().toString(36)}`;
      await signUpReader(page, name);
      assert.equal(await page.locator('.viewer-name').textContent(), `Reader ${name}`);

      await page.goto(url('/'));
      await page.locator('ol.post-list h2 a').first().click();
      await page.waitForURL(/\/posts\//);
      const comment = `First thoughts from ${name}: *nice* post.`;
      await page.locator('form.comment-form:not(details form) textarea[name="body"]').fill(comment);
      await page.getByRole('button', { name: 'Post comment' }).click();
      const mine = page.locator('li.comment', { hasText: `First thoughts from ${name}` });
      await mine.waitFor();
      assert.equal(await mine.locator('em').first().textContent(), 'nice', 'the comment is rendered markdown');

      // One comment per reader per 15 seconds (lib/comments.ts): a reply sooner would be refused as too fast.
      await page.waitForTimeout(15_500);
      await mine.locator('details.reply summary').first().click();
      await mine.locator('details.reply textarea[name="body"]').fill(`A reply from ${name}.`);
      await mine.getByRole('button', { name: 'Reply' }).click();
      // Nested under its parent: replies go one level deep.
      await mine.locator('li.comment', { hasText: `A reply from ${name}.` }).waitFor();

      const like = page.locator('#reactions button.reaction').first();
      assert.equal(await like.getAttribute('aria-pressed'), 'false');
      await like.click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('#reactions button.reaction').first().getAttribute('aria-pressed'), 'true');
      await screenshot(page, 'reader-post', 'desktop');

      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.waitForLoadState('load');
      assert.equal(await page.locator('.viewer-name').count(), 0, 'signed out');
      assert.ok((await page.getByRole('link', { name: 'Sign in' }).count()) > 0);
    });
  });

  it('cannot break the post page with a comment: Chromium keeps every comment in the thread (issue 23)', async () => {
    await visit('desktop', async (page) => {
      // The demo admin comments here, as any signed-in user can: sign-ups are limited to five an hour per address.
      const name = `hostile${Date.now().toString(36)}`;
      await signIn(page, demoAdmin());
      await page.locator('ol.post-list h2 a').first().click();
      await page.waitForURL(/\/posts\//);
      // Once stored as `<p><table>[removed]</p>`: the open table took the comments after it out of their list.
      const comment = `${name} <math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`;
      await page.locator('form.comment-form:not(details form) textarea[name="body"]').fill(comment);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await page.locator('li.comment', { hasText: name }).waitFor();
      const misplaced = await page
        .locator('li.comment')
        .evaluateAll((items) =>
          items.filter((item) => !item.parentElement?.matches('ol.thread, ol.replies')).map((item) => item.id),
        );
      assert.deepEqual(misplaced, [], 'every comment is an item of the thread');
      assert.equal(
        await page.locator('body > footer.site-footer').count(),
        1,
        'the footer is still a child of the body',
      );
      assert.equal(
        await page.locator('table form, table footer').count(),
        0,
        'nothing after the comment is in a table',
      );
      await assertAccessible(page);
    });
  });
});
