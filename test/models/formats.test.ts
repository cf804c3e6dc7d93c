/** Native format round trip, content hashing and format detection across the three formats. */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/models/compile.js';
import { detectModelFormat, parseModel } from '../../src/models/formats/detect.js';
import {
  canonicalJson,
  modelContentHash,
  readNativeModel,
  writeNativeModel,
} from '../../src/models/formats/native.js';
import { predictMargins } from '../../src/models/predict.js';
import { fixtureText, readCases, toColumns } from './fixtures.js';

describe('native format', () => {
  const model = parseModel(fixtureText('xgb-cat.model.json'));
  const text = writeNativeModel(model);

  it('round-trips a model with identical predictions and identical bytes', () => {
    const back = readNativeModel(text);
    expect(writeNativeModel(back)).toBe(text);
    const cases = readCases('xgb-cat.cases.json');
    const a = predictMargins(compileModel(model), toColumns(cases.rows));
    const b = predictMargins(compileModel(back), toColumns(cases.rows));
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('writes sorted keys and a SHA-256 content hash that changes with the content', () => {
    const parsed = JSON.parse(text);
    expect(parsed.format).toBe('plumbline-gbdt');
    expect(parsed.formatVersion).toBe(1);
    expect(parsed.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.contentHash).toBe(modelContentHash(model));
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    const edited = structuredClone(model);
    edited.trees[0].value[edited.trees[0].left.indexOf(-1)] += 1e-12;
    expect(modelContentHash(edited)).not.toBe(parsed.contentHash);
    expect(canonicalJson({ b: -0, a: [1.5, null] })).toBe('{"a":[1.5,null],"b":0}');
  });

  it('rejects a tampered file, a wrong version and a corrupt tree', () => {
    expect(() => readNativeModel(text.replace('"baseMargin":', '"baseMargin":1e-3+'))).toThrow(
      'not valid JSON',
    );
    const parsed = JSON.parse(text);
    parsed.baseMargin += 1;
    expect(() => readNativeModel(JSON.stringify(parsed))).toThrow('content hash mismatch');
    parsed.formatVersion = 2;
    expect(() => readNativeModel(JSON.stringify(parsed))).toThrow('unsupported formatVersion 2');
    const corrupt = JSON.parse(text);
    delete corrupt.contentHash;
    corrupt.trees[1].right[0] = 999;
    expect(() => readNativeModel(JSON.stringify(corrupt))).toThrow(
      'tree 1 node 0: right child 999 out of range',
    );
  });
});

describe('detectModelFormat', () => {
  it('recognises each format from content', () => {
    expect(detectModelFormat(fixtureText('xgb-d3-500.model.json'))).toBe('xgboost-json');
    expect(detectModelFormat(fixtureText('lgb-small.model.txt'))).toBe('lightgbm-text');
    expect(detectModelFormat(writeNativeModel(parseModel(fixtureText('lgb-small.model.txt'))))).toBe(
      'plumbline-gbdt',
    );
  });

  it('gives a clear error for unknown and binary files', () => {
    expect(() => detectModelFormat('a,b,c\n1,2,3\n')).toThrow('unknown model format');
    expect(() => detectModelFormat('{"hello": 1}')).toThrow('neither plumbline-gbdt nor XGBoost');
    expect(() => detectModelFormat('{L\u0000\u0000\u0007learner')).toThrow('binary');
  });
});
