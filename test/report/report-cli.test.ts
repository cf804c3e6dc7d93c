/**
 * `plumbline report` end to end through the command (commander parsing, reading, drift,
 * quality, performance, rendering, writing) on small CSV and Parquet files made here.
 * Numbers are checked against direct calls to the statistics (tolerance 1e-12 relative:
 * the same code paths on the same values, so only summation order could differ).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReportCommand } from '../../src/cli/commands/report.js';
import { psiCategorical, psiNumeric } from '../../src/drift/psi.js';
import type { PlumblineError } from '../../src/errors.js';
import type { Report } from '../../src/report/types.js';
import { chiSquareHomogeneity } from '../../src/stats/chi-square.js';
import { categoryCounts } from '../../src/stats/histogram.js';
import { ks2Samp } from '../../src/stats/ks.js';
import { sortFloat64 } from '../../src/stats/quantile.js';
import { createRng } from '../../src/stats/random.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-report-'));
const TOL = 1e-12;

/** Runs `plumbline report …args` in-process; returns stdout, or throws the command's error. */
async function report(...args: string[]): Promise<string> {
  let out = '';
  const program = new Command().exitOverride();
  program.addCommand(
    createReportCommand({
      stdout: { write: (t: string) => (out += t) },
      stderr: process.stderr,
    }).exitOverride(),
  );
  await program.parseAsync(['report', '--quiet', ...args], { from: 'user' });
  return out;
}

async function errorOf(p: Promise<unknown>): Promise<PlumblineError> {
  try {
    await p;
  } catch (err) {
    return err as PlumblineError;
  }
  throw new Error('expected an error');
}

interface Rows {
  age: number[];
  plan: string[];
  flag: number[];
  y: string[];
  p: number[];
}

function makeRows(n: number, seed: number, shift: number): Rows {
  const rng = createRng(seed);
  const rows: Rows = { age: [], plan: [], flag: [], y: [], p: [] };
  for (let i = 0; i < n; i++) {
    const age = 40 + 10 * rng.normal() + 8 * shift;
    const u = rng.next();
    const plan = u < 0.5 - 0.25 * shift ? 'basic' : u < 0.8 ? 'pro' : '<team & "co">';
    const p = 1 / (1 + Math.exp(-(age - 40) / 10));
    rows.age.push(Math.round(age * 100) / 100);
    rows.plan.push(plan);
    rows.flag.push(rng.next() < 0.3 ? 1 : 0);
    rows.y.push(rng.next() < p ? 'yes' : 'no');
    rows.p.push(Math.round(p * 1e4) / 1e4);
  }
  return rows;
}

