// The ceiling the Worker is measured against: the least a Worker can do for the same answers. `/` does no I/O;
// `/raw/<key>` reads one value from the Upstash REST stand-in with one raw fetch and returns it as the page.
// `/miss/<key>` is a cache miss's I/O and nothing else: the read that finds nothing, the post page's Neon batch
// (NEON_BATCH, the very request the Worker sends, captured by the bench), and the write of what came back.
// The captured batch, parsed once per isolate as the Worker builds its clients once: not work a miss repeats.
let neonBatch;

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    const upstash = async (command) => {
      const answer = await fetch(env.UPSTASH_URL, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.UPSTASH_TOKEN}` },
        body: JSON.stringify(command),
      });
      return (await answer.json()).result;
    };
    const page = (body) => new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    if (pathname.startsWith('/raw/')) return page(await upstash(['GET', decodeURIComponent(pathname.slice(5))]));
    if (pathname.startsWith('/miss/')) {
      const key = decodeURIComponent(pathname.slice(6));
      await upstash(['GET', key]);
      const { body, headers } = (neonBatch ??= JSON.parse(env.NEON_BATCH));
      const rows = await (await fetch(env.NEON_URL, { method: 'POST', headers, body })).json();
      const text = JSON.stringify(rows);
      ctx.waitUntil(upstash(['SET', key, text, 'EX', '60']));
      return page(text);
    }
    return new Response('ok', { headers: { 'content-type': 'text/plain' } });
  },
};
