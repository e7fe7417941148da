// Moving in from Ghost and WordPress: the fixture exports in test/fixtures/imports/ go through lib/importers over
// the stand-ins, then the posts, accounts and old addresses are read back as a visitor or the API would.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { getPostBySlug } from '../lib/db/posts';
import { getUserByUsername } from '../lib/db/users';
import { importExport, parseExport, type ImportSource } from '../lib/importers';
import type { AuthUser } from '../lib/schemas/user';
import { adminBrowserAs } from './admin-browser';
import ghostFixture from './fixtures/imports/ghost-export.json?raw';
import wordpressFixture from './fixtures/imports/wordpress-export.xml?raw';
import { call, createPost, createUser, testDeps, unique } from './helpers';

/** A run of its own: the fixture's `fx1` marks (slugs, ids, logins) and WordPress's post ids made unique. */
function exportOf(source: ImportSource): { text: string; token: string } {
  const token = unique('fx')
    .replace(/[^a-z0-9]/g, '')
    .slice(-14);
  const base = 100_000 + Math.floor(Math.random() * 1_000_000_000);
  const text = (source === 'ghost' ? ghostFixture : wordpressFixture)
    .replaceAll('fx1', token)
    .replace(/\b900(\d)\b/g, (_, digit: string) => String(base + Number(digit)));
  return { text, token };
}

const receiver = env.TEST_RECEIVER_URL;

/** The Ghost fixture with its two images on the local receiver (the inline one behind a redirect). */
function ghostWithImages(cover: string, inline: string): { text: string; token: string } {
  const { text, token } = exportOf('ghost');
  return {
    text: text
      .replace('__GHOST_URL__/content/images/2024/05/cover.jpg', `${receiver}/images/${cover}`)
      .replace('__GHOST_URL__/content/images/2024/05/rack.jpg', `${receiver}/images/${inline}`),
    token,
  };
}

