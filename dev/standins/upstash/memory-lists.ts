// List commands ioredis-mock lacks or bends: LPOS, LINSERT, LREM, LSET, LPUSHX/RPUSHX, LMOVE and LMPOP.

import { parseInteger, SYNTAX, upper } from './memory-args';
import type { CommandContext, CommandTable } from './memory-spec';
import type { MemoryStore } from './memory-store';
import { CommandError, OK, type Reply } from './reply';

function storeList(store: MemoryStore, key: string, list: string[]): void {
  if (list.length === 0) store.remove(key);
  else store.data.set(key, list);
}

/** LPOS options are parsed (and checked) before the key is looked at, as in Redis 7.0's lposCommand. */
function lpos({ store }: CommandContext, [key, element, ...options]: string[]): Reply {
  let rank = 1;
  let count: number | null = null;
  let maxlen = 0;
  for (let index = 0; index < options.length; index += 2) {
    const word = upper(options[index]);
    const value = options[index + 1];
    if (value === undefined) throw new CommandError(SYNTAX);
    if (word === 'RANK') {
      rank = parseInteger(value);
      if (rank === 0) {
        throw new CommandError(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
    } else if (word === 'COUNT') {
      count = parseInteger(value);
      if (count < 0) throw new CommandError("ERR COUNT can't be negative");
    } else if (word === 'MAXLEN') {
      maxlen = parseInteger(value);
      if (maxlen < 0) throw new CommandError("ERR MAXLEN can't be negative");
    } else throw new CommandError(SYNTAX);
  }
  const list = store.listAt(key!);
  const found: number[] = [];
  const wanted = count === 0 ? Infinity : (count ?? 1);
  const indexes = list.map((_, index) => index);
  if (rank < 0) indexes.reverse();
  let skip = Math.abs(rank) - 1;
  for (const [checked, index] of indexes.entries()) {
    if (maxlen > 0 && checked >= maxlen) break;
    if (list[index] !== element) continue;
    if (skip > 0) {
      skip -= 1;
      continue;
    }
    found.push(index);
    if (found.length >= wanted) break;
  }
  return count === null ? (found[0] ?? null) : found;
}

function linsert({ store }: CommandContext, [key, where, pivot, element]: string[]): Reply {
  const side = upper(where);
  if (side !== 'BEFORE' && side !== 'AFTER') throw new CommandError(SYNTAX);
  const list = store.listAt(key!);
  if (list.length === 0) return 0;
  const at = list.indexOf(pivot!);
  if (at === -1) return -1;
  list.splice(side === 'BEFORE' ? at : at + 1, 0, element!);
  store.data.set(key!, list);
  return list.length;
}

/** count > 0 removes from the head, < 0 from the tail, 0 every match. */
function lrem({ store }: CommandContext, [key, countText, element]: string[]): Reply {
  const count = parseInteger(countText!);
  const list = store.listAt(key!);
  const limit = count === 0 ? Infinity : Math.abs(count);
  const order = list.map((_, index) => index);
  if (count < 0) order.reverse();
  const doomed = new Set<number>();
  for (const index of order) {
    if (doomed.size >= limit) break;
    if (list[index] === element) doomed.add(index);
  }
  if (doomed.size > 0)
    storeList(
      store,
      key!,
      list.filter((_, index) => !doomed.has(index)),
    );
  return doomed.size;
}

/** The key is looked up (and type-checked) before the index is parsed, as in Redis. */
function lset({ store }: CommandContext, [key, indexText, element]: string[]): Reply {
  if (!store.data.has(key!)) throw new CommandError('ERR no such key');
  const list = store.listAt(key!);
  const index = parseInteger(indexText!);
  const at = index < 0 ? list.length + index : index;
  if (at < 0 || at >= list.length) throw new CommandError('ERR index out of range');
  list[at] = element!;
  store.data.set(key!, list);
  return OK;
}

function pushx(end: 'left' | 'right') {
  return ({ store }: CommandContext, [key, ...elements]: string[]): Reply => {
    const list = store.listAt(key!);
    if (list.length === 0) return 0;
    const next = end === 'left' ? [...[...elements].reverse(), ...list] : [...list, ...elements];
    store.data.set(key!, next);
    return next.length;
  };
}

function side(text: string | undefined): 'LEFT' | 'RIGHT' {
  const word = upper(text);
  if (word !== 'LEFT' && word !== 'RIGHT') throw new CommandError(SYNTAX);
  return word;
}

/** LMOVE checks the destination's type only once the source has an element to move, as Redis does. */
function lmove({ store }: CommandContext, [source, destination, from, to]: string[]): Reply {
  const whereFrom = side(from);
  const whereTo = side(to);
  const list = store.listAt(source!);
  if (list.length === 0) return null;
  const target = source === destination ? list : store.listAt(destination!);
  const element = whereFrom === 'LEFT' ? list.shift()! : list.pop()!;
  if (whereTo === 'LEFT') target.unshift(element);
  else target.push(element);
  storeList(store, source!, list);
  if (source !== destination) storeList(store, destination!, target);
  return element;
}

function lmpop({ store }: CommandContext, [numkeysText, ...rest]: string[]): Reply {
  const numkeys = integerOr(numkeysText!, 'ERR numkeys should be greater than 0');
  if (numkeys <= 0) throw new CommandError('ERR numkeys should be greater than 0');
  if (numkeys >= rest.length) throw new CommandError(SYNTAX);
  const keys = rest.slice(0, numkeys);
  const [where, ...options] = rest.slice(numkeys);
  const fromLeft = side(where) === 'LEFT';
  let count = 1;
  let counted = false;
  for (let index = 0; index < options.length; index += 2) {
    if (upper(options[index]) !== 'COUNT' || options[index + 1] === undefined || counted) {
      throw new CommandError(SYNTAX);
    }
    count = integerOr(options[index + 1]!, 'ERR count should be greater than 0');
    if (count <= 0) throw new CommandError('ERR count should be greater than 0');
    counted = true;
  }
  for (const key of keys) {
    const list = store.listAt(key);
    if (list.length === 0) continue;
    const taken = fromLeft ? list.splice(0, count) : list.splice(-count).reverse();
    storeList(store, key, list);
    return [key, taken];
  }
  return null;
}

function integerOr(text: string, message: string): number {
  try {
    return parseInteger(text);
  } catch {
    throw new CommandError(message);
  }
}

export const LIST_COMMANDS: CommandTable = {
  lpos: { arity: -3, run: lpos },
  linsert: { arity: 5, run: linsert },
  lrem: { arity: 4, run: lrem },
  lset: { arity: 4, run: lset },
  lpushx: { arity: -3, run: pushx('left') },
  rpushx: { arity: -3, run: pushx('right') },
  lmove: { arity: 5, run: lmove },
  lmpop: { arity: -4, run: lmpop },
};
