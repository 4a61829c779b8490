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
import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { touchedProfiles } from '../events/event.repository.js';
import { LogConsumer, type StepResult } from '../events/log-consumer.js';
import type { EventNotifier } from '../events/notifier.js';
import type { WakeupBus } from '../events/wakeup.js';
import type { Clock } from '../jobs/clock.js';
import { domainRowById } from '../jobs/job.repository.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { domainsBehind, domainsWithTimeSegments, listSegments, lockCursor, lockExistingCursor, setCursor } from './segment.repository.js';
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
  private readonly consumer: LogConsumer;
  private readonly logger: Logger | undefined;

  constructor(
    private readonly database: Database,
    bus: WakeupBus,
    private readonly notifier: EventNotifier,
    private readonly clock: Clock,
    opts: MaintainerOptions = {},
  ) {
    this.logger = opts.logger;
    this.consumer = new LogConsumer(database, bus, { name: 'segment membership', behind: domainsBehind, step: (id) => this.step(id), pollMs: opts.pollMs, logger: opts.logger });
  }

  async start(): Promise<this> {
    await this.consumer.start();
    return this;
  }

  /** Stops waking up and waits for the work in flight. */
  close(): Promise<void> {
    return this.consumer.close();
  }

  /** Catches up every domain whose log is ahead of its cursor (also the poll's work). */
  poll(): Promise<void> {
    return this.consumer.poll();
  }

  /** Resolves once the domain's membership has caught up with its log as of now (tests, the CLI). */
  settle(domainId: string): Promise<void> {
    return this.consumer.settle(domainId);
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

  /** One batch of the domain's log. */
  private async step(domainId: string): Promise<StepResult> {
    const found = await this.scopeOf(domainId);
    if (!found) return 'forget';
    const { scope } = found;
    // calculated values whose window moved on are recomputed first (their own transaction)
    const calculated = await calculatedFor(scope, found.rules, true);
    return writeTransaction(scope, async (tx, emit): Promise<StepResult> => {
      const position = await lockExistingCursor(tx, domainId);
      if (position === null) return 'forget';
      const touched = await touchedProfiles(tx, domainId, position, BATCH);
      if (touched.last === position) return 'done';
      if (touched.profileIds.length > 0) {
        const rows = await listSegments(tx, domainId);
        await refreshMembership(tx, scope, emit, rows, touched.profileIds, calculated);
      }
      await setCursor(tx, domainId, touched.last);
      return 'more';
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
