// Seeds a fresh database with a demo admin and demo posts, through the same lib/ code the Worker uses.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hashPassword } from '../../lib/auth/password';
import type { Sql } from '../../lib/clients';
import { countPosts, insertPost } from '../../lib/db/posts';
import { countUsers, insertUser } from '../../lib/db/users';
import { renderMarkdown } from '../../lib/markdown';
import { slugify } from '../../lib/slug';
import { useLocalTextTools } from '../../lib/text';
import { localTextTools } from '../../lib/text/local';
import { demoPosts } from './posts';

export interface SeedResult {
  seeded: boolean;
  admin?: { email: string; password: string };
  posts: number;
}

const DAY_MS = 86_400_000;

function demoPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `demo-${Buffer.from(bytes).toString('base64url')}`;
}

/** Does nothing unless the database has no users and no posts, so it never touches real content. */
export async function seedIfEmpty(sql: Sql, now = Date.now()): Promise<SeedResult> {
  const [users, posts] = await Promise.all([countUsers(sql), countPosts(sql)]);
  if (users > 0 || posts > 0) return { seeded: false, posts };
  // The demo's posts are rendered here, in Node, where there is no service binding to the text Worker.
  useLocalTextTools(localTextTools);
  const password = process.env.LEMBAS_DEMO_PASSWORD ?? demoPassword();
  const admin = await insertUser(sql, {
    email: 'admin@lembas.local',
    username: 'admin',
    displayName: 'Ada Admin',
    role: 'admin',
    passwordHash: await hashPassword(password, { pepper: process.env.PASSWORD_PEPPER }),
    bio: 'Runs this demo blog.',
  });
  for (const demo of demoPosts) {
    const rendered = await renderMarkdown(demo.markdown);
    const isDraft = demo.daysAgo < 0;
    await insertPost(sql, {
      slug: slugify(demo.title),
      title: demo.title,
      markdown: demo.markdown,
      html: rendered.html,
      toc: rendered.toc,
      excerpt: rendered.excerpt,
      readingMinutes: rendered.readingMinutes,
      status: isDraft ? 'draft' : 'published',
      publishedAt: isDraft ? null : new Date(now - demo.daysAgo * DAY_MS - 3_600_000).toISOString(),
      authorId: admin.id,
      tags: demo.tags.map((name) => ({ slug: slugify(name), name })),
    });
  }
  return { seeded: true, admin: { email: admin.email, password }, posts: demoPosts.length };
}

/**
 * Keeps the demo admin's sign-in where tools can read it (the browser suite signs in with it): a JSON file readable
 * by its owner only, under the gitignored .data/ beside the database it belongs to. The password is random per
 * database unless LEMBAS_DEMO_PASSWORD chose it, and only this file and the first `npm run dev` ever show it.
 */
export async function saveDemoCredentials(file: string, admin: { email: string; password: string }): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ email: admin.email, password: admin.password }, null, 2)}\n`, {
    mode: 0o600,
  });
}
