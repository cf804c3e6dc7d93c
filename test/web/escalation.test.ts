/** The alert page's escalation steps (web/src/escalation.ts): levels reached, when, and who was told. */
import { describe, expect, it } from 'vitest';
import type { Episode, Notification } from '../../src/alerts/types.js';
import { escalationSteps } from '../../web/src/escalation.js';

const MIN = 60_000;
const episode = (over: Partial<Episode>): Episode => ({
  activeAtMs: 0,
  firedAtMs: 0,
  resolvedAtMs: null,
  acknowledgedAtMs: null,
  notifiedAtMs: null,
  escalations: [],
  severity: 'critical',
  ...over,
});
const policy = {
  id: 'default',
  levels: [
    { targets: ['slack'], timeoutMs: 15 * MIN },
    { targets: ['pager'], timeoutMs: 30 * MIN },
    { targets: ['manager'] },
  ],
};

describe('escalationSteps', () => {
  it('lists each episode newest first: level 0 when notified, then each level reached, with the policy targets', () => {
    const a = {
      fingerprint: 'f1',
      episodes: [
        episode({ firedAtMs: 0, notifiedAtMs: 1 * MIN, acknowledgedAtMs: 5 * MIN }),
        episode({
          firedAtMs: 100 * MIN,
          notifiedAtMs: 101 * MIN,
          escalations: [
            { level: 1, atMs: 116 * MIN },
            { level: 2, atMs: 146 * MIN },
          ],
        }),
      ],
    };
    expect(escalationSteps(a, policy, [])).toEqual([
      { firedAtMs: 100 * MIN, level: 0, atMs: 101 * MIN, targets: ['slack'], acknowledgedAtMs: null },
      { firedAtMs: 100 * MIN, level: 1, atMs: 116 * MIN, targets: ['pager'], acknowledgedAtMs: null },
      { firedAtMs: 100 * MIN, level: 2, atMs: 146 * MIN, targets: ['manager'], acknowledgedAtMs: null },
      { firedAtMs: 0, level: 0, atMs: 1 * MIN, targets: ['slack'], acknowledgedAtMs: 5 * MIN },
    ]);
  });

  it('without a known policy takes the targets of the notification that carried the level; unnotified: fired time', () => {
    const sent = [
      {
        id: 'n1',
        atMs: 20 * MIN,
        reason: 'escalated',
        groupKey: 'g',
        status: 'firing',
        targets: ['pager', 'slack'],
        alerts: [{ fingerprint: 'f1', escalationLevel: 1 }],
      },
    ] as unknown as Notification[];
    const a = {
      fingerprint: 'f1',
      episodes: [episode({ firedAtMs: 3 * MIN, escalations: [{ level: 1, atMs: 20 * MIN }] })],
    };
    expect(escalationSteps(a, undefined, sent).map((s) => [s.level, s.atMs, s.targets])).toEqual([
      [0, 3 * MIN, []],
      [1, 20 * MIN, ['pager', 'slack']],
    ]);
  });
});
