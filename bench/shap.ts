/**
 * TreeSHAP throughput: Plumbline's Linear TreeSHAP against XGBoost 1.7.4 `pred_contribs`
 * (fresh DMatrix each run), both single-threaded and timed in CPU seconds (best of 2), on the same 2 000 rows of seeded synthetic
 * data, for 500-tree models of depth 6 and 8 trained by bench/xgb_anchor.py. Target: >= 1.5×.
 *
 *     node --import tsx bench/shap.ts
 */
import { treeShap } from '../src/models/shap/linear.js';
import { best, loadBench, runAnchor } from './xgb-data.js';

const ROWS = 2000;
const REPEATS = 2;

for (const model of ['d6', 'd8']) {
  const { compiled, cols } = loadBench(model, ROWS);
  treeShap(
    compiled,
    cols.map((col) => col.subarray(0, 100)),
  ); // JIT warm-up
  const ours = best(REPEATS, () => treeShap(compiled, cols));
  const theirs = runAnchor('shap', model, String(ROWS), String(REPEATS));
  let checksum = 0;
  for (const row of ours.result.values) for (const v of row) checksum += v;
  console.log(
    `${model} (500 trees, ${compiled.nNodes} nodes, depth ${compiled.maxDepth}), ${ROWS} rows: ` +
      `plumbline ${ours.seconds.toFixed(3)} s, xgboost pred_contribs ${theirs.seconds.toFixed(3)} s, ` +
      `speed-up ${(theirs.seconds / ours.seconds).toFixed(2)}× (checksums ${checksum.toFixed(3)} vs ${theirs.checksum.toFixed(3)})`,
  );
}
