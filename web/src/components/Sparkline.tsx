/** A tiny inline SVG line of a series' ok values. */
import type { Point } from '../api.js';

/** A sparkline of `points` (ok values only). */
export function Sparkline(props: { points: Point[]; label: string; width?: number; height?: number }) {
  const w = props.width ?? 120;
  const h = props.height ?? 28;
  const vals = props.points
    .filter((p) => p.status === 'ok' && p.value !== null)
    .map((p) => p.value as number);
  if (vals.length < 2) return <span className="muted">—</span>;
  const lo = Math.min(...vals);
  const hi = Math.max(...vals);
  const span = hi - lo || 1;
  const d = vals
    .map(
      (v, i) =>
        `${((i / (vals.length - 1)) * (w - 2) + 1).toFixed(1)},${(h - 2 - ((v - lo) / span) * (h - 4)).toFixed(1)}`,
    )
    .join(' ');
  return (
    <svg className="spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={props.label}>
      <polyline points={d} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
