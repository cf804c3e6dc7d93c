/**
 * The demo's diagnosis: for each incident, the RCA of its first matching alert (the same analysis the
 * server runs when that alert fires: `planAlertRca` + `runAndStoreRca`, stored in the store), and
 * whether the top hypothesis names the injected cause (`namesIncident`). Without detections given,
 * they are computed by backtesting the default rules over the stored metric points.
 */

import type { ManagerState } from '../alerts/manager.js';
import { type AlertConfig, defaultInhibitRules, defaultRules } from '../alerts/rules.js';
import {
  type AlertRecord,
  type MatchKind,
  matchIncident,
  type SummaryIncidentInput,
} from '../alerts/summary.js';
import { windowMs } from '../monitor/windows.js';
import type { Hypothesis, RcaReport } from '../rca/hypotheses.js';
import {
  type AlertRcaOptions,
  planStoredAlertRca,
  RCA_SKIPPED_KINDS,
  runAndStoreRca,
} from '../server/rca-runner.js';
import type { Store } from '../store/store.js';
import { backtestStoredAlerts } from './alerting.js';
import { DAY_MS, dayRangeMs, type Incident } from './scenario.js';

/** A hypothesis as `summary.json` keeps it: evidence as test, p-value, effect and sentence. */
export interface CompactHypothesis {
  kind: Hypothesis['kind'];
  subject: Hypothesis['subject'];
  score: number;
  evidence: { test: string; pValue?: number; effect?: number; text: string }[];
  action: string;
}

/** The RCA of an incident's first alert, compact. */
export interface IncidentRca {
  /** Id of the stored report (`GET /v1/models/{model}/rca/{id}`). */
  id: string;
  alert: {
    rule: string;
    kind: string;
    metric: string;
    segment: string;
    version: string;
    firedAt: string;
    matchedBy: string;
  };
  trigger: RcaReport['trigger'];
  window: RcaReport['window'];
  baseline: RcaReport['baseline'];
  /** The top three hypotheses. */
  hypotheses: CompactHypothesis[];
  seconds: number;
}

/** Diagnosis of one incident. */
export interface IncidentDiagnosis {
  index: number;
  rca: IncidentRca | null;
  /** The top hypothesis names the injected cause (see {@link namesIncident}). */
  diagnosed: boolean;
  /** Why there is no RCA (no matching alert, an alert kind RCA does not cover). */
  note?: string;
}

const entriesOf = (s: Hypothesis['subject']): [string, string][] => [
  ...Object.entries(s.tag ?? {}),
  ...Object.entries(s.segment ?? {}),
  ...(s.version !== undefined ? [['version', s.version] as [string, string]] : []),
];
/** Incident filter or tags as `key=value` with tag keys bare (`tags.pipeline` → `pipeline`). */
const pairsOf = (m: Record<string, string | number | boolean> | undefined): string[] =>
  Object.entries(m ?? {}).map(([k, v]) => `${k.startsWith('tags.') ? k.slice(5) : k}=${v}`);

/**
 * True when a hypothesis names an incident's cause: the scaled, shifted, nulled or remapped feature
 * (or a tag or version stamped on the affected events); the `where` segment of a label flip (every
 * condition of it, possibly refined); the version of a latency incident (else its stamped tags).
 */
export function namesIncident(h: Pick<Hypothesis, 'subject'>, incident: Incident): boolean {
  const have = new Set(entriesOf(h.subject).map(([k, v]) => `${k}=${v}`));
  const stamped = [...pairsOf(incident.tags), ...(incident.version ? [`version=${incident.version}`] : [])];
  switch (incident.kind) {
    case 'label-flip': {
      const where = pairsOf(incident.where);
      return where.length > 0 ? where.every((p) => have.has(p)) : Object.keys(h.subject).length === 0;
    }
    case 'latency':
      return incident.version !== undefined
        ? have.has(`version=${incident.version}`)
        : stamped.some((p) => have.has(p));
    default:
      return h.subject.feature === incident.feature || stamped.some((p) => have.has(p));
  }
}

/** An alert episode as the diagnosis needs it (an `AlertRecord`, or the demo's `DemoAlert`). */
export type DiagnosisAlert = Pick<AlertRecord, 'rule' | 'kind' | 'scope' | 'firedAt'> & {
  fingerprint?: string;
};

/** Options of {@link diagnoseIncidents}. */
export interface DiagnoseOptions extends Pick<AlertRcaOptions, 'baseline'> {
  store: Store;
  model: string;
  incidents: Incident[];
  /** Alert firing episodes (e.g. the demo's alerting stage); default: a backtest of the rules over the stored points. */
  alerts?: DiagnosisAlert[];
  /** Alert rules (default: the stored configuration, else the default rules). */
  config?: AlertConfig;
  /** Clock of the stored reports (epoch ms). */
  nowMs: number;
  seed?: number;
}

