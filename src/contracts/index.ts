/** Feature contracts: record a reference batch, check later batches, assert parity in tests. */
export * from './contract.js';
