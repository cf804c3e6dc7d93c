/**
 * Class labels: encoding arbitrary labels (numbers or strings) to dense indices,
 * in the order scikit-learn uses (`np.unique`: sorted ascending), and binarising
 * a binary target against its positive label.
 */

/** A class label: a number or a string (not mixed within one call). */
export type Label = number | string;

/** Labels encoded as dense indices into `classes`. */
export interface EncodedLabels {
  /** The classes, sorted ascending (numbers numerically, strings by UTF-16 code units). */
  classes: Label[];
  /** Index into `classes` of each element of each input array, in input order. */
  codes: Int32Array[];
}

/** Sorts labels as `np.unique` does; throws TypeError on a mix of numbers and strings. */
export function sortLabels(labels: Iterable<Label>): Label[] {
  const out = [...new Set(labels)];
  const kinds = new Set(out.map((x) => typeof x));
  if (kinds.size > 1) throw new TypeError(`invalid labels: mixed numbers and strings (${out.join(', ')})`);
  for (const x of out) {
    if (typeof x === 'number' && Number.isNaN(x))
      throw new RangeError('invalid label: NaN (expected a number or string)');
    if (typeof x !== 'number' && typeof x !== 'string')
      throw new TypeError(`invalid label: ${String(x)} (expected a number or string)`);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Encodes several label arrays against the sorted union of their labels (and any `extra` labels). */
export function encodeLabels(arrays: ArrayLike<Label>[], extra: Iterable<Label> = []): EncodedLabels {
  const seen = new Set<Label>(extra);
  for (const arr of arrays) for (let i = 0; i < arr.length; i++) seen.add(arr[i]);
  const classes = sortLabels(seen);
  const index = new Map<Label, number>(classes.map((c, i) => [c, i]));
  const codes = arrays.map((arr) => {
    const out = new Int32Array(arr.length);
    for (let i = 0; i < arr.length; i++) out[i] = index.get(arr[i])!;
    return out;
  });
  return { classes, codes };
}

/**
 * Binarises a binary target: 1 where `yTrue[i] === positiveLabel`, else 0.
 * Throws RangeError when more than two distinct labels occur.
 */
export function binarize(yTrue: ArrayLike<Label>, positiveLabel: Label = 1): Uint8Array {
  const out = new Uint8Array(yTrue.length);
  let other: Label | undefined;
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i];
    if (y === positiveLabel) out[i] = 1;
    else if (other === undefined) {
      if (typeof y === 'number' && Number.isNaN(y))
        throw new RangeError(`invalid yTrue[${i}]: NaN (expected a label)`);
      other = y;
    } else if (y !== other) {
      const found = [other, y].map((l) => JSON.stringify(l)).join(' and ');
      throw new RangeError(
        `invalid yTrue: labels ${found} besides the positive label ${JSON.stringify(positiveLabel)} (expected a binary target whose positive label is one of its two labels)`,
      );
    }
  }
  return out;
}

/** Throws RangeError unless the arrays have the same length. */
export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, names: string): void {
  if (a.length !== b.length)
    throw new RangeError(`invalid ${names}: lengths ${a.length} and ${b.length} (expected equal lengths)`);
}
