// The Upstash REST stand-in driven by the real @upstash/redis client and raw HTTP, on ioredis-mock and, when
// REDIS_URL is set, on real Redis, plus a differential run proving both backends answer the same.

import { createHash, randomUUID } from 'node:crypto';
import { Redis } from '@upstash/redis';
import { Ratelimit } from '@upstash/ratelimit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstashRest, type StandIn } from '../standins/upstash-rest';

const TOKEN = 'standin-test-token';
const RUN = `lembas-test:${randomUUID().slice(0, 8)}:`;
const REDIS_URL = process.env.REDIS_URL;

interface BackendCase {
  label: string;
  redisUrl?: string;
}

const BACKENDS: BackendCase[] = [
  { label: 'ioredis-mock' },
  ...(REDIS_URL ? [{ label: 'real Redis', redisUrl: withDefaultDb(REDIS_URL) }] : []),
];

/** Tests keep to db 9 (unless the URL names one) and a per-run key prefix, so a developer's data is never touched. */
function withDefaultDb(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '' || parsed.pathname === '/') parsed.pathname = '/9';
  return parsed.toString();
}

interface RawResponse {
  status: number;
  text: string;
  json: unknown;
}

interface RawOptions {
  token?: string | null;
  base64?: boolean;
  method?: string;
  body?: string;
}

async function post(standIn: StandIn, path: string, body: unknown, options: RawOptions = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.base64) headers['upstash-encoding'] = 'base64';
  const method = options.method ?? 'POST';
  const payload = method === 'GET' ? undefined : (options.body ?? JSON.stringify(body));
  const response = await fetch(`${standIn.url}${path}`, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, text, json: text ? (JSON.parse(text) as unknown) : null };
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function clientFor(standIn: StandIn, autoPipelining: boolean, base64: boolean, token = TOKEN): Redis {
  return new Redis({
    url: standIn.url,
    token,
    retry: false,
    enableAutoPipelining: autoPipelining,
    responseEncoding: base64 ? 'base64' : false,
    enableTelemetry: false,
  });
}

/** SCAN + DEL of everything under the run prefix, through the stand-in itself. */
async function deleteRunKeys(standIn: StandIn): Promise<void> {
  let cursor = '0';
  do {
    const { json } = await post(standIn, '/', ['scan', cursor, 'match', `${RUN}*`, 'count', 500]);
    const [next, keys] = (json as { result: [string, string[]] }).result;
    if (keys.length > 0) await post(standIn, '/', ['del', ...keys]);
    cursor = next;
  } while (cursor !== '0');
}

for (const backend of BACKENDS) {
  describe(`Upstash REST stand-in on ${backend.label}`, () => {
    let standIn: StandIn;

    beforeAll(async () => {
      standIn = await startUpstashRest({ token: TOKEN, redisUrl: backend.redisUrl });
    });

    afterAll(async () => {
      await deleteRunKeys(standIn);
      await standIn.close();
    });

    it('reports its backend', () => {
      expect(standIn.backend).toBe(backend.redisUrl ? 'redis' : 'memory');
      expect(standIn.url).toBe(`http://127.0.0.1:${standIn.port}`);
    });

    for (const autoPipelining of [true, false]) {
      for (const base64 of [true, false]) {
        describe(`real client, autoPipelining=${autoPipelining}, base64=${base64}`, () => {
          clientSuite(
            () => standIn,
            autoPipelining,
            base64,
            `${RUN}${autoPipelining ? 'ap' : 'np'}-${base64 ? 'b64' : 'utf8'}:`,
          );
        });
      }
    }

    describe('raw HTTP', () => {
      rawHttpSuite(() => standIn, `${RUN}raw:`, !backend.redisUrl);
    });

    describe('scripts with a shebang (as @upstash/ratelimit sends them)', () => {
      it('runs `#!lua flags=allow-key-locking` scripts, and EVALSHA of the original sha keeps working', async () => {
        const redis = clientFor(standIn, false, true);
        const key = `${RUN}shebang:counter`;
        const script = redis.createScript<number>("#!lua flags=allow-key-locking\nreturn redis.call('INCR', KEYS[1])");
        expect(await script.exec([key], [])).toBe(1);
        standIn.resetStats();
        expect(await script.exec([key], [])).toBe(2);
        expect(standIn.requestCount()).toBe(1); // EVALSHA hit the script cache: no NOSCRIPT, no EVAL
      });

      it('lets @upstash/ratelimit count and refuse', async () => {
        const limiter = new Ratelimit({
          redis: clientFor(standIn, false, true),
          // A window far longer than the test: the three calls must fall in one window, or the third may pass
          // (a sliding window only weighs the previous window's count), which made this flaky on a loaded machine.
          limiter: Ratelimit.slidingWindow(2, '1 d'),
          prefix: `${RUN}ratelimit`,
        });
        const results = [];
        for (let i = 0; i < 3; i++) results.push(await limiter.limit('client-a'));
        expect(results.map((r) => r.success)).toEqual([true, true, false]);
        expect(results[2]?.remaining).toBe(0);
        expect((await limiter.limit('client-b')).success).toBe(true);
      });
    });
  });
}

