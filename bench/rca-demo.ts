/**
 * RCA on a one-day window of the flights demo, as the server runs it when an alert fires: the
 * stored events of 2001-03-10 (the scale incident's first day, ~15 k events) against (a) the day
 * before (~17 k) and (b) the seasonal baseline, the same weekday of the three weeks before (~44 k),
 * read from a copy of a finished demo's DuckDB file (never the original), SHAP on up to 2 000 rows
 * per side. Times the store read and the analysis (`runRca`) separately, best of 3 after a warm-up.
 * Target (issue #7): under 5 s. Anchor (bench/rca_demo_anchor.py, /usr/bin/python3) on the same rows:
 * XGBoost pred_contribs on 2 × 2 000 rows (a model of the demo's shape trained on the baseline rows;
 * XGBoost cannot load the demo's Plumbline GBDT), SciPy KS/χ² per feature and pandas level-1/2
 * slice group-bys with a z-test each: the comparable core, not a whole RCA.
 *
 *     node --import tsx bench/rca-demo.ts [demo.duckdb]   # default /tmp/demo1/plumbline.duckdb
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRcaInput } from '../src/cli/commands/rca.js';
import { type RcaWindow, runRca } from '../src/rca/run-rca.js';
import { createDuckDbStore } from '../src/store/duckdb/duckdb-store.js';

const source = process.argv[2] ?? '/tmp/demo1/plumbline.duckdb';
if (!existsSync(source)) {
  process.stderr.write(`no demo database at ${source}: run \`plumbline demo --no-serve --out DIR\` first\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'plumbline-rca-demo-'));
const db = join(dir, 'demo.duckdb');
copyFileSync(source, db);
if (existsSync(`${source}.wal`)) copyFileSync(`${source}.wal`, `${db}.wal`);
const store = await createDuckDbStore({ path: db });
const DAY = 86_400_000;
const from = Date.UTC(2001, 2, 10);
const cases = [
  { name: 'the previous day', ranges: [{ fromMs: from - DAY, toMs: from }] },
  {
    name: 'the same weekday of the 3 weeks before',
    ranges: [1, 2, 3].map((k) => ({ fromMs: from - 7 * k * DAY, toMs: from - (7 * k - 1) * DAY })),
  },
];
const best = (xs: number[]) => Math.min(...xs).toFixed(2);

/** Writes a window as rows of float64: features (model order), label, score, pipeline (1 = v2). */
function writeRows(path: string, w: RcaWindow, names: string[]): number {
  const n = w.timeMs.length;
  const width = names.length + 3;
  const out = new Float64Array(n * width);
  for (let r = 0; r < n; r++) {
    names.forEach((f, j) => {
      out[r * width + j] = w.columns[f][r];
    });
    out[r * width + names.length] = w.labels[r];
    out[r * width + names.length + 1] = w.scores[r];
    out[r * width + names.length + 2] = w.tags?.pipeline?.[r] === 'v2' ? 1 : 0;
  }
  writeFileSync(path, Buffer.from(out.buffer));
  return n;
}

try {
  for (const c of cases) {
    const options = {
      model: 'flights-delay',
      db,
      from,
      to: from + DAY,
      baselineRanges: c.ranges,
      metric: 'error_rate',
      seed: 0,
      format: 'json' as const,
    };
    runRca(await readRcaInput(store, options)); // warm-up (JIT, DuckDB caches)
    const read: number[] = [];
    const analyse: number[] = [];
    const cpu: number[] = [];
    let out: ReturnType<typeof runRca> | undefined;
    let input = await readRcaInput(store, options);
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      input = await readRcaInput(store, options);
      const t1 = performance.now();
      const c0 = process.cpuUsage();
      out = runRca(input);
      const c1 = process.cpuUsage(c0);
      read.push((t1 - t0) / 1000);
      analyse.push((performance.now() - t1) / 1000);
      cpu.push((c1.user + c1.system) / 1e6);
    }
    const top = out?.hypotheses[0];
    const names = input.model.features.map((f) => f.name);
    const nCur = writeRows(join(dir, 'current.f64'), input.current, names);
    const nBase = writeRows(join(dir, 'baseline.f64'), input.baseline, names);
    const anchor = JSON.parse(
      execFileSync(
        '/usr/bin/python3',
        [
          join(import.meta.dirname, 'rca_demo_anchor.py'),
          dir,
          String(nCur),
          String(nBase),
          String(input.options?.threshold ?? 0.5),
          names.join(','),
          input.model.features
            .filter((f) => f.type === 'categorical')
            .map((f) => f.name)
            .join(','),
        ],
        { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } },
      ),
    ) as { seconds: number; cpuSeconds: number; shapSeconds: number; slices: number };
    const total = Math.min(...read.map((r, k) => r + analyse[k]));
    console.log(
      `RCA of 2001-03-10 (${nCur} events) against ${c.name} (${nBase} events): best of 3 read ${best(read)} s + runRca ${best(analyse)} s wall (${best(cpu)} s CPU) = ${total.toFixed(2)} s (target < 5 s); top ${top ? `${top.kind} ${JSON.stringify(top.subject)} ${top.score.toFixed(2)}` : 'none'}\n` +
        `  anchor core (xgboost pred_contribs ${anchor.shapSeconds.toFixed(3)} s + scipy tests + pandas ${anchor.slices} slices): ${anchor.seconds.toFixed(3)} s wall, ${anchor.cpuSeconds.toFixed(3)} s CPU; ratio runRca/anchor ${(Number(best(analyse)) / anchor.seconds).toFixed(2)}× wall`,
    );
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
