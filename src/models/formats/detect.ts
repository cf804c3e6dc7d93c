/**
 * Recognises a model file from its content (never its name) and reads it with the right reader:
 * native `plumbline-gbdt` JSON, XGBoost JSON (`{"learner": …}`) or LightGBM text (`tree` header,
 * `Tree=0` blocks).
 */
import { errors } from '../../errors.js';
import type { TreeModel } from '../types.js';
import { readLightgbmText } from './lightgbm-text.js';
import { readNativeModel } from './native.js';
import { readXgboostJson } from './xgboost-json.js';

/** The model file formats Plumbline reads. */
export type ModelFormat = 'plumbline-gbdt' | 'xgboost-json' | 'lightgbm-text';

/** Detects the format of a model file's text; throws `PLB_ERR_INVALID_MODEL` when it is none of them. */
export function detectModelFormat(text: string): ModelFormat {
  const head = text.slice(0, 4096);
  if (head.includes('\u0000')) {
    throw errors.invalidModel(
      'model file is binary (XGBoost UBJSON/deprecated binary or LightGBM binary?): save it as XGBoost JSON or LightGBM text',
    );
  }
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{')) {
    if (/"format"\s*:\s*"plumbline-gbdt"/.test(text)) return 'plumbline-gbdt';
    if (/^\{\s*"learner"\s*:/.test(trimmed) || /"learner"\s*:\s*\{/.test(text)) return 'xgboost-json';
    throw errors.invalidModel(
      'unknown model format: JSON but neither plumbline-gbdt nor XGBoost (no "learner")',
    );
  }
  if (/^tree\r?\n/.test(trimmed) || /^Tree=\d+/m.test(text)) return 'lightgbm-text';
  throw errors.invalidModel(
    'unknown model format (expected plumbline-gbdt JSON, XGBoost JSON or LightGBM text)',
    [
      {
        field: 'model',
        value: trimmed.slice(0, 40),
        expected: 'a plumbline-gbdt, XGBoost JSON or LightGBM text model',
      },
    ],
  );
}

/** Reads a model file's text in whichever supported format it is (`format` when already detected). */
export function parseModel(text: string, format: ModelFormat = detectModelFormat(text)): TreeModel {
  switch (format) {
    case 'plumbline-gbdt':
      return readNativeModel(text);
    case 'xgboost-json':
      return readXgboostJson(text);
    case 'lightgbm-text':
      return readLightgbmText(text);
  }
}
