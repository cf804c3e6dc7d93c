/**
 * `plumbline train`: trains the embedded gradient-boosted trees on a CSV or Parquet file
 * and writes the model in Plumbline's native format (`models/formats/native.ts`: canonical JSON
 * with a SHA-256 content hash). Progress on stderr (a bar when it is
 * a terminal), one final line of training/validation metrics on stdout.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { errors } from '../../errors.js';
import { encodeCategories, frequencyDictionary } from '../../features/encode.js';
import {
  createTableReader,
  isNumericSqlType,
  isTemporalSqlType,
  type TableColumn,
  type TableInfo,
  type TableReader,
} from '../../io/read-table.js';
import { rocAuc } from '../../metrics/roc-auc.js';
import { compileModel } from '../../models/compile.js';
import { modelContentHash, writeNativeModel } from '../../models/formats/native.js';
import { logLossFromMargins } from '../../models/gbdt/eval-metrics.js';
import { type GbdtDataset, trainGbdt } from '../../models/gbdt/train.js';
import { predictMargins } from '../../models/predict.js';
import type { ModelFeature, TreeModel } from '../../models/types.js';
import { splitList } from '../../report/infer-types.js';
import { createProgress } from '../progress.js';
import { writeAtomic } from './report.js';

/** Options of `plumbline train`, as parsed by commander. */
export interface TrainCommandOptions {
  data: string;
  label: string;
  out: string;
  features?: string;
  categorical?: string;
  positive?: string;
  trees: number;
  depth: number;
  eta: number;
  seed: number;
  valid?: string;
  earlyStopping?: number;
  evalMetric?: 'logloss' | 'auc';
  subsample?: number;
  colsample?: number;
  lambda?: number;
  minChildWeight?: number;
  maxLeaves?: number;
  quiet?: boolean;
}

/** Where the command writes (injected so tests can capture it). */
export interface TrainIo {
  stdout: { write(text: string): unknown };
  stderr: NodeJS.WriteStream;
}

const HELP = `
Features: every column except the label unless --features is given; numeric and boolean
columns are numeric, text columns categorical (codes by decreasing frequency), --categorical
forces columns to categorical; date/time columns are left out unless listed in --features.
Missing values are learned (each split learns where they go).
The label needs exactly two classes; the positive one is --positive, else 1 or true.

Examples:
  $ plumbline train --data jan.parquet --label delayed --out model.json
  $ plumbline train --data train.csv --label churned --positive yes --categorical plan,zip \\
      --trees 300 --depth 5 --eta 0.1 --valid valid.csv --early-stopping 20 --out churn.json`;

