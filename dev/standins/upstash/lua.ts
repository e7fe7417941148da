// EVAL for the in-memory backend: runs scripts in fengari with Redis' conversion rules, because ioredis-mock's
// own eval sends redis.call past every fix of the command table and leaks Lua proxies into its replies.

import { createHash } from 'node:crypto';
import { fengari, type LuaState } from './fengari';
import { installCjson } from './lua-cjson';
import {
  ERR_FIELD,
  fromLua,
  luaText,
  pushErrorTable,
  pushReply,
  stringField,
  topText,
  WHERE_FIELD,
} from './lua-values';
import { asCommandError, CommandError, type Outcome, type Reply } from './reply';

const { lua, lauxlib, lualib, to_luastring } = fengari;

/** Runs one command for redis.call/pcall; throws (or returns) a CommandError for an error reply. */
export type ScriptCall = (argv: string[]) => Reply;

const SCRIPT_TIMEOUT_MS = 5_000;
const HOOK_EVERY_INSTRUCTIONS = 10_000;
const CHUNK_NAME = to_luastring('@user_script');

// Redis runs scripts in a sandbox without io/os/package; fengari is Lua 5.3, so restore 5.1's global unpack.
// error_reply follows Redis 7: a leading "-" is dropped and a message without an error code gets "ERR ".
// bit is LuaBitOp (32-bit results), which Redis bundles; built on Lua 5.3's operators.
const PRELUDE = `
unpack = table.unpack
io, package, require, dofile, loadfile, debug = nil, nil, nil, nil, nil, nil
os = { clock = os.clock }
redis = redis or {}
redis.error_reply = function(msg)
  if type(msg) ~= "string" then error("wrong number or type of arguments") end
  if msg:sub(1, 1) == "-" then msg = msg:sub(2) end
  if not msg:find(" ", 1, true) then msg = "ERR " .. msg end
  return { err = msg }
end
redis.status_reply = function(msg) return { ok = msg } end
redis.log = function() end
redis.setresp = function() end
redis.set_repl = function() end
redis.replicate_commands = function() return true end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
local function tobit(x)
  x = math.floor(x) % 4294967296
  if x >= 2147483648 then x = x - 4294967296 end
  return math.tointeger(x)
end
local function fold(op)
  return function(x, ...)
    local r = tobit(x)
    for _, y in ipairs({...}) do r = op(r, tobit(y)) end
    return r
  end
end
bit = {
  tobit = tobit,
  band = fold(function(a, b) return a & b end),
  bor = fold(function(a, b) return a | b end),
  bxor = fold(function(a, b) return a ~ b end),
  bnot = function(x) return tobit(~tobit(x)) end,
  lshift = function(x, n) return tobit(tobit(x) << (n % 32)) end,
  rshift = function(x, n) return tobit((tobit(x) % 4294967296) // (2 ^ (n % 32))) end,
  arshift = function(x, n) return tobit(math.floor(tobit(x) / 2 ^ (n % 32))) end,
  tohex = function(x, n)
    n = n or 8
    local digits, v, s = n < 0 and "0123456789ABCDEF" or "0123456789abcdef", tobit(x) % 4294967296, ""
    for _ = 1, math.abs(n) do
      local d = math.tointeger(v % 16)
      s = digits:sub(d + 1, d + 1) .. s
      v = v // 16
    end
    return s
  end,
}
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
    lua.lua_pushjsfunction(L, locateError);
    const handler = lua.lua_gettop(L);
    if (loadChunk(L, source) !== lua.LUA_OK) {
      return new CommandError(`ERR Error compiling script (new function): ${topText(L)}`);
    }
    if (lua.lua_pcall(L, 0, 1, handler) !== lua.LUA_OK) return runtimeError(L, sha1hex(source));
    return fromLua(L, -1, true);
  } finally {
    lua.lua_close(L);
  }
}

function loadChunk(L: LuaState, source: string): number {
  const bytes = to_luastring(withoutShebang(source));
  return lauxlib.luaL_loadbuffer(L, bytes, bytes.length, CHUNK_NAME);
}

/**
 * Redis 7 scripts may open with `#!lua flags=…` (@upstash/ratelimit sends Upstash's `allow-key-locking`). Lua itself
 * cannot parse it; the line is blanked, not removed, so error line numbers still match the source.
 */
export function withoutShebang(source: string): string {
  if (!source.startsWith('#!')) return source;
  const end = source.indexOf('\n');
  return end === -1 ? '' : source.slice(end);
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
  if (
    lauxlib.luaL_loadbuffer(L, bytes, bytes.length, to_luastring('=prelude')) !== lua.LUA_OK ||
    lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK
  ) {
    throw new Error(`Lua prelude failed: ${topText(L)}`);
  }
  installCjson(L);
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

/** "user_script:3" for the script line that called redis.call. */
function callerLocation(L: LuaState, level = 1): string | null {
  lauxlib.luaL_where(L, level);
  const where = luaText(L, -1).replace(/:\s*$/, '');
  lua.lua_pop(L, 1);
  return where || null;
}

/**
 * Message handler, run while the failing stack still exists: an error table raised by the script itself
 * (`error({err=...})`) gets the script line, which Redis 7 names in the reply as it does for redis.call.
 */
function locateError(L: LuaState): number {
  if (lua.lua_type(L, 1) !== lua.LUA_TTABLE || stringField(L, 1, WHERE_FIELD) !== null) return 1;
  // Level 1 is usually the C function `error`; the script line is the first Lua frame above it.
  const where = callerLocation(L, 1) ?? callerLocation(L, 2);
  if (where !== null) {
    lua.lua_pushstring(L, to_luastring(where));
    lua.lua_setfield(L, 1, WHERE_FIELD);
  }
  return 1;
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
