// One error type for everything we expect, and the single mapping from errors to RFC 9457 problem details.
import type { z } from 'zod';

export const errorCodes = {
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 422, title: 'Validation failed' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  version_conflict: { status: 409, title: 'Version conflict' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = errorCodes[code].title,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [key: string]: unknown } = {},
  ) {
    super(message);
    this.status = errorCodes[code].status;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

export function toProblem(error: AppError, instance?: string, requestId?: string): Problem {
  const { headers: _headers, ...extra } = error.extra;
  return {
    type: `https://lembas.dev/problems/${error.code.replaceAll('_', '-')}`,
    title: errorCodes[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    instance,
    requestId,
    ...extra,
  };
}

export function fieldErrorsFromZod(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldError[] {
  return issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Seconds a 503 asks clients to wait while the database cannot be reached. */
const DATABASE_RETRY_SECONDS = 5;

/**
 * Postgres error codes we expect from well-formed requests, mapped to client errors; and the database being
 * unreachable (the Neon client's errors that carry no SQLSTATE), mapped to a 503 worth retrying.
 */
export function fromDatabaseError(error: unknown): AppError | null {
  if (error instanceof Error && error.name === 'NeonDbError' && !(error as { code?: string }).code) {
    return new AppError('unavailable', 'The database cannot be reached right now. Please try again shortly.', {
      headers: { 'Retry-After': String(DATABASE_RETRY_SECONDS) },
    });
  }
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const { code, constraint } = error as { code?: string; constraint?: string };
  switch (code) {
    case '23505':
      // The constraint's name picks the message; it is not echoed, since it names our schema.
      return new AppError('conflict', describeUniqueViolation(constraint));
    case '23503':
      return new AppError('conflict', 'The change refers to a record that does not exist or is still referenced.');
    case '40P01': // deadlock: two changes waited on each other (e.g. two admins demoting each other); one gave way
    case '40001': // serialization failure
      return new AppError('conflict', 'Someone else changed this at the same moment. Reload and try again.');
    case '23514':
    case '22P02':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22021': // e.g. a NUL character, which Postgres text cannot hold
      return new AppError('validation_failed', 'A value was rejected by the database constraints.');
    default:
      return null;
  }
}

function describeUniqueViolation(constraint: string | undefined): string {
  if (constraint?.includes('email')) return 'That email is already registered.';
  if (constraint?.includes('username')) return 'That username is taken.';
  if (constraint?.includes('slug')) return 'That slug is already in use.';
  return 'A record with these values already exists.';
}
