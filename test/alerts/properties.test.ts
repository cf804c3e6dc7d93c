import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/alerts/evaluate.js';
import type { AlertRule, AlertState } from '../../src/alerts/types.js';
import { DAY, rule, series, T0 } from './helpers.js';

// Random daily series: a value in [0.5, 0.9] or null (insufficient data).
const values = fc.array(fc.option(fc.double({ min: 0.5, max: 0.9, noNaN: true }), { nil: null }), {
  minLength: 1,
  maxLength: 30,
});
const timing = fc.record({ forD: fc.integer({ min: 0, max: 3 }), keepD: fc.integer({ min: 0, max: 3 }) });
const strip = (s: AlertState) =>
  Object.values(s.alerts).map((a) => ({
    ...a,
    escalation: null,
    episodes: a.episodes.map((e) => ({ ...e, escalations: [], notifiedAtMs: null })),
  }));

describe('evaluateAlerts properties', () => {
  it('evaluating in chunks (any split) gives the same state as evaluating everything at once', () => {
    fc.assert(
      fc.property(values, timing, fc.integer({ min: 1, max: 7 }), (vs, t, chunk) => {
        const rules: AlertRule[] = [rule({ forMs: t.forD * DAY, keepFiringForMs: t.keepD * DAY })];
        const pts = series(vs);
        const once = evaluateAlerts({ rules, points: pts, now: T0 + vs.length * DAY });
        let state: AlertState | undefined;
        for (let i = 0; i < pts.length; i += chunk)
          state = evaluateAlerts({
            rules,
            points: pts.slice(i, i + chunk),
            previous: state,
            now: T0 + (i + chunk) * DAY,
          }).state;
        expect(strip(state as AlertState)).toEqual(strip(once.state));
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('a window without data never changes the status', () => {
    fc.assert(
      fc.property(values, timing, (vs, t) => {
        const rules = [rule({ forMs: t.forD * DAY, keepFiringForMs: t.keepD * DAY })];
        const { transitions } = evaluateAlerts({ rules, points: series(vs), now: T0 + vs.length * DAY });
        const noData = new Set(vs.flatMap((v, d) => (v === null ? [T0 + (d + 1) * DAY] : [])));
        for (const tr of transitions) expect(noData.has(tr.atMs)).toBe(false);
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('fires only after the condition held for `for`, and episodes never overlap', () => {
    fc.assert(
      fc.property(values, timing, (vs, t) => {
        const rules = [rule({ forMs: t.forD * DAY, keepFiringForMs: t.keepD * DAY })];
        const { state } = evaluateAlerts({ rules, points: series(vs), now: T0 + vs.length * DAY });
        const a = Object.values(state.alerts)[0];
        let lastEnd = Number.NEGATIVE_INFINITY;
        for (const e of a?.episodes ?? []) {
          expect(e.firedAtMs - e.activeAtMs).toBeGreaterThanOrEqual(t.forD * DAY);
          expect(e.activeAtMs).toBeGreaterThan(lastEnd);
          if (e.resolvedAtMs !== null) {
            expect(e.resolvedAtMs).toBeGreaterThan(e.firedAtMs);
            lastEnd = e.resolvedAtMs;
          }
        }
      }),
      { numRuns: 150, seed: 13 },
    );
  });
});
