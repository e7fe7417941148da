// Sorted-set reads and algebra with Redis 7.0's ordering (score, then member bytes), ranges, options and errors.

import {
  formatScore,
  parseFloatArg,
  parseInteger,
  parseScanRequest,
  parseScoreBound,
  scanPage,
  SYNTAX,
  upper,
  withinBounds,
  type ScoreBound,
} from './memory-args';
import type { CommandContext, CommandTable } from './memory-spec';
import type { MemoryStore, ZMember } from './memory-store';
import { CommandError, type Reply } from './reply';

/** Redis keeps a sorted set as a listpack (answered whole by ZSCAN) up to 128 members of at most 64 bytes. */
const LISTPACK_ENTRIES = 128;
const LISTPACK_VALUE_BYTES = 64;

type RangeType = 'rank' | 'score' | 'lex';

interface LexBound {
  value: string | null;
  /** -Infinity for "-", +Infinity for "+"; 0 for a bounded item. */
  open: -1 | 0 | 1;
  exclusive: boolean;
}

export function byRank(a: ZMember, b: ZMember): number {
  return a.score - b.score || Buffer.compare(Buffer.from(a.value), Buffer.from(b.value));
}

/** The members of the sorted set at `key` in Redis order; empty when missing, WRONGTYPE for another type. */
function ordered(store: MemoryStore, key: string): ZMember[] {
  return [...store.zsetAt(key).values()].sort(byRank);
}

function storeZset(store: MemoryStore, key: string, members: Map<string, ZMember>): void {
  if (members.size === 0) store.remove(key);
  else store.data.set(key, members);
}

function withScores(members: ZMember[], scores: boolean): Reply {
  return scores ? members.flatMap((entry) => [entry.value, formatScore(entry.score)]) : members.map((m) => m.value);
}

function parseLexBound(text: string): LexBound {
  if (text === '-') return { value: null, open: -1, exclusive: false };
  if (text === '+') return { value: null, open: 1, exclusive: false };
  if (text.startsWith('[') || text.startsWith('(')) {
    return { value: text.slice(1), open: 0, exclusive: text.startsWith('(') };
  }
  throw new CommandError('ERR min or max not valid string range item');
}

function compareLex(member: string, bound: LexBound): number {
  if (bound.open !== 0) return -bound.open;
  return Buffer.compare(Buffer.from(member), Buffer.from(bound.value!));
}

function withinLex(member: string, min: LexBound, max: LexBound): boolean {
  const low = compareLex(member, min);
  const high = compareLex(member, max);
  return (min.exclusive ? low > 0 : low >= 0) && (max.exclusive ? high < 0 : high <= 0);
}

/** Redis' rank clamping for ZRANGE and ZREMRANGEBYRANK: null when the range is empty. */
function rankRange(length: number, startText: string, stopText: string): [number, number] | null {
  let start = parseInteger(startText);
  let end = parseInteger(stopText);
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (start > end || start >= length) return null;
  return [start, Math.min(end, length - 1)];
}

interface RangeRequest {
  type: RangeType;
  reverse: boolean;
  scores: boolean;
  offset: number;
  limit: number;
  limited: boolean;
}

/**
 * ZRANGE and its legacy spellings (ZRANGEBYSCORE, ZREVRANGE…), following zrangeGenericCommand: options first,
 * then their conflicts, then the range (given max-first when reversed by score or lex), then the key.
 */
function zrangeGeneric(fixed: Partial<Pick<RangeRequest, 'type' | 'reverse'>>) {
  return ({ store }: CommandContext, [key, first, second, ...options]: string[]): Reply => {
    const request = parseRangeOptions(options, fixed);
    if (request.limited && request.type === 'rank') {
      throw new CommandError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
    }
    if (request.scores && request.type === 'lex') {
      throw new CommandError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
    }
    const [minText, maxText] = request.reverse && request.type !== 'rank' ? [second!, first!] : [first!, second!];
    const select = rangeSelector(request.type, minText, maxText);
    const members = ordered(store, key!);
    if (request.reverse) members.reverse();
    const chosen = select(members);
    if (request.type === 'rank') return withScores(chosen, request.scores);
    const skipped = request.offset < 0 ? [] : chosen.slice(request.offset);
    return withScores(request.limit < 0 ? skipped : skipped.slice(0, request.limit), request.scores);
  };
}

function parseRangeOptions(options: string[], fixed: Partial<Pick<RangeRequest, 'type' | 'reverse'>>): RangeRequest {
  const request = { type: fixed.type ?? null, reverse: fixed.reverse ?? null, scores: false, offset: 0, limit: -1 };
  let limited = false;
  for (let index = 0; index < options.length; index += 1) {
    const word = upper(options[index]);
    const left = options.length - index - 1;
    if (word === 'WITHSCORES') request.scores = true;
    else if (word === 'LIMIT' && left >= 2) {
      request.offset = parseInteger(options[index + 1]!);
      request.limit = parseInteger(options[index + 2]!);
      limited = request.limit !== -1;
      index += 2;
    } else if (request.reverse === null && word === 'REV') request.reverse = true;
    else if (request.type === null && word === 'BYLEX') request.type = 'lex';
    else if (request.type === null && word === 'BYSCORE') request.type = 'score';
    else throw new CommandError(SYNTAX);
  }
  return { ...request, type: request.type ?? 'rank', reverse: request.reverse ?? false, limited };
}

