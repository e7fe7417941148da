// What the embedded engine refuses instead of answering differently from Redis 7: a clear error naming the command.

import { CommandError } from './reply';

/**
 * Every command Redis 7 knows (`COMMAND LIST`), plus the Upstash-only families @upstash/redis exposes (RedisJSON,
 * search, hash-field TTLs of Redis 7.4+). A name here that the engine does not implement is refused with
 * `refusedCommand`; a name that is nowhere here gets Redis' own "unknown command" error, as Redis would give it.
 */
const KNOWN_NAMES = `
acl append asking auth bgrewriteaof bgsave bitcount bitfield bitfield_ro bitop bitpos blmove blmpop blpop brpop
brpoplpush bzmpop bzpopmax bzpopmin client cluster command config copy dbsize debug decr decrby del discard dump
echo eval eval_ro evalsha evalsha_ro exec exists expire expireat expiretime failover fcall fcall_ro flushall flushdb
function geoadd geodist geohash geopos georadius georadius_ro georadiusbymember georadiusbymember_ro geosearch
geosearchstore get getbit getdel getex getrange getset hdel hello hexists hget hgetall hincrby hincrbyfloat hkeys
hlen hmget hmset hrandfield hscan hset hsetnx hstrlen hvals incr incrby incrbyfloat info keys lastsave latency lcs
lindex linsert llen lmove lmpop lolwut lpop lpos lpush lpushx lrange lrem lset ltrim memory mget migrate module
monitor move mset msetnx multi object persist pexpire pexpireat pexpiretime pfadd pfcount pfdebug pfmerge pfselftest
ping psetex psubscribe psync pttl publish pubsub punsubscribe quit randomkey readonly readwrite rename renamenx
replconf replicaof reset restore restore-asking role rpop rpoplpush rpush rpushx sadd save scan scard script sdiff
sdiffstore select set setbit setex setnx setrange shutdown sinter sintercard sinterstore sismember slaveof slowlog
smembers smismember smove sort sort_ro spop spublish srandmember srem sscan ssubscribe strlen subscribe substr
sunion sunionstore sunsubscribe swapdb sync time touch ttl type unlink unsubscribe unwatch wait watch xack xadd
xautoclaim xclaim xdel xgroup xinfo xlen xpending xrange xread xreadgroup xrevrange xsetid xtrim zadd zcard zcount
zdiff zdiffstore zincrby zinter zintercard zinterstore zlexcount zmpop zmscore zpopmax zpopmin zrandmember zrange
zrangebylex zrangebyscore zrangestore zrank zrem zremrangebylex zremrangebyrank zremrangebyscore zrevrange
zrevrangebylex zrevrangebyscore zrevrank zscan zscore zunion zunionstore
hexpire hpexpire hexpireat hpexpireat httl hpttl hexpiretime hpexpiretime hpersist hgetdel hgetex hsetex
json.arrappend json.arrindex json.arrinsert json.arrlen json.arrpop json.arrtrim json.clear json.del json.forget
json.get json.merge json.mget json.mset json.numincrby json.nummultby json.objkeys json.objlen json.resp json.set
json.strappend json.strlen json.toggle json.type
`
  .trim()
  .split(/\s+/);

const KNOWN = new Set(KNOWN_NAMES);

export function isKnownCommand(name: string): boolean {
  return KNOWN.has(name.toLowerCase()) || name.toLowerCase().startsWith('ft.');
}

/**
 * The one wording for everything the engine will not answer: a wrong answer would pass locally and break on
 * Upstash, so the developer is told which command (or option) and how to get real Redis behind the stand-in.
 */
export function refusedCommand(what: string): CommandError {
  return new CommandError(
    `ERR ${what} is not supported by the embedded Redis engine; set REDIS_URL to run it against a real Redis`,
  );
}
