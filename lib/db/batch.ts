// Reads from several resources in one Neon HTTP request. Each resource's SQL module offers a part (its queries and
// how to decode their rows), so SQL stays in one place per resource while a page that shows several of them (a
// post page: the post, its neighbours, its thread) costs one round trip and one response to parse.
import type { NeonQueryPromise } from '@neondatabase/serverless';
import type { Sql } from '../clients';
import type { Row } from './rows';

export interface BatchPart<T> {
  queries: NeonQueryPromise<false, false>[];
  /** The rows of each of `queries`, in order. */
  decode(results: Row[][]): T;
}

type Decoded<P> = { [K in keyof P]: P[K] extends BatchPart<infer T> ? T : never };

/** Runs every part's queries as one read-only transaction (one snapshot) and decodes each part's share. */
export async function readBatch<P extends BatchPart<unknown>[]>(sql: Sql, ...parts: P): Promise<Decoded<P>> {
  const results = (await sql.transaction(
    parts.flatMap((part) => part.queries),
    { readOnly: true },
  )) as Row[][];
  let at = 0;
  return parts.map((part) => {
    const mine = results.slice(at, at + part.queries.length);
    at += part.queries.length;
    return part.decode(mine);
  }) as Decoded<P>;
}
