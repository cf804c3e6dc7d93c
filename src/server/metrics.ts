/**
 * Prometheus text exposition (format 0.0.4), written by hand: counters, gauges and one
 * histogram, enough for ingest rate, batch latency, rejects by reason, queue depth and store size.
 */

type Labels = Record<string, string>;

const escapeLabel = (v: string): string =>
  v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
const key = (labels: Labels): string =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
const fmt = (name: string, labelText: string, value: number): string =>
  `${name}${labelText ? `{${labelText}}` : ''} ${Number.isFinite(value) ? value : value > 0 ? '+Inf' : 'NaN'}`;

/** A monotonically increasing counter with labels. */
export class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  /** Adds `by` (default 1) to the series with `labels`. */
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  /** Exposition lines. */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, v] of this.values) lines.push(fmt(this.name, k, v));
    return lines;
  }
}

/** A histogram with fixed upper bounds (cumulative buckets, `_sum`, `_count`). */
export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[],
  ) {
    this.counts = bounds.map(() => 0);
  }
  /** Records one observation. */
  observe(value: number): void {
    this.sum += value;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) this.counts[i]++;
  }
  /** Exposition lines. */
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.bounds.forEach((b, i) => {
      lines.push(fmt(`${this.name}_bucket`, `le="${b}"`, this.counts[i]));
    });
    lines.push(fmt(`${this.name}_bucket`, 'le="+Inf"', this.count));
    lines.push(fmt(`${this.name}_sum`, '', this.sum), fmt(`${this.name}_count`, '', this.count));
    return lines;
  }
}

/** Renders a gauge sampled at scrape time. */
export function renderGauge(name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, fmt(name, '', value)];
}

/** The ingest server's metrics. */
export function createServerMetrics() {
  return {
    events: new Counter(
      'plumbline_ingest_events_total',
      'Prediction events by outcome (accepted, duplicate, stored).',
    ),
    labels: new Counter(
      'plumbline_ingest_labels_total',
      'Label events by outcome (accepted, duplicate, conflict).',
    ),
    batches: new Counter('plumbline_ingest_batches_total', 'Acknowledged batches by kind.'),
    rejects: new Counter('plumbline_ingest_rejected_batches_total', 'Rejected batches by reason.'),
    batchSeconds: new Histogram(
      'plumbline_ingest_batch_seconds',
      'Time from a batch being parsed to its commit being acknowledged.',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
  };
}

/** The metrics object `buildApp` keeps. */
export type ServerMetrics = ReturnType<typeof createServerMetrics>;
