// PFADD, PFCOUNT and PFMERGE as Redis' hyperloglog.c computes them (MurmurHash64A, 16384 six-bit registers, the
// Ertl estimator), so a unique-visitor count is the very number Upstash would give, not a close one.

import type { CommandContext, CommandTable } from './memory-spec';
import { CommandError, OK, type Reply } from './reply';

const P = 14;
const Q = 64 - P;
const REGISTERS = 1 << P;
const REGISTER_BITS = 6;
const HEADER_BYTES = 16;
const DENSE_BYTES = HEADER_BYTES + (REGISTERS * REGISTER_BITS) / 8;
const ALPHA_INF = 0.72134752044448170368;
const SEED = 0xadc83b19n;
const MULTIPLIER = 0xc6a4a7935bd1e995n;
const MASK64 = (1n << 64n) - 1n;
const NOT_HLL = 'WRONGTYPE Key is not a valid HyperLogLog string value.';
const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/** MurmurHash64A as Redis compiles it on little-endian machines. */
function murmurHash64A(data: Buffer): bigint {
  const length = data.length;
  let hash = (SEED ^ ((BigInt(length) * MULTIPLIER) & MASK64)) & MASK64;
  const blocks = length - (length & 7);
  for (let offset = 0; offset < blocks; offset += 8) {
    let k = data.readBigUInt64LE(offset);
    k = (k * MULTIPLIER) & MASK64;
    k ^= k >> 47n;
    k = (k * MULTIPLIER) & MASK64;
    hash ^= k;
    hash = (hash * MULTIPLIER) & MASK64;
  }
  const tail = length & 7;
  if (tail > 0) {
    for (let index = tail - 1; index >= 0; index -= 1) hash ^= BigInt(data[blocks + index]!) << BigInt(8 * index);
    hash = (hash * MULTIPLIER) & MASK64;
  }
  hash ^= hash >> 47n;
  hash = (hash * MULTIPLIER) & MASK64;
  hash ^= hash >> 47n;
  return hash;
}

/** hllPatLen: the register index and the run length of zeros (plus one) in the remaining bits. */
function patternOf(element: Buffer): { index: number; count: number } {
  let hash = murmurHash64A(element);
  const index = Number(hash & BigInt(REGISTERS - 1));
  hash >>= BigInt(P);
  hash |= 1n << BigInt(Q);
  let count = 1;
  let bit = 1n;
  while ((hash & bit) === 0n) {
    count += 1;
    bit <<= 1n;
  }
  return { index, count };
}

/** Registers are kept in Redis' dense layout ("HYLL" header, six bits each), so TYPE says string. */
function readRegisters(bytes: Buffer): Uint8Array {
  const registers = new Uint8Array(REGISTERS);
  for (let index = 0; index < REGISTERS; index += 1) {
    const bitOffset = index * REGISTER_BITS;
    const byte = HEADER_BYTES + (bitOffset >> 3);
    const shift = bitOffset & 7;
    const low = bytes[byte]! >> shift;
    const high = byte + 1 < bytes.length ? bytes[byte + 1]! << (8 - shift) : 0;
    registers[index] = (low | high) & 63;
  }
  return registers;
}

function writeRegisters(registers: Uint8Array): Buffer {
  const bytes = Buffer.alloc(DENSE_BYTES);
  bytes.write('HYLL', 0, 'latin1');
  for (let index = 0; index < REGISTERS; index += 1) {
    const bitOffset = index * REGISTER_BITS;
    const byte = HEADER_BYTES + (bitOffset >> 3);
    const shift = bitOffset & 7;
    const value = registers[index]!;
    bytes[byte] = bytes[byte]! | ((value << shift) & 0xff);
    if (shift > 2) bytes[byte + 1] = bytes[byte + 1]! | (value >> (8 - shift));
  }
  return bytes;
}

/** The registers at `key`, null when it is missing; anything but a dense HLL string is refused. */
function registersAt(ctx: CommandContext, key: string): Uint8Array | null {
  if (!ctx.store.data.has(key)) return null;
  if (ctx.store.typeOf(key) !== 'string') throw new CommandError(WRONGTYPE);
  const value = ctx.store.data.get(key);
  if (!Buffer.isBuffer(value) || value.length !== DENSE_BYTES || value.toString('latin1', 0, 4) !== 'HYLL') {
    throw new CommandError(NOT_HLL);
  }
  return readRegisters(value);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    z -= Math.pow(1 - x, 2) * y;
  } while (previous !== z);
  return z / 3;
}

/** hllCount: the register histogram through Ertl's improved estimator, rounded as llroundl does. */
function estimate(registers: Uint8Array): number {
  const histogram = new Array<number>(64).fill(0);
  for (const value of registers) histogram[value]! += 1;
  const m = REGISTERS;
  let z = m * tau((m - histogram[Q + 1]!) / m);
  for (let j = Q; j >= 1; j -= 1) {
    z += histogram[j]!;
    z *= 0.5;
  }
  z += m * sigma(histogram[0]! / m);
  const value = (ALPHA_INF * m * m) / z;
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

/** PFADD answers 1 when a register changed or the key was created (even with no elements), else 0. */
function pfadd(ctx: CommandContext, [key, ...elements]: string[]): Reply {
  const existing = registersAt(ctx, key!);
  const registers = existing ?? new Uint8Array(REGISTERS);
  let changed = existing === null;
  for (const element of elements) {
    const { index, count } = patternOf(Buffer.from(element, 'utf8'));
    if (count > registers[index]!) {
      registers[index] = count;
      changed = true;
    }
  }
  // data.set keeps the TTL, as Redis' in-place update does.
  if (changed) ctx.store.data.set(key!, writeRegisters(registers));
  return changed ? 1 : 0;
}

function pfcount(ctx: CommandContext, keys: string[]): Reply {
  const union = new Uint8Array(REGISTERS);
  for (const key of keys) {
    const registers = registersAt(ctx, key);
    if (registers)
      for (let index = 0; index < REGISTERS; index += 1) union[index] = Math.max(union[index]!, registers[index]!);
  }
  return estimate(union);
}

function pfmerge(ctx: CommandContext, [destination, ...sources]: string[]): Reply {
  const union = registersAt(ctx, destination!) ?? new Uint8Array(REGISTERS);
  for (const key of sources) {
    const registers = registersAt(ctx, key);
    if (registers)
      for (let index = 0; index < REGISTERS; index += 1) union[index] = Math.max(union[index]!, registers[index]!);
  }
  ctx.store.data.set(destination!, writeRegisters(union));
  return OK;
}

export const HYPERLOGLOG_COMMANDS: CommandTable = {
  pfadd: { arity: -2, run: pfadd },
  pfcount: { arity: -2, run: pfcount },
  pfmerge: { arity: -2, run: pfmerge },
};
