/**
 * `runRca`: runs every analysis (slices, SHAP comparison, drift × importance, change alignment,
 * ablation) on a current and a baseline window and turns their findings into ranked hypotheses.
 *
 * Scores are in [0, 1] and comparable across kinds: a hypothesis scores the share of the metric's
 * rise it explains (segments: excess errors; tags and versions: share × (inside − outside); features:
 * error recovered by ablation), clamped to [0, 1]; data-quality findings score by severity and the
 * feature's importance (or their ablation recovery, when larger). Pure: no I/O, no clock.
 */
import type { CompiledModel } from '../models/compile.js';
import type { ModelFeature } from '../models/types.js';
import { ks2Samp } from '../stats/ks.js';
import { twoProportionZTest } from '../stats/two-proportion.js';
import { type AblationResult, ablateFeatures, confusionShares } from './ablation.js';
import { type AlignmentResult, alignChanges } from './change-alignment.js';
import { findConcentratedShifts } from './concentration.js';
import { type DriftImportanceResult, decodeCategories, rankDriftImportance } from './drift-importance.js';
import {
  type Evidence,
  type Hypothesis,
  type HypothesisKind,
  type RcaReport,
  type RcaTrigger,
  recommendAction,
  standardCaveats,
  type WindowSummary,
} from './hypotheses.js';
import {
  type AttributionComparison,
  compareAttributions,
  compareShap,
  type ShapShiftResult,
} from './shap-shift.js';
import { discoverSlices, type SliceColumn, type SliceResult } from './slices.js';

/** One window of events as columns. */
export interface RcaWindow {
  /** Model feature columns (categorical as codes, NaN missing). */
  columns: Readonly<Record<string, Float64Array>>;
  /** 0/1 labels, NaN when not (yet) labelled. */
  labels: ArrayLike<number>;
  /** Predicted probabilities as logged. */
  scores: ArrayLike<number>;
  /** Tag key → value per row (pipeline, host, region, …). */
  tags?: Readonly<Record<string, ArrayLike<string | null>>>;
  versions?: ArrayLike<string | null>;
  latencyMs?: ArrayLike<number>;
  timeMs: ArrayLike<number>;
}

/** Options of `runRca`. */
export interface RcaOptions {
  /** Seed of every sample and resample. Default 0. */
  seed?: number;
  /** Rows explained with SHAP per window. Default 2000. */
  maxShapRows?: number;
  /** SHAP method. Default `path`. */
  shapMethod?: 'path' | 'interventional';
  /** Decision threshold of the scores. Default 0.5. */
  threshold?: number;
  /** Significance level (FDR of slices, family-wise of tag values). Default 0.05. */
  alpha?: number;
  /** Features ablated (the top by drift × importance). Default 3. */
  ablateTop?: number;
  /** Bootstrap resamples of the SHAP intervals. Default 200. */
  resamples?: number;
  /** Hypotheses kept. Default 10. */
  maxHypotheses?: number;
  /** A segment whose error rate rose > 10 points while the KS distance of its scores stays below this is a label shift. Default 0.1. */
  labelShiftKs?: number;
  /** A segment with at least this share of its excess errors on a blamed tag value's events is folded into it. Default 0.6. */
  symptomShare?: number;
  /** Fewest baseline rows of the trigger's segment; below, the segment is new and the whole baseline is used. Default 30. */
  minSegmentBaseline?: number;
}

const defaults: Required<RcaOptions> = {
  seed: 0,
  maxShapRows: 2000,
  shapMethod: 'path',
  threshold: 0.5,
  alpha: 0.05,
  ablateTop: 3,
  resamples: 200,
  maxHypotheses: 10,
  labelShiftKs: 0.1,
  symptomShare: 0.6,
  minSegmentBaseline: 30,
};

/** Input of `runRca`. */
export interface RcaInput {
  model: { compiled: CompiledModel; features: readonly ModelFeature[] };
  current: RcaWindow;
  baseline: RcaWindow;
  trigger: RcaTrigger;
  /** Categorical features to look for concentrated shifts in, by value (e.g. the model's segment columns). */
  segments?: readonly string[];
  options?: RcaOptions;
}

