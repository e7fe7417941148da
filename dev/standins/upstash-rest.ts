// Local Upstash Redis REST endpoint, so the unchanged @upstash/redis client can run on ioredis-mock or real Redis.

import type { StandIn } from './stand-in';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Backend } from './upstash/backend';
import { createMemoryBackend } from './upstash/memory-backend';
import { connectRedis } from './upstash/redis-backend';
import { asCommandError, errorMessage, toWire, toWireEntry } from './upstash/reply';
import { HttpError, parseBatch, parseCommand, parseJson, routeOf, type Route } from './upstash/request';

export type { StandIn } from './stand-in';

export interface UpstashRestOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  host?: string;
  /** The bearer token every REST request must carry. */
  token: string;
  /** Real Redis via ioredis (a db index in the path is honoured); without it, in-process ioredis-mock. */
  redisUrl?: string;
  delayMs?: number;
  log?: (line: string) => void;
}

interface ServerState {
  backend: Backend;
  token: Buffer;
  requests: number;
  delayMs: number;
  log: (line: string) => void;
}

/** Upstash caps request bodies too; far above anything the blog sends, low enough to refuse runaway clients. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const JSON_HEADERS = { 'content-type': 'application/json', 'access-control-allow-origin': '*' };

export async function startUpstashRest(opts: UpstashRestOptions): Promise<StandIn> {
  if (!opts.token) throw new Error('startUpstashRest: a token is required');
  const log = opts.log ?? (() => {});
  const backend = opts.redisUrl ? await connectRedis(opts.redisUrl, log) : createMemoryBackend(log);
  const state: ServerState = { backend, token: Buffer.from(opts.token), requests: 0, delayMs: opts.delayMs ?? 0, log };
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) =>
      sendJson(res, 500, { error: `ERR ${errorMessage(error)}` }),
    );
  });
  const host = opts.host ?? '127.0.0.1';
  let port: number;
  try {
    port = await listen(server, opts.port ?? 0, host);
  } catch (error) {
    await backend.close();
    throw error;
  }
  log(`upstash-rest: listening on http://${host}:${port} (backend ${backend.kind})`);
  return standInFor(server, state, host, port);
}

function standInFor(server: Server, state: ServerState, host: string, port: number): StandIn {
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    backend: state.backend.kind,
    requestCount: () => state.requests,
    resetStats: () => {
      state.requests = 0;
    },
    setDelay: (ms) => {
      state.delayMs = Math.max(0, ms);
    },
    close: () => {
      closing ??= stopServer(server).then(() => state.backend.close());
      return closing;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The client keeps connections alive: idle sockets are cut now, busy ones get a moment to finish. */
function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}

async function handleRequest(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const route = routeOf(new URL(req.url ?? '/', 'http://stand-in').pathname);
  const status = await answer(state, route, req, res);
  state.log(`upstash-rest: ${req.method} ${req.url} ${route} -> ${status} in ${Date.now() - started}ms`);
}

/** Every failure, including a synchronous throw in a backend, ends as a JSON `{"error"}` body. */
async function answer(state: ServerState, route: Route, req: IncomingMessage, res: ServerResponse): Promise<number> {
  try {
    if (route === 'stats' || route === 'reset') return answerAdmin(state, route, req, res);
    if (req.method === 'OPTIONS') return sendPreflight(res);
    state.requests += 1;
    if (state.delayMs > 0) await sleep(state.delayMs);
    const body = await readBody(req);
    if (req.method !== 'POST') throw new HttpError(405, 'ERR method not allowed: use POST');
    if (!authorized(req.headers.authorization, state.token))
      throw new HttpError(401, 'ERR unauthorized: invalid bearer token');
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    return await runRoute(state.backend, route, parseJson(body), base64, res);
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    return sendJson(res, status, { error: error instanceof HttpError ? error.message : asCommandError(error).message });
  }
}

async function runRoute(
  backend: Backend,
  route: Route,
  body: unknown,
  base64: boolean,
  res: ServerResponse,
): Promise<number> {
  if (route === 'pipeline') {
    const outcomes = await backend.runPipeline(parseBatch(body));
    return sendJson(
      res,
      200,
      outcomes.map((outcome) => toWireEntry(outcome, base64)),
    );
  }
  if (route === 'multi') return runTransaction(backend, parseBatch(body), base64, res);
  try {
    const reply = await backend.run(parseCommand(body));
    return sendJson(res, 200, { result: toWire(reply, base64) });
  } catch (error) {
    if (error instanceof HttpError) throw error;
    return sendJson(res, 400, { error: asCommandError(error).message });
  }
}

/** A transaction discarded as a whole is one `{"error"}` with a non-2xx status: a 200 non-array crashes the client. */
async function runTransaction(
  backend: Backend,
  commands: string[][],
  base64: boolean,
  res: ServerResponse,
): Promise<number> {
  try {
    const outcomes = await backend.runTransaction(commands);
    return sendJson(
      res,
      200,
      outcomes.map((outcome) => toWireEntry(outcome, base64)),
    );
  } catch (error) {
    return sendJson(res, 400, { error: asCommandError(error).message });
  }
}

function answerAdmin(state: ServerState, route: 'stats' | 'reset', req: IncomingMessage, res: ServerResponse): number {
  req.resume();
  if (route === 'reset') {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'ERR method not allowed: use POST' });
    state.requests = 0;
  } else if (req.method !== 'GET') {
    return sendJson(res, 405, { error: 'ERR method not allowed: use GET' });
  }
  return sendJson(res, 200, { backend: state.backend.kind, requests: state.requests });
}

function sendPreflight(res: ServerResponse): number {
  res.writeHead(204, {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': '*',
  });
  res.end();
  return 204;
}

/** Constant-time comparison, out of habit for secrets, even on a dev stand-in. */
function authorized(header: string | undefined, token: Buffer): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  return given.length === token.length && timingSafeEqual(given, token);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'ERR request body too large'));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): number {
  if (res.headersSent) return status;
  // Encoded once: measuring the text's byte length and then writing it walked a 30 KB page twice.
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': payload.length });
  res.end(payload);
  return status;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
