/**
 * Runs every benchmark (or those whose name contains one of the arguments), one after another,
 * each in its own process so that none warms up or slows down another.
 *
 *   npm run bench                 # all of them (about 15 minutes on an idle 2-core machine)
 *   npm run bench -- drift shap   # only bench/drift-suite.ts and bench/shap.ts
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Helpers shared by benchmarks, not benchmarks themselves.
const helpers = new Set(['run-all.ts', 'xgb-data.ts', 'ingest-server.ts']);
const filters = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !helpers.has(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`no benchmark matches ${filters.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
