/**
 * Postgres connection loss mid-stream, as in a failover: every backend of the gateway (pool, LISTEN
 * connection, pg-boss) is terminated with pg_terminate_backend, once quickly and once with the
 * database refusing new connections for a while (a primary that is briefly unreachable). Live
 * subscriptions must resume from the event log with no gap and no duplicate, and an import job must
 * complete or fail with its counts — never stay RUNNING, never report rows it did not write.
 */
import { Writable } from 'node:stream';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { pino } from 'pino';
import postgres from 'postgres';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { EventHub } from '../src/modules/events/event-hub.js';
import type { EventStream } from '../src/modules/events/event-stream.js';
import { PostgresWakeupBus } from '../src/modules/events/wakeup.js';
import { writeTransaction } from '../src/modules/scope.js';
import type { DomainRow } from '../src/modules/domain/domain.repository.js';
import { domains } from '../src/modules/domain/domain.table.js';
import { eq } from 'drizzle-orm';
import { JOB_FIELDS } from './helpers/jobs.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const BASE_URL = process.env.TEST_DATABASE_URL;

/** Log records of the gateway (level ≥ info), to see which recovery path ran. */
const logs: { level: number; msg: string; [k: string]: unknown }[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  }),
);

/** What would end a real gateway process: unhandled rejections and uncaught exceptions. */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

let s: TestServer;
let hub: EventHub;
/** On the test database: reads the event table and terminates the gateway's backends (never itself). */
let admin: postgres.Sql;
/** On the server's maintenance database: switches the test database's allow_connections. */
let root: postgres.Sql;
let dbName: string;
const clients: Client[] = [];

/** Waits until `cond` holds, checking every 25 ms; fails with `what` after the timeout. */
async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Cut {
  terminated: number;
  pids: number[];
  /** pg_stat_activity.state of each terminated backend ('active', 'idle in transaction', 'idle' …). */
  states: string[];
}

/** pg_terminate_backend on every client backend of the test database but our own; waits until they are gone. */
async function terminateGateway(): Promise<Cut> {
  const rows = await admin<{ pid: number; state: string | null; ok: boolean }[]>`
    select pid, state, pg_terminate_backend(pid) as ok from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`;
  const pids = rows.filter((r) => r.ok).map((r) => r.pid);
  await waitFor('terminated backends to exit', async () => (await admin`select 1 from pg_stat_activity where pid = any(${pids}::int[])`).length === 0);
  return { terminated: pids.length, pids, states: rows.filter((r) => r.ok).map((r) => r.state ?? '') };
}

/**
 * An outage: the database refuses new connections, every gateway backend is terminated, and it
 * stays so until `during` has seen what it waits for; then connections are allowed again.
 */
async function outage(during: () => Promise<void>): Promise<Cut> {
  await root.unsafe(`alter database "${dbName}" with allow_connections false`);
  try {
    const cut = await terminateGateway();
    await during();
    return cut;
  } finally {
    await root.unsafe(`alter database "${dbName}" with allow_connections true`);
  }
}

/** The backend holding the gateway's LISTEN, if any (its last statement is the LISTEN). */
async function listenPid(): Promise<number | null> {
  const rows = await admin<{ pid: number }[]>`
    select pid from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and query ilike 'listen %'`;
  return rows[0]?.pid ?? null;
}

/** /readyz's status; -1 when the gateway does not answer at all (never acceptable). */
async function ready(): Promise<number> {
  try {
    return (await fetch(s.url.replace(/\/graphql$/, '/readyz'), { signal: AbortSignal.timeout(5_000) })).status;
  } catch {
    return -1;
  }
}

beforeAll(async () => {
  if (!BASE_URL) return;
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtExceptionMonitor', onUnhandled);
  s = await startTestServer({ importDir: mkdtempSync(path.join(tmpdir(), 'pg-failover-')), jobPollSeconds: 0.5 }, { logger });
  hub = s.app.services.notifier as EventHub;
  expect(hub).toBeInstanceOf(EventHub);
  admin = postgres(s.testDb.url!, { max: 1, onnotice: () => {} });
  root = postgres(BASE_URL, { max: 1, onnotice: () => {} });
  dbName = new URL(s.testDb.url!).pathname.slice(1);
});

afterAll(async () => {
  if (!BASE_URL) return;
  for (const c of clients) await c.dispose();
  await root?.unsafe(`alter database "${dbName}" with allow_connections true`).catch(() => {});
  await admin?.end();
  await root?.end();
  await s?.close();
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtExceptionMonitor', onUnhandled);
});

