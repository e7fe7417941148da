// The shape of one entry in the in-memory backend's command whitelist.

import type { MemoryStore } from './memory-store';
import type { Reply } from './reply';

export interface CommandContext {
  store: MemoryStore;
  /** Re-enters the dispatcher for redis.call inside a script. */
  execute(argv: string[]): Reply;
}

export interface CommandSpec {
  /** Redis convention, name included: 2 = exactly one argument, -2 = at least one. */
  arity: number;
  run(ctx: CommandContext, args: string[]): Reply;
  /** Redis refuses these inside a Lua script. */
  noScript?: boolean;
}

export type CommandTable = Record<string, CommandSpec>;
