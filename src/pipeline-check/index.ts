/** `plumbline/pipeline-check`: the pipeline-change investigation (pure checks and their verdicts). */
export * from './check-pipeline.js';
export * from './leakage.js';
export * from './paired.js';
export * from './population.js';
export * from './render-html.js';
export * from './schema.js';
export * from './shap-shift.js';
export * from './table.js';
export * from './transforms.js';
export * from './types.js';
