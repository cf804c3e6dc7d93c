#!/usr/bin/env node
/**
 * The `plumbline` command line. Each command lives in `./commands/<name>.ts`
 * and exports `register(program)`.
 */
import { Command } from 'commander';
import { formatError } from '../errors.js';
import { registerCommands } from './commands/index.js';

const program = new Command();
program
  .name('plumbline')
  .description(
    'Watch production classification models, find out why they get worse, and fix them.\n' +
      'Run `plumbline <command> --help` for the options of each command.',
  )
  .version('0.1.0')
  .showHelpAfterError('(add --help for usage)');

registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${formatError(err)}\n`);
  process.exitCode =
    typeof (err as { exitCode?: unknown }).exitCode === 'number' ? (err as { exitCode: number }).exitCode : 1;
});
