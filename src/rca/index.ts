/** Root-cause analysis: slices, SHAP comparison, drift × importance, change alignment, ablation, hypotheses. */
export * from './ablation.js';
export * from './change-alignment.js';
export * from './charts.js';
export * from './concentration.js';
export * from './drift-importance.js';
export * from './hypotheses.js';
export * from './render-html.js';
export * from './render-text.js';
export * from './run-rca.js';
export * from './shap-shift.js';
export * from './slices.js';
