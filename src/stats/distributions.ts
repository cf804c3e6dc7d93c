/**
 * Distribution functions used by the tests: normal, chi-square, Kolmogorov
 * (limiting and exact finite-n), Smirnov (one-sided KS), binomial coefficients
 * and the hypergeometric pmf. Where a function exists in @stdlib it is used;
 * the KS functions are ports of SciPy's algorithms (cited on each function).
 */

import erfc from '@stdlib/math-base-special-erfc';
import gammaln from '@stdlib/math-base-special-gammaln';

const SQRT2 = Math.SQRT2;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const EPS = 2.220446049250313e-16;

//// Normal ////

/** Standard normal CDF Φ(x) = erfc(−x/√2)/2 (as scipy.special.ndtr); accurate in the lower tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** Standard normal survival function 1 − Φ(x) = erfc(x/√2)/2, accurate in the upper tail. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / SQRT2);
}

// Acklam's rational approximation (relative error < 1.15e-9), refined by one Halley step
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Φ(x) − ½ without cancellation near 0: the erf series for |x| < 1, else from erfc. */
function normalCdfMinusHalf(x: number): number {
  if (Math.abs(x) >= 1) return x > 0 ? 0.5 - normalSf(x) : normalCdf(x) - 0.5;
  // ½·erf(z) = z/√π · Σ (−z²)ⁿ / (n!(2n+1)),  z = x/√2
  const z = x / SQRT2;
  const z2 = z * z;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 40; n++) {
    term *= -z2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (z / Math.sqrt(Math.PI)) * sum;
}

/** One Halley step for Φ(x) = target, given the residual Φ(x) − target. */
function halley(x: number, residual: number): number {
  const u = residual * SQRT2PI * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

function tailQuantile(p: number): number {
  // p in (0, 0.02425): Acklam's tail approximation, refined on Φ(x) − p (erfc is accurate there)
  const q = Math.sqrt(-2 * Math.log(p));
  let x =
    (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
    ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  for (let it = 0; it < 2; it++) x = halley(x, normalCdf(x) - p);
  return x;
}

function centralQuantile(q: number): number {
  // q = p − ½ (exact for p in [¼, 1]); refining on (Φ(x) − ½) − q keeps full relative accuracy near 0
  const r = q * q;
  let x =
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  for (let it = 0; it < 2; it++) x = halley(x, normalCdfMinusHalf(x) - q);
  return x;
}

/**
 * Standard normal quantile Φ⁻¹(p) (as scipy.special.ndtri): Acklam's approximation refined by
 * two Halley steps, on Φ(x) − p in the tails (upper tail by symmetry, 1 − p being exact there)
 * and on (Φ(x) − ½) − (p − ½) in the centre, so that relative accuracy holds near p = ½ too.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1)
    throw new RangeError(`invalid p: ${p} (expected a number in [0, 1])`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p < 0.02425) return tailQuantile(p);
  if (p > 0.97575) return -tailQuantile(1 - p);
  return centralQuantile(p - 0.5);
}

//// Chi-square ////

/**
 * Regularised upper incomplete gamma Q(a, x): series for P when x < a + 1, Lentz's continued
 * fraction for Q otherwise, with the prefactor x^a e^(−x)/Γ(a) taken in log space so that far tails
 * (Q ≈ 1e-300) keep ~1e-12 relative accuracy (Numerical Recipes §6.2). @stdlib's gammainc
 * loses ~1e-3 relative there (e.g. chi2.sf(3000, 1000)).
 */
function gammaUpperRegularized(a: number, x: number): number {
  const logPrefactor = a * Math.log(x) - x - gammaln(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 100000; k++) {
      term *= x / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(logPrefactor);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefactor) * h;
}

/** Chi-square survival function Q(dof/2, x/2), the regularised upper incomplete gamma (as scipy.stats.chi2.sf). */
export function chiSquareSf(x: number, dof: number): number {
  if (!(dof > 0)) throw new RangeError(`invalid dof: ${dof} (expected a number > 0)`);
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  return clip01(gammaUpperRegularized(dof / 2, x / 2));
}

//// Binomial and hypergeometric ////

/** ln C(n, k) = lnΓ(n+1) − lnΓ(k+1) − lnΓ(n−k+1); −Infinity outside 0 ≤ k ≤ n. */
export function binomialCoefficientLn(n: number, k: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  if (k === 0 || k === n) return 0;
  return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
}

/**
 * Log of the hypergeometric pmf: drawing `draws` items from `total` of which `successes`
 * are successes, ln P(X = k) = ln C(K, k) + ln C(N−K, n−k) − ln C(N, n) (scipy.stats.hypergeom(M=N, n=K, N=n)).
 */
export function hypergeometricLogPmf(k: number, total: number, successes: number, draws: number): number {
  if (k < Math.max(0, draws - (total - successes)) || k > Math.min(successes, draws)) {
    return Number.NEGATIVE_INFINITY;
  }
  return (
    binomialCoefficientLn(successes, k) +
    binomialCoefficientLn(total - successes, draws - k) -
    binomialCoefficientLn(total, draws)
  );
}

/** Hypergeometric pmf P(X = k), as scipy.stats.hypergeom.pmf(k, M=total, n=successes, N=draws). */
export function hypergeometricPmf(k: number, total: number, successes: number, draws: number): number {
  return Math.exp(hypergeometricLogPmf(k, total, successes, draws));
}

//// Kolmogorov limiting distribution ////

/**
 * Survival function of the Kolmogorov limiting distribution, P(√n·Dₙ > x) as n → ∞
 * (scipy.special.kolmogorov): 2 Σ (−1)^(k−1) e^(−2k²x²) for x > 0.82, else
 * 1 − (√(2π)/x) Σ e^(−(2k−1)²π²/(8x²)). Port of SciPy's cephes kolmogorov.c
 * (van Mulbregt, arXiv:1803.00426).
 */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= Math.PI / Math.sqrt(746 * 8)) return 1;
  if (x <= 0.82) {
    const w = SQRT2PI / x;
    const logu8 = (-Math.PI * Math.PI) / (x * x);
    const u = Math.exp(logu8 / 8);
    let cdf: number;
    if (u === 0) cdf = Math.exp(logu8 / 8 + Math.log(w));
    else {
      const u8 = Math.exp(logu8);
      let P = 1;
      P = 1 + u8 * u8 * u8 * P;
      P = 1 + u8 * u8 * P;
      P = 1 + u8 * P;
      cdf = w * u * P;
    }
    return clip01(1 - cdf);
  }
  const v = Math.exp(-2 * x * x);
  const v3 = v * v * v;
  let P = 1;
  P = 1 - v3 * v3 * v * P;
  P = 1 - v3 * v * v * P;
  P = 1 - v3 * P;
  return clip01(2 * v * P);
}

