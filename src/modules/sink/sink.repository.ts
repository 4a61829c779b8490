import { and, asc, count, eq, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import { eventSinks, type SinkFilter, type SinkKind, type SinkStatus } from './sink.table.js';

export type EventSinkRow = typeof eventSinks.$inferSelect;
/** A sink as reads show it: never the secret or the lease. */
export type EventSinkView = Omit<EventSinkRow, 'secret' | 'leaseOwner' | 'leaseUntil'>;

const VIEW = {
  id: eventSinks.id,
  domainId: eventSinks.domainId,
  kind: eventSinks.kind,
  url: eventSinks.url,
  subject: eventSinks.subject,
  types: eventSinks.types,
  filter: eventSinks.filter,
  batchSize: eventSinks.batchSize,
  status: eventSinks.status,
  cursor: eventSinks.cursor,
  delivered: eventSinks.delivered,
  failingSince: eventSinks.failingSince,
  lastError: eventSinks.lastError,
  lastErrorAt: eventSinks.lastErrorAt,
  createdAt: eventSinks.createdAt,
  updatedAt: eventSinks.updatedAt,
};

export async function insertSink(
  db: Executor,
  values: { domainId: string; kind: SinkKind; url: string | null; subject: string | null; types: string[]; filter: SinkFilter; secret: string; cursor: number; batchSize: number },
): Promise<EventSinkView> {
  const [row] = await db.insert(eventSinks).values(values).returning(VIEW);
  return row!;
}

export async function countSinks(db: Executor, domainId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(eventSinks).where(eq(eventSinks.domainId, domainId));
  return Number(row?.n ?? 0);
}

export async function listSinks(db: Executor, domainId: string): Promise<EventSinkView[]> {
  return db.select(VIEW).from(eventSinks).where(eq(eventSinks.domainId, domainId)).orderBy(asc(eventSinks.createdAt), asc(eventSinks.id));
}

export async function sinkById(db: Executor, domainId: string, id: string): Promise<EventSinkView | null> {
  const [row] = await db
    .select(VIEW)
    .from(eventSinks)
    .where(and(eq(eventSinks.domainId, domainId), eq(eventSinks.id, id)));
  return row ?? null;
}

export async function deleteSinkRow(db: Executor, domainId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(eventSinks)
    .where(and(eq(eventSinks.domainId, domainId), eq(eventSinks.id, id)))
    .returning({ id: eventSinks.id });
  return rows.length > 0;
}

/** Pause, resume (ACTIVE, failures forgotten) or replay (cursor moved); null when the sink is not the domain's. */
export async function updateSink(db: Executor, domainId: string, id: string, set: { status?: SinkStatus; cursor?: number }): Promise<EventSinkView | null> {
  const [row] = await db
    .update(eventSinks)
    .set({ ...set, ...(set.status === 'ACTIVE' ? { failingSince: null } : {}), updatedAt: new Date() })
    .where(and(eq(eventSinks.domainId, domainId), eq(eventSinks.id, id)))
    .returning(VIEW);
  return row ?? null;
}

/** Sinks (of one domain, or all) not paused whose cursor is behind their domain's log. */
export async function sinksBehind(db: Executor, domainId?: string): Promise<{ id: string; domainId: string }[]> {
  return query<{ id: string; domainId: string }>(
    db,
    sql`select s.id, s.domain_id as "domainId" from event_sinks s join domains d on d.id = s.domain_id
        where s.status <> 'PAUSED' and s.cursor < d.last_event_id ${domainId ? sql`and s.domain_id = ${domainId}` : sql``}`,
  );
}

/** The domains that have a sink not paused (the dispatcher scans on their wake-ups only). */
export async function domainsWithSinks(db: Executor): Promise<string[]> {
  const rows = await query<{ domainId: string }>(db, sql`select distinct domain_id as "domainId" from event_sinks where status <> 'PAUSED'`);
  return rows.map((r) => r.domainId);
}

/**
 * Takes (or renews) the sink's lease for `owner`: the one instance delivering for it. Null when the
 * sink is gone, paused, or leased to another live instance.
 */
export async function acquireLease(db: Executor, id: string, owner: string, leaseMs: number): Promise<EventSinkRow | null> {
  const [row] = await db
    .update(eventSinks)
    .set({ leaseOwner: owner, leaseUntil: sql`now() + make_interval(secs => ${leaseMs / 1000})` })
    .where(and(eq(eventSinks.id, id), ne(eventSinks.status, 'PAUSED'), or(eq(eventSinks.leaseOwner, owner), isNull(eventSinks.leaseUntil), lt(eventSinks.leaseUntil, sql`now()`))))
    .returning();
  return row ?? null;
}

/**
 * Moves the cursor from `from` to `to` after deliveries (the sink is healthy again). False when the
 * cursor moved meanwhile (a replay) or the lease was lost: the deliverer re-reads the sink.
 */
export async function advanceCursor(db: Executor, id: string, owner: string, from: number, to: number, delivered: number, succeeded: boolean): Promise<boolean> {
  const rows = await db
    .update(eventSinks)
    .set({
      cursor: to,
      delivered: sql`${eventSinks.delivered} + ${delivered}`,
      ...(succeeded ? { failingSince: null, status: sql`case when ${eventSinks.status} = 'FAILING' then 'ACTIVE' else ${eventSinks.status} end` } : {}),
    })
    .where(and(eq(eventSinks.id, id), eq(eventSinks.leaseOwner, owner), eq(eventSinks.cursor, from)))
    .returning({ id: eventSinks.id });
  return rows.length > 0;
}

/** Records a failed delivery; the sink becomes FAILING once it has failed for `failAfterMs`. Returns its status (null: not ours any more). */
export async function recordFailure(db: Executor, id: string, owner: string, error: string, failAfterMs: number): Promise<SinkStatus | null> {
  const [row] = await db
    .update(eventSinks)
    .set({
      lastError: error.slice(0, 1000),
      lastErrorAt: sql`now()`,
      failingSince: sql`coalesce(${eventSinks.failingSince}, now())`,
      status: sql`case when ${eventSinks.status} = 'PAUSED' then 'PAUSED'
        when coalesce(${eventSinks.failingSince}, now()) <= now() - make_interval(secs => ${failAfterMs / 1000}) then 'FAILING'
        else ${eventSinks.status} end`,
    })
    .where(and(eq(eventSinks.id, id), eq(eventSinks.leaseOwner, owner)))
    .returning({ status: eventSinks.status });
  return row?.status ?? null;
}

/** Gives up this instance's leases (shutdown), so another instance takes over at once. */
export async function releaseLeases(db: Executor, owner: string): Promise<void> {
  await db.update(eventSinks).set({ leaseOwner: null, leaseUntil: null }).where(eq(eventSinks.leaseOwner, owner));
}
