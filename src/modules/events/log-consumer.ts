/**
 * The scheduling shared by the event-log consumers that work per domain from a cursor of their
 * own (live segment membership, on-write matching): wake-ups from the app's WakeupBus for domains
 * known to need the work, a poll that finds domains whose log is ahead of their cursor (lost
 * wake-ups, work set up on another instance), at most one run per domain in this process (a wake-up
 * during a run runs it again after), batches until the log is caught up, and `settle` for tests and
 * the CLI. What a batch does — lock the cursor, read the events, act, move the cursor, in the
 * consumer's own transaction — is the consumer's `step`.
 */
import { sqlStats, type Database, type Executor } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { WakeupBus } from './wakeup.js';

/** What one batch found: more may follow, the log is caught up, or the domain no longer needs this consumer. */
export type StepResult = 'more' | 'done' | 'forget';

export interface LogConsumerSpec {
  /** Named in log lines ("segment membership", "on-write matching"). */
  name: string;
  /** Domains whose log is ahead of this consumer's cursor (read in a transaction). */
  behind: (tx: Executor) => Promise<string[]>;
  /** One batch of a domain's log. */
  step: (domainId: string) => Promise<StepResult>;
  pollMs?: number | undefined;
  logger?: Logger | undefined;
}

export class LogConsumer {
  private readonly known = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private stopBus: (() => Promise<void>) | null = null;
  private closed = false;
  private polling: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly bus: WakeupBus,
    private readonly spec: LogConsumerSpec,
  ) {}

  async start(): Promise<void> {
    this.stopBus = await this.bus.subscribe({
      wake: (domainId) => {
        if (this.known.has(domainId)) this.schedule(domainId);
      },
      resync: () => void this.poll(),
    });
    this.timer = setInterval(() => void this.poll(), this.spec.pollMs ?? 2_000);
    this.timer.unref();
  }

  /** Stops waking up and waits for the work in flight. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.stopBus?.();
    await this.polling;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Wake-ups for this domain are handled from now on (its first segment, its matching configuration). */
  watch(domainId: string): void {
    this.known.add(domainId);
  }

  /** Catches up every domain whose log is ahead of its cursor (also the poll's work). */
  poll(): Promise<void> {
    if (this.closed) return Promise.resolve();
    // Outside any request's statement count: this is background work.
    this.polling ??= sqlStats
      .exit(async () => {
        try {
          // In a transaction, not as a plain pooled query: postgres.js 3.4.9 can send a concurrent
          // sql.begin()'s BEGIN onto a connection with a pipelined plain query and fail it with
          // UNSAFE_TRANSACTION (porsager/postgres#823, #1189); a periodic plain query made that likely.
          for (const id of await this.database.db.transaction((tx) => this.spec.behind(tx))) {
            this.known.add(id);
            this.schedule(id);
          }
        } catch (err) {
          this.spec.logger?.warn({ err }, `${this.spec.name} poll failed; the next one retries`);
        }
      })
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  /** Resolves once the domain's work has caught up with its log as of now (tests, the CLI). */
  async settle(domainId: string): Promise<void> {
    this.known.add(domainId);
    this.schedule(domainId);
    while (this.running.has(domainId)) await this.running.get(domainId);
  }

  private schedule(domainId: string): void {
    if (this.closed) return;
    if (this.running.has(domainId)) {
      this.again.add(domainId);
      return;
    }
    const run = sqlStats.exit(async () => {
      try {
        do {
          this.again.delete(domainId);
          let result: StepResult = 'more';
          while (!this.closed && result === 'more') result = await this.spec.step(domainId);
          if (result === 'forget') this.known.delete(domainId);
        } while (this.again.has(domainId) && !this.closed);
      } catch (err) {
        this.spec.logger?.warn({ err, domainId }, `${this.spec.name} failed; the poll retries`);
      } finally {
        this.running.delete(domainId);
      }
    });
    this.running.set(domainId, run);
  }
}
