/**
 * Evaluation metrics the trainer reports and early-stops on, computed from margins.
 * Kept here (rather than importing `src/metrics`) so the trainer has no dependency
 * beyond `models/`; both are checked against scikit-learn in the tests.
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

/**
 * ROC-AUC (Mann–Whitney U / (n₊·n₋), ties counted ½, as sklearn `roc_auc_score`); NaN when
 * one class is absent. Sorts the positive and negative scores separately (native numeric sort)
 * and merges: O(n log n).
 */
export function rocAucFromScores(scores: Float64Array, labels: ArrayLike<number>): number {
  let nPos = 0;
  for (let i = 0; i < scores.length; i++) if (labels[i] === 1) nPos++;
  const nNeg = scores.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  let a = 0;
  let b = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] === 1) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  // For each positive: negatives strictly below + ½ · negatives equal.
  let u = 0;
  let below = 0;
  let equalEnd = 0;
  for (let i = 0; i < nPos; i++) {
    const s = pos[i];
    while (below < nNeg && neg[below] < s) below++;
    if (equalEnd < below) equalEnd = below;
    while (equalEnd < nNeg && neg[equalEnd] === s) equalEnd++;
    u += below + (equalEnd - below) / 2;
  }
  return u / (nPos * nNeg);
}
