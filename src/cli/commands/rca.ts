/**
 * `plumbline rca --model M --from T --to T [--baseline-from T --baseline-to T] [--metric error_rate]
 * [--segment key=value] [--tags a,b] [--artifact FILE] [--db FILE] [--format text|json|html]`: root-cause
 * analysis of a window of stored events against a baseline window (default: the same length just
 * before), reading typed columns from the store and the model artifact from `--artifact` or the
 * model's newest stored version.
 */
import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { errors } from '../../errors.js';
import { readModelFile } from '../../io/load-model.js';
import { compileModel } from '../../models/compile.js';
import { parseModel } from '../../models/formats/detect.js';
import type { ModelFeature, TreeModel } from '../../models/types.js';
import { type StoredRcaReport, storedReportOf } from '../../rca/charts.js';
import { renderRcaHtml } from '../../rca/render-html.js';
import { renderRcaText } from '../../rca/render-text.js';
import { type RcaInput, type RcaResult, type RcaWindow, runRca } from '../../rca/run-rca.js';
import { createDuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { DictionaryColumn, EventColumns, Store } from '../../store/store.js';
import { parseTimeMsOption } from './metrics.js';

/** Options of `plumbline rca`, as parsed by commander. */
export interface RcaCommandOptions {
  model: string;
  db: string;
  from: number;
  to: number;
  baselineFrom?: number;
  baselineTo?: number;
  /** Several baseline ranges read as one baseline (e.g. the same weekday of earlier weeks); overrides baselineFrom/To. */
  baselineRanges?: { fromMs: number; toMs: number }[];
  metric: string;
  /** The feature the triggering alert named (drift, data quality). */
  feature?: string;
  segment?: string;
  tags?: string;
  artifact?: string;
  seed: number;
  format: 'json' | 'text' | 'html';
}

const decode = (c: DictionaryColumn): (string | null)[] =>
  Array.from(c.codes, (k) => (k >= 0 ? c.dictionary[k] : null));

/**
 * Converts stored event columns to an RCA window; categorical labels map onto the model's category
 * codes, unseen ones past the end, numbered through `unseen` (feature → label → code): pass the same
 * map for every window of one analysis so that an unseen label gets the same code in each.
 */
export function eventColumnsToWindow(
  ev: EventColumns,
  features: readonly ModelFeature[],
  unseenCodes: Map<string, Map<string, number>> = new Map(),
): RcaWindow {
  const columns: Record<string, Float64Array> = {};
  for (const f of features) {
    const col = ev.features[f.name];
    if (col === undefined) {
      columns[f.name] = new Float64Array(ev.n).fill(Number.NaN);
    } else if (col.kind === 'numeric') {
      columns[f.name] = col.values;
    } else {
      const cats = f.categories ?? [];
      let unseen = unseenCodes.get(f.name);
      if (unseen === undefined) {
        unseen = new Map<string, number>();
        unseenCodes.set(f.name, unseen);
      }
      const map = col.dictionary.map((label) => {
        const k = cats.indexOf(label);
        if (k >= 0) return k;
        let code = unseen.get(label);
        if (code === undefined) {
          code = cats.length + unseen.size;
          unseen.set(label, code);
        }
        return code;
      });
      columns[f.name] = Float64Array.from(col.codes, (k) => (k >= 0 ? map[k] : Number.NaN));
    }
  }
  return {
    columns,
    labels: Float64Array.from(ev.label, (y) => (y < 0 ? Number.NaN : y)),
    scores: ev.score,
    tags: Object.fromEntries(Object.entries(ev.tags).map(([k, c]) => [k, decode(c)])),
    versions: decode(ev.version),
    latencyMs: ev.latencyMs,
    timeMs: ev.timeMs,
  };
}

async function loadArtifact(store: Store, model: string, artifact?: string): Promise<TreeModel> {
  if (artifact !== undefined) return (await readModelFile(artifact, '--artifact')).model;
  const versions = (await store.queryModelVersions(model)).filter((v) => v.format !== 'onnx');
  const newest = versions.sort((a, b) => b.createdAtMs - a.createdAtMs)[0];
  if (newest === undefined)
    throw errors.invalidInput(`model ${model} has no stored tree-model version`, [
      { field: '--artifact', expected: 'a model file, or a stored version (plumbline versions add)' },
    ]);
  const text =
    'bytes' in newest.artifact
      ? new TextDecoder().decode(newest.artifact.bytes)
      : await readFile(newest.artifact.path, 'utf8');
  return parseModel(text);
}

/** Reads what an RCA of stored events needs: the model, its compiled artifact and both windows. */
export async function readRcaInput(store: Store, o: RcaCommandOptions): Promise<RcaInput> {
  const model = await store.getModel(o.model);
  if (model === undefined)
    throw errors.invalidInput(`unknown model: ${o.model}`, [
      { field: '--model', value: o.model, expected: 'a registered model' },
    ]);
  const tree = await loadArtifact(store, o.model, o.artifact);
  const compiled = compileModel(tree);
  const tags =
    o.tags !== undefined
      ? o.tags
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t.length > 0)
      : model.schema.segments.filter((s) => s.startsWith('tags.')).map((s) => s.slice(5));
  const span = o.to - o.from;
  const baselineFrom = o.baselineFrom ?? o.from - span;
  const baselineTo = o.baselineTo ?? o.from;
  const unseen = new Map<string, Map<string, number>>();
  const read = async (fromMs: number, toMs: number) =>
    eventColumnsToWindow(
      await store.queryEventColumns(
        o.model,
        { fromMs, toMs },
        { tags, features: tree.features.map((f) => f.name) },
      ),
      tree.features,
      unseen,
    );
  const current = await read(o.from, o.to);
  const ranges = o.baselineRanges ?? [{ fromMs: baselineFrom, toMs: baselineTo }];
  const parts: RcaWindow[] = [];
  for (const r of [...ranges].sort((a, b) => a.fromMs - b.fromMs)) parts.push(await read(r.fromMs, r.toMs));
  const baseline = concatWindows(parts);
  const segment = o.segment === undefined ? undefined : parseSegment(o.segment);
  // Unseen labels keep their names in the report (codes past the model's categories, in code order).
  const features = tree.features.map((f) => {
    const extra = unseen.get(f.name);
    return extra && extra.size > 0 ? { ...f, categories: [...(f.categories ?? []), ...extra.keys()] } : f;
  });
  return {
    model: { compiled, features },
    current,
    baseline,
    trigger: {
      metric: o.metric,
      ...(segment ? { segment } : {}),
      ...(o.feature !== undefined ? { feature: o.feature } : {}),
    },
    segments: model.schema.segments.filter((c) => !c.startsWith('tags.')),
    options: { seed: o.seed, threshold: model.schema.threshold },
  };
}

