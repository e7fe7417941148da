// The embedded Redis engine against Redis 7, through the real @upstash/redis client: one table of cases, each run
// on a fresh keyspace on both sides. The engine must answer exactly as Redis does (values, types, errors, TTLs) or
// refuse the command with an error that names it and points at REDIS_URL. Redis' answers are kept in a golden
// file, so the embedded side is still checked when REDIS_URL is unset (re-record with REDIS_URL and
// UPDATE_GOLDEN=1, then `npm run format`).

import { readFileSync, writeFileSync } from 'node:fs';
import { Redis } from '@upstash/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportsCommand } from '../standins/upstash/memory-backend';
import { startUpstashRest, type StandIn } from '../standins/upstash-rest';

const TOKEN = 'differential-token';
const REDIS_URL = process.env.REDIS_URL;
const GOLDEN_PATH = new URL('./upstash-differential.golden.json', import.meta.url);
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';
/** The cases flush their database between runs, so they get one of their own, marked so a stranger's is refused. */
const DIFFERENTIAL_DB = '13';
const MARKER = '__lembas_differential_db__';
const REFUSAL =
  /ERR (\S+) .*is not supported by the embedded Redis engine; set REDIS_URL to run it against a real Redis/;

/** `r` auto-pipelines like the product's client; `plain` sends each command alone (BITFIELD needs it, see below). */
type Case = [command: string, label: string, run: (r: Redis, plain: Redis) => Promise<unknown>];
type Outcome = { value: unknown } | { error: string };

/** Random picks are compared by what Redis promises about them: sizes, membership, distinctness. */
const sorted = (values: unknown): unknown =>
  Array.isArray(values) ? [...values].map(String).sort() : values === null ? null : String(values);
const distinct = (values: unknown[]): number => new Set(values.map(String)).size;
const within = (values: unknown[], pool: string[]): boolean => values.every((value) => pool.includes(String(value)));
const ttlIn = async (r: Redis, key: string, low: number, high: number): Promise<boolean | number> => {
  const ms = await r.pttl(key);
  return ms < 0 ? ms : ms > low && ms <= high;
};
const seed = async (r: Redis): Promise<void> => {
  await r.mset({ s: 'hello world', n: 10, f: '10.5' });
  await r.hset('h', { a: 1, b: 'two', c: 3.5 });
  await r.rpush('l', 'a', 'b', 'c', 'b', 'a');
  await r.sadd('set1', 'a', 'b', 'c');
  await r.sadd('set2', 'b', 'c', 'd');
  await r.zadd('z', { score: 1, member: 'a' }, { score: 2, member: 'b' }, { score: 3, member: 'c' });
  await r.zadd('z2', { score: 10, member: 'b' }, { score: 20, member: 'd' });
  const [first, ...rest] = ['a', 'b', 'c', 'd', 'e'].map((member) => ({ score: 0, member }));
  await r.zadd('lex', first!, ...rest);
};
const seeded =
  (run: (r: Redis) => Promise<unknown>) =>
  async (r: Redis): Promise<unknown> => {
    await seed(r);
    return run(r);
  };
const multi = (build: (tx: ReturnType<Redis['multi']>) => void) => async (r: Redis) => {
  await seed(r);
  const tx = r.multi();
  build(tx);
  return tx.exec();
};
const pipeline =
  (build: (p: ReturnType<Redis['pipeline']>) => void, keepErrors = false) =>
  async (r: Redis) => {
    await seed(r);
    const p = r.pipeline();
    build(p);
    return keepErrors ? p.exec({ keepErrors: true }) : p.exec();
  };

