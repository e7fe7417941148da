// A minimal Chrome DevTools Protocol client for workerd's V8 inspector (Miniflare's `inspectorPort`): the profiler
// (bench/profile.ts) and the isolate's heap size after a forced collection (the bench's memory figure).
import { WebSocket } from 'ws';

export interface InspectorSession {
  send<T>(method: string, params?: object): Promise<T>;
  close(): void;
}

/** Connects to the Worker named `name` (or the last one listed) on the inspector at `port`. */
export async function inspector(port: number, name = 'lembas'): Promise<InspectorSession> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as {
    id: string;
    webSocketDebuggerUrl: string;
  }[];
  // The id names the Worker exactly (`core:user:<name>`): a title match for "lembas" would also find lembas-text.
  const target = targets.find((t) => t.id === `core:user:${name}`) ?? targets.at(-1)!;
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

/**
 * What the isolate keeps once its requests are done: the least of three full collections, a second after the last
 * request, so the work a response leaves running (fills in waitUntil, a refresh) is not counted as kept. One
 * snapshot taken as a load ends moved by up to half a MiB of a 4 MiB heap here.
 */
export async function retainedHeapBytes(session: InspectorSession): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const sizes: number[] = [];
  for (let i = 0; i < 3; i++) sizes.push(await liveHeapBytes(session));
  return Math.min(...sizes);
}

/** The isolate's live heap after a full collection, in bytes: what the Worker itself keeps between requests. */
export async function liveHeapBytes(session: InspectorSession): Promise<number> {
  // workerd never answers HeapProfiler.collectGarbage; a heap snapshot collects fully first (its chunks are ignored).
  await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  const { usedSize } = await session.send<{ usedSize: number }>('Runtime.getHeapUsage');
  return usedSize;
}
