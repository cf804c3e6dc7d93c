/**
 * `plumbline demo`: the flights demo (see `src/demo/run-demo.ts`). Reads and validates the
 * scenario before anything runs, shows a progress bar per stage, prints a summary, writes
 * `<out>/summary.json`, and keeps the in-process server running unless `--no-serve`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { formatDemoAlerts } from '../../demo/alerting.js';
import { formatDiagnoses } from '../../demo/diagnose.js';
import {
  DEMO_MODEL_ID,
  DEMO_STAGES,
  type DemoMemory,
  type DemoStage,
  flightsScenarioContext,
  runDemo,
} from '../../demo/run-demo.js';
import { parseScenario, type Scenario } from '../../demo/scenario.js';
import { formatSummary } from '../../demo/summary.js';
import { errors } from '../../errors.js';
import { warmDashboard } from '../../server/warm.js';

/** Options of `plumbline demo`. */
export interface DemoCommandOptions {
  /** Scenario file. Default: the shipped `scenarios/default.json`. */
  scenario?: string;
  /** Output folder. Default `out/demo`. */
  out: string;
  /** DuckDB file. Default: a fresh `<out>/plumbline.duckdb`. */
  db?: string;
  /** Port of the server. Default 0 (ephemeral). */
  port?: number;
  /** Keep serving after the run. Default true. */
  serve: boolean;
  quiet?: boolean;
}

/** Path of the shipped default scenario (`scenarios/default.json` at the package root). */
export function defaultScenarioPath(): string {
  // this file is src/cli/commands/demo.ts or dist/cli/commands/demo.js: the root is three levels up
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scenarios', 'default.json');
}

/** Reads and validates a scenario file; throws a catalogue error naming the file and the fields. */
export async function readScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw errors.fileNotFound(`no such scenario file ${path}`, [
      { field: '--scenario', value: path, expected: 'a readable JSON scenario file' },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw errors.invalidInput(`scenario ${path} is not valid JSON (${(err as Error).message})`, [
      { field: '--scenario', value: path, expected: 'a JSON object' },
    ]);
  }
  return parseScenario(raw, flightsScenarioContext, `scenario ${path}`);
}

function stageBar(quiet: boolean) {
  const stream = process.stderr;
  if (quiet || !stream.isTTY)
    return {
      stage: (_s: DemoStage) => {},
      replay: (_d: number, _t: number) => {},
      days: (_d: number, _t: number) => {},
      stop: () => {},
    };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: 'plumbline demo [{bar}] {stage} {detail}',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(DEMO_STAGES.length, 0, { stage: DEMO_STAGES[0], detail: '' });
  let replayStart = 0;
  let name: DemoStage = DEMO_STAGES[0];
  return {
    stage(s: DemoStage) {
      name = s;
      if (s === 'replay') replayStart = performance.now();
      bar.update(DEMO_STAGES.indexOf(s), { stage: `${s}…`, detail: '' });
    },
    replay(done: number, total: number) {
      const rate = done / Math.max(1e-3, (performance.now() - replayStart) / 1000);
      bar.update(DEMO_STAGES.indexOf(name), {
        detail: `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} events, ${Math.round(rate).toLocaleString('en-US')} events/s`,
      });
    },
    days(done: number, total: number) {
      bar.update(DEMO_STAGES.indexOf(name), { detail: `${done}/${total} days` });
    },
    stop() {
      bar.update(DEMO_STAGES.length, { stage: 'done', detail: '' });
      bar.stop();
    },
  };
}

/** The closing memory note: peak RSS of the server and of the replay client, each its own process. */
export function formatMemory(m: DemoMemory): string {
  const stages = Object.entries(m.serverRssMbByStage)
    .map(([stage, mb]) => `${stage} ${mb}`)
    .join(', ');
  return (
    `Memory: server process peak RSS ${m.serverPeakRssMb} MB (DuckDB memory_limit ${m.duckdbMemoryLimit}; ` +
    `by stage, MB: ${stages}); replay client process peak RSS ${m.replayClientPeakRssMb} MB`
  );
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError(`invalid port ${value} (expected an integer from 0 to 65535)`);
  return n;
}

/** Adds `demo` to the program. */
export function registerDemo(program: Command): void {
  program.addCommand(
    new Command('demo')
      .description(
        'Replay six months of real US flights through a delay model, with injected incidents, and monitor it.',
      )
      .option('--scenario <file>', 'scenario file (default: the shipped scenarios/default.json)')
      .option('--out <dir>', 'where to write summary.json and the DuckDB file', 'out/demo')
      .option('--db <file>', 'DuckDB file (default: a fresh <out>/plumbline.duckdb)')
      .option('--port <n>', 'port of the API server (default: an ephemeral port)', port)
      .option('--no-serve', 'exit after the run instead of serving the API')
      .option('--quiet', 'no progress bar')
      .addHelpText(
        'after',
        '\nExamples:\n  $ plumbline demo --no-serve\n  $ plumbline demo --scenario scenarios/stationary.json --out out/stationary\n\n' +
          'Trains a delay model on early January 2001, replays the scenario days as production traffic through\n' +
          'the HTTP ingest API (labels a day later), injects the incidents, runs the monitor, and writes\n' +
          '<out>/summary.json. See README, "The flights demo" and "Scenario files".',
      )
      .action(async (options: DemoCommandOptions) => {
        const file = resolve(options.scenario ?? defaultScenarioPath());
        const scenario = await readScenarioFile(file);
        const log = (line: string) => process.stdout.write(`${line}\n`);
        const bar = stageBar(options.quiet === true);
        let run: Awaited<ReturnType<typeof runDemo>>;
        try {
          run = await runDemo({
            scenario,
            scenarioFile: file,
            out: options.out,
            db: options.db,
            port: options.port,
            onStage: bar.stage,
            onReplayProgress: (done, total) => bar.replay(done.predictions + done.labels, 2 * total),
            onMonitorProgress: bar.days,
          });
        } finally {
          bar.stop();
        }
        log(formatSummary(run.summary));
        log(formatDemoAlerts(run.summary));
        log(formatDiagnoses(run.summary));
        log(formatMemory(run.summary.memory));
        log(`\nSummary: ${join(options.out, 'summary.json')}`);
        if (!options.serve) {
          await run.close();
          return;
        }
        // the dashboard's and the alert engine's metric reads from memory, references profiled (~2 s)
        await warmDashboard(run.store);
        const m = `${run.url}/v1/models/${DEMO_MODEL_ID}`;
        log(
          `\nDashboard: ${run.url}/ (when the web build is present)\n` +
            `Serving the API on ${run.url} (Ctrl-C to stop). Try:\n` +
            `  curl ${m}\n` +
            `  curl ${m}/metrics/catalog\n` +
            `  curl '${m}/metrics?metric=latency_p95&window=hour&from=2001-06-01&to=2001-06-05'\n` +
            `  curl '${m}/metrics?metric=roc_auc&window=day'\n` +
            `  curl ${run.url}/v1/openapi.json`,
        );
        const stop = () => {
          run.close().finally(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
  );
}
