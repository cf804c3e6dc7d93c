/**
 * `plumbline demo` (interim, until the monitoring demo replaces it): six months
 * of real US flights (vega-datasets, 3 M rows, January–June 2001), January as
 * the reference and each later month as current, one drift report per month.
 *
 * Features: departure hour and weekday, distance, origin, destination; label
 * `delayed` = delay > 15 min. The "model" is a smoothed delay rate per
 * (origin, departure hour) learnt on 1–15 January:
 *   score = (delayed + a·p̄) / (flights + a), a = 20, p̄ = overall rate,
 * so the performance section shows a real score drifting as delays rise.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { createTableReader, quoteIdentifier, type TableColumn, type TableInfo } from '../../io/read-table.js';
import { buildReport, createReportCache, type ReportColumn, toJson } from '../../report/build-report.js';
import { renderHtml } from '../../report/render-html.js';
import { formatNumber } from '../../report/svg.js';
import type { Report } from '../../report/types.js';
import { createProgress } from '../progress.js';
import { writeAtomic } from './report.js';

/** Options of `plumbline demo`. */
export interface DemoOptions {
  /** Output folder. Default 'out/demo'. */
  out: string;
  /** Serve the folder over HTTP after writing (interactive terminals only). Default true. */
  serve: boolean;
  quiet?: boolean;
}

const SMOOTHING = 20;
const FEATURES: { name: string; type: 'numeric' | 'categorical' }[] = [
  { name: 'dep_hour', type: 'numeric' },
  { name: 'weekday', type: 'numeric' },
  { name: 'distance', type: 'numeric' },
  { name: 'origin', type: 'categorical' },
  { name: 'destination', type: 'categorical' },
];

/** Path of the flights Parquet file shipped by the vega-datasets package. */
export function flightsPath(): string {
  const require = createRequire(import.meta.url);
  // the package's "exports" hide package.json, so walk up from its entry point to the package root
  let dir = dirname(require.resolve('vega-datasets'));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'data', 'flights-3m.parquet');
}

/** One month's row of the demo summary. */
export interface DemoMonth {
  month: string;
  rows: number;
  delayRate: number;
  driftedFeatures: string[];
  worst: { name: string; psi: number } | null;
  rocAuc: { reference: number | null; current: number | null };
  report: string;
}

function summarise(month: string, report: Report, delayRate: number, file: string): DemoMonth {
  const ranked = [...report.features].sort((a, b) => (b.tests.psi.value || 0) - (a.tests.psi.value || 0));
  return {
    month,
    rows: report.summary.rows.current,
    delayRate,
    driftedFeatures: report.features.filter((f) => f.drifted).map((f) => f.name),
    worst: ranked[0] ? { name: ranked[0].name, psi: ranked[0].tests.psi.value } : null,
    rocAuc: {
      reference: report.performance?.reference.rocAuc?.value ?? null,
      current: report.performance?.current.rocAuc?.value ?? null,
    },
    report: file,
  };
}

