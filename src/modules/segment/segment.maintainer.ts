/**
 * Live segment membership. The event log is the trigger: after a write commits, the maintainer
 * reads the domain's new events (from its cursor), re-evaluates the domain's segments for the
 * profiles those events touched — the compiled rules restricted to `p.id = any($ids)`, one
 * statement — diffs them against `segment_members`, and writes the entries and exits with a
 * SEGMENT_ENTERED / SEGMENT_EXITED event each, all in one transaction that also advances the
 * cursor. The cursor row's lock serialises this (and putSegment's and the sweep's membership
 * writes) per domain across instances, so every change is recorded exactly once.
 *
 * Time passing through a window ("ordered within 30 days", WITHIN_LAST_DAYS, calculated values)
 * changes membership with no write: the scheduled sweep ({@link SegmentMaintainer.sweepAll})
 * re-evaluates the time-dependent segments over all of a domain's profiles at the clock's time.
 *
 * Wake-ups: the app's WakeupBus (in process, or LISTEN/NOTIFY across instances), for the domains
 * known to have segments; a poll (every `pollMs`) finds domains whose log is ahead of their cursor,
 * which also covers lost wake-ups and domains that got their first segment on another instance.
 */
import { sqlStats, type Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { EventNotifier } from '../events/notifier.js';
import type { WakeupBus } from '../events/wakeup.js';
import type { Clock } from '../jobs/clock.js';
import { domainRowById } from '../jobs/job.repository.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { domainsBehind, domainsWithTimeSegments, listSegments, lockCursor, lockExistingCursor, setCursor, touchedProfiles } from './segment.repository.js';
import { calculatedFor } from './segment.calculated.js';
import type { Rule } from './segment.model.js';
import { refreshMembership, timeDependentSegments } from './segment.service.js';

/** Events read per maintenance transaction. */
const BATCH = 1000;

export interface MaintainerOptions {
  pollMs?: number;
  logger?: Logger | undefined;
}

export class SegmentMaintainer {
  private readonly known = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private stopBus: (() => Promise<void>) | null = null;
  private closed = false;
  private polling: Promise<void> | null = null;
  private readonly pollMs: number;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly database: Database,
    private readonly bus: WakeupBus,
    private readonly notifier: EventNotifier,
    private readonly clock: Clock,
    opts: MaintainerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2_000;
    this.logger = opts.logger;
  }

  async start(): Promise<this> {
    this.stopBus = await this.bus.subscribe({
      wake: (domainId) => {
        if (this.known.has(domainId)) this.schedule(domainId);
      },
      resync: () => void this.poll(),
    });
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    return this;
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

  /** Catches up every domain whose log is ahead of its cursor (also the poll's work). */
  poll(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.polling ??= sqlStats
      .exit(async () => {
        try {
          // In a transaction, not as a plain pooled query: postgres.js 3.4.9 can send a concurrent
          // sql.begin()'s BEGIN onto a connection with a pipelined plain query and fail it with
          // UNSAFE_TRANSACTION (porsager/postgres#823, #1189); a periodic plain query made that likely.
          for (const id of await this.database.db.transaction((tx) => domainsBehind(tx))) {
            this.known.add(id);
            this.schedule(id);
          }
        } catch (err) {
          this.logger?.warn({ err }, 'segment membership poll failed; the next one retries');
        }
      })
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  /** Resolves once the domain's membership has caught up with its log as of now (tests, the CLI). */
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
    // Outside the writing request's statement count: this is background work.
    const run = sqlStats.exit(async () => {
      try {
        do {
          this.again.delete(domainId);
          while (!this.closed && (await this.step(domainId))) {
            // more events than one batch: go on
          }
        } while (this.again.has(domainId) && !this.closed);
      } catch (err) {
        this.logger?.warn({ err, domainId }, 'segment membership update failed; the poll retries');
      } finally {
        this.running.delete(domainId);
      }
    });
    this.running.set(domainId, run);
  }

  /** The domain's scope and segments (read in a transaction, see poll). */
  private async scopeOf(domainId: string): Promise<{ scope: DomainScope; rules: Rule[] } | null> {
    const found = await this.database.db.transaction(async (tx) => {
      const domain = await domainRowById(tx, domainId);
      return domain ? { domain, rules: (await listSegments(tx, domainId)).map((r) => r.rule) } : null;
    });
    if (!found) return null;
    return { scope: { database: this.database, domain: found.domain, actorKeyId: null, notifier: this.notifier, clock: this.clock }, rules: found.rules };
  }

  /** One batch of the domain's log; true when more may follow. */
  private async step(domainId: string): Promise<boolean> {
    const found = await this.scopeOf(domainId);
    if (!found) {
      this.known.delete(domainId);
      return false;
    }
    const { scope } = found;
    // calculated values whose window moved on are recomputed first (their own transaction)
    const calculated = await calculatedFor(scope, found.rules, true);
    return writeTransaction(scope, async (tx, emit) => {
      const position = await lockExistingCursor(tx, domainId);
      if (position === null) {
        this.known.delete(domainId);
        return false;
      }
      const touched = await touchedProfiles(tx, domainId, position, BATCH);
      if (touched.last === position) return false;
      if (touched.profileIds.length > 0) {
        const rows = await listSegments(tx, domainId);
        await refreshMembership(tx, scope, emit, rows, touched.profileIds, calculated);
      }
      await setCursor(tx, domainId, touched.last);
      return true;
    });
  }

  /**
   * The time sweep: in every domain with time-dependent segments, re-evaluates those segments for
   * all profiles at the clock's time (entries and exits with their events, one transaction per domain).
   */
  async sweepAll(): Promise<{ domains: number; changes: number }> {
    let changes = 0;
    const domains = await this.database.db.transaction((tx) => domainsWithTimeSegments(tx));
    for (const domainId of domains) {
      try {
        changes += await this.sweepDomain(domainId);
      } catch (err) {
        // one domain's failure must not stop the others
        this.logger?.error({ err, domainId }, 'segment sweep failed for a domain');
      }
    }
    return { domains: domains.length, changes };
  }

  async sweepDomain(domainId: string): Promise<number> {
    const found = await this.scopeOf(domainId);
    if (!found) return 0;
    const { scope } = found;
    const calculated = await calculatedFor(scope, found.rules, true);
    return writeTransaction(scope, async (tx, emit) => {
      await lockCursor(tx, domainId);
      const rows = await listSegments(tx, domainId);
      const reach = new Map(rows.map((r) => [r.name, r.rule]));
      const timed = timeDependentSegments(rows.map((row) => ({ row, reach })));
      return (await refreshMembership(tx, scope, emit, timed, null, calculated)).length;
    });
  }
}
