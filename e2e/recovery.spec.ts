// A reader who forgot their password gets it back through the mail: /forgot, the link read from the local mailbox
// (dev/standins/mailbox.ts, which `npm run dev` starts on LEMBAS_MAIL_PORT), a new password, and a sign-in with it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccessible } from './axe';
import { screenshot, signIn, signUpReader, url, visit } from './browser';

const MAILBOX = process.env.E2E_MAILBOX_URL ?? `http://127.0.0.1:${process.env.LEMBAS_MAIL_PORT ?? 8792}`;

interface Message {
  subject: string;
  text: string;
}

/** The newest message to the address, waiting briefly for it to arrive. */
async function latestMailTo(address: string): Promise<Message> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const messages = (await (await fetch(`${MAILBOX}/messages?to=${encodeURIComponent(address)}`)).json()) as Message[];
    if (messages[0]) return messages[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`no mail to ${address} reached the mailbox at ${MAILBOX}`);
}

describe('a reader who forgot their password', () => {
  it('resets it through the link read from the mailbox and signs in with the new one', async () => {
    await visit('desktop', async (page) => {
      const name = `forgetful${Date.now().toString(36)}`;
      const email = `${name}@example.com`;
      await signUpReader(page, name);
      await page.getByRole('button', { name: 'Sign out' }).first().click();
      await page.waitForLoadState('load');

      await page.goto(url('/login'));
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.waitForURL((target) => target.pathname === '/forgot');
      await assertAccessible(page);
      await page.locator('form[action="/forgot"] input[name="email"]').fill(email);
      await page.getByRole('button', { name: 'Mail me a link' }).click();
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

      const mail = await latestMailTo(email);
      const link = /https?:\/\/\S+\/reset\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
      assert.ok(link, `no reset link in: ${mail.text}`);
      // The link names the site's configured origin; the browser stays on the address the suite serves.
      const target = new URL(link);
      await page.goto(url(target.pathname + target.search));
      await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      await assertAccessible(page);
      await screenshot(page, 'reset-password', 'desktop');

      const newPassword = 'a brand new passphrase from the mailbox';
      await page.locator('input[name="password"]').fill(newPassword);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await page.waitForURL((target) => target.pathname === '/login');
      assert.match((await page.locator('[role="status"]').textContent()) ?? '', /password was changed/);

      await signIn(page, { email, password: newPassword });
      assert.equal(await page.locator('.viewer-name').textContent(), `Reader ${name}`);
    });
  });
});
