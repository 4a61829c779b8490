/**
 * Delivers every sink's events. Each sink has one delivery loop on one instance at a time (a lease
 * row, renewed as it works; a stopped instance's lease expires and another takes over), reading its
 * domain's event log from its durable cursor, delivering strictly in event-id order (so in order per
 * profile), one event at a time; a failure is retried with exponential backoff and jitter until it
 * succeeds, and the cursor only passes an event once it was delivered — at least once, each attempt
 * with the same idempotency id, so a receiver that dedupes by it sees every event exactly once.
 * Loops are independent promises: a slow or failing sink waits on its own timer and never holds
 * another.
 *
 * Wake-ups: the WakeupBus (in process, or LISTEN/NOTIFY across instances) for a domain that
 * committed events, and a poll (every `pollMs`) for sinks behind their domain's log (lost wake-ups,
 * expired leases, resumed sinks).
 */
import { randomUUID } from 'node:crypto';
import { sqlStats, type Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { eventsAfter, lastEventIds, type EventRow } from '../events/event.repository.js';
import type { WakeupBus } from '../events/wakeup.js';
import { domainRowById } from '../jobs/job.repository.js';
import { acquireLease, advanceCursor, domainsWithSinks, recordFailure, releaseLeases, sinksBehind, type EventSinkRow } from './sink.repository.js';
import { DeliveryError, deliverWebhook, NatsPublisher, type Delivery } from './sink.transport.js';

/** Events read per step. */
const BATCH = 200;

export interface DispatcherOptions {
  pollMs: number;
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  failingAfterMs: number;
  timeoutMs: number;
  allowPrivate: boolean;
  natsUrl: string;
  logger?: Logger | undefined;
}

interface Loop {
  done: Promise<void>;
  /** Ends the loop's current wait (a retry delay) and makes it re-read the sink. */
  kick(): void;
  again: boolean;
}

/** The body of one delivered event (PRODUCT.md's stream record: eventId, timestamp, eventType, domain …). */
export function eventBody(domainName: string, e: EventRow, idempotencyId: string): string {
  return JSON.stringify({
    eventId: String(e.id),
    eventType: e.type,
    timestamp: e.occurredAt.toISOString(),
    domain: domainName,
    profileId: e.profileId,
    objectType: e.objectType,
    objectId: e.objectId,
    changes: e.changes ?? {},
    idempotencyKey: idempotencyId,
  });
}

function matches(sink: EventSinkRow, e: EventRow): boolean {
  const f = sink.filter;
  if (f.objectTypes && f.objectTypes.length > 0 && !f.objectTypes.includes(e.objectType ?? '')) return false;
  if (f.profileIds && f.profileIds.length > 0 && !f.profileIds.includes(e.profileId ?? '')) return false;
  return true;
}

export class SinkDispatcher {
  /** This process's lease owner id. */
  readonly owner = randomUUID();
  private readonly loops = new Map<string, Loop>();
  /** Domains with a sink (from the last poll, and sinks touched here): other domains' wake-ups cost nothing. */
  private known = new Set<string>();
  private readonly nats: NatsPublisher;
  private timer: NodeJS.Timeout | null = null;
  private stopBus: (() => Promise<void>) | null = null;
  private closed = false;
  /** Aborts deliveries in flight on close. */
  private readonly shutdown = new AbortController();
  private scanning: Promise<void> | null = null;

  constructor(
    private readonly database: Database,
    private readonly bus: WakeupBus,
    private readonly opts: DispatcherOptions,
  ) {
    this.nats = new NatsPublisher(opts.natsUrl);
  }

  async start(): Promise<this> {
    this.stopBus = await this.bus.subscribe({
      wake: (domainId) => {
        if (this.known.has(domainId)) void this.scan(domainId);
      },
      resync: () => void this.scan(),
    });
    this.timer = setInterval(() => void this.scan(), this.opts.pollMs);
    this.timer.unref();
    void this.scan();
    return this;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.shutdown.abort();
    if (this.timer) clearInterval(this.timer);
    await this.stopBus?.();
    await this.scanning;
    for (const l of this.loops.values()) l.kick();
    await Promise.allSettled([...this.loops.values()].map((l) => l.done));
    await releaseLeases(this.database.db, this.owner).catch(() => {});
    await this.nats.close();
  }

  /** A sink changed (paused, resumed, replayed, deleted, created): its loop re-reads it now. */
  touch(sinkId: string, domainId?: string): void {
    if (domainId) this.known.add(domainId);
    const loop = this.loops.get(sinkId);
    if (loop) {
      loop.again = true;
      loop.kick();
    } else void this.scan();
  }

  /** Starts loops for the sinks behind their log (of one domain, or all). */
  scan(domainId?: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    const run = sqlStats.exit(async () => {
      try {
        const { behind, domains } = await this.database.db.transaction(async (tx) => ({
          behind: await sinksBehind(tx, domainId),
          domains: domainId ? null : await domainsWithSinks(tx),
        }));
        if (domains) this.known = new Set(domains);
        for (const { id, domainId: d } of behind) {
          this.known.add(d);
          const loop = this.loops.get(id);
          if (loop) loop.again = true;
          else this.startLoop(id);
        }
      } catch (err) {
        this.opts.logger?.warn({ err }, 'event sinks: scan failed; the poll retries');
      }
    });
    if (!domainId) this.scanning = run.finally(() => (this.scanning = null));
    return run;
  }

  private startLoop(id: string): void {
    let wake: () => void = () => {};
    const loop: Loop = {
      again: true,
      kick: () => wake(),
      done: Promise.resolve(),
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    loop.done = sqlStats.exit(async () => {
      try {
        while (!this.closed && loop.again) {
          loop.again = false;
          while (!this.closed && (await this.step(id, sleep))) {
            // more to deliver
          }
        }
      } catch (err) {
        this.opts.logger?.warn({ err, sink: id }, 'event sink loop failed; the poll restarts it');
      } finally {
        this.loops.delete(id);
      }
    });
    this.loops.set(id, loop);
  }

  /**
   * One batch: lease, read events after the cursor, deliver them in order (retrying each until it
   * goes through), move the cursor. True when it should run again at once.
   */
  private async step(id: string, sleep: (ms: number) => Promise<void>): Promise<boolean> {
    const leaseMs = this.opts.leaseMs;
    const sink = await acquireLease(this.database.db, id, this.owner, leaseMs);
    if (!sink) return false;
    const domain = await domainRowById(this.database.db, sink.domainId);
    if (!domain) return false;
    const last = (await lastEventIds(this.database.db, [sink.domainId])).get(sink.domainId) ?? 0;
    if (last <= sink.cursor) return false;
    const events = await eventsAfter(this.database.db, sink.domainId, sink.cursor, { limit: BATCH, upTo: last, types: sink.types.length > 0 ? sink.types : null });
    // Read through `last` when the page is not full (non-matching types were skipped by the query).
    const end = events.length < BATCH ? last : events[events.length - 1]!.id;
    let from = sink.cursor;
    let position = sink.cursor;
    let delivered = 0;
    let lastLease = Date.now();
    const save = async (succeeded: boolean): Promise<boolean> => {
      if (position === from && delivered === 0 && !succeeded) return true;
      const ok = await advanceCursor(this.database.db, id, this.owner, from, position, delivered, succeeded);
      from = position;
      delivered = 0;
      return ok;
    };
    for (const e of events) {
      if (!matches(sink, e)) {
        position = e.id;
        continue;
      }
      const idempotencyId = `${sink.id}:${e.id}`;
      const d: Delivery = { idempotencyId, eventId: e.id, eventType: e.type, body: eventBody(domain.name, e, idempotencyId) };
      for (let attempt = 0; ; attempt++) {
        if (this.closed) {
          await save(false);
          return false;
        }
        try {
          if (sink.kind === 'NATS') await this.nats.publish(sink.subject!, d);
          else await deliverWebhook(sink.url!, sink.secret, d, { allowPrivate: this.opts.allowPrivate, timeoutMs: this.opts.timeoutMs, signal: this.shutdown.signal });
          break;
        } catch (err) {
          if (this.closed) {
            // stopped by shutdown, not a failure of the receiver: the next owner delivers it
            await save(false);
            return false;
          }
          const message = err instanceof DeliveryError ? err.message : 'The delivery failed.';
          if (!(err instanceof DeliveryError)) this.opts.logger?.warn({ err, sink: id }, 'event sink delivery failed');
          if (!(await save(false))) return true; // replayed meanwhile, or no longer ours: re-read
          const status = await recordFailure(this.database.db, id, this.owner, `Event ${e.id}: ${message}`, this.opts.failingAfterMs);
          if (status === null || status === 'PAUSED') return false;
          const ms = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(attempt, 20));
          await sleep(Math.round(ms / 2 + Math.random() * (ms / 2)));
          // Re-read: paused, deleted, replayed or taken over while waiting.
          const again = await acquireLease(this.database.db, id, this.owner, leaseMs);
          lastLease = Date.now();
          if (!again || again.cursor !== from) return again !== null;
        }
      }
      position = e.id;
      delivered++;
      if (Date.now() - lastLease > leaseMs / 3) {
        if (!(await save(true))) return true;
        if (!(await acquireLease(this.database.db, id, this.owner, leaseMs))) return false;
        lastLease = Date.now();
      }
    }
    position = end;
    return (await save(true)) || true;
  }
}
