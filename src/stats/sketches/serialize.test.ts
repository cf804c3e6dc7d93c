import { describe, expect, it } from 'vitest';
import { FrequentItems } from './frequent-items.js';
import { HyperLogLog } from './hyperloglog.js';
import { KllSketch } from './kll.js';
import { sketchFromJSON } from './serialize.js';

describe('sketchFromJSON', () => {
  it('restores each sketch type from stored JSON text', () => {
    const kll = new KllSketch();
    kll.updateMany([3, 1, 2]);
    const hll = new HyperLogLog();
    hll.addMany(['a', 'b']);
    const top = new FrequentItems<string>({ k: 2 });
    top.addMany(['x', 'x', 'y']);
    const stored = JSON.stringify([kll, hll, top]);
    const [k2, h2, t2] = JSON.parse(stored).map(sketchFromJSON);
    expect(k2).toBeInstanceOf(KllSketch);
    expect((k2 as KllSketch).quantile(0.5)).toBe(2);
    expect(h2).toBeInstanceOf(HyperLogLog);
    expect((h2 as HyperLogLog).registers()).toEqual(hll.registers());
    expect(t2).toBeInstanceOf(FrequentItems);
    expect((t2 as FrequentItems<string>).topK()).toEqual(top.topK());
  });

  it('rejects unknown types', () => {
    expect(() => sketchFromJSON({ type: 'tdigest' } as never)).toThrow(/invalid sketch JSON: type "tdigest"/);
    expect(() => sketchFromJSON(null as never)).toThrow(TypeError);
  });
});
