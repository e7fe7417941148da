// /admin/subscribers: admins only; counts, search by address, keyset pages, removal behind CSRF, and a CSV export
// that quotes properly and cannot smuggle a formula into a spreadsheet.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../lib/newsletter/csv';
import { call, createUser, testDeps, unique } from './helpers';
import { browserSignIn, csrfTokenOf, formPost } from './web-helpers';

async function signedInAs(role: 'admin' | 'editor' | 'reader'): Promise<string> {
  return browserSignIn(await createUser({ role }));
}

/**
 * Inserts `count` pending subscribers whose addresses start with `prefix`; returns the addresses. Pending, so no
 * other test file's published post fans out to them.
 */
async function seedSubscribers(prefix: string, count: number): Promise<string[]> {
  const rows = await testDeps().sql`
    INSERT INTO subscribers (email)
    SELECT ${prefix} || '-' || n || '@example.com' FROM generate_series(1, ${count}::int) AS n
    RETURNING email`;
  return rows.map((row) => String(row.email));
}

describe('/admin/subscribers', () => {
  it('is for admins only', async () => {
    for (const role of ['editor', 'reader'] as const) {
      const cookie = await signedInAs(role);
      expect((await call('/admin/subscribers', { headers: { Cookie: cookie } })).status).toBe(403);
      expect((await call('/admin/subscribers/export', { headers: { Cookie: cookie } })).status).toBe(403);
    }
    const signedOut = await call('/admin/subscribers', { redirect: 'manual' });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toContain('/login');
    expect((await call('/admin/subscribers/export', { redirect: 'manual' })).status).toBe(303);
  });

  it('counts confirmed and pending, finds addresses, and pages through them newest first', async () => {
    const prefix = unique('adm');
    const addresses = await seedSubscribers(prefix, 53);
    // The newest, and confirmed: first in the list.
    await testDeps().sql`
      INSERT INTO subscribers (email, confirmed_at) VALUES (${`${prefix}-last@example.com`}, now())`;
    const cookie = await signedInAs('admin');
    const first = await call(`/admin/subscribers?q=${prefix}`, { headers: { Cookie: cookie } });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const page = await first.text();
    // The counts are of everyone, whatever the search; other test files add and remove subscribers meanwhile, but
    // never these.
    const shown = /<strong>(\d+)<\/strong> confirmed, <strong>(\d+)<\/strong> waiting/.exec(page)!;
    expect(Number(shown[1])).toBeGreaterThanOrEqual(1);
    expect(Number(shown[2])).toBeGreaterThanOrEqual(53);
    const listed = (html: string) => [...html.matchAll(new RegExp(`<td>(${prefix}-[^<]+)</td>`, 'g'))].map((m) => m[1]);
    const firstPage = listed(page);
    expect(firstPage).toHaveLength(50);
    expect(firstPage[0]).toBe(`${prefix}-last@example.com`);
    const next = /<a href="([^"]+)" rel="next">/.exec(page)![1]!.replaceAll('&amp;', '&');
    const second = listed(await (await call(next, { headers: { Cookie: cookie } })).text());
    expect(second).toHaveLength(4);
    expect(new Set([...firstPage, ...second])).toEqual(new Set([...addresses, `${prefix}-last@example.com`]));
    // Search is by part of an address, and a LIKE wildcard is only a character.
    const none = await (await call(`/admin/subscribers?q=${prefix}%25x`, { headers: { Cookie: cookie } })).text();
    expect(listed(none)).toEqual([]);
    expect(none).toContain('No address matches.');
  });

  it('removes a subscriber with the CSRF token, not without it', async () => {
    const prefix = unique('rm');
    const [email] = await seedSubscribers(prefix, 1);
    const [row] = await testDeps().sql`SELECT id FROM subscribers WHERE email = ${email!}`;
    const cookie = await signedInAs('admin');
    const path = `/admin/subscribers/${row!.id}/delete`;
    expect((await call(path, formPost({ back: '/admin/subscribers' }, { cookie }))).status).toBe(403);
    const csrf = await csrfTokenOf(cookie, `/admin/subscribers?q=${prefix}`);
    const removed = await call(path, formPost({ _csrf: csrf, back: `/admin/subscribers?q=${prefix}` }, { cookie }));
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/admin/subscribers?q=${prefix}&done=removed`);
    expect(await testDeps().sql`SELECT 1 FROM subscribers WHERE email = ${email!}`).toEqual([]);
    // Again: nothing to remove, no error; and the way back never leaves the list.
    const again = await call(path, formPost({ _csrf: csrf, back: 'https://evil.example/' }, { cookie }));
    expect(again.headers.get('location')).toBe('/admin/subscribers?done=gone');
  });

  it('exports every subscriber as CSV, quoted, with formulas defused', async () => {
    const prefix = unique('csv');
    const tricky = [`=HYPERLINK("x",1)${prefix}@example.com`, `"a,b"${prefix}@example.com`, `+${prefix}@example.com`];
    await testDeps().sql`
      INSERT INTO subscribers (email, tags) SELECT e, '{edge,cache}' FROM unnest(${tricky}::text[]) AS e`;
    const cookie = await signedInAs('admin');
    const response = await call('/admin/subscribers/export', { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="subscribers-\d{4}-\d\d-\d\d\.csv"$/,
    );
    const csv = await response.text();
    expect(csv.startsWith('email,status,tags,created_at,confirmed_at\r\n')).toBe(true);
    expect(csv).toContain(`"'=HYPERLINK(""x"",1)${prefix}@example.com",pending,edge cache,`);
    expect(csv).toContain(`"""a,b""${prefix}@example.com",pending,`);
    expect(csv).toContain(`\r\n'+${prefix}@example.com,pending,`);
    // Every line ends in CRLF; no bare LF.
    expect(csv.replaceAll('\r\n', '')).not.toContain('\n');
  });
});

describe('csvCell', () => {
  it('quotes what needs quoting and defuses formula starts', () => {
    expect(csvCell('plain@example.com')).toBe('plain@example.com');
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    for (const start of ['=', '+', '-', '@', '\t']) expect(csvCell(`${start}1+1`)).toMatch(/^"?'/);
    expect(csvCell('-1,2')).toBe(`"'-1,2"`);
  });
});
