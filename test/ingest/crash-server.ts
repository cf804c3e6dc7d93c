/** Child process for crash.test.ts: serve a DuckDB file on 127.0.0.1:<port>; prints `ready` once listening. */
import { buildApp } from '../../src/server/app.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

const [db, port] = process.argv.slice(2);
const store = await createDuckDbStore({ path: db });
const app = await buildApp({ store });
await app.listen({ host: '127.0.0.1', port: Number(port) });
process.stdout.write('ready\n');
