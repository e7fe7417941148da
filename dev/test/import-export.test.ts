// Import and export over the embedded database, or (with DATABASE_URL set) throwaway databases on a real server.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../lib/auth/password';
import type { Deps } from '../../lib/context';
import { getPostBySlug } from '../../lib/db/posts';
import { insertUser } from '../../lib/db/users';
import { exportBlog } from '../../lib/export';
import { importPostFiles } from '../../lib/import';
import { createPost } from '../../lib/posts';
import type { AuthUser, Role } from '../../lib/schemas/user';
import { openCliDeps } from '../cli-deps';
import { readInputs } from '../import-files';
import { createTestDatabase } from '../test-database';

const scratch = await mkdtemp(join(tmpdir(), 'lembas-import-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A fresh, empty (migrated) database for the duration of `work`. */
async function withEmptyDatabase<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const database = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  const cli = await openCliDeps(
    { DATABASE_URL: database?.url, REDIS_URL: process.env.REDIS_URL, CACHE_NAMESPACE: `import${Date.now()}` },
    { pgliteDir: null },
  );
  try {
    return await work(cli.deps);
  } finally {
    await cli.close();
    await database?.drop();
  }
}

async function addUser(deps: Deps, username: string, role: Role): Promise<AuthUser> {
  const user = await insertUser(deps.sql, {
    email: `${username}@example.com`,
    username,
    displayName: username.toUpperCase(),
    role,
    passwordHash: await hashPassword('not used in these tests', { iterations: 1_000 }),
  });
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

async function writeFiles(folder: string, files: Record<string, string>): Promise<string> {
  const root = join(scratch, folder);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
  return root;
}

const DAY = 86_400_000;
/** Each test opens fresh databases (PGlite initdb and migrations take seconds on a busy machine). */
const SLOW = 180_000;

describe('export, import into an empty database, export again', () => {
  it(
    'gives the same archive byte for byte, and a second import changes nothing',
    async () => {
      const first = await withEmptyDatabase(async (deps) => {
        const admin = await addUser(deps, 'admin', 'admin');
        const ada = await addUser(deps, 'ada', 'author');
        const now = Date.now();
        const posts = [
          {
            title: 'Hello, edge',
            markdown: '# Hi\n\nFirst **post**.',
            tags: ['Notes', 'Edge Computing'],
            excerpt: 'yes: the writer’s own "excerpt" #1',
          },
          { title: 'yes: "quoted" #1', markdown: '\nStarts blank\r\nwith CRLF\n\n', tags: ['on', '2024'] },
          {
            title: 'Émile’s café — ünïcode',
            markdown: 'Ça va? 🌍',
            tags: ['Café'],
            status: 'draft' as const,
            excerpt: 'A draft’s excerpt.',
          },
          {
            title: 'Coming soon',
            markdown: 'Later.',
            status: 'scheduled' as const,
            publishedAt: new Date(now + 30 * DAY).toISOString(),
          },
          { title: 'Old one', markdown: 'From 1975.', publishedAt: '1975-05-01T10:00:00.000Z' },
        ];
        for (const [i, post] of posts.entries()) {
          await createPost(deps, i % 2 ? ada : admin, {
            status: 'published',
            tags: [],
            publishedAt: new Date(now - (i + 1) * DAY).toISOString(),
            ...post,
          });
        }
        return bytesOf(exportBlog(deps.sql));
      });
      expect(first.subarray(0, 2).toString()).toBe('PK');

      const archive = join(scratch, 'export.zip');
      await writeFile(archive, first);
      const { second, summary, again, imported } = await withEmptyDatabase(async (deps) => {
        const admin = await addUser(deps, 'admin', 'admin');
        await addUser(deps, 'ada', 'author');
        const files = await readInputs([archive]);
        const summary = await importPostFiles(deps, admin, files);
        const second = await bytesOf(exportBlog(deps.sql));
        const again = await importPostFiles(deps, admin, files);
        const imported = {
          hello: await getPostBySlug(deps.sql, 'hello-edge'),
          draft: await getPostBySlug(deps.sql, 'emile-s-cafe-unicode'),
        };
        return { second, summary, again, imported };
      });
      expect(summary).toEqual({ created: 5, updated: 0, unchanged: 0, refused: [], notes: [] });
      expect(second.equals(first)).toBe(true);
      expect(imported.hello).toMatchObject({ excerpt: 'yes: the writer’s own "excerpt" #1', excerptCustom: true });
      expect(imported.draft).toMatchObject({ excerpt: 'A draft’s excerpt.', excerptCustom: true });
      // The draft's file carries the date it was written; had the import not kept it, the bytes above would differ.
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 5, refused: [] });
    },
    SLOW,
  );
});

