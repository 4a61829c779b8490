/**
 * `npm run bench:segments [-- --runs 15 --warmup 3 --objects 400 --database-url URL] [--no-settle]`
 *
 * Segments and calculated attributes over the data bench:data loaded (issue 10 item 9), each beside
 * the plain SQL a DBA would write for the same question, in the same run:
 *   - count and first page (members(first: 20)) of three segments — (a) a simple attribute,
 *     (b) a calculated attribute, (c) "has an _order within N days" — through profilegraph's public
 *     GraphQL API over HTTP (the real startApp in a child process, bench/servers/profilegraph.ts),
 *     beside hand-written SQL run with postgres.js in this process; answers checked equal;
 *   - a membership check (segmentMembership, 100 profile ids) beside hand SQL;
 *   - the cost per ingested object of maintaining 10 calculated attributes: recordContact /
 *     recordOrder through the API without, with, and again without the 10 definitions.
 * It works in the bench domain and leaves it as it found it: everything it adds is named `bseg…`
 * (segments, calculated attributes, contactId/orderId `bseg-…`) and removed at the end, with the
 * events it appended (the domain's event counter and segment cursor are put back); values of the
 * domain's own definitions are recomputed for the touched profiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { openDatabase } from '../src/db/database.js';
import { listDefinitions, recomputeValues } from '../src/modules/calculated/calculated.repository.js';
import { DEFAULT_DEFINITIONS } from '../src/modules/calculated/calculated.service.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const meta = JSON.parse(readFileSync(path.join(benchDir, '.bench-meta.json'), 'utf8')) as { url: string; domainId: string; profiles: number };
const apiKey = readFileSync(path.join(benchDir, '.bench-key'), 'utf8').trim();
const dbUrl = arg('database-url') ?? process.env.BENCH_DATABASE_URL ?? meta.url;
const profilesN = Number(arg('profiles') ?? meta.profiles);
const runs = Number(arg('runs') ?? 15);
const warmup = Number(arg('warmup') ?? 3);
/** Objects ingested per maintenance phase (half contacts, half orders). */
const objects = Number(arg('objects') ?? 400);
const domainId = meta.domainId;
const DAY = 86_400_000;
/** Contacts a profile needs for segment (b). */
const MIN_CONTACTS = 15;
/** Segment (c)'s window: the last ORDER_DAYS days of the generated orders (bench:data dates them up to 2026-01-01). */
const ORDER_DAYS = 90;

const sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
const now = () => performance.now();

// ---- the profilegraph child --------------------------------------------------------------------

interface Child {
  proc: ChildProcess;
  url: string;
}

async function startChild(): Promise<Child> {
  const proc = spawn(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', 'bench/servers/profilegraph.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      BENCH_DATABASE_URL: dbUrl,
      LOG_LEVEL: 'silent',
      DATABASE_POOL_SIZE: '10',
      // definitions are backfilled inside putCalculatedAttribute (timed), not by a background job
      BENCH_CALCULATED_INLINE_BACKFILL: '1000000000',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`profilegraph did not start in 60 s:\n${stderr}`)), 60_000);
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
      reject(new Error(`profilegraph exited with ${code}:\n${stderr}`));
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

let child: Child;

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(child.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify({ query, variables }) });
  const json = (await res.json()) as any;
  if (res.status !== 200 || json.errors) throw new Error(`HTTP ${res.status} ${JSON.stringify(json).slice(0, 600)}`);
  return json.data as T;
}

// ---- measurement helpers -----------------------------------------------------------------------

function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

/** Runs both sides `warmup` times, then `runs` times interleaved (profilegraph, hand SQL); medians in ms. */
async function pair(pg: () => Promise<unknown>, hand: () => Promise<unknown>): Promise<{ pg: number; hand: number }> {
  for (let i = 0; i < warmup; i++) {
    await pg();
    await hand();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    let t = now();
    await pg();
    a.push(now() - t);
    t = now();
    await hand();
    b.push(now() - t);
  }
  return { pg: median(a), hand: median(b) };
}

// ---- the segments ------------------------------------------------------------------------------

interface SegmentCase {
  key: string;
  name: string;
  text: string;
  /** Hand SQL: the condition on `p` (profiles) a DBA would write, and how they count. */
  count: () => Promise<number>;
  page: () => Promise<string[]>;
  among: (ids: string[]) => Promise<string[]>;
}

