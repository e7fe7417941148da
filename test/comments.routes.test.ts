import { describe, expect, it } from 'vitest';
import { insertComment } from '../lib/db/comments';
import { renderMarkdown } from '../lib/markdown';
import { awaitWholeWindow, call, createPost, jsonRequest, signedIn, testDeps, uniqueIp } from './helpers';
import { browserSignIn, csrfTokenOf, formPost } from './web-helpers';

type Json = Record<string, any>;

async function comment(postId: number, body: string, headers: Record<string, string>, parentId?: number) {
  return call(
    `/api/posts/${postId}/comments`,
    jsonRequest('POST', { body, parentId }, { 'CF-Connecting-IP': uniqueIp(), ...headers }),
  );
}

/** A comment by a fresh reader (the pace limit allows one per reader per 15 seconds). */
async function commentAsNewReader(postId: number, body: string, parentId?: number) {
  const reader = await signedIn('reader');
  const response = await comment(postId, body, reader.headers, parentId);
  return { reader, response, saved: (await response.json()) as Json };
}

async function thread(postId: number) {
  const response = await call(`/api/posts/${postId}/comments`);
  return { response, body: (await response.json()) as Json };
}

describe('GET /api/posts/{id}/comments', () => {
  it('answers 404 for an unknown or unpublished post', async () => {
    expect((await thread(2_147_483_000)).response.status).toBe(404);
    const draft = await createPost({ status: 'draft', publishedAt: null });
    expect((await thread(draft.id)).response.status).toBe(404);
  });

  it('pages top-level comments oldest first with replies nested under their parent', async () => {
    const post = await createPost();
    const first = (await commentAsNewReader(post.id, 'first')).saved;
    const second = (await commentAsNewReader(post.id, 'second')).saved;
    const third = (await commentAsNewReader(post.id, 'third')).saved;
    const reply = (await commentAsNewReader(post.id, 'a reply', first.id)).saved;
    const page1 = await call(`/api/posts/${post.id}/comments?limit=2`);
    const body1 = await page1.json<Json>();
    expect(body1.items.map((c: Json) => c.id)).toEqual([first.id, second.id]);
    expect(body1.items[0].replies.map((r: Json) => r.id)).toEqual([reply.id]);
    expect(body1.total).toBe(4);
    const body2 = await (
      await call(`/api/posts/${post.id}/comments?limit=2&cursor=${encodeURIComponent(body1.nextCursor)}`)
    ).json<Json>();
    expect(body2.items.map((c: Json) => c.id)).toEqual([third.id]);
    expect(body2.nextCursor).toBeNull();
  });

  it('refuses a forged cursor with 400', async () => {
    const post = await createPost();
    expect((await call(`/api/posts/${post.id}/comments?cursor=bm9wZQ`)).status).toBe(400);
  });
});

