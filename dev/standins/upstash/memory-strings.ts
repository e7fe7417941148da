// String commands for ioredis-mock, corrected to Redis semantics (protocols.md B7, B8).

import { addInt64, parseBigInt, parseExpireMs, parseInteger, SYNTAX, upper, wrongArity } from './memory-args';
import { incrementFloat } from './memory-numbers';
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
  const value = store.data.get(key!);
  return Buffer.isBuffer(value) ? value : store.stringAt(key!);
}

/**
 * GETEX: options are parsed first (a syntax error wins), a missing key answers nil before the expiry is checked,
 * and an EXAT/PXAT already past deletes the key after answering, as Redis 7.0's getexCommand does.
 */
function getex(ctx: CommandContext, [key, ...options]: string[]): Reply {
  const { store } = ctx;
  const parsed = parseGetexOptions(options);
  if (!store.data.has(key!)) return null;
  const value = get(ctx, [key!]);
  if (parsed.unit !== null) {
    const amount = parseExpireMs(parsed.amount!, EXPIRY_UNIT_MS[parsed.unit]!, 'getex');
    const atMs = parsed.unit === 'EX' || parsed.unit === 'PX' ? Date.now() + amount : amount;
    if (!Number.isSafeInteger(atMs)) throw new CommandError("ERR invalid expire time in 'getex' command");
    if (atMs <= Date.now()) store.remove(key!);
    else store.expires.set(key!, atMs);
  } else if (parsed.persist && store.expires.has(key!)) {
    store.expires.delete(key!);
  }
  return value;
}

function parseGetexOptions(tokens: string[]): { unit: string | null; amount: string | null; persist: boolean } {
  const parsed = { unit: null as string | null, amount: null as string | null, persist: false };
  for (let index = 0; index < tokens.length; index += 1) {
    const word = upper(tokens[index]);
    const free = parsed.unit === null && !parsed.persist;
    if (word === 'PERSIST' && free) parsed.persist = true;
    else if (word in EXPIRY_UNIT_MS && free && index + 1 < tokens.length) {
      parsed.unit = word;
      parsed.amount = tokens[++index]!;
    } else throw new CommandError(SYNTAX);
  }
  return parsed;
}

/** GETRANGE counts bytes, clamps like Redis 7.0 and answers "" for an empty or inverted range. */
function getrange({ store }: CommandContext, [key, startText, endText]: string[]): Reply {
  let start = parseInteger(startText!);
  let end = parseInteger(endText!);
  const bytes = store.bytesAt(key!) ?? Buffer.alloc(0);
  if (start < 0 && end < 0 && start > end) return '';
  const length = bytes.length;
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  start = Math.max(0, start);
  end = Math.max(0, end);
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return '';
  return bytes.subarray(start, end + 1);
}

/** SETRANGE pads with zero bytes, keeps the TTL, and creates nothing for an empty value on a missing key. */
function setrange({ store }: CommandContext, [key, offsetText, value]: string[]): Reply {
  const offset = parseInteger(offsetText!);
  if (offset < 0) throw new CommandError('ERR offset is out of range');
  const current = store.bytesAt(key!);
  const patch = Buffer.from(value!, 'utf8');
  if (patch.length === 0) return current?.length ?? 0;
  if (offset + patch.length > 512 * 1024 * 1024) {
    throw new CommandError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  }
  const base = current ?? Buffer.alloc(0);
  const next = Buffer.alloc(Math.max(base.length, offset + patch.length));
  base.copy(next);
  patch.copy(next, offset);
  store.setBytes(key!, next);
  return next.length;
}

/** GETSET is SET ... GET: the old value back, the TTL cleared. */
function getset(ctx: CommandContext, [key, value]: string[]): Reply {
  return set(ctx, [key!, value!, 'GET']);
}

function msetnx({ store }: CommandContext, args: string[]): Reply {
  if (args.length % 2 !== 0) throw wrongArity('msetnx');
  for (let index = 0; index < args.length; index += 2) if (store.data.has(args[index]!)) return 0;
  for (let index = 0; index < args.length; index += 2) {
    store.remove(args[index]!);
    store.data.set(args[index]!, args[index + 1]!);
  }
  return 1;
}

/** Long-double arithmetic and formatting, so 0.1 + 0.2 is "0.3" as in Redis; the TTL is kept. */
function incrbyfloat({ store }: CommandContext, [key, increment]: string[]): Reply {
  store.expectType(key!, 'string');
  const next = incrementFloat(store.stringAt(key!) ?? '0', increment!, 'ERR value is not a valid float');
  store.data.set(key!, next);
  return next;
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
  getex: { arity: -2, run: getex },
  getrange: { arity: 4, run: getrange },
  substr: { arity: 4, run: getrange },
  setrange: { arity: 4, run: setrange },
  getset: { arity: 3, run: getset },
  msetnx: { arity: -3, run: msetnx },
  incrbyfloat: { arity: 3, run: incrbyfloat },
};
