import type { Database } from '../../db/database.js';
import { EVENTS_CHANNEL } from './event.repository.js';

/** Told that a domain has committed events up to `lastEventId`. */
export type WakeupListener = (domainId: string, lastEventId: number) => void;

/**
 * The pubsub seam between writers and the subscription hub. It carries only a wake-up signal
 * ("domain D has events up to N"), never the events: the event table is the source of truth, so a
 * lost or duplicated signal costs latency at worst, never data (the hub polls as a backstop).
 */
export interface WakeupBus {
  /** Called after a commit on this instance; same-instance listeners always hear it directly. */
  publish(domainId: string, lastEventId: number): void;
  /** Starts hearing wake-ups from every instance. Returns the function that stops it. */
  subscribe(listener: WakeupListener): Promise<() => Promise<void>>;
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
  protected readonly listeners = new Set<WakeupListener>();

  publish(domainId: string, lastEventId: number): void {
    if (this.listeners.size === 0) return;
    queueMicrotask(() => {
      for (const l of this.listeners) l(domainId, lastEventId);
    });
  }

  async subscribe(listener: WakeupListener): Promise<() => Promise<void>> {
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
    };
  }
}

/**
 * Several gateway instances on one Postgres: appendEvents queues `NOTIFY profilegraph_events,
 * 'domainId:lastId'` in the writing transaction, which Postgres delivers to every LISTENing
 * instance on commit. Local commits are also delivered in process, so the writer's own
 * subscribers do not wait for the round trip (the duplicate signal is a no-op in the hub).
 */
export class PostgresWakeupBus extends InProcessWakeupBus {
  constructor(private readonly database: Database) {
    super();
  }

  override async subscribe(listener: WakeupListener): Promise<() => Promise<void>> {
    const listen = this.database.listen;
    if (!listen) throw new Error('PostgresWakeupBus needs a database that supports LISTEN');
    const stopLocal = await super.subscribe(listener);
    const unlisten = await listen.call(this.database, EVENTS_CHANNEL, (payload) => {
      const w = parseWakeup(payload);
      if (w) listener(w.domainId, w.lastEventId);
    });
    return async () => {
      await stopLocal();
      await unlisten();
    };
  }
}

/** The bus a database calls for: LISTEN/NOTIFY when it can listen (Postgres), else in process. */
export function wakeupBusFor(database: Database): WakeupBus {
  return database.listen ? new PostgresWakeupBus(database) : new InProcessWakeupBus();
}
