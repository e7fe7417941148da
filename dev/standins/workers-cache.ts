// Local Workers Cache: a reverse proxy in front of `wrangler dev` (or Miniflare) that caches the Worker's responses
// as Cloudflare's Workers Caching does in front of a deployed Worker, where locally nothing is cached and ctx.cache
// is undefined. It follows developers.cloudflare.com/workers/cache/ (configuration, cache keys, purge, debugging,
// limitations); dev/test/workers-cache.test.ts checks it against those pages case by case. The Worker purges it
// through a control port (CACHE_PURGE_URL), with the body and answer of ctx.cache.purge().
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { decide } from './workers-cache/policy';
import {
  parseCacheTags,
  PurgeBucket,
  purgeRequestError,
  RATE_LIMITED,
  type PurgeError,
  type PurgeRequest,
} from './workers-cache/purge-limits';
import { CacheStore, type StoredResponse } from './workers-cache/store';

export type CacheStatus = 'HIT' | 'MISS' | 'EXPIRED' | 'REVALIDATED' | 'UPDATING' | 'STALE' | 'BYPASS' | 'DYNAMIC';

export interface WorkersCacheOptions {
  /** The Worker: `wrangler dev` or Miniflare, e.g. http://127.0.0.1:8793. */
  origin: string;
  /** The public port visitors use; 0 or undefined picks a free one. */
  port?: number;
  host?: string;
  /** The purge channel's port (on 127.0.0.1); 0 or undefined picks a free one. */
  controlPort?: number;
  /** Apply the purge API's Free-tier rate limit (5 calls a minute, bursts of 25). On unless turned off. */
  purgeRateLimit?: boolean;
  /** Paths that are not the Worker's own (wrangler dev's /__scheduled): sent on as they are, never cached. */
  passThrough?: (path: string) => boolean;
  /** The cache's clock; tests move it instead of waiting. */
  now?: () => number;
  log?: (line: string) => void;
}

export interface PurgeRecord {
  at: number;
  request: PurgeRequest;
  success: boolean;
  errors: PurgeError[];
  /** Cache entries (URLs, all their variants) removed. */
  purged: number;
}

export interface CacheStats {
  /** Requests the Worker received: misses, bypasses, revalidations and background refreshes. */
  originRequests: number;
  statuses: Partial<Record<CacheStatus, number>>;
}

export interface WorkersCacheStandIn {
  /** Where visitors go. */
  url: string;
  port: number;
  /** POST a ctx.cache.purge() options object here; the Worker's CACHE_PURGE_URL. */
  purgeUrl: string;
  stats(): CacheStats;
  purges(): PurgeRecord[];
  resetStats(): void;
  close(): Promise<void>;
}

/**
 * "As anti-cache-poisoning measures, the key also includes" these request headers (cache keys page); the
 * Cloudflare-Workers-Version-Key header partitions it further when a caller sends it.
 */
const KEYED_HEADERS = [
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  'x-forwarded-host',
  'x-host',
  'x-original-url',
  'x-rewrite-url',
  'forwarded',
  'cloudflare-workers-version-key',
];

