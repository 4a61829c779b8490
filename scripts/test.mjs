#!/usr/bin/env node
// `npm test`: the suite on embedded PGlite, then again on real Postgres when TEST_DATABASE_URL is set.
// Ends with one plain line "N passed, N failed" (counts from vitest's JSON reporter) and exits
// non-zero on any failure. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const extra = process.argv.slice(2);
const targets = [{ name: 'pglite', env: { TEST_DATABASE_URL: '' } }];
if (process.env.TEST_DATABASE_URL) targets.push({ name: 'postgres', env: { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL } });

let passed = 0;
let failed = 0;
let broken = false;
for (const t of targets) {
  const report = `.vitest-report-${t.name}.json`;
  rmSync(report, { force: true });
  console.log(`\n=== tests on ${t.name} ===`);
  const run = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, ...t.env },
  });
  if (!existsSync(report)) {
    console.error(`vitest wrote no report on ${t.name} (exit ${run.status})`);
    broken = true;
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A file that fails to load counts no test but is a failure all the same.
  if (run.status !== 0 && r.numFailedTests === 0) {
    console.error(`vitest exited ${run.status} on ${t.name} (a suite failed to load?)`);
    failed += 1;
  }
  rmSync(report, { force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken || passed === 0 ? 1 : 0);
