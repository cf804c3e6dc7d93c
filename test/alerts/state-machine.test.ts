import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/alerts/conditions.js';
import { applyVerdict, newAlert } from '../../src/alerts/state-machine.js';
import type { AlertInstance, AlertStatus } from '../../src/alerts/types.js';
import { HOUR, rule } from './helpers.js';

const yes: Verdict = { kind: 'ok', holds: true, smoothed: 1, baseline: null, reason: 'bad' };
const no: Verdict = { kind: 'ok', holds: false, smoothed: 0, baseline: null, reason: 'good' };
const none: Verdict = { kind: 'insufficient', reason: 'n = 3' };

function instance(over: Partial<AlertInstance>): AlertInstance {
  return { ...newAlert(rule(), 'fp', {}), ...over };
}

// Each row: the state before, the rule's for/keepFiringFor (hours), the verdict at `at` (hours)
// → the state after and the transitions' targets.
const rows: {
  name: string;
  before: Partial<AlertInstance>;
  forH: number;
  keepH: number;
  verdict: Verdict;
  at: number;
  after: AlertStatus;
  moves: AlertStatus[];
}[] = [
  {
    name: 'inactive + holds, for 0 → firing at once',
    before: {},
    forH: 0,
    keepH: 0,
    verdict: yes,
    at: 1,
    after: 'firing',
    moves: ['pending', 'firing'],
  },
  {
    name: 'inactive + holds, for 2h → pending',
    before: {},
    forH: 2,
    keepH: 0,
    verdict: yes,
    at: 1,
    after: 'pending',
    moves: ['pending'],
  },
  {
    name: 'pending 1h of 2h + holds → pending',
    before: { status: 'pending', activeAtMs: 1 * HOUR, lastTrueAtMs: 1 * HOUR },
    forH: 2,
    keepH: 0,
    verdict: yes,
    at: 2,
    after: 'pending',
    moves: [],
  },
  {
    name: 'pending 2h of 2h + holds → firing',
    before: { status: 'pending', activeAtMs: 1 * HOUR, lastTrueAtMs: 2 * HOUR },
    forH: 2,
    keepH: 0,
    verdict: yes,
    at: 3,
    after: 'firing',
    moves: ['firing'],
  },
  {
    name: 'pending + clears → inactive (flap suppressed)',
    before: { status: 'pending', activeAtMs: 1 * HOUR },
    forH: 2,
    keepH: 0,
    verdict: no,
    at: 2,
    after: 'inactive',
    moves: ['inactive'],
  },
  {
    name: 'pending + no data → pending',
    before: { status: 'pending', activeAtMs: 1 * HOUR },
    forH: 2,
    keepH: 0,
    verdict: none,
    at: 2,
    after: 'pending',
    moves: [],
  },
  {
    name: 'firing + no data → firing (never resolves on missing data)',
    before: { status: 'firing', activeAtMs: HOUR, firedAtMs: HOUR, lastTrueAtMs: HOUR },
    forH: 0,
    keepH: 0,
    verdict: none,
    at: 5,
    after: 'firing',
    moves: [],
  },
  {
    name: 'inactive + no data → inactive (never fires on missing data)',
    before: {},
    forH: 0,
    keepH: 0,
    verdict: none,
    at: 5,
    after: 'inactive',
    moves: [],
  },
  {
    name: 'firing + clears, keepFiringFor 0 → resolved',
    before: { status: 'firing', activeAtMs: HOUR, firedAtMs: HOUR, lastTrueAtMs: HOUR },
    forH: 0,
    keepH: 0,
    verdict: no,
    at: 2,
    after: 'resolved',
    moves: ['resolved'],
  },
  {
    name: 'firing + clears within keepFiringFor → firing',
    before: { status: 'firing', activeAtMs: HOUR, firedAtMs: HOUR, lastTrueAtMs: HOUR },
    forH: 0,
    keepH: 2,
    verdict: no,
    at: 2,
    after: 'firing',
    moves: [],
  },
  {
    name: 'firing + clears after keepFiringFor → resolved',
    before: { status: 'firing', activeAtMs: HOUR, firedAtMs: HOUR, lastTrueAtMs: HOUR, clearSinceMs: HOUR },
    forH: 0,
    keepH: 2,
    verdict: no,
    at: 3,
    after: 'resolved',
    moves: ['resolved'],
  },
  {
    name: 'firing + holds → firing',
    before: { status: 'firing', activeAtMs: HOUR, firedAtMs: HOUR, lastTrueAtMs: HOUR },
    forH: 0,
    keepH: 0,
    verdict: yes,
    at: 2,
    after: 'firing',
    moves: [],
  },
  {
    name: 'resolved + holds, for 0 → firing again',
    before: { status: 'resolved', resolvedAtMs: HOUR },
    forH: 0,
    keepH: 0,
    verdict: yes,
    at: 2,
    after: 'firing',
    moves: ['pending', 'firing'],
  },
  {
    name: 'resolved + clears → resolved',
    before: { status: 'resolved', resolvedAtMs: HOUR },
    forH: 0,
    keepH: 0,
    verdict: no,
    at: 2,
    after: 'resolved',
    moves: [],
  },
  {
    name: 'inactive + clears → inactive',
    before: {},
    forH: 0,
    keepH: 0,
    verdict: no,
    at: 2,
    after: 'inactive',
    moves: [],
  },
];

describe('applyVerdict (state machine table)', () => {
  for (const r of rows) {
    it(r.name, () => {
      const { alert, transitions } = applyVerdict({
        alert: instance(r.before),
        rule: { forMs: r.forH * HOUR, keepFiringForMs: r.keepH * HOUR, severity: 'critical' },
        verdict: r.verdict,
        atMs: r.at * HOUR,
      });
      expect(alert.status).toBe(r.after);
      expect(transitions.map((t) => t.to)).toEqual(r.moves);
      for (const t of transitions) expect(t.atMs).toBe(r.at * HOUR);
    });
  }

  it('opens an episode on firing and closes it on resolution', () => {
    const r = { forMs: 0, keepFiringForMs: 0, severity: 'warning' as const };
    const fired = applyVerdict({ alert: instance({}), rule: r, verdict: yes, atMs: HOUR }).alert;
    expect(fired.episodes).toEqual([
      {
        activeAtMs: HOUR,
        firedAtMs: HOUR,
        resolvedAtMs: null,
        acknowledgedAtMs: null,
        notifiedAtMs: null,
        escalations: [],
        severity: 'warning',
      },
    ]);
    const resolved = applyVerdict({ alert: fired, rule: r, verdict: no, atMs: 3 * HOUR }).alert;
    expect(resolved.episodes[0].resolvedAtMs).toBe(3 * HOUR);
    expect(resolved.resolvedAtMs).toBe(3 * HOUR);
    expect(resolved.history.map((t) => `${t.from}>${t.to}`)).toEqual([
      'inactive>pending',
      'pending>firing',
      'firing>resolved',
    ]);
  });

  it('counts insufficient windows and resets the run on data', () => {
    const r = { forMs: 0, keepFiringForMs: 0, severity: 'warning' as const };
    let a = applyVerdict({ alert: instance({}), rule: r, verdict: none, atMs: HOUR }).alert;
    a = applyVerdict({ alert: a, rule: r, verdict: none, atMs: 2 * HOUR }).alert;
    expect(a.insufficientRun).toBe(2);
    a = applyVerdict({ alert: a, rule: r, verdict: no, atMs: 3 * HOUR }).alert;
    expect(a.insufficientRun).toBe(0);
  });
});