const COUNT_Q = `query C($n: String!) { segment(name: $n) { count } }`;
const PAGE_Q = `query M($n: String!) { segment(name: $n) { members(first: 20) { nodes { id firstName lastName emailAddress createdAt } pageInfo { hasNextPage endCursor } } } }`;
const MEMBERSHIP_Q = `query S($n: String!, $ids: [ID!]!) { segmentMembership(name: $n, profileIds: $ids) { profileId member } }`;

function segmentCases(withinDays: number): SegmentCase[] {
  // the window's start at each call, like profilegraph's "now" per request
  const since = () => new Date(Date.now() - withinDays * DAY);
  const pageCols = sql`p.id, p.first_name, p.last_name, p.email_address, p.created_at`;
  return [
    {
      key: '(a) attribute',
      name: 'bsegGold',
      text: `attributes.loyaltyTier = 'gold'`,
      count: async () => Number((await sql`select count(*) as n from profiles p where p.domain_id = ${domainId} and p.attributes ->> 'loyaltyTier' = 'gold'`)[0]!.n),
      page: async () =>
        (await sql`select ${pageCols} from profiles p where p.domain_id = ${domainId} and p.attributes ->> 'loyaltyTier' = 'gold' order by p.created_at desc, p.id desc limit 21`).map((r) => r.id as string),
      among: async (ids) => (await sql`select p.id from profiles p where p.domain_id = ${domainId} and p.id = any(${ids}::uuid[]) and p.attributes ->> 'loyaltyTier' = 'gold'`).map((r) => r.id as string),
    },
    {
      key: '(b) calculated',
      name: 'bsegFrequent',
      text: `calculated.bsegContactCount >= ${MIN_CONTACTS}`,
      // a DBA has no values table: they count the contacts
      count: async () =>
        Number((await sql`select count(*) as n from (select c.profile_id from contacts c where c.domain_id = ${domainId} and c.profile_id is not null group by c.profile_id having count(*) >= ${MIN_CONTACTS}) x`)[0]!.n),
      page: async () =>
        (
          await sql`select ${pageCols} from profiles p where p.domain_id = ${domainId}
            and (select count(*) from contacts c where c.domain_id = ${domainId} and c.profile_id = p.id) >= ${MIN_CONTACTS}
            order by p.created_at desc, p.id desc limit 21`
        ).map((r) => r.id as string),
      among: async (ids) =>
        (
          await sql`select p.id from profiles p where p.domain_id = ${domainId} and p.id = any(${ids}::uuid[])
            and (select count(*) from contacts c where c.domain_id = ${domainId} and c.profile_id = p.id) >= ${MIN_CONTACTS}`
        ).map((r) => r.id as string),
    },
    {
      key: '(c) object within days',
      name: 'bsegRecentOrder',
      text: `has _order within ${withinDays} days`,
      count: async () => Number((await sql`select count(distinct o.profile_id) as n from orders o where o.domain_id = ${domainId} and o.ordered_at >= ${since()}`)[0]!.n),
      page: async () =>
        (
          await sql`select ${pageCols} from profiles p where p.domain_id = ${domainId}
            and exists (select 1 from orders o where o.domain_id = ${domainId} and o.profile_id = p.id and o.ordered_at >= ${since()})
            order by p.created_at desc, p.id desc limit 21`
        ).map((r) => r.id as string),
      among: async (ids) =>
        (
          await sql`select p.id from profiles p where p.domain_id = ${domainId} and p.id = any(${ids}::uuid[])
            and exists (select 1 from orders o where o.domain_id = ${domainId} and o.profile_id = p.id and o.ordered_at >= ${since()})`
        ).map((r) => r.id as string),
    },
  ];
}

// ---- the 10 maintained definitions -------------------------------------------------------------

const MAINTAINED: Record<string, unknown>[] = [
  { name: 'bsegM01ContactCount', objectType: '_ctr', statistic: 'COUNT' },
  { name: 'bsegM02Contacts30d', objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 30 } },
  { name: 'bsegM03TopChannel90d', objectType: '_ctr', expression: 'channel', statistic: 'MAX_OCCURRENCE', window: { lastDays: 90 } },
  { name: 'bsegM04LastAgent', objectType: '_ctr', expression: 'agentId', statistic: 'LAST_OCCURRENCE' },
  { name: 'bsegM05AvgQueueWait', objectType: '_ctr', expression: 'queueWaitSeconds', statistic: 'AVERAGE' },
  { name: 'bsegM06TalkLast10', objectType: '_ctr', expression: 'disconnectedAt - initiatedAt', statistic: 'SUM', window: { lastObjects: 10 } },
  {
    name: 'bsegM07FrequentCaller',
    objectType: '_ctr',
    statistic: 'COUNT',
    window: { lastDays: 30 },
    conditions: [{ field: 'channel', operator: 'EQUALS', values: ['VOICE'] }],
    threshold: { operator: 'GREATER_THAN', value: '5' },
  },
  { name: 'bsegM08OrderValue', objectType: '_order', expression: 'totalPrice', statistic: 'SUM' },
  { name: 'bsegM09LastOrder', objectType: '_order', expression: 'orderedAt', statistic: 'MAXIMUM' },
  { name: 'bsegM10Orders365d', objectType: '_order', statistic: 'COUNT', window: { lastDays: 365 } },
];