/** Consumed by the cache and never sent on to visitors. */
const CACHE_ONLY_HEADERS = new Set(['cache-tag', 'cloudflare-cdn-cache-control']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te']);

interface OriginResponse {
  status: number;
  headers: Headers;
  /** Raw header lines, Set-Cookie kept one per line. */
  rawHeaders: [string, string][];
  body: Buffer;
}

interface State {
  origin: URL;
  store: CacheStore;
  bucket: PurgeBucket;
  stats: CacheStats;
  purges: PurgeRecord[];
  /** Misses and refreshes in flight per cache key: concurrent misses wait for one Worker run (request collapsing). */
  inFlight: Map<string, Promise<unknown>>;
  passThrough: (path: string) => boolean;
  now: () => number;
  log: (line: string) => void;
}

export async function startWorkersCache(options: WorkersCacheOptions): Promise<WorkersCacheStandIn> {
  const state: State = {
    origin: new URL(options.origin),
    store: new CacheStore(),
    bucket: new PurgeBucket(options.purgeRateLimit !== false, options.now ?? Date.now),
    stats: { originRequests: 0, statuses: {} },
    purges: [],
    inFlight: new Map(),
    passThrough: options.passThrough ?? (() => false),
    now: options.now ?? Date.now,
    log: options.log ?? (() => {}),
  };
  const host = options.host ?? '127.0.0.1';
  const front = createServer((req, res) => {
    serve(state, req, res).catch((error: unknown) => {
      state.log(`workers-cache: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', 'cf-cache-status': 'MISS' });
      res.end('The Worker behind the Workers Cache stand-in did not answer.');
    });
  });
  const control = createServer((req, res) => void handleControl(state, req, res));
  const port = await listen(front, options.port ?? 0, host);
  const controlPort = await listen(control, options.controlPort ?? 0, '127.0.0.1').catch(async (error) => {
    await close(front);
    throw error;
  });
  state.log(`workers-cache: http://${host}:${port} in front of ${options.origin}`);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    purgeUrl: `http://127.0.0.1:${controlPort}/purge`,
    stats: () => ({ originRequests: state.stats.originRequests, statuses: { ...state.stats.statuses } }),
    purges: () => [...state.purges],
    resetStats() {
      state.stats = { originRequests: 0, statuses: {} };
      state.purges = [];
    },
    close: () => (closing ??= Promise.all([close(front), close(control)]).then(() => undefined)),
  };
}

async function serve(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const headers = requestHeaders(req);
  const cacheable = (method === 'GET' || method === 'HEAD') && headers.get('upgrade')?.toLowerCase() !== 'websocket';
  if (!cacheable || state.passThrough(pathOf(req.url))) {
    // "Only GET and HEAD requests are cached. Everything else is BYPASS"; WebSocket upgrades bypass too.
    const response = await fetchOrigin(state, method, req.url ?? '/', headers, await readBody(req));
    return send(state, res, method, response.status, response.rawHeaders, response.body, 'BYPASS');
  }
  const key = cacheKey(req.url ?? '/', headers);
  const stored = state.store.lookup(key, headers);
  if (stored) return serveStored(state, req, res, key, headers, stored);
  return serveMiss(state, req, res, key, headers);
}

/** Path and query as sent ("?a=1&b=2 and ?b=2&a=1 are different cache keys"), and the anti-poisoning headers. */
function cacheKey(pathAndQuery: string, headers: Headers): string {
  const keyed = KEYED_HEADERS.map((name) => headers.get(name)).map((value) => value ?? '');
  const scheme = headers.get('x-forwarded-scheme');
  keyed.push(scheme && scheme !== 'http' && scheme !== 'https' ? scheme : '');
  return `${pathAndQuery}\n${keyed.join('\n')}`;
}

async function serveStored(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  key: string,
  headers: Headers,
  stored: StoredResponse,
): Promise<void> {
  const age = state.now() - stored.storedAt;
  const { freshMs, staleWhileRevalidateMs, staleIfErrorMs } = stored.lifetimes;
  if (age < freshMs) return sendStored(state, req, res, headers, stored, 'HIT');
  if (age < freshMs + staleWhileRevalidateMs) {
    // Served at once; the Worker refreshes the entry in the background, once per key at a time.
    if (!state.inFlight.has(key)) {
      const refresh = fill(state, req, key, headers, 'GET', null).catch((error) =>
        state.log(`workers-cache: background refresh failed: ${String(error)}`),
      );
      track(state, key, refresh);
    }
    return sendStored(state, req, res, headers, stored, 'UPDATING');
  }
  // Inline revalidation with the stored validators: REVALIDATED on a 304, EXPIRED on a new body.
  let outcome: Awaited<ReturnType<typeof fill>>;
  try {
    outcome = await fill(state, req, key, headers, 'GET', stored);
  } catch (error) {
    if (age < freshMs + staleIfErrorMs) return sendStored(state, req, res, headers, stored, 'STALE');
    throw error;
  }
  if (outcome.kind === 'revalidated') return sendStored(state, req, res, headers, outcome.stored, 'REVALIDATED');
  const failed = outcome.response.status >= 500;
  if (failed && age < freshMs + staleIfErrorMs) return sendStored(state, req, res, headers, stored, 'STALE');
  const status = outcome.kind === 'stored' ? 'EXPIRED' : outcome.status;
  return sendFetched(state, req, res, outcome.response, status);
}

async function serveMiss(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  key: string,
  headers: Headers,
): Promise<void> {
  const pending = state.inFlight.get(key);
  if (pending) {
    // "Cloudflare runs your Worker once and serves the resulting response to every waiting request" when it is
    // cacheable; an uncacheable answer sends each waiter to the Worker itself.
    await pending.catch(() => {});
    const filled = state.store.lookup(key, headers);
    if (filled) return sendStored(state, req, res, headers, filled, 'HIT');
  }
  const run = fill(state, req, key, headers, 'GET', null);
  track(state, key, run);
  const outcome = await run;
  const status = outcome.kind === 'stored' ? 'MISS' : outcome.kind === 'revalidated' ? 'REVALIDATED' : outcome.status;
  if (outcome.kind === 'stored' || outcome.kind === 'revalidated') {
    return sendStored(
      state,
      req,
      res,
      headers,
      outcome.stored,
      status,
      outcome.kind === 'stored' ? outcome.setCookies : [],
    );
  }
  return sendFetched(state, req, res, outcome.response, status);
}

function track(state: State, key: string, work: Promise<unknown>): void {
  state.inFlight.set(key, work);
  const done = () => {
    if (state.inFlight.get(key) === work) state.inFlight.delete(key);
  };
  work.then(done, done);
}

type FillOutcome =
  | { kind: 'stored'; stored: StoredResponse; response: OriginResponse; setCookies: [string, string][] }
  | { kind: 'revalidated'; stored: StoredResponse; response: OriginResponse }
  | { kind: 'uncached'; status: CacheStatus; response: OriginResponse };

/**
 * Runs the Worker for this key and stores its answer when the policy allows. A HEAD on a cold cache "is converted to
 * a GET internally so the full asset is fetched and stored"; the visitor's own validators are not sent, so the
 * Worker answers with a body the cache can keep (the stand-in answers the visitor's conditional itself).
 */
async function fill(
  state: State,
  req: IncomingMessage,
  key: string,
  headers: Headers,
  method: 'GET',
  revalidating: StoredResponse | null,
): Promise<FillOutcome> {
  const upstream = new Headers(headers);
  upstream.delete('if-none-match');
  upstream.delete('if-modified-since');
  if (revalidating) {
    const stored = new Headers(revalidating.headers);
    const etag = stored.get('etag');
    const lastModified = stored.get('last-modified');
    if (etag) upstream.set('if-none-match', etag);
    if (lastModified) upstream.set('if-modified-since', lastModified);
  }
  const response = await fetchOrigin(state, method, req.url ?? '/', upstream, null);
  if (revalidating && response.status === 304) {
    const stored = { ...revalidating, storedAt: state.now() };
    state.store.put(
      key,
      pathOf(req.url),
      headers,
      varyOf(new Headers(revalidating.headers)),
      tagsOf(response, revalidating),
      stored,
    );
    return { kind: 'revalidated', stored, response };
  }
  const decision = decide({ method, authorization: headers.has('authorization') }, response);
  if (!decision.store) {
    // A response that may no longer be stored replaces nothing: the old copy goes.
    if (revalidating) state.store.delete(key);
    return { kind: 'uncached', status: decision.status, response };
  }
  const setCookies = response.rawHeaders.filter(([name]) => name.toLowerCase() === 'set-cookie');
  const kept = response.rawHeaders.filter(([name]) => {
    const lower = name.toLowerCase();
    return (
      !CACHE_ONLY_HEADERS.has(lower) && !HOP_BY_HOP.has(lower) && !(decision.dropSetCookie && lower === 'set-cookie')
    );
  });
  const stored: StoredResponse = {
    status: response.status,
    headers: kept,
    body: response.body,
    storedAt: state.now(),
    lifetimes: decision.lifetimes,
  };
  const vary = varyOf(response.headers);
  state.store.put(
    key,
    pathOf(req.url),
    headers,
    vary,
    parseCacheTags([response.headers.get('cache-tag') ?? '']),
    stored,
  );
  return { kind: 'stored', stored, response, setCookies: decision.dropSetCookie ? setCookies : [] };
}

function tagsOf(response: OriginResponse, fallback: StoredResponse): string[] {
  const tag = response.headers.get('cache-tag');
  if (tag !== null) return parseCacheTags([tag]);
  return parseCacheTags(fallback.headers.filter(([name]) => name.toLowerCase() === 'cache-tag').map(([, v]) => v));
}

function varyOf(headers: Headers): string[] {
  const vary = headers.get('vary');
  return vary
    ? [
        ...new Set(
          vary
            .split(',')
            .map((name) => name.trim().toLowerCase())
            .filter(Boolean),
        ),
      ]
    : [];
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query < 0 ? raw : raw.slice(0, query);
}

function sendStored(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Headers,
  stored: StoredResponse,
  status: CacheStatus,
  extraHeaders: [string, string][] = [],
): void {
  const age = Math.max(0, Math.floor((state.now() - stored.storedAt) / 1000));
  const lines: [string, string][] = [...stored.headers, ...extraHeaders];
  if (status !== 'MISS') lines.push(['age', String(age)]);
  const storedHeaders = new Headers(stored.headers);
  if (stored.status === 200 && notModified(headers, storedHeaders)) {
    return send(
      state,
      res,
      'HEAD',
      304,
      lines.filter(([name]) => !/^content-(length|type)$/i.test(name)),
      Buffer.alloc(0),
      status,
    );
  }
  send(state, res, req.method ?? 'GET', stored.status, lines, stored.body, status);
}

/** The visitor's validators against the stored ones (If-None-Match first, weak comparison; then If-Modified-Since). */
function notModified(request: Headers, stored: Headers): boolean {
  const etag = stored.get('etag');
  const ifNoneMatch = request.get('if-none-match');
  if (ifNoneMatch !== null) {
    if (!etag) return false;
    const ours = etag.replace(/^W\//, '');
    return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === ours);
  }
  const since = Date.parse(request.get('if-modified-since') ?? '');
  const lastModified = Date.parse(stored.get('last-modified') ?? '');
  return !Number.isNaN(since) && !Number.isNaN(lastModified) && lastModified <= since;
}

/** The Worker's answer as it came, for a fill that kept nothing, or kept it but is sent as received. */
function sendFetched(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  response: OriginResponse,
  cacheStatus: CacheStatus,
): void {
  send(state, res, req.method!, response.status, response.rawHeaders, response.body, cacheStatus);
}

function send(
  state: State,
  res: ServerResponse,
  method: string,
  status: number,
  lines: [string, string][],
  body: Buffer,
  cacheStatus: CacheStatus,
): void {
  state.stats.statuses[cacheStatus] = (state.stats.statuses[cacheStatus] ?? 0) + 1;
  const out: string[] = [];
  for (const [name, value] of lines) {
    const lower = name.toLowerCase();
    if (
      CACHE_ONLY_HEADERS.has(lower) ||
      HOP_BY_HOP.has(lower) ||
      lower === 'content-length' ||
      lower === 'cf-cache-status'
    ) {
      continue;
    }
    out.push(name, value);
  }
  out.push('cf-cache-status', cacheStatus);
  const hasBody = method !== 'HEAD' && status !== 204 && status !== 304;
  if (hasBody) out.push('content-length', String(body.length));
  res.writeHead(status, out);
  res.end(hasBody ? body : undefined);
}

/** One request to the Worker, headers as the visitor sent them (Host included, so the Worker sees its public URL). */
function fetchOrigin(
  state: State,
  method: string,
  path: string,
  headers: Headers,
  body: Buffer | null,
): Promise<OriginResponse> {
  state.stats.originRequests += 1;
  const outgoing: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) outgoing[name] = value;
  });
  if (body) outgoing['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: state.origin.hostname, port: state.origin.port, method, path, headers: outgoing },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const rawHeaders: [string, string][] = [];
          for (let i = 0; i < response.rawHeaders.length; i += 2) {
            rawHeaders.push([response.rawHeaders[i]!, response.rawHeaders[i + 1]!]);
          }
          const merged = new Headers();
          for (const [name, value] of rawHeaders) merged.append(name, value);
          resolve({ status: response.statusCode ?? 502, headers: merged, rawHeaders, body: Buffer.concat(chunks) });
        });
      },
    );
    request.on('error', reject);
    request.end(body ?? undefined);
  });
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks) : null;
}

