// Local mailbox: keeps every message the Worker would have sent through Cloudflare Email Service, so a person (at
// `/`) and the tests (at `GET /messages`) can read them, links included. The Worker reaches it through the dev-only
// MAIL_CAPTURE_URL var (lib/mail/send.ts): `POST /send` takes exactly what `env.EMAIL.send()` takes, and refuses
// what Email Service refuses (missing fields, headers off its allowlist), with its error codes.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StoredMessage } from './mailbox-message';

export type { StoredMessage } from './mailbox-message';

export interface MailboxOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  host?: string;
  /** Oldest messages are dropped beyond this many, so a long `npm run dev` cannot grow without bound. */
  keep?: number;
  log?: (line: string) => void;
}

export interface Mailbox {
  url: string;
  port: number;
  /** Newest first. */
  messages(): StoredMessage[];
  close(): Promise<void>;
}

/** An Email Service refusal: the code `send()` throws with, and its message. */
export class MailRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Address = string | { email: string; name?: string };

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_RECIPIENTS = 50;

// https://developers.cloudflare.com/email-service/reference/headers/ (allowlist-based; any X- header is allowed).
const ALLOWED_HEADERS = new Set(
  [
    'In-Reply-To',
    'References',
    'List-Unsubscribe',
    'List-Unsubscribe-Post',
    'List-Id',
    'List-Archive',
    'List-Help',
    'List-Owner',
    'List-Post',
    'List-Subscribe',
    'Precedence',
    'Auto-Submitted',
    'Content-Language',
    'Keywords',
    'Comments',
    'Importance',
    'Priority',
    'Sensitivity',
    'Organization',
    'Require-Recipient-Valid-Since',
    'Expires',
    'Reply-By',
    'Archived-At',
  ].map((name) => name.toLowerCase()),
);
const API_FIELD_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'subject', 'reply-to']);
const MAX_HEADER_VALUE_BYTES = 2048;

function bareAddress(address: Address): string {
  return typeof address === 'string' ? (/<([^>]+)>/.exec(address)?.[1] ?? address).trim() : address.email;
}

function shownAddress(address: Address): string {
  return typeof address === 'string' || !address.name ? bareAddress(address) : `${address.name} <${address.email}>`;
}

function listOf(value: unknown): Address[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Address[];
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;

function checkAddresses(field: string, addresses: Address[]): void {
  for (const address of addresses) {
    const valid =
      (typeof address === 'string' || (typeof address === 'object' && address && typeof address.email === 'string')) &&
      ADDRESS.test(bareAddress(address));
    if (!valid) throw new MailRefusal('E_VALIDATION_ERROR', `'${field}' holds an invalid address.`);
  }
}

/** Email Service's header rules: platform and API-field headers refused, the rest must be allowlisted or X-. */
function checkHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined) return {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new MailRefusal('E_VALIDATION_ERROR', "'headers' must be an object of strings.");
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(name))
      throw new MailRefusal('E_HEADER_NAME_INVALID', `Header name '${name}' is invalid.`);
    if (API_FIELD_HEADERS.has(lower)) {
      throw new MailRefusal('E_HEADER_USE_API_FIELD', `Header '${name}' must be set via its API field.`);
    }
    if (!lower.startsWith('x-') && !ALLOWED_HEADERS.has(lower)) {
      throw new MailRefusal('E_HEADER_NOT_ALLOWED', `Header '${name}' is not allowed.`);
    }
    if (typeof value !== 'string' || value === '' || /[\r\n]/.test(value)) {
      throw new MailRefusal('E_HEADER_VALUE_INVALID', `Header '${name}' has an empty or malformed value.`);
    }
    if (Buffer.byteLength(value) > MAX_HEADER_VALUE_BYTES) {
      throw new MailRefusal('E_HEADER_VALUE_TOO_LONG', `Header '${name}' value exceeds 2048 byte limit.`);
    }
    checked[name] = value;
  }
  const lowered = new Map(Object.entries(checked).map(([name, value]) => [name.toLowerCase(), value]));
  const unsubscribe = lowered.get('list-unsubscribe');
  if (
    unsubscribe !== undefined &&
    !/<(?:https:\/\/|mailto:|http:\/\/(?:localhost|127\.0\.0\.1)[:/])[^>]+>/.test(unsubscribe)
  ) {
    // The service refuses plain-http links; a loopback one is let through so `npm run dev` can be tried end to end.
    throw new MailRefusal(
      'E_HEADER_VALUE_INVALID',
      "Header 'List-Unsubscribe' must contain angle-bracket HTTPS or mailto URI(s).",
    );
  }
  const oneClick = lowered.get('list-unsubscribe-post');
  if (oneClick !== undefined && (oneClick !== 'List-Unsubscribe=One-Click' || unsubscribe === undefined)) {
    throw new MailRefusal(
      'E_HEADER_VALUE_INVALID',
      "Header 'List-Unsubscribe-Post' must be exactly 'List-Unsubscribe=One-Click', with a List-Unsubscribe header.",
    );
  }
  return checked;
}

