/**
 * On-write matching. The event log is the trigger, as for live segments (segment.maintainer.ts):
 * after a write commits, the maintainer reads the domain's new events from its cursor
 * (`match_cursors`, whose row lock serialises it per domain across instances), and checks the
 * profiles those events touched against their blocking candidates — keys refreshed, matches folded
 * into SUGGESTED groups — in one transaction that also advances the cursor. Groups at or above the
 * auto-merge threshold are then merged through the injected AutoMerger.
 *
 * Wake-ups: the app's WakeupBus for the domains known to have on-write matching; a poll finds
 * domains whose log is ahead of their cursor (lost wake-ups, configuration made on another instance).
 */
import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { touchedProfiles } from '../events/event.repository.js';
import { LogConsumer, type StepResult } from '../events/log-consumer.js';
import type { EventNotifier } from '../events/notifier.js';
import type { WakeupBus } from '../events/wakeup.js';
import type { Clock } from '../jobs/clock.js';
import { domainRowById } from '../jobs/job.repository.js';
import type { DomainScope } from '../scope.js';
import { DEFAULT_MATCHING_CONFIG } from './identity.config.js';
import { configRow, domainsBehind, lockExistingCursor, setCursor } from './identity.repository.js';
import { autoMerge, matchWritten, type AutoMergeCandidate, type AutoMerger } from './identity.service.js';

/** Events read per transaction. */
const BATCH = 500;

export class IdentityMaintainer {
  private readonly consumer: LogConsumer;

  constructor(
    private readonly database: Database,
    bus: WakeupBus,
    private readonly notifier: EventNotifier,
    private readonly clock: Clock,
    private readonly autoMerger: AutoMerger | null,
    private readonly opts: { pollMs?: number; logger?: Logger | undefined } = {},
  ) {
    this.consumer = new LogConsumer(database, bus, { name: 'on-write matching', behind: domainsBehind, step: (id) => this.step(id), pollMs: opts.pollMs, logger: opts.logger });
  }

  async start(): Promise<this> {
    await this.consumer.start();
    return this;
  }

  close(): Promise<void> {
    return this.consumer.close();
  }

  /** A domain whose configuration was just put: wake-ups for it are now handled here. */
  watch(domainId: string): void {
    this.consumer.watch(domainId);
  }

  poll(): Promise<void> {
    return this.consumer.poll();
  }

  /** Resolves once the domain's matching has caught up with its log as of now (tests). */
  settle(domainId: string): Promise<void> {
    return this.consumer.settle(domainId);
  }

  /** One batch of the domain's log. */
  private async step(domainId: string): Promise<StepResult> {
    const domain = await this.database.db.transaction((tx) => domainRowById(tx, domainId));
    if (!domain) return 'forget';
    const scope: DomainScope = { database: this.database, domain, actorKeyId: null, notifier: this.notifier, clock: this.clock };
    let merges: AutoMergeCandidate[] = [];
    let config = DEFAULT_MATCHING_CONFIG;
    const result = await this.database.db.transaction(async (tx): Promise<StepResult> => {
      const position = await lockExistingCursor(tx, domainId);
      const row = await configRow(tx, domainId);
      if (position === null || !row || !row.config.enabled || !row.config.onWrite) return 'forget';
      config = { ...DEFAULT_MATCHING_CONFIG, ...row.config };
      const touched = await touchedProfiles(tx, domainId, position, BATCH);
      if (touched.last === position) return 'done';
      if (touched.profileIds.length > 0) merges = await matchWritten(tx, scope, touched.profileIds, config, row.model);
      await setCursor(tx, domainId, touched.last);
      return 'more';
    });
    await autoMerge(scope, this.autoMerger, config, merges, (reason) => this.opts.logger?.warn({ domainId, reason }, 'auto-merge failed'));
    return result;
  }
}