function clip01(p: number): number {
  return Math.min(Math.max(p, 0), 1);
}

//// Smirnov (one-sided KS) ////

/**
 * Survival function of the one-sided one-sample KS statistic, P(Dₙ⁺ ≥ x) (scipy.special.smirnov),
 * by the Birnbaum–Tingey sum x Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x+v/n)^(v−1) (1−x−v/n)^(n−v), all terms
 * positive and summed in log space; SciPy's special cases for x ≤ 1/n, x ≥ 1 − 1/n and n > 10⁶.
 * Agrees with SciPy's double-double implementation to ~1e-12 relative.
 */
export function smirnovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid n: ${n} (expected an integer >= 1)`);
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  if (n === 1) return 1 - x;
  const nx = n * x;
  let nxfl = Math.floor(nx);
  let alpha = nx - nxfl;
  if (alpha >= 1) {
    nxfl += 1;
    alpha = 0;
  }
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    // x ≤ 1/n: cdf = x (1 + x)^(n−1)
    return clip01(1 - x * Math.exp((n - 1) * Math.log1p(x)));
  }
  if (-2 * n * x * x < -708.3964185322641) return 0;
  if (nxfl >= n - 1) return clip01(Math.exp(n * Math.log1p(-x)));
  if (n > 1_000_000) return Math.exp(-((6 * n * x + 1) ** 2) / 18 / n);
  const last = n - nxfl - 1;
  return clip01(last > 2000 ? smirnovSumAroundPeak(n, x, last) : smirnovSumAll(n, x, last));
}

/** ln of the v-th Birnbaum–Tingey term x·C(n,v)(x+v/n)^(v−1)(1−x−v/n)^(n−v), given ln C(n, v). */
function smirnovLogTerm(n: number, x: number, v: number, logC: number): number {
  return logC + Math.log(x) + (v - 1) * Math.log(x + v / n) + (n - v) * Math.log((n - v) / n - x);
}

/** The sum from v = 0 with SciPy's early-termination rule (small n). */
function smirnovSumAll(n: number, x: number, last: number): number {
  let logC = 0; // ln C(n, v), updated incrementally
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    const term = Math.exp(smirnovLogTerm(n, x, v, logC));
    sum += term;
    if (term !== 0) {
      if (4 * (last + 1 - v) * term < EPS * sum && v !== last) break;
    } else if (v > n / 2) break;
    logC += Math.log((n - v) / (v + 1));
  }
  return sum;
}

/** Stirling's error ln n! − ((n + ½) ln n − n + ½ ln 2π), series for n > 15 (Loader 2000). */
function stirlingError(n: number): number {
  if (n <= 15) return gammaln(n + 1) - (n + 0.5) * Math.log(n) + n - LOG_2PI / 2;
  const nn = n * n;
  const s0 = 1 / 12;
  const s1 = 1 / 360;
  const s2 = 1 / 1260;
  const s3 = 1 / 1680;
  const s4 = 1 / 1188;
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/** Deviance term k ln(k/m) + m − k, without cancellation when k ≈ m (Loader 2000). */
function bd0(k: number, m: number): number {
  if (Math.abs(k - m) < 0.1 * (k + m)) {
    let v = (k - m) / (k + m);
    let sum = (k - m) * v;
    let ej = 2 * k * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const next = sum + ej / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return k * Math.log(k / m) + m - k;
}

/**
 * ln of the binomial pmf C(n,k) pᵏ qⁿ⁻ᵏ given np = n·p and nq = n·q, by Loader's saddle-point
 * form (as R's dbinom), accurate to ~1e-15 relative where the gammaln difference loses ~1e-9 at n = 10⁶.
 * Reference: C. Loader, "Fast and accurate computation of binomial probabilities", 2000.
 */
function logBinomialPmf(k: number, n: number, np: number, nq: number): number {
  if (k === 0) return np < 0.1 * n ? -bd0(n, nq) - np : n * Math.log(nq / n);
  if (k === n) return nq < 0.1 * n ? -bd0(n, np) - nq : n * Math.log(np / n);
  const lc = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - bd0(k, np) - bd0(n - k, nq);
  return lc - 0.5 * (LOG_2PI + Math.log(k) + Math.log1p(-k / n));
}

/**
 * For large n the terms form a unimodal bump far from v = 0 (e.g. n = 50 000, x = 0.01 peaks
 * near v = 23 000); find the peak by ternary search and sum outwards until terms fall below
 * 1e-18 of the sum, which visits O(√n) terms instead of O(n). Each term is
 * (x/(x + v/n))·Binomial(v; n, x + v/n), computed by Loader's method.
 */
function smirnovSumAroundPeak(n: number, x: number, last: number): number {
  const nx = n * x;
  const at = (v: number) => Math.log(x / (x + v / n)) + logBinomialPmf(v, n, nx + v, n - v - nx);
  let lo = 0;
  let hi = last;
  while (hi - lo > 2) {
    const m1 = lo + Math.floor((hi - lo) / 3);
    const m2 = hi - Math.floor((hi - lo) / 3);
    if (at(m1) < at(m2)) lo = m1 + 1;
    else hi = m2 - 1;
  }
  let peak = lo;
  for (let v = lo + 1; v <= hi; v++) if (at(v) > at(peak)) peak = v;
  let sum = Math.exp(at(peak));
  const tol = 1e-18;
  for (let v = peak + 1; v <= last; v++) {
    const term = Math.exp(at(v));
    sum += term;
    if (term < tol * sum) break;
  }
  for (let v = peak - 1; v >= 0; v--) {
    const term = Math.exp(at(v));
    sum += term;
    if (term < tol * sum) break;
  }
  return sum;
}

//// Exact finite-n Kolmogorov (two-sided one-sample KS) ////

const E128 = 2 ** 128;
const EM128 = 2 ** -128;

/** log(n!/n^n) by Stirling's series (SciPy's _log_nfactorial_div_n_pow_n). */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  const coeffs = [-691 / 23380, 1 / 156, -3617 / 1_886_220, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12];
  let poly = 0;
  const z = rn / n;
  for (const c of coeffs) poly = poly * z + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      const row = k * m;
      const orow = i * m;
      for (let j = 0; j < m; j++) out[orow + j] += aik * b[row + j];
    }
  }
  return out;
}

/** P(Dₙ ≤ d) by Durbin's matrix method as Marsaglia, Tsang & Wang (2003), SciPy's _kolmogn_DMTW. */
function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  let H: Float64Array = new Float64Array(m * m);
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];
  let P: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) P[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      P = matmul(P, H, m);
      expnt += hExpnt;
    }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > E128) {
      for (let i = 0; i < H.length; i++) H[i] /= E128;
      hExpnt += 128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = P[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  return p * 2 ** expnt;
}

function pomeranzJ(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(Dₙ ≤ x) by Pomeranz's recursion (1974), SciPy's _kolmogn_Pomeranz. */
function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  let expnt = 0;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * (g / n)) / m;
    twogpower[m] = (twogpower[m - 1] * ((2 * g) / n)) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * ((1 - 2 * g) / n)) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let [j1, j2] = pomeranzJ(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzJ(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      // conv[c] = Σ V0[k1−V0s + a]·pwrs[c − a] over the first ln2 entries of each
      const base = k1 - V0s;
      let vmax = 0;
      for (let c = convStart; c < convStart + convLen; c++) {
        let s = 0;
        const aLo = Math.max(0, c - ln2 + 1);
        const aHi = Math.min(c, ln2 - 1);
        for (let a = aLo; a <= aHi; a++) s += V0[base + a] * pwrs[c - a];
        V1[c - convStart] = s;
        if (s > vmax) vmax = s;
      }
      if (vmax > 0 && vmax < EM128) {
        for (let c = 0; c < convLen; c++) V1[c] *= E128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  return ans * 2 ** expnt;
}

/** P(Dₙ ≤ x) by the Pelz–Good asymptotic series (1976), SciPy's _kolmogn_PelzGood. */
function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qlog = -pi2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    K[0] = K[0] * qpower + 1;
    K[1] = K[1] * qpower + (k1a + k1b * m2);
    K[2] = K[2] * qpower + (k2a + k2b * m2 + k2c * m4);
    K[3] = K[3] * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const div = [z, 6 * z4, 72 * z4 * z3, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-pi2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k;
    const qp = q ** k2;
    k2extra += k2 * qp;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] += (k2extra * pi2 * SQRT2PI) / (-36 * z3);
  K[3] += (k3extra * pi2 * SQRT2PI) / (216 * z6);
  return K[0] + K[1] / Math.sqrt(n) + K[2] / n + K[3] / (n * Math.sqrt(n));
}

/**
 * Survival function of the exact two-sided one-sample KS statistic, P(Dₙ > d)
 * (scipy.stats.kstwo.sf(d, n)). Port of SciPy's `_kolmogn` (Simard & L'Ecuyer 2011):
 * Ruben–Gambino closed forms at the ends, 2·smirnov for d ≥ 0.5 or large n·d², Durbin's
 * matrix (Marsaglia–Tsang–Wang) and Pomeranz for n ≤ 140, Pelz–Good for large n.
 * Reference: R. Simard, P. L'Ecuyer, "Computing the two-sided Kolmogorov-Smirnov
 * distribution", J. Stat. Softw. 39(11), 2011.
 */
export function kstwoSf(d: number, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`invalid n: ${n} (expected an integer >= 1)`);
  if (Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    const cdf =
      n <= 140 ? prodRubenGambino(n, t) : Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));
  const nxsquared = t * d;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip01(1 - kolmogorovCdfDurbin(n, d));
    if (nxsquared <= 4) return clip01(1 - kolmogorovCdfPomeranz(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nxsquared >= 370) return 0;
  if (nxsquared >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100000 && n * d ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, d) : kolmogorovCdfPelzGood(n, d);
  return clip01(1 - cdf);
}

function prodRubenGambino(n: number, t: number): number {
  let p = 1;
  const f = 2 * t - 1;
  for (let i = 1; i <= n; i++) p *= i * (1 / n) * f;
  return p;
}
