// A local stand-in for the outside world the Worker calls: webhook receivers, the IndexNow endpoint and a
// DNS-over-HTTPS resolver. The tests start it (test/global-setup.ts) and read back what reached it.
// - any request under /hooks/ or /indexnow is recorded; /status/<code>/ in the path answers that code, and
//   /flaky/<n>/ answers 503 to the first n requests to that path, then 200;
// - GET /recorded?prefix=/hooks/x lists the recorded requests whose path starts with the prefix, oldest first;
// - GET /dns-query?name=&type= answers in DNS JSON from a small fixed zone (see ZONE);
// - GET /images/pixel.png answers a real 1x1 PNG, /images/not-an-image.png text labelled image/png, and
//   /images/moved.png a redirect to the pixel (for image copies from an export).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Receiver {
  url: string;
  close(): Promise<void>;
}

/** A 1x1 PNG (the same as test/fixtures/images.ts's). */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAADElEQVR4nGM4wcUFAAJ6AN1nJ0J9AAAAAElFTkSuQmCC',
  'base64',
);

/** name -> [A records, AAAA records]. */
const ZONE: Record<string, [string[], string[]]> = {
  'public.example': [['93.184.216.34'], []],
  'intranet.example': [['10.0.0.5'], []],
  'sneaky.example': [['93.184.216.34'], ['::1']],
  'metadata.example': [['169.254.169.254'], []],
};

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startReceiver({ port = 0 }: { port?: number } = {}): Promise<Receiver> {
  const recorded: RecordedRequest[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://receiver');
    const body = await bodyOf(request);
    if (url.pathname === '/recorded') {
      const prefix = url.searchParams.get('prefix') ?? '/';
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(recorded.filter((entry) => entry.path.startsWith(prefix))));
      return;
    }
    if (url.pathname === '/dns-query') {
      const [a, aaaa] = ZONE[url.searchParams.get('name') ?? ''] ?? [[], []];
      const type = url.searchParams.get('type') === 'AAAA' ? 28 : 1;
      const answers = (type === 1 ? a : aaaa).map((data) => ({ name: url.searchParams.get('name'), type, data }));
      response.writeHead(200, { 'content-type': 'application/dns-json' });
      response.end(JSON.stringify({ Status: answers.length ? 0 : 3, Answer: answers }));
      return;
    }
    if (url.pathname.startsWith('/images/')) {
      recorded.push({ method: request.method ?? 'GET', path: url.pathname, headers: {}, body: '' });
      if (url.pathname === '/images/pixel.png') response.writeHead(200, { 'content-type': 'image/png' }).end(PIXEL_PNG);
      else if (url.pathname === '/images/not-an-image.png')
        response.writeHead(200, { 'content-type': 'image/png' }).end('not a picture at all');
      else if (url.pathname === '/images/moved.png') response.writeHead(302, { location: '/images/pixel.png' }).end();
      else response.writeHead(404, { 'content-type': 'text/plain' }).end('no such image');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
    recorded.push({ method: request.method ?? 'GET', path: url.pathname, headers, body });
    const count = (seen.get(url.pathname) ?? 0) + 1;
    seen.set(url.pathname, count);
    const fixed = /\/status\/(\d{3})(\/|$)/.exec(url.pathname);
    const flaky = /\/flaky\/(\d+)(\/|$)/.exec(url.pathname);
    const status = fixed ? Number(fixed[1]) : flaky && count <= Number(flaky[1]) ? 503 : 200;
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(status < 300 ? 'ok' : 'not now');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
