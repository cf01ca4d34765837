// The one test command (`npm test`): type check, client build (the end-to-end tests load it), then every vitest
// suite — unit, contract, API, integration with real ffmpeg/SQLite/Meilisearch, and end-to-end in Chromium.
// Ends with the plain line `N passed, N failed[, N skipped]` so a run that executed nothing is visible.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status ?? 1;
const step = (title) => process.stdout.write(`\n── ${title}\n`);

// On a fresh machine the test tools are missing: the same idempotent setup `npm run up` uses, plus Chromium and
// espeak-ng. It installs only what is missing, so on a prepared machine it takes a second.
step('setup (only what is missing)');
if (run('bash', ['scripts/setup.sh', '--with-test-tools']) !== 0) {
  process.stdout.write('\n0 passed, 1 failed, 0 skipped\n');
  process.exit(1);
}

let failedChecks = 0;
step('tsc --noEmit');
if (run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) !== 0) failedChecks++;
step('lint (ESLint: boundaries, import cycles, file size, hooks)');
if (run('npm', ['run', '--silent', 'lint']) !== 0) failedChecks++;
step('vite build (client)');
if (run('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn']) !== 0) failedChecks++;

step('vitest');
const report = 'test-results/vitest.json';
fs.mkdirSync('test-results', { recursive: true });
fs.rmSync(report, { force: true });
const vitestStatus = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (fs.existsSync(report)) {
  const result = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = result.numPassedTests ?? 0;
  // a file that fails before any test runs (import error, failing beforeAll) has no test results: count it once
  const brokenFiles = (result.testResults ?? []).filter(
    (f) => f.status === 'failed' && (f.assertionResults ?? []).every((a) => a.status !== 'failed'),
  ).length;
  failed = (result.numFailedTests ?? 0) + brokenFiles;
  skipped = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
} else {
  failed = 1;
}
// .ci/run sets REQUIRE_ALL_TEST_TOOLS=1: there every engine and peer (MongoDB-wire engine, ASR engine, harvesters,
// validators) is installed, so a skipped test means a missing install step and fails the run, naming the tests.
let skippedInCi = 0;
if (process.env.REQUIRE_ALL_TEST_TOOLS === '1' && fs.existsSync(report)) {
  const result = JSON.parse(fs.readFileSync(report, 'utf8'));
  const names = (result.testResults ?? []).flatMap((f) =>
    (f.assertionResults ?? [])
      .filter((a) => a.status === 'pending' || a.status === 'skipped' || a.status === 'todo')
      .map((a) => a.fullName),
  );
  if (names.length) {
    skippedInCi = 1;
    process.stdout.write(
      `\n${names.length} test(s) skipped where every test tool must be present (REQUIRE_ALL_TEST_TOOLS=1):\n`,
    );
    for (const name of names.slice(0, 40)) process.stdout.write(`  skipped: ${name}\n`);
    if (names.length > 40) process.stdout.write(`  … and ${names.length - 40} more\n`);
  }
}
failedChecks += skippedInCi;
// a failed type check or build counts as a failed test, so the summary line can never hide it
failed += failedChecks;
// vitest also fails a run for errors outside any test (an unhandled rejection): count that too, visibly
if (vitestStatus !== 0 && failed === 0) {
  failed = 1;
  process.stdout.write(
    '\nvitest failed the run without a failing test (unhandled error, see "Unhandled Errors" above)\n',
  );
}
if (failedChecks)
  process.stdout.write(
    `\n${failedChecks} check(s) outside the tests failed (type check, client build, or a required test tool missing)\n`,
  );
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 || vitestStatus !== 0 || passed === 0 ? 1 : 0);
