import { backoffMs, delay, isConnectionError, type Database } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { eventsAfter, lastEventIds, type EventRow } from './event.repository.js';
import { EventStream, type StreamFilter } from './event-stream.js';
import type { EventNotifier } from './notifier.js';
import type { WakeupBus, WakeupStats } from './wakeup.js';

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

export interface EventHubStats extends WakeupStats {
  domains: number;
  subscribers: number;
  /** Table reads made by the shared per-domain pump (not by replays). */
  pumpReads: number;
  replayReads: number;
  /** Pump and replay reads that failed (each is retried; a replay only fails its stream on a non-connection error). */
  readFailures: number;
  /** Catch-up polls that failed (the timer keeps running). */
  pollFailures: number;
  /** Re-reads of every domain's head after the bus said wake-ups may have been lost. */
  resyncs: number;
}

/** Attempts of a pump read or a subscribe on a lost connection before leaving it to the poll / the client. */
const READ_ATTEMPTS = 3;

/**
 * Fans the event table out to this instance's subscribers. Writers call `committed` (it is the
 * app's EventNotifier); wake-ups from other instances come through the WakeupBus. On a wake-up the
 * hub reads the domain's new events ONCE and hands them to every live subscriber of that domain —
 * one read per domain per wake-up, however many subscribers. A subscriber with `after` (or one
 * that joins while the hub is behind) first replays from the table at its own pace, then joins
 * the live set when it has caught up with the hub's cursor.
 *
 * The cursor is "every id ≤ cursor has been read", so it must never pass an id that commits later
 * than a higher one. It cannot: appendEvents allocates ids by updating the domain row, whose lock
 * is held until commit, and Postgres makes a transaction visible before it releases its locks —
 * so a transaction holding id N+1 could only take the lock after N's was visible, and any snapshot
 * that sees N+1 sees N (events-contract tests it with two concurrent writers).
 *
 * Losing the database (failover, terminated backends) loses nothing: reads that fail are retried
 * (the pump's by the poll, a replay's until the database answers), the position of every stream
 * is only ever advanced by events actually read, and when the bus re-establishes LISTEN the hub
 * re-reads every domain's head at once instead of waiting for the poll.
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
  private pollAgain = false;
  private closed = false;
  private readonly counters = { pumpReads: 0, replayReads: 0, readFailures: 0, pollFailures: 0, resyncs: 0 };

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
    this.stopBus = await this.bus.subscribe({
      wake: (domainId, lastId) => this.wake(domainId, lastId),
      resync: () => {
        this.counters.resyncs++;
        void this.poll();
      },
    });
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
    const heads = await this.retrying(READ_ATTEMPTS, () => lastEventIds(this.database.db, [req.domainId]));
    const head = heads.get(req.domainId) ?? 0;
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
    return { domains: this.feeds.size, subscribers, ...this.counters, ...this.bus.stats() };
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
          const rows = await this.retrying(READ_ATTEMPTS, () => eventsAfter(this.database.db, feed.domainId, feed.cursor, { limit: this.batchSize }));
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
      while (!s.isClosed && !this.closed) {
        const bound = feed.cursor;
        if (s.position >= bound) {
          feed.catchingUp.delete(s);
          s.mode = 'live';
          feed.live.add(s);
          return;
        }
        await s.room();
        if (s.isClosed) return;
        // A lost connection is waited out: the subscriber stays open and resumes where it was.
        const rows = await this.retrying(Infinity, () =>
          eventsAfter(this.database.db, feed.domainId, s.position, {
            limit: this.batchSize,
            upTo: bound,
            types: s.filter.types,
            profileIds: s.filter.profileIds,
            objectIds: s.filter.objectIds,
          }),
          () => s.isClosed,
        );
        if (rows === null) return;
        this.counters.replayReads++;
        for (const e of rows) s.offer(e);
        if (rows.length < this.batchSize && s.position < bound) s.position = bound;
      }
    } catch (err) {
      this.logger?.warn({ err, domainId: feed.domainId }, 'event replay failed');
      s.fail(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /**
   * Runs a read, retrying it with backoff while it fails on a lost connection, at most `attempts`
   * times; other errors are thrown at once. With `gaveUp`, stops (null) as soon as it says so.
   */
  private async retrying<T>(attempts: number, read: () => Promise<T>): Promise<T>;
  private async retrying<T>(attempts: number, read: () => Promise<T>, gaveUp: () => boolean): Promise<T | null>;
  private async retrying<T>(attempts: number, read: () => Promise<T>, gaveUp?: () => boolean): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read();
      } catch (err) {
        this.counters.readFailures++;
        if (!isConnectionError(err) || attempt >= attempts || this.closed) throw err;
        if (attempt === 1) this.logger?.warn({ err }, 'event read lost its database connection; retrying');
      }
      await delay(backoffMs(attempt - 1, 100, this.pollMs));
      if (gaveUp?.() || this.closed) return null;
    }
  }

  private detach(feed: DomainFeed, s: EventStream): void {
    feed.live.delete(s);
    feed.catchingUp.delete(s);
    if (feed.live.size === 0 && feed.catchingUp.size === 0 && this.feeds.get(feed.domainId) === feed) this.feeds.delete(feed.domainId);
  }

  /** The backstop: one statement for all active domains; wakes those with unread events. */
  private async poll(): Promise<void> {
    if (this.polling) {
      // A resync during a poll that may have started before the loss: poll once more after it.
      this.pollAgain = true;
      return;
    }
    if (this.closed || this.feeds.size === 0) return;
    this.polling = true;
    try {
      do {
        this.pollAgain = false;
        try {
          const heads = await lastEventIds(this.database.db, [...this.feeds.keys()]);
          for (const [domainId, last] of heads) this.wake(domainId, last);
        } catch (err) {
          this.counters.pollFailures++;
          this.logger?.warn({ err }, 'event catch-up poll failed; the next one retries');
        }
      } while (this.pollAgain && !this.closed);
    } finally {
      this.polling = false;
    }
  }
}

/** Builds and starts the hub the app uses: LISTEN/NOTIFY on Postgres, in process on PGlite. */
export async function startEventHub(database: Database, bus: WakeupBus, opts: EventHubOptions = {}): Promise<EventHub> {
  return new EventHub(database, bus, opts).start();
}
