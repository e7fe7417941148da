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
    title: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.title.includes(name)) ?? targets.at(-1)!;
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

/** The isolate's live heap after a full collection, in bytes: what the Worker itself keeps between requests. */
export async function liveHeapBytes(session: InspectorSession): Promise<number> {
  // workerd never answers HeapProfiler.collectGarbage; a heap snapshot collects fully first (its chunks are ignored).
  await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  const { usedSize } = await session.send<{ usedSize: number }>('Runtime.getHeapUsage');
  return usedSize;
}
