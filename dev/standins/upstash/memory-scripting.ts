// EVAL, EVALSHA and SCRIPT for the in-memory backend; ioredis-mock has no SCRIPT and its eval bypasses our fixes.

import { parseInteger, upper, wrongArity } from './memory-args';
import type { CommandContext, CommandTable } from './memory-spec';
import { CommandError, OK, type Reply } from './reply';
import { compileError, runScript, sha1hex } from './lua';
import { nativeScriptFor, runNative } from './native-scripts';

// createScript().exec() falls back to EVAL only when the error text contains "noscript".
const NOSCRIPT = 'NOSCRIPT No matching script. Please use EVAL.';

function splitKeys(numkeysText: string, rest: string[]): { keys: string[]; args: string[] } {
  const numkeys = parseInteger(numkeysText);
  if (numkeys < 0) throw new CommandError("ERR Number of keys can't be negative");
  if (numkeys > rest.length) throw new CommandError("ERR Number of keys can't be greater than number of args");
  return { keys: rest.slice(0, numkeys), args: rest.slice(numkeys) };
}

function execute(ctx: CommandContext, source: string, numkeys: string, rest: string[]): Reply {
  const { keys, args } = splitKeys(numkeys, rest);
  const native = nativeScriptFor(source);
  if (native) return runNative(native, source, keys, args, (argv) => ctx.execute(argv));
  const outcome = runScript(source, keys, args, (argv) => ctx.execute(argv));
  if (outcome instanceof CommandError) throw outcome;
  return outcome;
}

/** EVAL caches the script under its sha1 like Redis, so a later EVALSHA finds it. */
function evalScript(ctx: CommandContext, [source, numkeys, ...rest]: string[]): Reply {
  const problem = compileError(source!);
  if (problem) throw problem;
  ctx.store.scripts.set(sha1hex(source!), source!);
  return execute(ctx, source!, numkeys!, rest);
}

function evalsha(ctx: CommandContext, [sha, numkeys, ...rest]: string[]): Reply {
  const source = ctx.store.scripts.get(sha!.toLowerCase());
  if (source === undefined) throw new CommandError(NOSCRIPT);
  return execute(ctx, source, numkeys!, rest);
}

function script({ store }: CommandContext, [subcommand, ...rest]: string[]): Reply {
  const name = upper(subcommand);
  if (name === 'LOAD') return loadScript(store.scripts, rest);
  if (name === 'EXISTS') {
    if (rest.length === 0) throw wrongArity('script|exists');
    return rest.map((sha) => (store.scripts.has(sha.toLowerCase()) ? 1 : 0));
  }
  if (name === 'FLUSH') {
    store.scripts.clear();
    return OK;
  }
  throw new CommandError(`ERR unknown subcommand '${subcommand}'. Try SCRIPT HELP.`);
}

function loadScript(scripts: Map<string, string>, args: string[]): Reply {
  if (args.length !== 1) throw wrongArity('script|load');
  const source = args[0]!;
  const problem = compileError(source);
  if (problem) throw problem;
  const sha = sha1hex(source);
  scripts.set(sha, source);
  return sha;
}

export const SCRIPTING_COMMANDS: CommandTable = {
  eval: { arity: -3, run: evalScript, noScript: true },
  eval_ro: { arity: -3, run: evalScript, noScript: true, readOnlyScript: true },
  evalsha: { arity: -3, run: evalsha, noScript: true },
  evalsha_ro: { arity: -3, run: evalsha, noScript: true, readOnlyScript: true },
  script: { arity: -2, run: script, noScript: true },
};
