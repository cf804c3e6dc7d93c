/**
 * One DuckDB connection with a FIFO lock: DuckDB runs one transaction per connection, so every
 * statement and transaction goes through `exclusive`. Store errors keep the query, its
 * parameters and the cause (as drizzle does).
 */
import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import { errors, PlumblineError } from '../../errors.js';
import type { Row } from './rows.js';
import type { Params } from './sql.js';

/** A serialised DuckDB connection. */
export class LockedConnection {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(readonly raw: DuckDBConnection) {}

  /** Number of operations queued behind the lock (queue depth). */
  get depth(): number {
    return this.waiting;
  }

  /** Runs `fn` alone on the connection, after every operation queued before it. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => this.waiting--,
      () => this.waiting--,
    );
    return result;
  }

  /** Runs `fn` inside BEGIN … COMMIT (ROLLBACK on error), alone on the connection. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.run('BEGIN TRANSACTION');
      try {
        const out = await fn();
        await this.run('COMMIT');
        return out;
      } catch (err) {
        await this.raw.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Runs a statement (caller holds the lock); returns the number of changed rows. */
  async run(sql: string, params?: Params): Promise<number> {
    try {
      const result = await this.raw.run(sql, params?.values, params?.types);
      return Number(result.rowsChanged);
    } catch (err) {
      throw wrap(err, sql, params);
    }
  }

  /** Runs a query (caller holds the lock) and returns its result, to read chunk by chunk (columnar). */
  async result(sql: string, params?: Params): Promise<DuckDBMaterializedResult> {
    try {
      return await this.raw.run(sql, params?.values, params?.types);
    } catch (err) {
      throw wrap(err, sql, params);
    }
  }

  /** Runs a query (caller holds the lock) and returns its rows as objects. */
  async all(sql: string, params?: Params): Promise<Row[]> {
    try {
      const reader = await this.raw.runAndReadAll(sql, params?.values, params?.types);
      return reader.getRowObjects();
    } catch (err) {
      throw wrap(err, sql, params);
    }
  }
}

function wrap(err: unknown, sql: string, params?: Params): PlumblineError {
  if (err instanceof PlumblineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const shown = params?.values.map((v) => (typeof v === 'object' && v !== null ? '[list]' : v));
  const e = errors.store(`store query failed: ${message}`, [], { cause: err });
  Object.assign(e, { query: sql, params: shown });
  return e;
}
