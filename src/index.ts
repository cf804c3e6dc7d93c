/** Plumbline's curated public API. Subpaths: `plumbline/stats`, `plumbline/metrics`, `plumbline/drift`. */
export * from './errors.js';
