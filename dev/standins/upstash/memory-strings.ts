// String commands for ioredis-mock, corrected to Redis semantics (protocols.md B7, B8).

import { addInt64, parseBigInt, parseExpireMs, SYNTAX, upper, wrongArity } from './memory-args';
import type { CommandContext, CommandTable } from './memory-spec';
import type { MemoryStore } from './memory-store';
import { CommandError, OK, type Reply } from './reply';

interface SetOptions {
  condition: 'NX' | 'XX' | null;
  get: boolean;
  keepTtl: boolean;
  /** Uppercase keyword and value as ioredis-mock's set understands them, e.g. ['PX', '1500']. */
  expiry: [string, string] | null;
}

const EXPIRY_UNIT_MS: Record<string, number> = { EX: 1000, PX: 1, EXAT: 1000, PXAT: 1 };

/**
 * ioredis-mock matches SET keywords in uppercase only (the client sends lowercase), ignores KEEPTTL and clears
 * the TTL instead; options are parsed here and handed to the mock in the form it understands.
 */
function set({ store }: CommandContext, [key, value, ...rest]: string[]): Reply {
  const options = parseSetOptions(rest);
  if (options.get) store.expectType(key!, 'string');
  const keptExpiry = options.keepTtl && store.expires.has(key!) ? store.expires.get(key!) : null;
  const mockArgs = [options.condition, options.get ? 'GET' : null, ...(options.expiry ?? [])];
  const result = store.call('set', key!, value!, ...mockArgs.filter((item): item is string => item !== null));
  if (keptExpiry !== null && store.data.has(key!) && !store.expires.has(key!)) store.expires.set(key!, keptExpiry);
  if (options.get) return typeof result === 'string' ? result : null;
  return result === null ? null : OK;
}

function parseSetOptions(tokens: string[]): SetOptions {
  const options: SetOptions = { condition: null, get: false, keepTtl: false, expiry: null };
  for (let index = 0; index < tokens.length; index += 1) {
    const word = upper(tokens[index]);
    if (word === 'NX' || word === 'XX') {
      if (options.condition && options.condition !== word) throw new CommandError(SYNTAX);
      options.condition = word;
    } else if (word === 'GET') {
      options.get = true;
    } else if (word === 'KEEPTTL' && !options.expiry) {
      options.keepTtl = true;
    } else if (word in EXPIRY_UNIT_MS && !options.expiry && !options.keepTtl && index + 1 < tokens.length) {
      index += 1;
      parseExpireMs(tokens[index]!, EXPIRY_UNIT_MS[word]!, 'set');
      options.expiry = [word, tokens[index]!];
    } else {
      throw new CommandError(SYNTAX);
    }
  }
  return options;
}

function setWithExpiry(unit: 'EX' | 'PX', command: string) {
  return ({ store }: CommandContext, [key, amount, value]: string[]): Reply => {
    parseExpireMs(amount!, EXPIRY_UNIT_MS[unit]!, command);
    store.call('set', key!, value!, unit, amount!);
    return OK;
  };
}

function get({ store }: CommandContext, [key]: string[]): Reply {
  store.expectType(key!, 'string');
  return store.stringAt(key!);
}

/** MGET answers nil for a key of another type instead of failing. */
function mget({ store }: CommandContext, keys: string[]): Reply {
  return keys.map((key) => (store.typeOf(key) === 'string' ? store.stringAt(key) : null));
}

function mset({ store }: CommandContext, args: string[]): Reply {
  if (args.length % 2 !== 0) throw wrongArity('mset');
  store.call('mset', ...args);
  return OK;
}

/** ioredis-mock increments with Number(): "abc" becomes NaN and big values lose precision; Redis uses int64. */
function incrementBy(store: MemoryStore, key: string, delta: bigint): number {
  store.expectType(key, 'string');
  const current = store.stringAt(key) ?? '0';
  const next = addInt64(parseBigInt(current), delta);
  // data.set leaves the expiry alone, as INCR does in Redis.
  store.data.set(key, next.toString());
  return Number(next);
}

function incr({ store }: CommandContext, [key]: string[]): Reply {
  return incrementBy(store, key!, 1n);
}

function decr({ store }: CommandContext, [key]: string[]): Reply {
  return incrementBy(store, key!, -1n);
}

function incrby({ store }: CommandContext, [key, delta]: string[]): Reply {
  return incrementBy(store, key!, parseBigInt(delta!));
}

function decrby({ store }: CommandContext, [key, delta]: string[]): Reply {
  return incrementBy(store, key!, -parseBigInt(delta!));
}

function strlen({ store }: CommandContext, [key]: string[]): Reply {
  store.expectType(key!, 'string');
  return Buffer.byteLength(store.stringAt(key!) ?? '');
}

function append({ store }: CommandContext, [key, suffix]: string[]): Reply {
  store.expectType(key!, 'string');
  const next = (store.stringAt(key!) ?? '') + suffix!;
  store.data.set(key!, next);
  return Buffer.byteLength(next);
}

function getdel({ store }: CommandContext, [key]: string[]): Reply {
  store.expectType(key!, 'string');
  const value = store.stringAt(key!);
  store.data.delete(key!);
  return value;
}

export const STRING_COMMANDS: CommandTable = {
  get: { arity: 2, run: get },
  mget: { arity: -2, run: mget },
  set: { arity: -3, run: set },
  setex: { arity: 4, run: setWithExpiry('EX', 'setex') },
  psetex: { arity: 4, run: setWithExpiry('PX', 'psetex') },
  setnx: { arity: 3, run: (ctx, [key, value]) => (set(ctx, [key!, value!, 'NX']) === null ? 0 : 1) },
  mset: { arity: -3, run: mset },
  getdel: { arity: 2, run: getdel },
  incr: { arity: 2, run: incr },
  decr: { arity: 2, run: decr },
  incrby: { arity: 3, run: incrby },
  decrby: { arity: 3, run: decrby },
  strlen: { arity: 2, run: strlen },
  append: { arity: 3, run: append },
};
