/**
 * `npm run bench:import -- [--rows 100000] [--database-url URL] [--runs floor,import,rerun,ceiling] [--csv PATH] [--keep]`
 *
 * CSV import against its floor, in ONE run on the same rows:
 *
 * 1. generates a deterministic CSV of N new customers with bench/data.ts's generator (names in
 *    romaji and kanji, phones typed in local and international formats, e-mails, addresses,
 *    attributes), streamed to a temp file;
 * 2. **floor**: a plain `COPY … FROM STDIN (FORMAT csv)` of that file into a bare table with one
 *    column per CSV column and comparable indexes (unique id; account, e-mail, phone);
 * 3. **import**: profilegraph's import of the same file, in a child process running the CLI's own
 *    command (`importCommand`, what `profilegraph import` and, through importCsv, jobs run) on
 *    Postgres; the child reports its peak RSS;
 * 4. **re-run**: the same file imported again (every row unchanged);
 * 5. **ceiling**: the rows the import wrote, inserted again by Postgres alone into empty copies of
 *    profilegraph's tables (same indexes and foreign keys): the data model's own cost.
 *
 * The database (default `profilegraph_bench_import` on the local server; its name must contain
 * `bench`) is dropped and created fresh, so every run starts from empty tables.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { address, makePerson, prng, SEGMENTS, TIERS } from './data.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const DOMAIN = 'bench-import';
const TYPE = 'Customers';
const HEADERS = ['id', 'Account', 'First Name', 'Last Name', 'E-mail', 'Phone', 'Mobile', 'Birth Date', 'Address', 'City', 'State', 'Postal Code', 'Country', 'Tier', 'Segment', 'Language'];

// ---------------------------------------------------------------- child: the import itself
if (process.argv[2] === '--child') {
  const file = process.argv[3]!;
  const { importCommand } = await import('../src/modules/import/import.command.js');
  const started = process.hrtime.bigint();
  const code = await importCommand(file, { domain: DOMAIN, type: TYPE, quiet: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // maxRSS is in KiB.
  console.log(`RESULT ${JSON.stringify({ code, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}`);
  process.exit(0);
}

// ---------------------------------------------------------------- parent
const rows = Number(arg('rows') ?? 100_000);
const runs = (arg('runs') ?? 'floor,import,rerun,ceiling').split(',');
const keep = process.argv.includes('--keep');
const url = new URL(arg('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/profilegraph_bench_import');
const dbName = decodeURIComponent(url.pathname.slice(1));
if (!dbName.includes('bench')) throw new Error(`Refusing to recreate "${dbName}": the database name must contain "bench".`);
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');

/**
 * A phone as people type it. The domain's region is JP, so Japanese numbers come in local
 * (`090-1234-5678`) or international form, others always with their country code, in varied styles.
 */
function phoneText(r: ReturnType<typeof prng>, phone: string): string {
  if (!phone.startsWith('+')) return phone;
  const cc = phone.startsWith('+1') ? 1 : 2;
  const rest = phone.slice(1 + cc);
  switch (r.int(0, 3)) {
    case 0:
      return phone;
    case 1:
      return `+${phone.slice(1, 1 + cc)} ${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}`;
    case 2:
      return `+${phone.slice(1, 1 + cc)} (${rest.slice(0, 3)}) ${rest.slice(3, 6)}-${rest.slice(6)}`;
    default:
      return `+${phone.slice(1, 1 + cc)}-${rest.slice(0, 3)}-${rest.slice(3, 6)}-${rest.slice(6)}`;
  }
}

