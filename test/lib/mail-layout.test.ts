import { describe, expect, it } from 'vitest';
import { renderMail } from '../../lib/mail/layout';
import { passwordResetMail } from '../../lib/mail/templates/password-reset';

const site = { name: 'Ada <Notes>', url: 'https://blog.example' };

describe('renderMail', () => {
  it('renders the same words and links in both parts, HTML escaped', () => {
    const mail = renderMail({
      site,
      subject: 'A & B',
      blocks: [
        { kind: 'paragraph', text: 'Hello <script>alert(1)</script>' },
        { kind: 'action', label: 'Go', url: 'https://blog.example/x?a=1&b=2' },
        { kind: 'quote', text: 'line one\nline two' },
      ],
      footer: [{ kind: 'paragraph', text: 'Why you got this.' }],
    });
    expect(mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('href="https://blog.example/x?a=1&amp;b=2"');
    expect(mail.html).toContain('<title>A &amp; B</title>');
    expect(mail.html).toContain('Ada &lt;Notes&gt;');
    expect(mail.text).toContain('Hello <script>alert(1)</script>');
    expect(mail.text).toContain('Go: https://blog.example/x?a=1&b=2');
    expect(mail.text).toContain('> line one\n> line two');
    expect(mail.text).toContain('Why you got this.');
    expect(mail.text).toContain('Ada <Notes>: https://blog.example');
  });
});

describe('passwordResetMail', () => {
  it('carries the link and its lifetime in both parts', () => {
    const link = 'https://blog.example/reset?token=abc';
    const mail = passwordResetMail({ site, link, minutes: 60 });
    expect(mail.subject).toBe('Reset your Ada <Notes> password');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain(link);
      expect(part).toContain('60 minutes');
    }
  });
});
