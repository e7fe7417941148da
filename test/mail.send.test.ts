// sendMail over both transports: the local mailbox (MAIL_CAPTURE_URL, as in dev and tests) and Email Service's
// send_email binding (Miniflare's simulation of it here), and how a failure reaches the user.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/env';
import { AppError } from '../lib/errors';
import { MailError, sendMail, sendMailOrFail, senderOf } from '../lib/mail/send';
import { testDeps, unique } from './helpers';
import { failMailTo, latestMailTo, mailTo } from './mailbox';

const message = (to: string) => ({
  to,
  subject: 'Hello',
  html: '<p>Hi</p>',
  text: 'Hi',
  headers: { 'X-Lembas-Kind': 'test' },
});

describe('sendMail', () => {
  it('delivers to the local mailbox when MAIL_CAPTURE_URL is set, from the site sender', async () => {
    const to = `${unique('mail')}@example.com`;
    const { messageId } = await sendMail(testDeps(), message(to));
    const stored = await latestMailTo(to);
    expect(stored).toMatchObject({ messageId, to: [to], subject: 'Hello', text: 'Hi', html: '<p>Hi</p>' });
    expect(stored.headers).toEqual({ 'X-Lembas-Kind': 'test' });
    expect(stored.from).toBe('lembas <noreply@blog.example>');
  });

  it('uses the send_email binding when no mailbox is configured (Miniflare simulates Email Service)', async () => {
    const config = { ...loadConfig(env), MAIL_CAPTURE_URL: undefined };
    expect(config.EMAIL).toBeDefined();
    const to = `${unique('binding')}@example.com`;
    const { messageId } = await sendMail({ config }, message(to));
    expect(messageId).toMatch(/blog\.example/);
    expect(await mailTo(to)).toEqual([]);
  });

  it('refuses with E_NOT_CONFIGURED when there is neither a binding nor a mailbox', async () => {
    const config = { ...loadConfig(env), MAIL_CAPTURE_URL: undefined, EMAIL: undefined };
    await expect(sendMail({ config }, message('x@example.com'))).rejects.toMatchObject({ code: 'E_NOT_CONFIGURED' });
  });

  it('reports the service error code when delivery is refused', async () => {
    const to = `${unique('down')}@example.com`;
    await failMailTo(to, 'E_RECIPIENT_SUPPRESSED');
    const error = await sendMail(testDeps(), message(to)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect(error).toMatchObject({ code: 'E_RECIPIENT_SUPPRESSED' });
  });

  it('sendMailOrFail turns a failure into a 503 that says what was not sent', async () => {
    const to = `${unique('down')}@example.com`;
    await failMailTo(to);
    const error = await sendMailOrFail(testDeps(), message(to), 'The reset link').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('The reset link could not be sent') });
  });
});

describe('senderOf', () => {
  it('defaults to noreply@ the site host, named after the site; MAIL_FROM and MAIL_FROM_NAME override', () => {
    const config = loadConfig(env);
    expect(senderOf(config)).toEqual({ email: 'noreply@blog.example', name: 'lembas' });
    expect(senderOf({ ...config, MAIL_FROM: 'hello@mail.example', MAIL_FROM_NAME: 'Ada\r\nBcc: x' })).toEqual({
      email: 'hello@mail.example',
      name: 'Ada Bcc: x',
    });
  });
});
