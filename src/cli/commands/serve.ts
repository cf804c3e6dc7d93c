/** `plumbline serve`: run the ingest API on a DuckDB file. */
import { Command, InvalidArgumentError } from 'commander';
import { buildApp } from '../../server/app.js';
import { assertSafeBind } from '../../server/auth.js';
import { createDuckDbStore } from '../../store/duckdb/duckdb-store.js';

/** Options of `plumbline serve`. */
export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  maxStoredRowsPerSecond?: number;
  bodyLimit: number;
  logLevel: string;
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
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await store.close();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await app.listen({ port: options.port, host: options.host });
  app.log.info({ db: options.db, auth: keyCount > 0 }, 'plumbline serving');
}

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
      .action((opts: ServeOptions) => serve(opts)),
  );
}
