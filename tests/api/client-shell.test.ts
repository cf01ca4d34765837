// The server hands out the built client on every SPA route, with the map tile configuration and a CSP that allows it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { inject, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { ffmpegVersions } from '../../server/media/ffmpeg/runner.js';
import { SearchEngine } from '../../server/search/engine.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';

function app(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-shell-'));
  const clientDir = path.join(dir, 'dist');
  fs.mkdirSync(path.join(clientDir, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(clientDir, 'index.html'),
    '<!doctype html><html lang="de"><head><title>Schichtbuch</title></head><body><div id="root"></div></body></html>',
  );
  const config = loadConfig({ DATA_DIR: path.join(dir, 'data'), UPLOADS_DIR: path.join(dir, 'uploads'), ...env });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = openSqliteStore(config.dataDir);
  const search = new SearchEngine({ url: inject('meiliUrl'), apiKey: inject('meiliKey') });
  const { app: express, services } = createApp({ config, store, search, tools: ffmpegVersions, clientDir });
  return {
    request: supertest(express),
    async close() {
      services.uploads.stop();
      await store.close();
      // the tus file store creates its directory asynchronously at start; let it finish before the tree goes
      await new Promise((r) => setTimeout(r, 100));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('client shell', () => {
  it('serves index.html on SPA routes (not on /api) and injects the map tiles with a matching CSP', async () => {
    const a = app({
      MAP_TILE_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png',
      MAP_TILE_ATTRIBUTION: '© OSM & Co',
    });
    try {
      const res = await a.request.get('/interviews/123?t=5').set('Accept', 'text/html').expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.text).toContain(
        '<meta name="schichtbuch-tiles" content="https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png" data-attribution="© OSM &amp; Co">',
      );
      expect(res.headers['content-security-policy']).toMatch(
        /img-src 'self' data: blob: https:\/\/\*\.tile\.openstreetmap\.org/,
      );
      await a.request.get('/api/nothing').set('Accept', 'text/html').expect(404);
    } finally {
      await a.close();
    }
  });

  it('injects how narrators reach the archive (ARCHIVE_CONTACT), escaped, on the review pages too', async () => {
    const a = app({ ARCHIVE_CONTACT: 'Archiv Ferropolis "Kohle & Co", Tel. 034953 <35120>' });
    try {
      const res = await a.request.get('/durchsicht').set('Accept', 'text/html').expect(200);
      expect(res.text).toContain(
        '<meta name="schichtbuch-contact" content="Archiv Ferropolis &quot;Kohle &amp; Co&quot;, Tel. 034953 &lt;35120>">',
      );
    } finally {
      await a.close();
    }
  });

  it('without tiles: no meta tag, images only from the archive itself; a bad tile URL stops start-up', async () => {
    const a = app({});
    try {
      const res = await a.request.get('/places').set('Accept', 'text/html').expect(200);
      expect(res.text).not.toContain('schichtbuch-tiles');
      expect(res.text).not.toContain('schichtbuch-contact');
      expect(res.headers['content-security-policy']).toMatch(/img-src 'self' data: blob:;/);
    } finally {
      await a.close();
    }
    expect(() => loadConfig({ MAP_TILE_URL: 'http://tiles.example/{z}/{x}/{y}.png' })).toThrow(/MAP_TILE_URL/);
  });
});
