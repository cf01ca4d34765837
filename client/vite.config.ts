// Vite config for the Schichtbuch web client. Run from the repo root:
//   npx vite build --config client/vite.config.ts   → client/dist
//   npx vite --config client/vite.config.ts          → dev server, API proxied to the Express server
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const clientRoot = fileURLToPath(new URL('.', import.meta.url));
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  root: clientRoot,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/media': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
});