/** The report plus every analysis behind it (for the renderers). */
export interface RcaResult extends RcaReport {
  analyses: {
    slices: SliceResult | null;
    shap: ShapShiftResult;
    driftImportance: DriftImportanceResult;
    alignment: AlignmentResult;
    ablation: AblationResult | null;
  };
}

const INFRA_KEYS = new Set(['host', 'region', 'zone', 'instance', 'node', 'datacenter', 'pod', 'cluster']);
/** The kind of cause a tag key stands for: a version, a pipeline, infrastructure, or a plain segment. */
const groupKind = (key: string): HypothesisKind =>
  key === 'version' ? 'version' : key === 'pipeline' ? 'pipeline' : INFRA_KEYS.has(key) ? 'infra' : 'segment';
const clamp01 = (x: number | null): number =>
  x === null || !Number.isFinite(x) ? 0 : Math.min(1, Math.max(0, x));
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
/** "it explains 42.0% of the rise", or, past 100 % (other rows improved), that it carries more than the net rise. */
export const explains = (share: number | null): string =>
  share !== null && Number.isFinite(share) && share > 1
    ? 'it carries more than the net rise (errors fell elsewhere)'
    : `it explains ${pct(clamp01(share))} of the rise`;
const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x));

function errorsOf(w: RcaWindow, threshold: number): Float64Array {
  return Float64Array.from(w.labels, (y, r) =>
    Number.isNaN(y) || Number.isNaN(w.scores[r])
      ? Number.NaN
      : Number(w.scores[r] >= threshold) !== y
        ? 1
        : 0,
  );
}

function summarise(w: RcaWindow, errors: Float64Array): WindowSummary {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < w.timeMs.length; r++) {
    from = Math.min(from, w.timeMs[r]);
    to = Math.max(to, w.timeMs[r]);
  }
  let labelled = 0;
  let wrong = 0;
  for (const e of errors)
    if (!Number.isNaN(e)) {
      labelled++;
      wrong += e;
    }
  let lat: number | null = null;
  if (w.latencyMs && w.latencyMs.length > 0)
    lat = Array.from(w.latencyMs).reduce((s, v) => s + v, 0) / w.latencyMs.length;
  return {
    fromMs: from,
    toMs: to,
    n: w.timeMs.length,
    labelled,
    errorRate: labelled > 0 ? wrong / labelled : Number.NaN,
    meanLatencyMs: lat,
  };
}

/** The rows of a window inside `segment` (tags first, then categorical features by label). */
function segmentRows(
  w: RcaWindow,
  segment: Record<string, string>,
  features: readonly ModelFeature[],
): Int32Array {
  const n = w.timeMs.length;
  const tests = Object.entries(segment).map(([key, value]) => {
    const tag = key === 'version' ? w.versions : w.tags?.[key];
    if (tag) return (r: number) => tag[r] === value;
    const f = features.find((x) => x.name === key);
    if (!f) throw new RangeError(`invalid segment key: ${key} (expected a tag, 'version' or a feature)`);
    if (f.type === 'categorical') {
      const code = f.categories?.indexOf(value) ?? -1;
      return (r: number) => w.columns[key][r] === code;
    }
    return (r: number) => String(w.columns[key][r]) === value;
  });
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (tests.every((t) => t(r))) rows.push(r);
  return Int32Array.from(rows);
}

function subsetWindow(w: RcaWindow, rows: Int32Array): RcaWindow {
  const pick = <T>(a: ArrayLike<T>): T[] => Array.from(rows, (r) => a[r]);
  const pickF = (a: ArrayLike<number>) => Float64Array.from(rows, (r) => a[r]);
  return {
    columns: Object.fromEntries(Object.entries(w.columns).map(([k, v]) => [k, pickF(v)])),
    labels: pickF(w.labels),
    scores: pickF(w.scores),
    tags: w.tags && Object.fromEntries(Object.entries(w.tags).map(([k, v]) => [k, pick(v)])),
    versions: w.versions && pick(w.versions),
    latencyMs: w.latencyMs && pickF(w.latencyMs),
    timeMs: pickF(w.timeMs),
  };
}

function groupsOf(w: RcaWindow): Record<string, ArrayLike<string | null>> {
  return { ...(w.tags ?? {}), ...(w.versions ? { version: w.versions } : {}) };
}

