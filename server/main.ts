// `npm start`: the archive on one machine — API, media and the built client on one port.
// The composition root: the one file under server/ that may import workers/ (the lint boundary rule exempts exactly
// this file). It hands the in-process job workers to the runtime; nothing else in server/ knows workers/ exists.
import type { Server } from 'node:http';
import { startWorkers } from '../workers/setup.js';
import { loadConfigOrExit } from './config.js';
import { configureLogger, moduleLogger } from './logger.js';
import { startRuntime } from './runtime.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  configureLogger(config.LOG_LEVEL);
  const log = moduleLogger('main');
  const runtime = await startRuntime(config, { startWorkers });
  const server: Server = runtime.app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  // Requests Node's parser rejects (raw non-ASCII in the URL, broken headers) still get problem+json, not an empty 400.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || err.code === 'ECONNRESET') return socket.destroy();
    const body = JSON.stringify({
      type: '/problems/bad-request',
      title: 'Die Anfrage ist fehlerhaft.',
      status: 400,
      detail: err.code ?? 'malformed request',
    });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  // slow uploads over weak connections must not be cut by Node's default request timeout
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info(
    { port, dataDir: config.dataDir, uploadsDir: config.uploadsDir },
    `Schichtbuch läuft auf http://localhost:${port}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    server.close();
    server.closeIdleConnections();
    await runtime.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  moduleLogger('main').fatal({ err }, 'start-up failed');
  process.stderr.write(`Start fehlgeschlagen / start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