describe('importing Hexo and Jekyll folders', () => {
  const blog = {
    'source/_posts/hello-world.md':
      '---\ntitle: Hello World\ndate: 2013-07-13 20:46:25\ntags:\n  - Hexo\n---\nWelcome! <script>alert(1)</script>\n',
    '_posts/2016-03-24-welcome-to-jekyll.markdown':
      '---\nlayout: post\ntitle: "Welcome to Jekyll!"\ndate: 2016-03-24 10:12:00 -0500\ntags: jekyll update\nauthor: nobody\n---\n\n![pic](/media/none.png) Hi.\n',
    '_drafts/an-idea.md': '---\ntitle: An idea\n---\nNot yet.\n',
    'source/_posts/later.md': '---\ntitle: Later\ndate: 2099-01-01 00:00:00\n---\nFuture.\n',
    'notes/no-front-matter.md': '# Just markdown\n',
    'notes/huge.md': `---\ntitle: Huge\n---\n${'x'.repeat(205 * 1024)}\n`,
    'notes/bad-date.md': '---\ntitle: Bad date\ndate: next week\n---\nx\n',
    'notes/not-markdown.txt': 'ignored',
  };

  it(
    'imports what it can through the API rules, says why it refused the rest, and resumes',
    async () => {
      const root = await writeFiles('blog', blog);
      await withEmptyDatabase(async (deps) => {
        const admin = await addUser(deps, 'admin', 'admin');
        const files = await readInputs([root]);
        expect(files.map((f) => f.path.slice(root.length + 1))).toEqual(
          Object.keys(blog)
            .filter((name) => name.endsWith('.md') || name.endsWith('.markdown'))
            .sort(),
        );

        // An import that stopped after three files, then the same command again.
        const partial = await importPostFiles(deps, admin, files.slice(0, 3));
        const summary = await importPostFiles(deps, admin, files);
        expect(partial.created + partial.refused.length).toBe(3);
        expect(summary.created).toBe(4 - partial.created);
        expect(summary.unchanged).toBe(partial.created);
        expect(summary.refused.map((r) => [r.path.slice(root.length + 1), r.reason])).toEqual([
          ['notes/bad-date.md', expect.stringContaining('next week')],
          ['notes/huge.md', expect.stringContaining('markdown')],
          ['notes/no-front-matter.md', expect.stringContaining('no front matter')],
        ]);

        const hexo = await getPostBySlug(deps.sql, 'hello-world');
        expect(hexo).toMatchObject({
          status: 'published',
          publishedAt: '2013-07-13T20:46:25.000Z',
          tags: [{ slug: 'hexo', name: 'Hexo' }],
        });
        expect(hexo?.html).not.toContain('<script');
        expect(await getPostBySlug(deps.sql, 'welcome-to-jekyll')).toMatchObject({
          publishedAt: '2016-03-24T15:12:00.000Z',
          author: { username: 'admin' },
          tags: [
            { slug: 'jekyll', name: 'jekyll' },
            { slug: 'update', name: 'update' },
          ],
        });
        expect(await getPostBySlug(deps.sql, 'an-idea')).toMatchObject({ status: 'draft', publishedAt: null });
        expect(await getPostBySlug(deps.sql, 'later')).toMatchObject({ status: 'scheduled' });
        expect([...partial.notes, ...summary.notes]).toEqual([
          { path: expect.stringContaining('welcome-to-jekyll'), note: 'no writer "nobody" here; credited to admin' },
        ]);

        // A changed file updates its post, by slug.
        await writeFile(
          join(root, 'source/_posts/hello-world.md'),
          '---\ntitle: Hello again\ndate: 2013-07-13 20:46:25\n---\nEdited.\n',
        );
        const edited = await importPostFiles(
          deps,
          admin,
          await readInputs([join(root, 'source/_posts/hello-world.md')]),
        );
        expect(edited).toMatchObject({ created: 0, updated: 1 });
        expect(await getPostBySlug(deps.sql, 'hello-world')).toMatchObject({
          title: 'Hello again',
          tags: [],
          version: 2,
        });
      });
    },
    SLOW,
  );
});
