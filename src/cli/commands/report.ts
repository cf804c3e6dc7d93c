/**
 * `plumbline report`: compare a current data file with a reference one (the
 * job people use Evidently for) and write a JSON or a self-contained HTML
 * report: drift per feature, data quality, and model performance when the
 * label is given. Output goes to stdout, or atomically to `--out`.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { errors } from '../../errors.js';
import {
  createTableReader,
  type NumericColumn,
  type TableColumn,
  type TableInfo,
} from '../../io/read-table.js';
import { type BuildReportInput, type ReportColumn, toJson } from '../../report/build-report.js';
import { buildReportParallel } from '../../report/build-report-parallel.js';
import { parseTypeOverrides, readKindFor, splitList } from '../../report/infer-types.js';
import { planColumns } from '../../report/plan-columns.js';
import { renderHtml } from '../../report/render-html.js';
import type { Report, ReportDetails } from '../../report/types.js';
import { createProgress, reportStages } from '../progress.js';

/** Options of `plumbline report`, as parsed by commander. */
export interface ReportCommandOptions {
  reference: string;
  current: string;
  label?: string;
  score?: string;
  prediction?: string;
  positive?: string;
  threshold: number;
  format?: 'json' | 'html';
  out?: string;
  columns?: string;
  numeric?: string;
  categorical?: string;
  types?: string;
  seed: number;
  quiet?: boolean;
}

/** Where the command writes (injected so tests can capture it). */
export interface CommandIo {
  stdout: { write(text: string): unknown };
  stderr: NodeJS.WriteStream;
}

const HELP = `
What it checks:
  drift      per feature: KS + Wasserstein (numeric) or chi-square (categorical), PSI and
             Jensen-Shannon; a feature drifts only when the change is significant AND material
  quality    missing rates, unparseable values, new categories, out-of-range values,
             constant columns, duplicate rows
  model      with --label and --score/--prediction: accuracy, precision, recall, F1, ROC AUC,
             average precision, log loss, Brier, each with a 95% interval, and calibration

Files are CSV or Parquet (detected from the content). Types are inferred from the file:
numbers → numeric (0/1 too), text → categorical, booleans → compared as 'true'/'false',
dates → datetime (left out of drift). Override with --numeric, --categorical or --types.

Examples:
  $ plumbline report --reference jan.parquet --current feb.parquet --out report.html
  $ plumbline report --reference ref.csv --current cur.csv --label churned --score p_churn --format json
  $ plumbline report --reference ref.csv --current cur.csv --columns age,plan,zip --categorical zip
  $ plumbline report --reference ref.csv --current cur.csv --types rating=categorical,id=numeric

Exit status: 0 on success; 1 on a missing or empty file, an unknown column (the closest
names are listed), or a label without exactly two classes. Nothing is written on failure.`;

function parseThreshold(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x < 1))
    throw new InvalidArgumentError(`expected a number in (0, 1), got ${JSON.stringify(value)}`);
  return x;
}

function parseSeed(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x))
    throw new InvalidArgumentError(`expected an integer, got ${JSON.stringify(value)}`);
  return x;
}