function rangeSelector(type: RangeType, minText: string, maxText: string): (members: ZMember[]) => ZMember[] {
  if (type === 'score') {
    const min = parseScoreBound(minText);
    const max = parseScoreBound(maxText);
    return (members) => members.filter((entry) => withinBounds(entry.score, min, max));
  }
  if (type === 'lex') {
    const min = parseLexBound(minText);
    const max = parseLexBound(maxText);
    return (members) => members.filter((entry) => withinLex(entry.value, min, max));
  }
  const start = parseInteger(minText);
  const stop = parseInteger(maxText);
  return (members) => {
    const range = rankRange(members.length, String(start), String(stop));
    return range ? members.slice(range[0], range[1] + 1) : [];
  };
}

function zrank(reverse: boolean) {
  return ({ store }: CommandContext, [key, member]: string[]): Reply => {
    const members = ordered(store, key!);
    const index = members.findIndex((entry) => entry.value === member);
    if (index === -1) return null;
    return reverse ? members.length - 1 - index : index;
  };
}

function zmscore({ store }: CommandContext, [key, ...members]: string[]): Reply {
  const zset = store.zsetAt(key!);
  return members.map((member) => {
    const entry = zset.get(member);
    return entry ? formatScore(entry.score) : null;
  });
}

function zpop(end: 'min' | 'max') {
  return ({ store }: CommandContext, [key, countText, ...extra]: string[]): Reply => {
    if (extra.length > 0) throw new CommandError(SYNTAX);
    const count = countText === undefined ? 1 : parseInteger(countText);
    if (count < 0) throw new CommandError('ERR value is out of range, must be positive');
    if (count === 0) return [];
    const zset = store.zsetAt(key!);
    if (zset.size === 0) return [];
    const members = [...zset.values()].sort(byRank);
    if (end === 'max') members.reverse();
    const taken = members.slice(0, count);
    taken.forEach((entry) => zset.delete(entry.value));
    storeZset(store, key!, zset);
    return withScores(taken, true);
  };
}

function lexMatches(store: MemoryStore, key: string, minText: string, maxText: string): ZMember[] {
  const min = parseLexBound(minText);
  const max = parseLexBound(maxText);
  return ordered(store, key).filter((entry) => withinLex(entry.value, min, max));
}

function zlexcount({ store }: CommandContext, [key, min, max]: string[]): Reply {
  return lexMatches(store, key!, min!, max!).length;
}

function removeMembers(store: MemoryStore, key: string, doomed: ZMember[]): number {
  if (doomed.length === 0) return 0;
  const zset = store.zsetAt(key);
  doomed.forEach((entry) => zset.delete(entry.value));
  storeZset(store, key, zset);
  return doomed.length;
}

function zremrangebylex({ store }: CommandContext, [key, min, max]: string[]): Reply {
  return removeMembers(store, key!, lexMatches(store, key!, min!, max!));
}

function zremrangebyrank({ store }: CommandContext, [key, start, stop]: string[]): Reply {
  // Redis parses the range before it looks at the key, so NOT_INTEGER wins over WRONGTYPE.
  parseInteger(start!);
  parseInteger(stop!);
  const members = ordered(store, key!);
  const range = rankRange(members.length, start!, stop!);
  return range ? removeMembers(store, key!, members.slice(range[0], range[1] + 1)) : 0;
}

type SetOperation = 'union' | 'inter' | 'diff';
type Aggregate = 'SUM' | 'MIN' | 'MAX';

/** A sorted set, or a plain set read with every score 1, as ZUNIONSTORE and friends accept both. */
function weightedSource(store: MemoryStore, key: string): Map<string, number> {
  const type = store.typeOf(key);
  if (type === 'none') return new Map();
  if (type === 'set') return new Map([...(store.data.get(key) as Set<string>)].map((member) => [member, 1]));
  if (type !== 'zset') throw new CommandError('WRONGTYPE Operation against a key holding the wrong kind of value');
  return new Map([...store.zsetAt(key).values()].map((entry) => [entry.value, entry.score]));
}

function aggregate(current: number | undefined, value: number, how: Aggregate): number {
  if (current === undefined) return value;
  if (how === 'MIN') return Math.min(current, value);
  if (how === 'MAX') return Math.max(current, value);
  const sum = current + value;
  return Number.isNaN(sum) ? 0 : sum;
}

