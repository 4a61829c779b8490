import type { Database } from '../../db/database.js';
import { EVENTS_CHANNEL } from './event.repository.js';

/** Told that a domain has committed events up to `lastEventId`. */
export type WakeupListener = (domainId: string, lastEventId: number) => void;

/** What a bus tells its subscriber. */
export interface WakeupSubscriber {
  /** Domain D has committed events up to N. */
  wake: WakeupListener;
  /**
   * Wake-ups may have been lost (the LISTEN connection was re-established after a loss): re-read
   * where every domain is. Not called for the first LISTEN.
   */
  resync(): void;
}

/** Counters of the cross-instance channel (all zero in process). */
export interface WakeupStats {
  /** Times LISTEN was re-established after its connection was lost. */
  relistens: number;
  /** Failed attempts to LISTEN again (the database unreachable). */
  relistenFailures: number;
  /** NOTIFY payloads heard. */
  notifications: number;
}

/**
 * The pubsub seam between writers and the subscription hub. It carries only a wake-up signal
 * ("domain D has events up to N"), never the events: the event table is the source of truth, so a
 * lost or duplicated signal costs latency at worst, never data (the hub polls as a backstop, and
 * re-reads at once when the bus says signals may have been lost).
 */
export interface WakeupBus {
  /** Called after a commit on this instance; same-instance listeners always hear it directly. */
  publish(domainId: string, lastEventId: number): void;
  /** Starts hearing wake-ups from every instance. Returns the function that stops it. */
  subscribe(subscriber: WakeupSubscriber): Promise<() => Promise<void>>;
  stats(): WakeupStats;
}

/** Parses a NOTIFY payload `domainId:lastId`; null when malformed (ignored: the poll covers it). */
export function parseWakeup(payload: string): { domainId: string; lastEventId: number } | null {
  const at = payload.lastIndexOf(':');
  if (at <= 0) return null;
  const lastEventId = Number(payload.slice(at + 1));
  return Number.isSafeInteger(lastEventId) ? { domainId: payload.slice(0, at), lastEventId } : null;
}

/**
 * One process: PGlite (which has no cross-process NOTIFY) and tests. Delivery is deferred to a
 * microtask so a writer never runs subscriber code inside its own call stack.
 */
export class InProcessWakeupBus implements WakeupBus {
  protected readonly subscribers = new Set<WakeupSubscriber>();

  publish(domainId: string, lastEventId: number): void {
    if (this.subscribers.size === 0) return;
    queueMicrotask(() => {
      for (const s of this.subscribers) s.wake(domainId, lastEventId);
    });
  }

  async subscribe(subscriber: WakeupSubscriber): Promise<() => Promise<void>> {
    this.subscribers.add(subscriber);
    return async () => {
      this.subscribers.delete(subscriber);
    };
  }

  stats(): WakeupStats {
    return { relistens: 0, relistenFailures: 0, notifications: 0 };
  }
}

/**
 * Several gateway instances on one Postgres: appendEvents queues `NOTIFY profilegraph_events,
 * 'domainId:lastId'` in the writing transaction, which Postgres delivers to every LISTENing
 * instance on commit. Local commits are also delivered in process, so the writer's own
 * subscribers do not wait for the round trip (the duplicate signal is a no-op in the hub).
 * The LISTEN connection comes back after a loss (see Database.listen); notifications sent while
 * it was gone are lost, so the subscriber is told to resync then.
 */
export class PostgresWakeupBus extends InProcessWakeupBus {
  private readonly counters: WakeupStats = { relistens: 0, relistenFailures: 0, notifications: 0 };

  constructor(private readonly database: Database) {
    super();
  }

  override async subscribe(subscriber: WakeupSubscriber): Promise<() => Promise<void>> {
    const listen = this.database.listen;
    if (!listen) throw new Error('PostgresWakeupBus needs a database that supports LISTEN');
    const stopLocal = await super.subscribe(subscriber);
    const unlisten = await listen.call(this.database, EVENTS_CHANNEL, {
      onPayload: (payload) => {
        this.counters.notifications++;
        const w = parseWakeup(payload);
        if (w) subscriber.wake(w.domainId, w.lastEventId);
      },
      onRelisten: () => {
        this.counters.relistens++;
        subscriber.resync();
      },
      onRelistenError: () => {
        this.counters.relistenFailures++;
      },
    });
    return async () => {
      await stopLocal();
      await unlisten();
    };
  }

  override stats(): WakeupStats {
    return { ...this.counters };
  }
}

/** The bus a database calls for: LISTEN/NOTIFY when it can listen (Postgres), else in process. */
export function wakeupBusFor(database: Database): WakeupBus {
  return database.listen ? new PostgresWakeupBus(database) : new InProcessWakeupBus();
}
