// A Neon `sql` client that loads @neondatabase/serverless on its first query. Evaluating the driver's module was
// ~6 ms of every cold start (wrangler check startup), and a request answered from the cache never queries Neon.
// Queries written before the driver is loaded are held as deferred thenables and turned into the driver's own
// queries when they run (awaited, or listed in a transaction); once it is loaded, calls go straight to `neon()`.
import type { NeonQueryFunction, NeonQueryPromise } from '@neondatabase/serverless';

export type Sql = NeonQueryFunction<false, false>;
type Query = NeonQueryPromise<false, false>;
type Driver = typeof import('@neondatabase/serverless');

let driver: Driver | undefined;
let loading: Promise<Driver> | undefined;

function loadDriver(): Promise<Driver> {
  return (loading ??= import('@neondatabase/serverless').then((loaded) => (driver = loaded)));
}

/** `sql.unsafe(text)` written before the driver loaded. */
class DeferredUnsafe {
  constructor(readonly text: string) {}
}

/** A query written before the driver loaded: built with the driver, and run, when awaited. */
class DeferredQuery implements PromiseLike<unknown> {
  private running: Promise<unknown> | undefined;
  constructor(
    private readonly ready: () => Promise<Sql>,
    readonly build: (sql: Sql) => Query,
  ) {}

  then<A = unknown, B = never>(
    onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.running ??= this.ready().then((sql) => this.build(sql));
    return this.running.then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<unknown> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<unknown> {
    return this.then().finally(onFinally);
  }

  get [Symbol.toStringTag](): string {
    return 'NeonQueryPromise';
  }
}

/** A parameter as the driver wants it: deferred fragments (raw text, nested queries) built with `sql`. */
function realParam(sql: Sql, param: unknown): unknown {
  if (param instanceof DeferredUnsafe) return sql.unsafe(param.text);
  if (param instanceof DeferredQuery) return param.build(sql);
  return param;
}

function realQuery(sql: Sql, query: unknown): unknown {
  return query instanceof DeferredQuery ? query.build(sql) : query;
}

/**
 * `neon(connectionString)`, loaded on the first query. `prepare` runs before every query (the fetch endpoint is a
 * global of the driver, so each client sets its own).
 */
export function lazyNeon(connectionString: string, prepare: (driver: Driver) => void = () => {}): Sql {
  let real: Sql | undefined;
  const loaded = (d: Driver): Sql => {
    prepare(d);
    return (real ??= d.neon(connectionString));
  };
  const ready = async () => loaded(driver ?? (await loadDriver()));
  const now = () => (driver ? loaded(driver) : undefined);

  function sql(strings: TemplateStringsArray, ...params: unknown[]): Query {
    const build = (s: Sql) => s(strings, ...params.map((param) => realParam(s, param)));
    const s = now();
    return (s ? build(s) : new DeferredQuery(ready, build)) as unknown as Query;
  }
  sql.query = (text: string, params?: unknown[], options?: Parameters<Sql['query']>[2]): Query => {
    const build = (s: Sql) =>
      s.query(
        text,
        params?.map((param) => realParam(s, param)),
        options,
      ) as Query;
    const s = now();
    return (s ? build(s) : new DeferredQuery(ready, build)) as unknown as Query;
  };
  sql.unsafe = (text: string) =>
    now()?.unsafe(text) ?? (new DeferredUnsafe(text) as unknown as ReturnType<Sql['unsafe']>);
  sql.transaction = async (
    queries: unknown[] | ((sql: Sql) => unknown[]),
    options?: Parameters<Sql['transaction']>[1],
  ): Promise<unknown> => {
    const s = await ready();
    const list = typeof queries === 'function' ? queries(sql as unknown as Sql) : queries;
    // Anything but an array goes to the driver as it came, for the driver's own error.
    return s.transaction((Array.isArray(list) ? list.map((query) => realQuery(s, query)) : list) as Query[], options);
  };
  return sql as unknown as Sql;
}
