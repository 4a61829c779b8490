/**
 * Delivers every sink's events. Each sink has one delivery loop on one instance at a time (a lease
 * row, renewed as it works; a stopped instance's lease expires and another takes over), reading its
 * domain's event log from its durable cursor a window at a time (up to WINDOW events):
 *
 * - NATS: the window's publishes are pipelined on the one connection (issued in id order, acks
 *   awaited together); the cursor moves to the end of the longest acknowledged prefix and a failed
 *   ack is retried from the first unacknowledged event (a re-published acknowledged one is dropped
 *   by JetStream's duplicate window, as its `Nats-Msg-Id` is the same).
 * - Webhook: the window is split into lanes, one per profile (events without a profile share one
 *   lane of their own); a lane delivers its events one after another, and up to `concurrency` lanes
 *   have a request in flight at once. A failing event is retried (exponential backoff, jitter) and
 *   holds back the later events of its lane only; the window ends when every lane is through.
 *
 * The cursor only ever moves to the highest event id below which every event was delivered (or
 * skipped by the sink's selection): at least once, each attempt with the same idempotency id, so a
 * receiver that dedupes by it sees every event exactly once, and in order per profile.
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

/** Events read per step (one window). */
export const WINDOW = 256;

export interface DispatcherOptions {
  pollMs: number;
  leaseMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  failingAfterMs: number;
  timeoutMs: number;
  /** Webhook requests in flight at once per sink (lanes of different profiles). */
  concurrency: number;
  allowPrivate: boolean;
  natsUrl: string;
  logger?: Logger | undefined;
}

interface Loop {
  done: Promise<void>;
  /** Ends the loop's current wait (a retry delay) and makes it re-read the sink. */
  kick(): void;
  again: boolean;
  /** Failed attempts in a row of the window's first undelivered event (NATS: the backoff's exponent). */
  attempt: number;
}

/**
 * The lane of a webhook event: its profile, or the one lane of the events without a profile. With a
 * concurrency of 1 every event is in one lane: strictly event-id order across profiles.
 */
