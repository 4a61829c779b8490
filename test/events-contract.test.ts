/**
 * One contract, two fan-out implementations: every test below runs against the in-process bus
 * (PGlite or Postgres) and — when TEST_DATABASE_URL is set — against LISTEN/NOTIFY between two
 * connections standing in for two gateway instances (writer on one, subscriber on the other).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { domains } from '../src/modules/domain/domain.table.js';
import type { DomainRow } from '../src/modules/domain/domain.repository.js';
import { EventHub, type EventHubOptions } from '../src/modules/events/event-hub.js';
import { SlowConsumerError, type EventStream } from '../src/modules/events/event-stream.js';
import { appendEvents, type EventRow, type NewEvent } from '../src/modules/events/event.repository.js';
import { sql } from 'drizzle-orm';
import { query } from '../src/db/database.js';
import { InProcessWakeupBus, PostgresWakeupBus, type WakeupBus } from '../src/modules/events/wakeup.js';
import { writeTransaction } from '../src/modules/scope.js';
import { createTestDatabase, type TestDatabase } from './helpers/server.js';

interface Setup {
  /** Where writes happen and who they notify. */
  writerDb: Database;
  writer: EventHub;
  /** Builds a subscribing hub ("another instance" on Postgres), with a bus wrapper for loss tests. */
  reader(opts?: EventHubOptions, wrapBus?: (b: WakeupBus) => WakeupBus): Promise<EventHub>;
  close(): Promise<void>;
}

/** A bus that loses every wake-up: only the catch-up poll can deliver. */
const lossy = (inner: WakeupBus): WakeupBus => ({ publish() {}, subscribe: () => inner.subscribe({ wake() {}, resync() {} }), stats: () => inner.stats() });

const implementations: { name: string; enabled: boolean; setup: () => Promise<Setup> }[] = [
  {
    name: 'in-process bus',
    enabled: true,
    async setup() {
      const tdb = await createTestDatabase();
      const db = await tdb.open();
      const bus = new InProcessWakeupBus();
      const hubs: EventHub[] = [];
      const writer = await new EventHub(db, bus).start();
      hubs.push(writer);
      return {
        writerDb: db,
        writer,
        // In process the writer and the subscriber share the bus (the same instance).
        async reader(opts, wrap = (b) => b) {
          const h = await new EventHub(db, wrap(bus), opts).start();
          hubs.push(h);
          return h;
        },
        async close() {
          for (const h of hubs) await h.close();
          await db.close();
          await tdb.drop();
        },
      };
    },
  },
  {
    name: 'Postgres LISTEN/NOTIFY bus',
    enabled: !!process.env.TEST_DATABASE_URL,
    async setup() {
      const tdb: TestDatabase = await createTestDatabase();
      const dbs: Database[] = [];
      const hubs: EventHub[] = [];
      const writerDb = await tdb.open();
      dbs.push(writerDb);
      const writer = await new EventHub(writerDb, new PostgresWakeupBus(writerDb)).start();
      hubs.push(writer);
      return {
        writerDb,
        writer,
        async reader(opts, wrap = (b) => b) {
          const db = await tdb.open();
          dbs.push(db);
          const h = await new EventHub(db, wrap(new PostgresWakeupBus(db)), opts).start();
          hubs.push(h);
          return h;
        },
        async close() {
          for (const h of hubs) await h.close();
          for (const d of dbs) await d.close();
          await tdb.drop();
        },
      };
    },
  },
];

async function newDomain(db: Database): Promise<DomainRow> {
  const [row] = await db.db.insert(domains).values({ name: `c_${randomBytes(5).toString('hex')}` }).returning();
  return row as DomainRow;
}

const PROFILE_A = '00000000-0000-4000-8000-00000000000a';
const PROFILE_B = '00000000-0000-4000-8000-00000000000b';

