import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlumblineError } from '../errors.js';
import { createTableReader, quoteIdentifier, quoteString, type TableReader } from './read-table.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-read-table-'));
let reader: TableReader;

beforeAll(async () => {
  reader = await createTableReader();
});
afterAll(() => reader.close());

function csv(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('quoteIdentifier', () => {
  it('wraps in double quotes and doubles inner quotes', () => {
    expect(quoteIdentifier('a')).toBe('"a"');
    expect(quoteIdentifier('we"ird; DROP')).toBe('"we""ird; DROP"');
  });
  it('rejects NUL', () => {
    expect(() => quoteIdentifier('a\0b')).toThrow(TypeError);
    expect(() => quoteString('a\0b')).toThrow(TypeError);
  });
  it('quotes string literals by doubling single quotes (backslashes are literal)', () => {
    expect(quoteString("it's a \\ path")).toBe("'it''s a \\ path'");
  });
});

describe('readTable', () => {
  it('reads numbers, strings, booleans and timestamps with missing values', async () => {
    const path = csv(
      'mixed.csv',
      'x,c,b,t\n1.5,a,true,2024-01-01 00:00:00\n,b,false,2024-01-02 00:00:00\n3,,true,\n',
    );
    const info = await reader.open(path);
    expect(info.format).toBe('csv');
    expect(info.rows).toBe(3);
    const [x, c, b, t] = await reader.read(info, [
      { name: 'x', as: 'numeric' },
      { name: 'c', as: 'categorical' },
      { name: 'b', as: 'categorical' },
      { name: 't', as: 'datetime' },
    ]);
    expect(Array.from(x.values as Float64Array)).toEqual([1.5, Number.NaN, 3]);
    expect(c.values).toEqual(['a', 'b', null]);
    expect(b.values).toEqual(['true', 'false', 'true']);
    const [bn] = await reader.read(info, [{ name: 'b', as: 'numeric' }]);
    expect(Array.from(bn.values as Float64Array)).toEqual([1, 0, 1]);
    expect(bn.invalid).toBe(0);
    expect(Array.from(t.values as Float64Array)).toEqual([
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 0, 2),
      Number.NaN,
    ]);
  });

  it('reads categories the same below and above the ENUM cardinality limit (10 000)', async () => {
    const n = 10_050;
    const lines = ['few,many'];
    for (let i = 0; i < n; i++) lines.push(`${i % 3 === 0 ? '' : `k${i % 7}`},id-${i}`);
    const info = await reader.open(csv('cats.csv', `${lines.join('\n')}\n`));
    const [few, many] = await reader.read(info, [
      { name: 'few', as: 'categorical' },
      { name: 'many', as: 'categorical' },
    ]);
    for (let i = 0; i < n; i++) {
      expect(few.values[i]).toBe(i % 3 === 0 ? null : `k${i % 7}`);
      expect(many.values[i]).toBe(`id-${i}`);
    }
  });

  it('counts strings in a column read as numeric as invalid', async () => {
    const info = await reader.open(csv('bad.csv', 'x\n1\n2\nabc\n\nfoo\n4\n'));
    const [x] = await reader.read(info, [{ name: 'x', as: 'numeric' }]);
    expect(x.invalid).toBe(2);
    expect(Array.from(x.values as Float64Array).filter(Number.isFinite)).toEqual([1, 2, 4]);
  });

  it('reads Parquet by magic bytes even without the extension, and odd column names', async () => {
    const src = csv('odd.csv', '"we""ird",y\n1,p\n2,q\n2,q\n');
    const out = join(dir, "it's odd.bin");
    const info0 = await reader.open(src);
    expect(info0.columns.map((c) => c.name)).toEqual(['we"ird', 'y']);
    expect(await reader.countDuplicateRows(info0)).toBe(1);
    // Write Parquet through a second reader's DuckDB, path as a parameter.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(
      `COPY (SELECT * FROM read_csv_auto($1)) TO '${out.replaceAll("'", "''")}' (FORMAT parquet)`,
      [src],
    );
    con.closeSync();
    const info = await reader.open(out);
    expect(info.format).toBe('parquet');
    const [w] = await reader.read(info, [{ name: 'we"ird', as: 'numeric' }]);
    expect(Array.from(w.values as Float64Array)).toEqual([1, 2, 2]);
  });

  it('throws coded errors for missing, empty, header-only and unreadable files, and unknown columns', async () => {
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (err) {
        return (err as PlumblineError).code;
      }
      return 'no error';
    };
    expect(await code(reader.open(join(dir, 'nope.csv')))).toBe('PLB_ERR_FILE_NOT_FOUND');
    expect(await code(reader.open(csv('empty.csv', '')))).toBe('PLB_ERR_EMPTY_INPUT');
    expect(await code(reader.open(csv('header.csv', 'a,b\n')))).toBe('PLB_ERR_EMPTY_INPUT');
    expect(await code(reader.open(csv('broken.parquet', 'PAR1 not really')))).toBe('PLB_ERR_UNREADABLE_FILE');
    const info = await reader.open(csv('ok.csv', 'a\n1\n'));
    expect(await code(reader.read(info, [{ name: 'zzz', as: 'numeric' }]))).toBe('PLB_ERR_UNKNOWN_COLUMN');
  });
});
