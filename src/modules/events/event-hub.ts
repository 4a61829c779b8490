import type { Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { eventsAfter, lastEventIds, type EventRow } from './event.repository.js';
import { EventStream, type StreamFilter } from './event-stream.js';
import type { EventNotifier } from './notifier.js';
import type { WakeupBus } from './wakeup.js';

export interface EventHubOptions {
  /** Catch-up poll period: the backstop for lost wake-ups (dropped NOTIFY, LISTEN reconnect). */
  pollMs?: number;
  /** Undelivered events one subscriber may have buffered before it is cut off as too slow. */
  bufferSize?: number;
  /** Events per table read. */
  batchSize?: number;
  logger?: Logger;
}

export interface SubscribeRequest extends StreamFilter {
  domainId: string;
  /** Replay every retained event after this id first; null/undefined = only new events. */
  after?: number | null | undefined;
}

/** Per-domain fan-out state on this instance. */
interface DomainFeed {
  readonly domainId: string;
  /** Every event ≤ cursor has been read by the hub and handed to the live subscribers. */
  cursor: number;
  readonly live: Set<EventStream>;
  readonly catchingUp: Set<EventStream>;
  reading: boolean;
  again: boolean;
}

export interface EventHubStats {
  domains: number;
  subscribers: number;
  /** Table reads made by the shared per-domain pump (not by replays). */
  pumpReads: number;
  replayReads: number;
}

/**
 * Fans the event table out to this instance's subscribers. Writers call `committed` (it is the
 * app's EventNotifier); wake-ups from other instances come through the WakeupBus. On a wake-up the
 * hub reads the domain's new events ONCE and hands them to every live subscriber of that domain —
 * one read per domain per wake-up, however many subscribers. A subscriber with `after` (or one
 * that joins while the hub is behind) first replays from the table at its own pace, then joins
 * the live set when it has caught up with the hub's cursor.
 */
export class EventHub implements EventNotifier {
  private readonly feeds = new Map<string, DomainFeed>();
  private readonly pollMs: number;
  private readonly bufferSize: number;
  private readonly batchSize: number;
  private readonly logger: Logger | undefined;
  private stopBus: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;
  private readonly counters = { pumpReads: 0, replayReads: 0 };

  constructor(
    private readonly database: Database,
    private readonly bus: WakeupBus,
    opts: EventHubOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 2_000;
    this.bufferSize = opts.bufferSize ?? 1_000;
    this.batchSize = Math.max(1, Math.min(opts.batchSize ?? 250, Math.floor(this.bufferSize / 2)));
    this.logger = opts.logger;
  }

  /** Starts hearing wake-ups and the catch-up poll. */
  async start(): Promise<this> {
    this.stopBus = await this.bus.subscribe((domainId, lastId) => this.wake(domainId, lastId));
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
    return this;
  }

  /** EventNotifier: a transaction on this instance committed events up to `lastEventId`. */
  committed(domainId: string, lastEventId: number): void {
    this.bus.publish(domainId, lastEventId);
  }

  /**
   * Opens a subscriber's stream. Without `after` it starts at the domain's newest committed event
   * (only changes committed after this call returns are guaranteed to be seen); an `after` beyond
   * that is treated as "from now" rather than silently skipping future ids.
   */
  async subscribe(req: SubscribeRequest): Promise<EventStream> {
    if (this.closed) throw new Error('EventHub is closed');
    const head = (await lastEventIds(this.database.db, [req.domainId])).get(req.domainId) ?? 0;
    let feed = this.feeds.get(req.domainId);
    if (!feed) {
      feed = { domainId: req.domainId, cursor: head, live: new Set(), catchingUp: new Set(), reading: false, again: false };
      this.feeds.set(req.domainId, feed);
    }
    const start = req.after === null || req.after === undefined ? head : Math.min(req.after, head);
    const f = feed;
    const stream = new EventStream(req.domainId, start, this.bufferSize, req, (s) => this.detach(f, s));
    if (start >= feed.cursor) {
      stream.mode = 'live';
      feed.live.add(stream);
    } else {
      feed.catchingUp.add(stream);
      void this.replay(feed, stream);
    }
    if (head > feed.cursor) this.pump(feed);
    return stream;
  }

  stats(): EventHubStats {
    let subscribers = 0;
    for (const f of this.feeds.values()) subscribers += f.live.size + f.catchingUp.size;
    return { domains: this.feeds.size, subscribers, ...this.counters };
  }

  /** Ends every stream and stops listening (graceful shutdown). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const f of [...this.feeds.values()]) for (const s of [...f.live, ...f.catchingUp]) void s.return();
    this.feeds.clear();
    await this.stopBus?.();
  }

  /** A wake-up: the domain has events up to lastId. Duplicates and stale ones cost nothing. */
  private wake(domainId: string, lastId: number): void {
    const feed = this.feeds.get(domainId);
    if (feed && lastId > feed.cursor) this.pump(feed);
  }

  /** Reads the domain's new events once per wake-up (coalescing overlapping ones) and fans out. */
  private pump(feed: DomainFeed): void {
    if (feed.reading) {
      feed.again = true;
      return;
    }
    feed.reading = true;
    void (async () => {
      try {
        do {
          feed.again = false;
          const rows = await eventsAfter(this.database.db, feed.domainId, feed.cursor, { limit: this.batchSize });
          this.counters.pumpReads++;
          if (rows.length > 0) this.fanOut(feed, rows);
          if (rows.length === this.batchSize) feed.again = true;
          // Between batches, let sockets drain so a large backlog does not flood healthy buffers.
          if (feed.again) await new Promise((r) => setImmediate(r));
        } while (feed.again && !this.closed && this.feeds.get(feed.domainId) === feed);
      } catch (err) {
        this.logger?.warn({ err, domainId: feed.domainId }, 'event pump read failed; the poll retries');
      } finally {
        feed.reading = false;
      }
    })();
  }

  private fanOut(feed: DomainFeed, rows: readonly EventRow[]): void {
    feed.cursor = rows[rows.length - 1]!.id;
    for (const s of feed.live) {
      for (const e of rows) {
        if (e.domainId !== feed.domainId) continue;
        s.offer(e);
        if (s.isClosed) break;
      }
    }
  }

  /**
   * Replays a subscriber from the table (filters applied in SQL, bounded by the hub's cursor so a
   * filtered read can jump ahead safely), reading the next batch only when its buffer has room.
   * The switch to live happens synchronously once it has reached the hub's cursor.
   */
  private async replay(feed: DomainFeed, s: EventStream): Promise<void> {
    try {
      while (!s.isClosed) {
        const bound = feed.cursor;
        if (s.position >= bound) {
          feed.catchingUp.delete(s);
          s.mode = 'live';
          feed.live.add(s);
          return;
        }
        await s.room();
        if (s.isClosed) return;
        const rows = await eventsAfter(this.database.db, feed.domainId, s.position, {
          limit: this.batchSize,
          upTo: bound,
          types: s.filter.types,
          profileIds: s.filter.profileIds,
        });
        this.counters.replayReads++;
        for (const e of rows) s.offer(e);
        if (rows.length < this.batchSize && s.position < bound) s.position = bound;
      }
    } catch (err) {
      this.logger?.warn({ err, domainId: feed.domainId }, 'event replay failed');
      s.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private detach(feed: DomainFeed, s: EventStream): void {
    feed.live.delete(s);
    feed.catchingUp.delete(s);
    if (feed.live.size === 0 && feed.catchingUp.size === 0 && this.feeds.get(feed.domainId) === feed) this.feeds.delete(feed.domainId);
  }

  /** The backstop: one statement for all active domains; wakes those with unread events. */
  private async poll(): Promise<void> {
    if (this.polling || this.closed || this.feeds.size === 0) return;
    this.polling = true;
    try {
      const heads = await lastEventIds(this.database.db, [...this.feeds.keys()]);
      for (const [domainId, last] of heads) this.wake(domainId, last);
    } catch (err) {
      this.logger?.warn({ err }, 'event catch-up poll failed');
    } finally {
      this.polling = false;
    }
  }
}

/** Builds and starts the hub the app uses: LISTEN/NOTIFY on Postgres, in process on PGlite. */
export async function startEventHub(database: Database, bus: WakeupBus, opts: EventHubOptions = {}): Promise<EventHub> {
  return new EventHub(database, bus, opts).start();
}
