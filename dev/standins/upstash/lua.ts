// EVAL for the in-memory backend: runs scripts in fengari with Redis' conversion rules, because ioredis-mock's
// own eval sends redis.call past every fix of the command table and leaks Lua proxies into its replies.

import { createHash } from 'node:crypto';
import { fengari, type LuaState } from './fengari';
import { asCommandError, CommandError, Status, type Outcome, type Reply } from './reply';

const { lua, lauxlib, lualib, to_luastring } = fengari;

/** Runs one command for redis.call/pcall; throws (or returns) a CommandError for an error reply. */
export type ScriptCall = (argv: string[]) => Reply;

const SCRIPT_TIMEOUT_MS = 5_000;
const HOOK_EVERY_INSTRUCTIONS = 10_000;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const CHUNK_NAME = to_luastring('@user_script');
const ERR_FIELD = to_luastring('err');
const OK_FIELD = to_luastring('ok');
/** Where redis.call raised, kept beside `err` so the final reply can name the line as Redis 7 does. */
const WHERE_FIELD = to_luastring('__where');

// Redis runs scripts in a sandbox without io/os/package; fengari is Lua 5.3, so restore 5.1's global unpack.
const PRELUDE = `
unpack = table.unpack
io, package, require, dofile, loadfile, debug = nil, nil, nil, nil, nil, nil
os = { clock = os.clock }
redis = redis or {}
redis.error_reply = function(msg) return { err = msg } end
redis.status_reply = function(msg) return { ok = msg } end
redis.log = function() end
redis.setresp = function() end
redis.set_repl = function() end
redis.replicate_commands = function() return true end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
`;

export function sha1hex(text: string | Uint8Array): string {
  return createHash('sha1').update(text).digest('hex');
}

/** SCRIPT LOAD and EVAL reject a script that does not compile, as Redis does. */
export function compileError(source: string): CommandError | null {
  const L = lauxlib.luaL_newstate();
  try {
    const status = loadChunk(L, source);
    return status === lua.LUA_OK ? null : new CommandError(`ERR Error compiling script (new function): ${topText(L)}`);
  } finally {
    lua.lua_close(L);
  }
}

export function runScript(source: string, keys: string[], args: string[], call: ScriptCall): Outcome {
  const L = newSandbox(call);
  try {
    setGlobalArray(L, 'KEYS', keys);
    setGlobalArray(L, 'ARGV', args);
    if (loadChunk(L, source) !== lua.LUA_OK) {
      return new CommandError(`ERR Error compiling script (new function): ${topText(L)}`);
    }
    if (lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK) return runtimeError(L, sha1hex(source));
    return fromLua(L, -1, true);
  } finally {
    lua.lua_close(L);
  }
}

function loadChunk(L: LuaState, source: string): number {
  const bytes = to_luastring(source);
  return lauxlib.luaL_loadbuffer(L, bytes, bytes.length, CHUNK_NAME);
}

function newSandbox(call: ScriptCall): LuaState {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  lua.lua_createtable(L, 0, 4);
  setFunction(L, 'call', (state) => redisCall(state, call, false));
  setFunction(L, 'pcall', (state) => redisCall(state, call, true));
  setFunction(L, 'sha1hex', (state) => pushSha1(state));
  lua.lua_setglobal(L, to_luastring('redis'));
  const bytes = to_luastring(PRELUDE);
  if (lauxlib.luaL_loadbuffer(L, bytes, bytes.length, to_luastring('=prelude')) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
    throw new Error(`Lua prelude failed: ${topText(L)}`);
  }
  installTimeout(L);
  return L;
}

/**
 * Redis answers BUSY while a script runs long and waits for SCRIPT KILL; a stand-in cannot take that second
 * connection, so it kills the script itself instead of hanging every request.
 */
