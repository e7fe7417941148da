// cjson for scripts on the in-memory backend: Redis bundles lua-cjson and scripts use it; fengari has none.

import { fengari, type LuaState } from './fengari';
import { luaText, pushNumber } from './lua-values';

const { lua, lauxlib, to_luastring } = fengari;

/** cjson.null: decoded JSON null, and encoded back as null. */
const JSON_NULL = Object.freeze({ cjsonNull: true });
const MAX_DEPTH = 1000;
/** lua-cjson's defaults: an integer-keyed table is an array unless it is "excessively sparse". */
const SPARSE_RATIO = 2;
const SPARSE_SAFE = 10;

class CjsonError extends Error {}

export function installCjson(L: LuaState): void {
  lua.lua_createtable(L, 0, 3);
  lua.lua_pushjsfunction(L, encode);
  lua.lua_setfield(L, -2, to_luastring('encode'));
  lua.lua_pushjsfunction(L, decode);
  lua.lua_setfield(L, -2, to_luastring('decode'));
  lua.lua_pushlightuserdata(L, JSON_NULL);
  lua.lua_setfield(L, -2, to_luastring('null'));
  lua.lua_setglobal(L, to_luastring('cjson'));
}

// luaL_error unwinds through Lua, so it is raised outside the try block that turns our errors into text.
function encode(L: LuaState): number {
  if (lua.lua_gettop(L) !== 1)
    return lauxlib.luaL_error(L, to_luastring("bad argument #1 to 'encode' (expected 1 argument)"));
  let text: string;
  try {
    text = encodeValue(L, 1, 0);
  } catch (error) {
    if (!(error instanceof CjsonError)) throw error;
    return lauxlib.luaL_error(L, to_luastring(error.message));
  }
  lua.lua_pushstring(L, to_luastring(text));
  return 1;
}

function decode(L: LuaState): number {
  if (lua.lua_type(L, 1) !== lua.LUA_TSTRING) {
    return lauxlib.luaL_error(L, to_luastring("bad argument #1 to 'decode' (string expected)"));
  }
  let value: unknown;
  try {
    value = JSON.parse(luaText(L, 1));
  } catch {
    return lauxlib.luaL_error(L, to_luastring('Expected value but found invalid token'));
  }
  pushJson(L, value, 0);
  return 1;
}

function encodeValue(L: LuaState, index: number, depth: number): string {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNIL) return 'null';
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? 'true' : 'false';
  if (type === lua.LUA_TNUMBER) return encodeNumber(lua.lua_tonumber(L, index));
  if (type === lua.LUA_TSTRING) return quote(luaText(L, index));
  if (type === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(L, index) === JSON_NULL) return 'null';
  if (type === lua.LUA_TTABLE) return encodeTable(L, lua.lua_absindex(L, index), depth + 1);
  throw new CjsonError(`Cannot serialise ${typeName(L, type)}: type not supported`);
}

function encodeNumber(value: number): string {
  if (!Number.isFinite(value)) throw new CjsonError('Cannot serialise number: must not be NaN or Inf');
  return formatG14(value);
}

/** lua-cjson escapes "/" too; otherwise JSON.stringify's escaping matches. */
function quote(text: string): string {
  return JSON.stringify(text).replace(/\//g, '\\/');
}

function encodeTable(L: LuaState, table: number, depth: number): string {
  if (depth > MAX_DEPTH) throw new CjsonError(`Cannot serialise, excessive nesting (${depth})`);
  lauxlib.luaL_checkstack(L, 3, null);
  const length = arrayLength(L, table);
  if (length > 0) {
    const items: string[] = [];
    for (let n = 1; n <= length; n += 1) {
      lua.lua_rawgeti(L, table, n);
      items.push(encodeValue(L, -1, depth));
      lua.lua_pop(L, 1);
    }
    return `[${items.join(',')}]`;
  }
  return length === 0 ? '{}' : encodeObject(L, table, depth);
}

/** The array length, 0 for an empty table, -1 for a table that must be an object. */
function arrayLength(L: LuaState, table: number): number {
  let max = 0;
  let items = 0;
  let isArray = true;
  lua.lua_pushnil(L);
  while (lua.lua_next(L, table) !== 0) {
    const key = lua.lua_type(L, -2) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -2) : NaN;
    if (Number.isInteger(key) && key >= 1) {
      max = Math.max(max, key);
      items += 1;
    } else {
      isArray = false;
    }
    lua.lua_pop(L, 1);
  }
  if (!isArray) return -1;
  if (max > items * SPARSE_RATIO && max > SPARSE_SAFE)
    throw new CjsonError('Cannot serialise table: excessively sparse array');
  return max;
}

function encodeObject(L: LuaState, table: number, depth: number): string {
  const members: string[] = [];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, table) !== 0) {
    members.push(`${objectKey(L)}:${encodeValue(L, -1, depth)}`);
    lua.lua_pop(L, 1);
  }
  return `{${members.join(',')}}`;
}

// Read without lua_tolstring on the key: converting a number key in place would derail lua_next.
function objectKey(L: LuaState): string {
  const type = lua.lua_type(L, -2);
  if (type === lua.LUA_TSTRING) return quote(luaText(L, -2));
  if (type === lua.LUA_TNUMBER) return quote(encodeNumber(lua.lua_tonumber(L, -2)));
  throw new CjsonError(`Cannot serialise ${typeName(L, type)}: table key must be a number or string`);
}

function typeName(L: LuaState, type: number): string {
  return Buffer.from(lua.lua_typename(L, type)).toString('utf8');
}

function pushJson(L: LuaState, value: unknown, depth: number): void {
  lauxlib.luaL_checkstack(L, 3, null);
  if (depth > MAX_DEPTH) lauxlib.luaL_error(L, to_luastring('Found too many nested data structures'));
  if (value === null) lua.lua_pushlightuserdata(L, JSON_NULL);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') pushNumber(L, value);
  else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (Array.isArray(value)) pushJsonArray(L, value, depth);
  else pushJsonObject(L, value as Record<string, unknown>, depth);
}

function pushJsonArray(L: LuaState, items: unknown[], depth: number): void {
  lua.lua_createtable(L, items.length, 0);
  items.forEach((item, index) => {
    pushJson(L, item, depth + 1);
    lua.lua_rawseti(L, -2, index + 1);
  });
}

function pushJsonObject(L: LuaState, object: Record<string, unknown>, depth: number): void {
  const entries = Object.entries(object);
  lua.lua_createtable(L, 0, entries.length);
  for (const [key, item] of entries) {
    pushJson(L, item, depth + 1);
    lua.lua_setfield(L, -2, to_luastring(key));
  }
}

/** C's "%.14g", which lua-cjson (and Lua 5.1's tostring) use for numbers. */
export function formatG14(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const exponent = Number(value.toExponential(13).split('e')[1]);
  if (exponent < -4 || exponent >= 14) {
    const [mantissa = '', power = '0'] = value.toExponential(13).split('e');
    const sign = power.startsWith('-') ? '-' : '+';
    return `${stripZeros(mantissa)}e${sign}${power.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
  return stripZeros(value.toFixed(Math.max(0, 13 - exponent)));
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
