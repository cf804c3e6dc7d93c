/**
 * `plumbline metrics --model M [--metric …]`: metric series as a table with a sparkline per
 * series (or JSON), through the HTTP API (`--url`) or in-process on a DuckDB file (`--db`).
 * `plumbline monitor run --model M`: one monitor pass over a DuckDB file, with a progress bar.
 */
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { errors } from '../../errors.js';
import { runMonitor } from '../../monitor/run-monitor.js';
import { timeExpected } from '../../parse-time.js';
import { type CallTarget, callApi } from '../../server/call.js';
import { parseTime } from '../../server/routes/metrics.js';
import { createDuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { MetricCatalog, WindowSize } from '../../store/store.js';
import { withTarget } from './models.js';

type SeriesPoint = {
  window: { size: WindowSize; startMs: number };
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  n: number;
  status: string;
  estimated: boolean;
  significant?: boolean;
  baseline?: number;
};

interface Series {
  metric: string;
  segment: string;
  window: WindowSize;
  version: string;
  points: SeriesPoint[];
}

const ticks = '▁▂▃▄▅▆▇█';

/** A unicode sparkline of a series; missing values are spaces. */
export function sparkline(values: (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return ' '.repeat(values.length);
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      const k = hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (ticks.length - 1));
      return ticks[k];
    })
    .join('');
}

const fmt = (v: number | null | undefined): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
};

const day = (ms: number, size: WindowSize) =>
  size === 'day'
    ? new Date(ms).toISOString().slice(0, 10)
    : new Date(ms).toISOString().slice(0, 13).replace('T', ' ');

