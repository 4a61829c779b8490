import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import { ingestDeliveries, ingestSources, type Verification } from './inbound.table.js';

export type IngestSourceRow = typeof ingestSources.$inferSelect;
/** A source as reads show it: never the secret. */
export type IngestSourceView = Omit<IngestSourceRow, 'secret'>;
export type DeliveryRow = typeof ingestDeliveries.$inferSelect;

const VIEW = {
  id: ingestSources.id,
  domainId: ingestSources.domainId,
  objectType: ingestSources.objectType,
  verification: ingestSources.verification,
  signatureHeader: ingestSources.signatureHeader,
  createdAt: ingestSources.createdAt,
};

export async function insertSource(db: Executor, values: { domainId: string; objectType: string; verification: Verification; signatureHeader: string | null; secret: string }): Promise<IngestSourceView> {
  const [row] = await db.insert(ingestSources).values(values).returning(VIEW);
  return row!;
}

export async function countSources(db: Executor, domainId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(ingestSources).where(eq(ingestSources.domainId, domainId));
  return Number(row?.n ?? 0);
}

export async function listSources(db: Executor, domainId: string): Promise<IngestSourceView[]> {
  return db.select(VIEW).from(ingestSources).where(eq(ingestSources.domainId, domainId)).orderBy(asc(ingestSources.createdAt), asc(ingestSources.id));
}

export async function deleteSource(db: Executor, domainId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(ingestSources)
    .where(and(eq(ingestSources.domainId, domainId), eq(ingestSources.id, id)))
    .returning({ id: ingestSources.id });
  return rows.length > 0;
}

/** A source with its secret, for verifying a request (the id comes from the URL; the domain from the row). */
export async function sourceForVerification(db: Executor, id: string): Promise<IngestSourceRow | null> {
  const [row] = await db.select().from(ingestSources).where(eq(ingestSources.id, id));
  return row ?? null;
}

/** Stores a delivery; null when the source already has one with this delivery id (a duplicate). */
export async function insertDelivery(db: Executor, values: { sourceId: string; domainId: string; deliveryId: string; payload: string }): Promise<string | null> {
  const rows = await db.insert(ingestDeliveries).values(values).onConflictDoNothing().returning({ id: ingestDeliveries.id });
  return rows[0]?.id ?? null;
}

/**
 * Claims up to `limit` pending deliveries no other worker holds (SKIP LOCKED), for `leaseMs`; oldest
 * first. A worker that dies leaves its claim to expire, and another takes the delivery again.
 */
export async function claimPending(db: Executor, limit: number, leaseMs: number): Promise<DeliveryRow[]> {
  const rows = await query<{ id: string }>(db, sql`
    update ingest_deliveries set claimed_until = now() + make_interval(secs => ${leaseMs / 1000}), attempts = attempts + 1
    where id in (
      select id from ingest_deliveries
      where status = 'PENDING' and (claimed_until is null or claimed_until < now())
      order by seq limit ${limit} for update skip locked)
    returning id`);
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return [];
  return db.select().from(ingestDeliveries).where(inArray(ingestDeliveries.id, ids)).orderBy(asc(ingestDeliveries.seq));
}

export async function markDone(db: Executor, id: string): Promise<void> {
  await db.update(ingestDeliveries).set({ status: 'DONE', payload: null, doneAt: new Date(), claimedUntil: null, lastError: null }).where(eq(ingestDeliveries.id, id));
}

/** Leaves the delivery pending, to be taken again after `retryMs`. */
export async function markRetry(db: Executor, id: string, error: string, retryMs: number): Promise<void> {
  await db
    .update(ingestDeliveries)
    .set({ lastError: error.slice(0, 1000), claimedUntil: sql`now() + make_interval(secs => ${retryMs / 1000})` })
    .where(eq(ingestDeliveries.id, id));
}

/** Forgets delivery ids of deliveries ingested more than `days` ago (senders stop retrying long before). */
export async function pruneDone(db: Executor, days: number): Promise<void> {
  await db.execute(sql`delete from ingest_deliveries where status = 'DONE' and done_at < now() - make_interval(days => ${days})`);
}
