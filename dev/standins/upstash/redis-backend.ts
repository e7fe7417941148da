// Real Redis behind the stand-in, through ioredis, so the REST wire can be checked against the genuine server.

import { createHash } from 'node:crypto';
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

/** Script flags Redis itself understands; Upstash adds its own (allow-key-locking) that Redis 7 refuses. */
const REDIS_SCRIPT_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * Rewrites scripts whose shebang carries Upstash-only flags into ones Redis accepts, and remembers the client's
 * sha (of the original text) for the rewritten script, so EVALSHA keeps hitting Redis' script cache.
 */
class ScriptTranslator {
  private readonly shas = new Map<string, string>();

  translate(command: Command): Command {
    const [name = '', ...args] = command;
    const upper = name.toUpperCase();
    if ((upper === 'EVAL' || upper === 'EVAL_RO') && args[0] !== undefined)
      return [name, this.rewrite(args[0]), ...args.slice(1)];
    if ((upper === 'EVALSHA' || upper === 'EVALSHA_RO') && args[0] !== undefined) {
      return [name, this.shas.get(args[0].toLowerCase()) ?? args[0], ...args.slice(1)];
    }
    if (upper === 'SCRIPT' && args[0]?.toUpperCase() === 'LOAD' && args[1] !== undefined)
      return [name, args[0], this.rewrite(args[1])];
    if (upper === 'SCRIPT' && args[0]?.toUpperCase() === 'EXISTS') {
      return [name, args[0], ...args.slice(1).map((sha) => this.shas.get(sha.toLowerCase()) ?? sha)];
    }
    return command;
  }

  /** SCRIPT LOAD answers with the sha of what Redis stored; the client expects the sha of what it sent. */
  reply(command: Command, reply: Reply): Reply {
    const [name = '', sub = '', source] = command;
    if (name.toUpperCase() === 'SCRIPT' && sub.toUpperCase() === 'LOAD' && source !== undefined) return sha1(source);
    return reply;
  }

  private rewrite(source: string): string {
    const match = /^#!lua([^\n]*)/.exec(source);
    if (!match) return source;
    const flags =
      /flags=([^\s]*)/
        .exec(match[1] ?? '')?.[1]
        ?.split(',')
        .filter(Boolean) ?? [];
    const kept = flags.filter((flag) => REDIS_SCRIPT_FLAGS.has(flag));
    if (kept.length === flags.length) return source;
    const rewritten = `#!lua${kept.length > 0 ? ` flags=${kept.join(',')}` : ''}${source.slice(match[0].length)}`;
    this.shas.set(sha1(source), sha1(rewritten));
    return rewritten;
  }
}

class RedisBackend implements Backend {
  readonly kind = 'redis' as const;
  private readonly scripts = new ScriptTranslator();

  constructor(private readonly client: IORedis) {}

  async run(original: Command): Promise<Reply> {
    const refused = refusal(original);
    if (refused) throw refused;
    const command = this.scripts.translate(original);
    try {
      return this.scripts.reply(original, fromIoredis(await this.client.callBuffer(...ioredisArgs(command))));
    } catch (error) {
      throw asCommandError(error);
    }
  }

  /** Refused commands never reach Redis; the rest go out together as one ioredis pipeline. */
  async runPipeline(commands: Command[]): Promise<Outcome[]> {
    const refusals = commands.map(refusal);
    const sent = commands.filter((_, index) => refusals[index] === null);
    const translated = sent.map((command) => this.scripts.translate(command));
    const results = translated.length > 0 ? await this.client.pipeline(translated.map(batchEntry)).exec() : [];
    let position = 0;
    return refusals.map((refused) => {
      if (refused) return refused;
      const original = sent[position] as Command;
      const outcome = fromPair(results?.[position++]);
      return outcome instanceof CommandError ? outcome : this.scripts.reply(original, outcome);
    });
  }

  async runTransaction(commands: Command[]): Promise<Outcome[]> {
    const refused = commands.map(refusal).find((error) => error !== null);
    if (refused) throw execAbort(refused);
    // callBuffer with uppercase names: ioredis' reply transformers (hgetall → object) key on lowercase names.
    const transaction = this.client.multi(commands.map((command) => batchEntry(this.scripts.translate(command))));
    let results: [Error | null, unknown][] | null;
    try {
      results = await transaction.exec();
    } catch (error) {
      throw discardedError(error);
    }
    if (!results) throw new CommandError('EXECABORT Transaction discarded');
    return results.map((pair, index) => {
      const outcome = fromPair(pair);
      return outcome instanceof CommandError ? outcome : this.scripts.reply(commands[index] as Command, outcome);
    });
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