function writeCsv(name: string, rows: Rows, edit?: (line: string[], i: number) => string[]): string {
  const lines = ['age,plan,flag,y,p'];
  rows.age.forEach((_, i) => {
    const cells = [
      String(rows.age[i]),
      `"${rows.plan[i].replaceAll('"', '""')}"`,
      String(rows.flag[i]),
      rows.y[i],
      String(rows.p[i]),
    ];
    lines.push((edit ? edit(cells, i) : cells).join(','));
  });
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const refRows = makeRows(600, 1, 0);
const curRows = makeRows(400, 2, 1);
const refCsv = writeCsv('ref.csv', refRows);
const curCsv = writeCsv('cur.csv', curRows);
const curParquet = join(dir, 'cur.parquet');
const both = () => ['--reference', refCsv, '--current', curCsv];

beforeAll(async () => {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(
    `COPY (SELECT * FROM read_csv($1, auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR'])) TO '${curParquet.replaceAll("'", "''")}' (FORMAT parquet)`,
    [curCsv],
  );
  con.closeSync();
});

describe('plumbline report (JSON)', () => {
  let json: Report;
  beforeAll(async () => {
    json = JSON.parse(await report(...both(), '--label', 'y', '--score', 'p', '--format', 'json'));
  });

  it('has every field of the contract', () => {
    expect(Object.keys(json.summary).sort()).toEqual(['driftedFeatures', 'nFeatures', 'rows', 'verdict']);
    expect(json.summary.rows).toEqual({ reference: 600, current: 400 });
    expect(json.features.map((f) => f.name)).toEqual(['age', 'plan', 'flag']);
    const age = json.features[0];
    expect(Object.keys(age.tests).sort()).toEqual(['jensenShannon', 'ks', 'psi', 'wasserstein']);
    expect(Object.keys(json.features[1].tests).sort()).toEqual(['chiSquare', 'jensenShannon', 'psi']);
    expect(age).toMatchObject({ type: 'numeric', drifted: true, missing: { reference: 0, current: 0 } });
    expect(age.reason).toMatch(/PSI|KS/);
    expect(json.score?.name).toBe('p');
    expect(json.label?.name).toBe('y');
    expect(Array.isArray(json.quality.issues)).toBe(true);
    for (const side of [json.performance!.reference, json.performance!.current]) {
      for (const k of [
        'accuracy',
        'precision',
        'recall',
        'f1',
        'rocAuc',
        'averagePrecision',
        'logLoss',
        'brier',
      ]) {
        const m = side[k as keyof typeof side] as { value: number; ci: { low: number; high: number } };
        expect(m.value, k).toBeTypeOf('number');
        expect(m.ci.low, k).toBeLessThanOrEqual(m.value);
        expect(m.ci.high, k).toBeGreaterThanOrEqual(m.value);
      }
    }
    expect(json.performance!.positive).toBe('yes'); // the larger of 'no' < 'yes'
    expect(json.summary.verdict).toBe('drift');
    expect(json.summary.driftedFeatures).toBe(json.features.filter((f) => f.drifted).length);
  });

  it('agrees with direct calls to the statistics', () => {
    const age = json.features[0].tests;
    const ks = ks2Samp(refRows.age, curRows.age);
    if (ks.status !== 'ok') throw new Error('ks');
    expect(age.ks!.statistic).toBeCloseTo(ks.statistic, 12);
    expect(Math.abs(age.ks!.pValue - ks.pValue)).toBeLessThanOrEqual(TOL * Math.max(1e-300, ks.pValue));
    const psi = psiNumeric(sortFloat64(refRows.age), curRows.age);
    expect(Math.abs(age.psi.value - psi)).toBeLessThanOrEqual(TOL * psi);

    const plan = json.features[1].tests;
    const rc = categoryCounts(refRows.plan).counts;
    const cc = categoryCounts(curRows.plan).counts;
    const chi = chiSquareHomogeneity(rc, cc);
    if (chi.status !== 'ok') throw new Error('chi');
    expect(Math.abs(plan.chiSquare!.statistic - chi.statistic)).toBeLessThanOrEqual(TOL * chi.statistic);
    expect(Math.abs(plan.psi.value - psiCategorical(rc, cc))).toBeLessThanOrEqual(TOL * plan.psi.value);

    const correct = curRows.y.filter((y, i) => (curRows.p[i] >= 0.5 ? 'yes' : 'no') === y).length;
    expect(json.performance!.current.accuracy.value).toBeCloseTo(correct / 400, 12);
  });

  it('reads Parquet like CSV (same numbers)', async () => {
    const fromParquet: Report = JSON.parse(
      await report('--reference', refCsv, '--current', curParquet, '--label', 'y', '--score', 'p'),
    );
    expect(fromParquet.features).toEqual(json.features);
    expect(fromParquet.performance).toEqual(json.performance);
  });
});

describe('predictions and the positive class', () => {
  it('uses --prediction instead of the score threshold, and --positive for the class', async () => {
    const write = (name: string, rows: Rows) => {
      const lines = ['age,y,pred'];
      rows.age.forEach((a, i) => {
        lines.push(`${a},${rows.y[i]},${rows.p[i] >= 0.3 ? 'yes' : 'no'}`);
      });
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    const ref = write('pred-ref.csv', refRows);
    const cur = write('pred-cur.csv', curRows);
    const json: Report = JSON.parse(
      await report(
        '--reference',
        ref,
        '--current',
        cur,
        '--label',
        'y',
        '--prediction',
        'pred',
        '--positive',
        'no',
      ),
    );
    const p = json.performance!;
    expect(p.positive).toBe('no');
    expect(p.current.rocAuc).toBeUndefined(); // no score, no score metrics
    const pred = curRows.p.map((x) => (x >= 0.3 ? 'yes' : 'no'));
    const tp = pred.filter((v, i) => v === 'no' && curRows.y[i] === 'no').length;
    const positives = curRows.y.filter((v) => v === 'no').length;
    expect(p.current.recall.value).toBeCloseTo(tp / positives, 12);
    const correct = pred.filter((v, i) => v === curRows.y[i]).length;
    expect(p.current.accuracy.value).toBeCloseTo(correct / curRows.y.length, 12);
    expect(json.features.map((f) => f.name)).toEqual(['age']);

    const err = await errorOf(
      report(
        '--reference',
        ref,
        '--current',
        cur,
        '--label',
        'y',
        '--prediction',
        'pred',
        '--positive',
        'maybe',
      ),
    );
    expect(err.message).toContain('"maybe"');
    expect(err.issues[0].expected).toContain('"no", "yes"');

    // predictions spelled differently from the label are an error, not silently "negative"
    const bad = errorOf(report('--reference', ref, '--current', cur, '--label', 'y', '--prediction', 'age'));
    expect((await bad).message).toMatch(/prediction column "age" has values that are not classes of "y"/);
  });
});

describe('types', () => {
  it('keeps a 0/1 integer column numeric by default, categorical on request', async () => {
    const a: Report = JSON.parse(await report(...both(), '--columns', 'flag'));
    expect(a.features.map((f) => [f.name, f.type])).toEqual([['flag', 'numeric']]);
    expect(a.features[0].tests.ks).toBeDefined();
    const b: Report = JSON.parse(await report(...both(), '--columns', 'flag,age', '--categorical', 'flag'));
    expect(b.features[0]).toMatchObject({ name: 'flag', type: 'categorical' });
    expect(b.features[0].tests.chiSquare).toBeDefined();
    const c: Report = JSON.parse(await report(...both(), '--columns', 'age', '--types', 'age=categorical'));
    expect(c.features[0].type).toBe('categorical');
  });

  it('gives insufficient_data, not a verdict, on a tiny sample', async () => {
    const tiny = writeCsv('tiny.csv', makeRows(10, 3, 1));
    const json: Report = JSON.parse(await report('--reference', refCsv, '--current', tiny));
    expect(json.features.every((f) => f.status === 'insufficient_data' && !f.drifted)).toBe(true);
    expect(json.features[0].tests.ks).toEqual({ statistic: null, pValue: null });
    expect(json.features[0].reason).toMatch(/only 10/);
    expect(json.summary.verdict).toBe('stable');
  });

  it('rejects an unknown type name', async () => {
    const err = await errorOf(report(...both(), '--types', 'age=float'));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/age=float/);
  });
});

describe('quality issues on crafted data', () => {
  it('finds new categories, a missing-rate rise, unparseable numbers and duplicate rows', async () => {
    const cur = writeCsv('dirty.csv', curRows, (cells, i) => {
      if (i < 40) cells[1] = 'enterprise'; // new category, 10 %
      if (i >= 40 && i < 80) cells[0] = ''; // missing age, 10 %
      if (i >= 80 && i < 90) cells[0] = 'n/a?'; // a string in a number column
      if (i >= 100 && i < 110) return writeRow(curRows, 99); // exact duplicates of row 99
      return cells;
    });
    const json: Report = JSON.parse(await report('--reference', refCsv, '--current', cur));
    const checks = new Map(json.quality.issues.map((i) => [`${i.check}:${i.column ?? ''}`, i]));
    expect(checks.get('new_category:plan')).toMatchObject({
      severity: 'warning',
      value: 0.1,
      examples: ['enterprise'],
    });
    expect(checks.get('missing_rate:age')).toMatchObject({ severity: 'warning', expected: 0 });
    expect(checks.get('missing_rate:age')!.value).toBeCloseTo(50 / 400, 12); // 40 blanks + 10 unparseable
    expect(checks.get('type_mismatch:age')).toMatchObject({ severity: 'error', value: 10 });
    expect(checks.get('duplicate_rows:')!.value).toBeGreaterThanOrEqual(10);
    const age = json.features.find((f) => f.name === 'age')!;
    expect(age.missing.current).toBeCloseTo(50 / 400, 12);
  });
});

function writeRow(rows: Rows, i: number): string[] {
  return [String(rows.age[i]), rows.plan[i], String(rows.flag[i]), rows.y[i], String(rows.p[i])];
}

describe('errors: non-zero exit, a message that names the field, no output file', () => {
  const out = () => join(dir, `out-${Math.random().toString(36).slice(2)}.json`);
  const leftovers = (path: string) => readdirSync(dir).filter((f) => f.startsWith(path.split('/').pop()!));

  it('missing file', async () => {
    const o = out();
    const err = await errorOf(report('--reference', join(dir, 'nope.csv'), '--current', curCsv, '--out', o));
    expect(err.code).toBe('PLB_ERR_FILE_NOT_FOUND');
    expect(err.message).toContain('nope.csv');
    expect(leftovers(o)).toEqual([]);
  });

  it('an --out folder that does not exist', async () => {
    const err = await errorOf(report(...both(), '--out', join(dir, 'no-such-dir', 'r.json')));
    expect(err.code).toBe('PLB_ERR_FILE_NOT_FOUND');
    expect(err.issues[0].field).toBe('--out');
  });

  it('empty file', async () => {
    const o = out();
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const err = await errorOf(report('--reference', refCsv, '--current', empty, '--out', o));
    expect(err.code).toBe('PLB_ERR_EMPTY_INPUT');
    expect(leftovers(o)).toEqual([]);
  });

  it('unknown column, with close matches', async () => {
    const o = out();
    const err = await errorOf(report(...both(), '--label', 'yy', '--score', 'pp', '--out', o));
    expect(err.code).toBe('PLB_ERR_UNKNOWN_COLUMN');
    expect(err.message).toContain('"yy"');
    expect(err.issues.map((i) => i.field)).toEqual(['--label', '--score']);
    expect(err.issues[0].expected).toContain('"y"');
    expect(leftovers(o)).toEqual([]);
  });

  it('a label with three classes names the column and the classes', async () => {
    const o = out();
    const cur = writeCsv('three.csv', curRows, (cells, i) => {
      if (i === 0) cells[3] = 'maybe';
      return cells;
    });
    const err = await errorOf(
      report('--reference', refCsv, '--current', cur, '--label', 'y', '--score', 'p', '--out', o),
    );
    expect(err.code).toBe('PLB_ERR_INVALID_INPUT');
    expect(err.message).toContain('"y"');
    expect(err.message).toContain('"maybe"');
    expect(err.message).toContain('3 classes');
    expect(leftovers(o)).toEqual([]);
  });

  it('a score that is not a probability names the column and the row', async () => {
    const err = await errorOf(report(...both(), '--label', 'y', '--score', 'age'));
    expect(err.code).toBe('PLB_ERR_INVALID_INPUT');
    expect(err.message).toContain('"age"');
    expect(err.message).toMatch(/row 1 of the reference/);
  });

  it('the CLI process exits non-zero and prints the coded error', async () => {
    const run = promisify(execFile);
    const err = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'report', ...both(), '--label', 'ageing'],
      { cwd: process.cwd() },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr).toContain('PLB_ERR_UNKNOWN_COLUMN');
    expect((err as { stderr: string }).stderr).toContain('ageing');
  });
});

describe('plumbline report (HTML)', () => {
  it('writes one self-contained page with the escaped names', async () => {
    const o = join(dir, 'report.html');
    expect(await report(...both(), '--label', 'y', '--score', 'p', '--out', o)).toBe('');
    const html = readFileSync(o, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('&lt;team &amp; &quot;co&quot;&gt;');
    expect(html).not.toContain('<team');
    expect(html).not.toMatch(/<[^>]*\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain('Model performance');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
