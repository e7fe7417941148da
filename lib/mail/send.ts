// The one way mail leaves lembas: Cloudflare Email Service's `send_email` binding in production, the local mailbox
// (dev/standins/mailbox.ts) when MAIL_CAPTURE_URL is set. Callers build a message with a template (lib/mail/
// templates/) and choose how a failure shows: sendMailOrFail (the user waits and sees it) or sendMailLater (off the
// critical path, logged).
import type { Deps } from '../context';
import type { Config } from '../env';
import { AppError } from '../errors';
import type { RenderedMail } from './layout';

export interface Mail extends RenderedMail {
  /** One recipient: every message carries per-recipient links (reset, unsubscribe), so none is shared. */
  to: string;
  /** The sender's display name when MAIL_FROM_NAME does not set one: the site's title (SITE_NAME when absent). */
  siteName?: string;
}

/** Why a message was not sent: Email Service's error code (`E_DELIVERY_FAILED`, …) or one of ours. */
export class MailError extends Error {
  override name = 'MailError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What `env.EMAIL.send()` takes (its structured form), and what the local mailbox takes at `POST /send`. */
export interface OutgoingMail {
  from: { email: string; name: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export function senderOf(config: Config, siteName?: string): { email: string; name: string } {
  return {
    email: config.MAIL_FROM ?? `noreply@${new URL(config.SITE_URL).hostname}`,
    // A display name is a header: a line break in it could start a new one.
    name: (config.MAIL_FROM_NAME ?? siteName ?? config.SITE_NAME).replace(/[\r\n]+/g, ' '),
  };
}

async function sendToMailbox(url: string, message: OutgoingMail): Promise<{ messageId: string }> {
  let response: Response;
  try {
    response = await fetch(new URL('/send', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
  } catch (error) {
    throw new MailError('E_UNREACHABLE', `The local mailbox at ${url} cannot be reached: ${String(error)}`);
  }
  const body = (await response.json().catch(() => ({}))) as { messageId?: string; code?: string; message?: string };
  if (!response.ok || !body.messageId) {
    throw new MailError(body.code ?? 'E_DELIVERY_FAILED', body.message ?? `The mailbox answered ${response.status}.`);
  }
  return { messageId: body.messageId };
}

async function sendWithBinding(binding: SendEmail, message: OutgoingMail): Promise<{ messageId: string }> {
  try {
    return await binding.send(message);
  } catch (error) {
    // Email Service throws an Error with a `code` (E_SENDER_NOT_VERIFIED, E_RATE_LIMIT_EXCEEDED, …).
    const code = (error as { code?: unknown }).code;
    throw new MailError(
      typeof code === 'string' ? code : 'E_SEND_FAILED',
      error instanceof Error ? error.message : String(error),
    );
  }
}

/** Sends one message; throws a MailError when it could not be handed over for delivery. */
export async function sendMail(deps: Pick<Deps, 'config'>, mail: Mail): Promise<{ messageId: string }> {
  const { config } = deps;
  const message: OutgoingMail = {
    from: senderOf(config, mail.siteName),
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    ...(mail.headers && Object.keys(mail.headers).length > 0 ? { headers: mail.headers } : {}),
  };
  if (config.MAIL_CAPTURE_URL) return sendToMailbox(config.MAIL_CAPTURE_URL, message);
  if (config.EMAIL) return sendWithBinding(config.EMAIL, message);
  throw new MailError('E_NOT_CONFIGURED', 'No EMAIL binding is configured ([[send_email]] in wrangler.toml).');
}

/** Seconds a 503 for unsent mail asks the user to wait before trying again. */
const MAIL_RETRY_SECONDS = 60;

/**
 * Sends a message the user is waiting for (a reset link, an address check). When it cannot be sent they are told,
 * with a 503 whose message says what did not happen; whatever the caller saved before stays saved.
 */
export async function sendMailOrFail(deps: Deps, mail: Mail, what: string): Promise<void> {
  try {
    await sendMail(deps, mail);
  } catch (error) {
    if (!(error instanceof MailError)) throw error;
    deps.cache.log?.(`mail not sent (${error.code}): ${mail.subject}`, error.message);
    throw new AppError('unavailable', `${what} could not be sent just now. Please try again in a few minutes.`, {
      headers: { 'Retry-After': String(MAIL_RETRY_SECONDS) },
    });
  }
}

/** Sends a message nobody waits for (a notification) after the response; a failure is logged, never shown. */
export function sendMailLater(deps: Deps, mail: Mail): void {
  deps.cache.waitUntil(
    sendMail(deps, mail).then(
      () => undefined,
      (error: unknown) =>
        deps.cache.log?.(`notification not sent: ${mail.subject}`, error instanceof Error ? error.message : error),
    ),
  );
}
