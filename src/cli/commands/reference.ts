/** `plumbline reference set --model M --file FILE | --from T --to T`. */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { errors } from '../../errors.js';
import { type CallTarget, callApi } from '../../server/call.js';
import { withTarget } from './models.js';

/** Registers `plumbline reference`. */
export function registerReference(program: Command): void {
  const reference = new Command('reference').description('Set the reference (baseline) snapshot of a model');
  withTarget(
    reference
      .command('set')
      .description('Freeze a Parquet/CSV file or a time range of events as the reference'),
  )
    .requiredOption('--model <id>', 'model id')
    .option('--file <path>', 'Parquet or CSV file (a path the server can read)')
    .option('--from <time>', 'start of the event time range (ISO 8601 or epoch ms)')
    .option('--to <time>', 'end of the event time range (exclusive)')
    .action(async (opts: CallTarget & { model: string; file?: string; from?: string; to?: string }) => {
      const asTime = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
      let body: Record<string, unknown>;
      if (opts.file && opts.from === undefined && opts.to === undefined) body = { path: resolve(opts.file) };
      else if (!opts.file && opts.from !== undefined && opts.to !== undefined) {
        body = { from: asTime(opts.from), to: asTime(opts.to) };
      } else {
        throw errors.invalidInput('give --file, or --from and --to', [
          { field: '--file', expected: 'either --file, or both --from and --to' },
        ]);
      }
      const out = await callApi(opts, 'POST', `/v1/models/${encodeURIComponent(opts.model)}/reference`, body);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    });
  program.addCommand(reference);
}
