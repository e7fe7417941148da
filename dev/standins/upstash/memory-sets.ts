// Set commands beyond ioredis-mock's basics: SPOP/SRANDMEMBER with counts, the set algebra, SMOVE, SMISMEMBER, SSCAN.

import { parseInteger, parseScanRequest, scanPage, SYNTAX, upper } from './memory-args';
import { pick, shuffle } from './memory-hashes';
import type { CommandContext, CommandTable } from './memory-spec';
import type { MemoryStore } from './memory-store';
import { CommandError, type Reply } from './reply';

const POSITIVE = 'ERR value is out of range, must be positive';
/** Redis 7.0 keeps a set of integers as an intset (answered whole by SSCAN) up to 512 members. */
const INTSET_ENTRIES = 512;

/** The members of the set at `key` (a copy), empty when missing; WRONGTYPE for any other type. */
export function setAt(store: MemoryStore, key: string): Set<string> {
  store.expectType(key, 'set');
  const value = store.data.get(key);
  return value instanceof Set ? value : new Set();
}

/** Writes a set back, or deletes the key when it is empty, as Redis never keeps an empty collection. */
export function storeSet(store: MemoryStore, key: string, members: Set<string>): void {
  if (members.size === 0) store.remove(key);
  else store.data.set(key, members);
}

function spop({ store }: CommandContext, [key, countText, ...extra]: string[]): Reply {
  if (extra.length > 0) throw new CommandError(SYNTAX);
  const members = setAt(store, key!);
  if (countText === undefined) {
    if (members.size === 0) return null;
    const chosen = pick([...members]);
    members.delete(chosen);
    storeSet(store, key!, members);
    return chosen;
  }
  const count = parseInteger(countText);
  if (count < 0) throw new CommandError(POSITIVE);
  if (members.size === 0 || count === 0) return [];
  const chosen = shuffle([...members]).slice(0, count);
  chosen.forEach((member) => members.delete(member));
  storeSet(store, key!, members);
  return chosen;
}

function srandmember({ store }: CommandContext, [key, countText, ...extra]: string[]): Reply {
  if (extra.length > 0) throw new CommandError(SYNTAX);
  const members = [...setAt(store, key!)];
  if (countText === undefined) return members.length === 0 ? null : pick(members);
  const count = parseInteger(countText);
  if (members.length === 0 || count === 0) return [];
  return count > 0 ? shuffle(members).slice(0, count) : Array.from({ length: -count }, () => pick(members));
}

/** Every key is type-checked first, as Redis does, even when an earlier one already makes the answer empty. */
function setsAt(store: MemoryStore, keys: string[]): Set<string>[] {
  return keys.map((key) => setAt(store, key));
}

function intersect(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = [...sets].sort((a, b) => a.size - b.size);
  return new Set([...(first ?? [])].filter((member) => rest.every((set) => set.has(member))));
}

function union(sets: Set<string>[]): Set<string> {
  return new Set(sets.flatMap((set) => [...set]));
}

function difference(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((member) => rest.every((set) => !set.has(member))));
}

function algebra(combine: (sets: Set<string>[]) => Set<string>) {
  return ({ store }: CommandContext, keys: string[]): Reply => [...combine(setsAt(store, keys))];
}

/** The *STORE forms overwrite the destination whatever its type, and delete it for an empty result. */
function algebraStore(combine: (sets: Set<string>[]) => Set<string>) {
  return ({ store }: CommandContext, [destination, ...keys]: string[]): Reply => {
    const result = combine(setsAt(store, keys));
    store.remove(destination!);
    storeSet(store, destination!, result);
    return result.size;
  };
}

function sintercard({ store }: CommandContext, [numkeysText, ...rest]: string[]): Reply {
  const numkeys = integerOr(numkeysText!, 'ERR numkeys should be greater than 0');
  if (numkeys <= 0) throw new CommandError('ERR numkeys should be greater than 0');
  if (numkeys > rest.length) throw new CommandError("ERR Number of keys can't be greater than number of args");
  let limit = 0;
  const options = rest.slice(numkeys);
  for (let index = 0; index < options.length; index += 2) {
    if (upper(options[index]) !== 'LIMIT' || options[index + 1] === undefined) throw new CommandError(SYNTAX);
    limit = integerOr(options[index + 1]!, "ERR LIMIT can't be negative");
    if (limit < 0) throw new CommandError("ERR LIMIT can't be negative");
  }
  const size = intersect(setsAt(store, rest.slice(0, numkeys))).size;
  return limit > 0 ? Math.min(size, limit) : size;
}

/** Redis words some integer arguments' errors itself (getRangeLongFromObjectOrReply with a message). */
function integerOr(text: string, message: string): number {
  try {
    return parseInteger(text);
  } catch {
    throw new CommandError(message);
  }
}

function smove({ store }: CommandContext, [source, destination, member]: string[]): Reply {
  if (!store.data.has(source!)) return 0;
  const from = setAt(store, source!);
  const to = setAt(store, destination!);
  if (!from.has(member!)) return 0;
  if (source === destination) return 1;
  from.delete(member!);
  to.add(member!);
  storeSet(store, source!, from);
  storeSet(store, destination!, to);
  return 1;
}

function smismember({ store }: CommandContext, [key, ...members]: string[]): Reply {
  const set = setAt(store, key!);
  return members.map((member) => (set.has(member) ? 1 : 0));
}

function sscan({ store }: CommandContext, [key, cursor, ...options]: string[]): Reply {
  const request = parseScanRequest(cursor!, options);
  const members = [...setAt(store, key!)];
  const intset = members.length <= INTSET_ENTRIES && members.every((member) => /^(0|-?[1-9]\d{0,18})$/.test(member));
  return scanPage(members, request, (member) => member, intset);
}

export const SET_COMMANDS: CommandTable = {
  spop: { arity: -2, run: spop },
  srandmember: { arity: -2, run: srandmember },
  sinter: { arity: -2, run: algebra(intersect) },
  sunion: { arity: -2, run: algebra(union) },
  sdiff: { arity: -2, run: algebra(difference) },
  sinterstore: { arity: -3, run: algebraStore(intersect) },
  sunionstore: { arity: -3, run: algebraStore(union) },
  sdiffstore: { arity: -3, run: algebraStore(difference) },
  sintercard: { arity: -3, run: sintercard },
  smove: { arity: 4, run: smove },
  smismember: { arity: -3, run: smismember },
  sscan: { arity: -3, run: sscan },
};
