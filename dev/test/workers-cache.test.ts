// The Workers Cache stand-in against Cloudflare's pages on Workers Caching (developers.cloudflare.com/workers/cache/),
// case by case: a small Node server plays the Worker, answering each path as a test says and counting its runs; the
// stand-in's clock is moved by hand, so no case waits on time.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startWorkersCache, type WorkersCacheStandIn } from '../standins/workers-cache';
import { PURGE_LIMITS } from '../standins/workers-cache/purge-limits';

interface Answer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}
type Handler = (req: IncomingMessage, run: number) => Answer | Promise<Answer>;

const handlers = new Map<string, Handler>();
const runs = new Map<string, number>();
const seen: { method: string; path: string; headers: IncomingMessage['headers'] }[] = [];
let origin: Server;
let cache: WorkersCacheStandIn;
let clock = 1_000_000_000_000;
let unique = 0;

/** A path of this test's own, answered by `handler`; the Worker's runs for it are counted. */
function route(handler: Handler): string {
  const path = `/r${++unique}`;
  handlers.set(path, handler);
  return path;
}

const runsOf = (path: string) => runs.get(path.split('?')[0]!) ?? 0;

async function get(path: string, init: RequestInit = {}) {
  const response = await fetch(`${cache.url}${path}`, init);
  const body = init.method === 'HEAD' ? '' : await response.text();
  return { status: response.status, cache: response.headers.get('cf-cache-status'), headers: response.headers, body };
}

async function purge(options: unknown) {
  const response = await fetch(cache.purgeUrl, { method: 'POST', body: JSON.stringify(options) });
  return (await response.json()) as { success: boolean; errors: { code: number; message: string }[] };
}

const advance = (seconds: number) => {
  clock += seconds * 1000;
};

beforeAll(async () => {
  origin = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const run = (runs.get(path) ?? 0) + 1;
    runs.set(path, run);
    seen.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    const handler = handlers.get(path);
    void Promise.resolve(handler ? handler(req, run) : { status: 404, body: 'no route' }).then((answer) => {
      res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? `run ${run}`);
    });
  });
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  cache = await startWorkersCache({
    origin: `http://127.0.0.1:${(origin.address() as AddressInfo).port}`,
    now: () => clock,
  });
});

afterAll(async () => {
  await cache?.close();
  await new Promise((resolve) => origin?.close(resolve));
});

beforeEach(() => advance(3600));

describe('what is cached, and for how long', () => {
  it('stores `public, max-age` and serves it without running the Worker (MISS, then HIT with Age)', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'public, max-age=60' } }));
    expect(await get(path)).toMatchObject({ cache: 'MISS', body: 'run 1' });
    advance(5);
    const hit = await get(path);
    expect(hit).toMatchObject({ cache: 'HIT', body: 'run 1' });
    expect(hit.headers.get('age')).toBe('5');
    expect(runsOf(path)).toBe(1);
  });

  it('marks every response with cf-cache-status, and never passes Cache-Tag on to the visitor', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'max-age=60', 'cache-tag': 'a,b' } }));
    const miss = await get(path);
    const hit = await get(path);
    for (const response of [miss, hit]) expect(response.headers.get('cache-tag')).toBeNull();
    expect([miss.cache, hit.cache]).toEqual(['MISS', 'HIT']);
  });

  it('refreshes after max-age: EXPIRED when the Worker sends a new body', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'max-age=10' } }));
    await get(path);
    advance(11);
    expect(await get(path)).toMatchObject({ cache: 'EXPIRED', body: 'run 2' });
    expect(await get(path)).toMatchObject({ cache: 'HIT', body: 'run 2' });
  });

  it('applies the heuristic lifetimes when there is no Cache-Control: 200 for 2 hours, 404 for 3 minutes', async () => {
    const ok = route(() => ({}));
    const missing = route(() => ({ status: 404 }));
    await get(ok);
    await get(missing);
    advance(179);
    expect((await get(ok)).cache).toBe('HIT');
    expect((await get(missing)).cache).toBe('HIT');
    advance(2);
    expect((await get(missing)).cache).toBe('EXPIRED');
    advance(7200);
    expect((await get(ok)).cache).toBe('EXPIRED');
  });

  it('does not store a status without a default lifetime (DYNAMIC), unless the response gives one', async () => {
    const failing = route(() => ({ status: 500 }));
    expect((await get(failing)).cache).toBe('DYNAMIC');
    expect((await get(failing)).cache).toBe('DYNAMIC');
    const forbidden = route(() => ({ status: 403, headers: { 'cache-control': 'public, max-age=30' } }));
    await get(forbidden);
    expect((await get(forbidden)).cache).toBe('HIT');
  });

  it('never stores 206 Partial Content (MISS every time)', async () => {
    const path = route(() => ({ status: 206, headers: { 'cache-control': 'public, max-age=60' } }));
    expect((await get(path)).cache).toBe('MISS');
    expect((await get(path)).cache).toBe('MISS');
    expect(runsOf(path)).toBe(2);
  });

  it('takes s-maxage over max-age, and cdn-cache-control over Cache-Control', async () => {
    const shared = route(() => ({ headers: { 'cache-control': 'max-age=5, s-maxage=100' } }));
    await get(shared);
    advance(50);
    expect((await get(shared)).cache).toBe('HIT');
    const cdn = route(() => ({ headers: { 'cache-control': 'no-store', 'cdn-cache-control': 'max-age=60' } }));
    await get(cdn);
    expect((await get(cdn)).cache).toBe('HIT');
  });

  it('obeys cloudflare-cdn-cache-control first and strips it from what the visitor gets', async () => {
    const path = route(() => ({
      headers: {
        'cloudflare-cdn-cache-control': 'max-age=60',
        'cdn-cache-control': 'no-store',
        'cache-control': 'no-store',
      },
    }));
    const miss = await get(path);
    expect(miss.headers.get('cloudflare-cdn-cache-control')).toBeNull();
    expect(miss.headers.get('cache-control')).toBe('no-store');
    expect((await get(path)).cache).toBe('HIT');
  });
});

