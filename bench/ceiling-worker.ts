// The ceiling the Worker is measured against: as lean as a Worker serving the same answers can be, a bare Hono app
// (the router every Worker of this kind starts from), bundled and minified as the Worker is (bench/workers.ts).
// `/` does no I/O. `/raw/:key` is a cache hit: one fetch of the stored value from the Upstash REST stand-in,
// `response.json()`, a `JSON.parse` of the stored string (the page as JSON: etag, type, body) and `c.html()`.
// `/miss/:key` is a cache miss's I/O and nothing else: the read that finds nothing, the post page's Neon batch
// (NEON_BATCH, the very request the Worker sends, captured by the bench), and the write of what came back.
import { Hono } from 'hono';

interface Bindings {
  UPSTASH_URL: string;
  UPSTASH_TOKEN: string;
  NEON_URL: string;
  NEON_BATCH: string;
}

// The captured batch, parsed once per isolate as the Worker builds its clients once: not work a miss repeats.
let neonBatch: { body: string; headers: Record<string, string> } | undefined;

async function upstash(env: Bindings, command: string[]): Promise<unknown> {
  const answer = await fetch(env.UPSTASH_URL, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.UPSTASH_TOKEN}` },
    body: JSON.stringify(command),
  });
  return ((await answer.json()) as { result: unknown }).result;
}

export default new Hono<{ Bindings: Bindings }>()
  .get('/', (c) => c.text('ok'))
  .get('/raw/:key', async (c) => {
    const stored = (await upstash(c.env, ['GET', c.req.param('key')])) as string;
    const page = JSON.parse(stored) as { etag: string; type: string; body: string };
    return c.html(page.body);
  })
  .get('/miss/:key', async (c) => {
    const key = c.req.param('key');
    await upstash(c.env, ['GET', key]);
    const { body, headers } = (neonBatch ??= JSON.parse(c.env.NEON_BATCH) as {
      body: string;
      headers: Record<string, string>;
    });
    const rows = await (await fetch(c.env.NEON_URL, { method: 'POST', headers, body })).json();
    const text = JSON.stringify(rows);
    c.executionCtx.waitUntil(upstash(c.env, ['SET', key, text, 'EX', '60']));
    return c.html(text);
  });
