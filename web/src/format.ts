/** Number and time formatting shared by the pages. */

/** One day in milliseconds. */
export const DAY = 86_400_000;

/** A metric value: 4 significant digits, '—' for missing. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && Math.abs(v) >= 10_000) return Math.round(v).toLocaleString('en-US');
  return Number(v.toPrecision(digits)).toString();
}

/** A share as a percentage. */
export const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)}%`;

/** A UTC day (YYYY-MM-DD). */
export const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A UTC time (YYYY-MM-DD HH:MM). */
export const time = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Parses YYYY-MM-DD (UTC) to epoch ms, or undefined. */
export function parseDay(text: string | null): number | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A sequential colour-blind-safe scale (viridis) at t in [0, 1], as rgb() with its text colour. */
export function viridis(t: number): { bg: string; fg: string } {
  const stops = [
    [68, 1, 84],
    [72, 40, 120],
    [62, 73, 137],
    [49, 104, 142],
    [38, 130, 142],
    [31, 158, 137],
    [53, 183, 121],
    [109, 205, 89],
    [180, 222, 44],
    [253, 231, 37],
  ];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((a, k) => Math.round(a + f * (stops[i + 1][k] - a)));
  const lum = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  return { bg: `rgb(${c.join(', ')})`, fg: lum > 140 ? '#111' : '#fff' };
}

/**
 * Y tick labels: thousands grouped, small values with the digits that tell ticks apart (uPlot's
 * default keeps 3 decimals: ticks of 0.00025 all read "0").
 */
export function yTicks(_u: unknown, splits: number[]): string[] {
  return splits.map((v) =>
    v === null || v === undefined
      ? ''
      : Math.abs(v) >= 1000
        ? Math.round(v).toLocaleString('en-US')
        : Number(v.toPrecision(6)).toString(),
  );
}