describe('what is never stored (BYPASS)', () => {
  it.each(['private', 'no-store', 'private, max-age=60', 'no-store, max-age=60'])(
    'Cache-Control: %s',
    async (value) => {
      const path = route(() => ({ headers: { 'cache-control': value } }));
      expect((await get(path)).cache).toBe('BYPASS');
      expect((await get(path)).cache).toBe('BYPASS');
      expect(runsOf(path)).toBe(2);
    },
  );

  it('a response that sets a cookie', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'public, max-age=60', 'set-cookie': 'a=1' } }));
    expect((await get(path)).cache).toBe('BYPASS');
    expect((await get(path)).cache).toBe('BYPASS');
  });

  it('stores a response with private="set-cookie", without its Set-Cookie', async () => {
    const path = route(() => ({
      headers: { 'cache-control': 'public, max-age=60, private="set-cookie"', 'set-cookie': 'a=1' },
    }));
    const miss = await get(path);
    expect(miss.headers.get('set-cookie')).toBe('a=1');
    const hit = await get(path);
    expect(hit.cache).toBe('HIT');
    expect(hit.headers.get('set-cookie')).toBeNull();
  });

  it('a request with Authorization, unless the response says public, must-revalidate or s-maxage', async () => {
    const plain = route(() => ({ headers: { 'cache-control': 'max-age=60' } }));
    const auth = { headers: { authorization: 'Bearer x' } };
    expect((await get(plain, auth)).cache).toBe('BYPASS');
    expect((await get(plain, auth)).cache).toBe('BYPASS');
    const open = route(() => ({ headers: { 'cache-control': 'public, max-age=60' } }));
    await get(open, auth);
    expect((await get(open, auth)).cache).toBe('HIT');
  });

  it('Vary: *', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'public, max-age=60', vary: '*' } }));
    await get(path);
    expect((await get(path)).cache).toBe('BYPASS');
  });

  it('methods other than GET and HEAD always run the Worker', async () => {
    const path = route((req) => ({ headers: { 'cache-control': 'public, max-age=60' }, body: req.method }));
    expect(await get(path, { method: 'POST', body: 'x' })).toMatchObject({ cache: 'BYPASS', body: 'POST' });
    expect(await get(path, { method: 'POST', body: 'x' })).toMatchObject({ cache: 'BYPASS', body: 'POST' });
    expect(runsOf(path)).toBe(2);
  });
});