describe('POST /api/posts/{id}/comments', () => {
  it('needs a token (401)', async () => {
    const post = await createPost();
    expect((await comment(post.id, 'hello', {})).status).toBe(401);
  });

  it('saves rendered, sanitized markdown and drops the cached thread', async () => {
    const post = await createPost();
    await thread(post.id);
    expect((await thread(post.id)).response.headers.get('x-cache')).toBe('HIT');
    const { response, saved } = await commentAsNewReader(post.id, 'Nice *post*, see [this](https://example.com)');
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/api/comments/${saved.id}`);
    // A fresh reader from a fresh address: each limit has counted exactly this comment.
    expect(response.headers.get('ratelimit-policy')).toBe(
      '"commentPace";q=1;w=15, "commentsPerUser";q=30;w=3600, "commentsPerIp";q=20;w=600',
    );
    expect(response.headers.get('ratelimit')).toMatch(
      /^"commentPace";r=0;t=\d+, "commentsPerUser";r=29;t=\d+, "commentsPerIp";r=19;t=\d+$/,
    );
    expect(saved.html).toContain('<em>post</em>');
    expect(saved.html).toContain('href="https://example.com"');
    const after = await thread(post.id);
    expect(after.response.headers.get('x-cache')).toBe('MISS');
    expect(after.body.items.map((c: Json) => c.id)).toEqual([saved.id]);
    expect(after.body.total).toBe(1);
  });

  it('refuses empty and oversized comments with a clear message (422)', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    const empty = await comment(post.id, '   ', reader.headers);
    expect(empty.status).toBe(422);
    expect(JSON.stringify(await empty.json())).toContain('the comment is empty');
    const big = await comment(post.id, 'x'.repeat(5_001), reader.headers);
    expect(big.status).toBe(422);
    expect(JSON.stringify(await big.json())).toContain('limited to 5,000 characters');
    expect((await comment(post.id, 'x'.repeat(5_000), reader.headers)).status).toBe(201);
  });

  it('refuses a duplicate of the same reader’s comment on the post (409)', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    await insertComment(testDeps().sql, {
      postId: post.id,
      parentId: null,
      authorId: reader.user.id,
      authorName: reader.user.displayName,
      markdown: 'Same words',
      html: (await renderMarkdown('Same words', 'comment')).html,
      duplicateWindowSeconds: 60,
    });
    const response = await comment(post.id, 'Same words', reader.headers);
    expect(response.status).toBe(409);
    expect((await response.json<Json>()).detail).toBe('You already posted this comment here.');
  });

  // Both limits are sliding windows, which count the previous window's attempts at a discount: two comments either
  // side of a window boundary can count as fewer than two, so each test runs within one window.
  it('refuses a reader commenting too fast (429 with Retry-After)', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    await awaitWholeWindow(15_000, 3_000);
    expect((await comment(post.id, 'one', reader.headers)).status).toBe(201);
    const second = await comment(post.id, 'two', reader.headers);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await second.json<Json>()).detail).toMatch(/commenting too fast/);
  }, 20_000);

  it('limits comments per address across readers', async () => {
    const post = await createPost();
    const ip = uniqueIp();
    await awaitWholeWindow(600_000, 8_000);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const reader = await signedIn('reader');
      statuses.push(
        (await comment(post.id, `from one address ${i}`, { ...reader.headers, 'CF-Connecting-IP': ip })).status,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses[20]).toBe(429);
  }, 20_000);

  it('nests replies one level only, within the same post', async () => {
    const post = await createPost();
    const other = await createPost();
    const top = (await commentAsNewReader(post.id, 'top')).saved;
    const reply = await commentAsNewReader(post.id, 'reply', top.id);
    expect(reply.response.status).toBe(201);
    expect((await commentAsNewReader(post.id, 'reply to a reply', reply.saved.id)).response.status).toBe(422);
    expect((await commentAsNewReader(other.id, 'elsewhere', top.id)).response.status).toBe(422);
  });

  it('answers 404 for a post that is not published', async () => {
    const draft = await createPost({ status: 'draft', publishedAt: null });
    expect((await commentAsNewReader(draft.id, 'hello')).response.status).toBe(404);
  });
});

describe('comment XSS', () => {
  const payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="#" onclick="alert(1)">click</a>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '<svg onload=alert(1)><circle /></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">raw html</div>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  ];

  it('stores and serves no executable markup, in the API and on the page', async () => {
    const post = await createPost();
    for (const payload of payloads) {
      const { response, saved } = await commentAsNewReader(post.id, payload);
      expect(response.status).toBe(201);
      expect(saved.html).not.toMatch(/<script|<svg|<iframe|<img|<math|<style|\son\w+=|javascript:|data:|style=/i);
    }
    const page = await (await call(`/posts/${post.slug}`)).text();
    const comments = page.slice(page.indexOf('id="comments"'));
    expect(comments).not.toMatch(/<script|<svg|<iframe|<img|\son\w+=|javascript:|data:text/i);
  });
});

describe('PATCH and DELETE /api/comments/{id}', () => {
  it('lets the author edit within the window, marking it edited', async () => {
    const post = await createPost();
    const { reader, saved } = await commentAsNewReader(post.id, 'tpyo');
    const response = await call(`/api/comments/${saved.id}`, jsonRequest('PATCH', { body: 'typo' }, reader.headers));
    expect(response.status).toBe(200);
    const edited = await response.json<Json>();
    expect(edited.html).toContain('typo');
    expect(edited.editedAt).not.toBeNull();
    expect((await thread(post.id)).body.items[0].html).toContain('typo');
  });

  it('refuses editing someone else’s comment, or after the window (403)', async () => {
    const post = await createPost();
    const { reader, saved } = await commentAsNewReader(post.id, 'mine');
    const stranger = await signedIn('editor');
    expect(
      (await call(`/api/comments/${saved.id}`, jsonRequest('PATCH', { body: 'x' }, stranger.headers))).status,
    ).toBe(403);
    await testDeps().sql`UPDATE comments SET created_at = now() - interval '1 hour' WHERE id = ${saved.id}`;
    const late = await call(`/api/comments/${saved.id}`, jsonRequest('PATCH', { body: 'x' }, reader.headers));
    expect(late.status).toBe(403);
    expect((await late.json<Json>()).detail).toMatch(/15 minutes/);
    expect((await call(`/api/comments/${saved.id}`, { method: 'DELETE', headers: reader.headers })).status).toBe(403);
  });

  it('lets the author delete their own; replies stay under a placeholder', async () => {
    const post = await createPost();
    const { reader, saved } = await commentAsNewReader(post.id, 'parent');
    const reply = (await commentAsNewReader(post.id, 'child', saved.id)).saved;
    expect((await call(`/api/comments/${saved.id}`, { method: 'DELETE', headers: reader.headers })).status).toBe(204);
    const { body } = await thread(post.id);
    expect(body.items[0]).toMatchObject({ id: saved.id, status: 'deleted', html: '', author: null });
    expect(body.items[0].replies.map((r: Json) => r.id)).toEqual([reply.id]);
    expect(body.total).toBe(1);
    expect((await call(`/api/comments/${saved.id}`, { method: 'DELETE', headers: reader.headers })).status).toBe(404);
  });

  it('lets an editor delete anyone’s comment, and no reader delete another’s', async () => {
    const post = await createPost();
    const { saved } = await commentAsNewReader(post.id, 'theirs');
    const other = await signedIn('reader');
    expect((await call(`/api/comments/${saved.id}`, { method: 'DELETE', headers: other.headers })).status).toBe(403);
    const editor = await signedIn('editor');
    expect((await call(`/api/comments/${saved.id}`, { method: 'DELETE', headers: editor.headers })).status).toBe(204);
    expect((await thread(post.id)).body.items).toEqual([]);
  });

  it('answers 401 without a token and 404 for an unknown id', async () => {
    expect((await call('/api/comments/1', { method: 'DELETE' })).status).toBe(401);
    const reader = await signedIn('reader');
    expect((await call('/api/comments/2147483647', { method: 'DELETE', headers: reader.headers })).status).toBe(404);
  });
});

describe('POST /api/comments/{id}/hide and /restore', () => {
  it('editors hide and restore; the thread follows at once', async () => {
    const post = await createPost();
    const { saved } = await commentAsNewReader(post.id, 'borderline');
    const editor = await signedIn('editor');
    await thread(post.id);
    const hidden = await call(`/api/comments/${saved.id}/hide`, { method: 'POST', headers: editor.headers });
    expect(hidden.status).toBe(200);
    expect((await hidden.json<Json>()).status).toBe('hidden');
    expect((await thread(post.id)).body).toMatchObject({ items: [], total: 0 });
    expect((await call(`/api/comments/${saved.id}/restore`, { method: 'POST', headers: editor.headers })).status).toBe(
      200,
    );
    expect((await thread(post.id)).body.items.map((c: Json) => c.id)).toEqual([saved.id]);
  });

  it('is for editors only (403), and needs a token (401)', async () => {
    const post = await createPost();
    const { reader, saved } = await commentAsNewReader(post.id, 'mine');
    expect((await call(`/api/comments/${saved.id}/hide`, { method: 'POST', headers: reader.headers })).status).toBe(
      403,
    );
    expect((await call(`/api/comments/${saved.id}/hide`, { method: 'POST' })).status).toBe(401);
  });

  it('hides every comment of a disabled user, and drops cached threads when the account is disabled', async () => {
    const post = await createPost();
    const { reader, saved } = await commentAsNewReader(post.id, 'soon gone');
    expect((await thread(post.id)).body.items.map((c: Json) => c.id)).toEqual([saved.id]);
    const admin = await signedIn('admin');
    const disabled = await call(
      `/api/users/${reader.user.id}`,
      jsonRequest('PATCH', { disabled: true }, admin.headers),
    );
    expect(disabled.status).toBe(200);
    expect((await thread(post.id)).body).toMatchObject({ items: [], total: 0 });
  });
});

describe('comments on the post page', () => {
  it('shows the thread and count to everyone, and a sign-in link instead of a form to visitors', async () => {
    const post = await createPost();
    await commentAsNewReader(post.id, 'Visible **to all**');
    const html = await (await call(`/posts/${post.slug}`)).text();
    expect(html).toContain('1 comment');
    expect(html).toContain('<strong>to all</strong>');
    expect(html).toContain(`href="/login?next=%2Fposts%2F${post.slug}%23comments"`);
    expect(html).not.toContain('name="_csrf"');
  });

  it('a signed-in reader comments and replies through the form, without JavaScript', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    const cookie = await browserSignIn(reader.user);
    const token = await csrfTokenOf(cookie, `/posts/${post.slug}`);
    const posted = await call(
      `/posts/${post.slug}/comments`,
      formPost({ _csrf: token, body: 'From the form' }, { cookie }),
    );
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toMatch(new RegExp(`^/posts/${post.slug}#comment-\\d+$`));
    const html = await (await call(`/posts/${post.slug}`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain('From the form');
    expect(html).toContain('name="parentId"');
  });

  it('refuses a cross-site or tokenless form post (403) and saves nothing', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    const cookie = await browserSignIn(reader.user);
    const token = await csrfTokenOf(cookie, `/posts/${post.slug}`);
    const crossSite = formPost({ _csrf: token, body: 'forged' }, { cookie, origin: 'https://evil.example' });
    expect((await call(`/posts/${post.slug}/comments`, crossSite)).status).toBe(403);
    expect((await call(`/posts/${post.slug}/comments`, formPost({ body: 'forged' }, { cookie }))).status).toBe(403);
    expect((await thread(post.id)).body.total).toBe(0);
  });

  it('sends a visitor’s form post to sign in (401 page)', async () => {
    const post = await createPost();
    expect((await call(`/posts/${post.slug}/comments`, formPost({ body: 'anon' }))).status).toBe(401);
  });
});
