/**
 * SQL helpers for the DuckDB adapter: identifier quoting for the few names that cannot be bound
 * (table and column names, validated upstream), typed parameter lists, and per-model table names.
 */
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  blobValue,
  DOUBLE,
  type DuckDBType,
  type DuckDBValue,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import type { FeatureKind } from '../store.js';

/** Quotes an identifier for DuckDB (doubles embedded quotes); the one place names enter SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The typed detailed-rows table of a model. */
export function predictionTable(model: string): string {
  return quoteIdent(`pred_${model}`);
}

/** The table holding a snapshot's rows. */
export function snapshotTable(id: string): string {
  return quoteIdent(`snapshot_${id}`);
}

/** The column of a feature in a model's prediction table. */
export function featureColumn(name: string): string {
  return quoteIdent(`f_${name}`);
}

/** DuckDB column type of a feature kind. */
export function featureSqlType(kind: FeatureKind): 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' {
  return kind === 'numeric' ? 'DOUBLE' : kind === 'categorical' ? 'VARCHAR' : 'BOOLEAN';
}

/** Bound parameters with explicit types (the driver cannot infer list or null types). */
export class Params {
  readonly values: DuckDBValue[] = [];
  readonly types: DuckDBType[] = [];

  /** Adds a VARCHAR (or NULL). */
  str(v: string | null): this {
    return this.add(v, VARCHAR);
  }
  /** Adds a DOUBLE (or NULL). */
  num(v: number | null): this {
    return this.add(v, DOUBLE);
  }
  /** Adds a BIGINT from an integer number (or NULL). */
  int(v: number | null): this {
    return this.add(v === null ? null : BigInt(Math.trunc(v)), BIGINT);
  }
  /** Adds a BOOLEAN (or NULL). */
  bool(v: boolean | null): this {
    return this.add(v, BOOLEAN);
  }
  /** Adds a BLOB (or NULL). */
  blob(v: Uint8Array | null): this {
    return this.add(v === null ? null : blobValue(v), BLOB);
  }
  /** Adds a LIST of the given element type. */
  list(items: DuckDBValue[], itemType: DuckDBType): this {
    return this.add(listValue(items), LIST(itemType));
  }
  /** Adds a LIST(VARCHAR). */
  strList(items: (string | null)[]): this {
    return this.list(items, VARCHAR);
  }
  /** Adds a LIST(DOUBLE). */
  numList(items: (number | null)[]): this {
    return this.list(items, DOUBLE);
  }
  /** Adds a LIST(BIGINT) from integer numbers. */
  intList(items: (number | null)[]): this {
    return this.list(
      items.map((v) => (v === null ? null : BigInt(Math.trunc(v)))),
      BIGINT,
    );
  }
  private add(v: DuckDBValue, t: DuckDBType): this {
    this.values.push(v);
    this.types.push(t);
    return this;
  }
}
