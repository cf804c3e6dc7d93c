/** Alerting: rules, conditions, the state machine, silences, inhibition, escalation, grouping, notifiers, backtests. */
export * from './backtest.js';
export * from './conditions.js';
export * from './duration.js';
export * from './evaluate.js';
export * from './labels.js';
export * from './manager.js';
export * from './notifiers/deliver.js';
export * from './notifiers/payloads.js';
export * from './routing.js';
export * from './rules.js';
export * from './state-machine.js';
export * from './summary.js';
export * from './types.js';
