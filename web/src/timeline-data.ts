/** The timeline's data: traffic shares per day and where values start or stop taking traffic (no DOM). */

/** A day's count of one value (a metric point of the throughput series). */
export interface DayCount {
  window: { startMs: number };
  value: number | null;
}

/** A value's traffic share per day. */
export interface Lane {
  /** `version` or the tag name (e.g. `pipeline`). */
  key: string;
  values: { value: string; share: Map<number, number> }[];
}

/** A change in a lane: a value starts or stops carrying traffic (share crossing `minShare`). */
export interface TimelineEvent {
  key: string;
  value: string;
  atMs: number;
  kind: 'appears' | 'disappears';
}

/** Shares of `counts` (value → day → events) relative to the day's total across values. */
export function sharesOf(key: string, counts: Map<string, DayCount[]>): Lane {
  const total = new Map<number, number>();
  for (const pts of counts.values())
    for (const p of pts) total.set(p.window.startMs, (total.get(p.window.startMs) ?? 0) + (p.value ?? 0));
  return {
    key,
    values: [...counts.entries()].map(([value, pts]) => ({
      value,
      share: new Map(pts.map((p) => [p.window.startMs, (p.value ?? 0) / (total.get(p.window.startMs) || 1)])),
    })),
  };
}

/**
 * Where each value of a lane starts or stops carrying at least `minShare` of the traffic. Days without
 * traffic in the lane (before the first event, after the last, gaps) change nothing.
 */
export function laneEvents(lane: Lane, days: number[], minShare = 0.01): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const live = days.filter((d) => lane.values.some((v) => (v.share.get(d) ?? 0) > 0));
  for (const v of lane.values) {
    let on = false;
    live.forEach((d, i) => {
      const now = (v.share.get(d) ?? 0) >= minShare;
      // a value present from the first day is not a change
      if (now && !on && i > 0) out.push({ key: lane.key, value: v.value, atMs: d, kind: 'appears' });
      if (!now && on) out.push({ key: lane.key, value: v.value, atMs: d, kind: 'disappears' });
      on = now;
    });
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}
