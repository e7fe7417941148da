// The importers as `npm run import -- --from ...` runs them: in Node (turndown's Node build), over an empty
// embedded database (or a throwaway one on DATABASE_URL), with the fixtures and a larger generated export.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../lib/auth/password';
import type { Deps } from '../../lib/context';
import { getPostBySlug } from '../../lib/db/posts';
import { insertUser } from '../../lib/db/users';
import { importExport, parseExport } from '../../lib/importers';
import type { AuthUser } from '../../lib/schemas/user';
import { openCliDeps } from '../cli-deps';
import { createTestDatabase } from '../test-database';

const fixture = (name: string) => readFile(new URL(`../../test/fixtures/imports/${name}`, import.meta.url), 'utf8');

async function withEmptyDatabase<T>(work: (deps: Deps, admin: AuthUser) => Promise<T>): Promise<T> {
  const database = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  const cli = await openCliDeps(
    { DATABASE_URL: database?.url, REDIS_URL: process.env.REDIS_URL, CACHE_NAMESPACE: `importers${Date.now()}` },
    { pgliteDir: null },
  );
  try {
    const user = await insertUser(cli.deps.sql, {
      email: 'admin@example.com',
      username: 'admin',
      displayName: 'Admin',
      role: 'admin',
      passwordHash: await hashPassword('not used in these tests', { iterations: 1_000 }),
    });
    return await work(cli.deps, { id: user.id, username: user.username, displayName: user.displayName, role: 'admin' });
  } finally {
    await cli.close();
    await database?.drop();
  }
}

/** A WordPress export of `count` published posts, each with a few paragraphs, a list, tags and a category. */
function generatedWxr(count: number): string {
  const items = Array.from({ length: count }, (_, i) => {
    const day = String((i % 28) + 1).padStart(2, '0');
    return `<item><title><![CDATA[Generated post ${i} & more]]></title>
<link>https://old.example/2023/01/${day}/generated-${i}/</link>
<dc:creator><![CDATA[writer${i % 3}]]></dc:creator>
<content:encoded><![CDATA[${'<p>Paragraph with <strong>bold</strong> and <a href="https://example.com/' + i + '">a link</a>.</p>\n'.repeat(8)}<ul><li>one</li><li>two</li></ul>]]></content:encoded>
<wp:post_id>${i + 1}</wp:post_id><wp:post_date_gmt><![CDATA[2023-01-${day} 10:00:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[generated-${i}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="post_tag" nicename="t${i % 7}"><![CDATA[Topic ${i % 7}]]></category><category domain="category" nicename="c${i % 3}"><![CDATA[Section ${i % 3}]]></category></item>`;
  });
  const authors = [0, 1, 2].map(
    (n) =>
      `<wp:author><wp:author_login><![CDATA[writer${n}]]></wp:author_login><wp:author_email><![CDATA[writer${n}@example.com]]></wp:author_email><wp:author_display_name><![CDATA[Writer ${n}]]></wp:author_display_name></wp:author>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Generated</title>${authors.join('')}${items.join('\n')}</channel></rss>`;
}

const SLOW = 240_000;

describe('importing exports in Node', () => {
  it(
    'imports both fixtures as the Worker does',
    async () => {
      await withEmptyDatabase(async (deps, admin) => {
        const ghost = await importExport(
          deps,
          admin,
          parseExport('ghost', await fixture('ghost-export.json'), 'g.json'),
        );
        const wordpress = await importExport(
          deps,
          admin,
          parseExport('wordpress', await fixture('wordpress-export.xml'), 'w.xml'),
        );
        expect(ghost).toMatchObject({ written: true, problems: [] });
        expect(wordpress).toMatchObject({ written: true, problems: [] });
        expect(ghost.created).toHaveLength(4);
        expect(wordpress.created).toHaveLength(5);
        const welcome = await getPostBySlug(deps.sql, 'fx1-welcome');
        expect(welcome?.html).toContain('<table>');
        expect(welcome?.markdown).toContain('| Before | After |');
      });
    },
    SLOW,
  );

  it(
    'imports a generated export of 200 posts, and a second run changes nothing',
    async () => {
      const xml = generatedWxr(200);
      await withEmptyDatabase(async (deps, admin) => {
        const first = await importExport(deps, admin, parseExport('wordpress', xml, 'big.xml'));
        expect(first).toMatchObject({ written: true, problems: [], skipped: [] });
        expect(first.created).toHaveLength(200);
        expect(first.authorsCreated.sort()).toEqual(['writer0', 'writer1', 'writer2']);
        const again = await importExport(deps, admin, parseExport('wordpress', xml, 'big.xml'));
        expect(again).toMatchObject({ created: [], updated: [], problems: [] });
        expect(again.unchanged).toHaveLength(200);
        const post = await getPostBySlug(deps.sql, 'generated-199');
        expect(post?.tags.map((tag) => tag.name).sort()).toEqual(['Section 1', 'Topic 3']);
      });
    },
    SLOW,
  );
});
