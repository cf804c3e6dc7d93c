/** `plumbline serve`: run the ingest API on a DuckDB file. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../../alerts/duration.js';
import { runMonitor } from '../../monitor/run-monitor.js';
import { buildApp } from '../../server/app.js';
import { assertSafeBind } from '../../server/auth.js';
import { alertManagers } from '../../server/routes/alerts.js';
import { type Scheduler, startScheduler } from '../../server/scheduler.js';
import { warmDashboard } from '../../server/warm.js';
import { createDuckDbStore } from '../../store/duckdb/duckdb-store.js';

/** Options of `plumbline serve`. */
export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  maxStoredRowsPerSecond?: number;
  bodyLimit: number;
  logLevel: string;
  /** Milliseconds between monitor + alert passes (0: none). */
  monitorInterval: number;
  /** Keep metric points in memory and profile the references at start (`--no-warm`: read the table). */
  warm: boolean;
}

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`${name} must be an integer ≥ 0, got ${v}`);
  return n;
};

/** Opens the store, checks the bind address and listens until SIGINT/SIGTERM. */
export async function serve(options: ServeOptions): Promise<void> {
  const store = await createDuckDbStore({ path: options.db });
  const keyCount = (await store.queryApiKeys()).length;
  try {
    assertSafeBind(options.host, keyCount);
  } catch (err) {
    await store.close();
    throw err;
  }
  const app = await buildApp({
    store,
    logger: { level: options.logLevel },
    bodyLimit: options.bodyLimit,
    ingest: { maxStoredRowsPerSecond: options.maxStoredRowsPerSecond },
  });
  let closing = false;
  let scheduler: Scheduler | undefined;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await scheduler?.stop();
    await app.close();
    await store.close();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // metric reads (dashboard, alert evaluation) from memory and the references profiled, in the
  // background (reads wait for the points' load)
  if (options.warm !== false)
    warmDashboard(store).catch((err: unknown) => app.log.warn({ err }, 'warming the dashboard failed'));
  await app.listen({ port: options.port, host: options.host });
  app.log.info({ db: options.db, auth: keyCount > 0 }, 'plumbline serving');
  const manager = alertManagers.get(store);
  scheduler = startScheduler({
    intervalMs: options.monitorInterval,
    models: async () => (await store.queryModels()).map((m) => m.id),
    monitor: (model, nowMs) => runMonitor({ store, model, nowMs }),
    evaluate: async (model, nowMs) => manager?.evaluate(model, { now: nowMs }),
    onTick: (r) => {
      for (const m of r.models)
        if (m.failed)
          app.log.warn({ model: m.model, step: m.failed.step, err: m.failed.error }, 'scheduled pass failed');
      app.log.debug({ models: r.models.length }, 'scheduled monitor and alert pass');
    },
  });
  if (options.monitorInterval > 0)
    app.log.info({ everyMs: options.monitorInterval }, 'monitor and alert evaluation scheduled');
}

/** A duration (`30s`, `5m`), or `0` (the help's "0 disables"; `parseDuration` wants a unit). */
export const duration = (v: string) => {
  const ms = v.trim() === '0' ? 0 : parseDuration(v);
  if (ms === undefined) throw new InvalidArgumentError(`expected a duration like 1m, 30s or 0, got ${v}`);
  return ms;
};

/** Registers `plumbline serve`. */
export function registerServe(program: Command): void {
  program.addCommand(
    new Command('serve')
      .description('Run the ingest API (predictions, labels, models) on a DuckDB file')
      .option('--db <file>', 'DuckDB database file', 'plumbline.duckdb')
      .option('--port <n>', 'TCP port', int('--port'), 7300)
      .option('--host <address>', 'address to bind; non-loopback needs API keys', '127.0.0.1')
      .option(
        '--max-stored-rows-per-second <n>',
        'sample detailed rows above this rate (default: store all)',
        int('rate'),
      )
      .option('--body-limit <bytes>', 'largest request body', int('--body-limit'), 32 * 1024 * 1024)
      .option('--log-level <level>', 'pino log level', 'info')
      .addOption(
        new Option(
          '--monitor-interval <duration>',
          'every this long (e.g. 30s, 5m): an incremental monitor pass per model, then its alert evaluation (notifications, escalation); 0 disables',
        )
          .argParser(duration)
          .default(60_000, '1m'),
      )
      .option(
        '--no-warm',
        'read metric points from the table on every request instead of keeping them in memory (~230 B a point) and profiling the references at start',
      )
      .action((opts: ServeOptions) => serve(opts)),
  );
}
