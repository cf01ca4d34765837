// npm run mongo-engine -- --port P --dir D
// Runs the MongoDB-wire test engine (FerretDB 1.24 over SQLite, built from tools/ferretdb/) in the foreground,
// listening on 127.0.0.1:P with its data in D. Ctrl-C (SIGINT) or SIGTERM stops it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const binary = process.env.FERRETDB_BINARY || path.join(root, 'tools', 'bin', 'ferretdb');
if (!fs.existsSync(binary)) {
  process.stderr.write(
    `mongo-engine: ${path.relative(root, binary)} fehlt / is missing.\n` +
      'Bauen / build it with:  bash scripts/setup.sh --with-test-tools   (needs Go ≥ 1.24 and the Go module proxy)\n',
  );
  process.exit(1);
}
const args = process.argv.slice(2);
if (!args.includes('--port') || !args.includes('--dir')) {
  process.stderr.write('usage: npm run mongo-engine -- --port P --dir D\n');
  process.exit(2);
}
const child = spawn(binary, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
