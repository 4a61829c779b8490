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
import { sqlStats, type Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import type { EventNotifier } from '../events/notifier.js';
import type { WakeupBus } from '../events/wakeup.js';
import type { Clock } from '../jobs/clock.js';
import { domainRowById } from '../jobs/job.repository.js';
import type { DomainScope } from '../scope.js';
import { DEFAULT_MATCHING_CONFIG } from './identity.config.js';
import { configRow, domainsBehind, lockExistingCursor, setCursor, touchedProfiles } from './identity.repository.js';
import { autoMerge, matchWritten, type AutoMergeCandidate, type AutoMerger } from './identity.service.js';

/** Events read per transaction. */
const BATCH = 500;

export class IdentityMaintainer {
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
    private readonly notifier: EventNotifier,
    private readonly clock: Clock,
    private readonly autoMerger: AutoMerger | null,
    private readonly opts: { pollMs?: number; logger?: Logger | undefined } = {},
  ) {}

  async start(): Promise<this> {
    this.stopBus = await this.bus.subscribe({
      wake: (domainId) => {
        if (this.known.has(domainId)) this.schedule(domainId);
      },
      resync: () => void this.poll(),
    });
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 2_000);
    this.timer.unref();
    return this;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.stopBus?.();
    await this.polling;
    await Promise.allSettled([...this.running.values()]);
  }

  /** A domain whose configuration was just put: wake-ups for it are now handled here. */
  watch(domainId: string): void {
    this.known.add(domainId);
  }

  poll(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.polling ??= sqlStats
      .exit(async () => {
        try {
          for (const id of await this.database.db.transaction((tx) => domainsBehind(tx))) {
            this.known.add(id);
            this.schedule(id);
          }
        } catch (err) {
          this.opts.logger?.warn({ err }, 'on-write matching poll failed; the next one retries');
        }
      })
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  /** Resolves once the domain's matching has caught up with its log as of now (tests). */
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
          while (!this.closed && (await this.step(domainId))) {
            // more events than one batch
          }
        } while (this.again.has(domainId) && !this.closed);
      } catch (err) {
        this.opts.logger?.warn({ err, domainId }, 'on-write matching failed; the poll retries');
      } finally {
        this.running.delete(domainId);
      }
    });
    this.running.set(domainId, run);
  }

  /** One batch of the domain's log; true when more may follow. */
  private async step(domainId: string): Promise<boolean> {
    const domain = await this.database.db.transaction((tx) => domainRowById(tx, domainId));
    if (!domain) {
      this.known.delete(domainId);
      return false;
    }
    const scope: DomainScope = { database: this.database, domain, actorKeyId: null, notifier: this.notifier, clock: this.clock };
    let merges: AutoMergeCandidate[] = [];
    let config = DEFAULT_MATCHING_CONFIG;
    const more = await this.database.db.transaction(async (tx) => {
      const position = await lockExistingCursor(tx, domainId);
      const row = await configRow(tx, domainId);
      if (position === null || !row || !row.config.enabled || !row.config.onWrite) {
        this.known.delete(domainId);
        return false;
      }
      config = { ...DEFAULT_MATCHING_CONFIG, ...row.config };
      const touched = await touchedProfiles(tx, domainId, position, BATCH);
      if (touched.last === position) return false;
      if (touched.profileIds.length > 0) merges = await matchWritten(tx, scope, touched.profileIds, config, row.model);
      await setCursor(tx, domainId, touched.last);
      return true;
    });
    await autoMerge(scope, this.autoMerger, config, merges, (reason) => this.opts.logger?.warn({ domainId, reason }, 'auto-merge failed'));
    return more;
  }
}
