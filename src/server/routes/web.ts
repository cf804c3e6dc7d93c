/**
 * The dashboard's built files (`npm run build:web` → dist/web/) served at `/`, with SPA fallback
 * to index.html for browser navigations (Accept: text/html) to client routes. `/v1/…` is never
 * shadowed, and other clients get the usual 404 JSON for unknown paths.
 * The directory is `PLUMBLINE_WEB_DIR` if set, else `dist/web` of the package.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** The package root: the nearest ancestor of this file holding package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** The directory the dashboard is served from. */
export function webDir(): string {
  return resolve(process.env.PLUMBLINE_WEB_DIR ?? join(packageRoot(), 'dist', 'web'));
}

/** Registers `GET /` and `GET /*` for the dashboard (no API key needed: the pages hold no data). */
export function webRoutes() {
  return async (app: FastifyInstance) => {
    const root = webDir();
    const send = async (file: string) => {
      const body = await readFile(file);
      return { body, type: types[extname(file)] ?? 'application/octet-stream' };
    };
    app.get<{ Params: { '*': string } }>(
      '/*',
      { config: { openapi: { summary: 'The dashboard (static files; client routes get index.html)' } } },
      async (req, reply) => {
        const path = req.params['*'] ?? '';
        const file = normalize(join(root, decodeURIComponent(path.split('?')[0])));
        const inside = file === root || file.startsWith(root + sep);
        const isFile = inside && (await stat(file).catch(() => null))?.isFile();
        const browser = (req.headers.accept ?? '').includes('text/html');
        if (!isFile && (path === 'v1' || path.startsWith('v1/') || (path !== '' && !browser)))
          throw errors.notFound(`no route GET ${req.url}`, [
            { field: 'route', value: `GET ${req.url}`, expected: 'a route listed in /v1/openapi.json' },
          ]);
        const index = join(root, 'index.html');
        if (!isFile && !existsSync(index))
          throw errors.notFound('the dashboard is not built', [
            { field: 'dist/web', value: root, expected: 'run npm run build:web' },
          ]);
        const { body, type } = await send(isFile ? file : index);
        const immutable = isFile && path.startsWith('assets/');
        return reply
          .type(type)
          .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
          .header('x-content-type-options', 'nosniff')
          .send(body);
      },
    );
  };
}
