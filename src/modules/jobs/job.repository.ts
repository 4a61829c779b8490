import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import type { DomainRow } from '../domain/domain.repository.js';
import { domains } from '../domain/domain.table.js';
import { jobs, type JobKind, type JobStatus } from './job.table.js';

export type JobRow = typeof jobs.$inferSelect;
export type JobProgress = JobRow['progress'];
export type RowError = JobRow['rowErrors'][number];

/** Statuses a job can still move out of. */
export const ACTIVE_STATUSES: JobStatus[] = ['QUEUED', 'RUNNING'];

export async function insertJob(db: Executor, domainId: string, kind: JobKind, params: Record<string, unknown>): Promise<JobRow> {
  const [row] = await db.insert(jobs).values({ domainId, kind, params }).returning();
  return row as JobRow;
}

/** Serialises enqueues of one kind in one domain for the rest of the transaction (the per-domain cap). */
export async function lockDomainKind(db: Executor, domainId: string, kind: JobKind): Promise<void> {
  await query(db, sql`select pg_advisory_xact_lock(hashtext(${`jobs:${domainId}:${kind}`}))`);
}

export async function countActiveJobs(db: Executor, domainId: string, kind: JobKind): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(and(eq(jobs.domainId, domainId), eq(jobs.kind, kind), inArray(jobs.status, ACTIVE_STATUSES)));
  return Number(row?.n ?? 0);
}

export async function jobById(db: Executor, domainId: string, id: string): Promise<JobRow | null> {
  const [row] = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.domainId, domainId), eq(jobs.id, id)));
  return row ?? null;
}

/** For the worker only: the queue message carries just the id; the row says which domain it is in. */
export async function jobByIdAnyDomain(db: Executor, id: string): Promise<JobRow | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row ?? null;
}

/** A page of a domain's jobs, newest first; fetches limit + 1 to tell whether more follow. */
export async function listJobs(
  db: Executor,
  domainId: string,
  filter: { kind?: JobKind | null; status?: JobStatus | null },
  limit: number,
  after: { at: Date; id: string } | null,
): Promise<JobRow[]> {
  const position = after ? or(lt(jobs.createdAt, after.at), and(eq(jobs.createdAt, after.at), lt(jobs.id, after.id))) : undefined;
  return db
    .select()
    .from(jobs)
    .where(
      and(
        eq(jobs.domainId, domainId),
        filter.kind ? eq(jobs.kind, filter.kind) : undefined,
        filter.status ? eq(jobs.status, filter.status) : undefined,
        position,
      ),
    )
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit + 1);
}

/** QUEUED → RUNNING; null when the job is no longer queued (cancelled meanwhile, or another worker took it). */
export async function markRunning(db: Executor, id: string, now: Date): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({ status: 'RUNNING', startedAt: now })
    .where(and(eq(jobs.id, id), inArray(jobs.status, ['QUEUED', 'RUNNING']), isNull(jobs.cancelRequested)))
    .returning();
  return row ?? null;
}

export async function updateJobProgress(
  db: Executor,
  id: string,
  patch: { progress?: JobProgress; counts?: Record<string, number>; rowErrors?: RowError[] },
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.update(jobs).set(patch).where(eq(jobs.id, id));
}

/** Moves a job to its final status; a job already final is left as it is. */
export async function finishJob(
  db: Executor,
  id: string,
  status: Extract<JobStatus, 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>,
  patch: { result?: Record<string, unknown> | null; error?: string | null; progress?: JobProgress; counts?: Record<string, number>; rowErrors?: RowError[] },
  now: Date,
): Promise<JobRow | null> {
  const [row] = await db
    .update(jobs)
    .set({ ...patch, status, finishedAt: now })
    .where(and(eq(jobs.id, id), inArray(jobs.status, ACTIVE_STATUSES)))
    .returning();
  return row ?? null;
}

export async function isCancelRequested(db: Executor, id: string): Promise<boolean> {
  const [row] = await db.select({ at: jobs.cancelRequested }).from(jobs).where(eq(jobs.id, id));
  return !row || row.at !== null;
}

/**
 * Asks a domain's job to stop: a queued job is cancelled at once, a running one is flagged and its
 * handler stops at its next check. Returns the row after the change (null when not in the domain).
 */
export async function requestCancel(db: Executor, domainId: string, id: string, now: Date): Promise<JobRow | null> {
  await db
    .update(jobs)
    .set({ cancelRequested: now })
    .where(and(eq(jobs.domainId, domainId), eq(jobs.id, id), inArray(jobs.status, ACTIVE_STATUSES), isNull(jobs.cancelRequested)));
  await db
    .update(jobs)
    .set({ status: 'CANCELLED', finishedAt: now })
    .where(and(eq(jobs.domainId, domainId), eq(jobs.id, id), eq(jobs.status, 'QUEUED')));
  return jobById(db, domainId, id);
}

/** The domain a job runs in (the worker builds the job's DomainScope from it). */
export async function domainRowById(db: Executor, id: string): Promise<DomainRow | null> {
  const [row] = await db.select().from(domains).where(eq(domains.id, id));
  return row ?? null;
}
