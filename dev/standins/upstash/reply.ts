// Redis replies as both backends produce them, and their JSON form on the Upstash REST wire (protocols.md B4).

/** A status reply ("OK", "PONG"); kept apart from bulk strings because Lua sees it as `{ok=...}`. */
export class Status {
  constructor(readonly text: string) {}
}

/** A Redis error reply; its message goes to the client verbatim and is never base64-encoded. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export type Reply = null | number | string | Buffer | Status | Reply[];

/** One entry of a pipeline or multi-exec answer. */
export type Outcome = Reply | CommandError;

export type WireValue = null | number | string | WireValue[];

export type WireEntry = { result: WireValue } | { error: string };

export const OK = new Status('OK');

/**
 * Every string at any depth (bulk, status, SCAN cursor) is base64 of its raw bytes when the client asked for it:
 * the client decodes every string it gets, so a single plain one would turn into garbage.
 */
export function toWire(reply: Reply, base64: boolean): WireValue {
  if (reply === null) return null;
  if (typeof reply === 'number') return Number.isFinite(reply) ? reply : null;
  if (Array.isArray(reply)) return reply.map((item) => toWire(item, base64));
  // A string held by the embedded engine goes out as it is, with lone surrogates replaced as a round trip through
  // UTF-8 bytes would (as real Redis, which stores bytes, answers), without that round trip: on a cached page it was
  // two passes over 30 KB per hit, CPU that a load figure then charged to the machine the Worker shares.
  if (typeof reply === 'string' && !base64) return reply.toWellFormed();
  const bytes = replyBytes(reply);
  return base64 ? bytes.toString('base64') : bytes.toString('utf8');
}

function replyBytes(reply: string | Buffer | Status): Buffer {
  if (Buffer.isBuffer(reply)) return reply;
  return Buffer.from(reply instanceof Status ? reply.text : reply, 'utf8');
}

export function toWireEntry(outcome: Outcome, base64: boolean): WireEntry {
  if (outcome instanceof CommandError) return { error: outcome.message };
  return { result: toWire(outcome, base64) };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * Backend exceptions of any kind become Redis error replies. Redis' own replies (ioredis' ReplyError) pass
 * verbatim; anything else (a JS throw inside ioredis-mock, a lost connection) gets the generic ERR code.
 */
export function asCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = errorMessage(error);
  if (error instanceof Error && error.name === 'ReplyError') return new CommandError(message);
  return new CommandError(/^[A-Z]+ /.test(message) ? message : `ERR ${message}`);
}
