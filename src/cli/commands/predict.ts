/**
 * `plumbline predict --model M --data FILE`: scores a CSV or Parquet file with a tree model
 * (native, XGBoost JSON or LightGBM text, detected from the content). Output: JSON
 * `{ "probabilities": [...], "margins": [...] }` or CSV `probability,margin`, to --out or stdout;
 * multiclass models give one array (CSV: one column) per class for each row.
 */
import { type Command, Option } from 'commander';
import { loadModel, readModelFeatures } from '../../io/load-model.js';
import { createTableReader } from '../../io/read-table.js';
import { predictClassMargins, sigmoid } from '../../models/predict.js';
import { writeAtomic } from './report.js';

/** Options of `plumbline predict`, as parsed by commander. */
export interface PredictCommandOptions {
  model: string;
  data: string;
  /** Output format. Default 'json'. */
  format: 'json' | 'csv';
  /** Output file; stdout when absent. */
  out?: string;
}

/** Where the command writes (injected so tests can capture it). */
export interface CommandIo {
  stdout: { write(text: string): unknown };
}

/** Runs `plumbline predict`. */
export async function runPredict(options: PredictCommandOptions, io: CommandIo = process): Promise<void> {
  const { compiled } = await loadModel(options.model);
  const reader = await createTableReader();
  let margins: Float64Array[];
  try {
    const info = await reader.open(options.data);
    margins = predictClassMargins(compiled, await readModelFeatures(reader, info, compiled));
  } finally {
    reader.close();
  }
  let text: string;
  if (margins.length === 1) {
    const probabilities = Array.from(margins[0], sigmoid);
    text =
      options.format === 'csv'
        ? `probability,margin\n${probabilities.map((p, i) => `${p},${margins[0][i]}`).join('\n')}\n`
        : `${JSON.stringify({ probabilities, margins: Array.from(margins[0]) })}\n`;
  } else {
    // Multiclass: one probability (softmax) and one margin per class and row.
    const rows = Array.from({ length: margins[0].length }, (_, r) => margins.map((m) => m[r]));
    const probs = rows.map((row) => {
      const max = Math.max(...row);
      const e = row.map((m) => Math.exp(m - max));
      const z = e.reduce((s, v) => s + v, 0);
      return e.map((v) => v / z);
    });
    const k = margins.length;
    const header = [
      ...Array.from({ length: k }, (_, c) => `probability_${c}`),
      ...Array.from({ length: k }, (_, c) => `margin_${c}`),
    ];
    text =
      options.format === 'csv'
        ? `${header.join(',')}\n${rows.map((row, r) => [...probs[r], ...row].join(',')).join('\n')}\n`
        : `${JSON.stringify({ probabilities: probs, margins: rows })}\n`;
  }
  if (options.out) await writeAtomic(options.out, text);
  else io.stdout.write(text);
}

/** Registers `plumbline predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description(
      'Score a CSV/Parquet file with a tree model (plumbline-gbdt, XGBoost JSON or LightGBM text).',
    )
    .requiredOption('--model <file>', 'model file; its format is detected from the content')
    .requiredOption(
      '--data <file>',
      'CSV or Parquet file with the model features (empty CSV field = missing)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('--out <file>', 'write here instead of stdout')
    .addHelpText(
      'after',
      '\nColumns are matched to model features by name (by position when the model has no names).\n' +
        'Example:\n  $ plumbline predict --model xgb.json --data today.parquet --out scores.json',
    )
    .action((opts: PredictCommandOptions) => runPredict(opts));
}
