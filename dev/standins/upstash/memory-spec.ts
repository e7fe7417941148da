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
  /** EVAL_RO / EVALSHA_RO: the script it runs may not call a write command (WRITE_COMMANDS). */
  readOnlyScript?: boolean;
}

/**
 * The implemented commands Redis 7 refuses inside a read-only script: those flagged `write` or `may-replicate`
 * (PFCOUNT may rewrite its cached cardinality, so it counts as a write). Taken from a real Redis 7.0 by running each
 * under EVAL_RO; dev/test/upstash-differential.test.ts compares the refusal with real Redis.
 */
export const WRITE_COMMANDS: ReadonlySet<string> = new Set(
  (
    'append bitop copy decr decrby del expire expireat flushall flushdb getdel getex getset hdel hincrby ' +
    'hincrbyfloat hmset hset hsetnx incr incrby incrbyfloat linsert lmove lmpop lpop lpush lpushx lrem lset ltrim ' +
    'mset msetnx persist pexpire pexpireat pfadd pfcount pfmerge psetex rename renamenx rpop rpush rpushx sadd ' +
    'sdiffstore set setbit setex setnx setrange sinterstore smove spop srem sunionstore unlink zadd zdiffstore ' +
    'zincrby zinterstore zpopmax zpopmin zrem zremrangebylex zremrangebyrank zremrangebyscore zunionstore'
  ).split(' '),
);

export type CommandTable = Record<string, CommandSpec>;
