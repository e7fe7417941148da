// The local mailbox keeps what the Worker sends, lists it newest first, and refuses what Email Service refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptMessage, MailRefusal, startMailbox, type Mailbox } from '../standins/mailbox';

let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
});
afterAll(() => mailbox.close());

const send = (body: unknown) =>
  fetch(`${mailbox.url}/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const message = (overrides: Record<string, unknown> = {}) => ({
  from: { email: 'noreply@blog.example', name: 'lembas' },
  to: 'ada@example.com',
  subject: 'Hello',
  text: 'Plain part',
  html: '<p>HTML part</p>',
  ...overrides,
});

describe('POST /send and GET /messages', () => {
  it('keeps each message and lists them newest first, with every field', async () => {
    const first = await send(message({ to: 'first@mailbox.test', subject: 'First' }));
    expect(first.status).toBe(200);
    expect((await first.json()) as object).toEqual({ messageId: expect.stringMatching(/^<.+@blog\.example>$/) });
    await send(message({ to: 'second@mailbox.test', subject: 'Second', headers: { 'X-Kind': 'test' } }));
    const listed = (await (await fetch(`${mailbox.url}/messages`)).json()) as Record<string, unknown>[];
    expect(listed.map((m) => m.subject).slice(0, 2)).toEqual(['Second', 'First']);
    expect(listed[0]).toEqual({
      id: expect.any(String),
      messageId: expect.any(String),
      to: ['second@mailbox.test'],
      from: 'lembas <noreply@blog.example>',
      subject: 'Second',
      text: 'Plain part',
      html: '<p>HTML part</p>',
      headers: { 'X-Kind': 'test' },
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('filters by recipient with ?to=, case-insensitively', async () => {
    await send(message({ to: ['Grace@Mailbox.test', 'other@mailbox.test'], subject: 'For Grace' }));
    const listed = (await (await fetch(`${mailbox.url}/messages?to=grace@mailbox.test`)).json()) as {
      subject: string;
    }[];
    expect(listed.map((m) => m.subject)).toEqual(['For Grace']);
  });

  it('shows the messages on a page a person can read, HTML parts sandboxed', async () => {
    await send(message({ to: 'page@mailbox.test', subject: 'Read <me>', html: '<p>hi</p><script>alert(1)</script>' }));
    const page = await (await fetch(`${mailbox.url}/`)).text();
    expect(page).toContain('Read &lt;me&gt;');
    expect(page).toContain('sandbox srcdoc="&lt;p&gt;hi&lt;/p&gt;&lt;script&gt;');
    expect(page).not.toContain('<script>alert(1)');
  });

  it('refuses sends to a recipient marked as failing, with the service error code', async () => {
    await fetch(`${mailbox.url}/failures`, { method: 'POST', body: JSON.stringify({ to: 'down@mailbox.test' }) });
    const refused = await send(message({ to: 'down@mailbox.test' }));
    expect(refused.status).toBe(502);
    expect(((await refused.json()) as { code: string }).code).toBe('E_DELIVERY_FAILED');
    const listed = (await (await fetch(`${mailbox.url}/messages?to=down@mailbox.test`)).json()) as unknown[];
    expect(listed).toEqual([]);
  });
});

describe('what Email Service refuses, the mailbox refuses', () => {
  const refusal = (body: unknown): string => {
    try {
      acceptMessage(body);
    } catch (error) {
      if (error instanceof MailRefusal) return error.code;
      throw error;
    }
    return 'accepted';
  };

  it('missing fields and bad addresses', () => {
    expect(refusal(message({ subject: undefined }))).toBe('E_FIELD_MISSING');
    expect(refusal(message({ to: undefined }))).toBe('E_FIELD_MISSING');
    expect(refusal(message({ text: undefined, html: undefined }))).toBe('E_FIELD_MISSING');
    expect(refusal(message({ to: 'not an address' }))).toBe('E_VALIDATION_ERROR');
    expect(refusal(message({ to: Array.from({ length: 51 }, (_, i) => `r${i}@x.test`) }))).toBe(
      'E_TOO_MANY_RECIPIENTS',
    );
  });

  it('headers off the allowlist, or set by the platform or an API field', () => {
    expect(refusal(message({ headers: { Date: 'Mon, 1 Jan 2026 00:00:00 +0000' } }))).toBe('E_HEADER_NOT_ALLOWED');
    expect(refusal(message({ headers: { 'Message-ID': '<a@b>' } }))).toBe('E_HEADER_NOT_ALLOWED');
    expect(refusal(message({ headers: { Subject: 'x' } }))).toBe('E_HEADER_USE_API_FIELD');
    expect(refusal(message({ headers: { 'X-Anything': '' } }))).toBe('E_HEADER_VALUE_INVALID');
    expect(refusal(message({ headers: { 'X-Injected': 'a\r\nBcc: b@c' } }))).toBe('E_HEADER_VALUE_INVALID');
    expect(refusal(message({ headers: { 'X-Long': 'x'.repeat(2049) } }))).toBe('E_HEADER_VALUE_TOO_LONG');
    expect(refusal(message({ headers: { 'Bad Header!': 'x' } }))).toBe('E_HEADER_NAME_INVALID');
  });

  it('one-click unsubscribe: an https link and the exact RFC 8058 value', () => {
    const oneClick = {
      'List-Unsubscribe': '<https://blog.example/u/abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    };
    expect(refusal(message({ headers: oneClick }))).toBe('accepted');
    expect(refusal(message({ headers: { ...oneClick, 'List-Unsubscribe': '<http://blog.example/u/abc>' } }))).toBe(
      'E_HEADER_VALUE_INVALID',
    );
    expect(refusal(message({ headers: { ...oneClick, 'List-Unsubscribe-Post': 'List-Unsubscribe=one-click' } }))).toBe(
      'E_HEADER_VALUE_INVALID',
    );
    expect(refusal(message({ headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }))).toBe(
      'E_HEADER_VALUE_INVALID',
    );
  });
});
