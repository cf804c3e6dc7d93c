/**
 * The plottable parts of an RCA result as plain JSON (`RcaCharts`), small enough to store with the
 * report: SHAP shift per feature with its interval, the confirmed segments, the tag and version
 * traffic shares, and the metric over time with its change point. The HTML page and the dashboard
 * draw from these, so a stored report renders without re-running the analyses. Pure.
 */
import type { RcaReport } from './hypotheses.js';
import type { RcaResult } from './run-rca.js';

/** Chart data of one RCA result. */
export interface RcaCharts {
  /** Δ mean signed SHAP (current − baseline) per feature with its bootstrap 95% interval; null when too few rows. */
  shap: { feature: string; shift: number; low: number; high: number }[] | null;
  /** Confirmed segments (at most 15): conditions, size, error now with interval, baseline, share of the rise, BH p. */
  segments: {
    segment: string;
    n: number;
    rateNow: number;
    low: number;
    high: number;
    rateBaseline: number;
    shareExplained: number | null;
    pValue: number;
  }[];
  /** Tag and version values: traffic share before and now, metric inside and outside, aligned change. */
  shares: {
    key: string;
    value: string;
    shareBaseline: number;
    shareNow: number;
    inside: number;
    outside: number;
    aligned: boolean;
  }[];
  /** The metric per time bucket over both windows, and its change point (null when none). */
  series: { timeMs: number[]; value: number[] };
  changeMs: number | null;
}

/** A report as stored and served: the JSON contract plus its chart data. */
export type StoredRcaReport = RcaReport & { charts: RcaCharts };

/** Extracts the chart data of a result. */
export function chartsOf(result: RcaResult): RcaCharts {
  const a = result.analyses;
  return {
    shap:
      a.shap.windows.status === 'ok'
        ? a.shap.windows.features.map((f) => ({
            feature: f.feature,
            shift: f.meanSigned.shift,
            low: f.meanSigned.interval.low,
            high: f.meanSigned.interval.high,
          }))
        : null,
    segments: (a.slices?.slices ?? [])
      .filter((s) => s.confirmed)
      .slice(0, 15)
      .map((s) => ({
        segment: s.conditions.map((c) => `${c.column}=${c.value}`).join(' & '),
        n: s.current.n,
        rateNow: s.current.rate,
        low: s.current.interval.low,
        high: s.current.interval.high,
        rateBaseline: s.baseline.rate,
        shareExplained: s.shareExplained,
        pValue: s.test.adjustedPValue,
      })),
    shares: a.alignment.suspects.map((s) => ({
      key: s.key,
      value: s.value,
      shareBaseline: s.share.baseline,
      shareNow: s.share.current,
      inside: s.inside,
      outside: s.outside,
      aligned: s.shareChange?.aligned === true,
    })),
    series: a.alignment.series,
    changeMs: a.alignment.change?.changed ? a.alignment.change.timeMs : null,
  };
}

/** The report without the raw analyses (typed arrays), with its chart data: what is stored and served. */
export function storedReportOf(result: RcaResult): StoredRcaReport {
  const { analyses: _analyses, ...report } = result;
  return { ...report, charts: chartsOf(result) };
}
