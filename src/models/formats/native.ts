/**
 * Plumbline's native model file: JSON `{ format: 'plumbline-gbdt', formatVersion: 1, ...TreeModel,
 * contentHash }`. The serialisation is canonical — object keys sorted, no whitespace, numbers in
 * ECMAScript's shortest round-trip form, −0 written as 0 — so the same model always gives the same
 * bytes, and `contentHash` is the SHA-256 (hex) of the canonical JSON of everything but the hash
 * itself (format header, features, trees and source/lineage). Hashing is pure computation.
 */
import { createHash } from 'node:crypto';
import { errors } from '../../errors.js';
import type { TreeModel } from '../types.js';
import { validateTreeModel } from '../validate.js';

/** The `format` value of native files. */
export const NATIVE_FORMAT = 'plumbline-gbdt';
/** The native format version this code writes and reads. */
export const NATIVE_FORMAT_VERSION = 1;

/** JSON with sorted keys and no whitespace; throws TypeError on non-finite numbers. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TypeError(`invalid number in model: ${value} (expected a finite number)`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  throw new TypeError(`invalid value in model: ${String(value)} (expected JSON data)`);
}

function body(model: TreeModel): Record<string, unknown> {
  const {
    format: _f,
    formatVersion: _v,
    contentHash: _h,
    ...rest
  } = model as TreeModel & Record<string, unknown>;
  return { format: NATIVE_FORMAT, formatVersion: NATIVE_FORMAT_VERSION, ...rest };
}

/** SHA-256 (hex) of the model's canonical JSON, as stored in `contentHash`. */
export function modelContentHash(model: TreeModel): string {
  return createHash('sha256')
    .update(canonicalJson(body(model)))
    .digest('hex');
}

/** Serialises a model to the canonical native format with its content hash. */
export function writeNativeModel(model: TreeModel): string {
  validateTreeModel(model);
  const content = body(model);
  const contentHash = createHash('sha256').update(canonicalJson(content)).digest('hex');
  return canonicalJson({ ...content, contentHash });
}

/** Reads a native model file, checking its header, structure and (when present) content hash. */
export function readNativeModel(text: string): TreeModel {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw errors.invalidModel(`native model: not valid JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== NATIVE_FORMAT) {
    throw errors.invalidModel(`native model: "format" must be "${NATIVE_FORMAT}"`, [
      { field: 'format', value: parsed?.format, expected: NATIVE_FORMAT },
    ]);
  }
  if (parsed.formatVersion !== NATIVE_FORMAT_VERSION) {
    throw errors.invalidModel(`native model: unsupported formatVersion ${String(parsed.formatVersion)}`, [
      { field: 'formatVersion', value: parsed.formatVersion, expected: String(NATIVE_FORMAT_VERSION) },
    ]);
  }
  const { format: _f, formatVersion: _v, contentHash, ...model } = parsed;
  if (!Array.isArray(model.trees) || !Array.isArray(model.features)) {
    throw errors.invalidModel('native model: "trees" and "features" must be arrays', [
      { field: 'trees', expected: 'an array of trees' },
    ]);
  }
  const tree = validateTreeModel(model as unknown as TreeModel);
  if (contentHash !== undefined) {
    const actual = modelContentHash(tree);
    if (contentHash !== actual) {
      throw errors.invalidModel(
        `native model: content hash mismatch (file says ${String(contentHash)}, content hashes to ${actual})`,
        [{ field: 'contentHash', value: contentHash, expected: actual }],
      );
    }
  }
  return tree;
}
