/**
 * Writes the pipeline-change cases (test/pipeline-check/flights-cases.ts) as CSV files, for trying
 * `plumbline check-pipeline` and `plumbline contract` by hand and for the README examples:
 *   node --import tsx scripts/make-pipeline-cases.ts OUT_DIR [STEP]
 * OUT_DIR gets features_jan.csv (the reference pipeline), features_km.csv, features_origin.csv,
 * features_leak.csv (each one known change), features_jun.csv (another month), raw_jan.csv, raw_jun.csv.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureColumnData } from '../src/pipeline-check/types.js';
import * as cases from '../test/pipeline-check/flights-cases.js';

const { toCsv } = cases;

async function main(): Promise<void> {
  const [out, step = '5'] = process.argv.slice(2);
  if (!out) throw new Error('usage: make-pipeline-cases.ts OUT_DIR [STEP]');
  mkdirSync(out, { recursive: true });
  const { jan, jun, originDictionary } = await cases.loadCaseData(Number(step));
  const base = cases.featuresOf(jan, originDictionary);
  const files: [string, FeatureColumnData[]][] = [
    ['features_jan.csv', base],
    ['features_km.csv', cases.distanceInKm(base)],
    ['features_origin.csv', cases.shuffledOrigin(base, originDictionary.length, 1)],
    ['features_leak.csv', cases.withArrivalDelay(base, jan, 2)],
    ['features_jun.csv', cases.featuresOf(jun, originDictionary, 1e6)],
    ['raw_jan.csv', cases.rawOf(jan)],
    ['raw_jun.csv', cases.rawOf(jun, 1e6)],
  ];
  for (const [name, table] of files) writeFileSync(join(out, name), toCsv(table));
  process.stdout.write(`wrote ${files.length} files (${jan.n} and ${jun.n} rows) to ${out}\n`);
}

await main();
