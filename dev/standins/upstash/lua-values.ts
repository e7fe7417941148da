// Value conversion between Redis replies and Lua, with Redis' rules (EVAL in protocols.md B7).

import { fengari, type LuaState } from './fengari';
import { CommandError, Status, type Outcome, type Reply } from './reply';

const { lua, lauxlib, to_luastring } = fengari;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2 ** 63);

export const ERR_FIELD = to_luastring('err');
const OK_FIELD = to_luastring('ok');
/** Where redis.call raised, kept beside `err` so the final reply can name the line as Redis 7 does. */
export const WHERE_FIELD = to_luastring('__where');

export function pushErrorTable(L: LuaState, message: string, where: string | null): void {
  lua.lua_createtable(L, 0, 2);
  lua.lua_pushstring(L, to_luastring(message));
  lua.lua_setfield(L, -2, ERR_FIELD);
  if (where === null) return;
  lua.lua_pushstring(L, to_luastring(where));
  lua.lua_setfield(L, -2, WHERE_FIELD);
}

/** Redis → Lua: integers stay numbers, nil becomes false, status becomes {ok=...}, arrays become tables. */
export function pushReply(L: LuaState, reply: Reply): void {
  lauxlib.luaL_checkstack(L, 3, null);
  if (reply === null) lua.lua_pushboolean(L, false);
  else if (typeof reply === 'number') pushNumber(L, reply);
  else if (typeof reply === 'string') lua.lua_pushstring(L, to_luastring(reply));
  else if (Buffer.isBuffer(reply)) lua.lua_pushstring(L, Uint8Array.from(reply));
  else if (reply instanceof Status) pushStatusTable(L, reply.text);
  else pushArray(L, reply);
}

// fengari integers are 32-bit: anything wider goes in as a float so it is not wrapped.
export function pushNumber(L: LuaState, value: number): void {
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
export function fromLua(L: LuaState, index: number, topLevel: boolean): Outcome {
  const type = lua.lua_type(L, index);
  if (type === lua.LUA_TNUMBER) return luaInteger(L, index);
  if (type === lua.LUA_TSTRING) return Buffer.from(lua.lua_tolstring(L, index) ?? new Uint8Array());
  if (type === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index) ? 1 : null;
  if (type === lua.LUA_TTABLE) return tableToReply(L, index, topLevel);
  return null;
}

/** Redis casts with (long long): out-of-range values and infinities come back as the int64 minimum. */
function luaInteger(L: LuaState, index: number): number {
  if (lua.lua_isinteger(L, index)) return lua.lua_tointeger(L, index);
  const value = Math.trunc(lua.lua_tonumber(L, index));
  if (Number.isNaN(value)) return INT64_MIN;
  return value >= -INT64_MIN || value < INT64_MIN ? INT64_MIN : value;
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

export function stringField(L: LuaState, index: number, field: Uint8Array): string | null {
  const type = lua.lua_getfield(L, index, field);
  const text = type === lua.LUA_TSTRING ? luaText(L, -1) : null;
  lua.lua_pop(L, 1);
  return text;
}

export function topText(L: LuaState): string {
  const type = lua.lua_type(L, -1);
  if (type === lua.LUA_TSTRING || type === lua.LUA_TNUMBER) return luaText(L, -1);
  return 'unknown error';
}

export function luaText(L: LuaState, index: number): string {
  return Buffer.from(lua.lua_tolstring(L, index) ?? new Uint8Array()).toString('utf8');
}
