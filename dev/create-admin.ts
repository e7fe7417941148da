// `npm run create-admin -- --email ada@example.com --username ada [--display-name "Ada Lovelace"] [--promote]`
//
// Creates an admin account, through the same Neon client and lib/ code the Worker uses (the local stand-in in
// front of PGlite under .data/, or of the PostgreSQL named by DATABASE_URL).
//
// - New email: creates an admin with the password read from LEMBAS_ADMIN_PASSWORD, or else prompted for twice on
//   the terminal without echo. The sign-up password rules apply (10-128 characters, not a common password).
// - Existing email: refused, unless --promote is given AND --username names that same account. Anyone can register
//   any email (addresses are not verified), so promoting whatever account holds it would hand admin to whoever
//   registered it first. With --promote the account is made admin and re-enabled; its password is left alone, so
//   LEMBAS_ADMIN_PASSWORD must not be set (it would silently be ignored).
// Set PASSWORD_PEPPER to the Worker's pepper secret if it has one, or the new admin will not be able to sign in.
// Set CACHE_NAMESPACE like the Worker's when REDIS_URL points at the Worker's Redis, so a promotion is seen at
// once. With the embedded database, stop `npm run dev` first: PGlite's files cannot be opened by two processes.
import { Redis } from '@upstash/redis/cloudflare';
import { parseArgs } from 'node:util';
import { hashPassword } from '../lib/auth/password';
import { invalidate } from '../lib/cache';
import { cacheKeys } from '../lib/cache-keys';
import { getUserByEmail, insertUser, promoteToAdmin } from '../lib/db/users';
import { fromDatabaseError } from '../lib/errors';
import { DisplayName, Email, NewPassword, Username } from '../lib/schemas/user';
import { startStack, type Stack } from './stack';

class CliError extends Error {}

function fail(message: string): never {
  throw new CliError(message);
}

function parseOptions(): { email: string; username: string; displayName?: string; promote: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        username: { type: 'string' },
        'display-name': { type: 'string' },
        promote: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const email = Email.safeParse(values.email);
  if (!email.success) fail('--email must be an email address, e.g. --email ada@example.com');
  const username = Username.safeParse(values.username);
  if (!username.success) fail('--username must be 3-32 letters, digits, underscores or hyphens');
  const displayName = values['display-name'] === undefined ? undefined : DisplayName.safeParse(values['display-name']);
  if (displayName && !displayName.success) fail('--display-name must be 1-80 characters');
  return {
    email: email.data,
    username: username.data,
    displayName: displayName?.data,
    promote: values.promote === true,
  };
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  stdin.setRawMode(true); // before the question, so nothing typed after seeing it is echoed
  process.stdout.write(question);
  return new Promise((resolve) => {
    let answer = '';
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(answer);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          process.stdout.write('\n');
          process.exit(130);
        }
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.LEMBAS_ADMIN_PASSWORD;
  let password: string;
  if (fromEnv !== undefined) {
    password = fromEnv;
  } else if (process.stdin.isTTY) {
    password = await promptHidden('Password for the new admin: ');
    if ((await promptHidden('Repeat it: ')) !== password) fail('the two passwords differ');
  } else {
    fail('no terminal to ask for a password on: set LEMBAS_ADMIN_PASSWORD');
  }
  const checked = NewPassword.safeParse(password);
  if (!checked.success) fail(`the password ${checked.error.issues.map((i) => i.message).join('; ')}`);
  return checked.data;
}

/** Drops the cached profile, so a Worker sharing this (real) Redis sees the new role at once. Best effort. */
async function forgetCachedProfile(stack: Stack, id: number): Promise<void> {
  if (!process.env.REDIS_URL) return; // the embedded engine lives and dies with this process
  const url = stack.workerVars.UPSTASH_REDIS_REST_URL!;
  const token = stack.workerVars.UPSTASH_REDIS_REST_TOKEN!;
  const redis = new Redis({ url, token, enableAutoPipelining: false });
  const namespace = process.env.CACHE_NAMESPACE ?? 'lembas';
  await invalidate({ redis, namespace, waitUntil: () => {} }, [cacheKeys.user(id)]).catch((error) =>
    console.warn(`create-admin: could not drop the cached profile (${error instanceof Error ? error.message : error})`),
  );
}

async function main(): Promise<void> {
  const options = parseOptions();
  const pepper = process.env.PASSWORD_PEPPER;
  const stack = await startStack({
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    pgliteDir: new URL('../.data/pglite', import.meta.url).pathname,
    upstashToken: 'create-admin-only',
  });
  try {
    const existing = await getUserByEmail(stack.sql, options.email);
    if (existing) {
      const who = `@${existing.username} (role ${existing.role}, since ${existing.createdAt.slice(0, 10)})`;
      if (!options.promote) {
        fail(`${options.email} already belongs to ${who}. If that is the right account, run again with --promote.`);
      }
      if (existing.username.toLowerCase() !== options.username.toLowerCase()) {
        fail(`${options.email} belongs to ${who}, not @${options.username}; refusing to promote it.`);
      }
      if (process.env.LEMBAS_ADMIN_PASSWORD) {
        fail('--promote keeps the account’s own password; unset LEMBAS_ADMIN_PASSWORD (it would be ignored).');
      }
      const promoted = await promoteToAdmin(stack.sql, options.email);
      if (!promoted) fail(`the account ${options.email} disappeared while promoting it`);
      await forgetCachedProfile(stack, promoted.id);
      console.log(
        `Promoted ${promoted.email} (@${promoted.username}, id ${promoted.id}) from ${existing.role} to admin; password unchanged.`,
      );
      return;
    }
    const password = await readPassword();
    const admin = await insertUser(stack.sql, {
      email: options.email,
      username: options.username,
      displayName: options.displayName ?? options.username,
      role: 'admin',
      passwordHash: await hashPassword(password, { pepper }),
    }).catch((error: unknown) => fail(fromDatabaseError(error)?.message ?? String(error)));
    console.log(`Created admin ${admin.email} (@${admin.username}, id ${admin.id}).`);
  } finally {
    await stack.close();
  }
}

await main().catch((error: unknown) => {
  console.error(`create-admin: ${error instanceof CliError ? error.message : error}`);
  process.exit(1);
});
