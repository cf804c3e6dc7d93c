/** `plumbline models create --file model.json | list | show ID`. */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { errors } from '../../errors.js';
import { type CallTarget, callApi } from '../../server/call.js';

/** Adds `--db`, `--url` and `--api-key` to a command. */
export function withTarget(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'DuckDB database file (when no --url)', 'plumbline.duckdb')
    .option('--url <url>', 'a running server, e.g. http://127.0.0.1:7300')
    .option(
      '--api-key <key>',
      'API key for --url (default $PLUMBLINE_API_KEY)',
      process.env.PLUMBLINE_API_KEY,
    );
}

/** Reads a JSON file or throws a catalogue error naming it. */
export async function readJsonFile(path: string, option: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw errors.fileNotFound(`cannot read ${path}`, [
      { field: option, value: path, expected: 'a readable file' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.invalidInput(`${path} is not JSON`, [
      { field: option, value: (err as Error).message, expected: 'JSON' },
    ]);
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** Registers `plumbline models`. */
export function registerModels(program: Command): void {
  const models = new Command('models').description('Create, list and show monitored models');
  withTarget(models.command('create').description('Create a model from a JSON definition'))
    .requiredOption(
      '--file <model.json>',
      'model definition ({ id, schema: { features, label, positiveClass, … } })',
    )
    .action(async (opts: CallTarget & { file: string }) => {
      print(await callApi(opts, 'POST', '/v1/models', await readJsonFile(opts.file, '--file')));
    });
  withTarget(models.command('list').description('List models')).action(async (opts: CallTarget) => {
    const { models: list } = (await callApi(opts, 'GET', '/v1/models')) as { models: { id: string }[] };
    for (const m of list) process.stdout.write(`${m.id}\n`);
  });
  withTarget(
    models.command('show').description('Show a model, its versions and reference').argument('<id>'),
  ).action(async (id: string, opts: CallTarget) => {
    print(await callApi(opts, 'GET', `/v1/models/${encodeURIComponent(id)}`));
  });
  program.addCommand(models);
}
