// Reading an HTML form's body, for every page route that takes a form post. The one place a malformed body (a
// multipart body without its closing boundary, say) becomes a 400 page instead of the parser's TypeError (a 500).
import type { Context } from 'hono';
import type { BodyData } from 'hono/utils/body';
import type { AppEnv } from '../lib/env';
import { AppError } from '../lib/errors';

/**
 * The parsed form (Hono caches the parse, so requireSignedIn's CSRF check and the handler read it once). Bodies
 * that are not a form (no form content type) read as an empty form, which each route's validation then refuses.
 */
export async function parseFormBody(c: Context<AppEnv>): Promise<BodyData> {
  try {
    return await c.req.parseBody();
  } catch (error) {
    // Only the parse can fail here: the body was already capped, and reading it is the parser's first step.
    c.var.deps?.cache.log?.('form body could not be parsed', error instanceof Error ? error.message : error);
    throw new AppError(
      'bad_request',
      'This form could not be read (its body is malformed). Reload the page and try again.',
    );
  }
}

/** The form's text fields only (a file field where text is expected is treated as absent). */
export async function formTextFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await parseFormBody(c);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') fields[name] = value;
  return fields;
}