const PUT_CALC = `mutation P($i: PutCalculatedAttributeInput!) { putCalculatedAttribute(input: $i) { name } }`;
const DEL_CALC = `mutation D($n: String!) { deleteCalculatedAttribute(name: $n) }`;
/** The default definition every new domain gets. */
const LAST_ORDER_DATE = (() => {
  const d = DEFAULT_DEFINITIONS.find((x) => x.name === 'lastOrderDate')!;
  return { name: d.name, description: d.description, ...d.input };
})();
const PUT_SEG = `mutation P($i: PutSegmentInput!) { putSegment(input: $i) { name } }`;
const DEL_SEG = `mutation D($n: String!) { deleteSegment(name: $n) }`;
const RECORD_CONTACT = `mutation R($i: RecordContactInput!) { recordContact(input: $i) { created } }`;
const RECORD_ORDER = `mutation R($i: RecordOrderInput!) { recordOrder(input: $i) { created } }`;

let seq = 0;
const runTag = Date.now().toString(36);

/** Ingests one object per profile (contacts and orders alternating), one request at a time; ms per object (mean) and the p50. */
async function ingest(profileIds: string[]): Promise<{ mean: number; p50: number }> {
  const lat: number[] = [];
  const t0 = now();
  for (const [i, profileId] of profileIds.entries()) {
    const id = `bseg-${runTag}-${seq++}`;
    const at = new Date().toISOString();
    const t = now();
    if (i % 2 === 0) {
      await gql(RECORD_CONTACT, {
        i: { contactId: id, profileId, channel: i % 4 === 0 ? 'VOICE' : 'CHAT', direction: 'INBOUND', initiatedAt: at, disconnectedAt: new Date(Date.now() + 120_000).toISOString(), queue: 'support', queueWaitSeconds: 30, agentId: 'agent-7' },
      });
    } else {
      await gql(RECORD_ORDER, { i: { orderId: id, profileId, status: 'PAID', totalPrice: '42.50', currency: 'USD', orderedAt: at } });
    }
    lat.push(now() - t);
  }
  return { mean: (now() - t0) / profileIds.length, p50: median(lat) };
}

// ---- cleanup -----------------------------------------------------------------------------------

async function cleanup(touched: string[]): Promise<void> {
  const segs = await sql`select name from segments where domain_id = ${domainId} and name like 'bseg%'`;
  for (const s of segs) await gql(DEL_SEG, { n: s.name });
  const defs = await sql`select name from calculated_attributes where domain_id = ${domainId} and name like 'bseg%'`;
  for (const d of defs) await gql(DEL_CALC, { n: d.name });
  const ctr = await sql`delete from contacts where domain_id = ${domainId} and contact_id like 'bseg-%' returning profile_id`;
  const ord = await sql`delete from orders where domain_id = ${domainId} and order_id like 'bseg-%' returning profile_id`;
  await sql`delete from profile_keys where domain_id = ${domainId} and (source like 'obj:_ctr:bseg-%' or source like 'obj:_order:bseg-%')`;
  const ids = [...new Set([...touched, ...ctr.map((r) => r.profile_id as string), ...ord.map((r) => r.profile_id as string)])];
  // the domain's own definitions counted the removed objects: recompute them for those profiles
  if (ids.length > 0) {
    const database = await openDatabase({ databaseUrl: dbUrl, dataDir: 'unused', poolSize: 1 });
    try {
      for (const type of ['_ctr', '_order']) {
        const own = (await listDefinitions(database.db, domainId, type)).filter((d) => !d.name.startsWith('bseg'));
        await recomputeValues(database.db, domainId, own, { ids }, new Date());
      }
    } finally {
      await database.close();
    }
  }
}

// ---- main --------------------------------------------------------------------------------------