/** Runs the RCA of each incident's first matching alert and checks its top hypothesis. */
export async function diagnoseIncidents(o: DiagnoseOptions): Promise<IncidentDiagnosis[]> {
  const config = o.config ??
    ((await o.store.getAlertConfig(o.model)) as AlertConfig | undefined) ?? {
      rules: defaultRules({ id: o.model }),
      inhibitRules: defaultInhibitRules,
      escalationPolicies: [],
      grouping: {},
    };
  // without the alerting stage's episodes: the same backtest, reading the points a week at a time
  const alerts = o.alerts ?? (await backtestStoredAlerts(o.store, o.model, config)).result.alerts;
  const out: IncidentDiagnosis[] = [];
  for (const [index, incident] of o.incidents.entries()) {
    const first = firstAlertOf(
      alerts,
      incidentInput(incident, index),
      (rule) => windowMs[config.rules.find((r) => r.id === rule)?.window ?? 'day'],
    );
    if (first === null) {
      out.push({ index, rca: null, diagnosed: false, note: 'no matching alert fired' });
      continue;
    }
    if (RCA_SKIPPED_KINDS.has(first.kind)) {
      out.push({ index, rca: null, diagnosed: false, note: `RCA does not cover ${first.kind} alerts` });
      continue;
    }
    const rule = config.rules.find((r) => r.id === first.rule);
    const firedAtMs = Date.parse(first.firedAt);
    const labels: Record<string, string> = {
      model: o.model,
      alertname: first.rule,
      kind: first.kind,
      metric: first.scope.metric,
      segment: first.scope.segment,
      version: first.scope.version,
      ...(first.scope.feature !== undefined ? { feature: first.scope.feature } : {}),
    };
    const plan = await planStoredAlertRca(
      o.store,
      {
        fingerprint:
          first.fingerprint ??
          `${first.rule}|${first.scope.metric}|${first.scope.segment}|${first.scope.version}`,
        labels,
        firedAtMs,
        // the condition held for the rule's pending period before it fired
        activeAtMs: firedAtMs - (rule?.forMs ?? 0),
        windowSize: rule?.window ?? 'day',
      },
      o.baseline ? { baseline: o.baseline } : {},
    );
    const started = performance.now();
    const { row, result } = await runAndStoreRca(o.store, { ...plan, seed: o.seed ?? 0 }, o.nowMs);
    const top = result.hypotheses[0];
    out.push({
      index,
      rca: {
        id: row.id,
        alert: {
          rule: first.rule,
          kind: first.kind,
          metric: first.scope.metric,
          segment: first.scope.segment,
          version: first.scope.version,
          firedAt: first.firedAt,
          matchedBy: first.matchedBy,
        },
        trigger: result.trigger,
        window: result.window,
        baseline: result.baseline,
        hypotheses: result.hypotheses.slice(0, 3).map((h) => ({
          kind: h.kind,
          subject: h.subject,
          score: h.score,
          evidence: h.evidence.map((e) => ({
            test: e.test,
            ...(e.pValue !== undefined ? { pValue: e.pValue } : {}),
            ...(e.effect !== undefined ? { effect: e.effect } : {}),
            text: e.text,
          })),
          action: h.action,
        })),
        seconds: (performance.now() - started) / 1000,
      },
      diagnosed: top !== undefined && namesIncident(top, incident),
    });
  }
  return out;
}

/**
 * The first alert (by firing time) that matches an incident (`matchIncident`) and whose firing window
 * overlaps the incident's days or the grace day after them: an alert fired by the window before the
 * incident began is not its detection.
 */
export function firstAlertOf<A extends DiagnosisAlert>(
  alerts: A[],
  incident: SummaryIncidentInput,
  windowLength: (rule: string) => number,
  graceMs = DAY_MS,
): (A & { matchedBy: MatchKind }) | null {
  const { fromMs, toMs } = dayRangeMs({ from: String(incident.from), to: String(incident.to) });
  let best: (A & { matchedBy: MatchKind }) | null = null;
  for (const a of alerts) {
    const fired = Date.parse(a.firedAt);
    if (fired - windowLength(a.rule) < fromMs || fired > toMs + graceMs) continue;
    // matchIncident reads only kind and scope
    const how = matchIncident(a as unknown as AlertRecord, incident);
    if (how !== null && (best === null || fired < Date.parse(best.firedAt))) best = { ...a, matchedBy: how };
  }
  return best;
}

