/**
 * `plumbline contract generate --reference FILE --out contract.yaml` records a feature contract;
 * `plumbline contract check --contract contract.yaml --data FILE` checks a batch against it and
 * exits 1 with one line per violated feature rule. YAML via the `yaml` package.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { parse, stringify } from 'yaml';
import {
  type Contract,
  type ContractViolation,
  checkContract,
  generateContract,
} from '../../contracts/contract.js';
import { errors } from '../../errors.js';
import { createTableReader } from '../../io/read-table.js';
import { splitList } from '../../report/infer-types.js';
import { parseCount, readFeatureTable } from './check-pipeline.js';
import { type CommandIo, writeAtomic } from './report.js';

/** Options of `contract generate`. */
export interface ContractGenerateOptions {
  reference: string;
  out?: string;
  /** Comma-separated columns to leave out (keys, labels, timestamps). */
  exclude?: string;
  /** Integer columns with at most this many distinct values are category codes. Default 0. */
  maxCodes: number;
}

/** Options of `contract check`. */
export interface ContractCheckOptions {
  contract: string;
  data: string;
  format: 'text' | 'json';
}

async function readTable(path: string) {
  const reader = await createTableReader();
  try {
    return await readFeatureTable(reader, path);
  } finally {
    reader.close();
  }
}

/** Runs `contract generate`; returns the contract written. */
export async function runContractGenerate(
  options: ContractGenerateOptions,
  io: CommandIo,
): Promise<Contract> {
  const table = await readTable(options.reference);
  const contract = generateContract(table, {
    exclude: splitList(options.exclude),
    maxCodes: options.maxCodes,
  });
  const text = `# Plumbline feature contract, recorded from ${options.reference}\n# Edit tolerances as needed; check batches with: plumbline contract check --contract FILE --data BATCH\n${stringify(contract)}`;
  if (options.out) await writeAtomic(options.out, text);
  else io.stdout.write(text);
  return contract;
}

/** Runs `contract check`; sets exit code 1 when the batch violates the contract. */
export async function runContractCheck(
  options: ContractCheckOptions,
  io: CommandIo & { setExitCode?: (code: number) => void },
): Promise<ContractViolation[]> {
  let contract: Contract;
  try {
    contract = parse(await readFile(options.contract, 'utf8')) as Contract;
  } catch (cause) {
    throw errors.fileNotFound(
      `cannot read contract ${options.contract}`,
      [
        {
          field: '--contract',
          value: options.contract,
          expected: 'a YAML file written by plumbline contract generate',
        },
      ],
      { cause },
    );
  }
  if (contract?.version !== 1 || typeof contract.features !== 'object' || contract.features === null)
    throw errors.invalidInput(`invalid contract ${options.contract}`, [
      { field: 'version', value: contract?.version, expected: 'version: 1 and a features map' },
    ]);
  const violations = checkContract(contract, await readTable(options.data));
  if (options.format === 'json')
    io.stdout.write(`${JSON.stringify({ ok: violations.length === 0, violations }, null, 2)}\n`);
  else if (violations.length === 0)
    io.stdout.write(
      `ok: ${options.data} meets the contract (${Object.keys(contract.features).length} features)\n`,
    );
  else
    io.stdout.write(
      `FAIL: ${options.data} violates the contract (${violations.length} issue${violations.length > 1 ? 's' : ''}):\n${violations
        .map((v) => `  ✗ ${v.message}\n`)
        .join('')}`,
    );
  if (violations.length > 0) (io.setExitCode ?? ((c) => (process.exitCode = c)))(1);
  return violations;
}

/** Builds the `contract` command with its `generate` and `check` subcommands. */
export function createContractCommand(
  io: CommandIo = { stdout: process.stdout, stderr: process.stderr },
): Command {
  const contract = new Command('contract').description(
    'Feature contracts: record a reference batch, check later batches (for CI).',
  );
  contract
    .command('generate')
    .description('Record per feature: type, null rate, quantiles/mean/std or categories, with tolerances.')
    .requiredOption('--reference <file>', 'reference batch (CSV or Parquet)')
    .option('--out <file>', 'write the YAML contract here instead of stdout')
    .option('--exclude <a,b,...>', 'columns to leave out (keys, labels, timestamps)')
    .option(
      '--max-codes <n>',
      'integer columns with at most n distinct values are category codes',
      parseCount,
      0,
    )
    .action(async (opts: ContractGenerateOptions) => {
      await runContractGenerate(opts, io);
    });
  contract
    .command('check')
    .description('Check a batch against a contract; exit 1 with one line per violation.')
    .requiredOption('--contract <file>', 'contract YAML from `contract generate`')
    .requiredOption('--data <file>', 'batch to check (CSV or Parquet)')
    .option('--format <format>', 'text or json', 'text')
    .action(async (opts: ContractCheckOptions) => {
      await runContractCheck(opts, io);
    });
  return contract;
}

/** Adds `contract` to the program. */
export function registerContract(program: Command): void {
  program.addCommand(createContractCommand());
}