async function machine(): Promise<string> {
  const [row] = await sql<{ v: string }[]>`select current_setting('server_version') as v`;
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, PostgreSQL ${row?.v ?? '?'}`;
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const started = Date.now();
  const about = await machine();
  const [{ n: actual }] = (await sql`select count(*)::int as n from profiles where domain_id = ${domainId}`) as unknown as [{ n: number }];
  console.log(`${about}\nbench domain ${domainId}: ${actual.toLocaleString('en-US')} profiles (--profiles ${profilesN}); ${warmup} warm-up + ${runs} runs, medians`);
  const [{ last: startEvent }] = (await sql`select last_event_id::int8 as last from domains where id = ${domainId}`) as unknown as [{ last: string }];
  const hadCursor = (await sql`select 1 from segment_cursors where domain_id = ${domainId}`).length > 0;
  const [{ max: maxOrder }] = (await sql`select max(ordered_at) as max from orders where domain_id = ${domainId}`) as unknown as [{ max: Date }];
  const withinDays = Math.ceil((Date.now() - maxOrder.getTime()) / DAY) + ORDER_DAYS;
  const own = await sql`select name, object_type from calculated_attributes where domain_id = ${domainId} and name not like 'bseg%' order by name`;
  if (own.length) console.log(`the domain's own calculated attributes (kept, maintained in every phase): ${own.map((r) => `${r.name} (${r.object_type})`).join(', ')}`);

  child = await startChild();
  console.log(`profilegraph child at ${child.url}`);
  const touched: string[] = [];
  const rows: string[] = [];
  const setupRows: string[] = [];
  const problems: string[] = [];
  let maintenance = '';
  try {
    await cleanup([]); // leftovers of an interrupted run
    const settle = !process.argv.includes('--no-settle');
    const autovacuum = (await sql`show autovacuum`)[0]!.autovacuum as string;
    if (settle) {
      // An earlier run's clean-up leaves millions of dead rows (values, events, memberships); with
      // autovacuum off (as on some of these machines) nothing removes them and every run is slower
      // than the one before. Vacuumed first, as autovacuum would have.
      const t0 = now();
      await sql`vacuum (analyze)`;
      setupRows.push(`vacuum (analyze) of the database before the run (autovacuum is ${autovacuum} on this server): ${fmt(now() - t0)} ms`);
    }

    // -- setup: the calculated attribute of segment (b), and the three segments
    let t = now();
    await gql(PUT_CALC, { i: { name: 'bsegContactCount', objectType: '_ctr', statistic: 'COUNT' } });
    setupRows.push(`putCalculatedAttribute bsegContactCount (_ctr COUNT, backfilled inline): ${fmt(now() - t)} ms`);
    // Fresh values have no statistics: without this the planner may read them with a sequential scan per
    // profile until autovacuum analyzes the table (see bench/README.md). Analyzed as autovacuum would.
    t = now();
    // Vacuumed too (settle): autovacuum does after a large insert, and an index-only count over fresh
    // rows would otherwise visit the heap for each.
    if (settle) await sql`vacuum (analyze) calculated_attribute_values`;
    else await sql`analyze calculated_attribute_values`;
    setupRows.push(`${settle ? 'vacuum (analyze)' : 'analyze'} calculated_attribute_values: ${fmt(now() - t)} ms`);
    const cases = segmentCases(withinDays);
    for (const c of cases) {
      t = now();
      await gql(PUT_SEG, { i: { name: c.name, text: c.text } });
      setupRows.push(`putSegment ${c.name} (\`${c.text}\`, membership stored for the whole domain): ${fmt(now() - t)} ms`);
    }
    for (const r of setupRows) console.log(r);

    // -- count and first page
    rows.push('| segment | rule | members | count pg ms | count SQL ms | count pg/SQL | page pg ms | page SQL ms | page pg/SQL |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    const measure = async (c: SegmentCase, key = c.key) => {
      const pgCount = (await gql(COUNT_Q, { n: c.name })).segment.count as number;
      const handCount = await c.count();
      if (pgCount !== handCount) problems.push(`${key}: count ${pgCount} (profilegraph) ≠ ${handCount} (SQL)`);
      const pgPage = (await gql(PAGE_Q, { n: c.name })).segment.members.nodes.map((n: any) => n.id as string);
      const handPage = (await c.page()).slice(0, 20);
      if (pgPage.join() !== handPage.join()) problems.push(`${key}: first pages differ`);
      const count = await pair(
        () => gql(COUNT_Q, { n: c.name }),
        () => c.count(),
      );
      const page = await pair(
        () => gql(PAGE_Q, { n: c.name }),
        () => c.page(),
      );
      const line = `| ${key} | \`${c.text}\` | ${pgCount.toLocaleString('en-US')} (${((100 * pgCount) / actual).toFixed(1)} %) | ${fmt(count.pg)} | ${fmt(count.hand)} | ${ratio(count.pg, count.hand)} | ${fmt(page.pg)} | ${fmt(page.hand)} | ${ratio(page.pg, page.hand)} |`;
      console.log(line);
      rows.push(line);
    };
    for (const c of cases) await measure(c);
    // (c) again in a domain that keeps the default `lastOrderDate` (every domain createDomain makes
    // has it; bench:data's has not): the count then reads that value's index instead of the orders.
    const hasLastOrderDate = (await sql`select 1 from calculated_attributes where domain_id = ${domainId} and name = 'lastOrderDate'`).length > 0;
    if (!hasLastOrderDate) {
      t = now();
      await gql(PUT_CALC, { i: LAST_ORDER_DATE });
      if (settle) await sql`vacuum (analyze) calculated_attribute_values`;
      const line = `putCalculatedAttribute lastOrderDate (the default definition, backfilled inline${settle ? ', then vacuum (analyze)' : ''}): ${fmt(now() - t)} ms`;
      console.log(line);
      setupRows.push(line);
    }
    await measure(cases[2]!, '(c) with the default lastOrderDate');
    if (!hasLastOrderDate) await gql(DEL_CALC, { n: 'lastOrderDate' });

    // -- membership: 100 profiles (a fixed pseudo-random sample), segment (c)
    const sample = (await sql`select id from profiles where domain_id = ${domainId} order by md5(id::text) limit 100`).map((r) => r.id as string);
    rows.push('', '| membership check | segment | members of 100 | pg ms | SQL ms | pg/SQL |', '| --- | --- | ---: | ---: | ---: | ---: |');
    for (const c of [cases[2]!, cases[1]!]) {
      const pgM = ((await gql(MEMBERSHIP_Q, { n: c.name, ids: sample })).segmentMembership as { profileId: string; member: boolean }[]).filter((m) => m.member).map((m) => m.profileId);
      const handM = await c.among(sample);
      if ([...pgM].sort().join() !== [...handM].sort().join()) problems.push(`membership ${c.key}: answers differ`);
      const m = await pair(
        () => gql(MEMBERSHIP_Q, { n: c.name, ids: sample }),
        () => c.among(sample),
      );
      const line = `| segmentMembership(100 ids) | ${c.key} | ${pgM.length} | ${fmt(m.pg)} | ${fmt(m.hand)} | ${ratio(m.pg, m.hand)} |`;
      console.log(line);
      rows.push(line);
    }

    // -- maintenance: no segments meanwhile (their live membership is the maintainer's, after commit)
    for (const c of cases) await gql(DEL_SEG, { n: c.name });
    await gql(DEL_CALC, { n: 'bsegContactCount' });
    const pool = (await sql`select id from profiles where domain_id = ${domainId} order by md5(id::text || 'bseg') limit ${3 * objects + 40}`).map((r) => r.id as string);
    touched.push(...pool);
    const take = (() => {
      let i = 0;
      return (n: number) => pool.slice(i, (i += n));
    })();
    await ingest(take(40)); // warm-up
    const without1 = await ingest(take(objects));
    console.log(`without the 10 definitions: ${fmt(without1.mean)} ms/object (p50 ${fmt(without1.p50)})`);
    const backfills: number[] = [];
    for (const d of MAINTAINED) {
      t = now();
      await gql(PUT_CALC, { i: d });
      backfills.push(now() - t);
    }
    console.log(`10 definitions put (each backfilled inline): ${backfills.map(fmt).join(', ')} ms`);
    // as autovacuum would soon after: with the statistics of before the backfill (no rows of these names),
    // the recompute's delete of a profile's vanished values picks a (domain_id, name, value_*) index and
    // scans every value of the name (~15-25 ms per definition at 100k profiles) instead of the primary key
    await sql`analyze calculated_attribute_values`;
    // ... and what autovacuum and the checkpointer do next: without this the run measures the aftermath of
    // writing millions of value rows a moment ago (hint bits set on first read, dirty pages flushed under
    // the writes), not the steady cost per object (at 1M: +4.5 ms per object measured right after the
    // backfills, against +1.8 ms for the 7 contact definitions measured later on the same data)
    if (settle) {
      await sql`vacuum (analyze) calculated_attribute_values`;
      await sql`checkpoint`;
    }
    const withDefs = await ingest(take(objects));
    console.log(`with the 10 definitions: ${fmt(withDefs.mean)} ms/object (p50 ${fmt(withDefs.p50)})`);
    for (const d of MAINTAINED) await gql(DEL_CALC, { n: d.name });
    const without2 = await ingest(take(objects));
    console.log(`without again: ${fmt(without2.mean)} ms/object (p50 ${fmt(without2.p50)})`);
    const base = (without1.mean + without2.mean) / 2;
    const baseP50 = (without1.p50 + without2.p50) / 2;
    maintenance = [
      '| maintenance (recordContact / recordOrder, one at a time) | ms / object (mean) | p50 ms |',
      '| --- | ---: | ---: |',
      `| without the 10 definitions (mean of the runs before and after) | ${fmt(base)} (${fmt(without1.mean)} / ${fmt(without2.mean)}) | ${fmt(baseP50)} |`,
      `| with the 10 definitions (7 on _ctr, 3 on _order) | ${fmt(withDefs.mean)} | ${fmt(withDefs.p50)} |`,
      `| **extra per object** | **${fmt(withDefs.mean - base)}** | ${fmt(withDefs.p50 - baseP50)} |`,
      '',
      `Putting the 10 definitions (each backfilled inline over the domain): ${backfills.map(fmt).join(' / ')} ms.`,
    ].join('\n');
  } finally {
    process.stdout.write('cleaning up … ');
    try {
      await cleanup(touched);
      // the events this run appended (segment entries/exits, contacts and orders recorded)
      await sql`delete from events where domain_id = ${domainId} and id > ${startEvent}`;
      // ... and the event counter and membership cursor as they were (nothing else writes the bench domain)
      await sql`update domains set last_event_id = ${startEvent} where id = ${domainId}`;
      if (!hadCursor) await sql`delete from segment_cursors where domain_id = ${domainId}`;
      console.log('done');
    } catch (err) {
      console.log(`FAILED: ${(err as Error).message}`);
    }
    await stopChild(child);
    await sql.end();
  }

  const method =
    `Method: ${actual.toLocaleString('en-US')} profiles (bench:data), bench domain. profilegraph = the real startApp in a child process ` +
    `(production config, pool 10), queried over HTTP with its public GraphQL API (\`segment(name) { count }\`, ` +
    `\`segment(name) { members(first: 20) { nodes { id firstName lastName emailAddress createdAt } pageInfo { … } } }\`, ` +
    `\`segmentMembership(name, profileIds)\`), so its times include HTTP, auth, GraphQL and loading the segment; "SQL" = the ` +
    `hand-written query for the same question run with postgres.js in this process (no HTTP), from the source tables (a DBA has no ` +
    `calculated-values table: (b) counts contacts, (c) reads orders). For each: ${warmup} warm-up runs, then ${runs} runs alternating ` +
    `profilegraph / SQL, medians; counts, first pages (newest first, 20) and membership answers checked equal before timing. ` +
    `(c)'s window is the last ${ORDER_DAYS} days of the generated orders (withinDays = ${withinDays}: bench:data dates everything up to 2026-01-01). ` +
    `Maintenance: one object per request (recordContact and recordOrder alternating, profileId given, each on another existing ` +
    `profile), ${objects} objects without the 10 definitions, ${objects} with, ${objects} without again (after a 40-object warm-up); ` +
    `extra cost = with − mean(without); before the "with" run the values table is analyzed, vacuumed and a checkpoint taken, as autovacuum and the checkpointer would after the backfills (--no-settle: measured right after them). No segment exists during the maintenance runs.`;
  const out = `${method}\n\n${rows.join('\n')}\n\n${maintenance}\n\nSetup: ${setupRows.join('; ')}.`;
  console.log(`\n${out}`);
  if (problems.length) console.log(`\nANSWERS DIFFER:\n${problems.join('\n')}`);
  const resultsDir = path.join(benchDir, 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, 'segments-latest.md'), `# bench:segments ${new Date().toISOString()}\n\n${about}\n\n${out}\n${problems.length ? `\nANSWERS DIFFER:\n${problems.join('\n')}\n` : ''}`);
  console.log(`\nwritten to bench/results/segments-latest.md (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (problems.length) process.exitCode = 1;
}

await main();
