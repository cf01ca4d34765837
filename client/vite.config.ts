// Vite config for the Schichtbuch web client. Run from the repo root:
//   npx vite build --config client/vite.config.ts   → client/dist
//   npx vite --config client/vite.config.ts          → dev server, API proxied to the Express server
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const clientRoot = fileURLToPath(new URL('.', import.meta.url));
const backend = 'http://127.0.0.1:8080';
// video.js without its bundled HLS engine (VHS). @videojs/http-streaming imports `video.js` itself; pointing
// that at the same core build makes the lazily loaded VHS register with our player instead of pulling in a
// second, full copy of video.js.
const videojsCore = fileURLToPath(new URL('../node_modules/video.js/core.es.js', import.meta.url));

export default defineConfig({
  root: clientRoot,
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^video\.js$/, replacement: videojsCore },
      { find: /^video\.js\/core$/, replacement: videojsCore },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // every page needs React, the router and i18n, and the app's transport, data hook and German texts: one file each
        // instead of many small ones (each file's gzip starts with an empty dictionary); en.json stays its own chunk
        codeSplitting: {
          groups: [
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|i18next|react-i18next|html-parse-stringify|void-elements)[\\/]/,
            },
            {
              name: 'app',
              test: /client[\\/]src[\\/](lib[\\/]|i18n[\\/](index|namespace|de)|useApi|useDocumentTitle|components[\\/](Problem|placeSlug))/,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/media': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
    },
  },
});