/** Runs the analysis on a store's events of both windows. */
export async function runRcaOnStore(store: Store, o: RcaCommandOptions): Promise<RcaResult> {
  return runRca(await readRcaInput(store, o));
}

/** Rows of several windows (same columns, tags and versions) as one window, in the given order. */
export function concatWindows(parts: RcaWindow[]): RcaWindow {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const cat = (f: (w: RcaWindow) => ArrayLike<number>) => {
    const out = new Float64Array(parts.reduce((s, w) => s + f(w).length, 0));
    let at = 0;
    for (const w of parts) {
      out.set(f(w), at);
      at += f(w).length;
    }
    return out;
  };
  const strings = (f: (w: RcaWindow) => ArrayLike<string | null> | undefined) =>
    parts.flatMap((w) => Array.from(f(w) ?? []));
  return {
    columns: Object.fromEntries(Object.keys(first.columns).map((k) => [k, cat((w) => w.columns[k])])),
    labels: cat((w) => w.labels),
    scores: cat((w) => w.scores),
    tags: Object.fromEntries(Object.keys(first.tags ?? {}).map((k) => [k, strings((w) => w.tags?.[k])])),
    versions: strings((w) => w.versions),
    latencyMs: cat((w) => w.latencyMs ?? new Float64Array(w.timeMs.length).fill(Number.NaN)),
    timeMs: cat((w) => w.timeMs),
  };
}

/** The report without the raw analyses (typed arrays), with its chart data, as JSON answers carry it. */
export function reportOf(result: RcaResult): StoredRcaReport {
  return storedReportOf(result);
}

/** Parses `key=value[,key=value]`. */
export function parseSegment(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new InvalidArgumentError(`expected key=value[,key=value], got ${JSON.stringify(text)}`);
    out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/** Registers `plumbline rca`. */
export function registerRca(program: Command): void {
  program
    .command('rca')
    .description('Root-cause analysis of a window of stored events against a baseline window.')
    .requiredOption('--model <id>', 'the model')
    .requiredOption('--from <time>', 'window start: ISO 8601 or epoch ms', parseTimeMsOption)
    .requiredOption('--to <time>', 'window end (exclusive)', parseTimeMsOption)
    .option(
      '--baseline-from <time>',
      'baseline start (default: the same length before --from)',
      parseTimeMsOption,
    )
    .option('--baseline-to <time>', 'baseline end (default: --from)', parseTimeMsOption)
    .option('--metric <name>', 'the degraded metric: error_rate or a latency metric', 'error_rate')
    .option('--segment <key=value>', 'restrict to a segment (tag, version or categorical feature)')
    .option('--tags <names>', "tag names to analyse, comma-separated (default: the schema's tags.* segments)")
    .option('--artifact <file>', "model file (default: the model's newest stored version)")
    .option('--db <file>', 'DuckDB database file', 'plumbline.duckdb')
    .option('--seed <n>', 'seed of every sample', (v) => Number(v), 0)
    .addOption(
      new Option('--format <format>', 'output format').choices(['json', 'text', 'html']).default('text'),
    )
    .action(async (opts: RcaCommandOptions) => {
      const store = await createDuckDbStore({ path: opts.db });
      try {
        const result = await runRcaOnStore(store, opts);
        process.stdout.write(
          opts.format === 'json'
            ? `${JSON.stringify(reportOf(result), null, 2)}\n`
            : opts.format === 'html'
              ? renderRcaHtml(result)
              : renderRcaText(result),
        );
      } finally {
        await store.close();
      }
    });
}
