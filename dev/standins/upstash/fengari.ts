// Typed access to fengari, the Lua VM that ioredis-mock ships, for the stand-in's own EVAL implementation.

import { createRequire } from 'node:module';

/** An opaque fengari `lua_State`. */
export type LuaState = { readonly __luaState: unique symbol };

export type LuaJsFunction = (L: LuaState) => number;

export interface LuaCore {
  LUA_OK: number;
  LUA_TNIL: number;
  LUA_TBOOLEAN: number;
  LUA_TNUMBER: number;
  LUA_TSTRING: number;
  LUA_TTABLE: number;
  LUA_TLIGHTUSERDATA: number;
  LUA_MASKCOUNT: number;
  lua_close(L: LuaState): void;
  lua_gettop(L: LuaState): number;
  lua_settop(L: LuaState, index: number): void;
  lua_pop(L: LuaState, count: number): void;
  lua_type(L: LuaState, index: number): number;
  lua_tolstring(L: LuaState, index: number): Uint8Array | null;
  lua_toboolean(L: LuaState, index: number): boolean;
  lua_isinteger(L: LuaState, index: number): boolean;
  lua_tointeger(L: LuaState, index: number): number;
  lua_tonumber(L: LuaState, index: number): number;
  lua_pushnil(L: LuaState): void;
  lua_pushboolean(L: LuaState, value: boolean): void;
  lua_pushinteger(L: LuaState, value: number): void;
  lua_pushnumber(L: LuaState, value: number): void;
  lua_pushstring(L: LuaState, value: Uint8Array): void;
  lua_pushjsfunction(L: LuaState, fn: LuaJsFunction): void;
  lua_pushlightuserdata(L: LuaState, value: object): void;
  lua_touserdata(L: LuaState, index: number): unknown;
  lua_typename(L: LuaState, type: number): Uint8Array;
  lua_absindex(L: LuaState, index: number): number;
  lua_next(L: LuaState, index: number): number;
  lua_createtable(L: LuaState, arraySize: number, recordSize: number): void;
  lua_rawseti(L: LuaState, index: number, n: number): void;
  lua_rawgeti(L: LuaState, index: number, n: number): number;
  lua_setfield(L: LuaState, index: number, key: Uint8Array): void;
  lua_getfield(L: LuaState, index: number, key: Uint8Array): number;
  lua_getglobal(L: LuaState, name: Uint8Array): number;
  lua_setglobal(L: LuaState, name: Uint8Array): void;
  lua_pcall(L: LuaState, nargs: number, nresults: number, handler: number): number;
  lua_error(L: LuaState): never;
  lua_sethook(L: LuaState, hook: (L: LuaState) => void, mask: number, count: number): void;
}

export interface LuaAux {
  luaL_newstate(): LuaState;
  luaL_loadbuffer(L: LuaState, source: Uint8Array, size: number, chunkName: Uint8Array): number;
  luaL_checkstack(L: LuaState, space: number, message: Uint8Array | null): void;
  luaL_error(L: LuaState, message: Uint8Array): never;
  luaL_where(L: LuaState, level: number): void;
}

export interface Fengari {
  lua: LuaCore;
  lauxlib: LuaAux;
  lualib: { luaL_openlibs(L: LuaState): void };
  to_luastring(value: string): Uint8Array;
}

// Resolved from ioredis-mock's own location: fengari is its dependency, not ours, so this survives re-hoisting.
const requireFromMock = createRequire(createRequire(import.meta.url).resolve('ioredis-mock'));

export const fengari = loadWithLua51Numbers();

/** False when something loaded fengari before this module could configure it (see loadWithLua51Numbers). */
export const floatsPrintLikeLua51 = (requireFromMock('fengari/src/luaconf.js') as { LUA_COMPAT_FLOATSTRING: boolean })
  .LUA_COMPAT_FLOATSTRING;

/**
 * fengari reads FENGARICONF once, when first loaded. Its integers are 32-bit, so millisecond timestamps become
 * floats, and Lua 5.3 prints those as "1767225600123.0" where Redis' Lua 5.1 prints "1767225600123".
 */
function loadWithLua51Numbers(): Fengari {
  const previous = process.env.FENGARICONF;
  const conf = previous ? (JSON.parse(previous) as Record<string, unknown>) : {};
  process.env.FENGARICONF = JSON.stringify({ ...conf, LUA_COMPAT_FLOATSTRING: true });
  try {
    return requireFromMock('fengari') as Fengari;
  } finally {
    if (previous === undefined) delete process.env.FENGARICONF;
    else process.env.FENGARICONF = previous;
  }
}
