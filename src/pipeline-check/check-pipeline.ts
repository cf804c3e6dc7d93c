/**
 * `checkPipeline`: the pipeline-change investigation, as an expert runs it — (1) schema, (2) paired
 * differences (with a key), (3) transformation detectors, (4) population vs pipeline, (5) leakage,
 * (6) SHAP shift and training artifact — then one verdict per cause found (`preprocessing-bug`,
 * `population-change`, `leakage`, `training-artifact`, or `no-material-change`), the implicated
 * features and what to do. Pure: tables and compiled models in, a JSON-serialisable result out.
 */
import type { CompiledModel } from '../models/compile.js';
import { checkLeakage, type LeakageOptions } from './leakage.js';
import { checkPaired } from './paired.js';
import { checkDistributional, checkPopulation, type PopulationOptions } from './population.js';
import { checkSchema } from './schema.js';
import { checkShapShift, type ShapShiftOptions } from './shap-shift.js';
import { columnOf, isIdentifier, pairByKey, tableRows } from './table.js';
import type { TransformOptions } from './transforms.js';
import type { CauseVerdict, FeatureColumnData, FeatureTable, Finding, PipelineCheckResult } from './types.js';

/** What to compare. */
export interface CheckPipelineInput {
  /** Features from the old pipeline and from the new one. */
  before: FeatureTable;
  after: FeatureTable;
  /** Raw inputs each pipeline read (optional; separates population from pipeline without a key). */
  rawBefore?: FeatureTable;
  rawAfter?: FeatureTable;
  /** Column pairing rows (the same raw record on both sides). */
  key?: string;
  /** Binary label column (0/1, true/false, or two categories). */
  label?: string;
  /** Column holding the prediction time (epoch ms); inferred by name when absent. */
  predictionTime?: string;
  modelBefore?: CompiledModel;
  modelAfter?: CompiledModel;
}

/** Options of {@link checkPipeline}. */
export interface CheckPipelineOptions {
  /** Retrains per kind (seed, bootstrap) for the SHAP chance band. Default 0. */
  retrainSeeds?: number;
  /** Seed of every subsample, bootstrap and model trained. Default 0. */
  seed?: number;
  /** Skip check 6 (no SHAP, no training). Default false. */
  skipShap?: boolean;
  transforms?: TransformOptions;
  population?: PopulationOptions;
  leakage?: LeakageOptions;
  shap?: ShapShiftOptions;
}

const defaults = { retrainSeeds: 0, seed: 0, skipShap: false };

const CAUSE_ORDER: Exclude<CauseVerdict, 'no-material-change'>[] = [
  'preprocessing-bug',
  'leakage',
  'population-change',
  'training-artifact',
];
const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** A binary label as 0/1 (numbers 0/1; categories: true/1/yes/positive or the rarer of two). */
export function binaryLabel(column: FeatureColumnData): Uint8Array {
  const n = column.values.length;
  const out = new Uint8Array(n);
  if (column.kind !== 'categorical') {
    for (let i = 0; i < n; i++) {
      const v = column.values[i];
      if (v !== 0 && v !== 1)
        throw new RangeError(`invalid label ${column.name}: value ${v} at row ${i} (expected 0 or 1)`);
      out[i] = v;
    }
    return out;
  }
  const distinct = [...new Set(column.values)];
  if (distinct.includes(null) || distinct.length > 2)
    throw new RangeError(
      `invalid label ${column.name}: values ${distinct.slice(0, 5).map(String).join(', ')} (expected two classes, no missing)`,
    );
  const counts = distinct.map((d) => column.values.filter((v) => v === d).length);
  const positive =
    distinct.find((d) => /^(true|1|yes|y|positive|pos)$/i.test(String(d))) ??
    distinct[counts[0] <= (counts[1] ?? Number.POSITIVE_INFINITY) ? 0 : 1];
  for (let i = 0; i < n; i++) out[i] = column.values[i] === positive ? 1 : 0;
  return out;
}

/** Raw columns worth comparing: not the key, not identifiers, not timestamps (time moves by construction). */
function rawInputs(table: FeatureTable, key?: string): FeatureColumnData[] {
  return table.filter((c) => c.name !== key && c.kind !== 'datetime' && !isIdentifier(c));
}

