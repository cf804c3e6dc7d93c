/**
 * `plumbline shap --model M --data FILE`: exact path-dependent TreeSHAP attributions (Linear
 * TreeSHAP) for each row, in margin (log-odds) space; with --background FILE, interventional
 * SHAP against that file's first 100 rows instead (baseValue = their mean margin). Output: JSON `{ baseValue, features,
 * values: [[...]] }` or CSV with one column per feature plus `base_value`.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadModel, readModelFeatures } from '../../io/load-model.js';
import { createTableReader } from '../../io/read-table.js';
import { interventionalShap } from '../../models/shap/interventional.js';
import { treeShap } from '../../models/shap/linear.js';
import type { CommandIo } from './predict.js';
import { writeAtomic } from './report.js';

/** Options of `plumbline shap`, as parsed by commander. */
export interface ShapCommandOptions {
  model: string;
  data: string;
  /** Output format. Default 'json'. */
  format: 'json' | 'csv';
  /** Explain only the first N rows. Default: all. */
  rows?: number;
  /** Multiclass models: the class whose margin is explained. Default 0. */
  class?: number;
  /** Background data for interventional SHAP (first 100 rows); path-dependent TreeSHAP when absent. */
  background?: string;
  /** Output file; stdout when absent. */
  out?: string;
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Runs `plumbline shap`. */
export async function runShap(options: ShapCommandOptions, io: CommandIo = process): Promise<void> {
  const { compiled } = await loadModel(options.model);
  const reader = await createTableReader();
  let cols: Float64Array[];
  let background: Float64Array[] | undefined;
  try {
    cols = await readModelFeatures(reader, await reader.open(options.data), compiled);
    if (options.background) {
      background = await readModelFeatures(reader, await reader.open(options.background), compiled);
    }
  } finally {
    reader.close();
  }
  if (options.rows !== undefined) cols = cols.map((col) => col.subarray(0, options.rows));
  const { baseValue, featureNames, values } = background
    ? interventionalShap(compiled, cols, background)
    : treeShap(compiled, cols, { classIndex: options.class ?? 0 });
  const text =
    options.format === 'csv'
      ? `${[...featureNames, 'base_value'].map(csvField).join(',')}\n${values
          .map((row) => `${Array.from(row).join(',')},${baseValue}`)
          .join('\n')}\n`
      : `${JSON.stringify({ baseValue, features: featureNames, values: values.map((row) => Array.from(row)) })}\n`;
  if (options.out) await writeAtomic(options.out, text);
  else io.stdout.write(text);
}

function parseRows(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected an integer ≥ 1, got ${JSON.stringify(value)}`);
  return n;
}

/** Registers `plumbline shap`. */
export function registerShap(program: Command): void {
  program
    .command('shap')
    .description('Explain each row with exact TreeSHAP values in margin (log-odds) space.')
    .requiredOption('--model <file>', 'model file (plumbline-gbdt, XGBoost JSON or LightGBM text)')
    .requiredOption(
      '--data <file>',
      'CSV or Parquet file with the model features (empty CSV field = missing)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('--rows <n>', 'explain only the first n rows', parseRows)
    .option(
      '--class <k>',
      'multiclass models: explain the margin of class k (default 0)',
      (v) => parseRows(`${Number(v) + 1}`) - 1,
    )
    .option('--background <file>', 'interventional SHAP against the first 100 rows of this file')
    .option('--out <file>', 'write here instead of stdout')
    .addHelpText(
      'after',
      "\nEach row's values plus baseValue add up to the model margin (path-dependent TreeSHAP, as\n" +
        "XGBoost's pred_contribs). Example:\n  $ plumbline shap --model xgb.json --data sample.csv --rows 100",
    )
    .action((opts: ShapCommandOptions) => runShap(opts));
}
