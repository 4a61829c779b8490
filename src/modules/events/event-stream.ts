import type { EventRow } from './event.repository.js';

/**
 * Raised to a subscriber whose buffer overflowed. The message tells the client how to recover:
 * resubscribe with `after` set to the last event id it processed (the table still has the rest).
 */
export class SlowConsumerError extends Error {
  constructor(
    readonly capacity: number,
    readonly lastDeliveredId: number,
  ) {
    super(`Subscriber too slow: more than ${capacity} undelivered events. Resubscribe with after: "<last event id you processed>".`);
    this.name = 'SlowConsumerError';
  }
}

/** What a subscriber wants from its domain's stream. */
export interface StreamFilter {
  readonly types?: readonly string[] | null | undefined;
  readonly profileIds?: readonly string[] | null | undefined;
  /** Only events about these objects (e.g. a segment's name for its membership changes). */
  readonly objectIds?: readonly string[] | null | undefined;
  /** An event that ends the stream (it is not delivered), e.g. the profile's deletion. */
  readonly endOn?: ((e: EventRow) => boolean) | undefined;
}

/**
 * One subscriber: a bounded queue the hub pushes into and graphql-ws pulls from (an async iterator
 * whose return() takes effect at once, unlike an async generator's, which waits for the pending
 * next). `position` is the last domain event id this subscriber has passed (delivered or filtered
 * out); both the replay and the live path only ever hand it events after that, so nothing is
 * delivered twice and the seam between replay and live has no gap.
 */
export class EventStream implements AsyncIterableIterator<EventRow> {
  position: number;
  /** 'catchup' while replaying from the table; 'live' once the hub fans out to it. */
  mode: 'catchup' | 'live' = 'catchup';
  /** Set by the transport to learn about an overflow at once (it may be blocked on a send). */
  onOverflow: ((err: SlowConsumerError) => void) | undefined;
  /** Last event id actually handed to the consumer. */
  lastDeliveredId: number;

  private queue: EventRow[] = [];
  private finished = false;
  private closed = false;
  private error: Error | null = null;
  private pending: { resolve: (r: IteratorResult<EventRow>) => void; reject: (e: unknown) => void } | null = null;
  private roomWaiter: (() => void) | null = null;
  private readonly types: ReadonlySet<string> | null;
  private readonly profileIds: ReadonlySet<string> | null;
  private readonly objectIds: ReadonlySet<string> | null;

  constructor(
    readonly domainId: string,
    start: number,
    readonly capacity: number,
    readonly filter: StreamFilter,
    private readonly detach: (s: EventStream) => void,
  ) {
    this.position = start;
    this.lastDeliveredId = start;
    this.types = filter.types && filter.types.length > 0 ? new Set(filter.types) : null;
    this.profileIds = filter.profileIds && filter.profileIds.length > 0 ? new Set(filter.profileIds) : null;
    this.objectIds = filter.objectIds && filter.objectIds.length > 0 ? new Set(filter.objectIds) : null;
  }

  /** True once the stream ended, failed or was returned: the hub drops it. */
  get isClosed(): boolean {
    return this.closed || this.finished || this.error !== null;
  }

  get buffered(): number {
    return this.queue.length;
  }

  matches(e: EventRow): boolean {
    return (
      (this.types === null || this.types.has(e.type)) &&
      (this.profileIds === null || (e.profileId !== null && this.profileIds.has(e.profileId))) &&
      (this.objectIds === null || (e.objectId !== null && this.objectIds.has(e.objectId)))
    );
  }

  /**
   * Offers the next domain event (ids strictly increasing). Events of another domain are dropped
   * here as well as in the hub: the tenant check happens on every event.
   */
  offer(e: EventRow): void {
    if (this.isClosed || e.id <= this.position) return;
    this.position = e.id;
    if (e.domainId !== this.domainId || !this.matches(e)) return;
    if (this.filter.endOn?.(e)) {
      this.finished = true;
      this.detach(this);
      if (this.queue.length === 0) this.settle({ value: undefined, done: true });
      return;
    }
    if (this.pending) {
      this.lastDeliveredId = e.id;
      this.settle({ value: e, done: false });
      return;
    }
    if (this.queue.length >= this.capacity) {
      this.fail(new SlowConsumerError(this.capacity, this.lastDeliveredId));
      return;
    }
    this.queue.push(e);
  }

  /** Resolves when the queue is at most half full: replay reads only when there is room (pull). */
  room(): Promise<void> {
    if (this.isClosed || this.queue.length <= this.capacity / 2) return Promise.resolve();
    return new Promise((resolve) => {
      this.roomWaiter = resolve;
    });
  }

  /** Ends the stream with an error (overflow, or a failed read); buffered events are dropped. */
  fail(err: Error): void {
    if (this.isClosed) return;
    this.error = err;
    this.queue = [];
    this.detach(this);
    this.wakeRoom();
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      p.reject(err);
    }
    if (err instanceof SlowConsumerError) this.onOverflow?.(err);
  }

  next(): Promise<IteratorResult<EventRow>> {
    const e = this.queue.shift();
    if (e) {
      this.lastDeliveredId = e.id;
      if (this.queue.length <= this.capacity / 2) this.wakeRoom();
      return Promise.resolve({ value: e, done: false });
    }
    this.wakeRoom();
    if (this.error) {
      const err = this.error;
      this.closed = true;
      return Promise.reject(err);
    }
    if (this.finished || this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  /** Unsubscribes at once and frees the buffer (graphql-ws calls it on complete and disconnect). */
  return(): Promise<IteratorResult<EventRow>> {
    if (!this.closed) {
      this.closed = true;
      this.queue = [];
      this.detach(this);
      this.wakeRoom();
      this.settle({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<EventRow> {
    return this;
  }

  private settle(r: IteratorResult<EventRow>): void {
    const p = this.pending;
    this.pending = null;
    p?.resolve(r);
  }

  private wakeRoom(): void {
    const w = this.roomWaiter;
    this.roomWaiter = null;
    w?.();
  }
}