/** One line per case (hence prettier-ignore); the first column is the command under test. */
// prettier-ignore
const CASES: Case[] = [
  // strings
  ['get', 'missing and present', seeded(async (r) => [await r.get('nope'), await r.get('s'), await r.get('n')])],
  ['get', 'wrong type', seeded((r) => r.get('h'))],
  ['set', 'nx, xx, get', seeded(async (r) => [await r.set('s', 'x', { nx: true }), await r.set('s', 'y', { xx: true, get: true }), await r.get('s')])],
  ['set', 'ex then keepTtl', async (r) => [await r.set('k', 'v', { ex: 100 }), await r.set('k', 'w', { keepTtl: true }), await r.ttl('k')]],
  ['getex', 'ex sets a ttl', seeded(async (r) => [await r.getex('s', { ex: 50 }), await r.ttl('s')])],
  ['getex', 'px and pxat', seeded(async (r) => [await r.getex('s', { px: 5000 }), await ttlIn(r, 's', 4000, 5000)])],
  ['getex', 'exat', seeded(async (r) => [await r.getex('s', { exat: Math.floor(Date.now() / 1000) + 100 }), await ttlIn(r, 's', 98_000, 101_000)])],
  ['getex', 'persist clears the ttl', seeded(async (r) => [await r.expire('s', 100), await r.getex('s', { persist: true }), await r.ttl('s')])],
  ['getex', 'no option keeps the ttl', seeded(async (r) => [await r.expire('s', 100), await r.getex('s'), await r.ttl('s')])],
  ['getex', 'missing key and wrong type', seeded(async (r) => [await r.getex('nope', { ex: 5 }), await r.ttl('nope')])],
  ['getex', 'wrong type', seeded((r) => r.getex('h', { ex: 5 }))],
  ['getrange', 'ranges', seeded(async (r) => [await r.getrange('s', 0, 4), await r.getrange('s', -5, -1), await r.getrange('s', 5, 2), await r.getrange('s', 0, 100), await r.getrange('nope', 0, 3)])],
  ['getset', 'old value and ttl cleared', seeded(async (r) => [await r.expire('s', 100), await r.getset('s', 'new'), await r.get('s'), await r.ttl('s'), await r.getset('nope', 1)])],
  ['getset', 'wrong type', seeded((r) => r.getset('h', 'x'))],
  ['setrange', 'overwrite and pad', seeded(async (r) => [await r.setrange('s', 6, 'Redis'), await r.get('s'), await r.setrange('p', 3, 'x'), await r.strlen('p')])],
  ['setrange', 'empty value on a missing key', seeded(async (r) => [await r.setrange('nope', 5, ''), await r.exists('nope')])],
  ['incrbyfloat', 'adds and formats', seeded(async (r) => [await r.incrbyfloat('f', 0.1), await r.incrbyfloat('f', -5), await r.incrbyfloat('n', 1.5), await r.incrbyfloat('new', 3), await r.get('f')])],
  ['incrbyfloat', 'long fractions', async (r) => [await r.incrbyfloat('k', 0.1), await r.incrbyfloat('k', 0.2), await r.incrbyfloat('k', 1e-7), await r.incrbyfloat('k', 5e20)]],
  ['incrbyfloat', 'keeps the ttl', seeded(async (r) => [await r.expire('f', 100), await r.incrbyfloat('f', 1), await r.ttl('f')])],
  ['incrbyfloat', 'not a float', seeded((r) => r.incrbyfloat('s', 1))],
  ['incrbyfloat', 'wrong type', seeded((r) => r.incrbyfloat('h', 1))],
  ['incr', 'integers and errors', seeded(async (r) => [await r.incr('n'), await r.incrby('n', -20), await r.decr('n'), await r.decrby('n', 5)])],
  ['incr', 'not an integer', seeded((r) => r.incr('f'))],
  ['mset', 'then mget', seeded(async (r) => [await r.mset({ a: 1, b: 'x' }), await r.mget('a', 'b', 'nope', 'h')])],
  ['msetnx', 'all or nothing', seeded(async (r) => [await r.msetnx({ a: 1, s: 2 }), await r.exists('a'), await r.msetnx({ a: 1, b: 2 }), await r.mget('a', 'b')])],
  ['append', 'and strlen', seeded(async (r) => [await r.append('s', '!'), await r.append('new', 'é'), await r.strlen('new'), await r.get('s')])],
  ['getdel', 'value then gone', seeded(async (r) => [await r.getdel('s'), await r.exists('s'), await r.getdel('s')])],
  ['setex', 'psetex too', async (r) => [await r.setex('k', 30, 'v'), await r.ttl('k'), await r.psetex('p', 5000, 'v'), await ttlIn(r, 'p', 4000, 5000)]],
  ['setnx', 'once', async (r) => [await r.setnx('k', 'a'), await r.setnx('k', 'b'), await r.get('k')]],
  ['setbit', 'and getbit', async (r) => [await r.setbit('b', 7, 1), await r.getbit('b', 7), await r.getbit('b', 100), await r.get('b')]],
  ['bitcount', 'counts bits', seeded(async (r) => [await r.bitcount('s', 0, -1), await r.bitcount('s', 1, 3)])],
  ['setbit', 'grows, keeps the ttl, old bit back', async (r) => [await r.set('b', 'a'), await r.expire('b', 100), await r.setbit('b', 30, 1), await r.setbit('b', 30, 0), await r.get('b'), await r.ttl('b'), await r.strlen('b')]],
  ['setbit', 'bad bit', (r) => r.setbit('b', 1, 2 as 1)],
  ['setbit', 'bad offset', (r) => r.setbit('b', -1, 1)],
  ['getbit', 'wrong type', seeded((r) => r.getbit('h', 0))],
  ['bitcount', 'negative and empty ranges', seeded(async (r) => [await r.bitcount('s', -2, -1), await r.bitcount('s', -1, -2), await r.bitcount('s', 5, 100), await r.bitcount('nope', 0, 1)])],
  ['bitcount', 'bit unit', seeded((r) => r.eval('return {redis.call("BITCOUNT", KEYS[1], 1, 10, "BIT"), redis.call("BITCOUNT", KEYS[1], -5, -1, "bit")}', ['s'], []))],
  ['bitcount', 'bad unit', seeded((r) => r.eval('return redis.call("BITCOUNT", KEYS[1], 1, 10, "NIBBLE")', ['s'], []))],
  ['bitpos', 'ranges and padding', async (r) => [await r.set('b', '\u00ff\u00f0'), await r.bitpos('b', 0), await r.bitpos('b', 1, 1), await r.bitpos('b', 0, 0, 0), await r.bitpos('nope', 0), await r.bitpos('nope', 1), await r.set('z', '\u0000'), await r.bitpos('z', 1), await r.bitpos('z', 0, 5, 1)]],
  ['bitpos', 'bit unit', seeded((r) => r.eval('return {redis.call("BITPOS", KEYS[1], 1, 3, 20, "BIT"), redis.call("BITPOS", KEYS[1], 0, 0, 7, "BIT")}', ['s'], []))],
  ['bitpos', 'bad bit', seeded((r) => r.bitpos('s', 2 as 1))],
  ['bitop', 'or, xor, not, empty', seeded(async (r) => [await r.bitop('or', 'd', 's', 'n', 'nope'), await r.get('d'), await r.bitop('xor', 'd', 's', 's'), await r.bitop('not', 'd', 'n'), await r.get('d'), await r.bitop('and', 'd', 'nope'), await r.exists('d')])],
  ['bitop', 'not with two keys', seeded((r) => r.eval('return redis.call("BITOP", "NOT", "d", KEYS[1], KEYS[2])', ['s', 'n'], []))],
  ['bitop', 'wrong type', seeded((r) => r.bitop('and', 'd', 's', 'h'))],
  ['bitpos', 'finds bits', seeded(async (r) => [await r.bitpos('s', 1), await r.bitpos('s', 0, 2)])],
  ['bitop', 'and', seeded(async (r) => [await r.bitop('and', 'dest', 's', 'n'), await r.get('dest')])],
  // @upstash/redis 1.39 auto-pipelines BITFIELD into an empty pipeline ("Pipeline is empty"), so it goes alone.
  ['bitfield', 'get set incrby', async (_r, plain) => plain.bitfield('bf').set('u8', 0, 200).incrby('u8', 0, 100).get('u8', 0).exec()],

  // keys
  ['del', 'and exists', seeded(async (r) => [await r.del('s', 'nope', 'h'), await r.exists('s', 'n', 'n')])],
  ['type', 'every type', seeded(async (r) => Promise.all(['s', 'h', 'l', 'set1', 'z', 'nope'].map((key) => r.type(key))))],
  ['expire', 'options and ttl', seeded(async (r) => [await r.expire('s', 50, 'NX'), await r.expire('s', 40, 'GT'), await r.expire('s', 40, 'LT'), await r.ttl('s'), await r.persist('s'), await r.ttl('s'), await r.ttl('nope')])],
  ['pexpireat', 'and expiretime', seeded(async (r) => [await r.pexpireat('s', 4_102_444_800_000), await r.ttl('s') > 0, await r.expireat('n', 1), await r.exists('n')])],
  ['copy', 'copies with and without replace', seeded(async (r) => [await r.copy('s', 'c'), await r.get('c'), await r.copy('n', 'c'), await r.copy('n', 'c', { replace: true }), await r.get('c'), await r.copy('nope', 'x')])],
  ['copy', 'collections are deep copies', seeded(async (r) => [await r.copy('h', 'h2'), await r.hset('h2', { a: 'changed' }), await r.hget('h', 'a'), await r.copy('l', 'l2'), await r.rpush('l2', 'z'), await r.llen('l'), await r.copy('z', 'z3'), await r.zadd('z3', { score: 9, member: 'a' }), await r.zscore('z', 'a')])],
  ['copy', 'keeps the ttl', seeded(async (r) => [await r.expire('s', 100), await r.copy('s', 'c'), await r.ttl('c')])],
  ['rename', 'moves value and ttl', seeded(async (r) => [await r.expire('s', 100), await r.rename('s', 't'), await r.get('t'), await r.ttl('t'), await r.exists('s')])],
  ['rename', 'onto an existing key and itself', seeded(async (r) => [await r.rename('s', 'n'), await r.get('n'), await r.rename('n', 'n'), await r.get('n')])],
  ['rename', 'missing key', seeded((r) => r.rename('nope', 'x'))],
  ['renamenx', 'only when free', seeded(async (r) => [await r.renamenx('s', 'n'), await r.renamenx('s', 't'), await r.get('t')])],
  ['renamenx', 'missing key', seeded((r) => r.renamenx('nope', 'x'))],
  ['touch', 'counts existing keys', seeded((r) => r.touch('s', 'h', 'nope', 's'))],
  ['randomkey', 'empty and one key', async (r) => [await r.randomkey(), await r.set('only', 1), await r.randomkey()]],
  ['randomkey', 'some key', seeded(async (r) => ['s', 'n', 'f', 'h', 'l', 'set1', 'set2', 'z', 'z2', 'lex'].includes(String(await r.randomkey())))],
  ['keys', 'patterns', seeded(async (r) => [sorted(await r.keys('*')), sorted(await r.keys('set?')), sorted(await r.keys('[sz]*'))])],
  ['dbsize', 'counts', seeded((r) => r.dbsize())],
  ['scan', 'walks everything once', seeded(async (r) => sorted(await scanAll((cursor) => r.scan(cursor, { count: 3 }))))],
  ['scan', 'match and type', seeded(async (r) => [sorted(await scanAll((cursor) => r.scan(cursor, { match: 'set*' }))), sorted(await scanAll((cursor) => r.scan(cursor, { type: 'zset' })))])],
  ['scan', 'bad cursor', (r) => r.scan('abc')],
  ['hscan', 'fields and values', seeded(async (r) => { const [cursor, items] = await r.hscan('h', 0); return [cursor, items.length, sorted(items)]; })],
  ['hscan', 'match', seeded(async (r) => r.hscan('h', 0, { match: 'a*' }))],
  ['hscan', 'missing key and wrong type', seeded(async (r) => [await r.hscan('nope', 0), await r.hscan('s', 0).catch(errorText)])],
  ['sscan', 'members', seeded(async (r) => { const [cursor, items] = await r.sscan('set1', 0); return [cursor, sorted(items)]; })],
  ['sscan', 'match and count', seeded(async (r) => { const [cursor, items] = await r.sscan('set1', 0, { match: '[ab]', count: 100 }); return [cursor, sorted(items)]; })],
  ['zscan', 'members with scores', seeded((r) => r.zscan('z', 0))],
  ['zscan', 'match', seeded((r) => r.zscan('z', 0, { match: 'b' }))],

  // hashes
  ['hset', 'and hgetall', seeded(async (r) => [await r.hset('h', { b: 'x', d: 4 }), await r.hgetall('h'), await r.hgetall('nope')])],
  ['hget', 'fields', seeded(async (r) => [await r.hget('h', 'a'), await r.hget('h', 'zz'), await r.hmget('h', 'a', 'zz'), await r.hexists('h', 'c'), await r.hlen('h')])],
  ['hdel', 'and empty hash removal', seeded(async (r) => [await r.hdel('h', 'a', 'b', 'c'), await r.exists('h')])],
  ['hkeys', 'and hvals', seeded(async (r) => [sorted(await r.hkeys('h')), sorted(await r.hvals('h'))])],
  ['hincrby', 'and errors', seeded(async (r) => [await r.hincrby('h', 'a', 5), await r.hincrby('h', 'new', -2), await r.hincrby('h', 'b', 1).catch(errorText)])],
  ['hincrbyfloat', 'adds and formats', seeded(async (r) => [await r.hincrbyfloat('h', 'c', 0.1), await r.hincrbyfloat('h', 'a', 2.5), await r.hincrbyfloat('h', 'new', 1e-3), await r.hget('h', 'c')])],
  ['hincrbyfloat', 'not a float', seeded((r) => r.hincrbyfloat('h', 'b', 1))],
  ['hincrbyfloat', 'wrong type', seeded((r) => r.hincrbyfloat('s', 'a', 1))],
  ['hsetnx', 'once', seeded(async (r) => [await r.hsetnx('h', 'a', 9), await r.hsetnx('h', 'z', 9), await r.hget('h', 'z')])],
  ['hstrlen', 'lengths', seeded(async (r) => [await r.hstrlen('h', 'b'), await r.hstrlen('h', 'c'), await r.hstrlen('h', 'zz'), await r.hstrlen('nope', 'a')])],
  ['hstrlen', 'wrong type', seeded((r) => r.hstrlen('s', 'a'))],
  ['hrandfield', 'one, many, with values', seeded(async (r) => [within([await r.hrandfield('h')], ['a', 'b', 'c']), sorted(await r.hrandfield('h', 5)), await r.hrandfield('nope')])],
  ['hrandfield', 'negative count repeats', seeded(async (r) => { const picks = (await r.hrandfield('h', -6)) as string[]; return [picks.length, within(picks, ['a', 'b', 'c'])]; })],

  // lists
  ['lpush', 'and lrange', async (r) => [await r.lpush('l', 'a', 'b'), await r.rpush('l', 'c'), await r.lrange('l', 0, -1), await r.lrange('l', -100, 1), await r.lrange('l', 5, 10)]],
  ['lpop', 'counts', seeded(async (r) => [await r.lpop('l'), await r.rpop('l', 2), await r.lpop('l', 0), await r.lpop('nope'), await r.lrange('l', 0, -1)])],
  ['lindex', 'and ltrim', seeded(async (r) => [await r.lindex('l', -1), await r.lindex('l', 99), await r.ltrim('l', 1, -2), await r.lrange('l', 0, -1)])],
  ['lpos', 'first, rank, count, maxlen', seeded(async (r) => [await r.lpos('l', 'b'), await r.lpos('l', 'b', { rank: 2 }), await r.lpos('l', 'a', { rank: -1 }), await r.lpos('l', 'a', { count: 0 }), await r.lpos('l', 'b', { count: 1, maxLen: 1 }), await r.lpos('l', 'zz'), await r.lpos('nope', 'a')])],
  ['lpos', 'rank zero', seeded((r) => r.lpos('l', 'a', { rank: 0 }))],
  ['linsert', 'before and after', seeded(async (r) => [await r.linsert('l', 'before', 'b', 'x'), await r.linsert('l', 'after', 'a', 'y'), await r.linsert('l', 'after', 'zz', 'y'), await r.linsert('nope', 'after', 'a', 'y'), await r.lrange('l', 0, -1)])],
  ['lrem', 'from head, tail, all', seeded(async (r) => [await r.lrem('l', 1, 'b'), await r.lrange('l', 0, -1), await r.lrem('l', -1, 'a'), await r.lrange('l', 0, -1), await r.lrem('l', 0, 'c'), await r.lrem('l', 0, 'b'), await r.lrange('l', 0, -1)])],
  ['lrem', 'last member removes the key', async (r) => [await r.rpush('l', 'x'), await r.lrem('l', 0, 'x'), await r.exists('l')]],
  ['lset', 'sets and errors', seeded(async (r) => [await r.lset('l', -1, 'z'), await r.lrange('l', 0, -1), await r.lset('l', 99, 'z').catch(errorText), await r.lset('nope', 0, 'z').catch(errorText)])],
  ['lpushx', 'and rpushx', seeded(async (r) => [await r.lpushx('l', 'x'), await r.rpushx('l', 'y', 'z'), await r.lpushx('nope', 'x'), await r.rpushx('nope', 'x'), await r.exists('nope'), await r.lrange('l', 0, -1)])],
  ['lmove', 'between lists', seeded(async (r) => [await r.lmove('l', 'm', 'left', 'right'), await r.lmove('l', 'm', 'right', 'left'), await r.lmove('l', 'l', 'left', 'right'), await r.lrange('l', 0, -1), await r.lrange('m', 0, -1), await r.lmove('nope', 'm', 'left', 'left')])],
  ['lmove', 'wrong type', seeded((r) => r.lmove('l', 'h', 'left', 'left'))],
  ['lmpop', 'left, right, count', seeded(async (r) => [await r.lmpop(2, ['nope', 'l'], 'LEFT'), await r.lmpop(1, ['l'], 'RIGHT', 2), await r.lmpop(1, ['nope'], 'LEFT')])],
  ['llen', 'wrong type', seeded((r) => r.llen('h'))],

  // sets
  ['sadd', 'and srem', seeded(async (r) => [await r.sadd('set1', 'a', 'z'), await r.srem('set1', 'a', 'q'), sorted(await r.smembers('set1')), await r.scard('set1'), await r.sismember('set1', 'z')])],
  ['spop', 'one member', seeded(async (r) => [within([await r.spop('set1')], ['a', 'b', 'c']), await r.scard('set1'), await r.spop('nope')])],
  ['spop', 'with count', seeded(async (r) => { const picks = (await r.spop('set1', 2)) as string[]; return [picks.length, distinct(picks), within(picks, ['a', 'b', 'c']), await r.scard('set1')]; })],
  ['spop', 'count beyond size empties the set', seeded(async (r) => [sorted(await r.spop('set1', 10)), await r.exists('set1'), await r.spop('nope', 3), await r.spop('set2', 0)])],
  ['spop', 'negative count', seeded((r) => r.spop('set1', -1))],
  ['srandmember', 'one member', seeded(async (r) => [within([await r.srandmember('set1')], ['a', 'b', 'c']), await r.srandmember('nope'), await r.scard('set1')])],
  ['srandmember', 'positive count is distinct', seeded(async (r) => { const picks = (await r.srandmember('set1', 2)) as string[]; return [picks.length, distinct(picks), within(picks, ['a', 'b', 'c']), sorted(await r.srandmember('set1', 10))]; })],
  ['srandmember', 'negative count may repeat', seeded(async (r) => { const picks = (await r.srandmember('set1', -7)) as string[]; return [picks.length, within(picks, ['a', 'b', 'c']), await r.srandmember('nope', 3), await r.srandmember('set1', 0)]; })],
  ['sinter', 'and sinterstore', seeded(async (r) => [sorted(await r.sinter('set1', 'set2')), sorted(await r.sinter('set1', 'nope')), await r.sinterstore('dest', 'set1', 'set2'), sorted(await r.smembers('dest')), await r.sinterstore('dest', 'set1', 'nope'), await r.exists('dest')])],
  ['sinter', 'wrong type', seeded((r) => r.sinter('set1', 's'))],
  ['sintercard', 'with limit', seeded(async (r) => [await r.sintercard(['set1', 'set2']), await r.sintercard(['set1', 'set2'], { limit: 1 }), await r.sintercard(['set1', 'nope'])])],
  ['sdiff', 'and sdiffstore', seeded(async (r) => [sorted(await r.sdiff('set1', 'set2')), sorted(await r.sdiff('nope', 'set1')), await r.sdiffstore('dest', 'set1', 'set2'), sorted(await r.smembers('dest'))])],
  ['sunion', 'and sunionstore', seeded(async (r) => [sorted(await r.sunion('set1', 'set2', 'nope')), await r.sunionstore('dest', 'set1', 'set2'), await r.scard('dest'), await r.sunionstore('s', 'set1'), await r.type('s')])],
  ['smove', 'moves once', seeded(async (r) => [await r.smove('set1', 'set2', 'a'), await r.smove('set1', 'set2', 'a'), await r.smove('set1', 'new', 'b'), sorted(await r.smembers('new')), await r.smove('nope', 'set2', 'a')])],
  ['smove', 'wrong type destination', seeded((r) => r.smove('set1', 's', 'a'))],
  ['smismember', 'many', seeded(async (r) => [await r.smismember('set1', ['a', 'z', 'c']), await r.smismember('nope', ['a'])])],

  // sorted sets
  ['zadd', 'flags', seeded(async (r) => [await r.zadd('z', { xx: true, ch: true }, { score: 5, member: 'a' }, { score: 9, member: 'nope' }), await r.zadd('z', { gt: true }, { score: 1, member: 'a' }), await r.zadd('z', { incr: true }, { score: 2, member: 'b' }), await r.zrange('z', 0, -1, { withScores: true })])],
  ['zrange', 'by index, rev, withscores', seeded(async (r) => [await r.zrange('z', 0, 1), await r.zrange('z', 0, -1, { rev: true, withScores: true }), await r.zrange('z', -2, -1), await r.zrange('nope', 0, -1)])],
  ['zrange', 'by score with limit', seeded(async (r) => [await r.zrange('z', 1, 3, { byScore: true }), await r.zrange('z', '(1', '+inf', { byScore: true }), await r.zrange('z', 3, 1, { byScore: true, rev: true }), await r.zrange('z', '-inf', '+inf', { byScore: true, offset: 1, count: 1 })])],
  ['zrange', 'by lex', seeded(async (r) => [await r.zrange('lex', '[b', '(d', { byLex: true }), await r.zrange('lex', '-', '+', { byLex: true, offset: 1, count: 2 }), await r.zrange('lex', '+', '[c', { byLex: true, rev: true })])],
  ['zscore', 'and zcard, zcount', seeded(async (r) => [await r.zscore('z', 'b'), await r.zscore('z', 'nope'), await r.zcard('z'), await r.zcount('z', '(1', 3), await r.zincrby('z', 0.5, 'a')])],
  ['zrank', 'and zrevrank', seeded(async (r) => [await r.zrank('z', 'a'), await r.zrank('z', 'c'), await r.zrank('z', 'nope'), await r.zrevrank('z', 'a'), await r.zrevrank('nope', 'a')])],
  ['zrank', 'ties order by member', async (r) => [await r.zadd('t', { score: 1, member: 'b' }, { score: 1, member: 'a' }, { score: 0, member: 'c' }), await r.zrank('t', 'b'), await r.zrevrank('t', 'c'), await r.zrange('t', 0, -1)]],
  ['zmscore', 'many', seeded(async (r) => [await r.zmscore('z', ['a', 'nope', 'c']), await r.zmscore('nope', ['a'])])],
  ['zpopmin', 'and zpopmax', seeded(async (r) => [await r.zpopmin('z'), await r.zpopmax('z', 5), await r.exists('z'), await r.zpopmin('nope')])],
  ['zpopmax', 'one', seeded((r) => r.zpopmax('z2'))],
  ['zlexcount', 'ranges', seeded(async (r) => [await r.zlexcount('lex', '-', '+'), await r.zlexcount('lex', '[b', '(e'), await r.zlexcount('lex', '(a', '[a')])],
  ['zlexcount', 'bad range', seeded((r) => r.zlexcount('lex', 'b', '+'))],
  ['zremrangebylex', 'removes', seeded(async (r) => [await r.zremrangebylex('lex', '[b', '[c'), await r.zrange('lex', 0, -1)])],
  ['zremrangebyrank', 'removes', seeded(async (r) => [await r.zremrangebyrank('z', 0, 1), await r.zrange('z', 0, -1), await r.zremrangebyrank('z', -1, -1), await r.exists('z')])],
  ['zremrangebyscore', 'removes', seeded(async (r) => [await r.zremrangebyscore('z', '-inf', '(3'), await r.zrange('z', 0, -1)])],
  ['zrem', 'and empty removal', seeded(async (r) => [await r.zrem('z2', 'b', 'd', 'q'), await r.exists('z2')])],
  ['zunion', 'with scores and options', seeded(async (r) => [await r.zunion(2, ['z', 'z2']), await r.zunion(2, ['z', 'z2'], { withScores: true }), await r.zunion(2, ['z', 'z2'], { weights: [2, 1], aggregate: 'max', withScores: true })])],
  ['zunionstore', 'aggregate and weights', seeded(async (r) => [await r.zunionstore('d', 2, ['z', 'z2']), await r.zrange('d', 0, -1, { withScores: true }), await r.zunionstore('d', 2, ['z', 'z2'], { weights: [1, 3], aggregate: 'min' }), await r.zrange('d', 0, -1, { withScores: true })])],
  ['zunionstore', 'with a plain set', seeded(async (r) => [await r.zunionstore('d', 2, ['z', 'set1']), await r.zrange('d', 0, -1, { withScores: true })])],
  ['zinterstore', 'aggregate', seeded(async (r) => [await r.zinterstore('d', 2, ['z', 'z2']), await r.zrange('d', 0, -1, { withScores: true }), await r.zinterstore('d', 2, ['z', 'z2'], { aggregate: 'max' }), await r.zrange('d', 0, -1, { withScores: true }), await r.zinterstore('d', 2, ['z', 'nope']), await r.exists('d')])],
  ['zdiffstore', 'difference', seeded(async (r) => [await r.zdiffstore('d', 2, 'z', 'z2'), await r.zrange('d', 0, -1, { withScores: true })])],
  ['zadd', 'wrong type', seeded((r) => r.zadd('s', { score: 1, member: 'a' }))],

  ['zrange', 'option conflicts and bad ranges', seeded(async (r) => Promise.all([
    r.eval('return redis.call("ZRANGE", KEYS[1], 0, -1, "LIMIT", 0, 1)', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZRANGE", KEYS[1], "-", "+", "BYLEX", "WITHSCORES")', ['lex'], []).catch(errorText),
    r.eval('return redis.call("ZRANGE", KEYS[1], "a", "c", "BYLEX")', ['lex'], []).catch(errorText),
    r.eval('return redis.call("ZRANGE", KEYS[1], "x", 1, "BYSCORE")', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZRANGE", KEYS[1], 0, 1, "BYSCORE", "BYLEX")', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZRANGE", KEYS[1], 0, 1, "REV", "REV")', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZRANGE", KEYS[1], "-inf", "+inf", "BYSCORE", "LIMIT", -1, 2)', ['z'], []),
    r.eval('return redis.call("ZRANGE", KEYS[1], "-inf", "+inf", "BYSCORE", "LIMIT", 1, -1)', ['z'], []),
    r.eval('return redis.call("ZRANGE", KEYS[1], 0, -1)', ['s'], []).catch(errorText),
  ]))],
  ['zrange', 'legacy forms', seeded(async (r) => Promise.all([
    r.eval('return redis.call("ZRANGEBYSCORE", KEYS[1], "(1", "+inf", "WITHSCORES", "LIMIT", 0, 1)', ['z'], []),
    r.eval('return redis.call("ZREVRANGEBYSCORE", KEYS[1], "+inf", "-inf")', ['z'], []),
    r.eval('return redis.call("ZREVRANGE", KEYS[1], 0, 1, "WITHSCORES")', ['z'], []),
    r.eval('return redis.call("ZRANGEBYLEX", KEYS[1], "(a", "[c")', ['lex'], []),
    r.eval('return redis.call("ZREVRANGEBYLEX", KEYS[1], "+", "-", "LIMIT", 1, 2)', ['lex'], []),
    r.eval('return redis.call("ZRANGEBYSCORE", KEYS[1], 0, 5, "BYSCORE")', ['z'], []).catch(errorText),
  ]))],
  ['zscore', 'fractional scores print as %.17g', async (r) => [await r.zadd('f', { score: 0.1, member: 'a' }, { score: 1e21, member: 'b' }, { score: 1.5e-7, member: 'c' }), await r.eval('local out = {} for _, v in ipairs(redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")) do out[#out + 1] = "s:" .. v end return out', ['f'], []), await r.eval('return "s:" .. redis.call("ZINCRBY", KEYS[1], 0.2, "a")', ['f'], [])]],
  ['zunionstore', 'errors', seeded(async (r) => Promise.all([
    r.eval('return redis.call("ZUNIONSTORE", "d", 0, KEYS[1])', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZUNIONSTORE", "d", 3, KEYS[1])', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZUNIONSTORE", "d", 1, KEYS[1], "WEIGHTS", "x")', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZUNIONSTORE", "d", 1, KEYS[1], "AGGREGATE", "AVG")', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZUNIONSTORE", "d", 1, KEYS[1], "WITHSCORES")', ['z'], []).catch(errorText),
    r.eval('return redis.call("ZUNIONSTORE", "d", 2, KEYS[1], KEYS[2])', ['z', 's'], []).catch(errorText),
    r.eval('return redis.call("ZDIFFSTORE", "d", 1, KEYS[1], "WEIGHTS", 2)', ['z'], []).catch(errorText),
  ]))],
  ['zunionstore', 'infinite weights', seeded(async (r) => [await r.zadd('inf', { score: Infinity, member: 'a' }), await r.zunionstore('d', 2, ['inf', 'z'], { weights: [0, 1] }), await r.zrange('d', 0, -1, { withScores: true })])],
  ['zinter', 'three sets, sum of fractions', async (r) => [await r.zadd('a', { score: 0.1, member: 'x' }), await r.zadd('b', { score: 0.2, member: 'x' }, { score: 1, member: 'y' }), await r.zadd('c', { score: 0.3, member: 'x' }, { score: 1, member: 'y' }, { score: 2, member: 'z' }), await r.eval('return redis.call("ZINTER", 3, KEYS[1], KEYS[2], KEYS[3], "WITHSCORES")', ['a', 'b', 'c'], [])]],
  ['zpopmin', 'count zero and errors', seeded(async (r) => [await r.zpopmin('z', 0), await r.eval('return redis.call("ZPOPMIN", KEYS[1], -1)', ['z'], []).catch(errorText), await r.zpopmin('s', 0)])],
  ['zscan', 'a big sorted set walks in full', async (r) => { const [first, ...rest] = Array.from({ length: 300 }, (_, i) => ({ score: i % 7, member: `m${i}` })); await r.zadd('big', first!, ...rest); const items = await scanAll((cursor) => r.zscan('big', cursor, { count: 50 })); return [items.length, distinct(items.filter((_, i) => i % 2 === 0))]; }],
  ['hscan', 'a big hash walks in full', async (r) => { await r.hset('big', Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, i]))); const items = await scanAll((cursor) => r.hscan('big', cursor, { match: 'f1*' })); return sorted(items.filter((_, i) => i % 2 === 0)); }],
  ['hscan', 'long values are not a listpack', async (r) => { await r.hset('long', { a: 'x'.repeat(100), b: 1 }); const items = await scanAll((cursor) => r.hscan('long', cursor)); return sorted(items); }],
  ['sscan', 'integer set in one call, strings walk', async (r) => [await r.sadd('ints', 1, 2, 3, 40, -5), sorted((await r.sscan('ints', 0, { count: 1 }))[1]), await r.sadd('big', 'm', ...Array.from({ length: 100 }, (_, i) => `m${i}`)), (await scanAll((cursor) => r.sscan('big', cursor))).length]],
  ['scan', 'count and bad options', seeded(async (r) => Promise.all([r.scan(0, { count: 0 }).catch(errorText), r.eval('return redis.call("SCAN", 0, "FOO", 1)', [], []).catch(errorText), r.hscan('h', 0, { type: 'string' } as never).catch(errorText)]))],
  ['getex', 'bad options', seeded(async (r) => Promise.all([
    r.eval('return redis.call("GETEX", KEYS[1], "EX", 1, "PX", 1)', ['s'], []).catch(errorText),
    r.eval('return redis.call("GETEX", KEYS[1], "KEEPTTL")', ['s'], []).catch(errorText),
    r.eval('return redis.call("GETEX", KEYS[1], "EX", 0)', ['s'], []).catch(errorText),
    r.eval('return redis.call("GETEX", KEYS[1], "EX", "x")', ['s'], []).catch(errorText),
    r.eval('return redis.call("GETEX", KEYS[1], "EX", 0)', ['nope'], []).catch(errorText),
    r.eval('return redis.call("GETEX", KEYS[1], "PXAT", 1)', ['s'], []),
  ]))],
  ['incrbyfloat', 'exponents, infinity, huge', seeded(async (r) => Promise.all([
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "1e3")', ['a'], []),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "-1.5E-2")', ['a'], []),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "inf")', ['a'], []).catch(errorText),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], " 1")', ['a'], []).catch(errorText),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "1e4000")', ['b'], []),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "0.0000000000000000001")', ['c'], []),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "123456789.123456789")', ['d'], []),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "-3")', ['e'], []),
    r.eval('return redis.call("INCRBYFLOAT", KEYS[1], "3")', ['e'], []),
  ]))],
  ['lmpop', 'errors', seeded(async (r) => Promise.all([
    r.eval('return redis.call("LMPOP", 0, KEYS[1], "LEFT")', ['l'], []).catch(errorText),
    r.eval('return redis.call("LMPOP", 1, KEYS[1], "UP")', ['l'], []).catch(errorText),
    r.eval('return redis.call("LMPOP", 2, KEYS[1], "LEFT")', ['l'], []).catch(errorText),
    r.eval('return redis.call("LMPOP", 1, KEYS[1], "LEFT", "COUNT", 0)', ['l'], []).catch(errorText),
    r.eval('return redis.call("LMPOP", 1, KEYS[1], "LEFT")', ['h'], []).catch(errorText),
    r.eval('return redis.call("LMPOP", 1, KEYS[1], "LEFT", "COUNT", 9)', ['l'], []),
  ]))],
  ['lpos', 'errors', seeded(async (r) => Promise.all([
    r.eval('return redis.call("LPOS", KEYS[1], "a", "COUNT", -1)', ['l'], []).catch(errorText),
    r.eval('return redis.call("LPOS", KEYS[1], "a", "MAXLEN", -1)', ['l'], []).catch(errorText),
    r.eval('return redis.call("LPOS", KEYS[1], "a", "FOO", 1)', ['l'], []).catch(errorText),
    r.eval('return redis.call("LPOS", KEYS[1], "a", "RANK", -2, "COUNT", 0)', ['l'], []),
  ]))],
  ['linsert', 'bad position and wrong type', seeded(async (r) => Promise.all([r.eval('return redis.call("LINSERT", KEYS[1], "MIDDLE", "a", "x")', ['l'], []).catch(errorText), r.linsert('h', 'before', 'a', 'x').catch(errorText)]))],
  ['sintercard', 'errors', seeded(async (r) => Promise.all([
    r.eval('return redis.call("SINTERCARD", 0, KEYS[1])', ['set1'], []).catch(errorText),
    r.eval('return redis.call("SINTERCARD", 3, KEYS[1])', ['set1'], []).catch(errorText),
    r.eval('return redis.call("SINTERCARD", 1, KEYS[1], "LIMIT", -1)', ['set1'], []).catch(errorText),
    r.eval('return redis.call("SINTERCARD", 1, KEYS[1], "LIMIT")', ['set1'], []).catch(errorText),
  ]))],
  ['smove', 'missing source with a wrong-type destination', seeded((r) => r.smove('nope', 's', 'a'))],
  ['copy', 'same key and bad option', seeded(async (r) => Promise.all([r.eval('return redis.call("COPY", KEYS[1], KEYS[1])', ['s'], []).catch(errorText), r.eval('return redis.call("COPY", KEYS[1], "x", "FOO")', ['s'], []).catch(errorText)]))],
  ['hrandfield', 'bad option', seeded((r) => r.eval('return redis.call("HRANDFIELD", KEYS[1], 1, "WITHSCORES")', ['h'], []))],
  ['setrange', 'negative offset and wrong type', seeded(async (r) => Promise.all([r.setrange('s', -1, 'x').catch(errorText), r.setrange('h', 0, 'x').catch(errorText)]))],

  // HyperLogLog
  ['pfadd', 'and pfcount', async (r) => [await r.pfadd('hll', 'a', 'b', 'c'), await r.pfadd('hll', 'a'), await r.pfcount('hll'), await r.pfcount('nope'), await r.type('hll')]],
  ['pfadd', 'a thousand visitors', async (r) => [await r.pfadd('hll', ...Array.from({ length: 1000 }, (_, i) => `visitor-${i}`)), await r.pfcount('hll')]],
  ['pfadd', 'many rounds of visitors', async (r) => { for (let i = 0; i < 20; i += 1) await r.pfadd('hll', ...Array.from({ length: 500 }, (_, j) => `user:${i * 500 + j}`)); return r.pfcount('hll'); }],
  ['pfadd', 'no elements creates the key', async (r) => [await r.pfadd('hll'), await r.pfadd('hll'), await r.pfcount('hll')]],
  ['pfadd', 'wrong type', seeded((r) => r.pfadd('s', 'a'))],
  ['pfcount', 'union of keys', async (r) => [await r.pfadd('h1', 'a', 'b'), await r.pfadd('h2', 'b', 'c', 'd'), await r.pfcount('h1', 'h2'), await r.pfcount('h1', 'nope')]],
  ['pfmerge', 'merges', async (r) => [await r.pfadd('h1', 'a', 'b'), await r.pfadd('h2', 'b', 'c', 'd'), await r.pfmerge('m', 'h1', 'h2'), await r.pfcount('m'), await r.pfmerge('h1', 'h2'), await r.pfcount('h1'), await r.pfmerge('empty'), await r.pfcount('empty')]],

  // geo
  ['geoadd', 'and geopos', async (r) => [await r.geoadd('g', { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }, { longitude: 15.087269, latitude: 37.502669, member: 'Catania' }), await r.geopos('g', 'Palermo', 'nope')]],
  ['geodist', 'km', async (r) => [await r.geoadd('g', { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }, { longitude: 15.087269, latitude: 37.502669, member: 'Catania' }), await r.geodist('g', 'Palermo', 'Catania', 'KM')]],
  ['geohash', 'members', async (r) => [await r.geoadd('g', { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }), await r.geohash('g', 'Palermo')]],
  ['geosearch', 'radius', async (r) => [await r.geoadd('g', { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }), await r.geosearch('g', { type: 'FROMLONLAT', coordinate: { lon: 15, lat: 37 } }, { type: 'BYRADIUS', radius: 200, radiusType: 'KM' }, 'ASC')]],
  ['geosearchstore', 'radius', async (r) => [await r.geoadd('g', { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }), await r.geosearchstore('d', 'g', { type: 'FROMLONLAT', coordinate: { lon: 15, lat: 37 } }, { type: 'BYRADIUS', radius: 200, radiusType: 'KM' }, 'ASC')]],

  // streams
  ['xadd', 'explicit ids', async (r) => [await r.xadd('x', '1-1', { a: 1 }), await r.xadd('x', '2-1', { b: 'two' }), await r.xlen('x')]],
  ['xrange', 'and xrevrange', async (r) => [await r.xadd('x', '1-1', { a: 1 }), await r.xadd('x', '2-1', { b: 2 }), await r.xrange('x', '-', '+'), await r.xrevrange('x', '+', '-', 1)]],
  ['xlen', 'missing', (r) => r.xlen('nope')],
  ['xdel', 'entries', async (r) => [await r.xadd('x', '1-1', { a: 1 }), await r.xdel('x', '1-1'), await r.xlen('x')]],
  ['xgroup', 'create and readgroup', async (r) => [await r.xadd('x', '1-1', { a: 1 }), await r.xgroup('x', { type: 'CREATE', group: 'g', id: '0' }), await r.xreadgroup('g', 'c', 'x', '>'), await r.xack('x', 'g', '1-1')]],
  ['xreadgroup', 'no group', (r) => r.xreadgroup('g', 'c', 'x', '>')],
  ['xack', 'nothing pending', async (r) => [await r.xadd('x', '1-1', { a: 1 }), await r.xgroup('x', { type: 'CREATE', group: 'g', id: '0' }), await r.xack('x', 'g', '1-1')]],
  ['xclaim', 'pending entry', async (r) => [await r.xadd('x', '1-1', { a: 1 }), await r.xgroup('x', { type: 'CREATE', group: 'g', id: '0' }), await r.xreadgroup('g', 'c', 'x', '>'), await r.xclaim('x', 'g', 'd', 0, '1-1', { justId: true })]],
  ['xinfo', 'groups', async (r) => [await r.xadd('x', '1-1', { a: 1 }), await r.xgroup('x', { type: 'CREATE', group: 'g', id: '0' }), (await r.xinfo('x', { type: 'GROUPS' })).length]],

  // scripting
  ['eval', 'values and redis.call', seeded(async (r) => [await r.eval('return {1, 2.9, "x", nil, 4}', [], []), await r.eval('return redis.call("GET", KEYS[1])', ['s'], []), await r.eval('return redis.call("INCRBY", KEYS[1], ARGV[1])', ['n'], ['5'])])],
  ['eval', 'errors', seeded((r) => r.eval('return redis.call("INCR", KEYS[1])', ['s'], []))],
  ['eval_ro', 'reads', seeded(async (r) => [await r.evalRo('return redis.call("GET", KEYS[1])', ['s'], []), await r.evalRo('return redis.call("HGET", KEYS[1], ARGV[1])', ['h'], ['b'])])],
  ['eval_ro', 'a write is refused', seeded(async (r) => { const refused = await r.evalRo('return redis.call("SET", KEYS[1], "x")', ['s'], []).catch((error: Error) => error.message); return [refused, await r.get('s')]; })],
  ['eval_ro', 'pcall returns the refusal', seeded((r) => r.evalRo('local reply = redis.pcall("INCR", KEYS[1]) return reply.err', ['n'], []))],
  ['eval_ro', 'pfcount counts as a write', seeded((r) => r.evalRo('return redis.call("PFCOUNT", KEYS[1])', ['hll'], []))],
  ['evalsha_ro', 'a write is refused', seeded(async (r) => { const sha = await r.scriptLoad('return redis.call("DEL", KEYS[1])'); const refused = await r.evalshaRo(sha, ['s'], []).catch((error: Error) => error.message); return [refused, await r.exists('s')]; })],
  ['evalsha_ro', 'reads', seeded(async (r) => { const sha = await r.scriptLoad('return redis.call("ZSCORE", KEYS[1], ARGV[1])'); return r.evalshaRo(sha, ['z'], ['b']); })],
  ['evalsha', 'script load and exists', async (r) => { const sha = await r.scriptLoad('return ARGV[1]'); return [await r.evalsha(sha, [], ['hi']), await r.scriptExists(sha, 'f'.repeat(40))]; }],

  // transactions and pipelines
  ['multi', 'runs in order', multi((tx) => { tx.set('k', 5); tx.incrby('k', 2); tx.get('k'); tx.incrbyfloat('k', 0.5); tx.ttl('k'); })],
  ['multi', 'a runtime error does not stop the rest', multi((tx) => { tx.set('k', 'x'); tx.incr('k'); tx.get('k'); })],
  ['multi', 'collections', multi((tx) => { tx.sadd('m', 'a', 'b'); tx.scard('m'); tx.zadd('mz', { score: 1, member: 'a' }); tx.zincrby('mz', 2, 'a'); tx.hincrbyfloat('h', 'c', 1); tx.pfadd('hll', 'a'); tx.pfcount('hll'); })],
  ['pipeline', 'mixed commands', pipeline((p) => { p.set('k', 1); p.incr('k'); p.hgetall('h'); p.zrange('z', 0, -1, { withScores: true }); p.smembers('nope'); p.getex('s', { ex: 10 }); p.ttl('s'); })],
  ['pipeline', 'an error fails exec', pipeline((p) => { p.set('k', 'x'); p.incr('k'); p.get('k'); })],
  ['pipeline', 'keepErrors reports each', pipeline((p) => { p.set('k', 'x'); p.incr('k'); p.get('k'); p.hget('k', 'f'); }, true)],

  // server
  ['ping', 'and echo', async (r) => [await r.ping(), await r.ping(['hi']), await r.echo('é 👋')]],
  ['flushdb', 'empties', seeded(async (r) => [await r.flushdb(), await r.dbsize()])],
];

