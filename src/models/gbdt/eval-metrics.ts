/**
 * Log loss straight from margins, which the trainer reports and early-stops on (numerically
 * stable for large |margin|, no clipping). ROC-AUC comes from `src/metrics/roc-auc.ts`.
 */

/** Mean binary log loss from margins: mean of log(1 + e^m) − y·m (as sklearn `log_loss` on σ(m)). */
export function logLossFromMargins(margins: Float64Array, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < margins.length; i++) {
    const m = margins[i];
    s += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - labels[i] * m;
  }
  return s / margins.length;
}
