import PgBoss from 'pg-boss';
import type { Database } from '../../db/database.js';
import { AppError, ErrorCode, toAppError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { EventNotifier } from '../events/notifier.js';
import type { DomainScope } from '../scope.js';
import { bossDb } from './boss-db.js';
import type { Clock } from './clock.js';
import {
  countActiveJobs,
  domainRowById,
  finishJob,
  insertJob,
  isCancelRequested,
  jobByIdAnyDomain,
  lockDomainKind,
  markRunning,
  updateJobProgress,
  type JobProgress,
  type JobRow,
  type RowError,
} from './job.repository.js';
import type { JobKind } from './job.table.js';

/** What a handler gets: its row, its domain, and the ways to report back. */
export interface JobContext {
  readonly job: JobRow;
  /** The job's domain; events written by the job have no actor key. */
  readonly scope: DomainScope;
  /** Aborted when this instance shuts down: stop soon; the job is handed to another worker. */
  readonly signal: AbortSignal;
  /** Records progress (and counts); written to the row at most every `progressIntervalMs`. */
  progress(done: number, total?: number | null): Promise<void>;
  /** Replaces the kind-specific counts (rows seen, written, failed …). */
  setCounts(counts: Record<string, number>): void;
  /** Keeps a bad row's line and reason (the first `maxRowErrors`). */
  rowError(line: number, reason: string): void;
  /** True once cancelJob was called for this job (read from the row, at most every `cancelCheckMs`). */
  isCancelled(): Promise<boolean>;
  /** Throws JobCancelledError when cancelled, JobInterruptedError on shutdown: call between units of work. */
  checkpoint(): Promise<void>;
}

/**
 * Runs one job. The returned object becomes `jobs.result`. Throwing an AppError fails the job with its
 * message; anything else fails it with a generic message (the error is logged, never shown).
 */
export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | void>;

/** Thrown (by `checkpoint`, or by a handler) to end a job as CANCELLED. */
export class JobCancelledError extends Error {
  constructor() {
    super('job cancelled');
    this.name = 'JobCancelledError';
  }
}

/** Thrown by `checkpoint` on shutdown: the job goes back to the queue. */
export class JobInterruptedError extends Error {
  constructor() {
    super('worker shutting down');
    this.name = 'JobInterruptedError';
  }
}

export interface JobRunnerOptions {
  clock: Clock;
  /** Run handlers and schedules in this process (false: only enqueue, e.g. an API-only replica). */
  work: boolean;
  /** Jobs one instance runs at once. */
  concurrency: number;
  /** How often idle workers look for jobs queued by other instances. */
  pollingIntervalSeconds: number;
  maxRowErrors?: number;
  progressIntervalMs?: number;
  cancelCheckMs?: number;
}

interface Registration {
  handler: JobHandler;
  maxActivePerDomain: number | null;
  /** How the kind is named in messages ("exports"). */
  noun: string;
}

interface QueueMessage {
  jobId: string;
}

const queueName = (kind: JobKind) => `profilegraph.job.${kind.toLowerCase()}`;
const scheduleQueue = (name: string) => `profilegraph.schedule.${name}`;

/**
 * The one job seam: domain jobs (import, export) are rows in `jobs` that users query and cancel, and
 * their execution is on pg-boss, a Postgres job queue (SKIP LOCKED fetch, retries, cron schedules)
 * running over the app's own database handle — Postgres or embedded PGlite alike. Several instances
 * share the queue; a job runs once.
 */
export class JobRunner {
  private readonly boss: PgBoss;
  private readonly registrations = new Map<JobKind, Registration>();
  private readonly schedules = new Map<string, { cron: string; task: () => Promise<void> }>();
  private readonly workerIds = new Map<JobKind, string[]>();
  private readonly shutdown = new AbortController();
  private started = false;

  constructor(
    private readonly database: Database,
    private readonly notifier: EventNotifier,
    private readonly logger: Logger,
    private readonly opts: JobRunnerOptions,
  ) {
    this.boss = new PgBoss({
      db: bossDb(database),
      schema: 'pgboss',
      supervise: opts.work,
      schedule: opts.work,
      migrate: true,
      // Job outcomes live in `jobs`; the queue's own records are housekeeping.
      deleteAfterDays: 7,
    });
    this.boss.on('error', (err) => this.logger.error({ err }, 'job queue error'));
  }

  /** Registers the handler of a job kind; `maxActivePerDomain` caps its queued + running jobs per domain. */
  registerJobHandler(kind: JobKind, handler: JobHandler, opts: { maxActivePerDomain?: number | null; noun?: string } = {}): void {
    if (this.registrations.has(kind)) throw new Error(`a handler for ${kind} jobs is already registered`);
    this.registrations.set(kind, { handler, maxActivePerDomain: opts.maxActivePerDomain ?? null, noun: opts.noun ?? `${kind.toLowerCase()} jobs` });
    if (this.started) void this.startWorkers(kind).catch((err: unknown) => this.logger.error({ err, kind }, 'could not start job workers'));
  }

  /**
   * Runs `task` on a cron schedule (UTC), once across all instances. Registered before or after start.
   * An empty cron means never (the task can still be run directly).
   */
  registerSchedule(name: string, cron: string, task: () => Promise<void>): void {
    this.schedules.set(name, { cron, task });
    if (this.started) void this.startSchedule(name).catch((err: unknown) => this.logger.error({ err, name }, 'could not start schedule'));
  }

  /**
   * Queues a job for the domain. Past the kind's per-domain cap of queued + running jobs this is
   * LIMIT_EXCEEDED (checked under a per-domain lock, so concurrent requests cannot overshoot it).
   */
  async enqueue(scope: DomainScope, kind: JobKind, params: Record<string, unknown>): Promise<JobRow> {
    const reg = this.registrations.get(kind);
    if (!reg) throw new Error(`no handler registered for ${kind} jobs`);
    const row = await this.database.db.transaction(async (tx) => {
      if (reg.maxActivePerDomain !== null) {
        await lockDomainKind(tx, scope.domain.id, kind);
        const active = await countActiveJobs(tx, scope.domain.id, kind);
        if (active >= reg.maxActivePerDomain) {
          throw new AppError(
            ErrorCode.LIMIT_EXCEEDED,
            `This domain already has ${active} ${reg.noun} queued or running (the limit is ${reg.maxActivePerDomain}); wait for one to finish or cancel one.`,
            { limit: reg.maxActivePerDomain },
          );
        }
      }
      return insertJob(tx, scope.domain.id, kind, params);
    });
    try {
      // The queue message's id is the job's id, so either side finds the other.
      await this.boss.send(queueName(kind), { jobId: row.id } satisfies QueueMessage, { id: row.id, retryLimit: 2, retryDelay: 5, expireInHours: 12 });
    } catch (err) {
      await finishJob(this.database.db, row.id, 'FAILED', { error: 'The job could not be queued; start it again.' }, this.opts.clock.now());
      throw err;
    }
    for (const id of this.workerIds.get(kind) ?? []) this.boss.notifyWorker(id);
    return row;
  }

  /** Tells the queue a queued job will not run (its row is already CANCELLED). */
  async dequeue(kind: JobKind, id: string): Promise<void> {
    await this.boss.cancel(queueName(kind), id).catch((err: unknown) => this.logger.warn({ err, id }, 'could not cancel queued job'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
    if (!this.opts.work) return;
    for (const kind of this.registrations.keys()) await this.startWorkers(kind);
    for (const name of this.schedules.keys()) await this.startSchedule(name);
  }

  /** Stops taking jobs, interrupts running ones (they go back to the queue) and waits for them. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.shutdown.abort();
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
  }

  private async startWorkers(kind: JobKind): Promise<void> {
    if (!this.opts.work || this.workerIds.has(kind)) return;
    const name = queueName(kind);
    await this.boss.createQueue(name);
    const ids: string[] = [];
    this.workerIds.set(kind, ids);
    for (let i = 0; i < this.opts.concurrency; i++) {
      ids.push(
        await this.boss.work<QueueMessage>(name, { batchSize: 1, pollingIntervalSeconds: this.opts.pollingIntervalSeconds }, async ([message]) => {
          if (message) await this.run(kind, message.data.jobId);
        }),
      );
    }
  }

  private async startSchedule(name: string): Promise<void> {
    const entry = this.schedules.get(name);
    if (!this.opts.work || !entry) return;
    const queue = scheduleQueue(name);
    await this.boss.createQueue(queue, { name: queue, policy: 'singleton' });
    if (!entry.cron) {
      await this.boss.unschedule(queue);
      return;
    }
    await this.boss.schedule(queue, entry.cron, {}, { tz: 'UTC', retryLimit: 0 });
    await this.boss.work(queue, { pollingIntervalSeconds: Math.max(this.opts.pollingIntervalSeconds, 5) }, async () => {
      await entry.task();
    });
  }

  private async run(kind: JobKind, jobId: string): Promise<void> {
    const reg = this.registrations.get(kind);
    const db = this.database.db;
    const existing = await jobByIdAnyDomain(db, jobId);
    if (!reg || !existing) return;
    const domain = await domainRowById(db, existing.domainId);
    const job = domain ? await markRunning(db, jobId, this.opts.clock.now()) : null;
    if (!domain || !job) {
      // Cancelled while queued (or its domain was deleted): nothing to do.
      if (existing.cancelRequested) await finishJob(db, jobId, 'CANCELLED', {}, this.opts.clock.now());
      return;
    }
    const scope: DomainScope = { database: this.database, domain, actorKeyId: null, notifier: this.notifier };
    const state = new ProgressState(job, this.opts.maxRowErrors ?? 1000);
    const progressEvery = this.opts.progressIntervalMs ?? 250;
    const cancelEvery = this.opts.cancelCheckMs ?? 200;
    let lastWrite = 0;
    let lastCancelCheck = 0;
    let cancelled = false;
    const isCancelled = async () => {
      if (cancelled) return true;
      const t = Date.now();
      if (t - lastCancelCheck >= cancelEvery) {
        lastCancelCheck = t;
        cancelled = await isCancelRequested(db, jobId);
      }
      return cancelled;
    };
    const signal = this.shutdown.signal;
    const ctx: JobContext = {
      job,
      scope,
      signal,
      async progress(done, total) {
        state.progress = { done, total: total === undefined ? state.progress.total : total };
        const t = Date.now();
        if (t - lastWrite >= progressEvery) {
          lastWrite = t;
          await updateJobProgress(db, jobId, state.patch());
        }
      },
      setCounts(counts) {
        state.counts = { ...counts };
      },
      rowError(line, reason) {
        state.addRowError(line, reason);
      },
      isCancelled,
      async checkpoint() {
        if (signal.aborted) throw new JobInterruptedError();
        if (await isCancelled()) throw new JobCancelledError();
      },
    };
    try {
      const result = await reg.handler(ctx);
      await finishJob(db, jobId, 'SUCCEEDED', { ...state.patch(), result: result ?? {} }, this.opts.clock.now());
    } catch (err) {
      if (err instanceof JobInterruptedError || (signal.aborted && !(err instanceof JobCancelledError))) {
        // Back to the queue: pg-boss retries it on a live instance, which starts it over.
        await updateJobProgress(db, jobId, state.patch());
        throw err;
      }
      if (err instanceof JobCancelledError || (await isCancelRequested(db, jobId))) {
        await finishJob(db, jobId, 'CANCELLED', state.patch(), this.opts.clock.now());
        return;
      }
      const app = toAppError(err);
      if (!app) this.logger.error({ err, jobId, kind }, 'job failed');
      const message = app?.message ?? 'The job failed with an internal error. It has been logged; start it again, and report it if it persists.';
      await finishJob(db, jobId, 'FAILED', { ...state.patch(), error: message }, this.opts.clock.now());
    }
  }
}

class ProgressState {
  progress: JobProgress;
  counts: Record<string, number>;
  private readonly rowErrors: RowError[];
  private rowErrorsChanged = false;

  constructor(
    job: JobRow,
    private readonly maxRowErrors: number,
  ) {
    this.progress = { done: 0, total: null };
    this.counts = {};
    this.rowErrors = job.rowErrors.slice(0, 0);
  }

  addRowError(line: number, reason: string): void {
    if (this.rowErrors.length >= this.maxRowErrors) return;
    this.rowErrors.push({ line, reason });
    this.rowErrorsChanged = true;
  }

  patch(): { progress: JobProgress; counts: Record<string, number>; rowErrors?: RowError[] } {
    const out: { progress: JobProgress; counts: Record<string, number>; rowErrors?: RowError[] } = { progress: this.progress, counts: this.counts };
    if (this.rowErrorsChanged) out.rowErrors = [...this.rowErrors];
    return out;
  }
}
