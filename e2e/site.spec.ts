// The public site as a visitor uses it, on a desktop and a phone: home, a post, a tag, an author, the archive,
// search, the feed link and the API docs. Runs against `npm run dev` (demo content); see e2e/browser.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible } from './axe';
import { screenshot, url, visit, type DeviceName } from './browser';

for (const device of ['desktop', 'phone'] as DeviceName[]) {
  describe(`public site on a ${device}`, () => {
    it('follows home → post → tag → author → archive, and every page passes axe where it matters', async () => {
      await visit(device, async (page) => {
        await page.goto(url('/'));
        assert.match(await page.title(), /lembas/);
        await page.locator('ol.post-list').waitFor();
        assert.ok((await page.locator('ol.post-list > li').count()) > 0, 'the home page lists posts');
        await assertAccessible(page);
        await screenshot(page, 'home', device);

        // A post: title, highlighted code where the demo has code, author and tag links.
        await page.locator('ol.post-list h2 a').first().click();
        await page.waitForURL(/\/posts\//);
        await page.locator('article.post h1').waitFor();
        const ld = await page.locator('script[type="application/ld+json"]').textContent();
        assert.equal(JSON.parse(ld ?? '{}')['@type'], 'BlogPosting');
        await assertAccessible(page);
        await screenshot(page, 'post', device);

        await page.locator('article.post a.tag').first().click();
        await page.waitForURL(/\/tags\//);
        assert.match((await page.locator('h1').textContent()) ?? '', /Posts tagged #/);

        await page.locator('ol.post-list a[href^="/authors/"]').first().click();
        await page.waitForURL(/\/authors\//);
        assert.match((await page.locator('h1').textContent()) ?? '', /Posts by /);
        await screenshot(page, 'author', device);

        await page.goto(url('/tags'));
        assert.ok((await page.locator('ul.tag-index li').count()) > 0, 'the tag index lists tags');

        await page.goto(url('/archive'));
        assert.ok((await page.locator('.archive-month li').count()) > 0, 'the archive lists posts');
        await screenshot(page, 'archive', device);
      });
    });

    it('searches from the header box, by Enter or its button, and passes axe on the results', async () => {
      await visit(device, async (page) => {
        await page.goto(url('/'));
        const box = page.getByRole('searchbox', { name: 'Search posts' });
        await box.fill('postgres');
        await box.press('Enter');
        await page.waitForURL(/\/search\?q=postgres/);
        assert.match((await page.locator('h1').textContent()) ?? '', /Results for/);
        assert.ok((await page.locator('ol.post-list > li').count()) > 0, 'the demo content matches "postgres"');
        await assertAccessible(page);
        await screenshot(page, 'search', device);
        // The header's button submits too, for whoever does not press Enter.
        await page.goto(url('/'));
        await box.fill('edge');
        await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(/\/search\?q=edge/);
      });
    });
  });
}

describe('feeds and docs', () => {
  it('advertises feeds that parse as RSS and Atom', async () => {
    await visit('desktop', async (page) => {
      await page.goto(url('/'));
      for (const [type, root] of [
        ['application/rss+xml', '<rss version="2.0"'],
        ['application/atom+xml', '<feed xmlns="http://www.w3.org/2005/Atom">'],
      ]) {
        const href = await page.locator(`link[rel="alternate"][type="${type}"]`).first().getAttribute('href');
        assert.ok(href, `a ${type} link in the head`);
        const response = await page.request.get(url(href));
        assert.equal(response.status(), 200);
        assert.match(response.headers()['content-type'] ?? '', new RegExp(type.replace('+', '\\+')));
        assert.ok((await response.text()).includes(root), `${href} is ${type}`);
      }
    });
  });

  it('opens /docs with no network beyond the site and lists the API operations', async () => {
    await visit('desktop', async (page) => {
      const offsite: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(url('/'))) offsite.push(request.url());
      });
      await page.goto(url('/docs'));
      await page.locator('.opblock').first().waitFor({ timeout: 15_000 });
      assert.ok((await page.locator('.opblock').count()) >= 10, 'Swagger UI lists the operations');
      assert.ok(await page.getByText('/api/posts', { exact: true }).first().isVisible());
      assert.deepEqual(offsite, [], 'the docs load nothing from outside the site');
    });
  });
});