async function admin(): Promise<AuthUser> {
  const user = await createUser({ role: 'admin' });
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

function run(actor: AuthUser, source: ImportSource, text: string, options = {}) {
  return importExport(testDeps(), actor, parseExport(source, text, `export.${source}`), options);
}

describe('importing a Ghost export', () => {
  it('keeps slugs, dates, status, tags, excerpts and authors, and renders through the sanitizer', async () => {
    const { text, token } = exportOf('ghost');
    const report = await run(await admin(), 'ghost', text, { oldSiteUrl: 'https://old.example' });
    expect(report.problems).toEqual([]);
    expect(report.written).toBe(true);
    expect(report.created.sort()).toEqual([
      `${token}-about`,
      `${token}-half-an-idea`,
      `${token}-tricks`,
      `${token}-welcome`,
    ]);
    expect(report.skipped).toEqual([expect.objectContaining({ reason: expect.stringContaining('"sent"') })]);
    expect(report.authorsCreated.sort()).toEqual([`${token}-jane`, `${token}-sam`]);

    const sql = testDeps().sql;
    const welcome = (await getPostBySlug(sql, `${token}-welcome`))!;
    expect(welcome.status).toBe('published');
    expect(welcome.publishedAt).toBe('2024-05-01T09:30:00.000Z');
    expect(welcome.tags.map((tag) => tag.slug).sort()).toEqual(['edge', 'getting-started']);
    expect(welcome).toMatchObject({ excerpt: 'Why we moved, and where to.', excerptCustom: true });
    expect(welcome.author.username).toBe(`${token}-jane`);
    expect(welcome.markdown).toMatch(
      /^!\[\]\(https:\/\/old\.example\/content\/images\/2024\/05\/cover\.jpg\)\n\nWe moved!/,
    );
    expect(welcome.markdown).toContain('## The stack');
    expect(welcome.markdown).toContain('```ts\nconst edge = true;\n```');
    expect(welcome.html).toContain('<table>');
    expect(welcome.html).toContain(
      '<img src="https://old.example/content/images/2024/05/rack.jpg" alt="A server rack"',
    );

    const draft = (await getPostBySlug(sql, `${token}-half-an-idea`))!;
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null, createdAt: '2024-06-01T10:00:00.000Z' });
    expect(draft.author.username).toBe(`${token}-sam`);

    const author = (await getUserByUsername(sql, `${token}-jane`))!;
    expect(author).toMatchObject({ role: 'author', displayName: 'Jane Writer', bio: 'Writes about the edge.' });
  });

  it('strips hostile HTML on the way in, as any saved post is', async () => {
    const { text, token } = exportOf('ghost');
    await run(await admin(), 'ghost', text);
    const post = (await getPostBySlug(testDeps().sql, `${token}-tricks`))!;
    expect(post.title).toBe('A post with <b>tricks</b> in it');
    for (const bad of [
      '<script',
      'onerror',
      'onclick',
      'onmouseover',
      'javascript:',
      '<iframe',
      'alert(5)',
      'document.cookie',
      'style=',
    ]) {
      expect(post.html).not.toContain(bad);
    }
    expect(post.html).toContain('<a href="https://example.com">a real link</a>');
    const page = await call(`/posts/${token}-tricks`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('A post with &lt;b&gt;tricks&lt;/b&gt; in it');
  });

  it('imports a page as a page: at /{slug}, in no list of posts, its old address redirected there', async () => {
    const { text, token } = exportOf('ghost');
    await run(await admin(), 'ghost', text);
    const about = (await getPostBySlug(testDeps().sql, `${token}-about`))!;
    expect(about).toMatchObject({ type: 'page', status: 'published', title: 'About', tags: [] });
    expect(about.author.username).toBe(`${token}-jane`);

    const page = await call(`/${token}-about`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('A small blog about the edge.');
    expect((await call(`/posts/${token}-about`)).status).toBe(404);
    // Jane wrote the welcome post and the page: only the post is hers in the lists.
    const { items } = await (await call(`/api/posts?author=${token}-jane`)).json<{ items: { slug: string }[] }>();
    expect(items.map((post) => post.slug)).toEqual([`${token}-welcome`]);
    const feed = await (await call(`/authors/${token}-jane/feed.xml`)).text();
    expect(feed).toContain(`/posts/${token}-welcome`);
    expect(feed).not.toContain(`${token}-about`);

    const old = await call(`/${token}-about/`, { redirect: 'manual' });
    expect(old.status).toBe(301);
    expect(old.headers.get('Location')).toBe(`/${token}-about`);
  });

  it('leaves a page that an earlier import made a post (before lembas had pages) a post, and says so', async () => {
    const { text, token } = exportOf('ghost');
    const actor = await admin();
    await run(actor, 'ghost', text.replace('"type": "page"', '"type": "post"'));
    const again = await run(actor, 'ghost', text);
    expect(again.problems).toEqual([]);
    expect(again.unchanged).toContain(`${token}-about`);
    expect(again.notes).toContainEqual({
      item: 'posts[2] "About"',
      note: 'a page in the export, a post here since an earlier import; kept as a post',
    });
    expect((await getPostBySlug(testDeps().sql, `${token}-about`))!.type).toBe('post');
  });

  it("refuses a page whose slug is one of the site's own addresses, naming the item, and writes nothing", async () => {
    const { text, token } = exportOf('ghost');
    const report = await run(await admin(), 'ghost', text.replace(`"slug": "${token}-about"`, '"slug": "archive"'));
    expect(report.written).toBe(false);
    expect(report.problems).toEqual([
      {
        file: 'export.ghost',
        item: 'posts[2] "About"',
        field: 'slug',
        message: '"/archive" is an address of the site itself; rename the page in the export',
      },
    ]);
    expect(await getPostBySlug(testDeps().sql, `${token}-welcome`)).toBeNull();
  });

  it('changes nothing when run again, and only what changed after an edit of the export', async () => {
    const { text, token } = exportOf('ghost');
    const actor = await admin();
    const first = await run(actor, 'ghost', text);
    const before = (await getPostBySlug(testDeps().sql, `${token}-welcome`))!;
    const again = await run(actor, 'ghost', text);
    expect(again).toMatchObject({ created: [], updated: [], authorsCreated: [], problems: [] });
    expect(again.unchanged.sort()).toEqual(first.created.sort());
    expect((await getPostBySlug(testDeps().sql, `${token}-welcome`))!.version).toBe(before.version);

    const edited = await run(actor, 'ghost', text.replace('Welcome to the new home', 'Welcome to our new home'));
    expect(edited.updated).toEqual([`${token}-welcome`]);
    expect(edited.unchanged).toHaveLength(3);
    expect((await getPostBySlug(testDeps().sql, `${token}-welcome`))!.title).toBe('Welcome to our new home');
  });

  it('answers the old addresses of published posts with a 301, never those of drafts', async () => {
    const { text, token } = exportOf('ghost');
    await run(await admin(), 'ghost', text);
    for (const path of [`/${token}-welcome/`, `/${token}-welcome`]) {
      const response = await call(path, { redirect: 'manual' });
      expect(response.status).toBe(301);
      expect(response.headers.get('Location')).toBe(`/posts/${token}-welcome`);
    }
    expect((await call(`/${token}-half-an-idea`, { redirect: 'manual' })).status).toBe(404);
    const slashed = await call(`/${token}-half-an-idea/`, { redirect: 'manual' });
    expect(slashed.headers.get('Location')).not.toContain('/posts/');
    expect((await call(`/${token}-never-existed`, { redirect: 'manual' })).status).toBe(404);
  });
});

describe('importing a WordPress export', () => {
  it('keeps slugs, dates, status, categories and tags, and authors without an email', async () => {
    const { text, token } = exportOf('wordpress');
    const report = await run(await admin(), 'wordpress', text);
    expect(report.problems).toEqual([]);
    expect(report.created.sort()).toEqual(
      [
        `${token}-blocks`,
        `${token}-coming-soon`,
        `${token}-contact`,
        `${token}-hello-world`,
        `draft-thoughts-${token}`,
      ].sort(),
    );
    expect(report.skipped.map((skip) => skip.reason).sort()).toEqual(['post type "attachment"', 'status "trash"']);

    const sql = testDeps().sql;
    const hello = (await getPostBySlug(sql, `${token}-hello-world`))!;
    expect(hello).toMatchObject({
      title: 'Hello world & friends',
      status: 'published',
      publishedAt: '2024-03-05T09:00:00.000Z',
    });
    expect(hello.tags.map((tag) => tag.slug).sort()).toEqual(['edge', 'notes']);
    // Classic-editor paragraphs (blank lines, no <p>) stay paragraphs.
    expect(hello.html).toMatch(
      /<p>Welcome to WordPress\. This is your first post\.<br>\s*Edit or delete it, then start writing!<\/p>/,
    );
    expect(hello.html).toContain('<h2 id="a-heading">');

    const blocks = (await getPostBySlug(sql, `${token}-blocks`))!;
    expect(blocks.author.username).toBe(`${token}-bo`);
    expect(blocks.excerpt).toBe('Blocks, converted.');
    expect(blocks.markdown).toContain('```\nnpm run import\n```');
    for (const bad of ['<script', 'onerror', 'javascript:', 'wp:paragraph']) expect(blocks.html).not.toContain(bad);

    expect(await getPostBySlug(sql, `${token}-coming-soon`)).toMatchObject({
      status: 'scheduled',
      publishedAt: '2099-01-01T00:00:00.000Z',
    });
    expect(await getPostBySlug(sql, `draft-thoughts-${token}`)).toMatchObject({ status: 'draft', publishedAt: null });
    expect(await getUserByUsername(sql, `${token}-bo`)).toMatchObject({ email: `${token}-bo@imported.invalid` });
    expect(await getPostBySlug(sql, `${token}-contact`)).toMatchObject({ type: 'page', status: 'published' });
    expect((await call(`/${token}-contact`)).status).toBe(200);
  });

  it('redirects dated permalinks and ?p= links to the imported posts', async () => {
    const { text, token } = exportOf('wordpress');
    await run(await admin(), 'wordpress', text);
    const id = /<wp:post_id>(\d+)<\/wp:post_id>/.exec(text)![1];
    for (const path of [`/2024/03/05/${token}-hello-world/`, `/?p=${id}`]) {
      const response = await call(path, { redirect: 'manual' });
      expect(response.status, path).toBe(301);
      expect(response.headers.get('Location')).toBe(`/posts/${token}-hello-world`);
    }
    // The contact page is a page: its permalink leads to its address here.
    expect((await call(`/${token}-contact/`, { redirect: 'manual' })).headers.get('Location')).toBe(
      `/${token}-contact`,
    );
    // The home page still answers an unknown ?p= itself.
    expect((await call('/?p=1', { redirect: 'manual' })).status).toBe(200);
  });

  it('is idempotent', async () => {
    const { text } = exportOf('wordpress');
    const actor = await admin();
    const first = await run(actor, 'wordpress', text);
    const again = await run(actor, 'wordpress', text);
    expect(again).toMatchObject({ created: [], updated: [], problems: [] });
    expect(again.unchanged).toHaveLength(first.created.length);
  });
});

describe('copying images (--copy-images, the admin checkbox)', () => {
  it('stores reachable images in R2, points the posts at the copies, and a second run changes nothing', async () => {
    const { text, token } = ghostWithImages('pixel.png', 'moved.png');
    const actor = await admin();
    const report = await run(actor, 'ghost', text, { copyImages: {} });
    expect(report.problems).toEqual([]);
    expect(report.imagesCopied).toBe(2);

    const welcome = (await getPostBySlug(testDeps().sql, `${token}-welcome`))!;
    expect(welcome.markdown).not.toContain(receiver);
    const [, key] = /^!\[\]\(\/media\/([0-9a-f]{64}\.png)\)\n\nWe moved!/.exec(welcome.markdown) ?? [];
    expect(key).toBeDefined();
    // The redirected inline image is the same picture: the same content address.
    expect(welcome.html).toContain(`<img src="/media/${key}" alt="A server rack"`);
    const image = await call(`/media/${key}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('Content-Type')).toBe('image/png');

    // The tricks post's `<img src=x>` is relative and no old address was given: left, and said so.
    expect(report.imagesLeft).toEqual([
      { item: 'posts[3] "A post with <b>tricks</b> in it"', url: 'x', reason: expect.stringContaining('relative') },
    ]);

    const again = await run(actor, 'ghost', text, { copyImages: {} });
    expect(again).toMatchObject({ created: [], updated: [], problems: [] });
  });

  it('leaves what is not an image, or not there, at its address, and lists why', async () => {
    const { text, token } = ghostWithImages('not-an-image.png', 'missing.png');
    const report = await run(await admin(), 'ghost', text, { copyImages: {} });
    expect(report.written).toBe(true);
    expect(report.imagesCopied).toBe(0);
    expect(report.imagesLeft).toEqual(
      expect.arrayContaining([
        {
          item: 'posts[0] "Welcome to the new home"',
          url: `${receiver}/images/not-an-image.png`,
          reason: expect.stringContaining('Only JPEG, PNG, WebP and GIF'),
        },
        { item: 'posts[0] "Welcome to the new home"', url: `${receiver}/images/missing.png`, reason: 'answered 404' },
      ]),
    );
    const welcome = (await getPostBySlug(testDeps().sql, `${token}-welcome`))!;
    expect(welcome.markdown).toContain(`${receiver}/images/not-an-image.png`);
    expect(welcome.html).toContain(`${receiver}/images/missing.png`);
  });

  it('never fetches from loopback or private addresses outside development', async () => {
    const { text } = ghostWithImages('pixel.png', 'pixel.png');
    const strict = { ...testDeps(), config: { ...testDeps().config, ALLOW_LOCAL_WEBHOOKS: 'false' as const } };
    const report = await importExport(strict, await admin(), parseExport('ghost', text, 'export.ghost'), {
      copyImages: {},
    });
    expect(report.imagesCopied).toBe(0);
    expect(report.imagesLeft).toContainEqual({
      item: 'posts[0] "Welcome to the new home"',
      url: `${receiver}/images/pixel.png`,
      reason: 'refused: 127.0.0.1 is a loopback address',
    });
  });
});

describe('a broken export', () => {
  const oversized = `<p>${'word '.repeat(45_000)}</p>`;

  function brokenGhost(): { text: string; token: string } {
    const { text, token } = exportOf('ghost');
    const data = JSON.parse(text);
    const posts = data.db[0].data.posts;
    posts[0].html = oversized;
    delete posts[1].title;
    return { text: JSON.stringify(data), token };
  }

  it('is reported by file, item and field, and writes nothing', async () => {
    const { text, token } = brokenGhost();
    const report = await run(await admin(), 'ghost', text);
    expect(report.written).toBe(false);
    expect(report.problems).toEqual([
      { file: 'export.ghost', item: 'posts[1]', field: 'title', message: expect.any(String) },
      {
        file: 'export.ghost',
        item: 'posts[0] "Welcome to the new home"',
        field: 'html',
        message: expect.stringMatching(/^the post is \d+ KB as markdown, over the 200 KB limit for a post$/),
      },
    ]);
    expect(report.created).toEqual([]);
    expect(await getPostBySlug(testDeps().sql, `${token}-tricks`)).toBeNull();
    expect(await getUserByUsername(testDeps().sql, `${token}-jane`)).toBeNull();
  });

  it('imports the rest when asked to skip what is broken', async () => {
    const { text, token } = brokenGhost();
    const report = await run(await admin(), 'ghost', text, { skipInvalid: true });
    expect(report.written).toBe(true);
    expect(report.problems).toHaveLength(2);
    expect(report.created.sort()).toEqual([`${token}-about`, `${token}-tricks`]);
  });

  it('reports a slug that a post here already has, instead of overwriting that post', async () => {
    const { text, token } = exportOf('ghost');
    const mine = await createPost({ slug: `${token}-welcome`, title: 'Mine' });
    const report = await run(await admin(), 'ghost', text);
    expect(report.written).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        field: 'slug',
        message: expect.stringContaining(`taken by a post already here (id ${mine.id})`),
      }),
    ]);
    expect((await getPostBySlug(testDeps().sql, `${token}-welcome`))!.title).toBe('Mine');
  });

  it.each([
    ['not JSON', 'ghost', 'this is not json', 'not JSON'],
    ['JSON of another shape', 'ghost', '{"db":[{"data":{}}]}', 'not a Ghost export'],
    ['truncated XML', 'wordpress', '<rss><channel><item>', 'not well-formed XML'],
    ['XML of another shape', 'wordpress', '<html><body>hi</body></html>', 'not a WordPress export'],
    [
      'entity expansion (billion laughs)',
      'wordpress',
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><rss><channel><item><title>&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;</title></item></channel></rss>`,
      'DOCTYPE',
    ],
    ['deep nesting', 'wordpress', `<rss><channel>${'<a>'.repeat(200)}${'</a>'.repeat(200)}</channel></rss>`, 'XML'],
  ] as const)('%s is one problem for the whole file', async (_, source, text, message) => {
    const report = await run(await admin(), source, text);
    expect(report.written).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ item: 'file', message: expect.stringContaining(message) }),
    ]);
  });
});

