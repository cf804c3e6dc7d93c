/** Server process for bench/ingest.ts: serves a DuckDB file on 127.0.0.1:<port>, prints `ready`. */
import { buildApp } from '../src/server/app.js';
import { createDuckDbStore } from '../src/store/duckdb/duckdb-store.js';

const [db, port] = process.argv.slice(2);
const store = await createDuckDbStore({ path: db });
const app = await buildApp({ store, bodyLimit: 64 * 1024 * 1024 });
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await app.close();
  await store.close();
  process.exit(0);
});
