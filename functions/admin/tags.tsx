// /admin/tags (editors): rename, describe, merge two tags, delete unused ones; through lib/tags, which drops the
// cached pages that show a changed tag.
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../lib/env';
import { AppError, fromDatabaseError } from '../../lib/errors';
import { UpdateTagBody } from '../../lib/schemas/tag';
import { deleteUnusedTag, mergeTags, readTagsForEditors, updateTag } from '../../lib/tags';
import { requireSignedIn, signedInSession } from '../auth/session';
import { readForm } from './form';
import { TagsPage } from './views/tags';

const done: Record<string, string> = { saved: 'Tag saved.', merged: 'Tags merged.', deleted: 'Tag deleted.' };

async function tagsPage(c: Context<AppEnv>, notice: { message?: string; error?: string } = {}, status = 200) {
  const { user, csrfToken } = await signedInSession(c);
  const tags = await readTagsForEditors(c.var.deps);
  return c.html(<TagsPage user={user} csrfToken={csrfToken} tags={tags} {...notice} />, status as 200);
}

/** Runs a change; an expected refusal shows the list again with the reason, anything else is an error page. */
async function change(c: Context<AppEnv>, work: () => Promise<unknown>, outcome: string): Promise<Response> {
  try {
    await work();
  } catch (error) {
    const refusal = error instanceof AppError ? error : fromDatabaseError(error);
    if (!refusal || refusal.status >= 500) throw error;
    return tagsPage(c, { error: refusal.message }, refusal.status);
  }
  return c.redirect(`/admin/tags?done=${outcome}`, 303);
}

export const adminTags = new Hono<AppEnv>()
  .get('/admin/tags', requireSignedIn('editor'), (c) => tagsPage(c, { message: done[c.req.query('done') ?? ''] }))
  .post('/admin/tags/merge', requireSignedIn('editor'), async (c) => {
    const form = await readForm(c);
    return change(c, () => mergeTags(c.var.deps, form.text('from'), form.text('into')), 'merged');
  })
  .post('/admin/tags/:slug/delete', requireSignedIn('editor'), (c) =>
    change(c, () => deleteUnusedTag(c.var.deps, c.req.param('slug')), 'deleted'),
  )
  .post('/admin/tags/:slug', requireSignedIn('editor'), async (c) => {
    const form = await readForm(c);
    const parsed = UpdateTagBody.safeParse({ name: form.text('name'), description: form.text('description') });
    if (!parsed.success) return tagsPage(c, { error: 'A tag needs a name of 1 to 60 characters.' }, 422);
    return change(c, () => updateTag(c.var.deps, c.req.param('slug'), parsed.data), 'saved');
  });
