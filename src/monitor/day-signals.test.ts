/**
 * Day windows against the reference's days (day-baseline.ts wired through the reference profile
 * and computeWindowSignals): a weekday effect on the scores and a calendar feature must not flag,
 * a label problem and a real shift must.
 */
import { describe, expect, it } from 'vitest';
import { syntheticModel } from '../../test/support/synthetic-model.js';
import { createRng } from '../stats/random.js';
import type { EventColumns, MetricPoint, Model } from '../store/store.js';
import { buildReferenceProfile } from './reference-profile.js';
import { computeWindowSignals } from './signals.js';

const DAY = 86_400_000;
const model: Model = syntheticModel({
  id: 'm',
  features: [
    { name: 'weekday', type: 'numeric' },
    { name: 'x', type: 'numeric' },
    { name: 'cat', type: 'categorical' },
  ],
  segments: ['cat'],
});

/** `days` days of `perDay` rows; day d has weekday d % 7, which moves the score a lot. */
function makeRows(
  days: number,
  perDay: number,
  seed: number,
  opts: { shift?: number; flip?: number; flipCat?: number } = {},
) {
  const rng = createRng(seed);
  const n = days * perDay;
  const timeMs = new Float64Array(n);
  const weekday = new Float64Array(n);
  const x = new Float64Array(n);
  const score = new Float64Array(n);
  const label = new Int8Array(n);
  const predicted = new Int8Array(n);
  const cat = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    cat[i] = i % 3;
    const d = Math.floor(i / perDay);
    timeMs[i] = d * DAY + ((i % perDay) * DAY) / perDay;
    weekday[i] = d % 7;
    x[i] = rng.normal() + (opts.shift ?? 0);
    score[i] = 1 / (1 + Math.exp(-(-2 + 0.5 * weekday[i] + (x[i] - (opts.shift ?? 0)))));
    label[i] = rng.next() < score[i] ? 1 : 0;
    const flip = opts.flipCat === undefined || opts.flipCat === cat[i] ? (opts.flip ?? 0) : 0;
    if (label[i] === 0 && rng.next() < flip) label[i] = 1;
    predicted[i] = score[i] >= 0.5 ? 1 : 0;
  }
  return { n, timeMs, weekday, x, score, label, predicted, cat };
}

function columns(r: ReturnType<typeof makeRows>): EventColumns {
  const zeros = new Float64Array(r.n);
  return {
    n: r.n,
    timeMs: r.timeMs,
    score: r.score,
    latencyMs: zeros,
    weight: zeros,
    predicted: r.predicted,
    label: r.label,
    labelDelayMs: zeros,
    labelReceivedMs: zeros,
    version: { kind: 'dictionary', codes: new Int32Array(r.n), dictionary: ['v1'] },
    features: {
      weekday: { kind: 'numeric', values: r.weekday },
      x: { kind: 'numeric', values: r.x },
      cat: { kind: 'dictionary', codes: r.cat, dictionary: ['a', 'b', 'c'] },
    },
    tags: {},
  };
}

const ref = makeRows(14, 1500, 1);
const profile = buildReferenceProfile(model, {
  id: 'ref',
  n: ref.n,
  features: {
    weekday: { kind: 'numeric', values: ref.weekday },
    x: { kind: 'numeric', values: ref.x },
    cat: { kind: 'dictionary', codes: ref.cat, dictionary: ['a', 'b', 'c'] },
  },
  score: ref.score,
  label: ref.label,
  predicted: ref.predicted,
  timeMs: ref.timeMs,
});

type Opts = { shift?: number; flip?: number; flipCat?: number };

/** The signals of day `day` (weekday day % 7) of fresh rows: segment 'all', or `cat=a` given the all gap. */
function signalsOf(
  seed: number,
  day: number,
  opts: Opts = {},
  segment = 'all',
  parentGap?: number,
): MetricPoint[] {
  const rows = makeRows(day + 1, 1500, seed, opts);
  const c = columns(rows);
  const all = Array.from({ length: 1500 }, (_, k) => day * 1500 + k);
  const idx = Int32Array.from(segment === 'all' ? all : all.filter((i) => rows.cat[i] === 0));
  return computeWindowSignals({
    model,
    columns: c,
    rows: idx,
    window: { size: 'day', startMs: day * DAY },
    version: '*',
    segment,
    profile,
    family: 3,
    ...(parentGap !== undefined ? { parentGap } : {}),
  });
}
const get = (ps: MetricPoint[], metric: string) => ps.find((p) => p.metric === metric) as MetricPoint;

