// Synchronous access to one ioredis-mock keyspace: its raw command functions plus the data/expiry maps behind them.

import { randomUUID } from 'node:crypto';
// Before ioredis-mock, which loads fengari too: fengari takes its number formatting from the first load.
import './fengari';
import RedisMock from 'ioredis-mock';
import { CommandError } from './reply';

export type KeyType = 'none' | 'string' | 'hash' | 'list' | 'set' | 'zset';

/** The value shapes ioredis-mock stores: strings, plain-object hashes, arrays, Sets and Maps of {score, value}. */
export type ZMember = { score: number; value: string };
export type StoredValue = string | Buffer | Record<string, string> | string[] | Set<string> | Map<string, ZMember>;

interface MockData {
  has(key: string): boolean;
  get(key: string): StoredValue | undefined;
  set(key: string, value: StoredValue): void;
  delete(key: string): void;
  keys(): string[];
}

interface MockExpires {
  has(key: string): boolean;
  get(key: string): number;
  set(key: string, at: number): void;
  delete(key: string): void;
}

type RawCommand = (...args: string[]) => unknown;

interface MockInternals {
  data: MockData;
  expires: MockExpires;
  disconnect(): void;
}

interface RawCollector {
  redis: { customCommands: Record<string, never> };
  _createCommand(name: string, fn: RawCommand): void;
}

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

let storeCounter = 0;

export class MemoryStore {
  readonly data: MockData;
  readonly expires: MockExpires;
  /** sha1 → source: Redis keeps scripts outside the keyspace, so FLUSHALL leaves them alone. */
  readonly scripts = new Map<string, string>();
  private readonly mock: MockInternals;
  private readonly raw: Record<string, RawCommand>;

  constructor() {
    // ioredis-mock shares one keyspace per host:port/db in a module-level map; a unique host isolates stand-ins.
    storeCounter += 1;
    const host = `upstash-standin-${storeCounter}-${randomUUID()}`;
    this.mock = new RedisMock({ host, lazyConnect: false }) as unknown as MockInternals;
    this.data = this.mock.data;
    this.expires = this.mock.expires;
    this.raw = extractRawCommands(this.mock);
  }

  /** Runs ioredis-mock's own implementation synchronously, so a script's redis.call can use it too. */
  call(name: string, ...args: string[]): unknown {
    const fn = this.raw[name];
    if (!fn) throw new CommandError(`ERR ioredis-mock has no '${name}'`);
    const result = fn(...args);
    if (result instanceof Promise) throw new CommandError(`ERR ioredis-mock '${name}' is asynchronous`);
    return result;
  }

  typeOf(key: string): KeyType {
    const type = this.call('type', key);
    // ioredis-mock answers undefined for a Buffer value, which is still a string to Redis.
    return typeof type === 'string' ? (type as KeyType) : 'string';
  }

  /** ioredis-mock mostly skips WRONGTYPE (GET on a hash returns the object), so every typed command checks first. */
  expectType(key: string, type: Exclude<KeyType, 'none'>): void {
    const actual = this.typeOf(key);
    if (actual !== 'none' && actual !== type) throw new CommandError(WRONGTYPE);
  }

  /** Redis deletes a collection when its last member goes; some ioredis-mock commands leave it behind. */
  dropIfEmpty(key: string): void {
    const value = this.data.get(key);
    if (value === undefined || typeof value === 'string' || Buffer.isBuffer(value)) return;
    if (sizeOf(value) === 0) this.data.delete(key);
  }

  stringAt(key: string): string | null {
    const value = this.data.get(key);
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    return typeof value === 'string' ? value : null;
  }

  /** The raw bytes of a string value (HyperLogLogs and SETRANGE results are kept as Buffers). */
  bytesAt(key: string): Buffer | null {
    this.expectType(key, 'string');
    const value = this.data.get(key);
    if (Buffer.isBuffer(value)) return value;
    return typeof value === 'string' ? Buffer.from(value, 'utf8') : null;
  }

  /** Stores bytes as a JS string when they are valid UTF-8 (what ioredis-mock's own commands expect). */
  setBytes(key: string, bytes: Buffer): void {
    const text = bytes.toString('utf8');
    this.data.set(key, Buffer.from(text, 'utf8').equals(bytes) ? text : bytes);
  }

  /** Removes a key together with its expiry. */
  remove(key: string): void {
    this.data.delete(key);
    if (this.expires.has(key)) this.expires.delete(key);
  }

  hashAt(key: string): Record<string, string> {
    this.expectType(key, 'hash');
    const value = this.data.get(key);
    return isHash(value) ? value : {};
  }

  listAt(key: string): string[] {
    this.expectType(key, 'list');
    const value = this.data.get(key);
    return Array.isArray(value) ? value : [];
  }

  zsetAt(key: string): Map<string, ZMember> {
    this.expectType(key, 'zset');
    const value = this.data.get(key);
    return value instanceof Map ? value : new Map();
  }

  close(): void {
    this.call('flushall');
    this.mock.disconnect();
  }
}

/**
 * ioredis-mock exposes its commands only as promise-returning methods, but Lua's redis.call must be synchronous.
 * Pipeline#copyCommands hands every raw command function to `_createCommand`, so a stand-in collector receives them.
 */
function extractRawCommands(mock: MockInternals): Record<string, RawCommand> {
  const raw: Record<string, RawCommand> = {};
  const collector: RawCollector = {
    redis: { customCommands: {} },
    _createCommand: (name, fn) => {
      raw[name] = fn.bind(mock);
    },
  };
  const { Pipeline } = RedisMock as unknown as { Pipeline: { prototype: { copyCommands(this: RawCollector): void } } };
  Pipeline.prototype.copyCommands.call(collector);
  return raw;
}

function isHash(value: StoredValue | undefined): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Buffer.isBuffer(value) &&
    !Array.isArray(value) &&
    !(value instanceof Set) &&
    !(value instanceof Map)
  );
}

function sizeOf(value: Exclude<StoredValue, string | Buffer>): number {
  if (Array.isArray(value)) return value.length;
  if (value instanceof Set || value instanceof Map) return value.size;
  return Object.keys(value).length;
}
