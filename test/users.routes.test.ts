import { describe, expect, it } from 'vitest';
import type { Role } from '../lib/schemas/user';
import { call, createPost, createUser, jsonRequest, logInAs, signedIn, testDeps, unique } from './helpers';

type Json = Record<string, any>;

const PUBLIC_FIELDS = ['avatarUrl', 'bio', 'createdAt', 'displayName', 'id', 'role', 'username'];

function newUserBody(overrides: Json = {}): Json {
  const name = unique('adm').replaceAll('-', '_').slice(0, 32);
  return { email: `${name}@example.com`, username: name, password: 'a sturdy passphrase 42', ...overrides };
}

describe('GET /api/users', () => {
  it.each([
    ['anonymous', null, 401],
    ['a reader', 'reader', 403],
    ['an author', 'author', 403],
    ['an editor', 'editor', 403],
    ['an admin', 'admin', 200],
  ] as const)('answers %s with %i', async (_who, role, status) => {
    const headers = role ? (await signedIn(role as Role)).headers : {};
    expect((await call('/api/users', { headers })).status).toBe(status);
  });

  it('pages through users by id with a keyset cursor, never showing password hashes', async () => {
    const { headers } = await signedIn('admin');
    const first = await (await call('/api/users?limit=2', { headers })).json<Json>();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].id).toBeLessThan(first.items[1].id);
    expect(first.items[0]).toHaveProperty('email');
    expect(JSON.stringify(first)).not.toMatch(/passwordHash|pbkdf2/);
    const second = await (
      await call(`/api/users?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`, { headers })
    ).json<Json>();
    expect(second.items[0].id).toBeGreaterThan(first.items[1].id);
  });

  it('filters by role', async () => {
    const { headers } = await signedIn('admin');
    const editor = await createUser({ role: 'editor' });
    let cursor: string | null = null;
    const seen: Json[] = [];
    do {
      const page: Json = await (
        await call(`/api/users?role=editor&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers })
      ).json<Json>();
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.every((u) => u.role === 'editor')).toBe(true);
    expect(seen.map((u) => u.id)).toContain(editor.id);
  });

  it('rejects a limit above 100, an unknown role and a forged cursor', async () => {
    const { headers } = await signedIn('admin');
    expect((await call('/api/users?limit=101', { headers })).status).toBe(422);
    expect((await call('/api/users?role=overlord', { headers })).status).toBe(422);
    const forged = await call('/api/users?cursor=bm90LWEtY3Vyc29y', { headers });
    expect(forged.status).toBe(400);
    expect((await forged.json<Json>()).code).toBe('bad_request');
  });
});

describe('GET /api/users/:id', () => {
  it('shows anonymous visitors and other users only the public profile', async () => {
    const user = await createUser({ displayName: 'Public Person' });
    const { headers } = await signedIn('editor');
    for (const h of [{}, headers]) {
      const response = await call(`/api/users/${user.id}`, { headers: h });
      expect(response.status).toBe(200);
      const profile = await response.json<Json>();
      expect(Object.keys(profile).sort()).toEqual(PUBLIC_FIELDS);
      expect(profile.displayName).toBe('Public Person');
    }
  });

  it('shows the full profile to the user themself and to admins', async () => {
    const { user, headers } = await signedIn('reader');
    const { headers: admin } = await signedIn('admin');
    for (const h of [headers, admin]) {
      const profile = await (await call(`/api/users/${user.id}`, { headers: h })).json<Json>();
      expect(profile).toMatchObject({ id: user.id, email: user.email, disabled: false });
      expect(profile).not.toHaveProperty('passwordHash');
    }
  });

  it('hides a disabled account from everyone but admins', async () => {
    const user = await createUser();
    const { headers: admin } = await signedIn('admin');
    await call(`/api/users/${user.id}`, jsonRequest('PATCH', { disabled: true }, admin));
    expect((await call(`/api/users/${user.id}`)).status).toBe(404);
    expect((await (await call(`/api/users/${user.id}`, { headers: admin })).json<Json>()).disabled).toBe(true);
  });

  it('answers 404 for an unknown id and 422 for a malformed one', async () => {
    expect((await call('/api/users/2147483000')).status).toBe(404);
    expect((await call('/api/users/abc')).status).toBe(422);
    expect((await call('/api/users/-1')).status).toBe(422);
  });
});

describe('POST /api/users', () => {
  it('lets an admin create an account with any role, which can then sign in', async () => {
    const { headers } = await signedIn('admin');
    const body = newUserBody({ role: 'editor', displayName: 'New Editor', bio: 'Edits things.' });
    const response = await call('/api/users', jsonRequest('POST', body, headers));
    expect(response.status).toBe(201);
    const user = await response.json<Json>();
    expect(user).toMatchObject({ role: 'editor', displayName: 'New Editor', bio: 'Edits things.', email: body.email });
    expect(response.headers.get('location')).toBe(`/api/users/${user.id}`);
    expect((await logInAs(body as { email: string; password: string })).body.user.role).toBe('editor');
  });

  it('defaults the role to reader', async () => {
    const { headers } = await signedIn('admin');
    const user = await (await call('/api/users', jsonRequest('POST', newUserBody(), headers))).json<Json>();
    expect(user.role).toBe('reader');
  });

  it.each([
    ['anonymous', null, 401],
    ['an editor', 'editor', 403],
  ] as const)('refuses %s with %i', async (_who, role, status) => {
    const headers = role ? (await signedIn(role as Role)).headers : {};
    expect((await call('/api/users', jsonRequest('POST', newUserBody({ role: 'admin' }), headers))).status).toBe(
      status,
    );
  });

  it('answers 409 to a taken email or username and 422 to bad fields', async () => {
    const { headers } = await signedIn('admin');
    const existing = await createUser();
    expect(
      (await call('/api/users', jsonRequest('POST', newUserBody({ email: existing.email }), headers))).status,
    ).toBe(409);
    expect(
      (await call('/api/users', jsonRequest('POST', newUserBody({ username: existing.username }), headers))).status,
    ).toBe(409);
    expect((await call('/api/users', jsonRequest('POST', newUserBody({ role: 'owner' }), headers))).status).toBe(422);
    expect(
      (await call('/api/users', jsonRequest('POST', newUserBody({ password: 'password123' }), headers))).status,
    ).toBe(422);
  });
});

describe('PATCH /api/users/:id', () => {
  it('lets a user change their own profile, and the next read shows it (cache invalidated)', async () => {
    const { user, headers } = await signedIn('reader');
    expect((await (await call(`/api/users/${user.id}`)).json<Json>()).bio).toBe(''); // now cached
    const response = await call(
      `/api/users/${user.id}`,
      jsonRequest(
        'PATCH',
        { displayName: 'Renamed', bio: 'Hello there', avatarUrl: 'https://example.com/me.png' },
        headers,
      ),
    );
    expect(response.status).toBe(200);
    expect(await response.json<Json>()).toMatchObject({
      displayName: 'Renamed',
      bio: 'Hello there',
      avatarUrl: 'https://example.com/me.png',
    });
    expect(await (await call(`/api/users/${user.id}`)).json<Json>()).toMatchObject({
      displayName: 'Renamed',
      bio: 'Hello there',
    });
    const cleared = await call(`/api/users/${user.id}`, jsonRequest('PATCH', { avatarUrl: null }, headers));
    expect((await cleared.json<Json>()).avatarUrl).toBeNull();
  });

  it('refuses to change someone else’s account unless admin', async () => {
    const other = await createUser();
    const { headers } = await signedIn('editor');
    expect((await call(`/api/users/${other.id}`, jsonRequest('PATCH', { bio: 'hijacked' }, headers))).status).toBe(403);
    expect((await call(`/api/users/${other.id}`, jsonRequest('PATCH', { bio: 'hijacked' }))).status).toBe(401);
  });

  it('keeps role and disabled admin-only, even on your own account', async () => {
    const { user, headers } = await signedIn('editor');
    const promote = await call(`/api/users/${user.id}`, jsonRequest('PATCH', { role: 'admin' }, headers));
    expect(promote.status).toBe(403);
    expect((await promote.json<Json>()).detail).toMatch(/Only admins/);
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { disabled: false }, headers))).status).toBe(403);
  });

  it('lets an admin change anyone’s role, with immediate effect', async () => {
    const { user, headers } = await signedIn('reader');
    const { headers: admin } = await signedIn('admin');
    expect((await call('/api/users', { headers })).status).toBe(403);
    const response = await call(`/api/users/${user.id}`, jsonRequest('PATCH', { role: 'admin' }, admin));
    expect((await response.json<Json>()).role).toBe('admin');
    expect((await call('/api/users', { headers })).status).toBe(200);
  });

  it('does not let an admin demote or disable themself', async () => {
    const { user, headers } = await signedIn('admin');
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { role: 'editor' }, headers))).status).toBe(409);
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { disabled: true }, headers))).status).toBe(409);
  });

  it('never lets two admins demoting each other at the same moment both win', async () => {
    const a = await signedIn('admin');
    const b = await signedIn('admin');
    const [aDemotesB, bDemotesA] = await Promise.all([
      call(`/api/users/${b.user.id}`, jsonRequest('PATCH', { role: 'editor' }, a.headers)),
      call(`/api/users/${a.user.id}`, jsonRequest('PATCH', { role: 'editor' }, b.headers)),
    ]);
    // One change lands; the other finds its admin demoted (403), or lost a deadlock on a real server (409).
    expect([aDemotesB.status, bDemotesA.status].filter((status) => status === 200)).toHaveLength(1);
    expect([403, 409]).toContain(aDemotesB.status === 200 ? bDemotesA.status : aDemotesB.status);
    const { headers: observer } = await signedIn('admin');
    const roles = await Promise.all(
      [a.user.id, b.user.id].map(
        async (id) => (await (await call(`/api/users/${id}`, { headers: observer })).json<Json>()).role,
      ),
    );
    expect(roles.sort()).toEqual(['admin', 'editor']);
  });

  it('requires the current password to change your own', async () => {
    const { user, headers } = await signedIn('reader');
    const missing = await call(
      `/api/users/${user.id}`,
      jsonRequest('PATCH', { password: 'a new long passphrase' }, headers),
    );
    expect(missing.status).toBe(422);
    expect((await missing.json<Json>()).errors[0].path).toBe('body.currentPassword');
    const wrong = await call(
      `/api/users/${user.id}`,
      jsonRequest('PATCH', { password: 'a new long passphrase', currentPassword: 'not it at all' }, headers),
    );
    expect(wrong.status).toBe(403);
    const weak = await call(
      `/api/users/${user.id}`,
      jsonRequest('PATCH', { password: 'iloveyou123', currentPassword: user.password }, headers),
    );
    expect(weak.status).toBe(422);
    const right = await call(
      `/api/users/${user.id}`,
      jsonRequest('PATCH', { password: 'a new long passphrase', currentPassword: user.password }, headers),
    );
    expect(right.status).toBe(200);
    expect((await logInAs({ email: user.email, password: 'a new long passphrase' })).response.status).toBe(200);
  });

  it('lets an admin set another user’s password without knowing the old one', async () => {
    const user = await createUser();
    const { headers: admin } = await signedIn('admin');
    expect(
      (await call(`/api/users/${user.id}`, jsonRequest('PATCH', { password: 'set by the admin 1' }, admin))).status,
    ).toBe(200);
    expect((await logInAs({ email: user.email, password: 'set by the admin 1' })).response.status).toBe(200);
  });

  it('needs the current password to change your own email (a session thief must not take the sign-in over)', async () => {
    const { user, headers } = await signedIn('reader');
    const change = (body: Record<string, unknown>) =>
      call(`/api/users/${user.id}`, jsonRequest('PATCH', body, headers));
    const missing = await change({ email: `${unique('new')}@example.com` });
    expect(missing.status).toBe(422);
    expect((await missing.json<Json>()).errors[0].path).toBe('body.currentPassword');
    expect((await change({ email: `${unique('new')}@example.com`, currentPassword: 'not my password' })).status).toBe(
      403,
    );
    expect((await change({ email: `${unique('new')}@example.com`, currentPassword: user.password })).status).toBe(200);
  });

  it('answers 409 when the new email or username is taken', async () => {
    const taken = await createUser();
    const { user, headers } = await signedIn('reader');
    const email = await call(
      `/api/users/${user.id}`,
      jsonRequest('PATCH', { email: taken.email.toUpperCase(), currentPassword: user.password }, headers),
    );
    expect(email.status).toBe(409);
    expect((await email.json<Json>()).detail).toBe('That email is already registered.');
    expect(
      (await call(`/api/users/${user.id}`, jsonRequest('PATCH', { username: taken.username }, headers))).status,
    ).toBe(409);
  });

  it('rejects an empty change, unknown values and unsafe avatar URLs with 422', async () => {
    const { user, headers } = await signedIn('reader');
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', {}, headers))).status).toBe(422);
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { currentPassword: 'x' }, headers))).status).toBe(
      422,
    );
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { displayName: '' }, headers))).status).toBe(422);
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { bio: 'b'.repeat(2001) }, headers))).status).toBe(
      422,
    );
    expect(
      (await call(`/api/users/${user.id}`, jsonRequest('PATCH', { avatarUrl: 'javascript:alert(1)' }, headers))).status,
    ).toBe(422);
    expect((await call(`/api/users/${user.id}`, jsonRequest('PATCH', { disabled: 'yes' }, headers))).status).toBe(422);
  });

  it('answers 404 when an admin edits a user that does not exist', async () => {
    const { headers } = await signedIn('admin');
    expect((await call('/api/users/2147483001', jsonRequest('PATCH', { bio: 'ghost' }, headers))).status).toBe(404);
  });
});

describe('DELETE /api/users/:id', () => {
  it('deletes a user without posts', async () => {
    const user = await createUser();
    const { headers } = await signedIn('admin');
    expect((await call(`/api/users/${user.id}`)).status).toBe(200); // cached
    expect((await call(`/api/users/${user.id}`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await call(`/api/users/${user.id}`)).status).toBe(404);
    expect((await call(`/api/users/${user.id}`, { method: 'DELETE', headers })).status).toBe(404);
  });

  it('refuses to delete a user who has posts unless they are reassigned', async () => {
    const author = await createUser({ role: 'author' });
    await createPost({ authorId: author.id });
    const { headers } = await signedIn('admin');
    const response = await call(`/api/users/${author.id}`, { method: 'DELETE', headers });
    expect(response.status).toBe(409);
    const problem = await response.json<Json>();
    expect(problem.detail).toMatch(/has 1 post\(s\).*reassignTo/);
    expect(problem.posts).toBe(1);
  });

  it('reassigns the posts and deletes the user in one go, refreshing cached posts', async () => {
    const author = await createUser({ role: 'author', displayName: 'Leaving Author' });
    const heir = await createUser({ role: 'editor', displayName: 'Heir Editor' });
    const { slug } = await createPost({ authorId: author.id });
    const before = await (await call(`/api/posts/by-slug/${slug}`)).json<Json>(); // cached with the old author
    expect(before.author.id).toBe(author.id);
    const { headers } = await signedIn('admin');

    const response = await call(`/api/users/${author.id}?reassignTo=${heir.id}`, { method: 'DELETE', headers });
    expect(response.status).toBe(204);
    expect((await call(`/api/users/${author.id}`)).status).toBe(404);
    const after = await (await call(`/api/posts/by-slug/${slug}`)).json<Json>();
    expect(after.author).toMatchObject({ id: heir.id, displayName: 'Heir Editor' });
  });

  it('validates reassignTo', async () => {
    const author = await createUser({ role: 'author' });
    await createPost({ authorId: author.id });
    const reader = await createUser({ role: 'reader' });
    const { headers } = await signedIn('admin');
    const del = (query: string) => call(`/api/users/${author.id}?${query}`, { method: 'DELETE', headers });
    expect((await del(`reassignTo=${author.id}`)).status).toBe(422);
    expect((await del('reassignTo=2147483002')).status).toBe(422);
    expect((await del(`reassignTo=${reader.id}`)).status).toBe(422);
    const disabledAuthor = await createUser({ role: 'author' });
    await testDeps().sql`UPDATE users SET disabled = true WHERE id = ${disabledAuthor.id}`;
    expect((await del(`reassignTo=${disabledAuthor.id}`)).status).toBe(422);
    expect((await del('reassignTo=abc')).status).toBe(422);
    expect((await call(`/api/users/${author.id}`)).status).toBe(200);
  });

  it('does not let an admin delete themself', async () => {
    const { user, headers } = await signedIn('admin');
    const response = await call(`/api/users/${user.id}`, { method: 'DELETE', headers });
    expect(response.status).toBe(409);
  });

  it.each([
    ['anonymous', null, 401],
    ['an editor', 'editor', 403],
    ['the user themself (a reader)', 'self', 403],
  ] as const)('refuses %s with %i', async (_who, role, status) => {
    const target = await signedIn('reader');
    const headers = role === 'self' ? target.headers : role ? (await signedIn(role as Role)).headers : {};
    expect((await call(`/api/users/${target.user.id}`, { method: 'DELETE', headers })).status).toBe(status);
  });
});
