// Keyspace (DEL, SCAN, EXPIRE, TTL…) and server commands for ioredis-mock, corrected to Redis semantics (B7, B8).

import { parseInteger, SYNTAX, upper, wrongArity } from './memory-args';
import { refusedCommand } from './memory-refusals';
import type { CommandContext, CommandTable } from './memory-spec';
import type { MemoryStore } from './memory-store';
import { CommandError, OK, Status, type Reply } from './reply';

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
  // Redis reads the cursor with strtoull, so "-1" is a (huge) valid cursor that simply ends the scan.
  if (!/^-?\d+$/.test(cursorText!)) throw new CommandError('ERR invalid cursor');
  const cursor = cursorText!.startsWith('-') ? Number.MAX_SAFE_INTEGER : Number(cursorText);
  const { match, count, keyType } = parseScanOptions(options);
  const all = store.data.keys();
  const end = cursor + count;
  const matching = match === null ? null : new Set(store.call('keys', match) as string[]);
  const page = all
    .slice(cursor, end)
    .filter((key) => (matching === null || matching.has(key)) && (keyType === null || store.typeOf(key) === keyType));
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
  const unsupported = flags.find((flag) => !['NX', 'XX', 'GT', 'LT'].includes(upper(flag)));
  if (unsupported !== undefined) throw new CommandError(`ERR Unsupported option ${unsupported}`);
  const words = new Set(flags.map(upper));
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

/** Moves value and TTL (data.set copies the value, so collections are never shared between keys). */
function copyKey(store: MemoryStore, source: string, destination: string): void {
  const value = store.data.get(source)!;
  const expiry = store.expires.has(source) ? store.expires.get(source) : null;
  store.remove(destination);
  store.data.set(destination, value);
  if (expiry !== null) store.expires.set(destination, expiry);
}

function copy({ store }: CommandContext, [source, destination, ...options]: string[]): Reply {
  let replace = false;
  for (let index = 0; index < options.length; index += 1) {
    const word = upper(options[index]);
    if (word === 'REPLACE') replace = true;
    else if (word === 'DB' && index + 1 < options.length) throw refusedCommand('COPY with DB');
    else throw new CommandError(SYNTAX);
  }
  if (source === destination) throw new CommandError('ERR source and destination objects are the same');
  if (!store.data.has(source!)) return 0;
  if (store.data.has(destination!) && !replace) return 0;
  copyKey(store, source!, destination!);
  return 1;
}

function rename({ store }: CommandContext, [source, destination]: string[]): Reply {
  if (!store.data.has(source!)) throw new CommandError('ERR no such key');
  if (source !== destination) {
    copyKey(store, source!, destination!);
    store.remove(source!);
  }
  return OK;
}

function renamenx({ store }: CommandContext, [source, destination]: string[]): Reply {
  if (!store.data.has(source!)) throw new CommandError('ERR no such key');
  if (source === destination || store.data.has(destination!)) return 0;
  copyKey(store, source!, destination!);
  store.remove(source!);
  return 1;
}

function randomkey({ store }: CommandContext): Reply {
  const all = store.data.keys();
  return all.length === 0 ? null : all[Math.floor(Math.random() * all.length)]!;
}

export const KEY_COMMANDS: CommandTable = {
  copy: { arity: -3, run: copy },
  rename: { arity: 3, run: rename },
  renamenx: { arity: 3, run: renamenx },
  touch: { arity: -2, run: exists },
  randomkey: { arity: 1, run: randomkey },
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
