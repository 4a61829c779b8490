/**
 * `npm run bench:import -- [--rows 20000] [--database-url URL] [--embedded] [--rerun]`
 *
 * Writes a deterministic CSV of N customers to a temp file and imports it with the same code path as
 * `npm run import` (csv-parse stream → object type keys and mappings → profiles), into a fresh
 * database (Postgres by default, `--embedded` for PGlite). Prints rows/s; `--rerun` imports the file
 * a second time to measure the idempotent no-change path.
 */
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../src/db/database.js';
import { Authenticator } from '../src/modules/domain/auth.js';
import { DomainService } from '../src/modules/domain/domain.service.js';
import { noopNotifier } from '../src/modules/events/notifier.js';
import { importCsv } from '../src/modules/import/import.service.js';
import { suggestMapping } from '../src/modules/import/suggest.js';
import { putObjectType } from '../src/modules/object-type/object-type.service.js';
import type { DomainScope } from '../src/modules/scope.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rows = Number(arg('rows') ?? 20000);
const embedded = process.argv.includes('--embedded');
const rerun = process.argv.includes('--rerun');
const baseUrl = arg('database-url') ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Yui', 'Haruto', 'Sakura', 'Ren'];
const LAST = ['Smith', 'Garcia', 'Tanaka', 'Suzuki', 'Brown', 'Sato'];
const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-import-'));
const file = path.join(dir, 'customers.csv');
const lines = ['Customer ID,First Name,Last Name,E-mail,Tel,Zip,Tier'];
for (let i = 0; i < rows; i++) {
  lines.push(`C-${i},${FIRST[i % FIRST.length]},${LAST[(i * 7) % LAST.length]},user${i}@example.com,+1206${String(2000000 + i).padStart(7, '0')},${98000 + (i % 900)},${['gold', 'silver', 'bronze'][i % 3]}`);
}
writeFileSync(file, `${lines.join('\n')}\n`);

let url: string | undefined;
let dbName = '';
if (!embedded) {
  dbName = `profilegraph_bench_import_${Date.now().toString(36)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  url = u.toString();
}
const database = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
try {
  const created = await new DomainService(database, new Authenticator(database, undefined, 0)).create({ name: 'bench-import' });
  const scope: DomainScope = { database, domain: created.domain, actorKeyId: null, notifier: noopNotifier };
  const suggestion = suggestMapping(lines[0]!.split(','), 'Customers');
  await putObjectType(scope, suggestion.objectType as never);
  const table: { run: string; rows: number; seconds: number; rowsPerSec: number; created: number; unchanged: number; failed: number }[] = [];
  for (const run of rerun ? ['first import', 're-run (no changes)'] : ['first import']) {
    const started = process.hrtime.bigint();
    const r = await importCsv(scope, createReadStream(file), { objectType: 'Customers' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    table.push({ run, rows: r.counts.rows, seconds: Number(seconds.toFixed(2)), rowsPerSec: Math.round(r.counts.rows / seconds), created: r.counts.createdProfiles, unchanged: r.counts.unchanged, failed: r.counts.failed });
  }
  console.log(`\nCSV import, ${rows} rows, ${embedded ? 'PGlite' : 'Postgres'} (${os.cpus().length} cores)`);
  console.table(table);
} finally {
  await database.close();
  if (dbName) {
    const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}
