import { notFound } from '../../errors.js';
import { UUID } from '../pagination.js';
import type { DomainScope } from '../scope.js';
import type { Clock } from './clock.js';
import type { JobRunner } from './job-runner.js';
import { jobById, listJobs, requestCancel, type JobRow } from './job.repository.js';
import type { JobKind, JobStatus } from './job.table.js';

/** A domain's job, or null: another domain's job is indistinguishable from a missing one. */
export async function findJob(scope: DomainScope, id: string): Promise<JobRow | null> {
  return UUID.test(id) ? jobById(scope.database.db, scope.domain.id, id) : null;
}

export async function requireJob(scope: DomainScope, id: string, kind?: JobKind): Promise<JobRow> {
  const job = await findJob(scope, id);
  if (!job || (kind && job.kind !== kind)) throw notFound('Job', id);
  return job;
}

export function jobPage(scope: DomainScope, filter: { kind?: JobKind | null; status?: JobStatus | null }, limit: number, after: { at: Date; id: string } | null) {
  return listJobs(scope.database.db, scope.domain.id, filter, limit, after);
}

/** Cancels a queued job at once; flags a running one so its handler stops at its next checkpoint. */
export async function cancelJob(scope: DomainScope, runner: JobRunner, clock: Clock, id: string): Promise<JobRow> {
  await requireJob(scope, id);
  const row = await requestCancel(scope.database.db, scope.domain.id, id, clock.now());
  if (!row) throw notFound('Job', id);
  if (row.status === 'CANCELLED') await runner.dequeue(row.kind, row.id);
  return row;
}