const laneOf = (e: EventRow, concurrency: number): string => (concurrency > 1 ? (e.profileId ?? '') : '');

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
    // Several lanes may wait at once (their retry delays): a kick ends every wait.
    const wakers = new Set<() => void>();
    const loop: Loop = {
      again: true,
      attempt: 0,
      kick: () => {
        for (const w of [...wakers]) w();
      },
      done: Promise.resolve(),
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(t);
          wakers.delete(wake);
          resolve();
        };
        const t = setTimeout(wake, ms);
        wakers.add(wake);
      });
    loop.done = sqlStats.exit(async () => {
      try {
        while (!this.closed && loop.again) {
          loop.again = false;
          while (!this.closed && (await this.step(id, loop, sleep))) {
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

  private backoff(attempt: number): number {
    const ms = Math.min(this.opts.retryMaxMs, this.opts.retryBaseMs * 2 ** Math.min(attempt, 20));
    return Math.round(ms / 2 + Math.random() * (ms / 2));
  }

  /**
   * One window: lease, read events after the cursor, deliver them (NATS pipelined, webhook in lanes),
   * move the cursor. True when it should run again at once.
   */
  private async step(id: string, loop: Loop, sleep: (ms: number) => Promise<void>): Promise<boolean> {
    const leaseMs = this.opts.leaseMs;
    const sink = await acquireLease(this.database.db, id, this.owner, leaseMs);
    if (!sink) return false;
    const domain = await domainRowById(this.database.db, sink.domainId);
    if (!domain) return false;
    const last = (await lastEventIds(this.database.db, [sink.domainId])).get(sink.domainId) ?? 0;
    if (last <= sink.cursor) return false;
    const events = await eventsAfter(this.database.db, sink.domainId, sink.cursor, { limit: WINDOW, upTo: last, types: sink.types.length > 0 ? sink.types : null });
    // Read through `last` when the page is not full (non-matching types were skipped by the query).
    const end = events.length < WINDOW ? last : events[events.length - 1]!.id;
    const delivery = (e: EventRow): Delivery => {
      const idempotencyId = `${sink.id}:${e.id}`;
      return { idempotencyId, eventId: e.id, eventType: e.type, body: eventBody(domain.name, e, idempotencyId) };
    };

    // The cursor: moved (serially) to the highest id below which every event is done.
    const done = new Set<number>();
    let from = sink.cursor;
    let next = 0; // events[next] is the first not known done
    let saving: Promise<boolean> = Promise.resolve(true);
    const save = (succeeded: boolean): Promise<boolean> =>
      (saving = saving.then(async (ok) => {
        if (!ok) return false;
        let delivered = 0;
        while (next < events.length && (!matches(sink, events[next]!) || done.has(events[next]!.id))) {
          if (matches(sink, events[next]!)) delivered++;
          next++;
        }
        const position = next === events.length ? end : next > 0 ? events[next - 1]!.id : from;
        if (position === from && delivered === 0 && !succeeded) return true;
        const moved = await advanceCursor(this.database.db, id, this.owner, from, position, delivered, succeeded);
        from = position;
        return moved;
      }));
    /** A failed attempt: recorded on the sink. 'retry' after the caller's backoff; 'reread' / 'stop' end the window. */
    const failed = async (e: EventRow, err: unknown): Promise<'retry' | 'reread' | 'stop'> => {
      if (this.closed) {
        // stopped by shutdown, not a failure of the receiver: the next owner delivers it
        await save(false);
        return 'stop';
      }
      const message = err instanceof DeliveryError ? err.message : 'The delivery failed.';
      if (!(err instanceof DeliveryError)) this.opts.logger?.warn({ err, sink: id }, 'event sink delivery failed');
      if (!(await save(false))) return 'reread'; // replayed meanwhile, or no longer ours
      const status = await recordFailure(this.database.db, id, this.owner, `Event ${e.id}: ${message}`, this.opts.failingAfterMs);
      return status === null || status === 'PAUSED' ? 'stop' : 'retry';
    };
    const wanted = events.filter((e) => matches(sink, e));

    if (sink.kind === 'NATS') {
      if (wanted.length > 0) {
        const results = await this.nats.publishAll(sink.subject!, wanted.map(delivery));
        const bad = results.findIndex((r) => r !== null);
        for (const e of bad < 0 ? wanted : wanted.slice(0, bad)) done.add(e.id);
        if (bad >= 0) {
          const outcome = await failed(wanted[bad]!, results[bad]);
          if (outcome !== 'retry') return outcome === 'reread';
          await sleep(this.backoff(loop.attempt++));
          return true; // the next window starts at the first unacknowledged event (re-reading the sink)
        }
      }
      loop.attempt = 0;
      return (await save(true)) || true;
    }

    // Webhook: lanes by profile, in order of their first event; up to `concurrency` at once. A lane
    // is a list of units, each one request: one event, or (batchSize > 1) a batch of consecutive
    // events, the batches one after another in one lane.
    const queue: EventRow[][][] = [];
    if (sink.batchSize > 1) {
      const lane: EventRow[][] = [];
      for (let i = 0; i < wanted.length; i += sink.batchSize) lane.push(wanted.slice(i, i + sink.batchSize));
      if (lane.length > 0) queue.push(lane);
    } else {
      const lanes = new Map<string, EventRow[][]>();
      for (const e of wanted) {
        const key = laneOf(e, this.opts.concurrency);
        const lane = lanes.get(key);
        if (lane) lane.push([e]);
        else lanes.set(key, [[e]]);
      }
      queue.push(...lanes.values());
    }
    /** One request: one event's body, or a batch's JSON array (each element with its own idempotencyKey). */
    const request = (unit: EventRow[]): Delivery => {
      if (sink.batchSize <= 1) return delivery(unit[0]!);
      const first = unit[0]!.id;
      const lastId = unit[unit.length - 1]!.id;
      const body = `[${unit.map((e) => eventBody(domain.name, e, `${sink.id}:${e.id}`)).join(',')}]`;
      return { idempotencyId: `${sink.id}:${first}-${lastId}`, eventId: `${first}-${lastId}`, eventType: 'BATCH', body };
    };
    let stop: 'reread' | 'stop' | null = null;
    let failing = 0;
    let lastLease = Date.now();
    let renewing = false;
    const renew = async (): Promise<void> => {
      if (renewing || Date.now() - lastLease <= leaseMs / 3) return;
      renewing = true;
      try {
        if (!(await save(failing === 0))) stop ??= 'reread';
        else if (!(await acquireLease(this.database.db, id, this.owner, leaseMs))) stop ??= 'stop';
        lastLease = Date.now();
      } finally {
        renewing = false;
      }
    };
    const runLane = async (lane: EventRow[][]): Promise<void> => {
      for (const unit of lane) {
        const e = unit[0]!;
        const d = request(unit);
        for (let attempt = 0; ; attempt++) {
          if (stop || this.closed) return;
          try {
            await deliverWebhook(sink.url!, sink.secret, d, { allowPrivate: this.opts.allowPrivate, timeoutMs: this.opts.timeoutMs, signal: this.shutdown.signal });
            if (attempt > 0) failing--;
            break;
          } catch (err) {
            if (attempt === 0) failing++;
            const outcome = await failed(e, err);
            if (outcome !== 'retry') {
              stop ??= outcome;
              return;
            }
            await sleep(this.backoff(attempt));
            if (stop || this.closed) return;
            // Re-read: paused, deleted, replayed or taken over while waiting.
            const again = await acquireLease(this.database.db, id, this.owner, leaseMs);
            lastLease = Date.now();
            if (!again || again.cursor !== from) {
              stop ??= again ? 'reread' : 'stop';
              return;
            }
          }
        }
        for (const x of unit) done.add(x.id);
        await renew();
      }
    };
    const worker = async (): Promise<void> => {
      for (let lane = queue.shift(); lane && !stop && !this.closed; lane = queue.shift()) await runLane(lane);
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency, queue.length) }, worker));
    if (this.closed) {
      await save(false);
      return false;
    }
    if (stop) {
      await save(false);
      return stop === 'reread';
    }
    return (await save(true)) || true;
  }
}
