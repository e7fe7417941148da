import { describe, expect, it } from 'vitest';
import { call, createPost, signedIn } from './helpers';
import { browserSignIn, csrfTokenOf, formPost } from './web-helpers';

type Json = Record<string, any>;

function react(postId: number, kind: string, method: 'PUT' | 'DELETE', headers: Record<string, string> = {}) {
  return call(`/api/posts/${postId}/reactions/${kind}`, { method, headers });
}

describe('PUT/DELETE /api/posts/{id}/reactions/{kind}', () => {
  it('toggles one reaction of each kind per reader, idempotently, and returns the counts', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    const first = await react(post.id, 'like', 'PUT', reader.headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      kind: 'like',
      reacted: true,
      counts: { like: 1, insightful: 0, celebrate: 0 },
    });
    expect((await (await react(post.id, 'like', 'PUT', reader.headers)).json<Json>()).counts.like).toBe(1);
    expect((await (await react(post.id, 'celebrate', 'PUT', reader.headers)).json<Json>()).counts).toEqual({
      like: 1,
      insightful: 0,
      celebrate: 1,
    });
    const off = await (await react(post.id, 'like', 'DELETE', reader.headers)).json<Json>();
    expect(off).toMatchObject({ reacted: false, counts: { like: 0, celebrate: 1 } });
    expect((await (await react(post.id, 'like', 'DELETE', reader.headers)).json<Json>()).counts.like).toBe(0);
  });

  it('shows the counts on GET /api/posts/by-slug/{slug}, dropping the cached post on every toggle', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    await call(`/api/posts/by-slug/${post.slug}`);
    expect((await call(`/api/posts/by-slug/${post.slug}`)).headers.get('x-cache')).toBe('HIT');
    await react(post.id, 'insightful', 'PUT', reader.headers);
    const after = await call(`/api/posts/by-slug/${post.slug}`);
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect((await after.json<Json>()).reactions).toEqual({ like: 0, insightful: 1, celebrate: 0 });
  });

  it('stays exact under concurrent toggles', async () => {
    const post = await createPost();
    const readers = await Promise.all(Array.from({ length: 12 }, () => signedIn('reader')));
    // Every reader sends PUT like three times at once, and half of them also a DELETE celebrate that never existed.
    await Promise.all(
      readers.flatMap((reader, i) => [
        react(post.id, 'like', 'PUT', reader.headers),
        react(post.id, 'like', 'PUT', reader.headers),
        react(post.id, 'like', 'PUT', reader.headers),
        react(post.id, 'celebrate', 'PUT', reader.headers),
        ...(i % 2 === 0 ? [react(post.id, 'insightful', 'DELETE', reader.headers)] : []),
      ]),
    );
    // Then every reader removes celebrate while adding insightful, all at once.
    await Promise.all(
      readers.flatMap((reader) => [
        react(post.id, 'celebrate', 'DELETE', reader.headers),
        react(post.id, 'insightful', 'PUT', reader.headers),
      ]),
    );
    const counts = (await (await call(`/api/posts/by-slug/${post.slug}`)).json<Json>()).reactions;
    expect(counts).toEqual({ like: 12, insightful: 12, celebrate: 0 });
  });

  it('answers 401 without a token, 422 for an unknown kind and 404 for an unpublished post', async () => {
    const post = await createPost();
    expect((await react(post.id, 'like', 'PUT')).status).toBe(401);
    const reader = await signedIn('reader');
    expect((await react(post.id, 'angry', 'PUT', reader.headers)).status).toBe(422);
    const draft = await createPost({ status: 'draft', publishedAt: null });
    expect((await react(draft.id, 'like', 'PUT', reader.headers)).status).toBe(404);
  });
});

describe('reactions on the post page', () => {
  it('shows counts to visitors with a sign-in link, and pressed buttons to the reader who reacted', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    await react(post.id, 'celebrate', 'PUT', reader.headers);
    const anonymous = await (await call(`/posts/${post.slug}`)).text();
    expect(anonymous).toContain('🎉 Celebrate 1');
    expect(anonymous).toContain('Sign in to react');
    const cookie = await browserSignIn(reader.user);
    const mine = await (await call(`/posts/${post.slug}`, { headers: { Cookie: cookie } })).text();
    expect(mine).toMatch(/aria-pressed="true"[^>]*>🎉 Celebrate 1/);
    expect(mine).toMatch(/aria-pressed="false"[^>]*>👍 Like 0/);
  });

  it('toggles through a form post without JavaScript, and refuses a cross-site one', async () => {
    const post = await createPost();
    const reader = await signedIn('reader');
    const cookie = await browserSignIn(reader.user);
    const token = await csrfTokenOf(cookie, `/posts/${post.slug}`);
    const on = await call(`/posts/${post.slug}/reactions/like`, formPost({ _csrf: token, on: 'true' }, { cookie }));
    expect(on.status).toBe(303);
    expect(on.headers.get('location')).toBe(`/posts/${post.slug}#reactions`);
    expect((await (await call(`/api/posts/by-slug/${post.slug}`)).json<Json>()).reactions.like).toBe(1);
    const forged = formPost({ _csrf: token, on: 'false' }, { cookie, origin: 'https://evil.example' });
    expect((await call(`/posts/${post.slug}/reactions/like`, forged)).status).toBe(403);
    expect((await call(`/posts/${post.slug}/reactions/like`, formPost({ on: 'false' }, { cookie }))).status).toBe(403);
    expect((await (await call(`/api/posts/by-slug/${post.slug}`)).json<Json>()).reactions.like).toBe(1);
    await call(`/posts/${post.slug}/reactions/like`, formPost({ _csrf: token, on: 'false' }, { cookie }));
    expect((await (await call(`/api/posts/by-slug/${post.slug}`)).json<Json>()).reactions.like).toBe(0);
  });
});