function installTimeout(L: LuaState): void {
  const deadline = Date.now() + SCRIPT_TIMEOUT_MS;
  lua.lua_sethook(
    L,
    (state) => {
      if (Date.now() <= deadline) return;
      pushErrorTable(state, `ERR script timed out after ${SCRIPT_TIMEOUT_MS} ms and was killed`, null);
      lua.lua_error(state);
    },
    lua.LUA_MASKCOUNT,
    HOOK_EVERY_INSTRUCTIONS,
  );
}

function setFunction(L: LuaState, name: string, fn: (L: LuaState) => number): void {
  lua.lua_pushjsfunction(L, fn);
  lua.lua_setfield(L, -2, to_luastring(name));
}

function setGlobalArray(L: LuaState, name: string, values: string[]): void {
  lua.lua_createtable(L, values.length, 0);
  values.forEach((value, index) => {
    lua.lua_pushstring(L, to_luastring(value));
    lua.lua_rawseti(L, -2, index + 1);
  });
  lua.lua_setglobal(L, to_luastring(name));
}

/** redis.call raises the error reply as a Lua error `{err=...}`; redis.pcall returns it instead. */
function redisCall(L: LuaState, call: ScriptCall, isProtected: boolean): number {
  let outcome: Outcome;
  try {
    outcome = call(readCallArgs(L));
  } catch (error) {
    outcome = asCommandError(error);
  }
  if (outcome instanceof CommandError) {
    pushErrorTable(L, outcome.message, isProtected ? null : callerLocation(L));
    return isProtected ? 1 : lua.lua_error(L);
  }
  pushReply(L, outcome);
  return 1;
}

function readCallArgs(L: LuaState): string[] {
  const count = lua.lua_gettop(L);
  if (count === 0) throw new CommandError('ERR Please specify at least one argument for this redis lib call');
  const argv: string[] = [];
  for (let index = 1; index <= count; index += 1) argv.push(callArg(L, index));
  return argv;
}

/** Numbers are formatted as Redis 7 does (shortest round-trip, no ".0"), not by Lua 5.3's tostring. */
function callArg(L: LuaState, index: number): string {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNUMBER) {
    return lua.lua_isinteger(L, index) ? String(lua.lua_tointeger(L, index)) : String(lua.lua_tonumber(L, index));
  }
  if (type === lua.LUA_TSTRING) return luaText(L, index);
  throw new CommandError('ERR Lua redis lib command arguments must be strings or integers');
}

function pushSha1(L: LuaState): number {
  if (lua.lua_gettop(L) !== 1) lauxlib.luaL_error(L, to_luastring('wrong number of arguments'));
  const bytes = lua.lua_tolstring(L, 1) ?? new Uint8Array();
  lua.lua_pushstring(L, to_luastring(sha1hex(bytes)));
  return 1;
}

function pushErrorTable(L: LuaState, message: string, where: string | null): void {
  lua.lua_createtable(L, 0, 2);
  lua.lua_pushstring(L, to_luastring(message));
  lua.lua_setfield(L, -2, ERR_FIELD);
  if (where === null) return;
  lua.lua_pushstring(L, to_luastring(where));
  lua.lua_setfield(L, -2, WHERE_FIELD);
}

/** "user_script:3" for the script line that called redis.call. */
function callerLocation(L: LuaState): string | null {
  lauxlib.luaL_where(L, 1);
  const where = luaText(L, -1).replace(/:\s*$/, '');
  lua.lua_pop(L, 1);
  return where || null;
}

/** Redis → Lua: integers stay numbers, nil becomes false, status becomes {ok=...}, arrays become tables. */
function pushReply(L: LuaState, reply: Reply): void {
  lauxlib.luaL_checkstack(L, 3, null);
  if (reply === null) lua.lua_pushboolean(L, false);
  else if (typeof reply === 'number') pushNumber(L, reply);
  else if (typeof reply === 'string') lua.lua_pushstring(L, to_luastring(reply));
  else if (Buffer.isBuffer(reply)) lua.lua_pushstring(L, Uint8Array.from(reply));
  else if (reply instanceof Status) pushStatusTable(L, reply.text);
  else pushArray(L, reply);
}

