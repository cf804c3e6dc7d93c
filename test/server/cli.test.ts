import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerModels } from '../../src/cli/commands/models.js';
import { detectFormat, registerVersions } from '../../src/cli/commands/versions.js';
import { assertSafeBind, createApiKey, isLoopback } from '../../src/server/auth.js';
import { callApi } from '../../src/server/call.js';
import { modelBody } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bind safety', () => {
  it.each([
    ['127.0.0.1', 0, true],
    ['127.3.2.1', 0, true],
    ['localhost', 0, true],
    ['::1', 0, true],
    ['0.0.0.0', 0, false],
    ['192.168.1.5', 0, false],
    ['0.0.0.0', 1, true],
  ])('%s with %i keys → allowed %s', (host, keys, allowed) => {
    if (allowed) expect(() => assertSafeBind(host, keys)).not.toThrow();
    else expect(() => assertSafeBind(host, keys)).toThrow(/refusing to listen/);
  });
  it('isLoopback rejects look-alikes', () => {
    expect(isLoopback('127.0.0.1.evil.com')).toBe(false);
    expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
  });
});

describe('api keys', () => {
  it('creates distinct keys that store only a hash, and validates scopes', () => {
    const a = createApiKey(['ingest'], 1);
    const b = createApiKey(['ingest'], 1);
    expect(a.secret).toMatch(/^plb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.secret).not.toContain(a.key.hash);
    expect(() => createApiKey(['root' as never], 1)).toThrow(RangeError);
    expect(() => createApiKey([], 1)).toThrow(RangeError);
  });
});

describe('cli through the API', () => {
  it('creates, lists and shows models on a DuckDB file, with catalogue errors', async () => {
    const db = join(dir, 'cli.duckdb');
    await callApi({ db }, 'POST', '/v1/models', modelBody);
    const out: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((s: string) => out.push(s) > 0) as typeof process.stdout.write;
    try {
      const program = new Command().exitOverride();
      registerModels(program);
      registerVersions(program);
      await program.parseAsync(['node', 'plumbline', 'models', 'list', '--db', db]);
      const artifact = join(dir, 'model.json');
      writeFileSync(artifact, '{"format":"plumbline-gbdt","trees":[]}');
      await program.parseAsync([
        'node',
        'plumbline',
        'versions',
        'add',
        '--model',
        'flights',
        '--artifact',
        artifact,
        '--db',
        db,
      ]);
    } finally {
      process.stdout.write = write;
    }
    expect(out[0]).toBe('flights\n');
    expect(JSON.parse(out[1])).toMatchObject({ outcome: 'created', version: { format: 'plumbline-gbdt' } });
    await expect(callApi({ db }, 'GET', '/v1/models/none')).rejects.toMatchObject({
      code: 'PLB_ERR_NOT_FOUND',
      statusCode: 404,
      issues: [{ field: 'model', value: 'none', expected: 'a created model' }],
    });
  });
  it('detects artifact formats', () => {
    expect(detectFormat(Buffer.from('{"format":"plumbline-gbdt"}'))).toBe('plumbline-gbdt');
    expect(detectFormat(Buffer.from('{"learner":{}}'))).toBe('xgboost-json');
    expect(detectFormat(Buffer.from('tree\nversion=v4\n'))).toBe('lightgbm-text');
    expect(detectFormat(Buffer.from('PK\u0003\u0004'))).toBeUndefined();
  });
});
