/**
 * `npm run bench:read [-- --duration 8 --warmup 3 --connections 10,50 --systems profilegraph,floor --cpu-prof --profile-query q1 --database-url URL]`
 *
 * Read benchmark over HTTP with autocannon, on the database bench:data loaded. Three servers, each
 * started in turn as a CHILD process so autocannon's load generation never shares their event loop:
 *   (a) profilegraph (src/app.ts startApp, diagnostics off as in production; statements counted over IPC)
 *   (b) PostGraphile v5, Amber preset, same tables (node --import ./bench/polyfill.mjs)
 *   (c) the floor: one hand-written SQL statement per request behind a bare node:http handler
 * Queries: q1 agent desktop (50 profiles × 10 contacts/cases/orders), q2 lookup by phone.
 * With --cpu-prof, profilegraph is run once more under `node --cpu-prof` for q1 and the top
 * self-time functions are printed (bench/profile-summary.ts); profiles land in bench/profiles/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { summarizeProfile } from './profile-summary.js';
import { postgraphileQ1, postgraphileQ2, profilegraphQ1, profilegraphQ2 } from './queries.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const meta = JSON.parse(readFileSync(path.join(benchDir, '.bench-meta.json'), 'utf8')) as { url: string; domainId: string; profiles: number; samplePhones: string[] };
const apiKey = readFileSync(path.join(benchDir, '.bench-key'), 'utf8').trim();
const dbUrl = arg('database-url') ?? process.env.BENCH_DATABASE_URL ?? meta.url;
const duration = Number(arg('duration') ?? 8);
const warmup = Number(arg('warmup') ?? 3);
const connectionLevels = (arg('connections') ?? '10,50').split(',').map(Number);
const cpuProf = process.argv.includes('--cpu-prof');
const only = arg('systems')?.split(',');
const profileQuery = (arg('profile-query') ?? 'q1') as QueryName;
/** Measurement rounds: each round runs every system back to back per cell; the table shows medians. */
const rounds = Number(arg('rounds') ?? 1);

type SystemName = 'profilegraph' | 'postgraphile' | 'floor';
type QueryName = 'q1' | 'q2';

interface System {
  name: SystemName;
  nodeArgs: string[];
  script: string;
  headers: Record<string, string>;
  body(q: QueryName, phone: string): string;
}

const systems: System[] = [
  {
    name: 'profilegraph',
    // BENCH_PG_NODE_ARGS: node flags for the profilegraph child only; default = those of `npm start`.
    nodeArgs: [...(process.env.BENCH_PG_NODE_ARGS ?? '--max-semi-space-size=64').split(' ').filter(Boolean), '--import', 'tsx'],
    script: 'bench/servers/profilegraph.ts',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: (q, phone) => JSON.stringify(q === 'q1' ? { query: profilegraphQ1, operationName: 'Desk' } : { query: profilegraphQ2, operationName: 'Phone', variables: { phone } }),
  },
  {
    name: 'postgraphile',
    nodeArgs: ['--import', './bench/polyfill.mjs', '--import', 'tsx'],
    script: 'bench/servers/postgraphile.ts',
    headers: { 'content-type': 'application/json' },
    body: (q, phone) =>
      JSON.stringify(
        q === 'q1'
          ? { query: postgraphileQ1, operationName: 'Desk', variables: { domainId: meta.domainId } }
          : { query: postgraphileQ2, operationName: 'Phone', variables: { domainId: meta.domainId, phone } },
      ),
  },
  {
    name: 'floor',
    nodeArgs: ['--import', 'tsx'],
    script: 'bench/servers/floor.ts',
    headers: { 'content-type': 'application/json' },
    body: (q, phone) => JSON.stringify(q === 'q1' ? { operationName: 'Desk' } : { operationName: 'Phone', variables: { phone } }),
  },
];

interface Child {
  proc: ChildProcess;
  url: string;
}

async function startChild(s: System, extraArgs: string[] = []): Promise<Child> {
  const proc = spawn(process.execPath, [...extraArgs, ...s.nodeArgs, s.script], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', BENCH_DATABASE_URL: dbUrl, BENCH_DOMAIN_ID: meta.domainId, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '10' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${s.name} did not start in 60 s:\n${stderr}`)), 60_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${s.name} exited with ${code}:\n${stderr}`));
    });
  });
  return { proc, url };
}

