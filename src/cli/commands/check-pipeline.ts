/**
 * `plumbline check-pipeline --before FEATURES_A --after FEATURES_B [...]`: the pipeline-change
 * investigation (src/pipeline-check/). Reads CSV/Parquet files and model files here (the only I/O),
 * runs `checkPipeline`, writes JSON or a self-contained HTML page, and exits 1 when a failing check
 * of severity `error` is found.
 */
import { basename } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadModel } from '../../io/load-model.js';
import { createTableReader, type TableReader } from '../../io/read-table.js';
import { checkPipeline } from '../../pipeline-check/check-pipeline.js';
import { renderPipelineHtml } from '../../pipeline-check/render-html.js';
import type { FeatureColumnData, PipelineCheckResult } from '../../pipeline-check/types.js';
import { inferColumnType, readKindFor } from '../../report/infer-types.js';
import { type CommandIo, writeAtomic } from './report.js';

/** Options of `plumbline check-pipeline`, as parsed by commander. */
export interface CheckPipelineCommandOptions {
  before: string;
  after: string;
  rawBefore?: string;
  rawAfter?: string;
  key?: string;
  label?: string;
  predictionTime?: string;
  modelBefore?: string;
  modelAfter?: string;
  /** Retrains per kind for the SHAP chance band. Default 0. */
  retrainSeeds: number;
  /** Default: html when --out ends in .html, else json. */
  format?: 'json' | 'html';
  out?: string;
  seed: number;
  /** commander's `--no-shap`. Default true. */
  shap: boolean;
}

/** Reads every column of a CSV/Parquet file with its inferred type (booleans as 'true'/'false'). */
export async function readFeatureTable(reader: TableReader, path: string): Promise<FeatureColumnData[]> {
  const info = await reader.open(path);
  const specs = info.columns.map((c) => ({ name: c.name, as: readKindFor(inferColumnType(c.sqlType)) }));
  return (await reader.read(info, specs)).map((c): FeatureColumnData => c);
}

/** Reads the inputs and runs the check (no writing). */
export async function computePipelineCheck(
  options: CheckPipelineCommandOptions,
): Promise<PipelineCheckResult> {
  if (Boolean(options.rawBefore) !== Boolean(options.rawAfter))
    throw new InvalidArgumentError('--raw-before and --raw-after go together (give both or neither)');
  const reader = await createTableReader();
  try {
    const before = await readFeatureTable(reader, options.before);
    const after = await readFeatureTable(reader, options.after);
    const rawBefore = options.rawBefore ? await readFeatureTable(reader, options.rawBefore) : undefined;
    const rawAfter = options.rawAfter ? await readFeatureTable(reader, options.rawAfter) : undefined;
    const modelBefore = options.modelBefore ? (await loadModel(options.modelBefore)).compiled : undefined;
    const modelAfter = options.modelAfter ? (await loadModel(options.modelAfter)).compiled : modelBefore;
    return checkPipeline(
      {
        before,
        after,
        rawBefore,
        rawAfter,
        key: options.key,
        label: options.label,
        predictionTime: options.predictionTime,
        modelBefore,
        modelAfter,
      },
      { retrainSeeds: options.retrainSeeds, seed: options.seed, skipShap: !options.shap },
    );
  } finally {
    reader.close();
  }
}

/** Runs the command; sets exit code 1 when a failing check of severity error was found. */
export async function runCheckPipeline(
  options: CheckPipelineCommandOptions,
  io: CommandIo & { setExitCode?: (code: number) => void } = {
    stdout: process.stdout,
    stderr: process.stderr,
  },
): Promise<PipelineCheckResult> {
  const result = await computePipelineCheck(options);
  const format = options.format ?? (options.out && /\.html?$/i.test(options.out) ? 'html' : 'json');
  const text =
    format === 'html'
      ? renderPipelineHtml(result, {
          generatedAt: new Date().toISOString(),
          sources: { before: basename(options.before), after: basename(options.after) },
        })
      : `${JSON.stringify(result, null, 2)}\n`;
  if (options.out) await writeAtomic(options.out, text);
  else io.stdout.write(text);
  io.stderr.write(
    `verdict: ${result.verdicts.join(', ')}${result.implicated.length ? ` (${result.implicated.join(', ')})` : ''}\n`,
  );
  if (result.failed) (io.setExitCode ?? ((c) => (process.exitCode = c)))(1);
  return result;
}

/** Parses a command-line integer ≥ 0 (commander argument parser). */
export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected an integer ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

const HELP = `
Checks, in the order an expert investigates, each with a verdict (pass, fail, skipped) and evidence:
  1 schema       added / removed / renamed columns, type and null-rate changes
  2 paired       with --key: share of rows whose value changed
  3 transforms   constant ratio (units: miles→km, ×100, ×1000, standardisation), offset, log/exp,
                 clipping, bucketing, category remapping or merging, null fills
  4 population   without --key: raw inputs stable but features moved = preprocessing; both moved = population
  5 leakage      single-feature ROC-AUC near 1 or jumped, label functions, timestamps after prediction time
  6 shap         importance before vs after with bootstrap intervals; with --retrain-seeds N, the band
                 retraining alone produces (a shift inside it is a training artifact)

Verdicts: preprocessing-bug, population-change, leakage, training-artifact, no-material-change.
Exit status: 1 when a failing check of severity error is found (or on bad input), else 0.

Examples:
  $ plumbline check-pipeline --before feats_v1.parquet --after feats_v2.parquet --key id --label delayed
  $ plumbline check-pipeline --before jan.csv --after feb.csv --raw-before raw_jan.csv --raw-after raw_feb.csv \\
      --label delayed --retrain-seeds 5 --out check.html`;

/** Builds the `check-pipeline` command. */
export function createCheckPipelineCommand(): Command {
  return new Command('check-pipeline')
    .description(
      'Investigate a feature-pipeline change: schema, paired diffs, transformations, population, leakage, SHAP.',
    )
    .requiredOption('--before <file>', 'features from the old pipeline (CSV or Parquet)')
    .requiredOption('--after <file>', 'features from the new pipeline (CSV or Parquet)')
    .option('--raw-before <file>', 'raw inputs the old pipeline read')
    .option('--raw-after <file>', 'raw inputs the new pipeline read')
    .option('--key <column>', 'row key: pairs the same records on both sides')
    .option('--label <column>', 'binary label column (enables leakage AUC and SHAP checks)')
    .option('--prediction-time <column>', 'prediction time column (default: inferred by name)')
    .option('--model-before <file>', 'model used before (default: one trained per side)')
    .option('--model-after <file>', 'model used after (default: --model-before, else trained)')
    .option('--retrain-seeds <n>', 'retrains per kind (seed, bootstrap) for the chance band', parseCount, 0)
    .addOption(
      new Option('--format <format>', 'output format (default: html when --out ends in .html)').choices([
        'json',
        'html',
      ]),
    )
    .option('--out <file>', 'write here (atomically) instead of stdout')
    .option('--seed <n>', 'seed of every subsample, bootstrap and training', parseCount, 0)
    .option('--no-shap', 'skip the SHAP check (no model training)')
    .addHelpText('after', HELP)
    .action(async (opts: CheckPipelineCommandOptions) => {
      await runCheckPipeline(opts);
    });
}

/** Adds `check-pipeline` to the program. */
export function registerCheckPipeline(program: Command): void {
  program.addCommand(createCheckPipelineCommand());
}