/** Formats the summary as an aligned text table. */
export function formatDemoTable(rows: DemoMonth[]): string {
  const header = ['month', 'rows', 'delay rate', 'ROC AUC', 'drifted features', 'worst feature (PSI)'];
  const body = rows.map((r) => [
    r.month,
    r.rows.toLocaleString('en-US'),
    `${(100 * r.delayRate).toFixed(1)}%`,
    formatNumber(r.rocAuc.current),
    r.driftedFeatures.length ? r.driftedFeatures.join(', ') : '—',
    r.worst ? `${r.worst.name} (${formatNumber(r.worst.psi)})` : '—',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...body.map(line)].join('\n');
}

/** Runs the demo: writes DIR/report-2001-0M.html and DIR/summary.json, returns the summary. */
export async function runDemo(options: DemoOptions, log: (line: string) => void): Promise<DemoMonth[]> {
  const months = [2, 3, 4, 5, 6];
  const progress = createProgress(['reading', ...months.map((m) => `2001-0${m}`)], { quiet: options.quiet });
  progress.stage('reading');
  await mkdir(options.out, { recursive: true });
  const reader = await createTableReader();
  try {
    const raw = await reader.open(flightsPath());
    const src = quoteIdentifier(raw.table);
    const flights = await reader.openQuery(
      'flights',
      `SELECT hour("date")::DOUBLE AS dep_hour, dayofweek("date")::DOUBLE AS weekday, distance::DOUBLE AS distance,
              origin, destination, CASE WHEN delay > 15 THEN '1' ELSE '0' END AS delayed,
              month("date") AS m, "date" < TIMESTAMP '2001-01-16' AS train
       FROM ${src} WHERE "date" < TIMESTAMP '2001-07-01' AND delay IS NOT NULL`,
    );
    const f = quoteIdentifier(flights.table);
    const model = await reader.openQuery(
      'model',
      `WITH prior AS (SELECT avg((delayed = '1')::DOUBLE) AS p FROM ${f} WHERE train)
       SELECT origin, dep_hour, (sum((delayed = '1')::DOUBLE) + $1 * any_value(prior.p)) / (count(*) + $1) AS rate
       FROM ${f}, prior WHERE train GROUP BY origin, dep_hour`,
      [SMOOTHING],
    );
    const scored = await reader.openQuery(
      'scored',
      `SELECT x.*, coalesce(s.rate, (SELECT avg((delayed = '1')::DOUBLE) FROM ${f} WHERE train)) AS score
       FROM ${f} x LEFT JOIN ${quoteIdentifier(model.table)} s USING (origin, dep_hour)`,
    );
    const monthTable = (m: number): Promise<TableInfo> =>
      reader.openQuery(`2001-0${m}`, `SELECT * FROM ${quoteIdentifier(scored.table)} WHERE m = $1`, [m]);
    const specs = [
      ...FEATURES.map((c) => ({ name: c.name, as: c.type })),
      { name: 'delayed', as: 'categorical' as const },
      { name: 'score', as: 'numeric' as const },
    ];
    const readMonth = async (m: number) => {
      const info = await monthTable(m);
      return {
        info,
        columns: new Map((await reader.read(info, specs)).map((c): [string, TableColumn] => [c.name, c])),
      };
    };
    const ref = await readMonth(1);
    const cache = createReportCache();
    const out: DemoMonth[] = [];
    for (const m of months) {
      const month = `2001-0${m}`;
      progress.stage(month);
      const cur = await readMonth(m);
      const features = FEATURES.map(
        (c): ReportColumn =>
          ({
            name: c.name,
            type: c.type,
            reference: ref.columns.get(c.name)!.values,
            current: cur.columns.get(c.name)!.values,
          }) as ReportColumn,
      );
      const label = cur.columns.get('delayed')!.values as (string | null)[];
      const { report, details } = buildReport(
        {
          rows: { reference: ref.info.rows, current: cur.info.rows },
          features,
          label: {
            name: 'delayed',
            reference: ref.columns.get('delayed')!.values as (string | null)[],
            current: label,
          },
          score: {
            name: 'score',
            reference: ref.columns.get('score')!.values as Float64Array,
            current: cur.columns.get('score')!.values as Float64Array,
          },
        },
        { cache },
      );
      details.sources = { reference: 'flights 2001-01', current: `flights ${month}` };
      const file = `report-${month}.html`;
      await writeAtomic(
        join(options.out, file),
        renderHtml(report, details, { title: `Flight delays: ${month} vs January 2001` }),
      );
      const delayed = label.reduce((s, v) => s + (v === '1' ? 1 : 0), 0) / label.length;
      out.push(summarise(month, report, delayed, file));
    }
    progress.stop();
    const referenceDelay =
      (ref.columns.get('delayed')!.values as (string | null)[]).filter((v) => v === '1').length /
      ref.info.rows;
    await writeAtomic(
      join(options.out, 'summary.json'),
      `${toJson({ reference: { month: '2001-01', rows: ref.info.rows, delayRate: referenceDelay }, months: out } as never)}\n`,
    );
    log(
      `Reference: January 2001, ${ref.info.rows.toLocaleString('en-US')} flights, delay rate ${(100 * referenceDelay).toFixed(1)}%`,
    );
    log(formatDemoTable(out));
    log(
      `\nReports: ${join(options.out, 'report-2001-0*.html')}, summary: ${join(options.out, 'summary.json')}`,
    );
    return out;
  } finally {
    progress.stop();
    reader.close();
  }
}

/** Serves DIR's reports on 127.0.0.1 until interrupted. */
function serve(dir: string, files: string[], log: (line: string) => void): void {
  const server = createServer(async (req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1)) || files[0];
    if (!files.includes(name)) {
      res.writeHead(404).end('not found');
      return;
    }
    const { readFile } = await import('node:fs/promises');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await readFile(join(dir, name)));
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    log(
      `\nServing the reports on ${files.map((f) => `http://127.0.0.1:${port}/${f}`).join('\n  ')}\n(Ctrl-C to stop)`,
    );
  });
}

/** Adds `demo` to the program. */
export function registerDemo(program: Command): void {
  program.addCommand(
    new Command('demo')
      .description('Drift reports for six months of real US flights (January 2001 as reference).')
      .option('--out <dir>', 'where to write the reports and summary.json', 'out/demo')
      .option('--no-serve', 'do not serve the reports over HTTP afterwards')
      .option('--quiet', 'no progress bar')
      .addHelpText(
        'after',
        '\nExample:\n  $ plumbline demo --out out/demo --no-serve\n\nWrites out/demo/report-2001-02.html … report-2001-06.html and summary.json,\nand prints one line per month: rows, delay rate, ROC AUC, drifted features, worst feature.',
      )
      .action(async (options: DemoOptions) => {
        const log = (line: string) => process.stdout.write(`${line}\n`);
        const months = await runDemo(options, log);
        if (options.serve && process.stdout.isTTY && process.stdin.isTTY) {
          serve(
            options.out,
            months.map((m) => m.report),
            log,
          );
        }
      }),
  );
}