afterEach(() => {
  expect(unhandled, 'unhandled rejections and uncaught exceptions (fatal to the gateway)').toEqual([]);
});

const EVENTS = `subscription($after: String) { profileEvents(after: $after) { id type profileId objectId } }`;
type Ev = { id: string; type: string; profileId: string | null; objectId: string | null };

/** One graphql-ws client (its own socket) subscribed to the domain's stream from event 0. */
function subscriber(key: string) {
  const c = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0, lazy: true });
  clients.push(c);
  const sub = { events: [] as Ev[], errors: [] as unknown[], completed: false };
  c.subscribe<{ profileEvents: Ev }>(
    { query: EVENTS, variables: { after: '0' } },
    {
      next: (r) => {
        if (r.errors) sub.errors.push(...r.errors);
        if (r.data) sub.events.push(r.data.profileEvents);
      },
      error: (e) => sub.errors.push(e),
      complete: () => {
        sub.completed = true;
      },
    },
  );
  return sub;
}

interface WriteLog {
  ok: { kind: 'profile' | 'contact'; profileId: string; contactId?: string }[];
  failed: { code: unknown; status: number }[];
}

/**
 * A writer through the HTTP API: creates a profile, records a contact on it, again and again until
 * stopped. A write may fail during a cut (with an error code); a failed profile is not reused.
 */
function startWriter(key: string, log: WriteLog, tag: string) {
  let stop = false;
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      const created = await fetchGql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { firstName: `${tag}${i}` } }, key, log);
      if (!created) continue;
      const profileId: string = created.createProfile.id;
      log.ok.push({ kind: 'profile', profileId });
      const contact = await fetchGql(
        `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`,
        { input: { contactId: `${tag}-${i}`, profileId, channel: 'VOICE', initiatedAt: '2026-01-01T10:00:00Z' } },
        key,
        log,
      );
      if (contact) log.ok.push({ kind: 'contact', profileId, contactId: contact.recordContact.contact.id });
    }
  })();
  return {
    async stop() {
      stop = true;
      await done;
    },
  };
}

/** A mutation over HTTP; null (recorded in log.failed) when it answered with an error. Never a dropped connection. */
async function fetchGql(query: string, variables: Record<string, unknown>, key: string, log: WriteLog): Promise<Record<string, any> | null> {
  const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, any> | null; errors?: { extensions?: { code?: unknown } }[] };
  if (body.errors?.length || !body.data) {
    log.failed.push({ code: body.errors?.[0]?.extensions?.code, status: res.status });
    return null;
  }
  return body.data;
}

