// Translates between Neon's SQL-over-HTTP JSON (protocols.md A2–A7) and node-postgres results, with no I/O.
import type { IncomingHttpHeaders } from 'node:http';
import type pg from 'pg';

export interface QueryData {
  query: string;
  params: unknown[];
  arrayMode?: boolean;
}

export type Payload = { kind: 'single'; query: QueryData } | { kind: 'batch'; queries: QueryData[] };

export interface BatchOptions {
  isolationLevel?: string;
  readOnly: boolean;
  deferrable: boolean;
}

export interface NeonField {
  name: string;
  dataTypeID: number;
  tableID: number;
  columnID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: 'text';
}

export interface NeonResult {
  command: string;
  rowCount: number | null;
  rows: Array<Array<string | null>> | Array<Record<string, string | null>>;
  rowAsArray: boolean;
  fields: NeonField[];
}

/** A failure that is not a Postgres error: Neon answers these with 400 and `code: ""`. */
export class RequestError extends Error {}

const ISOLATION_LEVELS: Record<string, string> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
};

// Same order as the proxy's json! error body, so captured responses diff cleanly against Neon's.
const ERROR_FIELDS = [
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'severity',
  'where',
  'table',
  'column',
  'schema',
  'dataType',
  'constraint',
  'file',
  'line',
  'routine',
] as const;

export function parsePayload(body: string): Payload {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new RequestError(`request body is not valid JSON: ${(err as Error).message}`);
  }
  if (isObject(json) && Array.isArray(json.queries)) {
    return { kind: 'batch', queries: json.queries.map(toQueryData) };
  }
  return { kind: 'single', query: toQueryData(json) };
}

function toQueryData(value: unknown): QueryData {
  if (!isObject(value) || typeof value.query !== 'string') {
    throw new RequestError('request body must be {"query","params"} or {"queries":[...]}');
  }
  const params = value.params ?? [];
  if (!Array.isArray(params)) throw new RequestError('"params" must be an array');
  const arrayMode = typeof value.arrayMode === 'boolean' ? value.arrayMode : undefined;
  return { query: value.query, params, arrayMode };
}

/** Reads the transaction headers; the proxy rejects an unknown level even on single queries. */
export function parseBatchOptions(headers: IncomingHttpHeaders): BatchOptions {
  const level = headerValue(headers, 'neon-batch-isolation-level');
  if (level !== undefined && !(level in ISOLATION_LEVELS)) {
    throw new RequestError('invalid isolation level');
  }
  return {
    isolationLevel: level,
    // Only the exact string "true" switches these on, as in the proxy.
    readOnly: headerValue(headers, 'neon-batch-read-only') === 'true',
    deferrable: headerValue(headers, 'neon-batch-deferrable') === 'true',
  };
}

export function defaultArrayMode(headers: IncomingHttpHeaders): boolean {
  return headerValue(headers, 'neon-array-mode') === 'true';
}

export function beginStatement(opts: BatchOptions): string {
  const parts = ['BEGIN'];
  if (opts.isolationLevel !== undefined) parts.push(`ISOLATION LEVEL ${ISOLATION_LEVELS[opts.isolationLevel]}`);
  if (opts.readOnly) parts.push('READ ONLY');
  if (opts.deferrable) parts.push('DEFERRABLE');
  return parts.join(' ');
}

export function formatResult(result: pg.QueryArrayResult<Array<string | null>>, arrayMode: boolean): NeonResult {
  const fields = result.fields.map(formatField);
  return {
    // pg leaves command null for an empty query; the proxy sends "".
    command: result.command ?? '',
    rowCount: result.rowCount ?? null,
    rows: arrayMode ? result.rows : result.rows.map((row) => rowToObject(row, fields)),
    rowAsArray: arrayMode,
    fields,
  };
}

function formatField(field: pg.FieldDef): NeonField {
  return {
    name: field.name,
    dataTypeID: field.dataTypeID,
    tableID: field.tableID,
    columnID: field.columnID,
    dataTypeSize: field.dataTypeSize,
    dataTypeModifier: field.dataTypeModifier,
    format: 'text',
  };
}

function rowToObject(row: Array<string | null>, fields: NeonField[]): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  fields.forEach((field, i) => {
    out[field.name] = row[i] ?? null;
  });
  return out;
}

/** The 400 body for any failure; Postgres errors keep every field or the client loses `e.code`. */
export function formatError(err: unknown): Record<string, string | null> {
  const body: Record<string, string | null> = { message: err instanceof Error ? err.message : String(err) };
  const pgError = isPostgresError(err) ? (err as unknown as Record<string, unknown>) : undefined;
  for (const key of ERROR_FIELDS) {
    const value = pgError?.[key];
    body[key] = value === undefined || value === null ? null : String(value);
  }
  if (pgError === undefined) body.code = '';
  return body;
}

/** Duck-typed because PGlite's bridge raises its own bundled DatabaseError class, not pg's. */
export function isPostgresError(err: unknown): boolean {
  return isObject(err) && typeof err.severity === 'string' && typeof err.code === 'string';
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
