import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';

export type JobKind = 'IMPORT' | 'EXPORT' | 'CALCULATED_BACKFILL' | 'MATCHING';
export type JobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/**
 * A domain's long-running job (import, export) as users see it: status, progress, counts, output.
 * Execution is on the Postgres job queue; this row is the tenant-scoped, queryable record.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<JobKind>().notNull(),
    status: text('status').$type<JobStatus>().notNull().default('QUEUED'),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    /** Rows seen, written, failed …, kind-specific. */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    /** Up to a bounded number of row errors: [{ line, reason }]. */
    rowErrors: jsonb('row_errors').$type<{ line: number; reason: string }[]>().notNull().default([]),
    progress: jsonb('progress').$type<{ done: number; total: number | null }>().notNull().default({ done: 0, total: null }),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    cancelRequested: timestamp('cancel_requested', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('jobs_domain_idx').on(t.domainId, t.createdAt), index('jobs_status_idx').on(t.status)],
);
