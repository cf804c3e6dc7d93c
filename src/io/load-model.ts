/**
 * The I/O edge for models: reads a model file from disk, detects its format from the content
 * and compiles it; and reads a data file's columns as the model's input features.
 */
import { readFile } from 'node:fs/promises';
import { errors } from '../errors.js';
import { type CompiledModel, compileModel } from '../models/compile.js';
import { detectModelFormat, type ModelFormat, parseModel } from '../models/formats/detect.js';
import type { TreeModel } from '../models/types.js';
import { isNumericSqlType, type TableInfo, type TableReader } from './read-table.js';

/** A model read from disk. */
export interface LoadedModel {
  path: string;
  format: ModelFormat;
  model: TreeModel;
  compiled: CompiledModel;
}

/** Reads a model file and parses it in whichever supported format it is; `field` names the option in errors. */
export async function readModelFile(
  path: string,
  field = '--model',
): Promise<{ format: ModelFormat; model: TreeModel }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw errors.fileNotFound(
      `cannot read model file: ${path}`,
      [{ field, value: path, expected: 'a readable file' }],
      {
        cause: err,
      },
    );
  }
  const format = detectModelFormat(text);
  return { format, model: parseModel(text, format) };
}

/** Reads, detects, validates and compiles a model file; throws `PLB_ERR_FILE_NOT_FOUND` or `PLB_ERR_INVALID_MODEL`. */
export async function loadModel(path: string): Promise<LoadedModel> {
  const { format, model } = await readModelFile(path);
  return { path, format, model, compiled: compileModel(model) };
}

/**
 * Reads the model's input features from an opened table, in model feature order: by column name,
 * or by position when the model has no feature names. Numbers stay numbers (empty CSV field or NULL
 * = NaN = missing). A text column for a categorical feature is mapped to codes through the model's
 * category labels (unknown labels are missing), or parsed as integer codes when the model has none (booleans as 1/0).
 * Throws `PLB_ERR_UNKNOWN_COLUMN` listing every model feature the file lacks.
 */
export async function readModelFeatures(
  reader: TableReader,
  info: TableInfo,
  c: CompiledModel,
): Promise<Float64Array[]> {
  const names = c.featureNames;
  let columns: string[];
  if (c.positional) {
    if (info.columns.length < names.length) {
      throw errors.unknownColumn(
        `the model needs ${names.length} columns (matched by position), the file has ${info.columns.length}`,
        [{ field: 'columns', value: info.columns.length, expected: `at least ${names.length} columns` }],
      );
    }
    columns = info.columns.slice(0, names.length).map((col) => col.name);
  } else {
    const present = new Set(info.columns.map((col) => col.name));
    const missing = names.filter((n) => !present.has(n));
    if (missing.length > 0) {
      throw errors.unknownColumn(
        `the data lacks model feature${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
        missing.map((n) => ({ field: n, expected: `a column named ${n} in ${info.path}` })),
      );
    }
    columns = names;
  }
  const types = new Map(info.columns.map((col) => [col.name, col.sqlType]));
  const specs = columns.map((name) => ({
    name,
    as: isNumericSqlType(types.get(name) ?? '') ? ('numeric' as const) : ('categorical' as const),
  }));
  const read = await reader.read(info, specs);
  return read.map((col, j) => {
    if (col.kind !== 'categorical') return col.values;
    const labels = c.featureCategories[j];
    const index = labels ? new Map(labels.map((label, code) => [label, code])) : undefined;
    return Float64Array.from(col.values, (v) => {
      if (v === null) return Number.NaN;
      if (index) return index.get(v) ?? Number.NaN;
      if (v === 'true' || v === 'false') return v === 'true' ? 1 : 0;
      const code = Number(v);
      return v.trim() !== '' && Number.isFinite(code) ? code : Number.NaN;
    });
  });
}
