/** Reference vs current distribution of one feature: overlaid bars on shared bins (SVG, no chart library). */
import type React from 'react';
import type { DistributionBin } from '../../../src/server/routes/feature-distribution.js';
import { pct } from '../format.js';

const W = 440;
const H = 210;
const PAD = { left: 44, right: 8, top: 8, bottom: 22 };

/** The two distributions as bars: the reference outlined, the current filled over it. */
export function Distribution(props: {
  title: string;
  bins: DistributionBin[];
  currentLabel: string;
  /** Shown under the legend (e.g. the counts behind the bars). */
  children?: React.ReactNode;
}) {
  const { bins } = props;
  const top = Math.max(1e-9, ...bins.flatMap((b) => [b.reference, b.current]));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, bins.length);
  const y = (v: number) => PAD.top + plotH * (1 - v / top);
  const ticks = [0, 0.5, 1].map((t) => t * top);
  const bar = (x: number, v: number) => ({
    x: x + step * 0.1,
    width: step * 0.8,
    y: y(v),
    height: PAD.top + plotH - y(v),
  });
  // short labels (a numeric bin by its lower edge), spaced so that they never overprint
  const short = (b: DistributionBin) =>
    b.lo !== undefined && !/^-?\d+$/.test(b.label)
      ? String(Number(b.lo.toPrecision(3)))
      : b.label.length > 8
        ? `${b.label.slice(0, 7)}…`
        : b.label;
  const longest = Math.max(1, ...bins.map((b) => short(b).length));
  const every = Math.max(1, Math.ceil((longest * 7 + 8) / step));
  return (
    <figure className="chart" data-testid="distribution">
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`${props.title}: ${bins.length} bins, reference outlined, ${props.currentLabel} filled`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="var(--grid)" />
            <text x={PAD.left - 4} y={y(t) + 4} textAnchor="end" fontSize="11" fill="var(--muted)">
              {pct(t)}
            </text>
          </g>
        ))}
        {bins.map((b, i) => {
          const x = PAD.left + i * step;
          return (
            <g key={b.label} data-testid="bin">
              <title>{`${b.label}: reference ${pct(b.reference)}, ${props.currentLabel} ${pct(b.current)}`}</title>
              <rect {...bar(x, b.current)} fill="var(--c1)" fillOpacity="0.55" />
              <rect {...bar(x, b.reference)} fill="none" stroke="var(--fg)" strokeWidth="1.5" />
              {i % every === 0 && (
                <text
                  x={b.lo !== undefined && short(b) !== b.label ? x : x + step / 2}
                  y={H - PAD.bottom + 14}
                  fontSize="11"
                  fill="var(--muted)"
                  textAnchor="middle"
                >
                  {short(b)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <p className="legend">
        <span className="swatch ref" /> reference <span className="swatch cur" /> {props.currentLabel}
      </p>
      {props.children}
    </figure>
  );
}
