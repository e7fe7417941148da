// The hash commands ioredis-mock gets wrong or lacks: HINCRBYFLOAT, HSTRLEN, HRANDFIELD and HSCAN.

import { parseInteger, parseScanRequest, scanPage, SYNTAX, upper } from './memory-args';
import { incrementFloat } from './memory-numbers';
import type { CommandContext, CommandTable } from './memory-spec';
import { CommandError, type Reply } from './reply';

/** Redis keeps a hash as a listpack (answered whole by HSCAN) up to 128 fields of at most 64 bytes. */
const LISTPACK_ENTRIES = 128;
const LISTPACK_VALUE_BYTES = 64;

function hincrbyfloat({ store }: CommandContext, [key, field, increment]: string[]): Reply {
  const hash = store.hashAt(key!);
  const current = Object.hasOwn(hash, field!) ? hash[field!]! : '0';
  const next = incrementFloat(current, increment!, 'ERR hash value is not a float');
  store.call('hset', key!, field!, next);
  return next;
}

function hstrlen({ store }: CommandContext, [key, field]: string[]): Reply {
  const hash = store.hashAt(key!);
  return Object.hasOwn(hash, field!) ? Buffer.byteLength(hash[field!]!) : 0;
}

/**
 * HRANDFIELD: no count gives one field (or nil); a positive count distinct fields, at most all of them; a
 * negative count that many picks, repeats allowed. Which fields come back is random in Redis too.
 */
function hrandfield({ store }: CommandContext, [key, countText, ...rest]: string[]): Reply {
  const withValues = rest.length === 1 && upper(rest[0]) === 'WITHVALUES';
  if (rest.length > 1 || (rest.length === 1 && !withValues)) throw new CommandError(SYNTAX);
  const count = countText === undefined ? null : parseInteger(countText);
  const entries = Object.entries(store.hashAt(key!));
  if (count === null) return entries.length === 0 ? null : pick(entries)[0];
  if (entries.length === 0) return [];
  const chosen = count >= 0 ? shuffle(entries).slice(0, count) : Array.from({ length: -count }, () => pick(entries));
  return withValues ? chosen.flat() : chosen.map(([field]) => field);
}

function hscan({ store }: CommandContext, [key, cursor, ...options]: string[]): Reply {
  const request = parseScanRequest(cursor!, options);
  const entries = Object.entries(store.hashAt(key!));
  const small =
    entries.length <= LISTPACK_ENTRIES &&
    entries.every(
      ([field, value]) => Math.max(Buffer.byteLength(field), Buffer.byteLength(value)) <= LISTPACK_VALUE_BYTES,
    );
  const [next, page] = scanPage(entries, request, ([field]) => field, small);
  return [next, page.flat()];
}

export function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

export function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

export const HASH_COMMANDS: CommandTable = {
  hincrbyfloat: { arity: 4, run: hincrbyfloat },
  hstrlen: { arity: 3, run: hstrlen },
  hrandfield: { arity: -2, run: hrandfield },
  hscan: { arity: -3, run: hscan },
};
