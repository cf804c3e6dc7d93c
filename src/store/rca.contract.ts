/**
 * Contract suite of the RCA report table; every store adapter runs it (`runRcaStoreContract`).
 * Checks the round trip (JSON kept as sent), replacement by id, per-model scoping and the order
 * and limit of listings.
 */
import { describe, expect, it } from 'vitest';
import { freshStorePerTest } from './contract-support.js';
import type { RcaReportRow, Store } from './store.js';

const report = (id: string, model: string, createdAtMs: number): RcaReportRow => ({
  id,
  model,
  createdAtMs,
  trigger: { metric: 'error_rate', alertId: 'a1b2', segment: { origin: 'ORD' } },
  window: { fromMs: 86_400_000, toMs: 2 * 86_400_000 },
  baseline: { fromMs: 0, toMs: 86_400_000 },
  report: {
    hypotheses: [{ kind: 'pipeline', subject: { tag: { pipeline: 'v2' } }, score: 0.8, evidence: [] }],
    caveats: ['small segments — wide intervals'],
    window: { n: 16_000, errorRate: 0.21 },
  },
});

/** Runs the RCA-table contract against stores made by `make` (each test gets a fresh store). */
export function runRcaStoreContract(name: string, make: () => Promise<Store>): void {
  describe(`rca store contract: ${name}`, () => {
    const fresh = freshStorePerTest(make);

    it('reports round-trip and are scoped by model', async () => {
      const s = await fresh();
      expect(await s.getRcaReport('m', 'r1')).toBeUndefined();
      await s.insertRcaReport(report('r1', 'm', 10));
      expect(await s.getRcaReport('m', 'r1')).toEqual(report('r1', 'm', 10));
      expect(await s.getRcaReport('other', 'r1')).toBeUndefined();
      expect(await s.queryRcaReports('other')).toEqual([]);
    });

    it('a report with the same id is replaced', async () => {
      const s = await fresh();
      await s.insertRcaReport(report('r1', 'm', 10));
      await s.insertRcaReport({ ...report('r1', 'm', 10), report: { hypotheses: [] } });
      expect((await s.getRcaReport('m', 'r1'))?.report).toEqual({ hypotheses: [] });
      expect(await s.queryRcaReports('m')).toHaveLength(1);
    });

    it('lists newest first, with a limit', async () => {
      const s = await fresh();
      await s.insertRcaReport(report('r1', 'm', 10));
      await s.insertRcaReport(report('r3', 'm', 30));
      await s.insertRcaReport(report('r2', 'm', 20));
      await s.insertRcaReport(report('x', 'n', 40));
      expect((await s.queryRcaReports('m')).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
      expect((await s.queryRcaReports('m', { limit: 2 })).map((r) => r.id)).toEqual(['r3', 'r2']);
    });
  });
}
