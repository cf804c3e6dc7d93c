import { describe, expect, it } from 'vitest';
import { yTicks } from '../../web/src/format.js';

describe('yTicks (chart y labels)', () => {
  it('tells small ticks apart, where 3 fixed decimals would read 0, 0, 0', () => {
    expect(yTicks(null, [0, 0.00025, 0.0005, 0.00075, 0.001])).toEqual([
      '0',
      '0.00025',
      '0.0005',
      '0.00075',
      '0.001',
    ]);
  });
  it('groups thousands and drops float noise', () => {
    expect(yTicks(null, [0, 1000, 2000, 12345.6])).toEqual(['0', '1,000', '2,000', '12,346']);
    expect(yTicks(null, [0.1 + 0.2, 1.25, -0.5])).toEqual(['0.3', '1.25', '-0.5']);
  });
});
