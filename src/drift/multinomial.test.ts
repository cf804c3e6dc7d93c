import { describe, expect, it } from 'vitest';
import { binomialCoefficientLn, chiSquareSf } from '../stats/distributions.js';
import { createRng } from '../stats/random.js';
import { sampleBinomial, sampleMultinomial } from './multinomial.js';

// Goodness of fit of sampled frequencies to the exact pmf: Pearson chi-square over cells with an
// expected count ≥ 5 (the tail lumped into its neighbours' complement); the test fails when p < 1e-4.
// `sampledP` (default p) is the probability the draws are made with, to check that a bias is noticed.
function binomialFitPValue(trials: number, p: number, draws: number, seed: number, sampledP = p): number {
  const rng = createRng(seed);
  const observed = new Float64Array(trials + 1);
  for (let i = 0; i < draws; i++) observed[sampleBinomial(rng, trials, sampledP)]++;
  let chi2 = 0;
  let cells = 0;
  let restObserved = draws;
  let restExpected = draws;
  for (let k = 0; k <= trials; k++) {
    const e =
      draws * Math.exp(binomialCoefficientLn(trials, k) + k * Math.log(p) + (trials - k) * Math.log1p(-p));
    if (e < 5) continue;
    chi2 += (observed[k] - e) ** 2 / e;
    restObserved -= observed[k];
    restExpected -= e;
    cells++;
  }
  if (restExpected >= 5) {
    chi2 += (restObserved - restExpected) ** 2 / restExpected;
    cells++;
  }
  return chiSquareSf(chi2, cells - 1);
}

describe('sampleBinomial', () => {
  it('follows the binomial pmf below, at and far above the splitting size 32', () => {
    for (const [trials, p] of [
      [10, 0.3],
      [20, 0.85],
      [32, 0.5],
      [60, 0.2],
      [1000, 0.03],
      [5000, 0.5],
    ]) {
      expect(binomialFitPValue(trials, p, 20_000, trials)).toBeGreaterThan(1e-4);
    }
  });

  it('would notice a biased sampler (the fit test can fail)', () => {
    // the pmf of Bin(60, 0.2) against draws of Bin(60, 0.21)
    expect(binomialFitPValue(60, 0.2, 20_000, 1, 0.21)).toBeLessThan(1e-4);
  });

  it('has mean Np and variance Np(1−p) for a million trials (4 sd bands)', () => {
    const rng = createRng(9);
    const draws = 4000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < draws; i++) {
      const x = sampleBinomial(rng, 1_000_000, 0.1);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / draws;
    const variance = sumSq / draws - mean * mean;
    expect(Math.abs(mean - 100_000)).toBeLessThan(4 * Math.sqrt(90_000 / draws));
    expect(Math.abs(variance / 90_000 - 1)).toBeLessThan(4 * Math.sqrt(2 / draws));
  });

  it('handles the degenerate cases and rejects invalid arguments', () => {
    const rng = createRng(2);
    expect(sampleBinomial(rng, 0, 0.5)).toBe(0);
    expect(sampleBinomial(rng, 1000, 0)).toBe(0);
    expect(sampleBinomial(rng, 1000, 1)).toBe(1000);
    expect(() => sampleBinomial(rng, -1, 0.5)).toThrow(/trials: -1/);
    expect(() => sampleBinomial(rng, 10, 1.5)).toThrow(/p: 1.5/);
  });
});

describe('sampleMultinomial', () => {
  it('draws m in total with mean m·w_j/Σw per category', () => {
    const rng = createRng(4);
    const weights = [5, 0, 3, 2];
    const means = new Float64Array(4);
    const out = new Float64Array(4);
    for (let i = 0; i < 2000; i++) {
      sampleMultinomial(rng, 10_000, weights, out);
      expect(out[0] + out[1] + out[2] + out[3]).toBe(10_000);
      expect(out[1]).toBe(0);
      for (let j = 0; j < 4; j++) means[j] += out[j] / 2000;
    }
    // sd of a mean of 2000 draws of Bin(10 000, 0.5) is √2500/√2000 ≈ 1.1
    expect(Math.abs(means[0] - 5000)).toBeLessThan(5);
    expect(Math.abs(means[2] - 3000)).toBeLessThan(5);
    expect(Math.abs(means[3] - 2000)).toBeLessThan(5);
  });

  it('rejects weights that sum to 0', () => {
    expect(() => sampleMultinomial(createRng(1), 5, [0, 0], new Float64Array(2))).toThrow(/sum 0/);
  });
});