/** Runs the six checks and draws the verdicts (see the module comment). */
export function checkPipeline(
  input: CheckPipelineInput,
  options: CheckPipelineOptions = {},
): PipelineCheckResult {
  const o = { ...defaults, ...options };
  const rowsBefore = tableRows(input.before);
  const rowsAfter = tableRows(input.after);
  const special = new Set([input.key, input.label, input.predictionTime].filter((s): s is string => !!s));
  for (const name of special) {
    for (const [side, table] of [
      ['before', input.before],
      ['after', input.after],
    ] as const)
      if (!columnOf(table, name))
        throw new RangeError(
          `invalid column ${JSON.stringify(name)}: not in the ${side} features (expected one of ${table.map((c) => c.name).join(', ')})`,
        );
  }
  // row identifiers (all distinct) are not features: they "drift" by construction
  const ids = new Set(
    input.before
      .filter((c) => !special.has(c.name) && c.kind !== 'datetime' && isIdentifier(c))
      .map((c) => c.name),
  );
  const fb = input.before.filter((c) => !special.has(c.name) && !ids.has(c.name));
  const fa = input.after.filter((c) => !special.has(c.name) && !ids.has(c.name));
  const labelBefore = input.label ? binaryLabel(columnOf(input.before, input.label)!) : undefined;
  const labelAfter = input.label ? binaryLabel(columnOf(input.after, input.label)!) : undefined;
  const findings: Finding[] = [...checkSchema(fb, fa)];
  if (ids.size > 0)
    findings.unshift({
      check: 'schema',
      kind: 'identifier',
      feature: null,
      verdict: 'pass',
      severity: 'info',
      message: `left out as row identifiers (every value distinct): ${[...ids].join(', ')}${input.key ? '' : ' — pass one as --key to pair rows'}`,
      evidence: { columns: [...ids] },
    });

  let pairedRows: number | undefined;
  if (input.key) {
    const pairing = pairByKey(columnOf(input.before, input.key)!, columnOf(input.after, input.key)!);
    pairedRows = pairing.before.length;
    findings.push(...checkPaired(fb, fa, pairing, o.transforms));
    findings.push({
      check: 'population',
      kind: 'paired',
      feature: null,
      verdict: 'skipped',
      severity: 'info',
      message: `rows are paired by ${input.key} (${pairedRows} matched, ${pairing.unmatchedBefore} only before, ${pairing.unmatchedAfter} only after): the same records, so every difference above is the pipeline's`,
      evidence: { ...pairing, before: undefined, after: undefined, matched: pairedRows },
    });
  } else {
    findings.push({
      check: 'paired',
      kind: 'no-key',
      feature: null,
      verdict: 'skipped',
      severity: 'info',
      message: 'no --key: rows cannot be paired, so the comparison is distributional',
      evidence: {},
    });
    const transforms = checkDistributional(fb, fa, { ...o.transforms, ...o.population });
    findings.push(...transforms);
    const explained = new Set(transforms.filter((f) => f.verdict === 'fail').map((f) => f.feature!));
    findings.push(
      ...checkPopulation({
        before: fb,
        after: fa,
        rawBefore: input.rawBefore && rawInputs(input.rawBefore, input.key),
        rawAfter: input.rawAfter && rawInputs(input.rawAfter, input.key),
        labelBefore,
        labelAfter,
        explained,
        options: { seed: o.seed, ...o.population },
      }),
    );
  }
  findings.push(
    ...checkLeakage({
      before: fb,
      after: fa,
      labelBefore,
      labelAfter,
      predictionTime: input.predictionTime ? columnOf(input.after, input.predictionTime) : undefined,
      timeColumns: input.after.filter((c) => c.name !== input.key && c.name !== input.label),
      options: { seed: o.seed, ...o.leakage },
    }),
  );
  const implicatedSoFar = new Set(
    findings.filter((f) => f.verdict === 'fail' && f.feature).map((f) => f.feature!),
  );
  let shap: PipelineCheckResult['shap'];
  if (o.skipShap || !labelBefore || !labelAfter) {
    findings.push({
      check: 'shap',
      kind: 'shap-shift',
      feature: null,
      verdict: 'skipped',
      severity: 'info',
      message: o.skipShap ? 'SHAP check skipped on request' : 'no label given (--label): no model to explain',
      evidence: {},
    });
  } else {
    const out = checkShapShift({
      before: fb,
      after: fa,
      labelBefore,
      labelAfter,
      modelBefore: input.modelBefore,
      modelAfter: input.modelAfter,
      implicated: implicatedSoFar,
      options: { seed: o.seed, retrainSeeds: o.retrainSeeds, ...o.shap },
    });
    shap = out.rows;
    findings.push(...out.findings);
  }
  return conclude(findings, shap, {
    rowsBefore,
    rowsAfter,
    paired: Boolean(input.key),
    ...(pairedRows !== undefined ? { pairedRows } : {}),
    ...(input.key ? { key: input.key } : {}),
    ...(input.label ? { label: input.label } : {}),
    rawGiven: Boolean(input.rawBefore && input.rawAfter),
    seed: o.seed,
  });
}

