/**
 * Version and tag timeline: per day, the share of traffic of each model version and each `tags.*`
 * segment value (from the throughput metric points), drawn as stacked lanes with a marker where a
 * value appears or disappears (a deploy, a pipeline change); the registry's versions and stages below.
 */
import { useEffect, useRef, useState } from 'react';
import { DAY, day } from '../format.js';
import { useLoad } from '../hooks.js';
import { type Lane, laneEvents, type TimelineEvent } from '../timeline-data.js';
import { loadTimeline, type VersionInfo } from '../timeline-load.js';
import { plotGutter } from './Chart.js';

/** Okabe–Ito (colour-blind safe) for the values of a lane, in order of first appearance. */
const palette = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#999999'];

/** One label per lane and day (its events joined), on the first of two rows where it does not overlap. */
function eventLabels(events: TimelineEvent[], lanes: Lane[], x: (ms: number) => number) {
  const groups = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    const k = `${e.key}\u0000${e.atMs}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const ends = new Map<string, [number, number]>(); // lane → right end of the last label per row
  return [...groups.values()].map((g) => {
    const { key, atMs } = g[0];
    const text = g.map((e) => `${e.kind === 'appears' ? '▲' : '▽'} ${e.value}`).join(' ');
    const end = ends.get(key) ?? [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
    const row = end[0] < x(atMs) ? 0 : end[1] < x(atMs) ? 1 : end[0] <= end[1] ? 0 : 1;
    end[row] = x(atMs) + 8 + 7 * text.length; // ~7 px per character at 12 px
    ends.set(key, end);
    return {
      key,
      atMs,
      row,
      text,
      lane: lanes.findIndex((l) => l.key === key),
      kinds: g.map((e) => e.kind).join(' '),
      title: g
        .map((e) => `${e.key}=${e.value} ${e.kind === 'appears' ? 'starts' : 'stops'} on ${day(e.atMs)}`)
        .join('; '),
    };
  });
}

/** The timeline of a model over [fromMs, toMs); `marks` shade spans (e.g. an RCA's windows). */
export function Timeline(props: {
  model: string;
  fromMs: number;
  toMs: number;
  /** The range of the requests (default [fromMs, toMs)); the model page asks without bounds for everything. */
  range?: { fromMs?: number; toMs?: number };
  marks?: { fromMs: number; toMs: number; label: string; color?: string }[];
}) {
  const { model, fromMs, toMs } = props;
  // drawn in CSS pixels of its own width, with the charts' gutters: its days line up with their axes
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, []);
  const state = useLoad(
    () => loadTimeline(model, props.range ?? { fromMs, toMs }),
    `timeline ${model} ${fromMs} ${toMs} ${JSON.stringify(props.range)}`,
  );
  return (
    <figure className="chart timeline" data-testid="timeline">
      <figcaption>Versions and tags: share of traffic per day (▲ appears, ▽ stops)</figcaption>
      <div ref={box}>
        {state.status === 'loading' && <p aria-busy="true">Loading timeline…</p>}
        {state.status === 'error' && <p role="alert">{state.error.message}</p>}
        {state.status === 'ok' && width > 0 && (
          <Lanes {...props} lanes={state.data.lanes} versions={state.data.versions} width={width} />
        )}
      </div>
    </figure>
  );
}

/** The lanes, events and axis, `width` CSS pixels wide; x maps [fromMs, toMs) onto the charts' plot area. */
function Lanes(
  props: Parameters<typeof Timeline>[0] & { lanes: Lane[]; versions: VersionInfo[]; width: number },
) {
  const { lanes, versions, fromMs, toMs } = props;
  const days: number[] = [];
  for (let d = Math.floor(fromMs / DAY) * DAY; d < toMs; d += DAY) days.push(d);
  if (lanes.length === 0 || days.length === 0)
    return <p className="empty">No version or tag traffic in this range.</p>;
  const events = lanes.flatMap((l) => laneEvents(l, days));
  const W = props.width;
  const left = plotGutter.left;
  const laneH = 26;
  const gap = 22;
  const top = 8;
  const axisY = top + lanes.length * (laneH + gap);
  const H = axisY + 22;
  const right = W - plotGutter.right;
  const x = (ms: number) => left + ((ms - fromMs) / (toMs - fromMs)) * (right - left);
  const bw = x(fromMs + DAY) - x(fromMs);
  const labels = eventLabels(events, lanes, x);
  const monthTicks = days.filter((d) => new Date(d).getUTCDate() === 1 || d === days[0]);
  const tickEvery = Math.max(1, Math.ceil(days.length / 12));
  const ticks = days.length <= 62 ? days.filter((_, i) => i % tickEvery === 0) : monthTicks;
  return (
    <>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`Traffic share per version and tag value; ${events.length} changes`}
      >
        {(props.marks ?? []).map((m) => {
          // clipped to the drawn days (a baseline may start before them)
          const x0 = Math.max(left, x(m.fromMs));
          const x1 = Math.min(right, x(m.toMs));
          if (x1 <= x0) return null;
          return (
            <g key={m.label} className="tl-mark">
              <rect
                x={x0}
                y={0}
                width={Math.max(2, x1 - x0)}
                height={axisY}
                style={{ fill: `var(${m.color ?? '--c2'})` }}
              />
              <title>{`${m.label}: ${day(m.fromMs)} → ${day(m.toMs)}`}</title>
              {/* narrow spans keep their name in the tooltip only (labels would overlap) */}
              {x1 - x0 >= 56 && (
                <text x={x0 + 3} y={axisY - 3}>
                  {m.label}
                </text>
              )}
            </g>
          );
        })}
        {lanes.map((lane, li) => {
          const y0 = top + li * (laneH + gap);
          return (
            <g key={lane.key} data-lane={lane.key}>
              <text x={left - 4} y={y0 + laneH / 2 + 4} textAnchor="end" className="tl-key">
                {lane.key}
              </text>
              {days.map((d) => {
                let acc = 0;
                return lane.values.map((v, vi) => {
                  const s = v.share.get(d) ?? 0;
                  const y = y0 + acc * laneH;
                  acc += s;
                  if (s <= 0) return null;
                  return (
                    <rect
                      key={`${d}-${v.value}`}
                      x={x(d)}
                      y={y}
                      width={bw + 0.5}
                      height={s * laneH}
                      fill={palette[vi % palette.length]}
                    >
                      <title>{`${lane.key}=${v.value} ${day(d)}: ${(100 * s).toFixed(1)}% of traffic`}</title>
                    </rect>
                  );
                });
              })}
              {lane.values.map((v, vi) => (
                <g key={v.value} transform={`translate(${left + vi * 90}, ${y0 + laneH + 14})`}>
                  <rect width={10} height={10} y={-9} fill={palette[vi % palette.length]} />
                  <text x={14} className="tl-legend">
                    {v.value}
                  </text>
                </g>
              ))}
            </g>
          );
        })}
        {labels.map((g) => {
          const y0 = top + g.lane * (laneH + gap);
          return (
            <g key={`${g.key}-${g.atMs}`} className="tl-event" data-event={g.kinds}>
              <line x1={x(g.atMs)} x2={x(g.atMs)} y1={y0 - 4} y2={y0 + laneH + 4} />
              <text x={x(g.atMs) + 3} y={g.row ? y0 + laneH + 14 : y0 + 6}>
                {g.text}
              </text>
              <title>{g.title}</title>
            </g>
          );
        })}
        <line x1={left} x2={right} y1={axisY} y2={axisY} className="tl-axis" />
        {ticks
          .filter((d) => x(d) < W - 20) // a label at the right edge would be cut
          .map((d) => (
            <text key={d} x={x(d)} y={axisY + 15} textAnchor="middle" className="tl-tick">
              {day(d).slice(5)}
            </text>
          ))}
      </svg>
      <ul className="tl-list" data-testid="timeline-events">
        {events.map((e) => (
          <li key={`${e.key}-${e.value}-${e.atMs}-${e.kind}`}>
            {day(e.atMs)}: {e.key}={e.value} {e.kind === 'appears' ? 'starts taking traffic' : 'stops'}
          </li>
        ))}
        {versions.map((v) => (
          <li key={v.id} className="muted">
            version {v.id}: stage {v.stage}, registered {day(v.createdAtMs)}
          </li>
        ))}
      </ul>
    </>
  );
}