/** Commits `n` events (one transaction) through the outbox, as a mutation would. */
async function write(s: Setup, domain: DomainRow, n: number, ev: Partial<NewEvent> = {}): Promise<void> {
  await writeTransaction({ database: s.writerDb, domain, actorKeyId: null, notifier: s.writer }, async (_tx, emit) => {
    for (let i = 0; i < n; i++) emit({ type: 'PROFILE_UPDATED', profileId: PROFILE_A, ...ev });
  });
}

/** Pulls `n` events from a stream, failing after a timeout. */
async function take(stream: EventStream, n: number, timeoutMs = 8_000): Promise<EventRow[]> {
  const out: EventRow[] = [];
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const r = await Promise.race([stream.next(), new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), Math.max(1, deadline - Date.now())))]);
    if (r === 'timeout') throw new Error(`timed out with ${out.length}/${n} events`);
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

const ids = (rows: EventRow[]) => rows.map((r) => r.id);

/** Waits until `cond` holds (checked every 10 ms), failing after a timeout. */
async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((r) => setTimeout(r, 10));
  }
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const impl of implementations) {
  describe.skipIf(!impl.enabled)(`event fan-out contract: ${impl.name}`, () => {
    let s: Setup;
    beforeAll(async () => {
      s = await impl.setup();
    });
    afterAll(async () => {
      await s?.close();
    });

    it('delivers events committed after subscribing, in id order, to every subscriber', async () => {
      const hub = await s.reader();
      const d = await newDomain(s.writerDb);
      const streams = await Promise.all(Array.from({ length: 5 }, () => hub.subscribe({ domainId: d.id })));
      await write(s, d, 2);
      await write(s, d, 1);
      for (const st of streams) expect(ids(await take(st, 3))).toEqual([1, 2, 3]);
      for (const st of streams) await st.return();
      expect(hub.stats().subscribers).toBe(0);
    });

    it('reads the table once per wake-up per domain, not once per subscriber', async () => {
      const hub = await s.reader();
      const d = await newDomain(s.writerDb);
      const streams = await Promise.all(Array.from({ length: 50 }, () => hub.subscribe({ domainId: d.id })));
      const before = hub.stats().pumpReads;
      for (let i = 0; i < 5; i++) await write(s, d, 1);
      for (const st of streams) expect(ids(await take(st, 5))).toEqual([1, 2, 3, 4, 5]);
      const reads = hub.stats().pumpReads - before;
      expect(reads).toBeGreaterThan(0);
      expect(reads).toBeLessThanOrEqual(10); // ≤ one per wake-up (own + NOTIFY), never 50 × 5
      for (const st of streams) await st.return();
    });

    it('replays after an id, then continues live with no gap or duplicate while writes go on', async () => {
      const hub = await s.reader();
      const d = await newDomain(s.writerDb);
      await write(s, d, 30);
      const writing = (async () => {
        for (let i = 0; i < 20; i++) await write(s, d, 3);
      })();
      const stream = await hub.subscribe({ domainId: d.id, after: 7 });
      await writing;
      const got = await take(stream, 90 - 7);
      expect(ids(got)).toEqual(range(8, 90));
      await stream.return();
    });

    it('filters by type and profile in replay and live alike', async () => {
      const hub = await s.reader();
      const d = await newDomain(s.writerDb);
      await write(s, d, 2, { type: 'CONTACT_RECORDED', profileId: PROFILE_B });
      await write(s, d, 1, { type: 'PROFILE_CREATED', profileId: PROFILE_B });
      const stream = await hub.subscribe({ domainId: d.id, after: 0, types: ['CONTACT_RECORDED'], profileIds: [PROFILE_B] });
      await write(s, d, 1, { type: 'CONTACT_RECORDED', profileId: PROFILE_A });
      await write(s, d, 1, { type: 'CONTACT_RECORDED', profileId: PROFILE_B });
      expect(ids(await take(stream, 3))).toEqual([1, 2, 5]);
      await stream.return();
    });

    it('never delivers another domain’s events', async () => {
      const hub = await s.reader();
      const mine = await newDomain(s.writerDb);
      const other = await newDomain(s.writerDb);
      const stream = await hub.subscribe({ domainId: mine.id, after: 0 });
      await write(s, other, 3);
      await write(s, mine, 2);
      await write(s, other, 3);
      await write(s, mine, 1);
      const got = await take(stream, 3);
      expect(got.every((e) => e.domainId === mine.id)).toBe(true);
      expect(ids(got)).toEqual([1, 2, 3]);
      await stream.return();
    });

    it('loses nothing when every wake-up is lost: the catch-up poll delivers', async () => {
      const hub = await s.reader({ pollMs: 100 }, lossy);
      const d = await newDomain(s.writerDb);
      const stream = await hub.subscribe({ domainId: d.id });
      await write(s, d, 4);
      expect(ids(await take(stream, 4, 5_000))).toEqual([1, 2, 3, 4]);
      await stream.return();
    });

    it('cuts off a subscriber whose bounded buffer overflows, without holding back the others', async () => {
      const hub = await s.reader({ bufferSize: 10 });
      const d = await newDomain(s.writerDb);
      const slow = await hub.subscribe({ domainId: d.id });
      const fast = await hub.subscribe({ domainId: d.id });
      let overflow: SlowConsumerError | null = null;
      slow.onOverflow = (e) => {
        overflow = e;
      };
      const drained = take(fast, 40);
      for (let i = 0; i < 8; i++) await write(s, d, 5);
      expect(ids(await drained)).toEqual(range(1, 40));
      await expect(slow.next()).rejects.toBeInstanceOf(SlowConsumerError);
      expect(overflow).toBeInstanceOf(SlowConsumerError);
      expect(String((overflow as unknown as Error).message)).toMatch(/Resubscribe with after/);
      await fast.return();
      expect(hub.stats().subscribers).toBe(0);
    });

    it('never moves past an id whose transaction has not committed: a concurrent writer waits for it', async (ctx) => {
      // Ids come from the domain row, locked until commit; PGlite runs one transaction at a time.
      if (s.writerDb.kind !== 'postgres') return ctx.skip();
      const hub = await s.reader();
      const d = await newDomain(s.writerDb);
      const stream = await hub.subscribe({ domainId: d.id });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let heldUpTo = 0;
      // Writer A takes ids 1-2 and keeps its transaction open.
      const a = s.writerDb.db.transaction(async (tx) => {
        heldUpTo = await appendEvents(tx, d.id, null, [{ type: 'PROFILE_UPDATED', profileId: PROFILE_A }, { type: 'PROFILE_UPDATED', profileId: PROFILE_A }]);
        await gate;
      });
      await until(() => heldUpTo === 2);
      // Writer B, on another connection, needs id 3: it waits for A's lock instead of committing first.
      const b = write(s, d, 1);
      await until(async () => {
        const rows = await query<{ n: number }>(s.writerDb.db, sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        return rows[0]!.n > 0;
      });
      // The hub reads meanwhile (a wake-up): it sees nothing, so its cursor cannot pass ids 1-2.
      const reads = hub.stats().pumpReads;
      hub.committed(d.id, 3);
      await until(() => hub.stats().pumpReads > reads);
      expect(stream.buffered).toBe(0);
      release();
      await a;
      await b;
      expect(ids(await take(stream, 3))).toEqual([1, 2, 3]);
      await stream.return();
    });

    it('return() frees the subscriber at once, even while it waits for an event', async () => {
      const hub = await s.reader();
      const d = await newDomain(s.writerDb);
      const stream = await hub.subscribe({ domainId: d.id });
      const waiting = stream.next();
      expect(hub.stats().subscribers).toBe(1);
      await stream.return();
      await expect(waiting).resolves.toEqual({ value: undefined, done: true });
      expect(hub.stats()).toMatchObject({ subscribers: 0, domains: 0 });
    });
  });
}
