/** `plumbline versions add --model M --artifact FILE [--version V]`. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { errors } from '../../errors.js';
import { detectModelFormat } from '../../models/formats/detect.js';
import { type CallTarget, callApi } from '../../server/call.js';
import { withTarget } from './models.js';

const formats = ['plumbline-gbdt', 'xgboost-json', 'lightgbm-text', 'onnx'] as const;

/** Guesses a tree-model artifact's format from its content (`detectModelFormat`); undefined for binary (ONNX) or unknown files. */
export function detectFormat(bytes: Buffer): (typeof formats)[number] | undefined {
  try {
    return detectModelFormat(bytes.subarray(0, 1 << 20).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Registers `plumbline versions`. */
export function registerVersions(program: Command): void {
  const versions = new Command('versions').description('Register model versions');
  withTarget(versions.command('add').description('Register an artifact as a version of a model'))
    .requiredOption('--model <id>', 'model id')
    .requiredOption('--artifact <file>', 'model file')
    .option('--version <id>', 'version id (default: the first 12 hex digits of the SHA-256)')
    .addOption(new Option('--format <format>', 'artifact format (default: detected)').choices([...formats]))
    .option('--seed <n>', 'training seed (lineage)', (v) => Number.parseInt(v, 10))
    .option('--snapshot <id>', 'training snapshot id (lineage)')
    .option('--code-version <rev>', 'code version (lineage)')
    .action(
      async (
        opts: CallTarget & {
          model: string;
          artifact: string;
          version?: string;
          format?: string;
          seed?: number;
          snapshot?: string;
          codeVersion?: string;
        },
      ) => {
        let bytes: Buffer;
        try {
          bytes = await readFile(opts.artifact);
        } catch {
          throw errors.fileNotFound(`cannot read ${opts.artifact}`, [
            { field: '--artifact', value: opts.artifact, expected: 'a readable model file' },
          ]);
        }
        const format = opts.format ?? detectFormat(bytes);
        if (!format) {
          throw errors.invalidModel(`cannot tell the format of ${opts.artifact}`, [
            { field: '--format', expected: formats.join(', ') },
          ]);
        }
        const id = opts.version ?? createHash('sha256').update(bytes).digest('hex').slice(0, 12);
        const lineage = { seed: opts.seed, snapshotId: opts.snapshot, codeVersion: opts.codeVersion };
        const body = {
          id,
          format,
          artifactBase64: bytes.toString('base64'),
          lineage: Object.fromEntries(Object.entries(lineage).filter(([, v]) => v !== undefined)),
        };
        const out = await callApi(
          opts,
          'POST',
          `/v1/models/${encodeURIComponent(opts.model)}/versions`,
          body,
        );
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      },
    );
  program.addCommand(versions);
}
