// Revisions: every save keeps one, written with the save; autosaves coalesce (lib/revision-policy.ts); a restore is
// itself a save, guarded by the version check; a stale save changes nothing, its revision included.
import { describe, expect, it } from 'vitest';
import { getPostById, updatePost as updatePostRow } from '../lib/db/posts';
import { listRevisions } from '../lib/db/revisions';
import { updatePost } from '../lib/posts';
import { REVISION_POLICY } from '../lib/revision-policy';
import type { AuthUser } from '../lib/schemas/user';
import { bearer, call, createUser, jsonRequest, testDeps, unique } from './helpers';

type Json = Record<string, any>;
const MINUTE = 60_000;

async function writerWithPost() {
  const writer = await createUser({ role: 'author' });
  const headers = await bearer(writer);
  const response = await call(
    '/api/posts',
    jsonRequest('POST', { title: 'First title', slug: unique('rev'), markdown: 'One.' }, headers),
  );
  const post = await response.json<Json>();
  const user: AuthUser = {
    id: writer.id,
    role: writer.role,
    username: writer.username,
    displayName: writer.displayName,
  };
  return { writer, user, headers, post };
}

const kindsOf = async (postId: number) => (await listRevisions(testDeps().sql, postId)).map((r) => r.kind);

describe('revisions kept by saves', () => {
  it('keeps the first save and every manual save, newest first, with who and what', async () => {
    const { writer, headers, post } = await writerWithPost();
    const edit = await call(`/api/posts/${post.id}`, jsonRequest('PATCH', { version: 1, markdown: 'Two.' }, headers));
    expect(edit.status).toBe(200);
    const list = await (await call(`/api/posts/${post.id}/revisions`, { headers })).json<Json>();
    expect(list.items.map((r: Json) => [r.kind, r.version])).toEqual([
      ['save', 2],
      ['save', 1],
    ]);
    expect(list.items[0].author).toMatchObject({ id: writer.id, username: writer.username });
    const oldest = await (await call(`/api/posts/${post.id}/revisions/${list.items[1].id}`, { headers })).json<Json>();
    expect(oldest).toMatchObject({ title: 'First title', markdown: 'One.', excerpt: null });
  });

  it("coalesces one writer's autosaves within ten minutes of the first, and keeps every manual save", async () => {
    const { user, post } = await writerWithPost();
    const deps = testDeps();
    const t0 = Date.now();
    let version = 1;
    const autosave = async (markdown: string, at: number) =>
      (version = (await updatePost(deps, user, post.id, { version, markdown, autosave: true }, at)).version);
    await autosave('typing a', t0);
    await autosave('typing ab', t0 + 4 * MINUTE);
    await autosave('typing abc', t0 + 9 * MINUTE);
    expect(await kindsOf(post.id)).toEqual(['autosave', 'save']);
    const [kept] = await listRevisions(deps.sql, post.id);
    expect(kept?.version).toBe(4);
    // The window is the first autosave's: eleven minutes on, a new autosave row starts.
    await autosave('typing abcd', t0 + 11 * MINUTE);
    expect(await kindsOf(post.id)).toEqual(['autosave', 'autosave', 'save']);
    // A manual save is always kept, and the next autosave does not replace it.
    version = (await updatePost(deps, user, post.id, { version, markdown: 'saved' }, t0 + 12 * MINUTE)).version;
    await autosave('after the save', t0 + 12.5 * MINUTE);
    expect(await kindsOf(post.id)).toEqual(['autosave', 'save', 'autosave', 'autosave', 'save']);
  });

  it("never coalesces one writer's autosave into another's", async () => {
    const { user, post } = await writerWithPost();
    const editor = await createUser({ role: 'editor' });
    const deps = testDeps();
    const now = Date.now();
    const first = await updatePost(deps, user, post.id, { version: 1, markdown: 'mine', autosave: true }, now);
    await updatePost(
      deps,
      { id: editor.id, role: 'editor', username: editor.username, displayName: editor.displayName },
      post.id,
      {
        version: first.version,
        markdown: 'theirs',
        autosave: true,
      },
      now + MINUTE,
    );
    const revisions = await listRevisions(deps.sql, post.id);
    expect(revisions.map((r) => [r.kind, r.author?.id])).toEqual([
      ['autosave', editor.id],
      ['autosave', user.id],
      ['save', user.id],
    ]);
  });

  it("keeps at most the policy's number per post, dropping the oldest autosaves first", async () => {
    const { user, post } = await writerWithPost();
    const { sql } = testDeps();
    const keep = 4;
    let version = 1;
    const save = async (kind: 'save' | 'autosave', markdown: string, minute: number) => {
      const current = (await getPostById(sql, post.id))!;
      const saved = await updatePostRow(
        sql,
        post.id,
        version,
        { ...current, markdown },
        {
          authorId: user.id,
          kind,
          at: new Date(Date.now() + minute * MINUTE).toISOString(),
          coalesceSeconds: REVISION_POLICY.coalesceSeconds,
          keep,
        },
      );
      version = saved!.version;
    };
    // Autosaves eleven minutes apart never coalesce.
    await save('autosave', 'a1', 11);
    await save('save', 's1', 12);
    await save('autosave', 'a2', 30);
    expect(await kindsOf(post.id)).toEqual(['autosave', 'save', 'autosave', 'save']);
    await save('save', 's2', 31);
    // Five would be one too many: the oldest autosave (a1) goes, not the older first save.
    const kept = await listRevisions(sql, post.id);
    expect(kept.map((r) => r.version)).toEqual([5, 4, 3, 1]);
    await save('save', 's3', 32);
    await save('save', 's4', 33);
    // No autosaves left to drop after a2: the oldest saves go.
    expect((await listRevisions(sql, post.id)).map((r) => [r.kind, r.version])).toEqual([
      ['save', 7],
      ['save', 6],
      ['save', 5],
      ['save', 3],
    ]);
  });

  it('writes no revision for a stale save, which is refused with 409', async () => {
    const { headers, post } = await writerWithPost();
    await call(`/api/posts/${post.id}`, jsonRequest('PATCH', { version: 1, markdown: 'Newer text.' }, headers));
    const stale = await call(
      `/api/posts/${post.id}`,
      jsonRequest('PATCH', { version: 1, markdown: 'From an old tab.', autosave: true }, headers),
    );
    expect(stale.status).toBe(409);
    expect(await stale.json<Json>()).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    expect(await kindsOf(post.id)).toEqual(['save', 'save']);
    expect((await getPostById(testDeps().sql, post.id))?.markdown).toBe('Newer text.');
  });
});

