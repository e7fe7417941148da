// First run (/setup) on a site of its own with no admin (test/fresh-site.ts): the shared test database has admins.
import { beforeEach, describe, expect, it } from 'vitest';
import { freshSite } from './fresh-site';
import { awaitWholeWindow, uniqueIp } from './helpers';

const site = freshSite('firstRun');
const ORIGIN = 'https://blog.example';

function setupForm(fields: Record<string, string>, ip = uniqueIp()): RequestInit {
  return {
    method: 'POST',
    headers: { Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': ip },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  };
}

function owner(n: number | string) {
  return {
    title: 'The Shire Gazette',
    displayName: `Owner ${n}`,
    username: `owner_${n}`,
    email: `owner${n}@example.com`,
    password: 'second breakfast at eleven',
  };
}

async function adminCount(): Promise<number> {
  const { sql } = site.deps();
  const rows = await sql`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`;
  return Number(rows[0]?.n);
}

beforeEach(() => site.reset());

describe('GET /setup', () => {
  it('shows the form while there is no admin, and every /admin address leads there', async () => {
    const page = await site.call('/setup');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/setup">');
    for (const path of ['/admin', '/admin/posts/new', '/admin/settings']) {
      const response = await site.call(path, { redirect: 'manual' });
      expect([path, response.status, response.headers.get('location')]).toEqual([path, 303, '/setup']);
    }
  });
});

describe('POST /setup', () => {
  it('creates the owner, names the site, signs them in and lands on /admin; then /setup is gone', async () => {
    const response = await site.call('/setup', setupForm(owner(1)));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lembas_session=[^;]+;.*HttpOnly/);

    const dashboard = await site.call('/admin', { headers: { Cookie: cookie.split(';')[0]! } });
    expect(dashboard.status).toBe(200);
    expect(await (await site.call('/')).text()).toContain('<title>The Shire Gazette</title>');
    expect((await site.call('/setup')).status).toBe(404);
    expect((await site.call('/setup', setupForm(owner(2)))).status).toBe(404);
    // Anonymous visitors of /admin now go to sign in, not to the setup.
    expect((await site.call('/admin', { redirect: 'manual' })).headers.get('location')).toMatch(/^\/login/);
    expect(await adminCount()).toBe(1);
  });

  it('starts the owner with a confirmed address: they typed it themselves on the one-time form', async () => {
    const before = Date.now();
    const response = await site.call('/setup', setupForm(owner(7)));
    expect(response.status).toBe(303);
    const { sql } = site.deps();
    const rows = await sql`SELECT email_verified_at FROM users WHERE email = ${'owner7@example.com'}`;
    expect(rows).toHaveLength(1);
    const verifiedAt = rows[0]?.email_verified_at;
    expect(verifiedAt).not.toBeNull();
    expect(new Date(verifiedAt as string).getTime()).toBeGreaterThanOrEqual(before - 60_000);
  });

  it('creates exactly one owner when several setups arrive at once; the others get a clear page', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, (_, n) => site.call('/setup', setupForm(owner(n)))));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([303, 409, 409, 409, 409, 409]);
    const losers = responses.filter((response) => response.status === 409);
    for (const loser of losers) {
      expect(loser.headers.get('set-cookie')).toBeNull();
      expect(await loser.text()).toContain('This blog has just been set up');
    }
    expect(await adminCount()).toBe(1);
  });

  it('shows the form again with the values and the reasons when a field is bad, and creates nothing', async () => {
    const response = await site.call('/setup', setupForm({ ...owner(3), email: 'not-an-email', password: 'short' }));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('value="owner_3"');
    expect(html).toContain('value="not-an-email"');
    expect(html).not.toContain('correct horse');
    expect(html).toMatch(/class="field-error"[^>]*>[^<]*10 characters/);
    expect(await adminCount()).toBe(0);
  });

  it('answers a malformed body with 400 and a page, not a 5xx', async () => {
    const response = await site.call('/setup', {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'multipart/form-data; boundary=b' },
      body: '--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nHello',
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<html');
    expect(await adminCount()).toBe(0);
  });

  it('refuses a form from another site (the Origin check)', async () => {
    const foreign = await site.call('/setup', {
      ...setupForm(owner(4)),
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(foreign.status).toBe(403);
    expect(await adminCount()).toBe(0);
  });

  it('counts attempts as sign-ins do: the eleventh in a minute from one address is refused with 429', async () => {
    const { sql } = site.deps();
    await sql`INSERT INTO users (email, username, display_name, role, password_hash)
              VALUES ('taken@example.com', 'early_reader', 'Early Reader', 'reader', 'x')`;
    const ip = uniqueIp();
    await awaitWholeWindow(60_000, 20_000);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await site.call('/setup', setupForm({ ...owner(`r${i}`), email: 'taken@example.com' }, ip));
      statuses.push(response.status);
    }
    // Ten reach the database and are refused there (the address is a reader's); the eleventh is not let through.
    expect(statuses).toEqual([...Array(10).fill(409), 429]);
    expect(await adminCount()).toBe(0);
    // Up to 20 s waiting for a whole window, then eleven attempts: more than the default 20 s timeout allows.
  }, 45_000);
});
