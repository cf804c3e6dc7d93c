/** A time-series chart (uPlot: fast with thousands of points) with optional interval bands and dashed series. */
import { createContext, useContext, useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Point } from '../api.js';
import { fmt, yTicks } from '../format.js';
import { ThemeContext } from '../theme.js';

/** One line of a chart. */
export interface ChartSeries {
  label: string;
  points: Point[];
  /** CSS variable holding the colour (e.g. '--c1'). */
  color: string;
  /** Draw the ciLow–ciHigh interval as a band. */
  band?: boolean;
  dashed?: boolean;
  /** Draw every point (for sparse series, e.g. only the hours that had rejects). */
  dots?: boolean;
}

/**
 * The plot area's gutters in CSS pixels (the y axis on the left, room for the last x label on the
 * right): the timeline uses the same, so that its days line up with the charts' time axis.
 */
export const plotGutter = { left: 56, right: 24 };

/** A fixed time range [fromMs, toMs) for the charts inside (default: fitted to each chart's data). */
export const TimeRangeContext = createContext<[number, number] | null>(null);

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** A shaded span of time on a chart, labelled at its top left. */
export interface ChartMark {
  fromMs: number;
  toMs: number;
  label: string;
  /** CSS variable of the colour (default '--c2'). */
  color?: string;
}

/** Draws the marks under the series (uPlot `drawClear` hook). */
function drawMarks(u: uPlot, marks: ChartMark[]): void {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  ctx.save();
  ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
  for (const m of marks) {
    const x0 = u.valToPos(m.fromMs / 1000, 'x', true);
    const x1 = u.valToPos(m.toMs / 1000, 'x', true);
    const color = cssVar(m.color ?? '--c2');
    ctx.fillStyle = color;
    ctx.strokeStyle = color;
    if (x1 - x0 < 1) {
      ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
      ctx.lineWidth = devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(x0, top);
      ctx.lineTo(x0, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
    } else {
      ctx.globalAlpha = 0.14;
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.globalAlpha = 1;
    }
    // line labels sit lower than span labels, so a change point at a window start stays readable
    ctx.fillText(m.label, x0 + 3 * devicePixelRatio, top + (x1 - x0 < 1 ? 26 : 12) * devicePixelRatio);
  }
  ctx.restore();
}

/** Aligns series on the union of their window starts (uPlot wants seconds). */
function align(series: ChartSeries[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.window.startMs)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const cols: (number | null)[][] = [];
  for (const s of series) {
    const cs = s.band ? [0, 1, 2] : [0];
    for (const c of cs) {
      const col: (number | null)[] = new Array(xs.length).fill(null);
      for (const p of s.points) {
        if (p.status !== 'ok') continue;
        col[index.get(p.window.startMs) as number] = c === 0 ? p.value : c === 1 ? p.ciLow : p.ciHigh;
      }
      cols.push(col);
    }
  }
  return [xs.map((x) => x / 1000), ...cols] as uPlot.AlignedData;
}

/** A titled chart; `summary` is read by screen readers (and shown under the chart). */
export function Chart(props: {
  title: string;
  series: ChartSeries[];
  height?: number;
  yLabel?: string;
  /** A fixed y range (e.g. [0, 1] for shares); default: fitted to the data. */
  yRange?: [number, number];
  /** Shaded time spans (a zero-length span draws a dashed line, e.g. a change point). */
  marks?: ChartMark[];
}) {
  const ref = useRef<HTMLDivElement>(null);
  const theme = useContext(ThemeContext);
  const xRange = useContext(TimeRangeContext);
  const empty = props.series.every((s) => !s.points.some((p) => p.status === 'ok' && p.value !== null));
  // biome-ignore lint/correctness/useExhaustiveDependencies: colours come from CSS variables of `theme`
  useEffect(() => {
    const el = ref.current;
    if (!el || empty) return;
    const fg = cssVar('--muted');
    const grid = cssVar('--grid');
    const uSeries: uPlot.Series[] = [{}];
    const bands: uPlot.Band[] = [];
    for (const s of props.series) {
      const color = cssVar(s.color);
      uSeries.push({
        label: s.label,
        stroke: color,
        width: 2,
        dash: s.dashed ? [6, 4] : undefined,
        spanGaps: false,
        value: (_u, v) => fmt(v),
        points: {
          show: s.dots === true || s.points.length <= 40,
          size: s.dots ? 7 : 4,
          fill: s.dots ? color : undefined,
        },
        // dots only: no line joining points that are hours or days apart
        ...(s.dots ? { paths: () => null } : {}),
      });
      if (s.band) {
        const lo = uSeries.length;
        for (const end of ['low', 'high'])
          uSeries.push({ label: `${s.label} ${end}`, stroke: 'transparent', points: { show: false } });
        bands.push({ series: [lo + 1, lo], fill: `${color}33` });
      }
    }
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const plot = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: props.height ?? 200,
        series: uSeries,
        bands,
        axes: [axis, { ...axis, size: plotGutter.left, label: props.yLabel, values: yTicks }],
        padding: [8, plotGutter.right, 0, 0],
        scales: {
          x: xRange
            ? { time: true, range: (): uPlot.Range.MinMax => [xRange[0] / 1000, xRange[1] / 1000] }
            : { time: true },
          ...(props.yRange
            ? { y: { range: (): uPlot.Range.MinMax => props.yRange as [number, number] } }
            : {}),
        },
        cursor: { drag: { x: false, y: false } },
        hooks: props.marks?.length ? { drawClear: [(u) => drawMarks(u, props.marks ?? [])] } : {},
      },
      align(props.series),
      el,
    );
    // interval ends are drawn as the band only: keep them out of the legend
    const rows = plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
    uSeries.forEach((u, i) => {
      if (i > 0 && u.stroke === 'transparent' && rows[i]) rows[i].style.display = 'none';
    });
    const ro = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(240, el.clientWidth), height: props.height ?? 200 }),
    );
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [
    props.series,
    props.height,
    props.yLabel,
    props.yRange,
    props.marks,
    theme,
    empty,
    xRange?.[0],
    xRange?.[1],
  ]);
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      {empty ? <p className="empty">No points in this range and window.</p> : <div ref={ref} />}
    </figure>
  );
}