/** One CSV cell (RFC 4180). */
const cell = (v: string | null | undefined): string => (v == null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeCsv(file: string): Promise<void> {
  const r = prng(7);
  const out = createWriteStream(file);
  async function* lines() {
    yield `${HEADERS.join(',')}\n`;
    let buf = '';
    for (let i = 0; i < rows; i++) {
      const p = makePerson(r, i);
      const a = address(r, p);
      const mobile = r.chance(0.3) ? p.mobile : null;
      const birth = r.chance(0.6) ? new Date(Date.UTC(1950, 0, 1) + Math.floor(r.next() * 55 * 365) * 86_400_000).toISOString().slice(0, 10) : null;
      const email = r.chance(0.1) ? p.email.toUpperCase() : p.email;
      buf += `${[`C-${i}`, p.account, p.first, p.last, email, phoneText(r, p.jp ? p.phoneLocal : p.phone), mobile && phoneText(r, mobile), birth, a.address1, a.city, a.state, a.postalCode, a.country, r.pick(TIERS), r.pick(SEGMENTS), p.jp ? 'ja' : 'en'].map(cell).join(',')}\n`;
      if (buf.length > 256 * 1024) {
        yield buf;
        buf = '';
      }
    }
    if (buf) yield buf;
  }
  await pipeline(lines, out);
}

const admin = (db: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return postgres(u.toString(), { max: 1, onnotice: () => {} });
};

async function recreateDatabase(): Promise<void> {
  const sql = admin('postgres');
  await sql.unsafe(`drop database if exists "${dbName}" with (force)`);
  await sql.unsafe(`create database "${dbName}"`);
  await sql.end();
  // Migrations and the domain, through the app's own code.
  const [{ openDatabase }, { DomainService }, { Authenticator }] = await Promise.all([
    import('../src/db/database.js'),
    import('../src/modules/domain/domain.service.js'),
    import('../src/modules/domain/auth.js'),
  ]);
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', poolSize: 1 });
  await new DomainService(database, new Authenticator(database, undefined, 0)).create({ name: DOMAIN, defaultPhoneRegion: 'JP' });
  await database.close();
}

/** The floor: the file as it is, COPY'd into a bare table with comparable indexes. */
async function floor(file: string): Promise<{ seconds: number }> {
  const sql = admin(dbName);
  const cols = HEADERS.map((_h, i) => `c${i} text`).join(', ');
  await sql.unsafe(`create table floor_customers (${cols})`);
  await sql.unsafe(`create unique index on floor_customers (c0)`);
  await sql.unsafe(`create index on floor_customers (c1)`);
  await sql.unsafe(`create index on floor_customers (c4)`);
  await sql.unsafe(`create index on floor_customers (c5)`);
  await sql.unsafe('checkpoint');
  const started = process.hrtime.bigint();
  const writable = await sql.unsafe(`copy floor_customers from stdin with (format csv, header true)`).writable();
  await pipeline(createReadStream(file), writable);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [{ n }] = (await sql.unsafe(`select count(*) as n from floor_customers`)) as unknown as [{ n: string }];
  if (Number(n) !== rows) throw new Error(`floor loaded ${n} rows, expected ${rows}`);
  await sql.end();
  return { seconds };
}

/**
 * The schema's ceiling: what Postgres alone needs to store exactly the rows the import wrote
 * (profiles, search keys, objects, events) in tables with profilegraph's indexes and foreign keys —
 * empty copies of them, filled set-based inside Postgres, table after table, no client involved.
 * The distance floor → ceiling is the data model's write amplification; ceiling → import is the
 * pipeline's own cost.
 */
async function ceiling(): Promise<{ seconds: number; tables: Record<string, number> }> {
  const sql = admin(dbName);
  await sql.unsafe(`drop schema if exists ceiling cascade`);
  await sql.unsafe(`create schema ceiling`);
  for (const t of ['profiles', 'profile_keys', 'profile_objects', 'events']) await sql.unsafe(`create table ceiling.${t} (like public.${t} including all)`);
  await sql.unsafe(`alter table ceiling.profiles add foreign key (domain_id) references public.domains(id) on delete cascade`);
  await sql.unsafe(`alter table ceiling.profile_keys add foreign key (profile_id) references ceiling.profiles(id) on delete cascade`);
  await sql.unsafe(`alter table ceiling.profile_objects add foreign key (domain_id) references public.domains(id) on delete cascade`);
  await sql.unsafe(`alter table ceiling.profile_objects add foreign key (profile_id) references ceiling.profiles(id) on delete cascade`);
  await sql.unsafe(`alter table ceiling.events add foreign key (domain_id) references public.domains(id) on delete cascade`);
  await sql.unsafe('checkpoint');
  const tables: Record<string, number> = {};
  let seconds = 0;
  // In the order the import wrote them (its ids are time-ordered; keys were inserted in key order per batch).
  for (const [t, order] of [['profiles', 'id'], ['profile_keys', 'ctid'], ['profile_objects', 'id'], ['events', 'domain_id, id']] as const) {
    const started = process.hrtime.bigint();
    await sql.unsafe(`insert into ceiling.${t} select * from public.${t} order by ${order}`);
    const s = Number(process.hrtime.bigint() - started) / 1e9;
    tables[t] = s;
    seconds += s;
  }
  await sql.unsafe(`drop schema ceiling cascade`);
  await sql.end();
  return { seconds, tables };
}

interface ChildResult {
  code: number;
  seconds: number;
  maxRssMiB: number;
  summary: string;
}

async function importChild(file: string): Promise<ChildResult> {
  const sql = admin(dbName);
  await sql.unsafe('checkpoint');
  await sql.end();
  const script = fileURLToPath(import.meta.url);
  // As bin/profilegraph runs it (tsx, no extra node flags); BENCH_IMPORT_NODE_ARGS adds some (e.g. --cpu-prof).
  const nodeArgs = (process.env.BENCH_IMPORT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, '--child', file], {
    env: { ...process.env, DATABASE_URL: url.toString(), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`import child failed (${code}):\n${out}`);
  const summary = out.split('\n').find((l) => / rows in /.test(l)) ?? '';
  return { ...(JSON.parse(line.slice(7)) as Omit<ChildResult, 'summary'>), summary };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-bench-import-'));
// --csv PATH: write (and keep) the generated file there.
const file = arg('csv') ?? path.join(dir, 'customers.csv');
try {
  let t = performance.now();
  await writeCsv(file);
  console.error(`generated ${rows} rows (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  await recreateDatabase();
  const table: Record<string, string | number>[] = [];
  let floorRate = 0;
  if (runs.includes('floor')) {
    const f = await floor(file);
    floorRate = rows / f.seconds;
    table.push({ run: 'floor: plain COPY into an indexed table', rows, seconds: +f.seconds.toFixed(2), 'rows/s': Math.round(floorRate), 'vs floor': '1.00', 'peak RSS MiB': '' });
    console.error(`floor: ${Math.round(floorRate)} rows/s`);
  }
  for (const run of ['import', 'rerun'].filter((r) => runs.includes(r))) {
    const r = await importChild(file);
    const rate = rows / r.seconds;
    table.push({
      run: run === 'import' ? 'profilegraph import (new customers)' : 're-run of the same file (no change)',
      rows,
      seconds: +r.seconds.toFixed(2),
      'rows/s': Math.round(rate),
      'vs floor': floorRate ? (rate / floorRate).toFixed(2) : '',
      'peak RSS MiB': Math.round(r.maxRssMiB),
    });
    console.error(`${run}: ${Math.round(rate)} rows/s — ${r.summary.trim()}`);
  }
  if (runs.includes('ceiling') && runs.includes('import')) {
    const c = await ceiling();
    const rate = rows / c.seconds;
    table.push({ run: "schema ceiling: the import's rows, inserted by Postgres alone", rows, seconds: +c.seconds.toFixed(2), 'rows/s': Math.round(rate), 'vs floor': floorRate ? (rate / floorRate).toFixed(2) : '', 'peak RSS MiB': '' });
    console.error(`ceiling: ${Math.round(rate)} rows/s (${Object.entries(c.tables).map(([t, sec]) => `${t} ${sec.toFixed(1)} s`).join(', ')})`);
  }
  console.log(`\nCSV import, ${rows} rows, Postgres ${url.host} (${os.cpus().length} cores)`);
  console.table(table);
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (!keep) {
    const sql = admin('postgres');
    await sql.unsafe(`drop database if exists "${dbName}" with (force)`);
    await sql.end();
  }
}