describe('POST /api/posts/{id}/revisions/{revisionId}/restore', () => {
  it('restores the text as a new version, which is itself a revision', async () => {
    const { headers, post } = await writerWithPost();
    await call(
      `/api/posts/${post.id}`,
      jsonRequest('PATCH', { version: 1, title: 'Second title', markdown: 'Two.', excerpt: 'Mine' }, headers),
    );
    const [, first] = (await (await call(`/api/posts/${post.id}/revisions`, { headers })).json<Json>()).items;
    const restored = await call(
      `/api/posts/${post.id}/revisions/${first.id}/restore`,
      jsonRequest('POST', { version: 2 }, headers),
    );
    expect(restored.status).toBe(200);
    expect(await restored.json<Json>()).toMatchObject({
      version: 3,
      title: 'First title',
      markdown: 'One.',
      excerpt: 'One.',
      excerptCustom: false,
    });
    const list = (await (await call(`/api/posts/${post.id}/revisions`, { headers })).json<Json>()).items;
    expect(list.map((r: Json) => [r.kind, r.version])).toEqual([
      ['restore', 3],
      ['save', 2],
      ['save', 1],
    ]);
  });

  it('refuses a stale version (409), an unknown revision (404) and a post that is not yours (404)', async () => {
    const { headers, post } = await writerWithPost();
    const [only] = (await (await call(`/api/posts/${post.id}/revisions`, { headers })).json<Json>()).items;
    await call(`/api/posts/${post.id}`, jsonRequest('PATCH', { version: 1, markdown: 'Two.' }, headers));
    const path = `/api/posts/${post.id}/revisions/${only.id}/restore`;
    expect((await call(path, jsonRequest('POST', { version: 1 }, headers))).status).toBe(409);
    expect((await getPostById(testDeps().sql, post.id))?.markdown).toBe('Two.');
    const unknown = `/api/posts/${post.id}/revisions/2147483647/restore`;
    expect((await call(unknown, jsonRequest('POST', { version: 2 }, headers))).status).toBe(404);
    const other = await bearer(await createUser({ role: 'author' }));
    expect((await call(path, jsonRequest('POST', { version: 2 }, other))).status).toBe(404);
    expect((await call(`/api/posts/${post.id}/revisions`, { headers: other })).status).toBe(404);
    expect((await call(`/api/posts/${post.id}/revisions`)).status).toBe(401);
  });
});
