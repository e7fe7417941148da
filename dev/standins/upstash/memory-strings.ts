// String, keyspace and server commands for ioredis-mock, corrected to Redis semantics (protocols.md B7, B8).

import {
  addInt64, parseBigInt, parseExpireMs, parseInteger, SYNTAX, upper, wrongArity,
} from './memory-args';
import type { CommandContext, CommandTable } from './memory-spec';
import type { MemoryStore } from './memory-store';
import { CommandError, OK, Status, type Reply } from './reply';

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

/** ioredis-mock's DEL rejects the empty key name, which Redis allows. */
function del({ store }: CommandContext, keys: string[]): Reply {
  let removed = 0;
  for (const key of keys) {
    if (!store.data.has(key)) continue;
    store.data.delete(key);
    removed += 1;
  }
  return removed;
}

function exists({ store }: CommandContext, keys: string[]): Reply {
  return keys.filter((key) => store.data.has(key)).length;
}

function type({ store }: CommandContext, [key]: string[]): Reply {
  return new Status(store.typeOf(key!));
}

function keys({ store }: CommandContext, [pattern]: string[]): Reply {
  return store.call('keys', pattern!) as string[];
}

/**
 * SCAN walks ioredis-mock's key order by position; the cursor is that position as a string and "0" ends it.
 * MATCH reuses the mock's port of Redis' glob matcher, TYPE is filtered here (the mock lacks it).
 */
function scan({ store }: CommandContext, [cursorText, ...options]: string[]): Reply {
  if (!/^\d+$/.test(cursorText!)) throw new CommandError('ERR invalid cursor');
  const cursor = Number(cursorText);
  const { match, count, keyType } = parseScanOptions(options);
  const all = store.data.keys();
  const end = cursor + count;
  const matching = match === null ? null : new Set(store.call('keys', match) as string[]);
  const page = all.slice(cursor, end).filter((key) => (matching === null || matching.has(key))
    && (keyType === null || store.typeOf(key) === keyType));
  return [String(end >= all.length ? 0 : end), page];
}

function parseScanOptions(options: string[]): { match: string | null; count: number; keyType: string | null } {
  const parsed = { match: null as string | null, count: 10, keyType: null as string | null };
  for (let index = 0; index < options.length; index += 2) {
    const word = upper(options[index]);
    const value = options[index + 1];
    if (value === undefined) throw new CommandError(SYNTAX);
    if (word === 'MATCH') parsed.match = value;
    else if (word === 'COUNT') parsed.count = parseInteger(value);
    else if (word === 'TYPE') parsed.keyType = value.toLowerCase();
    else throw new CommandError(SYNTAX);
    if (parsed.count < 1) throw new CommandError(SYNTAX);
  }
  return parsed;
}

/** ioredis-mock ignores EXPIRE's NX/XX/GT/LT and keeps keys given a past expiry; this follows Redis 7. */
function expireAt(store: MemoryStore, key: string, atMs: number, flags: string[]): number {
  const { nx, xx, gt, lt } = parseExpireFlags(flags);
  if (!store.data.has(key)) return 0;
  const current = store.expires.has(key) ? store.expires.get(key) : null;
  if ((nx && current !== null) || (xx && current === null)) return 0;
  if (gt && (current === null || atMs <= current)) return 0;
  if (lt && current !== null && atMs >= current) return 0;
  if (atMs <= Date.now()) store.data.delete(key);
  else store.expires.set(key, atMs);
  return 1;
}