function errorText(error: unknown): string {
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

async function scanAll(step: (cursor: string | number) => Promise<[string | number, unknown[]]>): Promise<unknown[]> {
  const seen: unknown[] = [];
  let cursor: string | number = 0;
  for (let calls = 0; calls < 100; calls += 1) {
    const [next, items] = await step(cursor);
    seen.push(...items);
    cursor = next;
    if (String(cursor) === '0') return seen;
  }
  throw new Error('scan did not finish in 100 calls');
}

async function outcomeOf(standIn: StandIn, run: Case[2]): Promise<Outcome> {
  try {
    const value = await run(clientFor(standIn, true), clientFor(standIn, false));
    return { value: JSON.parse(JSON.stringify(value ?? null)) as unknown };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function clientFor(standIn: StandIn, enableAutoPipelining: boolean): Redis {
  return new Redis({ url: standIn.url, token: TOKEN, retry: false, enableTelemetry: false, enableAutoPipelining });
}

async function raw(standIn: StandIn, command: unknown[]): Promise<unknown> {
  const response = await fetch(standIn.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(command),
  });
  return ((await response.json()) as { result?: unknown }).result;
}

/** The database is emptied before every case: refuse to start on one that holds somebody else's keys. */
async function claimDatabase(standIn: StandIn): Promise<void> {
  const size = Number(await raw(standIn, ['dbsize']));
  if (size > 0 && (await raw(standIn, ['exists', MARKER])) !== 1) {
    throw new Error(`Redis db ${DIFFERENTIAL_DB} holds ${size} keys that are not the differential test's; empty it`);
  }
}

/** The marker is absent while a case runs, so keyspace-wide commands (SCAN, DBSIZE, RANDOMKEY) see only the case. */
async function reset(standIn: StandIn): Promise<void> {
  await raw(standIn, ['flushdb']);
}

async function mark(standIn: StandIn): Promise<void> {
  await raw(standIn, ['flushdb']);
  await raw(standIn, ['set', MARKER, '1']);
}

function readGolden(): Record<string, Outcome> {
  try {
    return JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Record<string, Outcome>;
  } catch {
    return {};
  }
}

describe('the embedded Redis engine answers like Redis 7 or refuses', () => {
  let memory: StandIn;
  let real: StandIn | null = null;
  const golden = readGolden();
  const recorded: Record<string, Outcome> = {};
  const refusals = new Set<string>();

  beforeAll(async () => {
    memory = await startUpstashRest({ token: TOKEN });
    if (REDIS_URL) {
      const url = new URL(REDIS_URL);
      url.pathname = `/${DIFFERENTIAL_DB}`;
      real = await startUpstashRest({ token: TOKEN, redisUrl: url.toString() });
      await claimDatabase(real);
    }
  });

  afterAll(async () => {
    if (refusals.size > 0) console.log(`embedded engine refused: ${[...refusals].sort().join(' ')}`);
    if (real) await mark(real);
    if (UPDATE_GOLDEN && real) writeFileSync(GOLDEN_PATH, `${JSON.stringify(recorded, null, 2)}\n`);
    await Promise.all([memory?.close(), real?.close()]);
  });

  it('covers every case name once', () => {
    const names = CASES.map(([command, label]) => `${command}: ${label}`);
    expect(new Set(names).size).toBe(names.length);
  });

  for (const [command, label, run] of CASES) {
    const name = `${command}: ${label}`;
    it(name, async () => {
      await reset(memory);
      const embedded = await outcomeOf(memory, run);
      let expected: Outcome | undefined = golden[name];
      if (real) {
        await reset(real);
        expected = await outcomeOf(real, run);
        await mark(real);
        recorded[name] = expected;
        if (!UPDATE_GOLDEN)
          expect(expected, 'Redis disagrees with the golden file: UPDATE_GOLDEN=1').toEqual(golden[name]);
      }
      const refused = 'error' in embedded ? REFUSAL.exec((embedded as { error: string }).error) : null;
      if (refused) {
        // A refusal must name a command the engine really lacks: one it implements may never be refused.
        expect(supportsCommand(refused[1]!), refused[0]).toBe(false);
        refusals.add(refused[1]!);
        return;
      }
      expect(expected, 'no golden answer: record it with REDIS_URL and UPDATE_GOLDEN=1').toBeDefined();
      expect(embedded).toEqual(expected);
    });
  }
});