describe('day windows against the reference days', () => {
  it('profiles 14 reference days', () => {
    expect(profile.days?.days).toBe(14);
    expect(profile.days?.metrics.get('all')?.positive_rate).toHaveLength(14);
  });

  it('does not flag a weekday (its scores, positive rate, calendar feature) on unchanged data', () => {
    for (const day of [0, 3, 6]) {
      const ps = signalsOf(100 + day, day);
      for (const m of [
        'positive_rate',
        'score_drift',
        'drift.weekday',
        'drift.x',
        'accuracy_gap',
        'accuracy',
      ])
        expect(get(ps, m).significant, `${m} on weekday ${day}`).toBe(false);
    }
  });

  it('flags the labels disagreeing with the scores (accuracy_gap) when half the negatives flip', () => {
    const ps = signalsOf(200, 3, { flip: 0.5 });
    expect(get(ps, 'accuracy_gap')).toMatchObject({ significant: true });
    expect(get(ps, 'accuracy_gap').value as number).toBeLessThan(-0.15);
    // the scores did not move: nothing label-free fires
    expect(get(ps, 'score_drift').significant).toBe(false);
  });

  it('flags a shifted feature beyond every reference day', () => {
    const ps = signalsOf(300, 2, { shift: 1.5 });
    const x = get(ps, 'drift.x');
    expect(x.significant).toBe(true);
    expect((x.detail as { dayLimit: number }).dayLimit).toBeLessThan(x.value as number);
    expect(get(ps, 'drift.weekday').significant).toBe(false);
  });

  it('flags a segment whose labels go wrong alone, not every segment when all of them do', () => {
    const gapOf = (ps: MetricPoint[]) => get(ps, 'accuracy_gap').value as number;
    const alone = { flip: 0.6, flipCat: 0 };
    const aloneAll = gapOf(signalsOf(400, 3, alone));
    const seg = get(signalsOf(400, 3, alone, 'cat=a', aloneAll), 'accuracy_gap');
    expect(seg.significant).toBe(true);
    const everywhere = { flip: 0.6 };
    const allPoints = signalsOf(401, 3, everywhere);
    expect(get(allPoints, 'accuracy_gap').significant).toBe(true); // the model-wide alert's
    const segAll = get(signalsOf(401, 3, everywhere, 'cat=a', gapOf(allPoints)), 'accuracy_gap');
    expect(segAll.value as number).toBeLessThan(-0.15); // its own gap is as bad …
    expect(segAll.significant).toBe(false); // … but no worse than the whole window's
  });

  it('hour windows: missing and unseen categories from the codes, Wilson-bounded', () => {
    const rows = makeRows(1, 400, 500);
    const c = columns(rows);
    const cat = c.features.cat as { kind: 'dictionary'; codes: Int32Array; dictionary: string[] };
    cat.dictionary = ['a', 'b', 'c', 'zz'];
    for (let i = 0; i < 400; i++) if (i % 10 === 0) cat.codes[i] = -1;
    for (let i = 0; i < 400; i++) if (i % 10 === 5) cat.codes[i] = 3;
    const ps = computeWindowSignals({
      model,
      columns: c,
      rows: Int32Array.from({ length: 400 }, (_, i) => i),
      window: { size: 'hour', startMs: 0 },
      version: '*',
      segment: 'all',
      profile,
    });
    expect(get(ps, 'missing_rate.cat')).toMatchObject({ value: 0.1, n: 400, significant: true });
    const unseen = get(ps, 'new_category_rate.cat');
    expect(unseen).toMatchObject({
      value: 40 / 360,
      n: 360,
      significant: true,
      detail: { examples: ['zz'] },
    });
    expect(get(ps, 'missing_rate.x')).toMatchObject({ value: 0, significant: false });
  });
});
