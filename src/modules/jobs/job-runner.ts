import { setMaxListeners } from 'node:events';
import { sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';
import { backoffMs, delay, isConnectionError, type Database } from '../../db/database.js';
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
  /** 1 on the first run; a job whose database connection is lost mid-run is started over (see willRetry). */
  readonly attempt: number;
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
  /**
   * Whether the runner will start this job over after the handler throws `err` (its database
   * connection was lost and attempts remain). A handler that cleans up on failure keeps what a
   * new attempt needs (e.g. an uploaded file) when this is true, as it does on JobInterruptedError.
   */
  willRetry(err: unknown): boolean;
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
  /** Runs of a job whose database connection is lost mid-run, each starting it over (default 3). */
  connectionLossAttempts?: number;
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

/** A job fetched from a queue and not yet completed or failed there. */
interface Fetched {
  queue: string;
  id: string;
}

/** The error of a job that failed because its database connection was lost (and no attempt was left). */
const CONNECTION_LOST =
  'The database connection was lost while the job ran. Its counts and row errors show what was done; start it again (imports and exports can safely be re-run).';

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
  private readonly workerKinds = new Set<JobKind>();
  /** Aborted on shutdown; every idle worker listens to it (one listener each, removed on wake-up). */
  private readonly shutdown = (() => {
    const c = new AbortController();
    // one listener per idle worker of every queue is expected, not a leak (Node warned past 10)
    setMaxListeners(0, c.signal);
    return c;
  })();
  private started = false;
  /** Running fetch loops, and what each is working on (failed back to the queue if shutdown times out). */
  private readonly loops = new Set<Promise<void>>();
  private readonly active = new Set<Fetched>();
  /** Idle loops per queue, woken by an enqueue on this instance. */
  private readonly idlers = new Map<string, Set<() => void>>();

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
      await this.persist('fail an unqueued job', () => finishJob(this.database.db, row.id, 'FAILED', { error: 'The job could not be queued; start it again.' }, this.opts.clock.now()), 5);
      throw err;
    }
    for (const wake of [...(this.idlers.get(queueName(kind)) ?? [])]) wake();
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
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.allSettled([...this.loops]).then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), 10_000))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      // Handlers that did not reach a checkpoint: hand their jobs back so another instance retries them.
      for (const f of [...this.active]) await this.boss.fail(f.queue, f.id, { message: 'worker shut down while the job ran' }).catch(() => {});
    }
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 10_000 });
  }

  private async startWorkers(kind: JobKind): Promise<void> {
    if (!this.opts.work || this.workerKinds.has(kind)) return;
    this.workerKinds.add(kind);
    const name = queueName(kind);
    await this.boss.createQueue(name);
    for (let i = 0; i < this.opts.concurrency; i++) {
      this.spawn(name, this.opts.pollingIntervalSeconds, (message) => this.run(kind, message.jobId));
    }
  }

  /**
   * One worker: fetches a job, runs it, completes or fails it in the queue, and so on until
   * shutdown; idle, it polls every `intervalSeconds` (or is woken by an enqueue here). Used instead
   * of pg-boss's work(), which does not await its complete()/fail() calls — a database outage at
   * that moment would be an unhandled rejection, fatal to the process.
   */
  private spawn(queue: string, intervalSeconds: number, handle: (message: QueueMessage) => Promise<void>): void {
    const signal = this.shutdown.signal;
    const loop = (async () => {
      while (!signal.aborted) {
        let job: { id: string; data: QueueMessage } | undefined;
        try {
          [job] = await this.boss.fetch<QueueMessage>(queue, { batchSize: 1 });
        } catch (err) {
          this.logger.warn({ err, queue }, 'could not fetch jobs; retrying');
        }
        if (!job) {
          await this.idle(queue, intervalSeconds * 1000);
          continue;
        }
        const fetched: Fetched = { queue, id: job.id };
        this.active.add(fetched);
        let failure: unknown = null;
        try {
          await handle(job.data);
        } catch (err) {
          failure = err;
        }
        try {
          // A failed job is retried by the queue (retryLimit), as after an interruption.
          await this.persist('settle a queue job', () =>
            failure === null ? this.boss.complete(queue, job.id) : this.boss.fail(queue, job.id, { message: failure instanceof Error ? failure.message : String(failure) }),
          );
        } catch (err) {
          this.logger.error({ err, queue, id: job.id }, 'could not record a job in the queue; it expires and is retried');
        } finally {
          this.active.delete(fetched);
        }
      }
    })();
    this.loops.add(loop);
    void loop.finally(() => this.loops.delete(loop));
  }

  /** Waits `ms`, or until an enqueue on this instance or shutdown wakes the queue's idle workers. */
  private idle(queue: string, ms: number): Promise<void> {
    const signal = this.shutdown.signal;
    let set = this.idlers.get(queue);
    if (!set) this.idlers.set(queue, (set = new Set()));
    const idlers = set;
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        idlers.delete(wake);
        signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      idlers.add(wake);
      signal.addEventListener('abort', wake, { once: true });
    });
  }

  /**
   * Runs a statement, retrying it with backoff while it fails because the database connection is
   * lost — at most `attempts` times, and only once more after shutdown began. Other errors are
   * thrown at once. For the job's own bookkeeping, which must survive a reconnect.
   */
  private async persist<T>(what: string, op: () => Promise<T>, attempts = Infinity): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await op();
      } catch (err) {
        if (!isConnectionError(err) || attempt >= attempts || this.shutdown.signal.aborted) throw err;
        if (attempt === 1) this.logger.warn({ err, what }, 'lost the database connection; retrying');
      }
      await delay(backoffMs(attempt - 1, 100, 5_000), this.shutdown.signal);
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
    this.spawn(queue, Math.max(this.opts.pollingIntervalSeconds, 5), () => entry.task());
  }

  private async run(kind: JobKind, jobId: string): Promise<void> {
    const reg = this.registrations.get(kind);
    const db = this.database.db;
    const now = () => this.opts.clock.now();
    const existing = await this.persist('read a job', () => jobByIdAnyDomain(db, jobId));
    if (!reg || !existing) return;
    const domain = await this.persist('read a job', () => domainRowById(db, existing.domainId));
    const job = domain ? await this.persist('start a job', () => markRunning(db, jobId, now())) : null;
    if (!domain || !job) {
      // Cancelled while queued (or its domain was deleted): nothing to do.
      if (existing.cancelRequested) await this.persist('finish a job', () => finishJob(db, jobId, 'CANCELLED', {}, now()));
      return;
    }
    const scope: DomainScope = { database: this.database, domain, actorKeyId: null, notifier: this.notifier, clock: this.opts.clock };
    const state = new ProgressState(this.opts.maxRowErrors ?? 1000);
    const progressEvery = this.opts.progressIntervalMs ?? 250;
    const cancelEvery = this.opts.cancelCheckMs ?? 200;
    const attempts = Math.max(1, this.opts.connectionLossAttempts ?? 3);
    const signal = this.shutdown.signal;
    const finish = (status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED', patch: Parameters<typeof finishJob>[3]) =>
      this.persist('finish a job', () => finishJob(db, jobId, status, patch, now()));
    const cancelRequested = () => this.persist('read a job', () => isCancelRequested(db, jobId), 3);
    let lastWrite = 0;
    let lastCancelCheck = 0;
    let cancelled = false;
    const isCancelled = async () => {
      if (cancelled) return true;
      const t = Date.now();
      if (t - lastCancelCheck >= cancelEvery) {
        lastCancelCheck = t;
        cancelled = await cancelRequested();
      }
      return cancelled;
    };
    const updateProgress = (patch: ReturnType<ProgressState['patch']>) => this.persist('record job progress', () => updateJobProgress(db, jobId, patch), 3);
    let lostConnection = false;
    for (let attempt = 1; ; attempt++) {
      const willRetry = (err: unknown) => isConnectionError(err) && attempt < attempts && !signal.aborted;
      const ctx: JobContext = {
        job,
        attempt,
        scope,
        signal,
        async progress(done, total) {
          state.setProgress(done, total);
          const t = Date.now();
          if (t - lastWrite >= progressEvery) {
            lastWrite = t;
            await updateProgress(state.patch());
          }
        },
        setCounts(counts) {
          state.setCounts(counts);
        },
        rowError(line, reason) {
          state.addRowError(line, reason);
        },
        isCancelled,
        async checkpoint() {
          if (signal.aborted) throw new JobInterruptedError();
          if (await isCancelled()) throw new JobCancelledError();
        },
        willRetry,
      };
      try {
        const result = await reg.handler(ctx);
        await finish('SUCCEEDED', { ...state.patch(), result: result ?? {} });
        return;
      } catch (err) {
        if (err instanceof JobInterruptedError || (signal.aborted && !(err instanceof JobCancelledError))) {
          // Back to the queue: pg-boss retries it on a live instance, which starts it over.
          await updateProgress(state.patch()).catch((e: unknown) => this.logger.warn({ err: e, jobId }, 'could not record the progress of an interrupted job'));
          throw err;
        }
        // (Unknown while the database is unreachable: then it is not a cancellation that ended it.)
        if (err instanceof JobCancelledError || (await cancelRequested().catch(() => false))) {
          await finish('CANCELLED', state.patch());
          return;
        }
        if (willRetry(err)) {
          // Imports and exports start over safely; the counts shown stay those of this attempt
          // until the next one reports.
          this.logger.warn({ err, jobId, kind, attempt }, 'a job lost its database connection; starting it over once the database answers');
          lostConnection = true;
          await this.persist('wait for the database', () => db.execute(sql`select 1`));
          state.newAttempt();
          continue;
        }
        const app = toAppError(err);
        const lost = isConnectionError(err) || (lostConnection && !state.reportedThisAttempt);
        if (!app || lost) this.logger.error({ err, jobId, kind, attempt }, 'job failed');
        // A restart that failed before doing anything says nothing more than the connection loss before it.
        const message = lost
          ? CONNECTION_LOST
          : (app?.message ?? 'The job failed with an internal error. It has been logged; start it again, and report it if it persists.');
        await finish('FAILED', { ...state.patch(), error: message });
        return;
      }
    }
  }
}

