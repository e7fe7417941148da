// The in-memory engine's JS twins of the cache scripts (native-scripts.ts) against the Lua path they replace, and
// against real Redis when REDIS_URL is set: the same steps must give the same replies and leave the same state.

import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_SCRIPTS } from '../../lib/cache';
import type { Backend } from '../standins/upstash/backend';
import { createMemoryBackend } from '../standins/upstash/memory-backend';
import { nativeScriptFor, useNativeScripts } from '../standins/upstash/native-scripts';
import { connectRedis } from '../standins/upstash/redis-backend';
import { CommandError, type Reply } from '../standins/upstash/reply';

const REDIS_URL = process.env.REDIS_URL;
const { READ_OR_LEASE, FILL_IF_LEASED, TAKE_LEASE, RELEASE_LEASE, DROP_TAG } = CACHE_SCRIPTS;

/** Tests keep to db 9 unless the URL names one, as the stand-in tests do. */
function withDefaultDb(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = '/9';
  return parsed.toString();
}

type Step = { script: string; keys: string[]; args: string[] } | { command: string[] };

/** A page-sized value with multi-byte text, so byte handling is exercised on the way in and out. */
const PAGE = `~1796000000000\n"etag"\ntext/html\n${'<p>Grüße, ünïcödé — 31 KB</p>\n'.repeat(1100)}`;

function steps(p: string): Step[] {
  const [k, l, t, k2, l2, k3] = ['k', 'k#lease', 'tag', 'k2', 'k2#lease', 'k3'].map((name) => `${p}${name}`);
  const run = (script: string, keys: string[], ...args: string[]): Step => ({ script, keys, args });
  return [
    run(READ_OR_LEASE, [k!, l!, t!], 'tok1', '5000'),
    run(READ_OR_LEASE, [k!, l!, t!], 'tok2', '5000'),
    run(FILL_IF_LEASED, [k!, l!, t!], 'tok2', 'wrong holder', '60'),
    run(FILL_IF_LEASED, [k!, l!, t!], 'tok1', PAGE, '600'),
    run(READ_OR_LEASE, [k!, l!, t!], 'tok3', '5000'),
    run(TAKE_LEASE, [k!, l!, t!], 'tok4', '5000'),
    run(TAKE_LEASE, [k!, l!, t!], 'tok5', '5000'),
    run(RELEASE_LEASE, [l!], 'not-mine'),
    run(RELEASE_LEASE, [l!], 'tok4'),
    run(READ_OR_LEASE, [k2!, l2!], 'tok6', '5000'),
    run(FILL_IF_LEASED, [k2!, l2!], 'tok6', '~1\n', '30'),
    run(READ_OR_LEASE, [k2!, l2!], 'tok7', '5000'),
    run(DROP_TAG, [t!]),
    run(READ_OR_LEASE, [k!, l!, t!], 'tok8', '5000'),
    run(DROP_TAG, [t!]),
    run(FILL_IF_LEASED, [k!, l!, t!], 'tok8', PAGE, '600'),
    run(TAKE_LEASE, [k!, l!, t!], 'tok9', '5000'),
    run(FILL_IF_LEASED, [k!, l!, t!], 'tok9', 'short', '30'),
    { command: ['SADD', k3!, 'member'] },
    run(READ_OR_LEASE, [k3!, `${k3}#lease`], 'tok10', '5000'),
    { command: ['GET', k!] },
    { command: ['GET', k2!] },
    { command: ['EXISTS', l!, l2!] },
    { command: ['SMEMBERS', t!] },
  ];
}

/** Replies as text; an error as its message up to the script location, which a twin cannot know. */
function normalise(reply: Reply | CommandError): unknown {
  if (reply instanceof CommandError) return { error: reply.message.replace(/ script: .*$/, '') };
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map(normalise);
  return reply;
}

async function replay(backend: Backend, prefix: string): Promise<unknown[]> {
  const replies: unknown[] = [];
  for (const step of steps(prefix)) {
    const argv =
      'command' in step ? step.command : ['EVAL', step.script, String(step.keys.length), ...step.keys, ...step.args];
    replies.push(normalise(await backend.run(argv).catch((error: CommandError) => error)));
  }
  // TTLs differ by the clock; what must agree is that the tag set and the page expire at all.
  const ttls = await Promise.all([`${prefix}k`, `${prefix}tag`].map((key) => backend.run(['TTL', key])));
  replies.push(ttls.map((ttl) => (ttl as number) > 0));
  return replies;
}

afterEach(() => useNativeScripts(true));

describe('native twins of the cache scripts', () => {
  it('exist for every cache script, matched by exact text', () => {
    for (const source of Object.values(CACHE_SCRIPTS)) expect(nativeScriptFor(source)).toBeTypeOf('function');
    expect(nativeScriptFor(`${READ_OR_LEASE} `)).toBeUndefined();
  });

  it('answer and change state exactly as the Lua path does', async () => {
    const native = createMemoryBackend(() => {});
    const lua = createMemoryBackend(() => {});
    try {
      const fast = await replay(native, 'n:');
      useNativeScripts(false);
      const slow = await replay(lua, 'n:');
      expect(fast).toEqual(slow);
      // The run really went through each path: a page was served, leases were refused, a wrong type failed.
      expect(fast[4]).toEqual(['hit', PAGE]);
      expect(fast[1]).toEqual(['busy', '']);
      expect(fast[19]).toEqual({ error: expect.stringMatching(/^WRONGTYPE/) });
    } finally {
      await Promise.all([native.close(), lua.close()]);
    }
  });

  it.skipIf(!REDIS_URL)('answer and change state exactly as real Redis does', async () => {
    const redis = await connectRedis(withDefaultDb(REDIS_URL!), () => {});
    const memory = createMemoryBackend(() => {});
    const prefix = `lembas-test:${randomUUID().slice(0, 8)}:`;
    try {
      const real = await replay(redis, prefix);
      expect(await replay(memory, prefix)).toEqual(real);
    } finally {
      const keys = (await redis.run(['KEYS', `${prefix}*`])) as string[];
      if (keys.length > 0) await redis.run(['DEL', ...keys]);
      await Promise.all([redis.close(), memory.close()]);
    }
  });
});
