// Reading the admin's HTML forms: text fields, an optional uploaded file, and zod issues as per-field messages.
import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../../lib/env';
import { parseFormBody } from '../form';

export interface Form {
  text(name: string): string;
  file(name: string): File | null;
}

/** The parsed form (requireSignedIn has already read it for the CSRF check; Hono caches the parse). */
export async function readForm(c: Context<AppEnv>): Promise<Form> {
  const body = await parseFormBody(c);
  return {
    text: (name) => (typeof body[name] === 'string' ? (body[name] as string) : ''),
    file: (name) => {
      const value = body[name];
      return value instanceof File && value.size > 0 ? value : null;
    },
  };
}

/** One message per form field, named by the schema path's first segment. */
export function fieldMessages(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const messages: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'form');
    messages[field] ??= issue.message;
  }
  return messages;
}

export function splitTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}
