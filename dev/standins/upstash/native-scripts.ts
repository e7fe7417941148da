// JS twins of the cache's own Lua scripts (lib/cache.ts), for the in-memory engine only. Running a script in
// fengari builds a Lua state per call and copies every value in and out; for a 30 KB page that made the stand-in,
// not the Worker, the bottleneck of a cache hit. A twin runs the same redis.call sequence through the same command
// table, so replies and effects are those of the Lua path (dev/test/native-scripts.test.ts compares them, and with
// real Redis when REDIS_URL is set). Matched by exact script text: any other script, or an edited one, runs in Lua.

import { CACHE_SCRIPTS } from '../../../lib/cache';
import { sha1hex } from './lua';
import { asCommandError, CommandError, type Reply } from './reply';

/** redis.call: throws a CommandError reply, as an uncaught Lua error would end the script. */
type Call = (argv: string[]) => Reply;

export type NativeScript = (keys: string[], args: string[], call: Call) => Reply;

/** Lua compares strings by bytes; a GET reply may be a Buffer. */
function sameText(reply: Reply, text: string | undefined): boolean {
  if (text === undefined) return false;
  if (typeof reply === 'string') return reply === text;
  return Buffer.isBuffer(reply) && reply.equals(Buffer.from(text));
}

/** `if KEYS[3] then SADD; if TTL == -1 then EXPIRE 86400 end end`, shared by two scripts. */
function joinTagForADay(call: Call, keys: string[]): void {
  if (keys[2] === undefined) return;
  call(['SADD', keys[2], keys[0]!]);
  if (call(['TTL', keys[2]]) === -1) call(['EXPIRE', keys[2], '86400']);
}

const twins: Record<keyof typeof CACHE_SCRIPTS, NativeScript> = {
  READ_OR_LEASE(keys, args, call) {
    const value = call(['GET', keys[0]!]);
    if (value !== null) return ['hit', value];
    if (call(['SET', keys[1]!, args[0]!, 'NX', 'PX', args[1]!]) !== null) {
      joinTagForADay(call, keys);
      return ['lease', ''];
    }
    return ['busy', ''];
  },
  FILL_IF_LEASED(keys, args, call) {
    if (!sameText(call(['GET', keys[1]!]), args[0])) return 0;
    call(['SET', keys[0]!, args[1]!, 'EX', args[2]!]);
    call(['DEL', keys[1]!]);
    if (keys[2] !== undefined) {
      call(['SADD', keys[2], keys[0]!]);
      if ((call(['TTL', keys[2]]) as number) < Number(args[2])) call(['EXPIRE', keys[2], args[2]!]);
    }
    return 1;
  },
  TAKE_LEASE(keys, args, call) {
    if (call(['SET', keys[1]!, args[0]!, 'NX', 'PX', args[1]!]) === null) return 0;
    joinTagForADay(call, keys);
    return 1;
  },
  RELEASE_LEASE(keys, args, call) {
    if (sameText(call(['GET', keys[0]!]), args[0])) return call(['DEL', keys[0]!]);
    return 0;
  },
  DROP_TAG(keys, _args, call) {
    const members = call(['SMEMBERS', keys[0]!]) as (string | Buffer)[];
    for (const member of members) {
      const name = member.toString();
      call(['DEL', name, `${name}#lease`]);
    }
    call(['DEL', keys[0]!]);
    return members.length;
  },
};

const bySource = new Map<string, NativeScript>(
  Object.entries(twins).map(([name, twin]) => [CACHE_SCRIPTS[name as keyof typeof CACHE_SCRIPTS], twin]),
);

let enabled = true;

/** The twin of this exact script text, if there is one (and twins are on). */
export function nativeScriptFor(source: string): NativeScript | undefined {
  return enabled ? bySource.get(source) : undefined;
}

/** For the equivalence test: run every script in Lua, as without this file. */
export function useNativeScripts(on: boolean): void {
  enabled = on;
}

/**
 * A command error inside a twin ends the script with the command's error and the script's sha, as Redis 7 words
 * it, less the `on @user_script:<line>` a twin cannot know.
 */
export function runNative(twin: NativeScript, source: string, keys: string[], args: string[], call: Call): Reply {
  try {
    return twin(keys, args, (argv) => {
      const reply = call(argv);
      if (reply instanceof CommandError) throw reply;
      return reply;
    });
  } catch (error) {
    throw new CommandError(`${asCommandError(error).message} script: ${sha1hex(source)}`);
  }
}
