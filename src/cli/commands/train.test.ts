import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PlumblineError } from '../../errors.js';
import { modelContentHash, readNativeModel } from '../../models/formats/native.js';
import { runTrain, type TrainCommandOptions } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'plumbline-train-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Rows where y = 1 mostly when x > 5 or plan = 'c'; x missing on every 20th row. */
function writeCsv(name: string, n: number, offset: number): string {
  const lines = ['x,plan,y'];
  for (let i = 0; i < n; i++) {
    const x = (((i + offset) * 7919) % 1000) / 100;
    const plan = 'abcde'[(i * 31 + offset) % 5];
    const noise = ((i + offset) * 104729) % 10 < 1;
    const y = (x > 5 || plan === 'c') !== noise ? 'yes' : 'no';
    lines.push(`${i % 20 === 0 ? '' : x.toFixed(2)},${plan},${y}`);
  }
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const trainPath = writeCsv('train.csv', 1500, 0);
const validPath = writeCsv('valid.csv', 500, 1500);
const base: TrainCommandOptions = {
  data: trainPath,
  label: 'y',
  positive: 'yes',
  out: join(dir, 'model.json'),
  trees: 20,
  depth: 3,
  eta: 0.3,
  seed: 0,
  quiet: true,
};

async function run(options: Partial<TrainCommandOptions>): Promise<string> {
  let out = '';
  await runTrain(
    { ...base, ...options },
    { stdout: { write: (t: string) => (out += t) }, stderr: process.stderr },
  );
  return out;
}

describe('plumbline train', () => {
  it('writes a native model with categorical dictionaries and prints the metrics', async () => {
    const out = await run({ valid: validPath });
    expect(out).toMatch(/^trained 20 trees on 1500 rows × 2 features .* valid log loss [\d.]+ AUC 0\.9\d+/);
    const text = readFileSync(base.out, 'utf8');
    const file = { format: JSON.parse(text).format as string, model: readNativeModel(text) };
    expect(file.format).toBe('plumbline-gbdt');
    expect(out).toContain(`content hash ${modelContentHash(file.model)}`);
    expect(file.model.features.map((f) => f.type)).toEqual(['numeric', 'categorical']);
    expect([...(file.model.features[1].categories ?? [])].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(file.model.trees.length).toBe(20);
    // DuckDB may read yes/no as BOOLEAN ('true'/'false'); --positive yes names either form.
    expect(['yes', 'true']).toContain((file.model.source.label as { positive: string }).positive);
  });

  it('is reproducible: the same data and seed give the same file', async () => {
    await run({ out: join(dir, 'a.json'), seed: 3 });
    await run({ out: join(dir, 'b.json'), seed: 3 });
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
  });

  it('passes sampling and growth options through to the trainer', async () => {
    const path = join(dir, 'opts.json');
    await run({ out: path, subsample: 0.5, colsample: 0.5, lambda: 2, minChildWeight: 3, maxLeaves: 5 });
    const model = readNativeModel(readFileSync(path, 'utf8'));
    expect(model.source.params).toMatchObject({
      subsample: 0.5,
      colsampleBytree: 0.5,
      lambda: 2,
      minChildWeight: 3,
      growPolicy: 'lossguide',
      maxLeaves: 5,
    });
    for (const t of model.trees) expect(t.left.filter((l) => l === -1).length).toBeLessThanOrEqual(5);
  });

  it('stops early with --valid and --early-stopping', async () => {
    const out = await run({
      valid: validPath,
      trees: 300,
      eta: 1,
      earlyStopping: 3,
      out: join(dir, 'es.json'),
    });
    const kept = Number(/^trained (\d+) trees/.exec(out)?.[1]);
    expect(kept).toBeLessThan(300);
  });

  it('rejects an unknown label column and a label without two classes', async () => {
    await expect(run({ label: 'nope' })).rejects.toMatchObject({ code: 'PLB_ERR_UNKNOWN_COLUMN' });
    await expect(run({ label: 'plan', positive: undefined })).rejects.toBeInstanceOf(PlumblineError);
    await expect(run({ earlyStopping: 3 })).rejects.toThrow(/--valid/);
  });
});
