// The bench's big post: ~27 KB of page once rendered (headings, prose, lists and highlighted code), written as copies
// under the given slugs by one bench author, so that each copy's page is a miss the first time it is read.
import type { Stack } from '../dev/stack';
import { hashPassword } from '../lib/auth/password';
import { insertPost } from '../lib/db/posts';
import { insertUser } from '../lib/db/users';
import { renderMarkdown } from '../lib/markdown';

const PARAGRAPH = 'Edge caching keeps the **read path** to one round trip; the `waitUntil` fill runs after. ';

export const LONG_POST_MARKDOWN = Array.from(
  { length: 30 },
  (_, i) => `## Section ${i + 1}\n\n${PARAGRAPH.repeat(6)}\n\n- one\n- two\n\n\`\`\`ts\nconst x = ${i};\n\`\`\`\n`,
).join('\n');

/** A writer for the bench (`name` is unique per run) and copies of the long post under `slugs`, published long ago. */
export async function seedLongPosts(stack: Pick<Stack, 'sql'>, name: string, slugs: string[]): Promise<{ id: number }> {
  const author = await insertUser(stack.sql, {
    email: `${name}@example.com`,
    username: name.slice(0, 32),
    displayName: 'Bench Writer',
    role: 'author',
    passwordHash: await hashPassword('bench password not used', { iterations: 1000 }),
  });
  const rendered = await renderMarkdown(LONG_POST_MARKDOWN);
  for (const slug of slugs) {
    await insertPost(stack.sql, {
      slug,
      title: 'A long post for the bench',
      markdown: LONG_POST_MARKDOWN,
      ...rendered,
      status: 'published',
      publishedAt: new Date(Date.now() - 86_400_000 * 400).toISOString(),
      authorId: author.id,
      tags: [],
    });
  }
  return author;
}
