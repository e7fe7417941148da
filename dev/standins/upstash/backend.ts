// The storage seam of the stand-in: one interface over real Redis (ioredis) and in-process ioredis-mock.

import type { Command } from './request';
import { CommandError, type Outcome, type Reply } from './reply';

export type BackendKind = 'memory' | 'redis';

export interface Backend {
  readonly kind: BackendKind;
  /** Resolves to the reply; rejects with a CommandError for a Redis error reply. */
  run(command: Command): Promise<Reply>;
  /** Not atomic, like Upstash: each entry succeeds or fails on its own. */
  runPipeline(commands: Command[]): Promise<Outcome[]>;
  /** MULTI/EXEC; rejects with a CommandError when the transaction is discarded as a whole (EXECABORT). */
  runTransaction(commands: Command[]): Promise<Outcome[]>;
  close(): Promise<void>;
}

/**
 * Commands that would change the state of the shared connection (database, transaction, subscriber or
 * monitor mode, auth) and so break every later request; Upstash refuses them too.
 */
const REFUSED = new Set([
  'select',
  'swapdb',
  'multi',
  'exec',
  'discard',
  'watch',
  'unwatch',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
  'monitor',
  'quit',
  'reset',
  'auth',
  'hello',
  'client',
  'sync',
  'psync',
  'shutdown',
  'replicaof',
  'slaveof',
]);

export function refusal(command: Command): CommandError | null {
  const name = (command[0] ?? '').toLowerCase();
  return REFUSED.has(name) ? new CommandError(`ERR Command is not available: '${name}'`) : null;
}

export function execAbort(cause: CommandError): CommandError {
  return new CommandError(`EXECABORT Transaction discarded because of previous errors: ${cause.message}`);
}