/** The control port: the Worker's purge channel (the body and answer of ctx.cache.purge()), and stats for the bench. */
async function handleControl(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const path = pathOf(req.url);
  if (req.method === 'POST' && path === '/purge') {
    let body: unknown;
    try {
      body = JSON.parse(String((await readBody(req)) ?? ''));
    } catch {
      body = undefined;
    }
    return reply(200, purge(state, body));
  }
  if (req.method === 'GET' && path === '/stats') return reply(200, { ...state.stats, entries: state.store.size() });
  if (req.method === 'GET' && path === '/purges') return reply(200, state.purges);
  reply(404, { error: 'POST /purge, GET /stats or GET /purges' });
}

function purge(state: State, body: unknown): { success: boolean; errors: PurgeError[] } {
  const problem = purgeRequestError(body);
  const request = (problem ? {} : body) as PurgeRequest;
  const error = problem ?? (state.bucket.take() ? null : RATE_LIMITED);
  const purged = error
    ? 0
    : state.store.purge({
        tags: request.tags,
        pathPrefixes: request.pathPrefixes,
        everything: request.purgeEverything,
      });
  state.purges.push({ at: state.now(), request, success: error === null, errors: error ? [error] : [], purged });
  if (error) state.log(`workers-cache: purge refused: ${error.message}`);
  return { success: error === null, errors: error ? [error] : [] };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
