/**
 * Demo scenario files: the data that says what the flights demo trains on, what it replays as
 * production traffic and which incidents it injects. Validated as a whole before anything runs;
 * every problem names its field (`incidents[2].factor`), the value and what was expected. Pure.
 *
 * Dates are `YYYY-MM-DD` and every range is INCLUSIVE of both days, on the data's clock (the
 * flights file stores local departure times; Plumbline reads them as UTC): `{ from: '2001-03-10',
 * to: '2001-03-20' }` covers 10 March 00:00 up to, but not including, 21 March 00:00.
 */
import { errors, type Issue } from '../errors.js';

/** An inclusive range of whole days. */
export interface DayRange {
  from: string;
  to: string;
}

/** Filter on events: every key (a feature name, `tags.<name>` or `version`) must equal its value. */
export type EventFilter = Record<string, string | number | boolean>;

/** Fields every incident may carry. */
export interface IncidentBase {
  /** First affected day (inclusive). */
  from: string;
  /** Last affected day (inclusive). */
  to: string;
  /** Share of the matching events affected, in (0, 1]; default 1. */
  fraction: number;
  /** Only events matching this filter are affected; default: all. */
  where?: EventFilter;
  /** Tags stamped on the affected events (merged over the baseline tags). */
  tags?: Record<string, string>;
  /** Model version stamped on the affected events. */
  version?: string;
}

/** One injected incident (see the README, "Scenario files"). */
export type Incident = IncidentBase &
  (
    | { kind: 'scale'; feature: string; factor: number }
    | { kind: 'shift'; feature: string; by: number }
    | { kind: 'nulls'; feature: string }
    | { kind: 'category-remap'; feature: string; mapping: Record<string, string> }
    | { kind: 'label-flip'; fromLabel: 0 | 1; toLabel: 0 | 1 }
    | { kind: 'latency'; addMs: number; factor: number }
  );

/** Kinds of incident. */
export const INCIDENT_KINDS = ['scale', 'shift', 'nulls', 'category-remap', 'label-flip', 'latency'] as const;
/** An incident kind. */
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** A validated scenario, defaults filled in. */
export interface Scenario {
  /** Seed of everything random in the run (training, resampling, latency, incidents). Default 7. */
  seed: number;
  train: DayRange;
  reference: DayRange;
  /** `flights`: the real flights of the range; `reference`: a stationary resample of the reference days. */
  replay: DayRange & { source: 'flights' | 'reference' };
  /** Hours between a departure and its label. Default 24. */
  labelDelayHours: number;
  incidents: Incident[];
}

/** A feature scenarios may name, with its type. */
export interface ScenarioFeature {
  name: string;
  type: 'numeric' | 'categorical';
}

/** What the data allows: its features and the days it covers. */
export interface ScenarioContext {
  features: ScenarioFeature[];
  /** First and last day of the data (for `train`, `reference` and a `flights` replay). */
  dataDays: DayRange;
}

const defaults = { seed: 7, labelDelayHours: 24, fraction: 1 };

/** Result of {@link validateScenario}: the scenario, or every problem found. */
export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; issues: Issue[] };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Epoch ms of 00:00 of a `YYYY-MM-DD` day, or undefined when it is not a real date. */
export function dayStartMs(day: string): number | undefined {
  const m = DATE.exec(day);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : undefined;
}

