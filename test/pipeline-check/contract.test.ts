import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  type Contract,
  checkContract,
  expectFeatureParity,
  generateContract,
} from '../../src/contracts/contract.js';
import type { FeatureColumnData } from '../../src/pipeline-check/types.js';
import { createRng } from '../../src/stats/random.js';

const STATES = ['CA', 'TX', 'NY', 'IL', 'FL'];

/** A batch: distance (miles, log-normal), an integer-coded origin (Zipf-like), a state label, an id. */
function batch(seed: number, n = 4000): FeatureColumnData[] {
  const rng = createRng(seed);
  const weights = Array.from({ length: 12 }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((s, w) => s + w, 0);
  const code = () => {
    let u = rng.next() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  };
  return [
    { name: 'id', kind: 'numeric', values: Float64Array.from({ length: n }, (_, i) => seed * 1e6 + i) },
    {
      name: 'distance',
      kind: 'numeric',
      values: Float64Array.from({ length: n }, () => Math.round(Math.exp(6.3 + 0.6 * rng.normal()))),
    },
    { name: 'origin', kind: 'numeric', values: Float64Array.from({ length: n }, code) },
    {
      name: 'state',
      kind: 'categorical',
      values: Array.from({ length: n }, () => STATES[Math.min(4, Math.floor(rng.next() * 5))]),
    },
  ];
}

const replace = (t: FeatureColumnData[], c: FeatureColumnData) => t.map((x) => (x.name === c.name ? c : x));
const options = { exclude: ['id'], maxCodes: 50 };

describe('feature contracts', () => {
  const reference = batch(1);
  const contract = generateContract(reference, options);

  it('records types, encodings, null rates, quantiles and categories', () => {
    expect(Object.keys(contract.features)).toEqual(['distance', 'origin', 'state']);
    expect(contract.features.distance.type).toBe('numeric');
    expect(contract.features.origin).toMatchObject({ type: 'categorical', encoding: 'codes' });
    expect(contract.features.state).toMatchObject({ type: 'categorical', encoding: 'labels', nullRate: 0 });
    const d = contract.features.distance;
    if (d.type !== 'numeric') throw new Error('expected numeric');
    // exp(6.3) ≈ 545: the median of the log-normal, within sampling noise
    expect(Math.abs(d.quantiles.p50 / 545 - 1)).toBeLessThan(0.05);
  });

  it('survives a YAML round trip and accepts another batch of the same pipeline', () => {
    const text = stringify(contract);
    const back = parse(text) as Contract;
    expect(back).toEqual(contract);
    expect(checkContract(back, batch(2))).toEqual([]);
  });

  it('flags distance in km with the unit named', () => {
    const d = reference.find((c) => c.name === 'distance')!.values as Float64Array;
    const v = checkContract(
      contract,
      replace(batch(2), { name: 'distance', kind: 'numeric', values: d.map((x) => x * 1.609344) }),
    );
    const q = v.find((x) => x.rule === 'quantile');
    expect(q?.feature).toBe('distance');
    expect(q?.message).toContain('miles → km');
    expect(v.every((x) => x.feature === 'distance')).toBe(true);
  });

  it('flags re-encoded category codes', () => {
    const o = batch(2).find((c) => c.name === 'origin')!.values as Float64Array;
    const v = checkContract(
      contract,
      replace(batch(2), { name: 'origin', kind: 'numeric', values: o.map((x) => 11 - x) }),
    );
    expect(v.map((x) => [x.feature, x.rule])).toEqual([['origin', 'category-shares']]);
    expect(v[0].message).toContain('re-encoded');
  });

  it('flags nulls, unseen categories, missing columns and type changes', () => {
    const b = batch(2);
    const d = b.find((c) => c.name === 'distance')!.values as Float64Array;
    const withNulls = replace(b, {
      name: 'distance',
      kind: 'numeric',
      values: d.map((x, i) => (i % 10 === 0 ? Number.NaN : x)),
    });
    expect(checkContract(contract, withNulls).map((x) => x.rule)).toEqual(['null-rate']);
    const s = b.find((c) => c.name === 'state')!.values as string[];
    const unseen = replace(b, {
      name: 'state',
      kind: 'categorical',
      values: s.map((x) => (x === 'CA' ? 'California' : x)),
    });
    const rules = checkContract(contract, unseen).map((x) => x.rule);
    expect(rules).toContain('unseen-categories');
    expect(
      checkContract(
        contract,
        b.filter((c) => c.name !== 'state'),
      ),
    ).toMatchObject([{ feature: 'state', rule: 'missing-column' }]);
    const typed = replace(b, { name: 'distance', kind: 'categorical', values: Array.from(d, String) });
    expect(checkContract(contract, typed)).toMatchObject([{ feature: 'distance', rule: 'type' }]);
  });

  it('expectFeatureParity passes for parity and throws listing every violation', () => {
    expect(() => expectFeatureParity(reference, batch(3), options)).not.toThrow();
    const d = reference.find((c) => c.name === 'distance')!.values as Float64Array;
    const broken = replace(
      replace(batch(3), { name: 'distance', kind: 'numeric', values: d.map((x) => x * 1000) }),
      { name: 'state', kind: 'categorical', values: Array.from({ length: 4000 }, () => null) },
    );
    expect(() => expectFeatureParity(reference, broken, options)).toThrow(
      /feature parity violated \(\d+ issues\):[\s\S]*distance:[\s\S]*state: null rate 100\.0%/,
    );
  });

  it('rejects a file that is not a contract', () => {
    expect(() => checkContract({ version: 2 } as unknown as Contract, reference)).toThrow(TypeError);
  });
});

// Oracle: NumPy (scripts/fixtures-contracts.py). Statistics are stored to 10 significant digits,
// so agreement is checked at 1e-9 relative.
describe('contract statistics against NumPy', () => {
  const fixture = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'fixtures', 'contracts.json'), 'utf8'),
  );
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  for (const c of fixture.numeric as {
    name: string;
    values: (number | null)[];
    nullRate: number;
    mean: number;
    std: number;
    min: number;
    max: number;
    quantiles: Record<string, number>;
  }[]) {
    it(`numeric: ${c.name}`, () => {
      const values = Float64Array.from(c.values, (v) => (v === null ? Number.NaN : v));
      const spec = generateContract([{ name: 'x', kind: 'numeric', values }]).features.x;
      if (spec.type !== 'numeric') throw new Error('expected numeric');
      expect(rel(spec.nullRate, c.nullRate)).toBeLessThan(1e-9);
      expect(rel(spec.mean, c.mean)).toBeLessThan(1e-9);
      expect(rel(spec.std, c.std)).toBeLessThan(1e-9);
      expect(spec.min).toBe(c.min);
      expect(spec.max).toBe(c.max);
      for (const [label, q] of Object.entries(c.quantiles))
        expect(rel(spec.quantiles[label], q)).toBeLessThan(1e-9);
    });
  }
  it('categorical shares and null rate', () => {
    const cat = fixture.categorical as {
      values: (string | null)[];
      nullRate: number;
      shares: Record<string, number>;
    };
    const spec = generateContract([{ name: 'c', kind: 'categorical', values: cat.values }]).features.c;
    if (spec.type !== 'categorical') throw new Error('expected categorical');
    expect(rel(spec.nullRate, cat.nullRate)).toBeLessThan(1e-9);
    for (const [k, s] of Object.entries(cat.shares)) expect(rel(spec.categories[k], s)).toBeLessThan(1e-9);
  });
});
