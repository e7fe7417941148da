// Hash, list, set and sorted-set commands for ioredis-mock, with the type checks and edge cases it lacks.

import {
  addInt64,
  formatScore,
  parseBigInt,
  parseFloatArg,
  parseInteger,
  parseScoreBound,
  SYNTAX,
  upper,
  withinBounds,
  wrongArity,
} from './memory-args';
import type { CommandContext, CommandSpec, CommandTable } from './memory-spec';
import type { MemoryStore, ZMember } from './memory-store';
import { CommandError, OK, type Reply } from './reply';

type CollectionType = 'hash' | 'list' | 'set' | 'zset';

/** Delegates to ioredis-mock after the WRONGTYPE check it mostly skips, then drops a collection left empty. */
function viaMock(type: CollectionType, arity: number, name: string): CommandSpec {
  return {
    arity,
    run: ({ store }, args) => {
      store.expectType(args[0]!, type);
      const result = store.call(name, ...args);
      store.dropIfEmpty(args[0]!);
      return result === undefined ? null : (result as Reply);
    },
  };
}

function hset({ store }: CommandContext, [key, ...pairs]: string[]): Reply {
  if (pairs.length % 2 !== 0) throw wrongArity('hset');
  store.expectType(key!, 'hash');
  return store.call('hset', key!, ...pairs) as number;
}

function hmset(ctx: CommandContext, args: string[]): Reply {
  hset(ctx, args);
  return OK;
}

/** Own-property lookups: ioredis-mock's `hash[field]` answers "constructor" or "toString" with functions. */
function hget({ store }: CommandContext, [key, field]: string[]): Reply {
  return fieldOf(store.hashAt(key!), field!);
}

function hmget({ store }: CommandContext, [key, ...fields]: string[]): Reply {
  const hash = store.hashAt(key!);
  return fields.map((field) => fieldOf(hash, field));
}

function hgetall({ store }: CommandContext, [key]: string[]): Reply {
  return Object.entries(store.hashAt(key!)).flat();
}

function hexists({ store }: CommandContext, [key, field]: string[]): Reply {
  return fieldOf(store.hashAt(key!), field!) === null ? 0 : 1;
}

function hsetnx(ctx: CommandContext, [key, field, value]: string[]): Reply {
  if (fieldOf(ctx.store.hashAt(key!), field!) !== null) return 0;
  return hset(ctx, [key!, field!, value!]);
}

function hincrby({ store }: CommandContext, [key, field, delta]: string[]): Reply {
  const increment = parseBigInt(delta!);
  const current = fieldOf(store.hashAt(key!), field!) ?? '0';
  let base: bigint;
  try {
    base = parseBigInt(current);
  } catch {
    throw new CommandError('ERR hash value is not an integer');
  }
  const next = addInt64(base, increment);
  store.call('hset', key!, field!, next.toString());
  return Number(next);
}

function fieldOf(hash: Record<string, string>, field: string): string | null {
  return Object.hasOwn(hash, field) ? hash[field]! : null;
}

/** Redis' index rules: negatives count from the end, out-of-range ends are clamped (the mock does neither). */
function clampRange(length: number, startText: string, stopText: string): [number, number] | null {
  let start = parseInteger(startText);
  let stop = parseInteger(stopText);
  if (start < 0) start = Math.max(0, length + start);
  if (stop < 0) stop = length + stop;
  stop = Math.min(stop, length - 1);
  return start > stop || start >= length ? null : [start, stop];
}

function lrange({ store }: CommandContext, [key, start, stop]: string[]): Reply {
  const list = store.listAt(key!);
  const range = clampRange(list.length, start!, stop!);
  return range ? list.slice(range[0], range[1] + 1) : [];
}

function ltrim({ store }: CommandContext, [key, start, stop]: string[]): Reply {
  const list = store.listAt(key!);
  const range = clampRange(list.length, start!, stop!);
  if (range) store.data.set(key!, list.slice(range[0], range[1] + 1));
  else store.data.delete(key!);
  return OK;
}

function lindex({ store }: CommandContext, [key, indexText]: string[]): Reply {
  const list = store.listAt(key!);
  const index = parseInteger(indexText!);
  return list[index < 0 ? list.length + index : index] ?? null;
}

function pop(end: 'lpop' | 'rpop') {
  return ({ store }: CommandContext, [key, countText, ...extra]: string[]): Reply => {
    if (extra.length > 0) throw wrongArity(end);
    const list = store.listAt(key!);
    const count = countText === undefined ? null : parseInteger(countText);
    if (count !== null && count < 0) throw new CommandError('ERR value is out of range, must be positive');
    if (list.length === 0) return null;
    if (count === 0) return [];
    const taken = end === 'lpop' ? list.splice(0, count ?? 1) : list.splice(-(count ?? 1)).reverse();
    if (list.length > 0) store.data.set(key!, list);
    else store.data.delete(key!);
    return count === null ? (taken[0] ?? null) : taken;
  };
}

interface ZaddOptions {
  nx: boolean;
  xx: boolean;
  gt: boolean;
  lt: boolean;
  ch: boolean;
  incr: boolean;
}

const ZADD_FLAGS = ['NX', 'XX', 'GT', 'LT', 'CH', 'INCR'];