/** The half-open epoch-ms interval [start of `from`, start of the day after `to`) of a day range. */
export function dayRangeMs(range: DayRange): { fromMs: number; toMs: number } {
  return { fromMs: dayStartMs(range.from) as number, toMs: (dayStartMs(range.to) as number) + DAY_MS };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Collects issues while reading an untyped value. */
class Reader {
  readonly issues: Issue[] = [];

  fail(field: string, value: unknown, expected: string): undefined {
    this.issues.push(value === undefined ? { field, expected } : { field, value, expected });
    return undefined;
  }

  /** Reports keys of `obj` outside `allowed`. */
  only(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj))
      if (!allowed.includes(key))
        this.fail(join(path, key), obj[key], `no such field (allowed: ${allowed.join(', ')})`);
  }

  number(
    obj: Record<string, unknown>,
    path: string,
    key: string,
    check: (v: number) => boolean,
    expected: string,
    fallback?: number,
  ): number | undefined {
    const v = obj[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
      return this.fail(join(path, key), v, expected);
    return v;
  }

  string(obj: Record<string, unknown>, path: string, key: string, expected: string): string | undefined {
    const v = obj[key];
    if (typeof v !== 'string' || v.length === 0) return this.fail(join(path, key), v, expected);
    return v;
  }

  day(obj: Record<string, unknown>, path: string, key: string): number | undefined {
    const v = obj[key];
    const ms = typeof v === 'string' ? dayStartMs(v) : undefined;
    if (ms === undefined) return this.fail(join(path, key), v, 'a date YYYY-MM-DD');
    return ms;
  }

  /** Reads `{ from, to }` with from ≤ to, within `bounds` when given. */
  range(
    obj: Record<string, unknown>,
    key: string,
    bounds?: DayRange,
    extra: string[] = [],
  ): DayRange | undefined {
    const v = obj[key];
    if (!isObject(v)) return this.fail(key, v, 'an object { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }');
    this.only(v, key, ['from', 'to', ...extra]);
    const from = this.day(v, key, 'from');
    const to = this.day(v, key, 'to');
    if (from === undefined || to === undefined) return undefined;
    if (to < from) return this.fail(`${key}.to`, v.to, `a day on or after ${key}.from (${v.from})`);
    if (bounds) {
      if (from < (dayStartMs(bounds.from) as number))
        return this.fail(`${key}.from`, v.from, `a day within the data, ${bounds.from} to ${bounds.to}`);
      if (to > (dayStartMs(bounds.to) as number))
        return this.fail(`${key}.to`, v.to, `a day within the data, ${bounds.from} to ${bounds.to}`);
    }
    return { from: v.from as string, to: v.to as string };
  }

  stringRecord(obj: Record<string, unknown>, path: string, key: string): Record<string, string> | undefined {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (!isObject(v) || Object.keys(v).length === 0)
      return this.fail(join(path, key), v, 'a non-empty object of string values');
    for (const [k, x] of Object.entries(v))
      if (typeof x !== 'string') return this.fail(join(join(path, key), k), x, 'a string');
    return v as Record<string, string>;
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Validates an untyped scenario (parsed JSON) against the data's features and days. */
export function validateScenario(raw: unknown, context: ScenarioContext): ScenarioResult {
  const r = new Reader();
  if (!isObject(raw)) {
    r.fail('scenario', raw === null ? null : typeof raw, 'a JSON object');
    return { ok: false, issues: r.issues };
  }
  r.only(raw, '', ['seed', 'train', 'reference', 'replay', 'labelDelayHours', 'incidents', 'description']);
  const seed = r.number(
    raw,
    '',
    'seed',
    (v) => Number.isInteger(v) && v >= 0,
    'an integer ≥ 0',
    defaults.seed,
  );
  const train = r.range(raw, 'train', context.dataDays);
  const reference = r.range(raw, 'reference', context.dataDays);
  if (train && reference && (dayStartMs(reference.from) as number) <= (dayStartMs(train.to) as number))
    r.fail('reference.from', reference.from, `a day after train.to (${train.to})`);
  const replayRaw = raw.replay;
  let source: 'flights' | 'reference' = 'flights';
  if (isObject(replayRaw) && replayRaw.source !== undefined) {
    if (replayRaw.source === 'flights' || replayRaw.source === 'reference') source = replayRaw.source;
    else r.fail('replay.source', replayRaw.source, '"flights" or "reference"');
  }
  const replayDays = r.range(raw, 'replay', source === 'flights' ? context.dataDays : undefined, ['source']);
  if (
    replayDays &&
    reference &&
    (dayStartMs(replayDays.from) as number) <= (dayStartMs(reference.to) as number)
  )
    r.fail('replay.from', replayDays.from, `a day after reference.to (${reference.to})`);
  const labelDelayHours = r.number(
    raw,
    '',
    'labelDelayHours',
    (v) => v >= 0 && v <= 24 * 90,
    'a number of hours from 0 to 2160',
    defaults.labelDelayHours,
  );
  const incidents: Incident[] = [];
  if (raw.incidents !== undefined && !Array.isArray(raw.incidents))
    r.fail('incidents', raw.incidents, 'an array');
  else
    ((raw.incidents as unknown[] | undefined) ?? []).forEach((item, i) => {
      const incident = readIncident(r, item, `incidents[${i}]`, context, replayDays);
      if (incident) incidents.push(incident);
    });
  if (r.issues.length > 0) return { ok: false, issues: r.issues };
  return {
    ok: true,
    scenario: {
      seed: seed as number,
      train: train as DayRange,
      reference: reference as DayRange,
      replay: { ...(replayDays as DayRange), source },
      labelDelayHours: labelDelayHours as number,
      incidents,
    },
  };
}

const commonKeys = ['kind', 'from', 'to', 'fraction', 'where', 'tags', 'version'];
const kindKeys: Record<IncidentKind, string[]> = {
  scale: ['feature', 'factor'],
  shift: ['feature', 'by'],
  nulls: ['feature'],
  'category-remap': ['feature', 'mapping'],
  'label-flip': ['fromLabel', 'toLabel'],
  latency: ['addMs', 'factor'],
};

function readIncident(
  r: Reader,
  item: unknown,
  path: string,
  context: ScenarioContext,
  replay: DayRange | undefined,
): Incident | undefined {
  if (!isObject(item)) return r.fail(path, item, 'an incident object');
  const before = r.issues.length;
  const kind = item.kind as IncidentKind;
  if (!INCIDENT_KINDS.includes(kind))
    return r.fail(`${path}.kind`, item.kind, `one of ${INCIDENT_KINDS.join(', ')}`);
  r.only(item, path, [...commonKeys, ...kindKeys[kind]]);
  const days = r.range({ [path]: item }, path, undefined, Object.keys(item));
  if (days && replay) {
    const inside =
      (dayStartMs(days.from) as number) >= (dayStartMs(replay.from) as number) &&
      (dayStartMs(days.to) as number) <= (dayStartMs(replay.to) as number);
    if (!inside)
      r.fail(`${path}.from`, days.from, `a range within the replay, ${replay.from} to ${replay.to}`);
  }
  const fraction = r.number(
    item,
    path,
    'fraction',
    (v) => v > 0 && v <= 1,
    'a number in (0, 1]',
    defaults.fraction,
  );
  let where: EventFilter | undefined;
  if (item.where !== undefined) {
    if (!isObject(item.where) || Object.keys(item.where).length === 0)
      r.fail(`${path}.where`, item.where, 'a non-empty object { "<feature>|tags.<name>|version": value }');
    else {
      where = {};
      for (const [key, value] of Object.entries(item.where)) {
        const known = key === 'version' || /^tags\.[A-Za-z0-9_.-]+$/.test(key) || featureOf(context, key);
        if (!known)
          r.fail(
            `${path}.where.${key}`,
            value,
            `a feature (${names(context)}), tags.<name> or version as key`,
          );
        else if (!['string', 'number', 'boolean'].includes(typeof value))
          r.fail(`${path}.where.${key}`, value, 'a string, number or boolean');
        else where[key] = value as string | number | boolean;
      }
    }
  }
  const tags = r.stringRecord(item, path, 'tags');
  const version =
    item.version === undefined ? undefined : r.string(item, path, 'version', 'a non-empty string');
  const feature = (type?: 'numeric' | 'categorical'): string | undefined => {
    const name = item.feature;
    const f = typeof name === 'string' ? featureOf(context, name) : undefined;
    if (!f) return r.fail(`${path}.feature`, name, `a feature name (${names(context)})`);
    if (type && f.type !== type) return r.fail(`${path}.feature`, name, `a ${type} feature for ${kind}`);
    return f.name;
  };
  const base = {
    from: days?.from as string,
    to: days?.to as string,
    fraction: fraction as number,
    where,
    tags,
    version,
  };
  let incident: Incident | undefined;
  switch (kind) {
    case 'scale':
    case 'shift': {
      const f = feature('numeric');
      const key = kind === 'scale' ? 'factor' : 'by';
      const v = r.number(item, path, key, () => true, 'a finite number');
      incident =
        kind === 'scale'
          ? { ...base, kind, feature: f as string, factor: v as number }
          : { ...base, kind, feature: f as string, by: v as number };
      break;
    }
    case 'nulls':
      incident = { ...base, kind, feature: feature() as string };
      break;
    case 'category-remap': {
      const f = feature('categorical');
      const mapping = r.stringRecord(item, path, 'mapping');
      if (item.mapping === undefined) r.fail(`${path}.mapping`, undefined, 'an object { "<from>": "<to>" }');
      incident = { ...base, kind, feature: f as string, mapping: mapping as Record<string, string> };
      break;
    }
    case 'label-flip': {
      const from = r.number(item, path, 'fromLabel', (v) => v === 0 || v === 1, '0 or 1');
      const to = r.number(item, path, 'toLabel', (v) => v === 0 || v === 1, '0 or 1');
      if (from !== undefined && from === to)
        r.fail(`${path}.toLabel`, to, `the other label than fromLabel (${from})`);
      incident = { ...base, kind, fromLabel: from as 0 | 1, toLabel: to as 0 | 1 };
      break;
    }
    case 'latency': {
      if (item.addMs === undefined && item.factor === undefined)
        r.fail(`${path}.addMs`, undefined, 'addMs (≥ 0) or factor (> 0), or both');
      const addMs = r.number(item, path, 'addMs', (v) => v >= 0, 'a number of milliseconds ≥ 0', 0);
      const factor = r.number(item, path, 'factor', (v) => v > 0, 'a number > 0', 1);
      incident = { ...base, kind, addMs: addMs as number, factor: factor as number };
      break;
    }
  }
  if (r.issues.length > before) return undefined;
  if (incident.where === undefined) delete incident.where;
  if (incident.tags === undefined) delete incident.tags;
  if (incident.version === undefined) delete incident.version;
  return incident;
}

function featureOf(context: ScenarioContext, name: string): ScenarioFeature | undefined {
  return context.features.find((f) => f.name === name);
}

function names(context: ScenarioContext): string {
  return context.features.map((f) => f.name).join(', ');
}

/** Validates a scenario and returns it; throws `PLB_ERR_INVALID_INPUT` listing every problem. */
export function parseScenario(raw: unknown, context: ScenarioContext, source = 'scenario'): Scenario {
  const result = validateScenario(raw, context);
  if (result.ok) return result.scenario;
  const first = result.issues[0];
  throw errors.invalidInput(
    `${source}: ${result.issues.length} problem(s), first at ${first.field} (expected ${first.expected})`,
    result.issues,
  );
}