/** Renders series as a readable table: one summary line per series, then the points of a single series. */
export function renderSeriesTable(series: Series[], width = 60): string {
  const lines: string[] = [];
  const head = ['metric', 'segment', 'version', 'window', 'points', 'last', '95% CI', 'flags', 'trend'];
  const rows = series.map((s) => {
    const last = [...s.points].reverse().find((p) => p.status === 'ok');
    const flagged = s.points.filter((p) => p.significant).length;
    return [
      s.metric,
      s.segment,
      s.version,
      s.window,
      String(s.points.length),
      last ? `${fmt(last.value)}${last.estimated ? ' (est.)' : ''}` : 'insufficient',
      last && last.ciLow !== null ? `[${fmt(last.ciLow)}, ${fmt(last.ciHigh)}]` : '',
      flagged > 0 ? `${flagged} significant` : '',
      sparkline(s.points.slice(-width).map((p) => (p.status === 'ok' ? p.value : null))),
    ];
  });
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => [...r[c]].length)));
  const line = (cells: string[]) =>
    cells
      .map((x, c) => x.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  lines.push(line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line));
  if (series.length === 1) {
    lines.push('');
    for (const p of series[0].points) {
      const ci = p.ciLow !== null ? ` [${fmt(p.ciLow)}, ${fmt(p.ciHigh)}]` : '';
      const flag = p.significant ? '  ◀ significant' : '';
      const base = p.baseline !== undefined ? `  baseline ${fmt(p.baseline)}` : '';
      const value = p.status === 'ok' ? `${fmt(p.value)}${ci}` : 'insufficient data';
      lines.push(`${day(p.window.startMs, p.window.size)}  ${value}  n=${p.n}${base}${flag}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function parseWindow(v: string): WindowSize {
  if (v !== 'day' && v !== 'hour')
    throw new InvalidArgumentError(`expected day or hour, got ${JSON.stringify(v)}`);
  return v;
}

/** Commander parser for a time option: ISO 8601 or epoch milliseconds, as epoch milliseconds. */
export function parseTimeMsOption(v: string): number {
  const t = parseTime(v);
  if (t === undefined || !Number.isFinite(t))
    throw new InvalidArgumentError(`expected ${timeExpected}, got ${JSON.stringify(v)}`);
  return t;
}

const parseTimeOption = (v: string): string => String(parseTimeMsOption(v));

interface MetricsOptions extends CallTarget {
  model: string;
  metric?: string;
  segment: string;
  window?: WindowSize;
  version: string;
  from?: string;
  to?: string;
  smooth?: string;
  format: 'table' | 'json';
}

/** Registers `plumbline metrics`. */
export function registerMetrics(program: Command): void {
  withTarget(
    program
      .command('metrics')
      .description('Show monitor metric series (table with sparklines, or JSON)')
      .requiredOption('--model <id>', 'the model')
      .option('--metric <names>', 'metric names, comma-separated (default: every stored metric)')
      .option('--segment <segment>', "'all' or '<column>=<value>'", 'all')
      .option('--window <size>', 'day or hour (default: day, or the metric’s only window)', parseWindow)
      .option('--version <id>', "a version, or '*' for all", '*')
      .option('--from <time>', 'ISO 8601 or epoch ms', parseTimeOption)
      .option('--to <time>', 'ISO 8601 or epoch ms (exclusive)', parseTimeOption)
      .option('--smooth <spec>', 'ewma:<alpha> or rolling:<k>')
      .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table')),
  ).action(async (opts: MetricsOptions) => {
    const model = encodeURIComponent(opts.model);
    const catalog = (await callApi(opts, 'GET', `/v1/models/${model}/metrics/catalog`)) as MetricCatalog;
    const names = opts.metric ? opts.metric.split(',').filter(Boolean) : catalog.metrics.map((m) => m.metric);
    const known = new Map(catalog.metrics.map((m) => [m.metric, m]));
    const unknown = names.filter((n) => !known.has(n));
    if (unknown.length > 0)
      throw errors.invalidInput(`no metric ${unknown.join(', ')} for model ${opts.model}`, [
        {
          field: '--metric',
          value: unknown.join(','),
          expected: `one of ${[...known.keys()].join(', ') || '(none: run plumbline monitor run)'}`,
        },
      ]);
    const series: Series[] = [];
    for (const metric of names) {
      const windows = known.get(metric)!.windows;
      const window = opts.window ?? (windows.includes('day') ? 'day' : windows[0]);
      if (!windows.includes(window)) continue;
      const q = new URLSearchParams({ metric, segment: opts.segment, window, version: opts.version });
      if (opts.from) q.set('from', opts.from);
      if (opts.to) q.set('to', opts.to);
      if (opts.smooth) q.set('smooth', opts.smooth);
      series.push((await callApi(opts, 'GET', `/v1/models/${model}/metrics?${q}`)) as Series);
    }
    process.stdout.write(
      opts.format === 'json' ? `${JSON.stringify(series, null, 2)}\n` : renderSeriesTable(series),
    );
  });
}

interface MonitorOptions {
  model: string;
  db: string;
  from?: string;
  to?: string;
  windows: string;
  full?: boolean;
  quiet?: boolean;
}

/** Registers `plumbline monitor run`. */
export function registerMonitor(program: Command): void {
  const monitor = new Command('monitor').description('Run the windowed monitor');
  monitor
    .command('run')
    .description('Compute the metric points of every window changed since the last pass')
    .requiredOption('--model <id>', 'the model')
    .option('--db <file>', 'DuckDB database file', 'plumbline.duckdb')
    .option('--from <time>', 'ISO 8601 or epoch ms', parseTimeOption)
    .option('--to <time>', 'ISO 8601 or epoch ms (exclusive)', parseTimeOption)
    .option('--windows <sizes>', 'window sizes, comma-separated', 'hour,day')
    .option('--full', 'recompute every window')
    .option('--quiet', 'no progress bar')
    .action(async (opts: MonitorOptions) => {
      const windows = opts.windows.split(',').map((w) => parseWindow(w.trim()));
      const store = await createDuckDbStore({ path: opts.db });
      const bar =
        !opts.quiet && process.stderr.isTTY
          ? new cliProgress.SingleBar(
              {
                stream: process.stderr,
                format: 'monitor [{bar}] {value}/{total} days',
                clearOnComplete: true,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      try {
        const result = await runMonitor({
          store,
          model: opts.model,
          fromMs: opts.from !== undefined ? Number(opts.from) : undefined,
          toMs: opts.to !== undefined ? Number(opts.to) : undefined,
          nowMs: Date.now(),
          windows,
          full: opts.full ?? false,
          onProgress: (p) => {
            if (!bar) return;
            if (p.stage === 'windows' && p.done === 0) bar.start(p.total, 0);
            else if (p.stage === 'windows') bar.update(p.done);
            else if (p.stage === 'done') bar.stop();
          },
        });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } finally {
        bar?.stop();
        await store.close();
      }
    });
  program.addCommand(monitor);
}