// fengari integers are 32-bit: anything wider goes in as a float so it is not wrapped.
function pushNumber(L: LuaState, value: number): void {
  if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) lua.lua_pushinteger(L, value);
  else lua.lua_pushnumber(L, value);
}

function pushStatusTable(L: LuaState, text: string): void {
  lua.lua_createtable(L, 0, 1);
  lua.lua_pushstring(L, to_luastring(text));
  lua.lua_setfield(L, -2, OK_FIELD);
}

function pushArray(L: LuaState, items: Reply[]): void {
  lua.lua_createtable(L, items.length, 0);
  items.forEach((item, index) => {
    pushReply(L, item);
    lua.lua_rawseti(L, -2, index + 1);
  });
}

/**
 * Lua → Redis: numbers truncate to integers, true → 1, false/nil → null, {err=} → error, {ok=} → status,
 * other tables → arrays cut at the first nil. Only the top level may be an error reply.
 */
function fromLua(L: LuaState, index: number, topLevel: boolean): Outcome {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNUMBER) return luaInteger(L, index);
  if (type === lua.LUA_TSTRING) return Buffer.from(lua.lua_tolstring(L, index) ?? new Uint8Array());
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? 1 : null;
  if (type === lua.LUA_TTABLE) return tableToReply(L, index, topLevel);
  return null;
}

function luaInteger(L: LuaState, index: number): number {
  if (lua.lua_isinteger(L, index)) return lua.lua_tointeger(L, index);
  const value = Math.trunc(lua.lua_tonumber(L, index));
  return Number.isFinite(value) ? value : 0;
}

function tableToReply(L: LuaState, index: number, topLevel: boolean): Outcome {
  const errorText = stringField(L, index, ERR_FIELD);
  if (errorText !== null) return topLevel ? new CommandError(errorText) : errorText;
  const statusText = stringField(L, index, OK_FIELD);
  if (statusText !== null) return new Status(statusText);
  return tableToArray(L, index);
}

function tableToArray(L: LuaState, index: number): Reply[] {
  lauxlib.luaL_checkstack(L, 2, null);
  const items: Reply[] = [];
  const table = index < 0 ? lua.lua_gettop(L) + index + 1 : index;
  for (let n = 1; lua.lua_rawgeti(L, table, n) !== lua.LUA_TNIL; n += 1) {
    items.push(fromLua(L, -1, false) as Reply);
    lua.lua_pop(L, 1);
  }
  lua.lua_pop(L, 1);
  return items;
}

function stringField(L: LuaState, index: number, field: Uint8Array): string | null {
  const type = lua.lua_getfield(L, index, field);
  const text = type === lua.LUA_TSTRING ? luaText(L, -1) : null;
  lua.lua_pop(L, 1);
  return text;
}

/** Redis 7 appends "script: <sha>, on @user_script:<line>." to errors raised while a script runs. */
function runtimeError(L: LuaState, sha: string): CommandError {
  if (lua.lua_type(L, -1) === lua.LUA_TTABLE) {
    const errorText = stringField(L, -1, ERR_FIELD);
    const where = stringField(L, -1, WHERE_FIELD);
    if (errorText !== null) return new CommandError(where ? `${errorText} script: ${sha}, on @${where}.` : errorText);
  }
  const text = topText(L);
  const where = /^(user_script:\d+):/.exec(text)?.[1];
  return new CommandError(`ERR ${text} script: ${sha}${where ? `, on @${where}.` : ''}`);
}

function topText(L: LuaState): string {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER) return luaText(L, -1);
  return 'unknown error';
}

function luaText(L: LuaState, index: number): string {
  return Buffer.from(lua.lua_tolstring(L, index) ?? new Uint8Array()).toString('utf8');
}
