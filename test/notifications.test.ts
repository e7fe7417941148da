// Comment notifications: the post's author hears of a new comment, a commenter of a reply; each mail carries a
// one-click unsubscribe (RFC 8058) that works without signing in and can be used any number of times.
import { describe, expect, it } from 'vitest';
import { call, createPost, createUser, jsonRequest, tokenFor, uniqueIp } from './helpers';
import { failMailTo, linkIn, mailTo, type StoredMessage } from './mailbox';

type User = Awaited<ReturnType<typeof createUser>>;

async function comment(user: User, postId: number, body: string, parentId?: number): Promise<Response> {
  return call(
    `/api/posts/${postId}/comments`,
    jsonRequest(
      'POST',
      { body, ...(parentId ? { parentId } : {}) },
      {
        Authorization: `Bearer ${await tokenFor(user)}`,
        'CF-Connecting-IP': uniqueIp(),
      },
    ),
  );
}

async function profileOf(user: User): Promise<Record<string, any>> {
  return (await call('/api/auth/me', { headers: { Authorization: `Bearer ${await tokenFor(user)}` } })).json();
}

/** The one-click POST a mail client sends: no cookie, no Origin, the RFC 8058 body. */
function oneClick(url: URL): Promise<Response> {
  return call(url.pathname + url.search, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
}

function unsubscribeUrlOf(mail: StoredMessage): URL {
  const header = mail.headers['List-Unsubscribe'];
  const url = /^<(https:\/\/[^>]+)>$/.exec(header ?? '')?.[1];
  if (!url) throw new Error(`no https List-Unsubscribe header: ${header}`);
  expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  return new URL(url);
}

describe('a new comment', () => {
  it('is mailed to the post’s author, quoted, with a link to it and a one-click unsubscribe', async () => {
    const author = await createUser({ role: 'author', displayName: 'Ada Author' });
    const post = await createPost({ authorId: author.id, title: 'On <edges>' });
    const reader = await createUser({ role: 'reader', displayName: 'Rita Reader' });
    const response = await comment(reader, post.id, 'What a *fine* post.\nSecond line.');
    expect(response.status).toBe(201);
    const { id } = await response.json<{ id: number }>();

    const [mail, ...more] = await mailTo(author.email);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe('Rita Reader commented on “On <edges>”');
    expect(mail!.text).toContain('> What a *fine* post.\n> Second line.');
    expect(mail!.html).toContain('On &lt;edges&gt;');
    expect(linkIn(mail!, `/posts/${post.slug}`).hash).toBe(`#comment-${id}`);
    expect(unsubscribeUrlOf(mail!).pathname).toBe('/unsubscribe');
    expect(mail!.text).toContain(unsubscribeUrlOf(mail!).toString());
    expect(mail!.headers['Auto-Submitted']).toBe('auto-generated');
  });

  it('is not mailed to an author commenting on their own post', async () => {
    const author = await createUser({ role: 'author' });
    const post = await createPost({ authorId: author.id });
    expect((await comment(author, post.id, 'My own note.')).status).toBe(201);
    expect(await mailTo(author.email)).toEqual([]);
  });

  it('is saved and shown even when the notification cannot be sent', async () => {
    const author = await createUser({ role: 'author' });
    await failMailTo(author.email);
    const post = await createPost({ authorId: author.id });
    const response = await comment(await createUser({ role: 'reader' }), post.id, 'Still here.');
    expect(response.status).toBe(201);
    const thread = await (await call(`/api/posts/${post.id}/comments`)).json<{ total: number }>();
    expect(thread.total).toBe(1);
  });
});

describe('a reply', () => {
  it('is mailed to the replied-to commenter, and to the post’s author as a new comment', async () => {
    const author = await createUser({ role: 'author' });
    const post = await createPost({ authorId: author.id, title: 'Threads' });
    const first = await createUser({ role: 'reader', displayName: 'First Reader' });
    const parent = await (await comment(first, post.id, 'Opening thought.')).json<{ id: number }>();
    const second = await createUser({ role: 'reader', displayName: 'Second Reader' });
    expect((await comment(second, post.id, 'A reply.', parent.id)).status).toBe(201);

    const [reply] = await mailTo(first.email);
    expect(reply!.subject).toBe('Second Reader replied to you on “Threads”');
    expect(reply!.text).toContain('> A reply.');
    expect((await mailTo(author.email)).map((m) => m.subject)).toEqual([
      'Second Reader commented on “Threads”',
      'First Reader commented on “Threads”',
    ]);
  });

  it('to the post’s author’s own comment is one mail to them, the reply', async () => {
    const author = await createUser({ role: 'author' });
    const post = await createPost({ authorId: author.id, title: 'Solo' });
    const parent = await (await comment(author, post.id, 'Author speaking.')).json<{ id: number }>();
    const reader = await createUser({ role: 'reader', displayName: 'Curious' });
    await comment(reader, post.id, 'Answering the author.', parent.id);
    expect((await mailTo(author.email)).map((m) => m.subject)).toEqual(['Curious replied to you on “Solo”']);
  });
});

describe('unsubscribing', () => {
  it('one click (no sign-in, no Origin) turns that kind of mail off, and works again and again', async () => {
    const author = await createUser({ role: 'author' });
    const post = await createPost({ authorId: author.id });
    await comment(await createUser({ role: 'reader' }), post.id, 'First.');
    const url = unsubscribeUrlOf((await mailTo(author.email))[0]!);

    const first = await oneClick(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('no more mails about new comments on your posts');
    expect((await oneClick(url)).status).toBe(200);
    expect(await profileOf(author)).toMatchObject({ notifyComments: false, notifyReplies: true });

    await comment(await createUser({ role: 'reader' }), post.id, 'Second.');
    expect(await mailTo(author.email)).toHaveLength(1);
  });

  it('opening the link only asks; the page’s button unsubscribes', async () => {
    const author = await createUser({ role: 'author' });
    const post = await createPost({ authorId: author.id });
    await comment(await createUser({ role: 'reader' }), post.id, 'Hello.');
    const url = unsubscribeUrlOf((await mailTo(author.email))[0]!);
    const page = await call(url.pathname + url.search);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`action="${(url.pathname + url.search).replaceAll('&', '&amp;')}"`);
    expect((await profileOf(author)).notifyComments).toBe(true);
  });

  it('refuses a link whose signature, user or kind was altered', async () => {
    const author = await createUser({ role: 'author' });
    const post = await createPost({ authorId: author.id });
    await comment(await createUser({ role: 'reader' }), post.id, 'Hi.');
    const url = unsubscribeUrlOf((await mailTo(author.email))[0]!);
    const other = await createUser({ role: 'author' });
    const altered = (name: string, value: string) => {
      const copy = new URL(url);
      copy.searchParams.set(name, value);
      return copy;
    };
    expect((await oneClick(altered('sig', 'x'.repeat(43)))).status).toBe(400);
    expect((await oneClick(altered('user', String(other.id)))).status).toBe(400);
    expect((await oneClick(altered('kind', 'replies'))).status).toBe(400);
    expect((await oneClick(altered('kind', 'everything'))).status).toBe(400);
    expect((await profileOf(author)).notifyComments).toBe(true);
    expect((await profileOf(other)).notifyComments).toBe(true);
  });

  it('can be undone from the profile (PATCH notifyComments)', async () => {
    const author = await createUser({ role: 'author' });
    const headers = { Authorization: `Bearer ${await tokenFor(author)}` };
    const off = await call(`/api/users/${author.id}`, jsonRequest('PATCH', { notifyReplies: false }, headers));
    expect(await off.json()).toMatchObject({ notifyReplies: false, notifyComments: true });
    const on = await call(`/api/users/${author.id}`, jsonRequest('PATCH', { notifyReplies: true }, headers));
    expect(await on.json()).toMatchObject({ notifyReplies: true });
  });
});