function parseExpireFlags(flags: string[]): Record<'nx' | 'xx' | 'gt' | 'lt', boolean> {
  const words = new Set(flags.map(upper));
  for (const word of words) {
    if (!['NX', 'XX', 'GT', 'LT'].includes(word)) throw new CommandError(`ERR Unsupported option ${word}`);
  }
  const parsed = { nx: words.has('NX'), xx: words.has('XX'), gt: words.has('GT'), lt: words.has('LT') };
  if (parsed.nx && (parsed.xx || parsed.gt || parsed.lt)) {
    throw new CommandError('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (parsed.gt && parsed.lt) throw new CommandError('ERR GT and LT options at the same time are not compatible');
  return parsed;
}

function expireCommand(name: string, toAbsoluteMs: (amount: number) => number) {
  return ({ store }: CommandContext, [key, amountText, ...flags]: string[]): Reply => {
    const atMs = toAbsoluteMs(parseInteger(amountText!));
    if (!Number.isSafeInteger(atMs)) throw new CommandError(`ERR invalid expire time in '${name}' command`);
    return expireAt(store, key!, atMs, flags);
  };
}

/** Milliseconds left, or -2 (no key) / -1 (no expiry); Redis rounds TTL seconds to nearest. */
function remainingMs(store: MemoryStore, key: string): number {
  if (!store.data.has(key)) return -2;
  if (!store.expires.has(key)) return -1;
  return Math.max(0, store.expires.get(key) - Date.now());
}

function ttl({ store }: CommandContext, [key]: string[]): Reply {
  const ms = remainingMs(store, key!);
  return ms < 0 ? ms : Math.floor((ms + 500) / 1000);
}

function pttl({ store }: CommandContext, [key]: string[]): Reply {
  return remainingMs(store, key!);
}

function expiretime(unitMs: number) {
  return ({ store }: CommandContext, [key]: string[]): Reply => {
    const ms = remainingMs(store, key!);
    return ms < 0 ? ms : Math.floor(store.expires.get(key!) / unitMs);
  };
}

function persist({ store }: CommandContext, [key]: string[]): Reply {
  if (!store.data.has(key!) || !store.expires.has(key!)) return 0;
  store.expires.delete(key!);
  return 1;
}

function ping(_ctx: CommandContext, args: string[]): Reply {
  if (args.length > 1) throw wrongArity('ping');
  return args.length === 1 ? args[0]! : new Status('PONG');
}

function echo(_ctx: CommandContext, [message]: string[]): Reply {
  return message!;
}

/** FLUSHDB and FLUSHALL are the same here: the stand-in has a single database. Scripts survive, as in Redis. */
function flush({ store }: CommandContext, args: string[]): Reply {
  if (args.length > 1 || (args.length === 1 && !['ASYNC', 'SYNC'].includes(upper(args[0])))) {
    throw new CommandError(SYNTAX);
  }
  store.call('flushall');
  return OK;
}

function dbsize({ store }: CommandContext): Reply {
  return store.data.keys().length;
}

function time(): Reply {
  const ms = Date.now();
  return [String(Math.floor(ms / 1000)), String((ms % 1000) * 1000)];
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
  del: { arity: -2, run: del },
  unlink: { arity: -2, run: del },
  exists: { arity: -2, run: exists },
  type: { arity: 2, run: type },
  keys: { arity: 2, run: keys },
  scan: { arity: -2, run: scan },
  expire: { arity: -3, run: expireCommand('expire', (s) => Date.now() + s * 1000) },
  pexpire: { arity: -3, run: expireCommand('pexpire', (ms) => Date.now() + ms) },
  expireat: { arity: -3, run: expireCommand('expireat', (s) => s * 1000) },
  pexpireat: { arity: -3, run: expireCommand('pexpireat', (ms) => ms) },
  ttl: { arity: 2, run: ttl },
  pttl: { arity: 2, run: pttl },
  expiretime: { arity: 2, run: expiretime(1000) },
  pexpiretime: { arity: 2, run: expiretime(1) },
  persist: { arity: 2, run: persist },
  ping: { arity: -1, run: ping },
  echo: { arity: 2, run: echo },
  flushall: { arity: -1, run: flush },
  flushdb: { arity: -1, run: flush },
  dbsize: { arity: 1, run: dbsize },
  time: { arity: 1, run: time },
};
