// SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP over a string's bytes, following Redis 7.0's bitops.c (bit 0 is the
// most significant bit of the first byte; BYTE and BIT ranges; its argument order and error texts).

import { parseBigInt, parseInteger, SYNTAX, upper } from './memory-args';
import type { CommandContext, CommandTable } from './memory-spec';
import { CommandError, type Reply } from './reply';

const MAX_BIT_OFFSET = 512 * 1024 * 1024 * 8;

function parseOffset(text: string): number {
  let offset: bigint;
  try {
    offset = parseBigInt(text);
  } catch {
    throw new CommandError('ERR bit offset is not an integer or out of range');
  }
  if (offset < 0n || offset >= BigInt(MAX_BIT_OFFSET)) {
    throw new CommandError('ERR bit offset is not an integer or out of range');
  }
  return Number(offset);
}

function bitAt(bytes: Buffer, offset: number): number {
  const byte = offset >> 3;
  return byte < bytes.length ? (bytes[byte]! >> (7 - (offset & 7))) & 1 : 0;
}

function setbit({ store }: CommandContext, [key, offsetText, valueText]: string[]): Reply {
  const offset = parseOffset(offsetText!);
  if (valueText !== '0' && valueText !== '1') {
    let value: number | null = null;
    try {
      value = parseInteger(valueText!);
    } catch {
      // falls through to the error below
    }
    if (value !== 0 && value !== 1) throw new CommandError('ERR bit is not an integer or out of range');
  }
  const on = Number(valueText) === 1;
  const current = store.bytesAt(key!) ?? Buffer.alloc(0);
  const byte = offset >> 3;
  const bytes = Buffer.alloc(Math.max(current.length, byte + 1));
  current.copy(bytes);
  const previous = bitAt(bytes, offset);
  const mask = 1 << (7 - (offset & 7));
  bytes[byte] = on ? bytes[byte]! | mask : bytes[byte]! & ~mask;
  // data.set (through setBytes) keeps the TTL, as SETBIT does.
  store.setBytes(key!, bytes);
  return previous;
}

function getbit({ store }: CommandContext, [key, offsetText]: string[]): Reply {
  const offset = parseOffset(offsetText!);
  const bytes = store.bytesAt(key!);
  return bytes ? bitAt(bytes, offset) : 0;
}

function unitOf(text: string): boolean {
  const word = upper(text);
  if (word === 'BIT') return true;
  if (word === 'BYTE') return false;
  throw new CommandError(SYNTAX);
}

/** Redis' range normalisation: negatives from the end, then clamped into [0, length - 1]. */
function clamp(start: number, end: number, length: number): [number, number] {
  if (start < 0) start = length + start;
  if (end < 0) end = length + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  return [start, end];
}

function countBits(bytes: Buffer, firstBit: number, lastBit: number): number {
  let count = 0;
  for (let offset = firstBit; offset <= lastBit; offset += 1) count += bitAt(bytes, offset);
  return count;
}

/** A missing key answers 0 before the range is even parsed, as in Redis 7.0. */
function bitcount({ store }: CommandContext, [key, ...range]: string[]): Reply {
  if (!store.data.has(key!)) return 0;
  const bytes = store.bytesAt(key!)!;
  if (range.length === 0) return countBits(bytes, 0, bytes.length * 8 - 1);
  if (range.length !== 2 && range.length !== 3) throw new CommandError(SYNTAX);
  const start = parseInteger(range[0]!);
  const end = parseInteger(range[1]!);
  const isBit = range.length === 3 ? unitOf(range[2]!) : false;
  if (start < 0 && end < 0 && start > end) return 0;
  const length = isBit ? bytes.length * 8 : bytes.length;
  const [from, to] = clamp(start, end, length);
  if (from > to) return 0;
  return isBit ? countBits(bytes, from, to) : countBits(bytes, from * 8, to * 8 + 7);
}

function bitpos({ store }: CommandContext, [key, bitText, ...range]: string[]): Reply {
  let bit: number;
  try {
    bit = parseInteger(bitText!);
  } catch {
    throw new CommandError(NOT_A_BIT);
  }
  if (bit !== 0 && bit !== 1) throw new CommandError(NOT_A_BIT);
  if (!store.data.has(key!)) return bit === 1 ? -1 : 0;
  const bytes = store.bytesAt(key!)!;
  if (range.length > 3) throw new CommandError(SYNTAX);
  let first: number;
  let last: number;
  const endGiven = range.length >= 2;
  if (range.length === 0) {
    [first, last] = [0, bytes.length * 8 - 1];
  } else {
    const start = parseInteger(range[0]!);
    const isBit = range.length === 3 ? unitOf(range[2]!) : false;
    const end = endGiven ? parseInteger(range[1]!) : isBit ? bytes.length * 8 + 7 : bytes.length - 1;
    const length = isBit ? bytes.length * 8 : bytes.length;
    const [from, to] = clamp(start, end, length);
    if (from > to) return -1;
    [first, last] = isBit ? [from, to] : [from * 8, to * 8 + 7];
  }
  if (first > last) return -1;
  for (let offset = first; offset <= last; offset += 1) if (bitAt(bytes, offset) === bit) return offset;
  // Looking for a clear bit without an explicit end, Redis counts the string as padded with zeros on the right.
  if (bit === 1 || endGiven) return -1;
  return ((last >> 3) + 1) * 8;
}

const NOT_A_BIT = 'ERR The bit argument must be 1 or 0.';

function bitop({ store }: CommandContext, [operation, destination, ...keys]: string[]): Reply {
  const op = upper(operation);
  if (!['AND', 'OR', 'XOR', 'NOT'].includes(op)) throw new CommandError(SYNTAX);
  if (op === 'NOT' && keys.length !== 1) {
    throw new CommandError('ERR BITOP NOT must be called with a single source key.');
  }
  const sources = keys.map((key) => (store.data.has(key) ? store.bytesAt(key)! : Buffer.alloc(0)));
  const length = Math.max(0, ...sources.map((source) => source.length));
  const result = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) {
    const values = sources.map((source) => (index < source.length ? source[index]! : 0));
    if (op === 'NOT') result[index] = ~values[0]! & 0xff;
    else if (op === 'AND') result[index] = values.reduce((a, b) => a & b);
    else if (op === 'OR') result[index] = values.reduce((a, b) => a | b);
    else result[index] = values.reduce((a, b) => a ^ b);
  }
  store.remove(destination!);
  if (length > 0) store.setBytes(destination!, result);
  return length;
}

export const BIT_COMMANDS: CommandTable = {
  setbit: { arity: 4, run: setbit },
  getbit: { arity: 3, run: getbit },
  bitcount: { arity: -2, run: bitcount },
  bitpos: { arity: -3, run: bitpos },
  bitop: { arity: -4, run: bitop },
};