const int = (min: number) => (value: string) => {
  const x = Number(value);
  if (!Number.isInteger(x) || x < min)
    throw new InvalidArgumentError(`expected an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return x;
};

function parseEta(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x <= 1))
    throw new InvalidArgumentError(`expected a number in (0, 1], got ${JSON.stringify(value)}`);
  return x;
}

function fraction(value: string): number {
  const x = Number(value);
  if (!(x > 0 && x <= 1))
    throw new InvalidArgumentError(`expected a number in (0, 1], got ${JSON.stringify(value)}`);
  return x;
}

function nonNegative(value: string): number {
  const x = Number(value);
  if (!(x >= 0 && Number.isFinite(x)))
    throw new InvalidArgumentError(`expected a number ≥ 0, got ${JSON.stringify(value)}`);
  return x;
}

function parseMetric(value: string): 'logloss' | 'auc' {
  if (value !== 'logloss' && value !== 'auc')
    throw new InvalidArgumentError(`expected logloss or auc, got ${JSON.stringify(value)}`);
  return value;
}

/** Registers `plumbline train`. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('Train a gradient-boosted tree classifier and write it in the native format')
    .requiredOption('--data <file>', 'training data (CSV or Parquet)')
    .requiredOption('--label <column>', 'the label column (two classes)')
    .requiredOption('--out <file>', 'where to write the model (JSON)')
    .option('--features <a,b,…>', 'feature columns (default: all but the label)')
    .option('--categorical <c,d,…>', 'columns to treat as categorical')
    .option('--positive <value>', 'the positive label value (default 1 or true)')
    .option('--trees <n>', 'boosting rounds', int(1), 100)
    .option('--depth <d>', 'maximum tree depth', int(1), 6)
    .option('--eta <x>', 'learning rate', parseEta, 0.3)
    .option('--seed <s>', 'seed for row/column sampling', int(0), 0)
    .option('--valid <file>', 'validation data, for metrics and early stopping')
    .option('--early-stopping <n>', 'stop after n rounds without validation improvement', int(1))
    .option('--eval-metric <m>', 'validation metric for early stopping: logloss or auc', parseMetric)
    .option('--subsample <x>', 'fraction of rows per tree (default 1)', fraction)
    .option('--colsample <x>', 'fraction of features per tree (default 1)', fraction)
    .option('--lambda <x>', 'L2 regularisation of leaf weights (default 1)', nonNegative)
    .option('--min-child-weight <x>', 'minimum hessian per child (default 1)', nonNegative)
    .option('--max-leaves <n>', 'grow leaf-wise (lossguide) up to n leaves per tree', int(2))
    .option('--quiet', 'no progress bar')
    .addHelpText('after', HELP)
    .action(async (options: TrainCommandOptions) => {
      await runTrain(options, { stdout: process.stdout, stderr: process.stderr });
    });
}

interface Plan {
  features: ModelFeature[];
  /** How each feature column is read. */
  kinds: ('numeric' | 'categorical')[];
}

function planFeatures(info: TableInfo, options: TrainCommandOptions): Plan {
  const names = new Set(info.columns.map((c) => c.name));
  const check = (name: string, option: string) => {
    if (!names.has(name))
      throw errors.unknownColumn(`unknown column ${JSON.stringify(name)} in ${info.path}`, [
        { field: option, value: name, expected: `one of ${[...names].join(', ')}` },
      ]);
  };
  check(options.label, '--label');
  const listed = splitList(options.features);
  const categorical = new Set(splitList(options.categorical));
  for (const name of listed) check(name, '--features');
  for (const name of categorical) check(name, '--categorical');
  const columns =
    listed.length > 0 ? listed.map((n) => info.columns.find((c) => c.name === n)!) : info.columns;
  const chosen = columns.filter(
    (c) =>
      c.name !== options.label &&
      (listed.length > 0 || !isTemporalSqlType(c.sqlType) || categorical.has(c.name)),
  );
  if (chosen.length === 0)
    throw errors.invalidInput('no feature columns', [
      { field: '--features', expected: 'at least one column besides the label' },
    ]);
  const kinds = chosen.map((c) =>
    !categorical.has(c.name) &&
    (isNumericSqlType(c.sqlType) || c.sqlType === 'BOOLEAN' || isTemporalSqlType(c.sqlType))
      ? ('numeric' as const)
      : ('categorical' as const),
  );
  return { features: chosen.map((c, j) => ({ name: c.name, type: kinds[j] })), kinds };
}

function positiveClass(values: readonly (string | null)[], given: string | undefined, path: string): string {
  const distinct = [...new Set(values.filter((v): v is string => v !== null))].sort();
  const bad = (expected: string) =>
    errors.invalidInput(`label in ${path} has classes ${JSON.stringify(distinct.slice(0, 5))}`, [
      { field: '--label', value: distinct.slice(0, 5), expected },
    ]);
  if (distinct.length !== 2) throw bad('exactly two classes');
  if (given !== undefined) {
    // DuckDB reads yes/no, y/n, t/f columns as BOOLEAN, which arrive as 'true'/'false'.
    if (!distinct.includes(given) && distinct[0] === 'false' && distinct[1] === 'true') {
      const g = given.toLowerCase();
      if (['yes', 'y', 't', 'true', '1'].includes(g)) given = 'true';
      else if (['no', 'n', 'f', 'false', '0'].includes(g)) given = 'false';
    }
    if (!distinct.includes(given)) throw bad(`the --positive value ${JSON.stringify(given)} among them`);
    return given;
  }
  const guess = distinct.find((v) => v === '1' || v.toLowerCase() === 'true');
  if (guess === undefined) throw bad('0/1 or false/true, or --positive to name the positive class');
  return guess;
}

async function readDataset(
  reader: TableReader,
  info: TableInfo,
  plan: Plan,
  label: string,
  positive: string | undefined,
  dictionaries?: (string[] | undefined)[],
): Promise<GbdtDataset & { positive: string }> {
  const path = info.path;
  const specs = [
    ...plan.features.map((f, j) => ({ name: f.name, as: plan.kinds[j] })),
    { name: label, as: 'categorical' as const },
  ];
  for (const s of specs)
    if (!info.columns.some((c) => c.name === s.name))
      throw errors.unknownColumn(`unknown column ${JSON.stringify(s.name)} in ${path}`, [
        { field: 'column', value: s.name, expected: 'the same columns as the training data' },
      ]);
  const cols: TableColumn[] = await reader.read(info, specs);
  const labelValues = cols[cols.length - 1].values as (string | null)[];
  const pos = positiveClass(labelValues, positive, path);
  const missingLabel = labelValues.indexOf(null);
  if (missingLabel >= 0)
    throw errors.invalidInput(`label ${label} is missing in ${path}`, [
      { field: label, index: missingLabel, expected: 'a label on every row' },
    ]);
  const features = plan.features.map((f) => ({ ...f }));
  const columns = plan.features.map((_, j) => {
    const col = cols[j];
    if (col.kind !== 'categorical') return col.values;
    const dictionary = dictionaries?.[j] ?? frequencyDictionary(col.values);
    features[j].categories = dictionary;
    return encodeCategories(col.values, dictionary);
  });
  const y = Float64Array.from(labelValues, (v) => (v === pos ? 1 : 0));
  return { features, columns, label: y, positive: pos };
}

function metricsOf(model: TreeModel, data: GbdtDataset): { logLoss: number; auc: number } {
  const m = predictMargins(compileModel(model), data.columns as Float64Array[]);
  return { logLoss: logLossFromMargins(m, data.label), auc: rocAuc(data.label, m) };
}

/** Runs the command: read, train (with progress), evaluate, then write `--out`. */
export async function runTrain(options: TrainCommandOptions, io: TrainIo): Promise<void> {
  const stages = ['reading', ...Array.from({ length: options.trees }, (_, i) => `tree ${i + 1}`), 'writing'];
  const progress = createProgress(stages, { quiet: options.quiet, stream: io.stderr });
  const reader = await createTableReader();
  try {
    progress.stage('reading');
    const trainInfo = await reader.open(options.data);
    const plan = planFeatures(trainInfo, options);
    const train = await readDataset(reader, trainInfo, plan, options.label, options.positive);
    const dictionaries = train.features.map((f) => f.categories);
    const valid = options.valid
      ? await readDataset(
          reader,
          await reader.open(options.valid),
          plan,
          options.label,
          train.positive,
          dictionaries,
        )
      : undefined;
    if (options.earlyStopping !== undefined && !valid)
      throw errors.invalidInput('--early-stopping needs --valid', [
        { field: '--early-stopping', value: options.earlyStopping, expected: 'a --valid file as well' },
      ]);
    const result = trainGbdt(train, {
      nTrees: options.trees,
      maxDepth: options.depth,
      eta: options.eta,
      seed: options.seed,
      ...(options.subsample !== undefined ? { subsample: options.subsample } : {}),
      ...(options.colsample !== undefined ? { colsampleBytree: options.colsample } : {}),
      ...(options.lambda !== undefined ? { lambda: options.lambda } : {}),
      ...(options.minChildWeight !== undefined ? { minChildWeight: options.minChildWeight } : {}),
      ...(options.maxLeaves !== undefined
        ? { growPolicy: 'lossguide' as const, maxLeaves: options.maxLeaves }
        : {}),
      ...(options.evalMetric !== undefined ? { evalMetric: options.evalMetric } : {}),
      ...(valid ? { valid, earlyStoppingRounds: options.earlyStopping ?? 0 } : {}),
      onIteration: (info) => progress.stage(`tree ${info.iteration + 1}`),
    });
    result.model.source.label = { column: options.label, positive: train.positive };
    progress.stage('writing');
    const text = `${writeNativeModel(result.model)}\n`;
    const t = metricsOf(result.model, train);
    const v = valid ? metricsOf(result.model, valid) : undefined;
    progress.stop();
    await writeAtomic(options.out, text);
    const fmt = (x: number) => x.toFixed(5);
    io.stdout.write(
      `trained ${result.nTrees} trees on ${train.label.length} rows × ${train.features.length} features → ${options.out}; ` +
        `train log loss ${fmt(t.logLoss)} AUC ${fmt(t.auc)}` +
        (v ? `; valid log loss ${fmt(v.logLoss)} AUC ${fmt(v.auc)}` : '') +
        `; content hash ${modelContentHash(result.model)}\n`,
    );
  } catch (err) {
    progress.stop();
    throw err;
  } finally {
    reader.close();
  }
}
