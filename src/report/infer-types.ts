/**
 * Column type inference for `plumbline report`, from the type DuckDB gives
 * each column (after its own CSV sniffing), overridable by the user.
 *
 * Rule (in one visible place):
 * - number types (DOUBLE, BIGINT, DECIMAL, …) → `numeric`, even with few distinct
 *   integer values (a 0/1 flag, a 1–5 rating stays ordered and numeric; pass
 *   `--categorical col` to compare it as categories instead);
 * - BOOLEAN → `boolean` (compared as the categories 'true'/'false');
 * - DATE / TIMESTAMP → `datetime` (read as epoch ms, excluded from drift by default);
 * - anything else (VARCHAR, …) → `categorical`.
 */
import { isNumericSqlType, isTemporalSqlType, type ReadKind } from '../io/read-table.js';

/** The column types the report knows. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'datetime';

const COLUMN_TYPES: readonly ColumnType[] = ['numeric', 'categorical', 'boolean', 'datetime'];

/** Infers a column's type from its DuckDB type name (see the module comment for the rule). */
export function inferColumnType(sqlType: string): ColumnType {
  if (isNumericSqlType(sqlType)) return 'numeric';
  if (sqlType === 'BOOLEAN') return 'boolean';
  if (isTemporalSqlType(sqlType)) return 'datetime';
  return 'categorical';
}

/** How a column of this type is read into memory (booleans as category labels). */
export function readKindFor(type: ColumnType): ReadKind {
  return type === 'boolean' ? 'categorical' : type;
}

/** User overrides as given on the command line. */
export interface TypeOverrideOptions {
  /** Comma-separated columns to treat as numeric (`--numeric a,b`). */
  numeric?: string;
  /** Comma-separated columns to treat as categorical (`--categorical c,d`). */
  categorical?: string;
  /** Comma-separated `col=type` pairs (`--types a=numeric,b=categorical`). */
  types?: string;
}

/** Splits a comma-separated list, trimming blanks and dropping empty items. */
export function splitList(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses `--numeric`, `--categorical` and `--types` into one map; throws `TypeError` on an unknown type. */
export function parseTypeOverrides(options: TypeOverrideOptions): Map<string, ColumnType> {
  const out = new Map<string, ColumnType>();
  for (const name of splitList(options.numeric)) out.set(name, 'numeric');
  for (const name of splitList(options.categorical)) out.set(name, 'categorical');
  for (const pair of splitList(options.types)) {
    const eq = pair.lastIndexOf('=');
    const name = pair.slice(0, eq).trim();
    const type = pair.slice(eq + 1).trim() as ColumnType;
    if (eq <= 0 || !COLUMN_TYPES.includes(type)) {
      throw new TypeError(
        `invalid --types entry: ${JSON.stringify(pair)} (expected col=type with type one of ${COLUMN_TYPES.join(', ')})`,
      );
    }
    out.set(name, type);
  }
  return out;
}

/** Infers every column's type, applying overrides; returns name → type in column order. */
export function inferTypes(
  columns: readonly { name: string; sqlType: string }[],
  overrides: ReadonlyMap<string, ColumnType> = new Map(),
): Map<string, ColumnType> {
  const out = new Map<string, ColumnType>();
  for (const column of columns)
    out.set(column.name, overrides.get(column.name) ?? inferColumnType(column.sqlType));
  return out;
}
