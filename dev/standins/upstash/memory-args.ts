// Argument parsing with Redis' own rules and error texts, which ioredis-mock mostly skips (it coerces with Number()).

import { formatDouble } from './memory-numbers';
import { CommandError } from './reply';

export const NOT_INTEGER = 'ERR value is not an integer or out of range';
export const NOT_FLOAT = 'ERR value is not a valid float';
export const SYNTAX = 'ERR syntax error';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Redis' string2ll: optional minus, no plus sign, no leading zeros, no spaces, within int64. */
export function parseBigInt(text: string): bigint {
  if (!/^(0|-?[1-9][0-9]{0,19})$/.test(text)) throw new CommandError(NOT_INTEGER);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw new CommandError(NOT_INTEGER);
  return value;
}

export function parseInteger(text: string): number {
  const value = parseBigInt(text);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new CommandError(NOT_INTEGER);
  }
  return Number(value);
}

export function addInt64(current: bigint, delta: bigint): bigint {
  const next = current + delta;
  if (next < INT64_MIN || next > INT64_MAX) throw new CommandError('ERR increment or decrement would overflow');
  return next;
}

export function parseFloatArg(text: string, error = NOT_FLOAT): number {
  if (/^[+-]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw new CommandError(error);
  return Number(text);
}

/** A ZRANGEBYSCORE-style bound: "(" makes it exclusive, "-inf"/"+inf" are open ends. */
export interface ScoreBound {
  value: number;
  exclusive: boolean;
}

export function parseScoreBound(text: string): ScoreBound {
  const exclusive = text.startsWith('(');
  const value = parseFloatArg(exclusive ? text.slice(1) : text, 'ERR min or max is not a float');
  return { value, exclusive };
}

export function withinBounds(score: number, min: ScoreBound, max: ScoreBound): boolean {
  const aboveMin = min.exclusive ? score > min.value : score >= min.value;
  const belowMax = max.exclusive ? score < max.value : score <= max.value;
  return aboveMin && belowMax;
}

/** Redis 7.0 prints scores as "%.17g" and spells infinities "inf". */
export function formatScore(score: number): string {
  return formatDouble(score);
}

/** Redis' stringmatchlen glob (*, ?, [a-z], [^x], \\x) as a RegExp, for MATCH in SCAN, HSCAN, SSCAN and ZSCAN. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]!);
    else if (char === '[') {
      const close = pattern.indexOf(']', index + 2);
      if (close === -1) {
        source += escapeRegExp(char);
        continue;
      }
      let body = pattern.slice(index + 1, close);
      const negated = body.startsWith('^');
      if (negated) body = body.slice(1);
      const parts = body.replace(/\\(.)/g, '$1');
      let set = '';
      for (let at = 0; at < parts.length; at += 1) {
        if (parts[at + 1] === '-' && at + 2 < parts.length) {
          const [from, to] = [parts[at]!, parts[at + 2]!].sort();
          set += `${escapeRegExp(from!)}-${escapeRegExp(to!)}`;
          at += 2;
        } else set += escapeRegExp(parts[at]!);
      }
      source += negated ? `[^${set}]` : set === '' ? '(?!)' : `[${set}]`;
      index = close;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export function upper(text: string | undefined): string {
  return (text ?? '').toUpperCase();
}

export function wrongArity(name: string): CommandError {
  return new CommandError(`ERR wrong number of arguments for '${name}' command`);
}

/** Positive expire time in ms for SET EX/PX/EXAT/PXAT, SETEX and PSETEX. */
export function parseExpireMs(text: string, unitMs: number, command: string): number {
  const amount = parseInteger(text);
  const ms = amount * unitMs;
  if (amount <= 0 || !Number.isSafeInteger(ms))
    throw new CommandError(`ERR invalid expire time in '${command}' command`);
  return ms;
}

export interface ScanRequest {
  cursor: number;
  match: RegExp | null;
  count: number;
}

/** SCAN-family arguments with Redis' errors: strtoull cursors ("-1" is a huge valid one), COUNT at least 1. */
export function parseScanRequest(
  cursorText: string,
  options: string[],
  allowType = false,
): ScanRequest & {
  type: string | null;
} {
  if (!/^-?\d+$/.test(cursorText)) throw new CommandError('ERR invalid cursor');
  const cursor = cursorText.startsWith('-') ? Number.MAX_SAFE_INTEGER : Number(cursorText);
  const parsed = { cursor, match: null as RegExp | null, count: 10, type: null as string | null };
  for (let index = 0; index < options.length; index += 2) {
    const word = upper(options[index]);
    const value = options[index + 1];
    if (value === undefined) throw new CommandError(SYNTAX);
    if (word === 'MATCH') parsed.match = globToRegExp(value);
    else if (word === 'COUNT') parsed.count = parseInteger(value);
    else if (word === 'TYPE' && allowType) parsed.type = value.toLowerCase();
    else throw new CommandError(SYNTAX);
    if (parsed.count < 1) throw new CommandError(SYNTAX);
  }
  return parsed;
}

/**
 * One SCAN page over `items`. Redis answers a small (listpack or intset) collection in one call whatever the
 * cursor and COUNT say, so `whole` does the same; otherwise the cursor is a position and "0" ends the walk. MATCH filters after
 * the page is cut, as in Redis, so a page may come back empty before the walk ends.
 */
export function scanPage<T>(
  items: T[],
  request: ScanRequest,
  textOf: (item: T) => string,
  whole: boolean,
): [string, T[]] {
  const matches = (item: T) => request.match === null || request.match.test(textOf(item));
  if (whole) return ['0', items.filter(matches)];
  const end = request.cursor + request.count;
  return [String(end >= items.length ? 0 : end), items.slice(request.cursor, end).filter(matches)];
}
