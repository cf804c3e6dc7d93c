/**
 * The CLI edges: `check-pipeline` reads CSV files, writes the JSON contract or the HTML page and sets
 * exit code 1 only for a failing check of severity error; `contract generate/check` round-trips a
 * YAML contract and reports violations per feature with exit code 1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCheckPipeline } from '../../src/cli/commands/check-pipeline.js';
import { runContractCheck, runContractGenerate } from '../../src/cli/commands/contract.js';
import type { FeatureColumnData } from '../../src/pipeline-check/types.js';
import { createRng } from '../../src/stats/random.js';
import { toCsv } from './flights-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function table(seed: number, n: number, scale = 1): FeatureColumnData[] {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n }, () => 100 + 20 * rng.normal());
  return [
    { name: 'id', kind: 'numeric', values: Float64Array.from({ length: n }, (_, i) => i) },
    { name: 'label', kind: 'numeric', values: x.map((v) => (v + 20 * rng.normal() > 110 ? 1 : 0)) },
    { name: 'x', kind: 'numeric', values: x.map((v) => v * scale) },
    {
      name: 'plan',
      kind: 'categorical',
      values: Array.from({ length: n }, () => (rng.next() < 0.3 ? 'pro' : 'free')),
    },
  ];
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  return {
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) } as unknown as NodeJS.WriteStream,
      setExitCode: (c: number) => {
        code = c;
      },
    },
    out: () => out.join(''),
    code: () => code,
  };
}

const write = (name: string, t: FeatureColumnData[]) => {
  const path = join(dir, name);
  writeFileSync(path, toCsv(t));
  return path;
};

describe('plumbline check-pipeline', () => {
  const before = write('before.csv', table(1, 2000));
  const after = write('after.csv', table(1, 2000, 1000));
  const base = { retrainSeeds: 0, seed: 0, shap: false };

  it('finds a ×1000 change on x, prints the JSON contract and exits 1', async () => {
    const c = capture();
    await runCheckPipeline({ ...base, before, after, key: 'id', label: 'label' }, c.io);
    const json = JSON.parse(c.out());
    expect(json.verdicts).toEqual(['preprocessing-bug']);
    expect(json.implicated).toEqual(['x']);
    for (const f of json.findings)
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['check', 'kind', 'feature', 'verdict', 'severity', 'evidence']),
      );
    expect(json.findings.find((f: { check: string }) => f.check === 'transform').evidence.ratio).toBe(1000);
    expect(c.code()).toBe(1);
  });

  it('writes a self-contained HTML page and exits 0 for a clean comparison', async () => {
    const c = capture();
    const out = join(dir, 'check.html');
    const result = await runCheckPipeline(
      { ...base, before, after: before, key: 'id', label: 'label', out },
      c.io,
    );
    expect(result.verdicts).toEqual(['no-material-change']);
    expect(c.code()).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('no-material-change');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });
});

describe('plumbline contract', () => {
  it('generate then check: ok for the same pipeline, per-feature failures with exit 1 otherwise', async () => {
    const reference = write('ref.csv', table(2, 3000));
    const contractPath = join(dir, 'contract.yaml');
    const g = capture();
    await runContractGenerate({ reference, out: contractPath, exclude: 'id,label', maxCodes: 0 }, g.io);
    const contract = parse(readFileSync(contractPath, 'utf8'));
    expect(Object.keys(contract.features)).toEqual(['x', 'plan']);

    const ok = capture();
    await runContractCheck(
      { contract: contractPath, data: write('b1.csv', table(3, 3000)), format: 'text' },
      ok.io,
    );
    expect(ok.out()).toMatch(/^ok: /);
    expect(ok.code()).toBe(0);

    const bad = capture();
    const violations = await runContractCheck(
      { contract: contractPath, data: write('b2.csv', table(3, 3000, 100)), format: 'text' },
      bad.io,
    );
    expect(bad.code()).toBe(1);
    expect(violations.every((v) => v.feature === 'x')).toBe(true);
    expect(bad.out()).toMatch(/FAIL: .* violates the contract[\s\S]*✗ x: p05 .*percent/);
  });

  it('rejects a file that is not a contract', async () => {
    const path = join(dir, 'not-a-contract.yaml');
    writeFileSync(path, 'hello: 1\n');
    await expect(
      runContractCheck({ contract: path, data: path, format: 'text' }, capture().io),
    ).rejects.toThrow(/invalid contract/);
  });
});
