/**
 * Training benchmark: Plumbline's histogram GBDT vs XGBoost `hist` (1.7.4), both single-threaded,
 * on the same flights features (written once by `scripts/export-flights-features.ts` to a temp dir
 * both read). Reports both wall and CPU times (binning + training, excluding data loading; CPU time is
 * the fairer figure on a loaded machine), the ratios
 * (target ≤ 2×) and both test ROC-AUCs.
 *
 *   node --import tsx bench/train.ts [rows|dates] [trees] [depth]
 *   defaults: rows (train = first 1 M flights, test = next 200 k), 200 trees, depth 6, eta 0.3.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportFlightsFeatures, readFlightsFeatures } from '../scripts/export-flights-features.js';
import { compileModel } from '../src/models/compile.js';
import { rocAucFromScores } from '../src/models/gbdt/eval-metrics.js';
import { trainGbdt } from '../src/models/gbdt/train.js';
import { predictMargins } from '../src/models/predict.js';

const split = (process.argv[2] ?? 'rows') as 'rows' | 'dates';
const trees = Number(process.argv[3] ?? 200);
const depth = Number(process.argv[4] ?? 6);
const eta = 0.3;

const dir = mkdtempSync(join(tmpdir(), 'plumbline-bench-train-'));
try {
  await exportFlightsFeatures(dir, split);
  const data = readFlightsFeatures(dir);
  const n = data.train.label.length;
  process.stdout.write(
    `data: ${n} train rows, ${data.test.label.length} test rows, ${data.features.length} features\n`,
  );

  const xgb = JSON.parse(
    execFileSync(
      '/usr/bin/python3',
      [join(import.meta.dirname, 'xgb_train.py'), dir, String(trees), String(depth), String(eta)],
      {
        encoding: 'utf8',
      },
    ),
  ) as { seconds: number; cpuSeconds: number; auc: number; xgboost: string };

  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = trainGbdt(
    { features: data.features, columns: data.train.columns, label: data.train.label },
    { nTrees: trees, maxDepth: depth, eta, maxBin: 256, seed: 0 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const c1 = process.cpuUsage(c0);
  const cpuSeconds = (c1.user + c1.system) / 1e6;
  const auc = rocAucFromScores(
    predictMargins(compileModel(result.model), data.test.columns),
    data.test.label,
  );

  const ratio = seconds / xgb.seconds;
  process.stdout.write(
    [
      `trees=${trees} depth=${depth} eta=${eta} split=${split}`,
      `plumbline: ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU, test AUC ${auc.toFixed(5)}`,
      `xgboost ${xgb.xgboost} hist nthread=1: ${xgb.seconds.toFixed(2)} s wall, ${xgb.cpuSeconds.toFixed(2)} s CPU, test AUC ${xgb.auc.toFixed(5)}`,
      `ratio plumbline/xgboost: ${ratio.toFixed(2)}x wall, ${(cpuSeconds / xgb.cpuSeconds).toFixed(2)}x CPU (target <= 2x); AUC difference ${(auc - xgb.auc).toFixed(5)}`,
    ].join('\n') + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
