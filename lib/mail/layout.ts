// One message shape rendered twice: an HTML part (inline styles only, as mail clients strip <style>) and a plain-text
// part with the same words and links. Templates describe blocks; nothing here knows what a message is about.

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

/** The blog a message comes from: its name and public origin. */
export interface MailSite {
  name: string;
  url: string;
}

export type MailBlock =
  | { kind: 'paragraph'; text: string }
  /** A title (a newsletter's post): a heading in HTML, its own line in text. */
  | { kind: 'heading'; text: string }
  /** The one thing to do: a button in HTML, `label: url` on its own line in text. */
  | { kind: 'action'; label: string; url: string }
  /** Someone else's words (a comment), set apart. */
  | { kind: 'quote'; text: string };

export interface MailContent {
  site: MailSite;
  subject: string;
  blocks: MailBlock[];
  /** Small print under a rule: why this arrived, how to stop it. */
  footer: MailBlock[];
  headers?: Record<string, string>;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const paragraphStyle =
  'margin:0 0 16px;font:16px/1.5 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a';
const smallStyle = 'margin:0 0 8px;font:13px/1.5 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#555';

function blockHtml(block: MailBlock, style: string): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="${style}">${escapeHtml(block.text)}</p>`;
    case 'heading':
      return `<h1 style="margin:0 0 16px;font:bold 24px/1.3 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#1a1a1a">${escapeHtml(block.text)}</h1>`;
    case 'action':
      return (
        `<p style="${style}"><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:10px 18px;` +
        `background:#1f4f8f;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>` +
        `<p style="${smallStyle}">Or open this address: <a href="${escapeHtml(block.url)}">${escapeHtml(block.url)}</a></p>`
      );
    case 'quote':
      return (
        `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:3px solid #ccc;white-space:pre-wrap;` +
        `${paragraphStyle.replace('margin:0 0 16px;', '')}">${escapeHtml(block.text)}</blockquote>`
      );
  }
}

function blockText(block: MailBlock): string {
  switch (block.kind) {
    case 'paragraph':
    case 'heading':
      return block.text;
    case 'action':
      return `${block.label}: ${block.url}`;
    case 'quote':
      return block.text
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
  }
}

/** Pure: the HTML and plain-text parts of one message. */
export function renderMail(content: MailContent): RenderedMail {
  const { site } = content;
  const html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(content.subject)}</title></head>
<body style="margin:0;padding:24px;background:#ffffff">
<div style="max-width:560px;margin:0 auto">
<p style="${smallStyle}"><a href="${escapeHtml(site.url)}" style="color:#555">${escapeHtml(site.name)}</a></p>
${content.blocks.map((block) => blockHtml(block, paragraphStyle)).join('\n')}
<hr style="border:none;border-top:1px solid #ddd;margin:24px 0 12px">
${content.footer.map((block) => blockHtml(block, smallStyle)).join('\n')}
</div>
</body>
</html>
`;
  const text = [
    ...content.blocks.map(blockText),
    '-- ',
    ...content.footer.map(blockText),
    `${site.name}: ${site.url}`,
  ].join('\n\n');
  return {
    subject: content.subject,
    html,
    text: `${text}\n`,
    ...(content.headers ? { headers: content.headers } : {}),
  };
}
