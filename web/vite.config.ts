/** Vite build of the dashboard: web/ → dist/web/, served by Fastify at `/` (src/server/routes/web.ts). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: process.env.PLUMBLINE_WEB_OUT ?? resolve(root, '../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:8080' } },
});
