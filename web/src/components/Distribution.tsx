/**
 * Reference vs current distribution of one feature: overlaid bars on shared bins (SVG, no chart
 * library). A numeric feature's equal-width bins sit on a linear value axis with round ticks; one
 * bin per integer value or category gets its label under its bar. Both axes are titled.
 */
import type React from 'react';
import type { DistributionBin } from '../../../src/server/routes/feature-distribution.js';
import { pct } from '../format.js';

const W = 440;
const H = 236;
const PAD = { left: 58, right: 14, top: 10, bottom: 42 };
/** Width of one character of the 11 px tick labels, generous (digits and lower case are ~6.1 px). */
const CHAR = 6.6;

/** Round ticks (1, 2, 2.5 or 5 × 10^k apart) over [lo, hi], at most `count` + 1 of them. */
export function roundTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || count < 1) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++)
    out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** A tick value without float noise ("0.30000000000000004" → "0.3"; −0 → "0"). */
const tickText = (v: number) => String(Number(v.toPrecision(6)) || 0);

/** A share as a percentage with at most 3 significant digits and no trailing zeros ("5%", "2.5%"). */
const shareText = (v: number) => `${Number((100 * v).toPrecision(3))}%`;

/** The ticks of [lo, hi] whose labels, `CHAR` px per character, do not overprint over `width` px. */
function fittingTicks(lo: number, hi: number, width: number): number[] {
  for (let count = 8; count > 1; count--) {
    const ticks = roundTicks(lo, hi, count);
    const gap = (width * (ticks[1] - ticks[0])) / (hi - lo);
    const longest = Math.max(...ticks.map((t) => tickText(t).length));
    if (ticks.length < 2 || gap >= longest * CHAR + 8) return ticks;
  }
  return [lo, hi].map((v) => Number(v.toPrecision(3)));
}

/** The two distributions as bars: the reference outlined, the current filled over it. */
export function Distribution(props: {
  title: string;
  bins: DistributionBin[];
  currentLabel: string;
  /** Title of the value axis (the feature's name). */
  axisLabel: string;
  /** Shown under the legend (e.g. the counts behind the bars). */
  children?: React.ReactNode;
}) {
  const { bins } = props;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bottom = PAD.top + plotH;
  const highest = Math.max(1e-9, ...bins.flatMap((b) => [b.reference, b.current]));
  // the share axis ends on the round tick at or above the highest bar
  const rough = roundTicks(0, highest, 5);
  const yStep = rough.length > 1 ? rough[1] - rough[0] : highest;
  const top = Math.ceil(highest / yStep - 1e-9) * yStep;
  const yTicks = Array.from({ length: Math.round(top / yStep) + 1 }, (_, i) =>
    Number((i * yStep).toPrecision(12)),
  );
  const y = (v: number) => PAD.top + plotH * (1 - v / top);
  // equal-width numeric bins on a value axis; integer values and categories one slot each
  const lo = bins[0]?.lo;
  const hi = bins[bins.length - 1]?.hi;
  const valueAxis =
    lo !== undefined && hi !== undefined && hi > lo && bins.some((b) => !/^-?\d+$/.test(b.label));
  const step = plotW / Math.max(1, bins.length);
  const xv = (v: number) => PAD.left + ((v - (lo ?? 0)) / ((hi ?? 1) - (lo ?? 0))) * plotW;
  const span = (b: DistributionBin, i: number): [number, number] =>
    valueAxis && b.lo !== undefined && b.hi !== undefined
      ? [xv(b.lo), xv(b.hi)]
      : [PAD.left + i * step, PAD.left + (i + 1) * step];
  const bar = (b: DistributionBin, i: number, v: number) => {
    const [x0, x1] = span(b, i);
    return { x: x0 + (x1 - x0) * 0.08, width: (x1 - x0) * 0.84, y: y(v), height: bottom - y(v) };
  };
  // slot labels: cut to the slot's width, every k-th slot when even a short label does not fit
  const fit = Math.max(3, Math.floor((step - 4) / CHAR));
  const short = (s: string) => (s.length > fit ? `${s.slice(0, fit - 1)}…` : s);
  const longest = Math.max(1, ...bins.map((b) => short(b.label).length));
  const every = Math.max(1, Math.ceil((longest * CHAR + 6) / step));
  const xTicks = valueAxis
    ? fittingTicks(lo as number, hi as number, plotW).map((v) => ({ x: xv(v), text: tickText(v), full: '' }))
    : bins
        .map((b, i) => ({ x: PAD.left + (i + 0.5) * step, text: short(b.label), full: b.label }))
        .filter((_, i) => i % every === 0);
  // a label that would pass the figure's edge is anchored at its tick's side instead of centred
  const anchor = (x: number, text: string) =>
    x + (text.length * CHAR) / 2 > W ? 'end' : x - (text.length * CHAR) / 2 < 0 ? 'start' : 'middle';
  return (
    <figure className="chart" data-testid="distribution">
      <figcaption>{props.title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`${props.title}: share of events per ${props.axisLabel} bin, ${bins.length} bins, reference outlined, ${props.currentLabel} filled`}
        className="distribution"
      >
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="var(--grid)" />
            <text x={PAD.left - 5} y={y(t) + 4} textAnchor="end" className="dist-tick" data-testid="y-tick">
              {shareText(t)}
            </text>
          </g>
        ))}
        {bins.map((b, i) => (
          <g key={b.label} data-testid="bin">
            <title>{`${b.label}: reference ${pct(b.reference)}, ${props.currentLabel} ${pct(b.current)}`}</title>
            <rect {...bar(b, i, b.current)} fill="var(--c1)" fillOpacity="0.55" />
            <rect {...bar(b, i, b.reference)} fill="none" stroke="var(--fg)" strokeWidth="1.5" />
          </g>
        ))}
        <line x1={PAD.left} x2={W - PAD.right} y1={bottom} y2={bottom} stroke="var(--muted)" />
        {xTicks.map((t) => (
          <g key={`${t.x}-${t.text}`}>
            {valueAxis && <line x1={t.x} x2={t.x} y1={bottom} y2={bottom + 4} stroke="var(--muted)" />}
            <text
              x={t.x}
              y={bottom + 16}
              textAnchor={anchor(t.x, t.text)}
              className="dist-tick"
              data-testid="x-tick"
            >
              {t.full !== t.text && t.full !== '' && <title>{t.full}</title>}
              {t.text}
            </text>
          </g>
        ))}
        <text
          x={PAD.left + plotW / 2}
          y={H - 6}
          textAnchor="middle"
          className="dist-axis"
          data-testid="x-title"
        >
          {props.axisLabel}
        </text>
        <text
          transform={`translate(14, ${PAD.top + plotH / 2}) rotate(-90)`}
          textAnchor="middle"
          className="dist-axis"
          data-testid="y-title"
        >
          share of events
        </text>
      </svg>
      <p className="legend">
        <span className="swatch ref" /> reference <span className="swatch cur" /> {props.currentLabel}
      </p>
      {props.children}
    </figure>
  );
}