/** ZADD with every Redis 7 flag (the mock knows only uppercase NX/XX/CH/INCR and answers INCR with a count). */
function zadd({ store }: CommandContext, [key, ...rest]: string[]): Reply {
  const { options, pairs } = parseZadd(rest);
  const zset = store.zsetAt(key!);
  let added = 0;
  let changed = 0;
  let lastScore: number | null = null;
  for (let index = 0; index < pairs.length; index += 2) {
    const score = parseFloatArg(pairs[index]!);
    const member = pairs[index + 1]!;
    const existing = zset.get(member);
    const next = nextScore(existing, score, options);
    if (next === null) continue;
    if (!existing) added += 1;
    else if (existing.score !== next) changed += 1;
    zset.set(member, { score: next, value: member });
    lastScore = next;
  }
  if (zset.size > 0) store.data.set(key!, zset);
  if (options.incr) return lastScore === null ? null : formatScore(lastScore);
  return options.ch ? added + changed : added;
}

function nextScore(existing: ZMember | undefined, score: number, options: ZaddOptions): number | null {
  if ((options.nx && existing) || (options.xx && !existing)) return null;
  const next = options.incr ? (existing?.score ?? 0) + score : score;
  if (Number.isNaN(next)) throw new CommandError('ERR resulting score is not a number (NaN)');
  if (existing && ((options.gt && next <= existing.score) || (options.lt && next >= existing.score))) return null;
  return next;
}

function parseZadd(rest: string[]): { options: ZaddOptions; pairs: string[] } {
  let start = 0;
  while (start < rest.length && ZADD_FLAGS.includes(upper(rest[start]))) start += 1;
  const flags = new Set(rest.slice(0, start).map(upper));
  const pairs = rest.slice(start);
  const options: ZaddOptions = {
    nx: flags.has('NX'),
    xx: flags.has('XX'),
    gt: flags.has('GT'),
    lt: flags.has('LT'),
    ch: flags.has('CH'),
    incr: flags.has('INCR'),
  };
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw new CommandError(SYNTAX);
  if (options.nx && options.xx) throw new CommandError('ERR XX and NX options at the same time are not compatible');
  if ((options.gt && options.lt) || (options.nx && (options.gt || options.lt))) {
    throw new CommandError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (options.incr && pairs.length > 2)
    throw new CommandError('ERR INCR option supports a single increment-element pair');
  return { options, pairs };
}

function zincrby(ctx: CommandContext, [key, increment, member]: string[]): Reply {
  return zadd(ctx, [key!, 'INCR', increment!, member!]);
}

function zscore({ store }: CommandContext, [key, member]: string[]): Reply {
  const entry = store.zsetAt(key!).get(member!);
  return entry ? formatScore(entry.score) : null;
}

/** Float bounds ("(1.5", "-inf"): ioredis-mock parses score bounds with parseInt. */
function membersInRange(store: MemoryStore, key: string, minText: string, maxText: string): ZMember[] {
  const min = parseScoreBound(minText);
  const max = parseScoreBound(maxText);
  return [...store.zsetAt(key).values()].filter((entry) => withinBounds(entry.score, min, max));
}

function zcount({ store }: CommandContext, [key, min, max]: string[]): Reply {
  return membersInRange(store, key!, min!, max!).length;
}

function zremrangebyscore({ store }: CommandContext, [key, min, max]: string[]): Reply {
  const doomed = membersInRange(store, key!, min!, max!);
  if (doomed.length === 0) return 0;
  const zset = store.zsetAt(key!);
  doomed.forEach((entry) => zset.delete(entry.value));
  if (zset.size > 0) store.data.set(key!, zset);
  else store.data.delete(key!);
  return doomed.length;
}

function smembers({ store }: CommandContext, [key]: string[]): Reply {
  store.expectType(key!, 'set');
  return store.call('smembers', key!) as string[];
}

function sismember({ store }: CommandContext, [key, member]: string[]): Reply {
  store.expectType(key!, 'set');
  const value = store.data.get(key!);
  return value instanceof Set && value.has(member!) ? 1 : 0;
}

export const COLLECTION_COMMANDS: CommandTable = {
  hset: { arity: -4, run: hset },
  hmset: { arity: -4, run: hmset },
  hsetnx: { arity: 4, run: hsetnx },
  hget: { arity: 3, run: hget },
  hmget: { arity: -3, run: hmget },
  hgetall: { arity: 2, run: hgetall },
  hexists: { arity: 3, run: hexists },
  hincrby: { arity: 4, run: hincrby },
  hdel: viaMock('hash', -3, 'hdel'),
  hlen: viaMock('hash', 2, 'hlen'),
  hkeys: viaMock('hash', 2, 'hkeys'),
  hvals: viaMock('hash', 2, 'hvals'),
  lpush: viaMock('list', -3, 'lpush'),
  rpush: viaMock('list', -3, 'rpush'),
  llen: viaMock('list', 2, 'llen'),
  lrange: { arity: 4, run: lrange },
  ltrim: { arity: 4, run: ltrim },
  lindex: { arity: 3, run: lindex },
  lpop: { arity: -2, run: pop('lpop') },
  rpop: { arity: -2, run: pop('rpop') },
  sadd: viaMock('set', -3, 'sadd'),
  srem: viaMock('set', -3, 'srem'),
  scard: viaMock('set', 2, 'scard'),
  smembers: { arity: 2, run: smembers },
  sismember: { arity: 3, run: sismember },
  zadd: { arity: -4, run: zadd },
  zincrby: { arity: 4, run: zincrby },
  zscore: { arity: 3, run: zscore },
  zcard: viaMock('zset', 2, 'zcard'),
  zrem: viaMock('zset', -3, 'zrem'),
  zcount: { arity: 4, run: zcount },
  zremrangebyscore: { arity: 4, run: zremrangebyscore },
};