function shapEvidence(cmp: AttributionComparison, feature: string, what: string): Evidence | null {
  const f = cmp.features.find((x) => x.feature === feature);
  if (!f) return null;
  return {
    test: 'shap-shift',
    effect: f.meanSigned.shift,
    interval: f.meanSigned.interval,
    figures: {
      meanAbsNow: f.meanAbs.current,
      meanAbsBaseline: f.meanAbs.baseline,
      rankNow: f.rank.current,
      rankBaseline: f.rank.baseline,
      marginDelta: cmp.meanMargin.delta,
    },
    text: `${what}: mean SHAP of ${feature} moved by ${num(f.meanSigned.shift)} (95% CI ${num(f.meanSigned.interval.low)} to ${num(f.meanSigned.interval.high)}) of a ${num(cmp.meanMargin.delta)} change in mean margin; importance rank ${f.rank.baseline} → ${f.rank.current}.`,
  };
}

/** Runs the analyses and ranks the hypotheses (see the module comment). */
export function runRca(input: RcaInput): RcaResult {
  const o = { ...defaults, ...input.options };
  const { compiled, features } = input.model;
  let { current, baseline } = input;
  // A segment absent from the baseline (a new pipeline, a new version) is compared with the whole baseline.
  let newSegment = false;
  if (input.trigger.segment) {
    current = subsetWindow(current, segmentRows(current, input.trigger.segment, features));
    const rows = segmentRows(baseline, input.trigger.segment, features);
    newSegment = rows.length < o.minSegmentBaseline;
    if (!newSegment) baseline = subsetWindow(baseline, rows);
  }
  const latencyTrigger = /latency/i.test(input.trigger.metric);
  const errCur = errorsOf(current, o.threshold);
  const errBase = errorsOf(baseline, o.threshold);
  const window = summarise(current, errCur);
  const base = summarise(baseline, errBase);

  // SHAP on samples of both windows.
  const shap = compareShap(compiled, current.columns, baseline.columns, errCur, {
    maxRows: o.maxShapRows,
    seed: o.seed,
    method: o.shapMethod,
    resamples: o.resamples,
  });
  const importance: Record<string, number> = {};
  if (shap.windows.status === 'ok')
    for (const f of shap.windows.features) importance[f.feature] = f.meanAbs.current;
  const driftImportance = rankDriftImportance(
    { features, current: current.columns, baseline: baseline.columns, importance },
    { alpha: o.alpha },
  );

  // Change alignment of tags and versions with the metric.
  const metricOf = (w: RcaWindow, errors: Float64Array) =>
    latencyTrigger ? (w.latencyMs ?? new Float64Array(w.timeMs.length).fill(Number.NaN)) : errors;
  const alignment = alignChanges(
    {
      baseline: { timeMs: baseline.timeMs, metric: metricOf(baseline, errBase), groups: groupsOf(baseline) },
      current: { timeMs: current.timeMs, metric: metricOf(current, errCur), groups: groupsOf(current) },
    },
    { binary: !latencyTrigger },
  );

  const hypotheses: Hypothesis[] = [];
  const push = (kind: HypothesisKind, subject: Hypothesis['subject'], score: number, evidence: Evidence[]) =>
    hypotheses.push({ kind, subject, score, evidence, action: recommendAction(kind, subject) });

  // Tags and versions.
  const nTests = Math.max(1, alignment.suspects.length);
  const groupTopFeature = new Map<string, { feature: string; cmp: AttributionComparison }>();
  for (const s of alignment.suspects) {
    if (s.test.pValue * nTests >= o.alpha || !(s.explained !== null && s.explained > 0)) continue;
    const kind = groupKind(s.key);
    const subject = kind === 'version' ? { version: s.value } : { tag: { [s.key]: s.value } };
    const unit = latencyTrigger ? ' ms' : '';
    const show = (x: number) => (latencyTrigger ? num(x) : pct(x));
    const evidence: Evidence[] = [
      {
        test: s.test.name === 'welch' ? 'welch-z (inside > outside)' : 'two-proportion z (inside > outside)',
        statistic: s.test.statistic,
        pValue: s.test.pValue,
        effect: s.inside - s.outside,
        figures: {
          inside: s.inside,
          outside: s.outside,
          baselineInside: s.baselineInside,
          explained: s.explained,
        },
        text: `${input.trigger.metric} is ${show(s.inside)}${unit} on ${s.key}=${s.value} vs ${show(s.outside)}${unit} elsewhere (p = ${num(s.test.pValue)}); ${explains(s.explained)}.`,
      },
      {
        test: 'traffic-share',
        figures: { baseline: s.share.baseline, current: s.share.current },
        text: `${s.key}=${s.value} carries ${pct(s.share.current)} of the traffic now vs ${pct(s.share.baseline)} in the baseline${s.shareChange?.aligned ? '; its share changed when the metric did' : ''}.`,
      },
    ];
    // Which feature's attributions moved most inside the group (names the feature behind a pipeline).
    if (!latencyTrigger && shap.windows.status === 'ok') {
      const g = groupsOf(current)[s.key];
      const inside = shap.values.current.filter((_, k) => g[shap.rows.current[k]] === s.value);
      const cmp = compareAttributions(inside, shap.values.baseline, compiled.featureNames, shap.baseValue, {
        resamples: o.resamples,
        seed: o.seed,
      });
      if (cmp.status === 'ok') {
        const top = cmp.features[0].feature;
        groupTopFeature.set(`${s.key}=${s.value}`, { feature: top, cmp });
        const e = shapEvidence(cmp, top, `inside ${s.key}=${s.value}`);
        if (e) evidence.push(e);
      }
    }
    push(kind, subject, clamp01(s.explained) * (s.shareChange?.aligned ? 1 : 0.95), evidence);
  }

  // Concentrated shifts: a feature that moved inside one tag value, version or segment value only.
  if (!latencyTrigger) {
    const segmentColumns = (input.segments ?? []).filter(
      (name) =>
        features.some((f) => f.name === name && f.type === 'categorical') && !input.trigger.segment?.[name],
    );
    const withSegments = (w: RcaWindow) => ({
      columns: w.columns,
      groups: {
        ...groupsOf(w),
        ...Object.fromEntries(
          segmentColumns.map((name) => [
            name,
            decodeCategories(w.columns[name], features.find((f) => f.name === name)?.categories),
          ]),
        ),
      },
    });
    const concentrated = findConcentratedShifts(
      { features, current: withSegments(current), baseline: withSegments(baseline), importance },
      { alpha: o.alpha },
    );
    for (const c of concentrated.slice(0, 5)) {
      const onFeature = segmentColumns.includes(c.key);
      const kind: HypothesisKind = onFeature ? 'feature' : groupKind(c.key);
      const subject: Hypothesis['subject'] = onFeature
        ? { feature: c.feature, segment: { [c.key]: c.value } }
        : kind === 'version'
          ? { version: c.value }
          : { tag: { [c.key]: c.value } };
      const evidence: Evidence = {
        test: `concentrated drift (${c.inside.test})`,
        pValue: c.inside.pValue,
        effect: c.inside.effect,
        figures: {
          ratioInside: c.inside.ratio,
          ratioOutside: c.outside.ratio,
          shareNow: c.share.current,
          shareBaseline: c.share.baseline,
          n: c.inside.n,
        },
        text: `${c.feature} shifted inside ${c.key}=${c.value} (${c.inside.test} ${num(c.inside.effect)}, ${num(c.inside.ratio)}× the material floor, p = ${num(c.inside.pValue)}, n = ${c.inside.n}) while the rest of the traffic kept its baseline distribution (${num(c.outside.ratio)}× the floor); ${c.key}=${c.value} carries ${pct(c.share.current)} of the traffic now vs ${pct(c.share.baseline)} in the baseline.`,
      };
      const same = hypotheses.find(
        (h) => h.kind === kind && JSON.stringify(h.subject) === JSON.stringify(subject),
      );
      if (same) {
        same.score = Math.max(same.score, c.score);
        same.evidence.push(evidence);
      } else push(kind, subject, c.score, [evidence]);
      if (!onFeature && shap.windows.status === 'ok')
        groupTopFeature.set(`${c.key}=${c.value}`, { feature: c.feature, cmp: shap.windows });
    }
  }

  // Segments (error metric only).
  let slices: SliceResult | null = null;
  let ablation: AblationResult | null = null;
  const errorCount = (w: WindowSummary) => (w.labelled > 0 ? Math.round(w.errorRate * w.labelled) : 0);
  const rise = twoProportionZTest(errorCount(window), window.labelled, errorCount(base), base.labelled, {
    alternative: 'greater',
  });
  // A segment scores its excess errors against the rise, or against 5 % of the baseline's error
  // count when the overall rate rose less (the calendar can hide a segment's degradation).
  const excessScale = Math.max(
    errorCount(window) - window.labelled * (base.labelled > 0 ? base.errorRate : 0),
    0.05 * window.labelled * (base.labelled > 0 ? base.errorRate : 0),
    1,
  );
  if (!latencyTrigger) {
    const sliceColumns: SliceColumn[] = [
      ...features.map(
        (f): SliceColumn =>
          f.type === 'categorical'
            ? {
                name: f.name,
                type: 'categorical',
                current: decodeCategories(current.columns[f.name], f.categories),
                baseline: decodeCategories(baseline.columns[f.name], f.categories),
              }
            : {
                name: f.name,
                type: 'numeric',
                current: current.columns[f.name],
                baseline: baseline.columns[f.name],
              },
      ),
      ...Object.keys(groupsOf(current))
        .filter((k) => groupsOf(baseline)[k] !== undefined)
        .map(
          (k): SliceColumn => ({
            name: k,
            type: 'categorical',
            current: Array.from(groupsOf(current)[k]),
            baseline: Array.from(groupsOf(baseline)[k]),
          }),
        ),
    ];
    slices = discoverSlices(
      { columns: sliceColumns, errors: { current: errCur, baseline: errBase } },
      { fdr: o.alpha },
    );
    for (const s of slices.slices.filter((x) => x.confirmed).slice(0, 5)) {
      const segment = Object.fromEntries(s.conditions.map((c) => [c.column, c.value]));
      const what = s.conditions.map((c) => `${c.column}=${c.value}`).join(' & ');
      // A segment inside a tag value or segment already blamed refines that hypothesis instead of competing with it.
      const owner = hypotheses.find(
        (h) =>
          s.conditions.some(
            (c) =>
              h.subject.tag?.[c.column] === c.value ||
              (c.column === 'version' && h.subject.version === c.value),
          ) ||
          (h.subject.segment !== undefined &&
            Object.entries(h.subject.segment).every(([k, v]) =>
              s.conditions.some((c) => c.column === k && c.value === v),
            )),
      );
      if (owner) {
        if (s.conditions.length > 1)
          owner.evidence.push({
            test: 'refinement',
            pValue: s.test.adjustedPValue,
            figures: { n: s.current.n, rateNow: s.current.rate },
            text: `Inside it, errors concentrate on ${what}: ${pct(s.current.rate)} (n = ${s.current.n}).`,
          });
        continue;
      }
      const segCur = segmentRowsBySlice(current, sliceColumns, s.conditions, 'current');
      const segBase = segmentRowsBySlice(baseline, sliceColumns, s.conditions, 'baseline');
      // A segment whose excess errors sit mostly on the rows of a blamed tag value is a symptom of it.
      const baseRate = s.baseline.n > 0 ? s.baseline.rate : base.errorRate;
      const carrier = hypotheses.find((h) => {
        const entry =
          h.subject.version !== undefined
            ? ['version', h.subject.version]
            : Object.entries(h.subject.tag ?? {})[0];
        if (entry === undefined || !(s.excessErrors > 0)) return false;
        const g = groupsOf(current)[entry[0]];
        if (g === undefined) return false;
        let inside = 0;
        for (const r of segCur)
          if (g[r] === entry[1] && !Number.isNaN(errCur[r])) inside += errCur[r] - baseRate;
        return inside >= o.symptomShare * s.excessErrors;
      });
      if (carrier) {
        carrier.score = Math.max(carrier.score, clamp01(s.excessErrors / excessScale) * o.symptomShare);
        carrier.evidence.push({
          test: 'symptom',
          pValue: s.test.adjustedPValue,
          figures: { n: s.current.n, rateNow: s.current.rate, rateBaseline: s.baseline.rate },
          text: `The errors of segment ${what} (${pct(s.current.rate)} vs ${pct(s.baseline.rate)}, n = ${s.current.n}) sit mostly on these events.`,
        });
        continue;
      }
      const rates = (w: RcaWindow, rows: number[]) => {
        let y = 0;
        const scores: number[] = [];
        for (const r of rows)
          if (!Number.isNaN(w.labels[r])) {
            y += w.labels[r];
            scores.push(w.scores[r]);
          }
        const mean = scores.length > 0 ? scores.reduce((t, v) => t + v, 0) / scores.length : Number.NaN;
        return { positive: scores.length > 0 ? y / scores.length : Number.NaN, scores, mean };
      };
      const rc = rates(current, segCur);
      const rb = rates(baseline, segBase);
      const ks = ks2Samp(rc.scores, rb.scores);
      const ksStat = ks.status === 'ok' ? ks.statistic : Number.NaN;
      // Label shift: the errors rose while the model saw the same inputs (its scores did not move)
      // ... and the segment kept its share of the traffic (a share that moved means its inputs drifted).
      const shareCur = segCur.length / Math.max(1, window.n);
      const shareBase = segBase.length / Math.max(1, base.n);
      const labelShift =
        s.current.rate - s.baseline.rate > 0.1 &&
        ksStat < o.labelShiftKs &&
        Math.abs(shareCur - shareBase) <= 0.15 * shareBase;
      const baselineText =
        s.baseline.n > 0 ? `${pct(s.baseline.rate)} in the baseline` : 'absent from the baseline';
      const score = clamp01(s.excessErrors / excessScale) * (1 - 0.02 * (s.conditions.length - 1));
      push(labelShift ? 'label-shift' : 'segment', { segment }, score, [
        {
          test: 'two-proportion z (now > baseline), BH',
          statistic: s.test.statistic,
          pValue: s.test.adjustedPValue,
          effect: s.current.rate - s.baseline.rate,
          interval: s.current.interval,
          figures: {
            n: s.current.n,
            rateNow: s.current.rate,
            rateBaseline: s.baseline.rate,
            shareExplained: s.shareExplained,
          },
          text: `Error rate on ${what} is ${pct(s.current.rate)} (95% CI ${pct(s.current.interval.low)}–${pct(s.current.interval.high)}, n = ${s.current.n}) vs ${baselineText}; ${explains(s.shareExplained)}.`,
        },
        {
          test: 'ks (scores now vs baseline)',
          statistic: ksStat,
          figures: {
            positiveNow: rc.positive,
            positiveBaseline: rb.positive,
            meanScoreNow: rc.mean,
            meanScoreBaseline: rb.mean,
          },
          text: `Scores in the segment ${labelShift ? 'did not move' : 'moved'} (KS D = ${num(ksStat)}) while the positive rate went ${pct(rb.positive)} → ${pct(rc.positive)}${labelShift ? ': the outcomes changed, not the inputs' : ''}.`,
        },
      ]);
    }

    // Features: ablate the top drifted features by drift × importance (and those with quality issues).
    const suspects = driftImportance.features
      .filter((f) => f.drift?.drifted || f.quality.some((q) => q.severity !== 'info'))
      .slice(0, o.ablateTop)
      .map((f) => f.feature);
    if (suspects.length > 0)
      ablation = ablateFeatures(
        compiled,
        current.columns,
        current.labels,
        baseline.columns,
        baseline.labels,
        suspects,
        {
          seed: o.seed,
          threshold: o.threshold,
        },
      );
    for (const f of driftImportance.features) {
      const ab = ablation?.features.find((a) => a.feature === f.feature);
      const strong = f.quality.filter(
        (q) => q.severity !== 'info' && q.check !== 'out_of_range' && q.check !== 'constant_column',
      );
      const evidence: Evidence[] = [];
      if (f.drift)
        evidence.push({
          test: `drift (${f.drift.test})`,
          pValue: f.drift.pValue,
          effect: f.drift.effect,
          figures: { effectRatio: f.drift.effectRatio, importance: f.importance },
          text: `${f.feature} drifted: ${f.drift.test} = ${num(f.drift.effect)} (${num(f.drift.effectRatio)}× the material floor, p = ${num(f.drift.pValue)}), relative importance ${pct(f.relativeImportance)}.`,
        });
      if (shap.windows.status === 'ok') {
        const e = shapEvidence(shap.windows, f.feature, 'window');
        if (e) evidence.push(e);
      }
      if (ab)
        evidence.push({
          test: 'ablation',
          effect: ab.recovered,
          figures: {
            errorNow: ablation?.confusion.current.errorRate ?? null,
            errorAblated: ab.errorRate,
            recoveredShare: ab.recoveredShare,
          },
          text: `Drawing ${f.feature} from the baseline brings the error from ${pct(ablation?.confusion.current.errorRate ?? Number.NaN)} to ${pct(ab.errorRate)} (${pct(clamp01(ab.recoveredShare))} of the rise recovered).`,
        });
      const ablationScore = clamp01(ab?.recoveredShare ?? null) * (f.drift?.drifted ? 1 : 0.5);
      for (const [group, g] of groupTopFeature)
        if (g.feature === f.feature) {
          evidence.push({
            test: 'concentration',
            text: `The shift of ${f.feature} is concentrated in ${group}.`,
          });
          // The tag value that carries the shift is the more actionable cause: it ranks at least as high.
          const carrierOf = hypotheses.find((h) =>
            Object.entries(h.subject.tag ?? (h.subject.version ? { version: h.subject.version } : {})).some(
              ([k, v]) => `${k}=${v}` === group,
            ),
          );
          if (carrierOf) {
            carrierOf.score = Math.max(carrierOf.score, ablationScore);
            carrierOf.evidence.push({
              test: 'ablation',
              effect: ab?.recovered,
              text: `Mapping ${f.feature} back onto the baseline recovers ${pct(clamp01(ab?.recoveredShare ?? null))} of the rise.`,
            });
          }
        }
      if (strong.length > 0 || f.quality.some((q) => q.severity !== 'info')) {
        const qualityScore = Math.max(
          ...f.quality.map((q) =>
            q.severity === 'info' ? 0.1 : strong.includes(q) ? (q.severity === 'error' ? 1 : 0.8) : 0.3,
          ),
        );
        const score = qualityScore * (0.5 + 0.5 * f.relativeImportance);
        const qEvidence: Evidence[] = f.quality.map((q) => ({
          test: `quality (${q.check})`,
          effect: q.value - q.expected,
          figures: { value: q.value, expected: q.expected, severity: q.severity },
          text: q.message,
        }));
        if (strong.length > 0) {
          push('data-quality', { feature: f.feature }, Math.max(score, ablationScore), [
            ...qEvidence,
            ...evidence,
          ]);
          continue;
        }
        push('data-quality', { feature: f.feature }, score, qEvidence);
      }
      if (ablationScore > 0 && rise.status === 'ok' && rise.pValue < o.alpha)
        push('feature', { feature: f.feature }, ablationScore, evidence);
    }
  }

  // Population: the outcome rate moved everywhere (prior shift) while the predictions did not follow.
  // Restricted to a segment, that is a label shift of the segment. Without a significant rise of the
  // error rate, it explains no degradation: kept as context at a quarter of its score.
  if (!latencyTrigger) {
    const cc = confusionShares(current.scores, current.labels, o.threshold);
    const cb = confusionShares(baseline.scores, baseline.labels, o.threshold);
    const positives = (c: typeof cc) => (c.n > 0 ? Math.round(c.positiveRate * c.n) : 0);
    const t = twoProportionZTest(positives(cc), cc.n, positives(cb), cb.n);
    const dy = cc.positiveRate - cb.positiveRate;
    const dPred = cc.predictedPositiveRate - cb.predictedPositiveRate;
    if (t.status === 'ok' && t.pValue < o.alpha && Math.abs(dPred) < 0.5 * Math.abs(dy)) {
      const best = hypotheses.reduce((m, h) => Math.max(m, h.score), 0);
      const rose = rise.status === 'ok' && rise.pValue < o.alpha ? 1 : 0.25;
      const seg = input.trigger.segment;
      push(
        seg ? 'label-shift' : 'population',
        seg ? { segment: seg } : {},
        rose * Math.min(1, Math.abs(dy) / 0.1) * (1 - 0.5 * best),
        [
          {
            test: 'two-proportion z (positive rate now vs baseline)',
            statistic: t.statistic,
            pValue: t.pValue,
            effect: dy,
            figures: {
              positiveNow: cc.positiveRate,
              positiveBaseline: cb.positiveRate,
              predictedNow: cc.predictedPositiveRate,
              predictedBaseline: cb.predictedPositiveRate,
            },
            text: `The positive rate moved ${pct(cb.positiveRate)} → ${pct(cc.positiveRate)} (p = ${num(t.pValue)}) while the predicted positive rate stayed ${pct(cb.predictedPositiveRate)} → ${pct(cc.predictedPositiveRate)}: the outcome changed across the population.`,
          },
        ],
      );
    }
  }
  // An alert about one feature (drift, data quality) asks why that feature moved: hypotheses that do
  // not involve it (their subject, or the feature a tag value's shift concentrates on) count half.
  const asked = input.trigger.feature;
  if (asked !== undefined)
    for (const h of hypotheses) {
      const group = Object.entries(h.subject.tag ?? (h.subject.version ? { version: h.subject.version } : {}))
        .map(([k, v]) => `${k}=${v}`)
        .join();
      if (h.subject.feature !== asked && groupTopFeature.get(group)?.feature !== asked) h.score *= 0.5;
    }
  hypotheses.sort((a, b) => b.score - a.score);
  // The feature the alert named drifted: its hypothesis scores at least by how far it drifted.
  const askedFeature =
    asked === undefined ? undefined : driftImportance.features.find((f) => f.feature === asked);
  if (askedFeature?.drift?.drifted && !latencyTrigger) {
    const d = askedFeature.drift;
    const score = Math.min(1, d.effectRatio / 2) * (0.5 + 0.5 * askedFeature.relativeImportance);
    const evidence: Evidence = {
      test: `drift (${d.test})`,
      pValue: d.pValue,
      effect: d.effect,
      figures: { effectRatio: d.effectRatio, importance: askedFeature.importance },
      text: `${askedFeature.feature}, the feature the alert named, drifted${
        input.trigger.segment
          ? ` inside ${Object.entries(input.trigger.segment)
              .map(([k, v]) => `${k}=${v}`)
              .join(' & ')}`
          : ''
      }: ${d.test} = ${num(d.effect)} (${num(d.effectRatio)}× the material floor, p = ${num(d.pValue)}).`,
    };
    const named = hypotheses.filter((h) => h.subject.feature === asked);
    for (const h of named) {
      h.score = Math.max(h.score, score);
      if (!h.evidence.some((e) => e.test === evidence.test)) h.evidence.unshift(evidence);
    }
    if (named.length === 0)
      hypotheses.push({
        kind: 'feature',
        subject: { feature: askedFeature.feature },
        score,
        evidence: [evidence],
        action: recommendAction('feature', { feature: askedFeature.feature }),
      });
    hypotheses.sort((a, b) => b.score - a.score);
  }
  const caveats = [...standardCaveats];
  if (newSegment)
    caveats.push('The segment is absent from the baseline (new): it was compared with the whole baseline.');
  if (window.labelled < 500)
    caveats.push(`Only ${window.labelled} labelled events in the window: intervals are wide.`);
  if (latencyTrigger)
    caveats.push('Latency trigger: error-based analyses (segments, features) were skipped.');
  if (rise.status === 'ok' && rise.pValue >= o.alpha && !latencyTrigger)
    caveats.push(
      `The error rate did not rise significantly (${pct(base.errorRate)} → ${pct(window.errorRate)}, p = ${num(rise.pValue)}).`,
    );
  return {
    trigger: input.trigger,
    window,
    baseline: base,
    hypotheses: hypotheses.slice(0, o.maxHypotheses),
    caveats,
    analyses: { slices, shap, driftImportance, alignment, ablation },
  };
}

/** Rows of a window matching slice conditions, evaluated on the slice columns (numeric bins by range). */
function segmentRowsBySlice(
  w: RcaWindow,
  columns: readonly SliceColumn[],
  conditions: readonly { column: string; value: string; range?: { low: number; high: number } }[],
  side: 'current' | 'baseline',
): number[] {
  const n = w.timeMs.length;
  const tests = conditions.map((c) => {
    const col = columns.find((x) => x.name === c.column);
    if (!col) return () => false;
    if (col.type === 'numeric') {
      const v = col[side];
      const { low, high } = c.range ?? { low: Number.NEGATIVE_INFINITY, high: Number.POSITIVE_INFINITY };
      return (r: number) => v[r] >= low && v[r] < high;
    }
    const v = col[side];
    return (r: number) => v[r] === c.value;
  });
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (tests.every((t) => t(r))) rows.push(r);
  return rows;
}
