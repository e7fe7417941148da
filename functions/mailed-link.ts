// The query of a link sent by mail (unsubscribe links): checked by the caller's schema, and a link cut short or
// mangled by a mail client is a 400 page that says what to do, never a 500.
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/env';
import { AppError } from '../lib/errors';

/** A row id as a link carries it: digits, within Postgres's integer. */
export const LinkId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

export function unsubscribeLinkQuery<Schema extends z.ZodType>(c: Context<AppEnv>, schema: Schema): z.infer<Schema> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) {
    throw new AppError('bad_request', 'This unsubscribe link is incomplete. Use the whole link from the email.');
  }
  return parsed.data;
}