describe('/admin/import', () => {
  it('takes an upload from an admin and shows what was imported', async () => {
    const browser = await adminBrowserAs('admin');
    const page = await browser.get('/admin/import');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('enctype="multipart/form-data"');
    const { text, token } = exportOf('wordpress');
    const response = await browser.upload('/admin/import', { source: 'wordpress' }, new File([text], 'site.xml'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Imported site.xml');
    expect(html).toContain('5 created, 0 updated, 0 unchanged, 2 skipped, 2 new authors');
    expect(await getPostBySlug(testDeps().sql, `${token}-blocks`)).not.toBeNull();
  });

  it("copies the posts' images when the box is ticked, and lists those it left", async () => {
    const browser = await adminBrowserAs('admin');
    const { text } = ghostWithImages('pixel.png', 'missing.png');
    const response = await browser.upload(
      '/admin/import',
      { source: 'ghost', copyImages: 'true' },
      new File([text], 'ghost.json'),
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('1 image copied');
    expect(html).toContain('Images left at their old address');
    expect(html).toContain(`${receiver}/images/missing.png`);
    expect(html).toContain('answered 404');
  });

  it('shows every problem of a broken file and writes nothing', async () => {
    const browser = await adminBrowserAs('admin');
    const response = await browser.upload('/admin/import', { source: 'ghost' }, new File(['{"db": []}'], 'ghost.json'));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Nothing was imported from ghost.json');
    expect(html).toContain('not a Ghost export');
  });

  it('asks for a file and a source, with the form again', async () => {
    const browser = await adminBrowserAs('admin');
    const noFile = await browser.post('/admin/import', { source: 'ghost' });
    expect(noFile.status).toBe(422);
    expect(await noFile.text()).toContain('Choose the export file to upload.');
    const noSource = await browser.upload('/admin/import', { source: 'blogger' }, new File(['x'], 'x.xml'));
    expect(noSource.status).toBe(422);
    expect(await noSource.text()).toContain('Choose Ghost or WordPress.');
  });

  it('is for admins only, and checks the form token', async () => {
    const editor = await adminBrowserAs('editor');
    expect((await editor.get('/admin/import')).status).toBe(403);
    const browser = await adminBrowserAs('admin');
    expect((await browser.post('/admin/import', { source: 'ghost' }, { csrf: null })).status).toBe(403);
  });

  it('points larger exports at the command line', async () => {
    const browser = await adminBrowserAs('admin');
    const big = new File(['x'.repeat(5 * 1024 * 1024 + 100 * 1024)], 'big.xml');
    const response = await browser.upload('/admin/import', { source: 'wordpress' }, big);
    expect(response.status).toBe(413);
    expect(await response.text()).toContain('npm run import -- --from');
  });
});
