/**
 * Floating-point helpers that turn other libraries' comparison rules into
 * Plumbline's single rule "go left when x < threshold" in float64.
 */

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The next float64 above `x` (Math.nextUp in Java); NaN and +Infinity map to themselves. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0] + 1n : u64[0] - 1n;
  return f64[0];
}

/**
 * For a float32 threshold `t`, the float64 `b` such that, for every non-NaN float64 `x`,
 * `Math.fround(x) < t` exactly when `x < b`. This is XGBoost's rule (features are cast to
 * float32, then compared with the float32 split condition), folded into the threshold so that
 * prediction needs no per-row rounding. `b` is the midpoint between `t` and the float32 below
 * it, nudged up when the midpoint rounds down (round-half-to-even).
 */
export function float32LessThanBoundary(t: number): number {
  if (!Number.isFinite(t)) return t;
  f32[0] = t;
  const tf = f32[0];
  if (tf !== t) throw new RangeError(`invalid float32 threshold: ${t} (expected a float32 value)`);
  const bits = u32[0];
  // The float32 just below t (crossing zero through the negative subnormals).
  if (tf === 0) u32[0] = 0x80000001;
  else u32[0] = tf > 0 ? bits - 1 : bits + 1;
  // Below −max float32 lies −2^128 (where rounding to −Infinity starts), as if it were a float32.
  const below = f32[0] === Number.NEGATIVE_INFINITY ? -(2 ** 128) : f32[0];
  const mid = (below + tf) / 2;
  // Ties round to the float32 with an even last mantissa bit.
  const tIsEven = (bits & 1) === 0 || tf === 0;
  return tIsEven ? mid : nextUp(mid);
}