/**
 * What a job reports. A new attempt (after a lost connection) starts from nothing, but the previous
 * attempt's report stands until the new one reports something, so a restart that fails at once
 * leaves the job with what was actually done.
 */
class ProgressState {
  progress: JobProgress = { done: 0, total: null };
  counts: Record<string, number> = {};
  private rowErrors: RowError[] = [];
  private rowErrorsChanged = false;
  private reported = true;

  constructor(private readonly maxRowErrors: number) {}

  /** Whether the current attempt has reported anything. */
  get reportedThisAttempt(): boolean {
    return this.reported;
  }

  newAttempt(): void {
    this.reported = false;
  }

  setProgress(done: number, total: number | null | undefined): void {
    this.report();
    this.progress = { done, total: total === undefined ? this.progress.total : total };
  }

  setCounts(counts: Record<string, number>): void {
    this.report();
    this.counts = { ...counts };
  }

  addRowError(line: number, reason: string): void {
    this.report();
    if (this.rowErrors.length >= this.maxRowErrors) return;
    this.rowErrors.push({ line, reason });
    this.rowErrorsChanged = true;
  }

  patch(): { progress: JobProgress; counts: Record<string, number>; rowErrors?: RowError[] } {
    const out: { progress: JobProgress; counts: Record<string, number>; rowErrors?: RowError[] } = { progress: this.progress, counts: this.counts };
    if (this.rowErrorsChanged) out.rowErrors = [...this.rowErrors];
    return out;
  }

  private report(): void {
    if (this.reported) return;
    this.reported = true;
    this.progress = { done: 0, total: null };
    this.counts = {};
    if (this.rowErrors.length > 0) {
      this.rowErrors = [];
      this.rowErrorsChanged = true;
    }
  }
}