/** An incident as `summarizeAlerts` takes it. */
export function incidentInput(incident: Incident, index: number): SummaryIncidentInput {
  return {
    index,
    kind: incident.kind,
    from: incident.from,
    to: incident.to,
    ...('feature' in incident ? { feature: incident.feature } : {}),
    ...(incident.where ? { where: incident.where } : {}),
    ...(incident.tags ? { tags: incident.tags } : {}),
    ...(incident.version ? { version: incident.version } : {}),
  };
}

/** One line per incident for the demo's output: alert, top hypothesis, diagnosed or not. */
export function formatDiagnosis(d: IncidentDiagnosis): string {
  if (d.rca === null) return `  incident ${d.index}: no RCA (${d.note ?? 'no alert'})`;
  const h = d.rca.hypotheses[0];
  const what = h
    ? `${h.kind} ${[h.subject.feature, h.subject.version, ...entriesOf({ tag: h.subject.tag, segment: h.subject.segment }).map(([k, v]) => `${k}=${v}`)].filter(Boolean).join(' & ') || 'population'} (score ${h.score.toFixed(2)})`
    : 'no hypothesis';
  return `  incident ${d.index}: RCA of ${d.rca.alert.rule} (${d.rca.alert.metric}, ${d.rca.alert.segment}) → ${what}: ${d.diagnosed ? 'diagnosed' : 'NOT diagnosed'} [report ${d.rca.id}, ${d.rca.seconds.toFixed(1)} s]`;
}

/** The summary fields the diagnosis reads and fills. */
export interface DiagnosisSummaryFields {
  alerts?: DiagnosisAlert[];
  incidents: { index: number; rca?: IncidentRca | null; diagnosed?: boolean }[];
}

/**
 * The demo's diagnosis step: the RCA of each incident's first matching alert (from the alerting
 * stage's `summary.alerts` when present, else a backtest of the rules), stored in the store, and
 * `rca` and `diagnosed` on each of the summary's incidents.
 */
export async function addDemoDiagnosis(
  summary: DiagnosisSummaryFields,
  o: { store: Store; model: string; scenario: { incidents: Incident[] }; nowMs?: number },
): Promise<IncidentDiagnosis[]> {
  const diagnoses = await diagnoseIncidents({
    store: o.store,
    model: o.model,
    incidents: o.scenario.incidents,
    nowMs: o.nowMs ?? Date.now(),
    ...(summary.alerts ? { alerts: summary.alerts } : {}),
  });
  for (const d of diagnoses) {
    const inc = summary.incidents.find((i) => i.index === d.index);
    if (inc) Object.assign(inc, { rca: d.rca, diagnosed: d.diagnosed });
  }
  await attachRcaIds(o.store, o.model, diagnoses);
  return diagnoses;
}

/**
 * Keeps each report's id on the firing episode of its alert in the model's persisted alert state
 * (the demo's alerting stage saves it), as the server's `onFiring` hook would have, so that the
 * dashboard links the alert to its RCA. Episodes are found by rule, scope labels and firing time.
 */
async function attachRcaIds(store: Store, model: string, diagnoses: IncidentDiagnosis[]): Promise<void> {
  const state = (await store.getAlertState(model)) as ManagerState | undefined;
  if (state === undefined) return;
  let changed = false;
  for (const d of diagnoses) {
    const a = d.rca?.alert;
    if (a === undefined || d.rca === null) continue;
    const firedAtMs = Date.parse(a.firedAt);
    for (const alert of Object.values(state.alerts.alerts)) {
      const l = alert.labels;
      if (
        alert.ruleId !== a.rule ||
        l.metric !== a.metric ||
        l.segment !== a.segment ||
        l.version !== a.version
      )
        continue;
      const k = alert.episodes.findIndex((e) => e.firedAtMs === firedAtMs);
      if (k < 0) continue;
      alert.episodes[k] = { ...alert.episodes[k], rcaId: d.rca.id };
      changed = true;
    }
  }
  if (changed) await store.setAlertState(model, state);
}

/** The demo's closing lines: one per incident with its RCA's top hypothesis and whether it names the cause. */
export function formatDiagnoses(summary: DiagnosisSummaryFields): string {
  const rows = summary.incidents.filter((i) => i.diagnosed !== undefined);
  if (rows.length === 0) return '';
  const lines = rows.map((i) =>
    formatDiagnosis({
      index: i.index,
      rca: i.rca ?? null,
      diagnosed: i.diagnosed === true,
      note: 'no matching alert fired',
    }),
  );
  return `\nRCA of each incident's first alert (${rows.filter((i) => i.diagnosed).length}/${rows.length} diagnosed):\n${lines.join('\n')}`;
}