/** zunionInterDiffGenericCommand: numkeys, the keys, then WEIGHTS / AGGREGATE / WITHSCORES (not for *STORE). */
function combine(operation: SetOperation, storing: boolean, name: string) {
  return ({ store }: CommandContext, args: string[]): Reply => {
    const destination = storing ? args[0]! : null;
    const [numkeysText, ...rest] = storing ? args.slice(1) : args;
    const numkeys = parseInteger(numkeysText!);
    if (numkeys < 1) throw new CommandError(`ERR at least 1 input key is needed for '${name}' command`);
    if (numkeys > rest.length) throw new CommandError(SYNTAX);
    const keys = rest.slice(0, numkeys);
    const sources = keys.map((key) => weightedSource(store, key));
    const weights = keys.map(() => 1);
    let how: Aggregate = 'SUM';
    let scores = false;
    const options = rest.slice(numkeys);
    for (let index = 0; index < options.length; index += 1) {
      const word = upper(options[index]);
      const left = options.length - index - 1;
      if (operation !== 'diff' && word === 'WEIGHTS' && left >= numkeys) {
        for (let at = 0; at < numkeys; at += 1) {
          weights[at] = parseFloatArg(options[index + 1 + at]!, 'ERR weight value is not a float');
        }
        index += numkeys;
      } else if (operation !== 'diff' && word === 'AGGREGATE' && left >= 1) {
        const choice = upper(options[index + 1]);
        if (choice !== 'SUM' && choice !== 'MIN' && choice !== 'MAX') throw new CommandError(SYNTAX);
        how = choice;
        index += 1;
      } else if (!storing && word === 'WITHSCORES') scores = true;
      else throw new CommandError(SYNTAX);
    }
    // Redis sorts the inputs smallest first (except for ZDIFF), which fixes the order scores are added in.
    const inputs = sources.map((source, index) => ({ source, weight: weights[index]! }));
    if (operation !== 'diff') inputs.sort((a, b) => a.source.size - b.source.size);
    const result = compute(
      operation,
      inputs.map((input) => input.source),
      inputs.map((input) => input.weight),
      how,
    );
    const members = [...result].map(([value, score]) => ({ value, score })).sort(byRank);
    if (!storing) return withScores(members, scores);
    store.remove(destination!);
    storeZset(store, destination!, new Map(members.map((entry) => [entry.value, entry])));
    return members.length;
  };
}

function weighted(score: number, weight: number): number {
  const value = score * weight;
  return Number.isNaN(value) ? 0 : value;
}

function compute(
  operation: SetOperation,
  sources: Map<string, number>[],
  weights: number[],
  how: Aggregate,
): Map<string, number> {
  const result = new Map<string, number>();
  if (operation === 'union') {
    sources.forEach((source, index) => {
      for (const [member, score] of source) {
        result.set(member, aggregate(result.get(member), weighted(score, weights[index]!), how));
      }
    });
  } else if (operation === 'inter') {
    const [first, ...others] = sources;
    for (const [member, score] of first ?? []) {
      if (!others.every((source) => source.has(member))) continue;
      let value = weighted(score, weights[0]!);
      others.forEach((source, index) => {
        value = aggregate(value, weighted(source.get(member)!, weights[index + 1]!), how);
      });
      result.set(member, value);
    }
  } else {
    const [first, ...others] = sources;
    for (const [member, score] of first ?? []) {
      if (others.every((source) => !source.has(member))) result.set(member, score);
    }
  }
  return result;
}

function zscan({ store }: CommandContext, [key, cursor, ...options]: string[]): Reply {
  const request = parseScanRequest(cursor!, options);
  const members = ordered(store, key!);
  const small =
    members.length <= LISTPACK_ENTRIES &&
    members.every((entry) => Buffer.byteLength(entry.value) <= LISTPACK_VALUE_BYTES);
  const [next, page] = scanPage(members, request, (entry) => entry.value, small);
  return [next, withScores(page, true)];
}

export const ZSET_COMMANDS: CommandTable = {
  zrange: { arity: -4, run: zrangeGeneric({}) },
  zrangebyscore: { arity: -4, run: zrangeGeneric({ type: 'score', reverse: false }) },
  zrevrangebyscore: { arity: -4, run: zrangeGeneric({ type: 'score', reverse: true }) },
  zrangebylex: { arity: -4, run: zrangeGeneric({ type: 'lex', reverse: false }) },
  zrevrangebylex: { arity: -4, run: zrangeGeneric({ type: 'lex', reverse: true }) },
  zrevrange: { arity: -4, run: zrangeGeneric({ type: 'rank', reverse: true }) },
  zrank: { arity: 3, run: zrank(false) },
  zrevrank: { arity: 3, run: zrank(true) },
  zmscore: { arity: -3, run: zmscore },
  zpopmin: { arity: -2, run: zpop('min') },
  zpopmax: { arity: -2, run: zpop('max') },
  zlexcount: { arity: 4, run: zlexcount },
  zremrangebylex: { arity: 4, run: zremrangebylex },
  zremrangebyrank: { arity: 4, run: zremrangebyrank },
  zunion: { arity: -3, run: combine('union', false, 'zunion') },
  zinter: { arity: -3, run: combine('inter', false, 'zinter') },
  zdiff: { arity: -3, run: combine('diff', false, 'zdiff') },
  zunionstore: { arity: -4, run: combine('union', true, 'zunionstore') },
  zinterstore: { arity: -4, run: combine('inter', true, 'zinterstore') },
  zdiffstore: { arity: -4, run: combine('diff', true, 'zdiffstore') },
  zscan: { arity: -3, run: zscan },
};
