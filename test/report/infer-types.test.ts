import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, reportStages } from '../../src/cli/progress.js';
import {
  inferColumnType,
  inferTypes,
  parseTypeOverrides,
  readKindFor,
} from '../../src/report/infer-types.js';
import { closeMatches, editDistance } from '../../src/report/plan-columns.js';

describe('inferColumnType', () => {
  it.each([
    ['DOUBLE', 'numeric'],
    ['BIGINT', 'numeric'],
    ['DECIMAL(10,2)', 'numeric'],
    ['TINYINT', 'numeric'], // few distinct integers stay numeric (documented rule)
    ['BOOLEAN', 'boolean'],
    ['TIMESTAMP', 'datetime'],
    ['TIMESTAMP WITH TIME ZONE', 'datetime'],
    ['DATE', 'datetime'],
    ['VARCHAR', 'categorical'],
    ['TIME', 'categorical'],
  ])('%s → %s', (sqlType, expected) => {
    expect(inferColumnType(sqlType)).toBe(expected);
  });

  it('reads booleans as categories', () => {
    expect(readKindFor('boolean')).toBe('categorical');
    expect(readKindFor('numeric')).toBe('numeric');
  });
});

describe('overrides', () => {
  it('merges --numeric, --categorical and --types (last wins), trimming blanks', () => {
    const o = parseTypeOverrides({ numeric: 'a, b', categorical: 'c,', types: 'b=categorical, d=datetime' });
    expect([...o]).toEqual([
      ['a', 'numeric'],
      ['b', 'categorical'],
      ['c', 'categorical'],
      ['d', 'datetime'],
    ]);
    const types = inferTypes(
      [
        { name: 'a', sqlType: 'VARCHAR' },
        { name: 'b', sqlType: 'BIGINT' },
        { name: 'e', sqlType: 'BIGINT' },
      ],
      o,
    );
    expect([...types]).toEqual([
      ['a', 'numeric'],
      ['b', 'categorical'],
      ['e', 'numeric'],
    ]);
  });

  it('keeps = inside column names and rejects unknown types', () => {
    expect(parseTypeOverrides({ types: 'x=y=numeric' }).get('x=y')).toBe('numeric');
    expect(() => parseTypeOverrides({ types: 'x=int' })).toThrow(/x=int/);
    expect(() => parseTypeOverrides({ types: 'numeric' })).toThrow(TypeError);
  });
});

describe('close matches for unknown columns', () => {
  it('ranks substrings and small edit distances', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('Age', 'age')).toBe(0);
    expect(closeMatches('ageing', ['age', 'income', 'plan'])).toEqual(['age']);
    expect(closeMatches('incme', ['age', 'income', 'plan'])).toEqual(['income']);
    expect(closeMatches('zzz', ['age', 'income'])).toEqual([]);
  });
});

describe('createProgress', () => {
  const stream = (isTTY: boolean) => {
    const s = new PassThrough() as PassThrough & { isTTY: boolean; columns: number };
    s.isTTY = isTTY;
    s.columns = 80;
    let text = '';
    s.on('data', (d) => (text += d));
    return { s: s as unknown as NodeJS.WriteStream, text: () => text };
  };

  it('is silent when the stream is not a terminal, or with quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ]) {
      const out = stream(tty);
      const p = createProgress(reportStages, { stream: out.s, quiet });
      p.stage('drift');
      p.stop();
      expect(out.text()).toBe('');
    }
  });

  it('draws the stage names on a terminal', () => {
    const out = stream(true);
    const p = createProgress(reportStages, { stream: out.s });
    p.stage('reading');
    p.stop();
    expect(out.text()).toContain('plumbline');
  });
});
