// /admin/subscribers (admins): newsletter subscribers, their counts, search by address, removal and CSV export.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../lib/env';
import { AppError } from '../../lib/errors';
import { readSubscribersForAdmin, removeSubscriber, subscribersCsv } from '../../lib/newsletter/admin';
import { Cursor, Id } from '../../lib/schemas/common';
import { requireSignedIn, signedInSession } from '../auth/session';
import { readForm } from './form';
import { timeZoneOf } from './posts';
import { SubscribersPage } from './views/subscribers';

/** Where the list is: a search and a page. Anything unreadable falls back to the newest subscribers, unfiltered. */
const ListPosition = z.object({
  q: z.string().trim().max(254).catch(''),
  cursor: Cursor.optional().catch(undefined),
});

const done: Record<string, string> = {
  removed: 'Subscriber removed: they get no more mail.',
  gone: 'That subscriber was already gone (unsubscribed or removed).',
};

async function listPage(c: Context<AppEnv>) {
  const { user, csrfToken } = await signedInSession(c);
  const { q, cursor } = ListPosition.parse({ q: c.req.query('q') ?? '', cursor: c.req.query('cursor') });
  const { counts, page } = await readSubscribersForAdmin(c.var.deps, { search: q, cursor });
  return c.html(
    <SubscribersPage
      user={user}
      csrfToken={csrfToken}
      counts={counts}
      subscribers={page.items}
      q={q}
      cursor={cursor}
      nextCursor={page.nextCursor}
      timeZone={timeZoneOf(c)}
      message={done[c.req.query('done') ?? '']}
    />,
  );
}

/** Back to the list where the admin was; only ever to this list (the field is the form's, not trusted further). */
function backTo(field: string, outcome: string): string {
  const back = field.startsWith('/admin/subscribers') && !field.startsWith('//') ? field : '/admin/subscribers';
  const url = new URL(back, 'https://x.invalid');
  url.searchParams.set('done', outcome);
  return url.pathname + url.search;
}

export const adminSubscribers = new Hono<AppEnv>()
  .get('/admin/subscribers', requireSignedIn('admin'), listPage)
  .get('/admin/subscribers/export', requireSignedIn('admin'), (c) => {
    const day = new Date().toISOString().slice(0, 10);
    return c.body(subscribersCsv(c.var.deps), 200, {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="subscribers-${day}.csv"`,
    });
  })
  .post('/admin/subscribers/:id/delete', requireSignedIn('admin'), async (c) => {
    const id = Id.safeParse(c.req.param('id'));
    if (!id.success) throw new AppError('not_found', 'There is no such subscriber.');
    const form = await readForm(c);
    const removed = await removeSubscriber(c.var.deps, id.data);
    return c.redirect(backTo(form.text('back'), removed ? 'removed' : 'gone'), 303);
  });