describe.skipIf(!BASE_URL)('Postgres connection loss (pg_terminate_backend, as in a failover)', () => {
  it('live subscriptions resume from the event log: every committed event once, in id order', async () => {
    const d = await s.createDomain();
    const domainId = (await admin<{ id: string }[]>`select id from domains where name = ${d.name}`)[0]!.id;
    const log: WriteLog = { ok: [], failed: [] };
    const subs = Array.from({ length: 4 }, () => subscriber(d.key));
    await waitFor('4 subscribers', () => hub.stats().subscribers === 4);

    // Two writers: concurrent transactions, so commits interleave.
    const writers = [startWriter(d.key, log, 'a'), startWriter(d.key, log, 'b')];
    const okAfter = async (n: number) => {
      const target = log.ok.length + n;
      await waitFor(`${n} more successful writes`, () => log.ok.length >= target);
    };
    await okAfter(40);
    // Late joiners replay from the table while the writes go on, then switch to live.
    subs.push(...Array.from({ length: 4 }, () => subscriber(d.key)));
    await waitFor('8 subscribers', () => hub.stats().subscribers === 8);

    const statsBefore = hub.stats();
    /** The LISTEN backend now, after checking that LISTEN came back on a new one after the last cut. */
    const listenBack = async (previous: number | null, cuts: number): Promise<number> => {
      let pid: number | null = null;
      await waitFor('LISTEN re-established on a new backend', async () => {
        pid = await listenPid();
        return pid !== null && pid !== previous && hub.stats().relistens - statsBefore.relistens >= cuts;
      });
      return pid!;
    };
    const listen0 = await listenPid();
    expect(listen0).not.toBeNull();

    // Cut 1: every backend terminated; the pool and the LISTEN reconnect at once.
    const cut1 = await terminateGateway();
    expect(cut1.terminated).toBeGreaterThan(0);
    expect(cut1.pids).toContain(listen0);
    await okAfter(30);
    const listen1 = await listenBack(listen0, 1);

    // Cut 2: the database refuses connections for a while (the primary is unreachable).
    const failedBefore = log.failed.length;
    const cut2 = await outage(async () => {
      const pollFailures = hub.stats().pollFailures;
      const relistenFailures = hub.stats().relistenFailures;
      await waitFor('a write failing during the outage', () => log.failed.length > failedBefore);
      await waitFor('/readyz failing during the outage', async () => (await ready()) >= 500);
      await waitFor('a failed catch-up poll', () => hub.stats().pollFailures > pollFailures);
      await waitFor('a failed attempt to LISTEN again', () => hub.stats().relistenFailures > relistenFailures);
    });
    expect(cut2.terminated).toBeGreaterThan(0);
    expect(cut2.pids).toContain(listen1);
    await waitFor('/readyz recovering', async () => (await ready()) === 200);
    await okAfter(30);
    const listen2 = await listenBack(listen1, 2);

    // Cut 3: once more, after the recovery.
    const cut3 = await terminateGateway();
    expect(cut3.terminated).toBeGreaterThan(0);
    expect(cut3.pids).toContain(listen2);
    await okAfter(30);
    await listenBack(listen2, 3);
    for (const w of writers) await w.stop();

    // The truth is the event table: gapless ids 1..last for the domain.
    const table = await admin<{ id: string; type: string; profile_id: string | null; object_id: string | null }[]>`
      select id, type, profile_id, object_id from events where domain_id = ${domainId} order by id`;
    const last = Number(table.at(-1)!.id);
    expect(table.map((r) => Number(r.id))).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    await waitFor('every subscriber to reach the last event', () => subs.every((sub) => sub.events.length >= last || sub.errors.length > 0 || sub.completed), 20_000);
    const expected = table.map((r) => ({ id: r.id, type: r.type, profileId: r.profile_id, objectId: r.object_id }));
    for (const sub of subs) {
      expect(sub.errors).toEqual([]);
      expect(sub.completed).toBe(false);
      expect(sub.events).toEqual(expected); // same ids, in order, once each, same content
    }
    // Every write that succeeded is in the stream; failed ones failed with a code, not a dropped socket.
    const delivered = new Set(subs[0]!.events.map((e) => `${e.type}:${e.profileId}:${e.type === 'CONTACT_RECORDED' ? e.objectId : ''}`));
    for (const w of log.ok) {
      expect(delivered.has(w.kind === 'profile' ? `PROFILE_CREATED:${w.profileId}:` : `CONTACT_RECORDED:${w.profileId}:${w.contactId}`)).toBe(true);
    }
    expect(log.failed.length).toBeGreaterThan(0);
    // A lost connection is reported as retryable, never as an internal error.
    for (const f of log.failed) expect(f).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

    // The hub re-read every domain's head after each re-established LISTEN.
    expect(hub.stats().resyncs - statsBefore.resyncs).toBeGreaterThanOrEqual(3);
    // And the re-established LISTEN really hears NOTIFY from another connection.
    const heard = hub.stats().notifications;
    await admin`select pg_notify('profilegraph_events', ${`${domainId}:0`})`;
    await waitFor('a NOTIFY heard on the new LISTEN connection', () => hub.stats().notifications > heard);
  }, 120_000);

  it('a replay and the shared pump wait out an outage: the stream resumes where it was, the poll timer survives', async () => {
    const db: Database = await s.testDb.open();
    const hub2 = await new EventHub(db, new PostgresWakeupBus(db), { bufferSize: 20, pollMs: 200 }).start();
    try {
      const d = await s.createDomain();
      const [domain] = await db.db.select().from(domains).where(eq(domains.name, d.name));
      const scope = { database: db, domain: domain as DomainRow, actorKeyId: null, notifier: hub2 };
      const write = (n: number) =>
        writeTransaction(scope, async (_tx, emit) => {
          for (let i = 0; i < n; i++) emit({ type: 'PROFILE_UPDATED', profileId: null });
        });
      for (let i = 0; i < 6; i++) await write(50);
      // A replaying subscriber (from 0, 300 events, 20 buffered at most) and a live one.
      const replaying = await hub2.subscribe({ domainId: domain!.id, after: 0 });
      const live = await hub2.subscribe({ domainId: domain!.id });
      const got = await take(replaying, 5);
      await waitFor('the replay to fill its buffer', () => replaying.buffered >= 10);
      const before = hub2.stats();

      await outage(async () => {
        // Draining the buffer makes the replay read again, into the outage.
        got.push(...(await take(replaying, replaying.buffered)));
        await waitFor('a failed replay read', () => hub2.stats().readFailures > before.readFailures);
        // A wake-up during the outage: the shared pump's read fails too, and so do the polls.
        hub2.committed(domain!.id, 301);
        await waitFor('failed pump reads', () => hub2.stats().readFailures >= before.readFailures + 2);
        await waitFor('failed polls', () => hub2.stats().pollFailures >= before.pollFailures + 2);
      });
      // After the outage: the writes go on; nothing was lost or repeated on either stream.
      await waitFor('the pool to answer again', async () => (await ready()) === 200);
      await write(10);
      got.push(...(await take(replaying, 310 - got.length)));
      expect(got.map((e) => e.id)).toEqual(Array.from({ length: 310 }, (_, i) => i + 1));
      expect((await take(live, 10)).map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => 301 + i));
      // The poll timer outlived its failures: an event committed with no wake-up at all (no NOTIFY,
      // no in-process signal) still arrives.
      await admin`with b as (update domains set last_event_id = last_event_id + 1 where id = ${domain!.id} returning last_event_id)
        insert into events (domain_id, id, type) select ${domain!.id}, last_event_id, 'PROFILE_UPDATED' from b`;
      expect((await take(live, 1)).map((e) => e.id)).toEqual([311]);
      // Ending subscriptions frees them.
      await replaying.return();
      await live.return();
      expect(hub2.stats()).toMatchObject({ subscribers: 0, domains: 0 });
    } finally {
      await hub2.close();
      await db.close();
    }
  }, 60_000);

  /** A domain with a Customers type and a 6,000-row CSV (a bad e-mail every 997 rows) to import. */
  async function importSetup() {
    const d = await s.createDomain();
    const domainId = (await admin<{ id: string }[]>`select id from domains where name = ${d.name}`)[0]!.id;
    const ROWS = 6000;
    const isBad = (i: number) => i % 997 === 0; // on line i + 1
    const header = 'Customer ID,First Name,Last Name,E-mail,Tel';
    const lines = Array.from({ length: ROWS }, (_, k) => `C-${k + 1},First${k + 1},Last${k + 1},${isBad(k + 1) ? 'broken@' : `c${k + 1}@example.com`},`);
    const csv = [header, ...lines].join('\n') + '\n';
    const badLines = Array.from({ length: ROWS }, (_, k) => k + 1).filter(isBad).map((i) => i + 1);
    const sug = await s.gql(`query($h: [String!]!) { suggestMapping(headers: $h, typeName: "Customers") { objectType } }`, { h: header.split(',') }, d.key);
    expect(sug.errors).toBeUndefined();
    const put = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: sug.data!.suggestMapping.objectType }, d.key);
    expect(put.errors).toBeUndefined();
    const count = async (table: 'profiles' | 'profile_objects') =>
      Number((await admin<{ n: string }[]>`select count(*) as n from ${admin(table)} where domain_id = ${domainId}`)[0]!.n);
    return { d, csv, rows: ROWS, badLines, good: ROWS - badLines.length, count };
  }

  const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
  const countsOf = (j: Record<string, any>) => Object.fromEntries(j.counts.map((c: { name: string; value: number }) => [c.name, c.value])) as Record<string, number>;
  const writtenOf = (c: Record<string, number>) => (c.attached ?? 0) + (c.createdProfiles ?? 0) + (c.unchanged ?? 0);

  /** job(id), tolerating answers that fail while the database is cut off. */
  async function jobOf(key: string, id: string): Promise<Record<string, any> | null> {
    const r = await s.gql(`query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id }, key).catch(() => null);
    return r?.data?.job ?? null;
  }

  async function importToEnd(key: string, input: Record<string, unknown>): Promise<Record<string, any>> {
    const started = await s.gql(`mutation($input: StartImportInput!) { startImport(input: $input) { id } }`, { input }, key);
    expect(started.errors).toBeUndefined();
    let job: Record<string, any> | null = null;
    await waitFor('the import to end (never RUNNING forever)', async () => {
      job = await jobOf(key, started.data!.startImport.id);
      return job !== null && FINAL.includes(job.status);
    }, 60_000);
    return job!;
  }

  /**
   * Starts an import and cuts the gateway off the database once a batch is written, and again each
   * time the job moves on, until a cut hits it mid-work (most of its time is in batch
   * transactions; a cut between two statements only makes the pool reconnect). Returns the job
   * once it has ended, and the runner's log records about it.
   */
  async function cutImport(key: string, input: Record<string, unknown>) {
    const started = await s.gql(`mutation($input: StartImportInput!) { startImport(input: $input) { id } }`, { input }, key);
    expect(started.errors).toBeUndefined();
    const id: string = started.data!.startImport.id;
    const mine = () => logs.filter((l) => l.jobId === id);
    const hit = () => mine().some((l) => /lost its database connection|job failed/.test(l.msg));
    let last: Record<string, any> | null = null;
    let cuts = 0;
    let movedOn = (j: Record<string, any>) => (countsOf(j).createdProfiles ?? 0) > 0;
    while (!hit()) {
      await waitFor('the import to move on', async () => {
        last = await jobOf(key, id);
        return last !== null && (FINAL.includes(last.status) || (last.status === 'RUNNING' && movedOn(last)));
      });
      if (FINAL.includes(last!.status)) break;
      const done: number = last!.progress.done;
      movedOn = (j) => j.progress.done > done;
      const cut = await terminateGateway();
      expect(cut.terminated).toBeGreaterThan(0);
      cuts++;
    }
    let job: Record<string, any> | null = null;
    await waitFor('the import to end (never RUNNING forever)', async () => {
      job = await jobOf(key, id);
      return job !== null && FINAL.includes(job.status);
    }, 60_000);
    expect(hit(), `the cuts (${cuts}) never hit the running import`).toBe(true);
    return { job: job!, logs: mine() };
  }

  it('an uploaded import cut off from the database completes or fails with its counts, never stays RUNNING; a re-run lands every row', async () => {
    const { d, csv, rows, badLines, good, count } = await importSetup();
    const { job } = await cutImport(d.key, { objectType: 'Customers', content: csv });
    const counts = countsOf(job);
    // The upload is kept for the restart, so the job started over completes.
    expect(job.status).toBe('SUCCEEDED');
    if (job.status === 'SUCCEEDED') {
      // Started over after the loss: the counts are those of the full run.
      expect(counts).toMatchObject({ rows, failed: badLines.length });
      expect(writtenOf(counts)).toBe(good);
      expect(job.rowErrors.map((e: { line: number }) => e.line)).toEqual(badLines);
    } else {
      expect(job.status).toBe('FAILED');
      expect(job.error).toMatch(/database connection was lost/);
      expect(job.finishedAt).not.toBeNull();
      // What it reports as written is written (at least the first batch); its bad rows so far are recorded.
      expect(writtenOf(counts)).toBeGreaterThan(0);
      expect(await count('profile_objects')).toBeGreaterThanOrEqual(writtenOf(counts));
      expect(counts.failed).toBeGreaterThan(0);
      expect(job.rowErrors.map((e: { line: number }) => e.line)).toEqual(badLines.slice(0, counts.failed));
    }
    // Re-running the same file lands every row, once.
    const rerun = await importToEnd(d.key, { objectType: 'Customers', content: csv });
    expect(rerun.status).toBe('SUCCEEDED');
    expect(countsOf(rerun)).toMatchObject({ rows, failed: badLines.length });
    expect(writtenOf(countsOf(rerun))).toBe(good);
    expect(await count('profile_objects')).toBe(good);
    expect(await count('profiles')).toBe(good);
  }, 180_000);

  it('an import of a server-side file is started over after the loss and completes with the counts of a whole run', async () => {
    const { d, csv, rows, badLines, good, count } = await importSetup();
    const dir = path.join(s.app.services.config.importDir, d.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'customers.csv'), csv);
    const { job, logs: records } = await cutImport(d.key, { objectType: 'Customers', path: 'customers.csv' });
    expect(records.map((l) => l.msg)).toContain('a job lost its database connection; starting it over once the database answers');
    expect(job.status).toBe('SUCCEEDED');
    expect(countsOf(job)).toMatchObject({ rows, failed: badLines.length });
    expect(writtenOf(countsOf(job))).toBe(good);
    // The second run's report only: each bad row once, not once per attempt.
    expect(job.rowErrors.map((e: { line: number }) => e.line)).toEqual(badLines);
    expect(job.progress).toEqual({ done: rows, total: rows });
    expect(await count('profile_objects')).toBe(good);
    expect(await count('profiles')).toBe(good);
  }, 180_000);
});

/** Pulls `n` events from a hub stream, failing after a timeout. */
async function take(stream: EventStream, n: number, timeoutMs = 20_000) {
  const out = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const r = await Promise.race([stream.next(), new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), Math.max(1, deadline - Date.now())))]);
    if (r === 'timeout') throw new Error(`timed out with ${out.length}/${n} events`);
    if (r.done) throw new Error(`stream ended after ${out.length}/${n} events`);
    out.push(r.value);
  }
  return out;
}
