// Real Redis behind the stand-in, through ioredis, so the REST wire can be checked against the genuine server.

import IORedis from 'ioredis';
import { execAbort, refusal, type Backend } from './backend';
import { asCommandError, CommandError, type Outcome, type Reply } from './reply';
import type { Command } from './request';

type IoredisArgs = [string, ...string[]];

/** The db index in the URL path (redis://host:6379/3) is honoured by ioredis itself. */
export async function connectRedis(url: string, log: (line: string) => void): Promise<Backend> {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  // Without a listener ioredis reports connection trouble as "Unhandled error event" noise.
  client.on('error', (error: Error) => log(`upstash-rest: redis error: ${error.message}`));
  await client.connect();
  return new RedisBackend(client);
}

class RedisBackend implements Backend {
  readonly kind = 'redis' as const;

  constructor(private readonly client: IORedis) {}

  async run(command: Command): Promise<Reply> {
    const refused = refusal(command);
    if (refused) throw refused;
    try {
      return fromIoredis(await this.client.callBuffer(...ioredisArgs(command)));
    } catch (error) {
      throw asCommandError(error);
    }
  }

  /** Refused commands never reach Redis; the rest go out together as one ioredis pipeline. */
  async runPipeline(commands: Command[]): Promise<Outcome[]> {
    const refusals = commands.map(refusal);
    const sent = commands.filter((_, index) => refusals[index] === null);
    const results = sent.length > 0 ? await this.client.pipeline(sent.map(batchEntry)).exec() : [];
    let position = 0;
    return refusals.map((refused) => refused ?? fromPair(results?.[position++]));
  }

  async runTransaction(commands: Command[]): Promise<Outcome[]> {
    const refused = commands.map(refusal).find((error) => error !== null);
    if (refused) throw execAbort(refused);
    // callBuffer with uppercase names: ioredis' reply transformers (hgetall → object) key on lowercase names.
    const transaction = this.client.multi(commands.map(batchEntry));
    let results: [Error | null, unknown][] | null;
    try {
      results = await transaction.exec();
    } catch (error) {
      throw discardedError(error);
    }
    if (!results) throw new CommandError('EXECABORT Transaction discarded');
    return results.map(fromPair);
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

function ioredisArgs(command: Command): IoredisArgs {
  const [name = '', ...args] = command;
  return [name.toUpperCase(), ...args];
}

function batchEntry(command: Command): string[] {
  return ['callBuffer', ...ioredisArgs(command)];
}

function fromPair(pair: [Error | null, unknown] | undefined): Outcome {
  if (!pair) return new CommandError('ERR no reply from redis');
  const [error, value] = pair;
  return error ? asCommandError(error) : fromIoredis(value);
}

/** ioredis rejects EXEC with EXECABORT and hangs the queue-time errors on `previousErrors`. */
function discardedError(error: unknown): CommandError {
  const previous = (error as { previousErrors?: unknown[] }).previousErrors;
  if (Array.isArray(previous) && previous.length > 0) return execAbort(asCommandError(previous[0]));
  return asCommandError(error);
}

function fromIoredis(value: unknown): Reply {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map(fromIoredis);
  // An error nested in an array (e.g. a script returning EXEC-like data) has no REST form but its text.
  if (value instanceof Error) return value.message;
  return String(value);
}