describe('the cache key', () => {
  it('is the path and the query as sent: order matters, the host does not', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'public, max-age=60' } }));
    await get(`${path}?a=1&b=2`);
    expect((await get(`${path}?b=2&a=1`)).cache).toBe('MISS');
    expect((await get(`${path}?a=1&b=2`, { headers: { host: 'other.example' } })).cache).toBe('HIT');
  });

  it('leaves Cookie and Authorization out: a request carrying them gets the stored copy unless Vary names them', async () => {
    const shared = route(() => ({ headers: { 'cache-control': 'public, max-age=60' } }));
    await get(shared);
    expect((await get(shared, { headers: { cookie: 'session=1' } })).cache).toBe('HIT');
    expect((await get(shared, { headers: { authorization: 'Bearer x' } })).cache).toBe('HIT');
  });

  it('keeps a variant per value of each header Vary names, compared verbatim', async () => {
    const path = route((req) => ({
      headers: { 'cache-control': 'public, max-age=60', vary: 'Cookie' },
      body: req.headers.cookie ?? 'anonymous',
    }));
    expect(await get(path)).toMatchObject({ cache: 'MISS', body: 'anonymous' });
    expect(await get(path, { headers: { cookie: 's=1' } })).toMatchObject({ cache: 'MISS', body: 's=1' });
    expect(await get(path)).toMatchObject({ cache: 'HIT', body: 'anonymous' });
    expect(await get(path, { headers: { cookie: 's=1' } })).toMatchObject({ cache: 'HIT', body: 's=1' });
    await get(path, { headers: { cookie: 'a=1; b=2' } });
    expect((await get(path, { headers: { cookie: 'b=2; a=1' } })).cache).toBe('MISS');
  });

  it('lets a signed-in request (Vary: Cookie) reach the Worker, whose private answer is not stored', async () => {
    const path = route((req) =>
      req.headers.cookie
        ? { headers: { 'cache-control': 'private, no-store', vary: 'Cookie' }, body: 'personal' }
        : { headers: { 'cache-control': 'public, max-age=60', vary: 'Cookie' }, body: 'shared' },
    );
    await get(path);
    expect(await get(path, { headers: { cookie: 'session=1' } })).toMatchObject({ cache: 'BYPASS', body: 'personal' });
    expect(await get(path, { headers: { cookie: 'session=1' } })).toMatchObject({ cache: 'BYPASS', body: 'personal' });
    expect(await get(path)).toMatchObject({ cache: 'HIT', body: 'shared' });
  });

  it('includes the anti-poisoning headers (X-Forwarded-Host and the method overrides)', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'public, max-age=60' } }));
    await get(path);
    expect((await get(path, { headers: { 'x-forwarded-host': 'evil.example' } })).cache).toBe('MISS');
    expect((await get(path, { headers: { 'x-http-method-override': 'DELETE' } })).cache).toBe('MISS');
    expect((await get(path, { headers: { 'x-forwarded-scheme': 'https' } })).cache).toBe('HIT');
  });

  it('shares one entry between GET and HEAD; a cold HEAD runs the Worker as a GET', async () => {
    const path = route((req) => ({ headers: { 'cache-control': 'public, max-age=60' }, body: `seen ${req.method}` }));
    expect((await get(path, { method: 'HEAD' })).cache).toBe('MISS');
    expect(seen.filter((request) => request.path === path).map((request) => request.method)).toEqual(['GET']);
    expect(await get(path)).toMatchObject({ cache: 'HIT', body: 'seen GET' });
  });
});

describe('stale entries', () => {
  it('serves a stale entry within stale-while-revalidate as UPDATING, refreshing it once in the background', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'public, max-age=10, stale-while-revalidate=60' } }));
    await get(path);
    advance(20);
    expect(await get(path)).toMatchObject({ cache: 'UPDATING', body: 'run 1' });
    await expect.poll(() => runsOf(path)).toBe(2);
    expect(await get(path)).toMatchObject({ cache: 'HIT', body: 'run 2' });
  });

  it('revalidates inline once the stale-while-revalidate window has passed', async () => {
    const path = route(() => ({ headers: { 'cache-control': 'max-age=10, stale-while-revalidate=20' } }));
    await get(path);
    advance(31);
    expect(await get(path)).toMatchObject({ cache: 'EXPIRED', body: 'run 2' });
  });

  it('ignores stale-while-revalidate next to s-maxage, must-revalidate or proxy-revalidate', async () => {
    for (const directive of ['s-maxage=10', 'max-age=10, must-revalidate', 'max-age=10, proxy-revalidate']) {
      const path = route(() => ({ headers: { 'cache-control': `${directive}, stale-while-revalidate=60` } }));
      await get(path);
      advance(11);
      expect((await get(path)).cache, directive).toBe('EXPIRED');
    }
  });

  it('stores no-cache but asks the Worker every time: REVALIDATED on a 304, EXPIRED on a new body', async () => {
    const path = route((req, run): Answer =>
      req.headers['if-none-match'] === '"v1"' && run === 2
        ? { status: 304, headers: { etag: '"v1"' } }
        : { headers: { 'cache-control': 'no-cache', etag: `"v${run}"` } },
    );
    expect((await get(path)).cache).toBe('MISS');
    expect(await get(path)).toMatchObject({ cache: 'REVALIDATED', body: 'run 1' });
    expect(await get(path)).toMatchObject({ cache: 'EXPIRED', body: 'run 3' });
  });

  it('serves the stale copy (STALE) when the refresh fails, by default and within stale-if-error', async () => {
    const path = route((_req, run) =>
      run === 1 ? { headers: { 'cache-control': 'max-age=10' } } : { status: 500, body: 'broken' },
    );
    await get(path);
    advance(11);
    expect(await get(path)).toMatchObject({ status: 200, cache: 'STALE', body: 'run 1' });
    const bounded = route((_req, run) =>
      run === 1 ? { headers: { 'cache-control': 'max-age=10, stale-if-error=5' } } : { status: 503 },
    );
    await get(bounded);
    advance(20);
    expect(await get(bounded)).toMatchObject({ status: 503 });
  });

  it('lets a Worker error through once must-revalidate forbids stale copies', async () => {
    const path = route((_req, run) =>
      run === 1 ? { headers: { 'cache-control': 'max-age=10, must-revalidate' } } : { status: 500, body: 'broken' },
    );
    await get(path);
    advance(11);
    expect(await get(path)).toMatchObject({ status: 500, body: 'broken' });
  });
});

