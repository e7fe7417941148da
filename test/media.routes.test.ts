import { describe, expect, it } from 'vitest';
import { sweepOrphanMedia, ORPHAN_GRACE_MS } from '../lib/media';
import { uniqueImage, type ImageKind } from './fixtures/images';
import { call, jsonRequest, signedIn, testDeps, unique } from './helpers';

type Json = Record<string, any>;

function form(bytes: Uint8Array, name = 'photo.png', type = 'image/png'): FormData {
  const body = new FormData();
  body.append('file', new File([bytes], name, { type }));
  return body;
}

async function upload(headers: Record<string, string>, body: BodyInit): Promise<Response> {
  return call('/api/media', { method: 'POST', headers, body });
}

async function uploadAs(role: 'author' | 'editor' | 'admin', kind: ImageKind = 'png'): Promise<Json> {
  const { headers } = await signedIn(role);
  const response = await upload(headers, form(uniqueImage(kind), `picture.${kind}`));
  expect(response.status).toBe(201);
  return response.json<Json>();
}

describe('POST /api/media', () => {
  it('stores an image under its content address and serves it with its type and immutable caching', async () => {
    const { headers } = await signedIn('author');
    const bytes = uniqueImage('png');
    const response = await upload(headers, form(bytes, 'my-holiday_photo.png'));
    expect(response.status).toBe(201);
    const media = await response.json<Json>();
    expect(media).toMatchObject({ contentType: 'image/png', size: bytes.length });
    expect(media.key).toMatch(/^[0-9a-f]{64}\.png$/);
    expect(media.url).toBe(`/media/${media.key}`);
    expect(media.markdown).toBe(`![my holiday photo](/media/${media.key})`);
    expect(response.headers.get('location')).toBe(media.url);

    const served = await call(media.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  it.each(['jpeg', 'webp', 'gif'] as const)('accepts %s', async (kind) => {
    const media = await uploadAs('author', kind);
    const served = await call(media.url);
    expect(served.headers.get('content-type')).toBe(media.contentType);
    await served.arrayBuffer();
  });

  it('answers 200 with the same key when the same bytes come again, from anyone', async () => {
    const bytes = uniqueImage('gif');
    const first = await upload((await signedIn('author')).headers, form(bytes, 'a.gif', 'image/gif'));
    const second = await upload((await signedIn('editor')).headers, form(bytes, 'b.gif', 'image/gif'));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect((await second.json<Json>()).key).toBe((await first.json<Json>()).key);
  });

  it('decides the type by the bytes, not the name or the declared type', async () => {
    const { headers } = await signedIn('author');
    const response = await upload(headers, form(uniqueImage('gif'), 'holiday.jpg', 'image/jpeg'));
    const media = await response.json<Json>();
    expect(media).toMatchObject({ contentType: 'image/gif' });
    expect(media.key).toMatch(/\.gif$/);
    const served = await call(media.url);
    expect(served.headers.get('content-type')).toBe('image/gif');
    await served.arrayBuffer();
  });

  it.each([
    ['text named .png', new TextEncoder().encode('definitely not an image'), 'notes.png', 'image/png'],
    [
      'SVG',
      new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
      'a.svg',
      'image/svg+xml',
    ],
    ['HTML', new TextEncoder().encode('<!doctype html><script>alert(1)</script>'), 'a.gif', 'image/gif'],
  ])('refuses %s with 415', async (_label, bytes, name, type) => {
    const { headers } = await signedIn('author');
    const response = await upload(headers, form(bytes, name, type));
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json<Json>()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('refuses an image over 5 MB with 413, and accepts one of exactly 5 MB', async () => {
    const { headers } = await signedIn('author');
    const over = await upload(headers, form(uniqueImage('png', 5 * 1024 * 1024 + 1)));
    expect(over.status).toBe(413);
    expect(await over.json<Json>()).toMatchObject({ code: 'payload_too_large' });
    const far = await upload(headers, form(uniqueImage('png', 7 * 1024 * 1024)));
    expect(far.status).toBe(413);
    const exact = await upload(headers, form(uniqueImage('png', 5 * 1024 * 1024)));
    expect(exact.status).toBe(201);
  });

  it('answers 422 without a file or with an empty one, and 400 for a body that is not a form', async () => {
    const { headers } = await signedIn('author');
    const noFile = new FormData();
    noFile.append('other', 'x');
    expect((await upload(headers, noFile)).status).toBe(422);
    const textField = new FormData();
    textField.append('file', 'not a file');
    expect((await upload(headers, textField)).status).toBe(422);
    expect((await upload(headers, form(new Uint8Array()))).status).toBe(422);
    const json = await call('/api/media', jsonRequest('POST', { file: 'x' }, headers));
    expect(json.status).toBeGreaterThanOrEqual(400);
    expect(json.status).toBeLessThan(500);
    expect(json.headers.get('content-type')).toBe('application/problem+json');
  });

  it('needs the author role: readers get 403, anonymous callers 401', async () => {
    const bytes = uniqueImage('png');
    const reader = await upload((await signedIn('reader')).headers, form(bytes));
    expect(reader.status).toBe(403);
    const anonymous = await upload({}, form(bytes));
    expect(anonymous.status).toBe(401);
  });
});

describe('GET /media/:key', () => {
  it('answers 304 when the client already has the image', async () => {
    const media = await uploadAs('author');
    const first = await call(media.url);
    await first.arrayBuffer();
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await call(media.url, { headers: { 'If-None-Match': etag as string } });
    expect(again.status).toBe(304);
    expect(again.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 pages for unknown and malformed keys', async () => {
    for (const path of [`/media/${'0'.repeat(64)}.png`, '/media/nope.png', `/media/${'0'.repeat(64)}.svg`]) {
      const response = await call(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });
});

describe('unused images', () => {
  const later = () => Date.now() + ORPHAN_GRACE_MS + 60_000;

  async function writePost(headers: Record<string, string>, markdown: string): Promise<Json> {
    const response = await call(
      '/api/posts',
      jsonRequest('POST', { title: 'With a picture', slug: unique('pictured'), markdown }, headers),
    );
    expect(response.status).toBe(201);
    return response.json<Json>();
  }

  it('are never swept while any post shows them; deleting one post keeps the image for the other', async () => {
    const { headers } = await signedIn('editor');
    const media = await uploadAs('author');
    const first = await writePost(headers, `Look: ${media.markdown}`);
    const second = await writePost(headers, `Again: ![same](https://blog.example${media.url})`);

    expect((await call(`/api/posts/${first.id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect(await sweepOrphanMedia(testDeps(), later())).not.toContain(media.key);
    const still = await call(media.url);
    expect(still.status).toBe(200);
    await still.arrayBuffer();

    expect((await call(`/api/posts/${second.id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect(await sweepOrphanMedia(testDeps(), later())).toContain(media.key);
    expect((await call(media.url)).status).toBe(404);
  });

  it('follow edits: an image removed from a post is swept, one added is kept', async () => {
    const { headers } = await signedIn('author');
    const kept = await uploadAs('author');
    const dropped = await uploadAs('author');
    const post = await writePost(headers, `${dropped.markdown}`);
    const edit = await call(
      `/api/posts/${post.id}`,
      jsonRequest('PATCH', { version: post.version, markdown: `${kept.markdown}` }, headers),
    );
    expect(edit.status).toBe(200);
    const swept = await sweepOrphanMedia(testDeps(), later());
    expect(swept).toContain(dropped.key);
    expect(swept).not.toContain(kept.key);
  });

  it('are spared for a day after their last upload, so a post being written can still use them', async () => {
    const media = await uploadAs('author');
    expect(await sweepOrphanMedia(testDeps())).not.toContain(media.key);
    const served = await call(media.url);
    expect(served.status).toBe(200);
    await served.arrayBuffer();
  });
});
