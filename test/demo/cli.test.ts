import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScenarioPath, readScenarioFile } from '../../src/cli/commands/demo.js';
import { formatError } from '../../src/errors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plumbline-demo-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('plumbline demo --scenario', () => {
  it('defaults to the shipped scenario', async () => {
    const s = await readScenarioFile(defaultScenarioPath());
    expect(s.replay).toEqual({ from: '2001-02-01', to: '2001-06-30', source: 'flights' });
    expect(s.incidents.map((i) => i.kind)).toEqual(['scale', 'nulls', 'label-flip', 'latency']);
  });

  it('names a missing file', async () => {
    await expect(readScenarioFile(join(dir, 'nope.json'))).rejects.toMatchObject({
      code: 'PLB_ERR_FILE_NOT_FOUND',
      issues: [{ field: '--scenario' }],
    });
  });

  it('rejects a file that is not JSON', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, '{ "seed": 7,');
    await expect(readScenarioFile(file)).rejects.toMatchObject({ code: 'PLB_ERR_INVALID_INPUT' });
  });

  it('lists every invalid field before anything runs', async () => {
    const file = join(dir, 'fields.json');
    await writeFile(
      file,
      JSON.stringify({
        train: { from: '2001-01-01', to: '2001-01-21' },
        reference: { from: '2001-01-22', to: '2001-01-31' },
        replay: { from: '2001-02-01', to: '2001-02-10' },
        incidents: [
          { kind: 'scale', feature: 'distance', factor: '2', from: '2001-02-02', to: '2001-02-03' },
        ],
      }),
    );
    const err = await readScenarioFile(file).catch((e: unknown) => e);
    expect(formatError(err)).toContain('incidents[0].factor: expected a finite number (got "2")');
  });
});
