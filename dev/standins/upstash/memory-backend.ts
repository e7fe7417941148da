// The in-process backend: ioredis-mock behind a whitelist of commands corrected to Redis semantics (B8).

import { execAbort, refusal, type Backend } from './backend';
import { floatsPrintLikeLua51 } from './fengari';
import { BIT_COMMANDS } from './memory-bits';
import { COLLECTION_COMMANDS } from './memory-collections';
import { HASH_COMMANDS } from './memory-hashes';
import { HYPERLOGLOG_COMMANDS } from './memory-hyperloglog';
import { KEY_COMMANDS } from './memory-keys';
import { LIST_COMMANDS } from './memory-lists';
import { SCRIPTING_COMMANDS } from './memory-scripting';
import { isKnownCommand, refusedCommand } from './memory-refusals';
import { WRITE_COMMANDS, type CommandTable } from './memory-spec';
import { MemoryStore } from './memory-store';
import { SET_COMMANDS } from './memory-sets';
import { STRING_COMMANDS } from './memory-strings';
import { ZSET_COMMANDS } from './memory-zsets';
import { asCommandError, CommandError, type Outcome, type Reply } from './reply';
import type { Command } from './request';

/** ioredis-mock has no generic call() and throws synchronously on unknown names, so only these are dispatched. */
const COMMANDS: CommandTable = {
  ...STRING_COMMANDS,
  ...KEY_COMMANDS,
  ...COLLECTION_COMMANDS,
  ...HASH_COMMANDS,
  ...LIST_COMMANDS,
  ...SET_COMMANDS,
  ...ZSET_COMMANDS,
  ...HYPERLOGLOG_COMMANDS,
  ...BIT_COMMANDS,
  ...SCRIPTING_COMMANDS,
};

/** Whether the engine implements `name` itself (rather than refusing it). */
export function supportsCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name.toLowerCase());
}

export function createMemoryBackend(log: (line: string) => void): Backend {
  if (!floatsPrintLikeLua51) log('upstash-rest: fengari was loaded early; Lua will print integral floats as "1.0"');
  return new MemoryBackend(new MemoryStore());
}

/**
 * Every command runs synchronously to completion on the single JS thread, so commands, pipelines and
 * MULTI/EXEC bodies are serialised by construction: no other request can interleave with them.
 */
class MemoryBackend implements Backend {
  readonly kind = 'memory' as const;

  constructor(private readonly store: MemoryStore) {}

  async run(command: Command): Promise<Reply> {
    const outcome = this.outcomeOf(command);
    if (outcome instanceof CommandError) throw outcome;
    return outcome;
  }

  async runPipeline(commands: Command[]): Promise<Outcome[]> {
    return commands.map((command) => this.outcomeOf(command));
  }

  /** Like Redis, queue-time errors (unknown command, wrong arity) discard the whole transaction. */
  async runTransaction(commands: Command[]): Promise<Outcome[]> {
    const queueError = commands.map((command) => rejection(command, 'none')).find((error) => error !== null);
    if (queueError) throw execAbort(queueError);
    return commands.map((command) => this.outcomeOf(command));
  }

  async close(): Promise<void> {
    this.store.close();
  }

  private outcomeOf(command: Command): Outcome {
    try {
      return this.execute(command, 'none');
    } catch (error) {
      return asCommandError(error);
    }
  }

  private execute(argv: Command, script: ScriptMode): Reply {
    const error = rejection(argv, script);
    if (error) throw error;
    const [name = '', ...args] = argv;
    const spec = COMMANDS[name.toLowerCase()]!;
    const inner: ScriptMode = spec.readOnlyScript ? 'read-only' : 'script';
    return spec.run({ store: this.store, execute: (call) => this.execute(call, inner) }, args);
  }
}

/** Whether a command runs on its own, from a script, or from a read-only script (EVAL_RO, EVALSHA_RO). */
type ScriptMode = 'none' | 'script' | 'read-only';

/** The checks Redis makes before running (or queueing) a command; scripts get Redis 7.0's script wording. */
function rejection(argv: Command, script: ScriptMode): CommandError | null {
  const inScript = script !== 'none';
  const refused = refusal(argv);
  if (refused) return refused;
  const [name = '', ...args] = argv;
  const spec = Object.hasOwn(COMMANDS, name.toLowerCase()) ? COMMANDS[name.toLowerCase()] : undefined;
  if (!spec && isKnownCommand(name)) return refusedCommand(name.toUpperCase());
  if (!spec)
    return inScript ? new CommandError('ERR Unknown Redis command called from script') : unknownCommand(name, args);
  if (inScript && spec.noScript) return new CommandError('ERR This Redis command is not allowed from script');
  const arityFits = spec.arity >= 0 ? argv.length === spec.arity : argv.length >= -spec.arity;
  // Redis checks the arity first, then whether a read-only script may run it (scriptVerifyWriteCommandAllow).
  if (arityFits && script === 'read-only' && WRITE_COMMANDS.has(name.toLowerCase())) {
    return new CommandError('ERR Write commands are not allowed from read-only scripts.');
  }
  if (arityFits) return null;
  return new CommandError(
    inScript
      ? 'ERR Wrong number of args calling Redis command from script'
      : `ERR wrong number of arguments for '${name.toLowerCase()}' command`,
  );
}

function unknownCommand(name: string, args: string[]): CommandError {
  const preview = args
    .slice(0, 3)
    .map((arg) => `'${arg.slice(0, 128)}' `)
    .join('');
  return new CommandError(`ERR unknown command '${name}', with args beginning with: ${preview}`);
}