function conclude(
  findings: Finding[],
  shap: PipelineCheckResult['shap'],
  context: PipelineCheckResult['context'],
): PipelineCheckResult {
  const fails = findings.filter((f) => f.verdict === 'fail' && f.cause);
  const found = new Set(fails.map((f) => f.cause!));
  // an artifact explains a change only when nothing real does
  if (found.size > 1) found.delete('training-artifact');
  const verdicts: CauseVerdict[] = CAUSE_ORDER.filter((c) => found.has(c));
  if (verdicts.length === 0) verdicts.push('no-material-change');
  const ranked = fails
    .filter((f) => f.feature && verdicts.includes(f.cause!))
    .sort(
      (p, q) =>
        SEVERITY_RANK[p.severity] - SEVERITY_RANK[q.severity] ||
        CAUSE_ORDER.indexOf(p.cause!) - CAUSE_ORDER.indexOf(q.cause!),
    );
  const implicated = [...new Set(ranked.map((f) => f.feature!))];
  const byCause = (c: string) => [...new Set(ranked.filter((f) => f.cause === c).map((f) => f.feature!))];
  const first = (c: string, check?: string) =>
    ranked.find((f) => f.cause === c && (!check || f.check === check));
  const actions: string[] = [];
  const parts: string[] = [];
  for (const v of verdicts) {
    const names = byCause(v);
    const list = names.slice(0, 5).join(', ') + (names.length > 5 ? `, +${names.length - 5} more` : '');
    if (v === 'preprocessing-bug') {
      const t = first(v, 'transform') ?? first(v);
      parts.push(
        `The new pipeline computes ${list || 'some features'} differently${t ? ` (${t.message})` : ''}.`,
      );
      actions.push(
        `Fix the pipeline change behind ${list || 'these features'} (or retrain on the new pipeline's output and redeploy together); the model still expects the old values.`,
      );
      if (ranked.some((f) => f.kind === 'category-remap'))
        actions.push(
          'Ship the category encoding with the model (or encode by label, not by code) so that codes cannot be reshuffled.',
        );
      if (ranked.some((f) => f.kind === 'constant-ratio' || f.kind === 'affine'))
        actions.push(
          'Pin units and scaling in a feature contract (`plumbline contract generate`) and check every batch in CI.',
        );
    } else if (v === 'leakage') {
      parts.push(
        `${list || 'A feature'} carries information about the label that is not available at prediction time.`,
      );
      actions.push(
        `Remove ${list || 'the leaking features'} (or compute them only from data known at prediction time) and retrain; offline metrics of a model using them are not to be trusted.`,
      );
    } else if (v === 'population-change') {
      parts.push(
        `The data moved because the population moved${list ? ` (${list})` : ''}, not because of the pipeline.`,
      );
      actions.push(
        'Evaluate the model on recent labelled data; retrain on a recent snapshot if performance dropped.',
      );
    } else if (v === 'training-artifact') {
      parts.push(`Importance moved for ${list}, but within what retraining on the same data moves it.`);
      actions.push(
        'No data action needed: the shift is training noise. Fix seeds and read importances with their intervals.',
      );
    } else {
      parts.push(
        'No material change: same schema, no unexplained differences, no leakage, stable importance.',
      );
      actions.push('Nothing to do.');
    }
  }
  return {
    verdicts,
    summary: parts.join(' '),
    implicated,
    actions,
    findings,
    ...(shap ? { shap } : {}),
    context,
    failed: findings.some((f) => f.verdict === 'fail' && f.severity === 'error'),
  };
}
