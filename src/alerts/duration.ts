/** Durations as Prometheus writes them (`30s`, `5m`, `2h`, `1d`, `1w`, `1h30m`), in milliseconds. */

const units: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const whole = /^(?:\d+(?:ms|s|m|h|d|w))+$/;
const part = /(\d+)(ms|s|m|h|d|w)/g;

/** Parses a duration (`'2h'`, `'1h30m'`, `'0s'`; a bare number is milliseconds); undefined if invalid. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  if (!whole.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(part)) ms += Number(m[1]) * units[m[2]];
  return ms;
}

/** Formats milliseconds as the shortest duration (`5400000` → `1h30m`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const u of ['w', 'd', 'h', 'm', 's', 'ms']) {
    const k = Math.floor(rest / units[u]);
    if (k > 0) {
      out += `${k}${u}`;
      rest -= k * units[u];
    }
  }
  return out;
}
