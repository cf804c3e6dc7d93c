/** `plumbline keys create --scope ingest` / `plumbline keys list`: API keys, stored hashed. */
import { Command, Option } from 'commander';
import { createApiKey, keyScopes } from '../../server/auth.js';
import { createDuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { KeyScope } from '../../store/store.js';

/** Registers `plumbline keys`. */
export function registerKeys(program: Command): void {
  const keys = new Command('keys').description(
    'Manage API keys (the secret is shown once; only its hash is kept)',
  );
  keys
    .command('create')
    .description('Create a key and print it')
    .addOption(
      new Option('--scope <scope>', 'scope (repeatable)')
        .choices([...keyScopes])
        .argParser((v: string, prev: KeyScope[] | undefined) => [...(prev ?? []), v as KeyScope])
        .makeOptionMandatory(),
    )
    .option('--db <file>', 'DuckDB database file', 'plumbline.duckdb')
    .action(async (opts: { scope: KeyScope[]; db: string }) => {
      const store = await createDuckDbStore({ path: opts.db });
      try {
        const { secret, key } = createApiKey(opts.scope, Date.now());
        await store.insertApiKey(key);
        process.stdout.write(`${secret}\n`);
        process.stderr.write(
          `key ${key.id} (${key.scopes.join(', ')}) created; store the secret now, it is not kept\n`,
        );
      } finally {
        await store.close();
      }
    });
  keys
    .command('list')
    .description('List keys (ids and scopes, never secrets)')
    .option('--db <file>', 'DuckDB database file', 'plumbline.duckdb')
    .action(async (opts: { db: string }) => {
      const store = await createDuckDbStore({ path: opts.db });
      try {
        for (const k of await store.queryApiKeys()) {
          process.stdout.write(`${k.id}\t${k.scopes.join(',')}\t${new Date(k.createdAtMs).toISOString()}\n`);
        }
      } finally {
        await store.close();
      }
    });
  program.addCommand(keys);
}
