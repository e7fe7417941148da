// Routing and body validation for the Upstash REST wire (protocols.md B1, B3): turns JSON into argv string arrays.

/** argv of one Redis command: the name first, every argument already a string. */
export type Command = string[];

export type Route = 'single' | 'pipeline' | 'multi' | 'stats' | 'reset';

/** A request the stand-in refuses before any command runs; `status` is the HTTP status to answer with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The client appends `/pipeline` or `/multi-exec` to its base URL, which may carry a path prefix;
 * anything else is a single command, so a prefix or a trailing slash needs no configuration.
 */
export function routeOf(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '');
  if (path.endsWith('/__standin/stats')) return 'stats';
  if (path.endsWith('/__standin/reset')) return 'reset';
  if (path.endsWith('/pipeline')) return 'pipeline';
  if (path.endsWith('/multi-exec')) return 'multi';
  return 'single';
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'ERR failed to parse command: body is not valid JSON');
  }
}

export function parseCommand(body: unknown): Command {
  if (!Array.isArray(body) || body.length === 0) {
    throw new HttpError(400, 'ERR failed to parse command: expected a non-empty JSON array');
  }
  return body.map(toArgument);
}

export function parseBatch(body: unknown): Command[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw new HttpError(400, 'ERR failed to parse pipeline request: expected a non-empty array of commands');
  }
  return body.map(parseCommand);
}

/**
 * The client sends numbers (`ex 60`, EVAL numkeys), booleans and null (from undefined) unquoted, while Redis
 * only knows byte strings; objects arrive pre-stringified, so a raw one is a malformed request.
 */
function toArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  throw new HttpError(400, 'ERR failed to parse command: arguments must be strings, numbers, booleans or null');
}