describe('answers from the cache', () => {
  it("answers a visitor's If-None-Match from the stored ETag with 304", async () => {
    const path = route(() => ({ headers: { 'cache-control': 'public, max-age=60', etag: '"abc"' } }));
    await get(path);
    const conditional = await get(path, { headers: { 'if-none-match': '"abc"' } });
    expect(conditional).toMatchObject({ status: 304, cache: 'HIT', body: '' });
  });

  it('runs the Worker once for concurrent misses on one key (request collapsing)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const path = route(async () => {
      await gate;
      return { headers: { 'cache-control': 'public, max-age=60' } };
    });
    const waiting = Array.from({ length: 5 }, () => get(path));
    await expect.poll(() => runsOf(path)).toBe(1);
    release();
    const answers = await Promise.all(waiting);
    expect(answers.map((answer) => answer.body)).toEqual(Array(5).fill('run 1'));
    expect(answers.map((answer) => answer.cache).sort()).toEqual(['HIT', 'HIT', 'HIT', 'HIT', 'MISS']);
    expect(runsOf(path)).toBe(1);
  });
});

describe('purge', () => {
  it('by tag, matching case-insensitively, and every variant of the URL with it', async () => {
    const path = route((req) => ({
      headers: { 'cache-control': 'public, max-age=600', 'cache-tag': 'Post:One, posts', vary: 'Cookie' },
      body: req.headers.cookie ?? 'anonymous',
    }));
    await get(path);
    await get(path, { headers: { cookie: 'x=1' } });
    expect(await purge({ tags: ['post:one'] })).toEqual({ success: true, errors: [] });
    expect((await get(path)).cache).toBe('MISS');
    expect((await get(path, { headers: { cookie: 'x=1' } })).cache).toBe('MISS');
  });

  it('by path prefix (the path, not the query) and everything', async () => {
    const a = route(() => ({ headers: { 'cache-control': 'public, max-age=600' } }));
    const b = route(() => ({ headers: { 'cache-control': 'public, max-age=600' } }));
    await get(`${a}?page=2`);
    await get(b);
    await purge({ pathPrefixes: [a] });
    expect((await get(`${a}?page=2`)).cache).toBe('MISS');
    expect((await get(b)).cache).toBe('HIT');
    await purge({ purgeEverything: true });
    expect((await get(b)).cache).toBe('MISS');
  });

  it('refuses more than 100 tags and prefixes in one call, and tags with spaces, with success: false', async () => {
    const tooMany = Array.from({ length: PURGE_LIMITS.operationsPerCall + 1 }, (_, i) => `t${i}`);
    expect((await purge({ tags: tooMany })).success).toBe(false);
    expect((await purge({ tags: ['two words'] })).success).toBe(false);
    expect((await purge({ pathPrefixes: ['https://example.com/x'] })).success).toBe(false);
    expect((await purge({})).success).toBe(false);
  });

  it('allows bursts of 25 purge calls, then 5 a minute', async () => {
    advance(3600); // a full bucket
    for (let i = 0; i < PURGE_LIMITS.bucketSize; i++) expect((await purge({ tags: ['x'] })).success).toBe(true);
    const limited = await purge({ tags: ['x'] });
    expect(limited.success).toBe(false);
    expect(limited.errors[0]!.message).toMatch(/rate limited/);
    advance(12);
    expect((await purge({ tags: ['x'] })).success).toBe(true);
    expect((await purge({ tags: ['x'] })).success).toBe(false);
  });
});