async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    c.proc.once('exit', () => resolve());
    c.proc.kill('SIGTERM');
  });
}

async function post(c: Child, s: System, q: QueryName, phone: string): Promise<any> {
  const res = await fetch(c.url, { method: 'POST', headers: s.headers, body: s.body(q, phone) });
  const json = (await res.json()) as any;
  if (res.status !== 200 || json.errors) throw new Error(`${s.name} ${q}: HTTP ${res.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

/** The shape every system's q1 answer must have, for a cross-system sanity check. */
function q1Digest(json: any): string {
  const d = json.data;
  const nodes: any[] = (d.profiles ?? d.allProfiles).nodes;
  const contacts = nodes.reduce((n, p) => n + (p.contacts ?? p.contactsByProfileId).nodes.length, 0);
  const cases = nodes.reduce((n, p) => n + (p.cases ?? p.casesByProfileId).nodes.length, 0);
  const orders = nodes.reduce((n, p) => n + (p.orders ?? p.ordersByProfileId).nodes.length, 0);
  return `${nodes.length} profiles, first ${nodes[0]?.id ?? nodes[0]?.rowId}, ${contacts} contacts, ${cases} cases, ${orders} orders`;
}
function q2Digest(json: any): string {
  const d = json.data;
  const ids: string[] = d.searchProfiles ? d.searchProfiles.nodes.map((p: any) => p.id) : d.allProfileKeys.nodes.map((k: any) => k.profileByProfileId.rowId);
  return ids.sort().join(',');
}

async function childStatements(c: Child): Promise<number> {
  return new Promise((resolve) => {
    c.proc.once('message', (m: any) => resolve(m.statements as number));
    c.proc.send('stats');
  });
}

/** SQL statements per request: the child's own count over IPC (profilegraph: drizzle logger; PostGraphile: pg.Client#query), 1 (floor). */
async function statementsPerRequest(c: Child, s: System, q: QueryName): Promise<number> {
  const n = 20;
  if (s.name === 'floor') return 1;
  const before = await childStatements(c);
  for (let i = 0; i < n; i++) await post(c, s, q, meta.samplePhones[i]!);
  return ((await childStatements(c)) - before) / n;
}

interface Row {
  system: SystemName;
  query: QueryName;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  statements: number;
}

async function load(c: Child, s: System, q: QueryName, connections: number, seconds: number): Promise<autocannon.Result> {
  let i = 0;
  const phones = meta.samplePhones;
  return autocannon({
    url: c.url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: s.headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, body: s.body(q, phones[i++ % phones.length]!) }),
      },
    ],
  });
}

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/**
 * All children up at once (an idle child costs nothing), and every (query, connections) cell measured
 * system after system, `rounds` times: load from other processes on the machine then hits all
 * systems alike instead of whichever happened to run at the time.
 */
async function runInterleaved(selected: System[], rows: Row[], digests: Record<string, string[]>, failures: string[]): Promise<void> {
  const children: { s: System; c: Child }[] = [];
  try {
    for (const s of selected) {
      process.stdout.write(`== ${s.name}: starting child … `);
      try {
        const c = await startChild(s);
        console.log(c.url);
        children.push({ s, c });
      } catch (err) {
        failures.push(`${s.name}: ${(err as Error).message}`);
        console.error(`!! ${s.name} failed: ${(err as Error).message}`);
      }
    }
    for (const q of ['q1', 'q2'] as const) {
      const statements = new Map<SystemName, number>();
      for (const { s, c } of children) {
        const json = await post(c, s, q, meta.samplePhones[1]!);
        (digests[q] ??= []).push(`${s.name.padEnd(12)} ${q === 'q1' ? q1Digest(json) : q2Digest(json)}`);
        statements.set(s.name, await statementsPerRequest(c, s, q));
        await load(c, s, q, connectionLevels[0]!, warmup);
      }
      for (const connections of connectionLevels) {
        const samples = new Map<SystemName, autocannon.Result[]>();
        for (let round = 0; round < rounds; round++) {
          for (const { s, c } of children) {
            const r = await load(c, s, q, connections, duration);
            samples.set(s.name, [...(samples.get(s.name) ?? []), r]);
            console.log(`${s.name} ${q} c=${connections} round ${round + 1}: ${r.requests.average.toFixed(0)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`);
          }
        }
        for (const { s } of children) {
          const rs = samples.get(s.name) ?? [];
          rows.push({
            system: s.name,
            query: q,
            connections,
            rps: median(rs.map((r) => r.requests.average)),
            p50: median(rs.map((r) => r.latency.p50)),
            p99: median(rs.map((r) => r.latency.p99)),
            errors: rs.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0),
            statements: statements.get(s.name) ?? NaN,
          });
        }
      }
    }
  } finally {
    for (const { c } of children) await stopChild(c);
  }
}

async function machine(): Promise<string> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  const v = row?.v ?? '?';
  await sql.end();
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, PostgreSQL ${v}`;
}

function fmtRatio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';
}

function table(rows: Row[]): string {
  const lines = [
    '| query | conns | system | req/s | p50 ms | p99 ms | SQL stmts/req | errors |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.query} | ${r.connections} | ${r.system} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${Number.isNaN(r.statements) ? 'n/a' : r.statements.toFixed(r.statements % 1 ? 2 : 0)} | ${r.errors} |`);
  }
  lines.push('', '| query | conns | throughput pg/PostGraphile | throughput pg/floor | p50 pg/PostGraphile | p50 pg/floor |', '| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const q of ['q1', 'q2'] as const) {
    for (const c of connectionLevels) {
      const get = (s: SystemName) => rows.find((r) => r.system === s && r.query === q && r.connections === c);
      const pg = get('profilegraph');
      const pgl = get('postgraphile');
      const fl = get('floor');
      lines.push(`| ${q} | ${c} | ${fmtRatio(pg?.rps, pgl?.rps)} | ${fmtRatio(pg?.rps, fl?.rps)} | ${fmtRatio(pg?.p50, pgl?.p50)} | ${fmtRatio(pg?.p50, fl?.p50)} |`);
    }
  }
  return lines.join('\n');
}

async function profileRun(): Promise<string> {
  const dir = path.join(benchDir, 'profiles');
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const s = systems[0]!;
  console.log(`\n== profiling profilegraph (node --cpu-prof) on ${profileQuery}, c=10, ${duration} s`);
  const c = await startChild(s, ['--cpu-prof', '--cpu-prof-dir', dir]);
  await load(c, s, profileQuery, 10, warmup);
  const r = await load(c, s, profileQuery, 10, duration);
  console.log(`under the profiler: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms`);
  await stopChild(c);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (!file) return 'no profile written';
  return `profile (${profileQuery}): bench/profiles/${file}\n${summarizeProfile(path.join(dir, file), 30)}`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const about = await machine();
  console.log(`${about}\n${meta.profiles} profiles; duration ${duration} s per run after a ${warmup} s warm-up; connections ${connectionLevels.join(', ')}; ${rounds} interleaved round(s), medians`);
  const rows: Row[] = [];
  const digests: Record<string, string[]> = {};
  const failures: string[] = [];
  await runInterleaved(systems.filter((x) => !only || only.includes(x.name)), rows, digests, failures);
  console.log('\nSame answers? (q1 digest / q2 profile ids for one phone)');
  for (const q of ['q1', 'q2']) for (const d of digests[q] ?? []) console.log(`  ${q} ${d}`);
  const method =
    `Method: ${meta.profiles} profiles (bench:data); profilegraph (npm start's node flags, production config), PostGraphile 5 and the floor ` +
    `(one prepared statement behind node:http) each in its own child process; autocannon in this process; per (query, connections) cell ` +
    `every system in turn, ${rounds} round(s) of ${duration} s after a ${warmup} s warm-up per system and query, medians; SQL statements per request ` +
    `counted inside each child over 20 requests; answers checked equal across systems first. q1 = 50 newest profiles × 10 contacts, cases, orders; ` +
    `q2 = searchProfiles by phone (2,000 phones in turn).`;
  const out = `${method}\n\n${table(rows)}`;
  console.log(`\n${out}`);
  if (failures.length) console.log(`\nFailures:\n${failures.join('\n')}`);
  let prof = '';
  if (cpuProf) {
    prof = await profileRun();
    console.log(`\n${prof}`);
  }
  const resultsDir = path.join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    path.join(resultsDir, 'latest.md'),
    `# bench:read ${new Date().toISOString()}\n\n${about}\n\n${out}\n${failures.length ? `\nFailures:\n${failures.join('\n')}\n` : ''}${prof ? `\n\`\`\`\n${prof}\n\`\`\`\n` : ''}`,
  );
  console.log(`\nwritten to bench/results/latest.md (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

await main();
