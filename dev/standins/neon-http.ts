// Local stand-in for Neon's SQL-over-HTTP endpoint, so the real `neon()` client runs unchanged against PGlite or Postgres.
import type { StandIn } from './stand-in';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPgliteBackend, createPostgresBackend, type Backend } from './neon/backend';
import { runBatch, runQuery } from './neon/execute';
import { defaultArrayMode, formatError, isPostgresError, parseBatchOptions, parsePayload } from './neon/protocol';

export type { StandIn } from './stand-in';

export interface NeonHttpOptions {
  port?: number;
  host?: string;
  databaseUrl?: string;
  dataDir?: string;
  delayMs?: number;
  log?: (line: string) => void;
}

interface ServerState {
  backend: Backend;
  log: (line: string) => void;
  requests: number;
  delayMs: number;
}

interface Reply {
  status: number;
  body: unknown;
}

// The proxy refuses responses over 10 MiB with 507; keeping the limit catches queries that would fail on Neon.
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

export async function startNeonHttp(opts: NeonHttpOptions = {}): Promise<StandIn> {
  const log = opts.log ?? (() => undefined);
  const backend = opts.databaseUrl
    ? await createPostgresBackend(opts.databaseUrl, log)
    : await createPgliteBackend(opts.dataDir, log);
  const state: ServerState = { backend, log, requests: 0, delayMs: opts.delayMs ?? 0 };
  const server = createServer((req, res) => void handleRequest(state, req, res));
  const port = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1');
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/sql`,
    port,
    backend: backend.name,
    requestCount: () => state.requests,
    resetStats: () => {
      state.requests = 0;
    },
    setDelay: (ms) => {
      state.delayMs = ms;
    },
    close: () => (closing ??= shutdown(server, backend)),
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

async function shutdown(server: Server, backend: Backend): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive sockets from fetch would otherwise hold close() open for seconds.
  server.closeAllConnections();
  await closed;
  await backend.close();
}

async function handleRequest(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.on('error', () => undefined);
  try {
    send(res, await route(state, req));
  } catch (err) {
    // Last line of defence: a request may fail, the server may not.
    state.log(`neon-http: internal error: ${(err as Error).stack ?? String(err)}`);
    if (!res.headersSent) send(res, { status: 500, body: { message: 'internal stand-in error' } });
  }
}

async function route(state: ServerState, req: IncomingMessage): Promise<Reply> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'OPTIONS') return { status: 204, body: null };
  if (req.method === 'POST' && path === '/sql') return handleSql(state, req);
  if (req.method === 'GET' && path === '/__standin/stats') return { status: 200, body: stats(state) };
  if (req.method === 'POST' && path === '/__standin/reset') {
    state.requests = 0;
    return { status: 200, body: stats(state) };
  }
  return { status: 404, body: { message: `no route for ${req.method} ${path}` } };
}

function stats(state: ServerState): { backend: string; requests: number } {
  return { backend: state.backend.name, requests: state.requests };
}

async function handleSql(state: ServerState, req: IncomingMessage): Promise<Reply> {
  state.requests += 1;
  const body = await readBody(req);
  if (state.delayMs > 0) await sleep(state.delayMs);
  try {
    return { status: 200, body: await executeSql(state.backend, req, body) };
  } catch (err) {
    if (!isPostgresError(err)) state.log(`neon-http: request failed: ${(err as Error).message}`);
    return { status: 400, body: formatError(err) };
  }
}

async function executeSql(backend: Backend, req: IncomingMessage, body: string): Promise<unknown> {
  // Parsed before any connection is taken so malformed requests never touch the database.
  const options = parseBatchOptions(req.headers);
  const payload = parsePayload(body);
  const arrayMode = defaultArrayMode(req.headers);
  if (payload.kind === 'single') {
    return backend.withClient((client) => runQuery(client, payload.query, arrayMode));
  }
  const results = await backend.withClient((client) => runBatch(client, payload.queries, options, arrayMode));
  return { results };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  let status = reply.status;
  let payload = Buffer.from(reply.body === null ? '' : JSON.stringify(reply.body));
  if (payload.byteLength > MAX_RESPONSE_BYTES) {
    status = 507;
    payload = Buffer.from(JSON.stringify({ message: `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)` }));
  }
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': payload.byteLength,
    'access-control-allow-origin': '*',
    // Browsers preflight the client's custom Neon-* headers.
    'access-control-allow-headers': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
  });
  res.end(payload);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
