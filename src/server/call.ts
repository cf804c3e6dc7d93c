/**
 * Calls the HTTP API either over the network (`url`) or in-process on a DuckDB file (`db`, through
 * `app.inject`), so that CLI commands share the server's validation and errors in both modes.
 * A DuckDB file is locked by the process that opens it: while `plumbline serve` runs, use `url`.
 */
import { PlumblineError } from '../errors.js';
import type { ErrorBody } from '../ingest/schema.js';
import { createDuckDbStore } from '../store/duckdb/duckdb-store.js';
import { buildApp } from './app.js';

/** Where to send a call. */
export interface CallTarget {
  /** Base URL of a running server, e.g. `http://127.0.0.1:7300`. */
  url?: string;
  /** API key for `url`. */
  apiKey?: string;
  /** DuckDB file to open in-process when `url` is not given. */
  db: string;
}

/** Sends one request and returns the JSON answer; error answers throw their `PlumblineError`. */
export async function callApi(
  target: CallTarget,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  let status: number;
  let payload: unknown;
  if (target.url) {
    const res = await fetch(new URL(path, target.url), {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    status = res.status;
    payload = await res.json();
  } else {
    const store = await createDuckDbStore({ path: target.db });
    try {
      const app = await buildApp({ store, requireAuth: false });
      const res = await app.inject({ method, url: path, payload: body as object | undefined });
      status = res.statusCode;
      payload = res.json();
      await app.close();
    } finally {
      await store.close();
    }
  }
  if (status >= 400) {
    const e = (payload as ErrorBody).error;
    throw new PlumblineError(e.code, status, e.message, e.issues);
  }
  return payload;
}