function clientSuite(getStandIn: () => StandIn, autoPipelining: boolean, base64: boolean, prefix: string): void {
  let redis: Redis;
  const key = (name: string): string => `${prefix}${name}`;

  beforeAll(() => {
    redis = clientFor(getStandIn(), autoPipelining, base64);
  });

  it('round-trips objects, "007", big-number strings, numbers and UTF-8', async () => {
    const emoji = 'héllo 👋 世界 — ünïcödé';
    await redis.set(key('obj'), { title: 'Hi', tags: ['a', 'b'], n: 1.5, nested: { ok: true } });
    await redis.set(key('007'), '007');
    await redis.set(key('big'), '9007199254740993');
    await redis.set(key('num'), 42);
    await redis.set(key('emoji'), emoji);
    expect(await redis.get(key('obj'))).toEqual({ title: 'Hi', tags: ['a', 'b'], n: 1.5, nested: { ok: true } });
    expect(await redis.get(key('007'))).toBe('007');
    expect(await redis.get(key('big'))).toBe('9007199254740993');
    expect(await redis.get(key('num'))).toBe(42);
    expect(await redis.get(key('emoji'))).toBe(emoji);
  });

  it('returns null for missing keys, alone and inside mget', async () => {
    await redis.set(key('present'), 'here');
    expect(await redis.get(key('missing'))).toBeNull();
    expect(await redis.mget(key('present'), key('missing'))).toEqual(['here', null]);
    expect(await redis.hgetall(key('missing-hash'))).toBeNull();
  });

  it('set nx writes only once', async () => {
    expect(await redis.set(key('nx'), 'first', { nx: true })).toBe('OK');
    expect(await redis.set(key('nx'), 'second', { nx: true })).toBeNull();
    expect(await redis.get(key('nx'))).toBe('first');
  });

  it('set ex/px gives ttl/pttl, and missing or persistent keys give -2/-1', async () => {
    await redis.set(key('ex'), 'v', { ex: 100 });
    await redis.set(key('px'), 'v', { px: 50_000 });
    await redis.set(key('forever'), 'v');
    expect(await redis.ttl(key('ex'))).toBeGreaterThanOrEqual(99);
    expect(await redis.ttl(key('ex'))).toBeLessThanOrEqual(100);
    const pttl = await redis.pttl(key('px'));
    expect(pttl).toBeGreaterThan(45_000);
    expect(pttl).toBeLessThanOrEqual(50_000);
    expect(await redis.ttl(key('forever'))).toBe(-1);
    expect(await redis.ttl(key('nothing'))).toBe(-2);
  });

  it('keepTtl keeps the expiry while a plain set clears it', async () => {
    await redis.set(key('keep'), 'v1', { ex: 100 });
    await redis.set(key('keep'), 'v2', { keepTtl: true });
    expect(await redis.get(key('keep'))).toBe('v2');
    expect(await redis.ttl(key('keep'))).toBeGreaterThanOrEqual(99);
    await redis.set(key('keep'), 'v3');
    expect(await redis.ttl(key('keep'))).toBe(-1);
  });

  it('incr/incrby/decr count, and incr on a non-integer fails', async () => {
    expect(await redis.incr(key('counter'))).toBe(1);
    expect(await redis.incrby(key('counter'), 10)).toBe(11);
    expect(await redis.decr(key('counter'))).toBe(10);
    await redis.set(key('word'), 'abc');
    await expect(redis.incr(key('word'))).rejects.toThrow(/value is not an integer or out of range/);
    await redis.set(key('float'), '1.5');
    await expect(redis.incr(key('float'))).rejects.toThrow(/not an integer/);
  });

  it('del and unlink return how many keys they removed', async () => {
    await redis.set(key('d1'), 1);
    await redis.set(key('d2'), 2);
    await redis.set(key('d3'), 3);
    expect(await redis.del(key('d1'), key('d2'), key('nope'))).toBe(2);
    expect(await redis.unlink(key('d3'), key('nope'))).toBe(1);
    expect(await redis.exists(key('d1'), key('d2'), key('d3'))).toBe(0);
  });

  it('expire sets a ttl only on existing keys', async () => {
    await redis.set(key('exp'), 'v');
    expect(await redis.expire(key('exp'), 60)).toBe(1);
    expect(await redis.expire(key('exp-missing'), 60)).toBe(0);
    expect(await redis.ttl(key('exp'))).toBeGreaterThanOrEqual(59);
    expect(await redis.pexpire(key('exp'), 1)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await redis.get(key('exp'))).toBeNull();
  });

  it('scan with match/count walks every key and ends at cursor "0"', async () => {
    const expected = Array.from({ length: 23 }, (_, index) => key(`scan:${index}`));
    await Promise.all(expected.map((name) => redis.set(name, 'x')));
    const seen = new Set<string>();
    let cursor: string | number = '0';
    let rounds = 0;
    do {
      const [next, keys]: [string, string[]] = await redis.scan(cursor, { match: key('scan:*'), count: 5 });
      expect(typeof next).toBe('string');
      keys.forEach((name) => seen.add(name));
      cursor = next;
      rounds += 1;
    } while (cursor !== '0' && rounds < 1000);
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('hset/hget/hgetall turn hashes into objects', async () => {
    expect(await redis.hset(key('hash'), { title: 'Post', views: 3, meta: { a: 1 } })).toBe(3);
    expect(await redis.hget(key('hash'), 'title')).toBe('Post');
    expect(await redis.hgetall(key('hash'))).toEqual({ title: 'Post', views: 3, meta: { a: 1 } });
    expect(await redis.hincrby(key('hash'), 'views', 2)).toBe(5);
  });

  it('eval converts tables, numbers and nil like Redis', async () => {
    await redis.set(key('lua'), 'from-lua');
    expect(await redis.eval('return {1, "two", 3.9, nil, 5}', [], [])).toEqual([1, 'two', 3]);
    expect(await redis.eval('return 7.9', [], [])).toBe(7);
    expect(await redis.eval('return nil', [], [])).toBeNull();
    expect(await redis.eval('return false', [], [])).toBeNull();
    expect(await redis.eval('return true', [], [])).toBe(1);
    expect(await redis.eval('return redis.call("GET", KEYS[1])', [key('lua')], [])).toBe('from-lua');
    expect(await redis.eval('return redis.call("GET", KEYS[1])', [key('lua-missing')], [])).toBeNull();
    expect(await redis.eval('return ARGV[1] .. ARGV[2]', [], ['a', 'b'])).toBe('ab');
  });

  it('createScript falls back from NOSCRIPT to EVAL, then EVALSHA hits the cache', async () => {
    const marker = randomUUID();
    const script = redis.createScript<string>(`return ARGV[1] .. "-${marker}"`);
    expect(await script.exec([], ['x'])).toBe(`x-${marker}`);
    expect(await script.evalsha([], ['y'])).toBe(`y-${marker}`);
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/);
  });

  it('pipeline reports per-command errors with keepErrors and throws without', async () => {
    const withErrors = redis.pipeline();
    withErrors.set(key('pipe'), 'abc');
    withErrors.incr(key('pipe'));
    withErrors.get(key('pipe'));
    const results = await withErrors.exec({ keepErrors: true });
    expect(results[0]).toEqual({ result: 'OK', error: undefined });
    expect(results[1]?.error).toMatch(/not an integer/);
    expect(results[2]).toEqual({ result: 'abc', error: undefined });

    const failing = redis.pipeline();
    failing.get(key('pipe'));
    failing.incr(key('pipe'));
    await expect(failing.exec()).rejects.toThrow(/Command 2 \[ incr \] failed/);
  });

  it('multi runs a transaction and reports per-command errors', async () => {
    const tx = redis.multi();
    tx.set(key('tx'), 1);
    tx.incr(key('tx'));
    tx.get(key('tx'));
    expect(await tx.exec()).toEqual(['OK', 2, 2]);

    const mixed = redis.multi();
    mixed.set(key('tx-word'), 'abc');
    mixed.incr(key('tx-word'));
    mixed.get(key('tx-word'));
    const results = await mixed.exec({ keepErrors: true });
    expect(results[1]?.error).toMatch(/not an integer/);
    expect(results[2]?.result).toBe('abc');
  });

  it(`Promise.all ${autoPipelining ? 'shares' : 'does not share'} requests`, async () => {
    const standIn = getStandIn();
    await redis.set(key('batch'), 'b');
    standIn.resetStats();
    const results = await Promise.all([
      redis.get(key('batch')),
      redis.set(key('batch-2'), 'c'),
      redis.incr(key('batch-n')),
      redis.get(key('batch-missing')),
      redis.exists(key('batch')),
    ]);
    expect(results).toEqual(['b', 'OK', 1, null, 1]);
    if (autoPipelining) expect(standIn.requestCount()).toBeLessThanOrEqual(2);
    else expect(standIn.requestCount()).toBe(5);
  });

  it('rejects a wrong token', async () => {
    const intruder = clientFor(getStandIn(), autoPipelining, base64, 'wrong-token');
    await expect(intruder.get(key('anything'))).rejects.toThrow(/unauthorized/i);
  });
}

function rawHttpSuite(getStandIn: () => StandIn, prefix: string, isMemory: boolean): void {
  const key = (name: string): string => `${prefix}${name}`;

  it('answers the documented examples: SET → {"result":"OK"}, base64 GET → {"result":"YmFy"}', async () => {
    const set = await post(getStandIn(), '/', ['SET', key('foo'), 'bar']);
    expect(set.status).toBe(200);
    expect(set.text).toBe('{"result":"OK"}');
    const get = await post(getStandIn(), '/', ['GET', key('foo')], { base64: true });
    expect(get.text).toBe('{"result":"YmFy"}');
    const plain = await post(getStandIn(), '/', ['GET', key('foo')]);
    expect(plain.text).toBe('{"result":"bar"}');
  });

  it('answers a stored lone surrogate as U+FFFD, as Redis (which stores UTF-8 bytes) does', async () => {
    await post(getStandIn(), '/', ['SET', key('lone'), 'a\ud800b']);
    const plain = await post(getStandIn(), '/', ['GET', key('lone')]);
    expect(plain.json).toEqual({ result: 'a\ufffdb' });
  });

  it('always includes result, null for a missing key', async () => {
    const response = await post(getStandIn(), '/', ['get', key('missing')]);
    expect(response.text).toBe('{"result":null}');
  });

  it('refuses a wrong or missing token with 401 JSON', async () => {
    const wrong = await post(getStandIn(), '/', ['PING'], { token: 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ error: expect.any(String) });
    const missing = await post(getStandIn(), '/pipeline', [['PING']], { token: null });
    expect(missing.status).toBe(401);
  });

  it('answers bad methods with 405 and bad bodies with 400, as JSON', async () => {
    const getMethod = await post(getStandIn(), '/', null, { method: 'GET' });
    expect(getMethod.status).toBe(405);
    expect((getMethod.json as { error: string }).error).toMatch(/^ERR /);
    for (const body of ['{not json', '{"a":1}', '[]', '[["set","k",{"a":1}]]']) {
      const response = await post(getStandIn(), '/', null, { body });
      expect(response.status).toBe(400);
      expect((response.json as { error: string }).error).toMatch(/^ERR /);
    }
    const emptyPipeline = await post(getStandIn(), '/pipeline', [[]]);
    expect(emptyPipeline.status).toBe(400);
    expect((await post(getStandIn(), '/', ['PING'])).json).toEqual({ result: 'PONG' });
  });

  it('serves a path prefix and trailing slashes', async () => {
    expect((await post(getStandIn(), '/some/prefix/', ['ECHO', 'hi'])).json).toEqual({ result: 'hi' });
    const pipeline = await post(getStandIn(), '/some/prefix/pipeline/', [
      ['ECHO', 'a'],
      ['ECHO', 'b'],
    ]);
    expect(pipeline.json).toEqual([{ result: 'a' }, { result: 'b' }]);
    const multi = await post(getStandIn(), '/some/prefix/multi-exec', [['ECHO', 'c']]);
    expect(multi.json).toEqual([{ result: 'c' }]);
  });

  it('stringifies numbers and booleans and matches names and keywords in any case', async () => {
    await post(getStandIn(), '/', ['sEt', key('num'), 42, 'Ex', 100]);
    await post(getStandIn(), '/', ['SET', key('bool'), true]);
    expect((await post(getStandIn(), '/', ['GET', key('num')])).json).toEqual({ result: '42' });
    expect((await post(getStandIn(), '/', ['get', key('bool')])).json).toEqual({ result: 'true' });
    expect((await post(getStandIn(), '/', ['TtL', key('num')])).json).toEqual({ result: 100 });
    expect((await post(getStandIn(), '/', ['set', key('num'), 1, 'nX'])).json).toEqual({ result: null });
  });

  it('base64-encodes every nested string, including the SCAN cursor, but never errors or integers', async () => {
    await post(getStandIn(), '/', ['SET', key('enc'), 'é']);
    const scan = await post(getStandIn(), '/', ['SCAN', '0', 'MATCH', key('enc'), 'COUNT', 1000], { base64: true });
    const [cursor, keys] = (scan.json as { result: [string, string[]] }).result;
    expect(Buffer.from(cursor, 'base64').toString()).toMatch(/^\d+$/);
    expect(keys.every((item) => /^[A-Za-z0-9+/=]*$/.test(item))).toBe(true);
    const pipeline = await post(
      getStandIn(),
      '/pipeline',
      [['GET', key('enc')], ['INCR', key('enc')], ['EXISTS', key('enc')], ['PING']],
      { base64: true },
    );
    expect(pipeline.status).toBe(200);
    expect(pipeline.json).toEqual([
      { result: b64('é') },
      { error: 'ERR value is not an integer or out of range' },
      { result: 1 },
      { result: b64('PONG') },
    ]);
  });

  it('answers a multi-exec discarded as a whole with a non-2xx single error', async () => {
    const unknown = await post(getStandIn(), '/multi-exec', [
      ['SET', key('m'), 'x'],
      ['NOSUCHCOMMAND', 'a'],
    ]);
    expect(unknown.status).toBe(400);
    expect((unknown.json as { error: string }).error).toMatch(/EXECABORT/);
    const arity = await post(getStandIn(), '/multi-exec', [['SET', key('m')]]);
    expect(arity.status).toBe(400);
    expect((await post(getStandIn(), '/', ['EXISTS', key('m')])).json).toEqual({ result: 0 });
    const refused = await post(getStandIn(), '/multi-exec', [['SELECT', '1']]);
    expect(refused.status).toBe(400);
  });

  it('gives Redis errors: WRONGTYPE, unknown command, NOSCRIPT, refused connection-state commands', async () => {
    await post(getStandIn(), '/', ['HSET', key('h'), 'f', 'v']);
    const wrongType = await post(getStandIn(), '/', ['GET', key('h')]);
    expect(wrongType.status).toBe(400);
    expect((wrongType.json as { error: string }).error).toMatch(/^WRONGTYPE/);
    expect((await post(getStandIn(), '/', ['NOSUCHCOMMAND'])).json).toEqual({
      error: expect.stringMatching(/^ERR unknown command/),
    });
    expect((await post(getStandIn(), '/', ['EVALSHA', 'f'.repeat(40), 0])).json).toEqual({
      error: expect.stringMatching(/^NOSCRIPT/),
    });
    for (const command of [
      ['SELECT', '2'],
      ['MULTI'],
      ['WATCH', key('h')],
      ['SUBSCRIBE', 'c'],
      ['CLIENT', 'LIST'],
      ['AUTH', 'x'],
    ]) {
      const response = await post(getStandIn(), '/', command);
      expect(response.status).toBe(400);
    }
    expect((await post(getStandIn(), '/', ['PING'])).json).toEqual({ result: 'PONG' });
  });

  it('counts REST requests, serves /__standin/stats and /__standin/reset, and applies the delay', async () => {
    const standIn = getStandIn();
    standIn.resetStats();
    await post(standIn, '/', ['PING']);
    await post(standIn, '/pipeline', [['PING'], ['PING']]);
    await post(standIn, '/multi-exec', [['PING']]);
    expect(standIn.requestCount()).toBe(3);
    const stats = await fetch(`${standIn.url}/__standin/stats`);
    expect(await stats.json()).toEqual({ backend: standIn.backend, requests: 3 });
    await fetch(`${standIn.url}/__standin/reset`, { method: 'POST' });
    expect(standIn.requestCount()).toBe(0);

    standIn.setDelay(150);
    const started = Date.now();
    await post(standIn, '/', ['PING']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    standIn.setDelay(0);
  });

  it('runs rate-limit style Lua: INCRBY + PEXPIRE, HMGET/HSET buckets, ZADD windows', async () => {
    const fixedWindow = `
      local count = redis.call("INCRBY", KEYS[1], ARGV[2])
      if count == tonumber(ARGV[2]) then redis.call("PEXPIRE", KEYS[1], ARGV[1]) end
      return {count, redis.call("PTTL", KEYS[1]) > 0 and 1 or 0}`;
    const first = await post(getStandIn(), '/', ['EVAL', fixedWindow, 1, key('fw'), 60_000, 1]);
    const second = await post(getStandIn(), '/', ['EVAL', fixedWindow, 1, key('fw'), 60_000, 1]);
    expect(first.json).toEqual({ result: [1, 1] });
    expect(second.json).toEqual({ result: [2, 1] });

    const bucket = `
      local state = redis.call("HMGET", KEYS[1], "refilledAt", "tokens")
      local tokens = tonumber(state[2]) or tonumber(ARGV[1])
      local now = tonumber(ARGV[2])
      tokens = tokens - 1
      redis.call("HSET", KEYS[1], "refilledAt", now, "tokens", tokens)
      redis.call("PEXPIRE", KEYS[1], 10000)
      return {tokens, now + 1000, state[1] == false and 1 or 0}`;
    const now = 1_767_225_600_123;
    expect((await post(getStandIn(), '/', ['EVAL', bucket, 1, key('tb'), 10, now])).json).toEqual({
      result: [9, now + 1000, 1],
    });
    expect((await post(getStandIn(), '/', ['EVAL', bucket, 1, key('tb'), 10, now])).json).toEqual({
      result: [8, now + 1000, 0],
    });
    expect((await post(getStandIn(), '/', ['HGET', key('tb'), 'refilledAt'])).json).toEqual({ result: String(now) });

    const sliding = `
      redis.call("ZREMRANGEBYSCORE", KEYS[1], 0, tonumber(ARGV[1]) - 1000)
      redis.call("ZADD", KEYS[1], ARGV[1], ARGV[2])
      return redis.call("ZCARD", KEYS[1])`;
    for (const [at, member, expected] of [
      [1000, 'a', 1],
      [1500, 'b', 2],
      [2600, 'c', 1],
    ] as const) {
      expect((await post(getStandIn(), '/', ['EVAL', sliding, 1, key('sw'), at, member])).json).toEqual({
        result: expected,
      });
    }
  });

  it('turns errors raised inside scripts into error replies, and redis.pcall into values', async () => {
    await post(getStandIn(), '/', ['SET', key('lua-word'), 'abc']);
    const raised = await post(getStandIn(), '/', ['EVAL', 'return redis.call("INCR", KEYS[1])', 1, key('lua-word')]);
    expect(raised.status).toBe(400);
    expect((raised.json as { error: string }).error).toMatch(/not an integer/);
    const caught = await post(getStandIn(), '/', [
      'EVAL',
      'local r = redis.pcall("INCR", KEYS[1]); return r.err',
      1,
      key('lua-word'),
    ]);
    expect(caught.json).toEqual({ result: 'ERR value is not an integer or out of range' });
    const status = await post(getStandIn(), '/', [
      'EVAL',
      'return redis.call("SET", KEYS[1], "x").ok',
      1,
      key('lua-status'),
    ]);
    expect(status.json).toEqual({ result: 'OK' });
    const syntax = await post(getStandIn(), '/', ['EVAL', 'return (', 0]);
    expect(syntax.status).toBe(400);
    expect((syntax.json as { error: string }).error).toMatch(/^ERR/);
  });

  it.runIf(isMemory)('flushall empties the keyspace but keeps loaded scripts', async () => {
    const load = await post(getStandIn(), '/', ['SCRIPT', 'LOAD', 'return 99']);
    const sha = (load.json as { result: string }).result;
    await post(getStandIn(), '/', ['SET', key('flush'), 'x']);
    expect((await post(getStandIn(), '/', ['FLUSHALL'])).json).toEqual({ result: 'OK' });
    expect((await post(getStandIn(), '/', ['DBSIZE'])).json).toEqual({ result: 0 });
    expect((await post(getStandIn(), '/', ['EVALSHA', sha, 0])).json).toEqual({ result: 99 });
  });

  it.runIf(isMemory)('survives a runaway script: it times out as an error and the server keeps answering', async () => {
    const response = await post(getStandIn(), '/', ['EVAL', 'while true do end', 0]);
    expect(response.status).toBe(400);
    expect((response.json as { error: string }).error).toMatch(/timed out/);
    expect((await post(getStandIn(), '/', ['PING'])).json).toEqual({ result: 'PONG' });
  });
}

/** One command list through both backends; replies, error texts included, must be JSON-equal. */
describe.runIf(REDIS_URL)('differential: ioredis-mock and real Redis give the same replies', () => {
  let memory: StandIn;
  let real: StandIn;
  const key = (name: string): string => `${RUN}diff:${name}`;

  beforeAll(async () => {
    memory = await startUpstashRest({ token: TOKEN });
    real = await startUpstashRest({ token: TOKEN, redisUrl: withDefaultDb(REDIS_URL ?? '') });
  });

  afterAll(async () => {
    await deleteRunKeys(real);
    await Promise.all([memory.close(), real.close()]);
  });

  const commands = (): unknown[][] => [
    ['SET', key('s'), 'bar'],
    ['GET', key('s')],
    ['SET', key('s'), 'x', 'nx'],
    ['SET', key('s'), 'y', 'xx', 'get'],
    ['GET', key('s')],
    ['SET', key('n'), 10],
    ['INCR', key('n')],
    ['INCRBY', key('n'), -3],
    ['DECR', key('n')],
    ['INCR', key('s')],
    ['INCRBY', key('n'), 'x'],
    ['MGET', key('s'), key('missing'), key('n')],
    ['SET', key('t'), 'v', 'ex', 100],
    ['TTL', key('t')],
    ['SET', key('t'), 'w', 'keepttl'],
    ['TTL', key('t')],
    ['SET', key('t'), 'z'],
    ['TTL', key('t')],
    ['EXPIRE', key('t'), 50, 'nx'],
    ['EXPIRE', key('t'), 40, 'gt'],
    ['EXPIRE', key('t'), 40, 'lt'],
    ['TTL', key('t')],
    ['EXPIRE', key('missing'), 10],
    ['TTL', key('missing')],
    ['PERSIST', key('t')],
    ['TTL', key('t')],
    ['SETEX', key('se'), 30, 'v'],
    ['TTL', key('se')],
    ['SET', key('s'), 'v', 'ex', 0],
    ['SET', key('s'), 'v', 'nx', 'xx'],
    ['SET', key('s'), 'v', 'ex', 'soon'],
    ['EXISTS', key('s'), key('t'), key('missing'), key('s')],
    ['HSET', key('h'), 'a', '1', 'b', '2'],
    ['HSET', key('h'), 'b', '3', 'c', '4'],
    ['HGET', key('h'), 'b'],
    ['HGETALL', key('h')],
    ['HINCRBY', key('h'), 'a', 5],
    ['HGET', key('h'), 'zz'],
    ['HMGET', key('h'), 'a', 'zz'],
    ['HDEL', key('h'), 'a', 'zz'],
    ['HGETALL', key('h')],
    ['GET', key('h')],
    ['HGET', key('s'), 'x'],
    ['TYPE', key('h')],
    ['LPUSH', key('l'), 'a', 'b', 'c'],
    ['RPUSH', key('l'), 'd'],
    ['LRANGE', key('l'), 0, -1],
    ['LRANGE', key('l'), -100, 1],
    ['LRANGE', key('l'), 5, 10],
    ['LLEN', key('l')],
    ['ZADD', key('z'), 1, 'a', 2, 'b', 3, 'c'],
    ['ZADD', key('z'), 'xx', 'ch', 5, 'a', 9, 'nope'],
    ['ZRANGE', key('z'), 0, -1, 'withscores'],
    ['ZCARD', key('z')],
    ['ZSCORE', key('z'), 'b'],
    ['ZREMRANGEBYSCORE', key('z'), '-inf', '(3'],
    ['ZRANGE', key('z'), 0, -1],
    ['ZADD', key('z'), 'incr', 2, 'a'],
    ['ZREMRANGEBYSCORE', key('z'), 0, 100],
    ['EXISTS', key('z')],
    ['SADD', key('set'), 'x', 'y', 'x'],
    ['SCARD', key('set')],
    ['SISMEMBER', key('set'), 'y'],
    ['SREM', key('set'), 'x', 'y'],
    ['EXISTS', key('set')],
    ['EVAL', 'return {1, 2.9, "x", nil, 4}', 0],
    ['EVAL', 'return redis.call("GET", KEYS[1])', 1, key('s')],
    ['EVAL', 'return redis.call("GET", KEYS[1])', 1, key('missing')],
    ['EVAL', 'return {false, true, -3.7}', 0],
    ['EVAL', 'return redis.call("HGETALL", KEYS[1])', 1, key('h')],
    ['EVAL', 'return redis.pcall("INCR", KEYS[1])', 1, key('s')],
    ['EVAL', 'return redis.call("INCR", KEYS[1])', 1, key('s')],
    ['EVAL', 'return nil + 1', 0],
    ['EVAL', 'return redis.error_reply("MYERR custom")', 0],
    ['EVAL', 'return redis.status_reply("FINE")', 0],
    ['EVAL', 'return redis.call("SET", KEYS[1], ARGV[1], "px", ARGV[2])', 1, key('lua'), 'v', 100_000],
    ['TTL', key('lua')],
    ['EVAL', 'return tostring(redis.call("INCRBY", KEYS[1], 5))', 1, key('n')],
    ['EVAL', 'return redis.error_reply("E1")', 0],
    ['EVAL', 'return {err="E2 raw"}', 0],
    ['EVAL', 'error({err="E3 raised"})', 0],
    ['EVAL', 'return redis.call("NOSUCHCOMMAND")', 0],
    ['EVAL', 'return redis.pcall("GET").err', 0],
    ['EVAL', 'return cjson.encode({1, "a/b", {x = 1.5}, {}, cjson.null})', 0],
    [
      'EVAL',
      'local t = cjson.decode(ARGV[1]); return {t.n, t.list[2], tostring(t.missing)}',
      0,
      '{"n":3,"list":[1,"two"]}',
    ],
    ['EVAL', 'return {bit.band(0xff, 0x0f), bit.bxor(5, 3), bit.lshift(1, 31), bit.rshift(-1, 28), bit.tohex(255)}', 0],
    [
      'EVAL',
      'local now = tonumber(ARGV[1]); return now .. ":" .. (now % 1000) .. ":" .. tostring(now / 1000)',
      0,
      1_767_225_600_123,
    ],
    ['SCRIPT', 'LOAD', 'return "loaded"'],
    ['EVALSHA', sha1('return "loaded"'), 0],
    ['EVALSHA', 'f'.repeat(40), 0],
    ['SCRIPT', 'EXISTS', 'f'.repeat(40)],
    ['DEL', key('s'), key('n'), key('missing')],
    ['UNLINK', key('t'), key('se')],
    ['EXISTS', key('s'), key('t')],
    ['PING'],
    ['PING', 'hello'],
    ['ECHO', 'é 👋'],
    ['GET'],
    ['SET', key('s')],
    ['NOSUCHCOMMAND', 'a'],
  ];

  for (const base64 of [false, true]) {
    it(`gives JSON-equal pipeline replies, error texts included, with base64=${base64}`, async () => {
      const [fromMemory, fromRedis] = await Promise.all([
        post(memory, '/pipeline', commands(), { base64 }),
        post(real, '/pipeline', commands(), { base64 }),
      ]);
      expect(fromMemory.status).toBe(200);
      expect(fromRedis.status).toBe(200);
      expect(fromMemory.json).toEqual(fromRedis.json);
      await deleteRunKeys(real);
      await post(memory, '/', ['FLUSHALL']);
    });
  }

  it('gives JSON-equal single-command and multi-exec replies', async () => {
    const transaction = [
      ['SET', key('tx'), 5],
      ['INCRBY', key('tx'), 2],
      ['HGET', key('tx'), 'f'],
      ['GET', key('tx')],
    ];
    const requests: [string, unknown][] = [
      ['/', ['SET', key('one'), 'v', 'px', 60_000]],
      ['/', ['GET', key('one')]],
      ['/', ['INCR', key('one')]],
      ['/', ['NOSUCHCOMMAND']],
      ['/multi-exec', transaction],
      [
        '/multi-exec',
        [
          ['SET', key('tx')],
          ['GET', key('tx')],
        ],
      ],
    ];
    for (const [path, body] of requests) {
      const [fromMemory, fromRedis] = await Promise.all([
        post(memory, path, body, { base64: true }),
        post(real, path, body, { base64: true }),
      ]);
      expect({ path, body, status: fromMemory.status, json: fromMemory.json }).toEqual({
        path,
        body,
        status: fromRedis.status,
        json: fromRedis.json,
      });
    }
    await deleteRunKeys(real);
  });
});
