// Runs Neon payloads on one lent connection with the proxy's semantics: one statement per query, all-or-nothing batches.
import type pg from 'pg';
import { beginStatement, formatResult, type BatchOptions, type NeonResult, type QueryData } from './protocol';

// @types/pg lacks `queryMode`; 'extended' makes even parameterless queries single-statement, as on Neon.
type ExtendedQueryConfig = pg.QueryArrayConfig<unknown[]> & { queryMode: 'extended' };

export async function runQuery(client: pg.ClientBase, data: QueryData, arrayMode: boolean): Promise<NeonResult> {
  const config: ExtendedQueryConfig = {
    text: data.query,
    values: data.params,
    rowMode: 'array',
    queryMode: 'extended',
  };
  const result = await client.query<Array<string | null>>(config);
  return formatResult(result, data.arrayMode ?? arrayMode);
}

/** BEGIN … COMMIT around the queries; the first error rolls everything back and is what the caller sees. */
export async function runBatch(
  client: pg.ClientBase,
  queries: QueryData[],
  options: BatchOptions,
  arrayMode: boolean,
): Promise<NeonResult[]> {
  await client.query(beginStatement(options));
  const results: NeonResult[] = [];
  try {
    for (const query of queries) results.push(await runQuery(client, query, arrayMode));
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  await client.query('COMMIT');
  return results;
}
