/**
 * The result returned instead of a statistic when there is too little data
 * (an empty sample, a table with no counts): a result, never an exception.
 */

/** Too little data to compute a statistic; `n` is the number of usable observations. */
export interface InsufficientData {
  status: 'insufficient_data';
  /** Usable observations (the smaller sample for two-sample tests). */
  n: number;
}

/** Builds an InsufficientData result. */
export function insufficientData(n: number): InsufficientData {
  return { status: 'insufficient_data', n };
}
