// The ceiling the Worker is measured against: the least a Worker can do for the same answers. `/` does no I/O;
// `/raw/<key>` reads one value from the Upstash REST stand-in with one raw fetch and returns it as the page.
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith('/raw/')) return new Response('ok', { headers: { 'content-type': 'text/plain' } });
    const answer = await fetch(env.UPSTASH_URL, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.UPSTASH_TOKEN}` },
      body: JSON.stringify(['GET', decodeURIComponent(pathname.slice(5))]),
    });
    const { result } = await answer.json();
    return new Response(result, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  },
};