/** Writes `text` to `path` atomically: a temp file beside it, then rename. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

const byName = (columns: TableColumn[]) => new Map(columns.map((c) => [c.name, c]));

/** Reads both files and computes the report (no writing). */
export async function computeReport(
  options: ReportCommandOptions,
  onStage: (stage: string) => void = () => {},
): Promise<{ report: Report; details: ReportDetails }> {
  onStage('reading');
  const reader = await createTableReader();
  try {
    const [refInfo, curInfo] = await Promise.all([
      reader.open(options.reference),
      reader.open(options.current),
    ]);
    const plan = planColumns(refInfo, curInfo, {
      label: options.label,
      score: options.score,
      prediction: options.prediction,
      columns: options.columns === undefined ? undefined : splitList(options.columns),
      overrides: parseTypeOverrides(options),
    });
    const specs = [
      ...plan.features.map((f) => ({ name: f.name, as: readKindFor(f.type) })),
      ...(plan.label ? [{ name: plan.label, as: 'categorical' as const }] : []),
      ...(plan.score ? [{ name: plan.score, as: 'numeric' as const }] : []),
      ...(plan.prediction ? [{ name: plan.prediction, as: 'categorical' as const }] : []),
    ];
    const read = async (info: TableInfo) => byName(await reader.read(info, specs));
    const featureNames = plan.features.map((f) => f.name);
    // DuckDB works on its own threads: both reads and both duplicate counts run concurrently
    const [ref, cur, dupRef, dupCur] = await Promise.all([
      read(refInfo),
      read(curInfo),
      reader.countDuplicateRows(refInfo, featureNames),
      reader.countDuplicateRows(curInfo, featureNames),
    ]);
    const duplicateRows = { reference: dupRef, current: dupCur };
    onStage('profiling');
    const features = plan.features.map((f): ReportColumn => {
      const r = ref.get(f.name)!;
      const c = cur.get(f.name)!;
      const invalid = { reference: r.invalid, current: c.invalid };
      return f.type === 'numeric'
        ? {
            name: f.name,
            type: 'numeric',
            reference: r.values as Float64Array,
            current: c.values as Float64Array,
            invalid,
          }
        : {
            name: f.name,
            type: f.type,
            reference: r.values as (string | null)[],
            current: c.values as (string | null)[],
            invalid,
          };
    });
    const strings = (name: string) => ({
      name,
      reference: ref.get(name)!.values as (string | null)[],
      current: cur.get(name)!.values as (string | null)[],
    });
    const input: BuildReportInput = {
      rows: { reference: refInfo.rows, current: curInfo.rows },
      features,
      duplicateRows,
      ...(plan.label ? { label: strings(plan.label) } : {}),
      ...(plan.prediction ? { prediction: strings(plan.prediction) } : {}),
      ...(plan.score
        ? {
            score: {
              name: plan.score,
              reference: (ref.get(plan.score) as NumericColumn).values,
              current: (cur.get(plan.score) as NumericColumn).values,
            },
          }
        : {}),
    };
    // drift in a worker thread while this one profiles and evaluates: same result, two cores
    const built = await buildReportParallel(input, {
      threshold: options.threshold,
      positive: options.positive,
      seed: options.seed,
      onStage,
    });
    built.details.sources = { reference: basename(options.reference), current: basename(options.current) };
    return built;
  } finally {
    reader.close();
  }
}

/** Runs the command: compute, render, then write stdout or `--out` (only after everything succeeded). */
export async function runReport(options: ReportCommandOptions, io: CommandIo): Promise<void> {
  if (options.out) {
    // fail before the work, not after it, when the output cannot be written
    const dir = dirname(resolve(options.out));
    const ok = await stat(dir).then(
      (st) => st.isDirectory(),
      () => false,
    );
    if (!ok) {
      throw errors.fileNotFound(`output folder does not exist: ${dir}`, [
        { field: '--out', value: options.out, expected: 'a path in an existing folder' },
      ]);
    }
  }
  const progress = createProgress(reportStages, { quiet: options.quiet, stream: io.stderr });
  try {
    const { report, details } = await computeReport(options, (s) => progress.stage(s));
    progress.stage('rendering');
    const format = options.format ?? (options.out && /\.html?$/i.test(options.out) ? 'html' : 'json');
    const text =
      format === 'html'
        ? renderHtml(report, details, { generatedAt: new Date().toISOString() })
        : `${toJson(report)}\n`;
    progress.stop();
    if (options.out) await writeAtomic(options.out, text);
    else io.stdout.write(text);
  } catch (err) {
    progress.stop();
    throw err;
  }
}

/** Builds the `report` command; `io` defaults to the process streams. */
export function createReportCommand(
  io: CommandIo = { stdout: process.stdout, stderr: process.stderr },
): Command {
  return new Command('report')
    .description('Compare current data with a reference: feature drift, data quality and model performance.')
    .requiredOption('--reference <file>', 'reference (baseline) data, CSV or Parquet')
    .requiredOption('--current <file>', 'current data to compare, CSV or Parquet')
    .option('--label <column>', 'the true class (binary), enables the performance section')
    .option('--score <column>', 'predicted probability of the positive class')
    .option('--prediction <column>', 'predicted class (default: score >= --threshold)')
    .option(
      '--positive <class>',
      "the positive class (default: '1', else 'true', else the larger of the two)",
    )
    .option('--threshold <p>', 'decision threshold on the score', parseThreshold, 0.5)
    .addOption(
      new Option(
        '--format <format>',
        'output format (default: html when --out ends in .html, else json)',
      ).choices(['json', 'html']),
    )
    .option('--out <file>', 'write here (atomically) instead of stdout')
    .option('--columns <a,b,...>', 'only these feature columns (default: all but label/score/prediction)')
    .option('--numeric <a,b,...>', 'treat these columns as numeric')
    .option('--categorical <a,b,...>', 'treat these columns as categorical')
    .option('--types <col=type,...>', 'set types: numeric, categorical, boolean or datetime')
    .option('--seed <n>', 'seed of every resampling (reproducible p-values and intervals)', parseSeed, 0)
    .option('--quiet', 'no progress bar')
    .addHelpText('after', HELP)
    .action(async (options: ReportCommandOptions) => {
      await runReport(options, io);
    });
}

/** Adds `report` to the program. */
export function registerReport(program: Command): void {
  program.addCommand(createReportCommand());
}