/** Pure: what `env.EMAIL.send(builder)` would accept, as the message the mailbox keeps; throws a MailRefusal. */
export function acceptMessage(builder: unknown, now = new Date()): StoredMessage {
  if (typeof builder !== 'object' || builder === null)
    throw new MailRefusal('E_VALIDATION_ERROR', 'Send a JSON object.');
  const message = builder as Record<string, unknown>;
  for (const field of ['to', 'from', 'subject']) {
    if (message[field] === undefined || message[field] === '') {
      throw new MailRefusal('E_FIELD_MISSING', `Required field '${field}' is missing.`);
    }
  }
  if (typeof message.subject !== 'string') throw new MailRefusal('E_VALIDATION_ERROR', "'subject' must be a string.");
  const from = message.from as Address;
  checkAddresses('from', [from]);
  const recipients = ['to', 'cc', 'bcc'].flatMap((field) => {
    const addresses = listOf(message[field]);
    checkAddresses(field, addresses);
    return addresses;
  });
  if (recipients.length > MAX_RECIPIENTS) {
    throw new MailRefusal('E_TOO_MANY_RECIPIENTS', `At most ${MAX_RECIPIENTS} recipients in to, cc and bcc together.`);
  }
  const text = typeof message.text === 'string' ? message.text : '';
  const html = typeof message.html === 'string' ? message.html : '';
  if (!text && !html) throw new MailRefusal('E_FIELD_MISSING', "A message needs 'text' or 'html'.");
  return {
    id: randomUUID(),
    messageId: `<${randomUUID()}@${bareAddress(from).split('@')[1]}>`,
    to: recipients.map(bareAddress),
    from: shownAddress(from),
    subject: message.subject,
    text,
    html,
    headers: checkHeaders(message.headers),
    sentAt: now.toISOString(),
  };
}

export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const log = options.log ?? (() => {});
  const keep = options.keep ?? 1000;
  const stored: StoredMessage[] = [];
  /** Recipients whose mail is refused (POST /failures), so a test can see what a user sees when sending fails. */
  const failing = new Map<string, string>();

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      sendJson(res, 500, { code: 'E_INTERNAL_SERVER_ERROR', message: String(error) }),
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mailbox');
    if (req.method === 'POST' && url.pathname === '/send') {
      let message: StoredMessage;
      try {
        message = acceptMessage(JSON.parse(await readBody(req)));
      } catch (error) {
        if (error instanceof SyntaxError)
          return sendJson(res, 400, { code: 'E_VALIDATION_ERROR', message: 'Body is not JSON.' });
        if (error instanceof MailRefusal) return sendJson(res, 400, { code: error.code, message: error.message });
        throw error;
      }
      const refused = message.to.map((to) => failing.get(to.toLowerCase())).find(Boolean);
      if (refused)
        return sendJson(res, 502, { code: refused, message: `Delivery to ${message.to.join(', ')} failed.` });
      stored.unshift(message);
      stored.length = Math.min(stored.length, keep);
      log(`mailbox: "${message.subject}" to ${message.to.join(', ')}`);
      return sendJson(res, 200, { messageId: message.messageId });
    }
    if (req.method === 'GET' && url.pathname === '/messages') {
      const to = url.searchParams.get('to')?.toLowerCase();
      return sendJson(res, 200, to ? stored.filter((m) => m.to.some((a) => a.toLowerCase() === to)) : stored);
    }
    if (req.method === 'DELETE' && url.pathname === '/messages') {
      stored.length = 0;
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/failures') {
      const { to, code = 'E_DELIVERY_FAILED' } = JSON.parse(await readBody(req)) as { to?: string; code?: string };
      if (!to) return sendJson(res, 400, { code: 'E_FIELD_MISSING', message: "Required field 'to' is missing." });
      failing.set(to.toLowerCase(), code);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(mailboxPage(stored));
      return;
    }
    sendJson(res, 404, { code: 'E_NOT_FOUND', message: `Nothing at ${req.method} ${url.pathname}.` });
  }

  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve((server.address() as AddressInfo).port));
  });
  log(`mailbox: listening on http://${host}:${port}`);
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    messages: () => [...stored],
    close: () => (closing ??= stopServer(server)),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new MailRefusal('E_CONTENT_TOO_LARGE', 'Message is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page a person reads: newest first, each message's text part, headers and HTML part (sandboxed: no scripts). */
export function mailboxPage(messages: StoredMessage[]): string {
  const items = messages
    .map((m) => {
      const headers = Object.entries(m.headers)
        .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`)
        .join('');
      return `<article>
  <details>
    <summary><strong>${escapeHtml(m.subject)}</strong> <span>to ${escapeHtml(m.to.join(', '))}</span>
      <time datetime="${m.sentAt}">${escapeHtml(m.sentAt.replace('T', ' ').slice(0, 19))} UTC</time></summary>
    <p>From ${escapeHtml(m.from)}</p>
    ${headers ? `<dl>${headers}</dl>` : ''}
    <h2>Plain text</h2>
    <pre>${escapeHtml(m.text)}</pre>
    ${m.html ? `<h2>HTML</h2><iframe title="HTML part of ${escapeHtml(m.subject)}" sandbox srcdoc="${escapeHtml(m.html)}"></iframe>` : ''}
  </details>
</article>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lembas local mailbox</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
article { border-bottom: 1px solid #ccc; padding: .5rem 0; }
summary { cursor: pointer; }
summary span, time { color: #555; margin-left: .5rem; }
pre { white-space: pre-wrap; background: #f5f5f5; padding: .75rem; }
iframe { width: 100%; height: 24rem; border: 1px solid #ccc; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; font-size: .9rem; }
dt { font-weight: 600; } dd { margin: 0; word-break: break-all; }
</style>
</head>
<body>
<main>
<h1>Local mailbox</h1>
<p>Every message the Worker sent, newest first (${messages.length}). JSON: <a href="/messages">/messages</a>. Reload to see new mail.</p>
${items || '<p>No mail yet.</p>'}
</main>
</body>
</html>
`;
}
