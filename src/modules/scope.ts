import type { Database, Tx } from '../db/database.js';
import type { DomainRow } from './domain/domain.repository.js';
import { appendEvents, type NewEvent } from './events/event.repository.js';
import type { EventNotifier } from './events/notifier.js';
import type { Clock } from './jobs/clock.js';

/** What a domain-scoped operation runs with: the tenant is fixed by the API key, never by input. */
export interface DomainScope {
  readonly database: Database;
  readonly domain: DomainRow;
  /** The API key that made the call (recorded as the actor of events). */
  readonly actorKeyId: string | null;
  readonly notifier: EventNotifier;
  /** The time of time-based rules (calculated attribute and segment windows); the system clock when absent. Tests inject one. */
  readonly clock?: Clock | undefined;
}

/** "Now" for a scope's time-based rules. */
export const scopeNow = (scope: DomainScope): Date => scope.clock?.now() ?? new Date();

/**
 * Runs a write in one transaction with the outbox: events emitted inside are stored in the same
 * transaction, and subscribers are told only after it commits. A failure writes nothing.
 */
export async function writeTransaction<T>(scope: DomainScope, fn: (tx: Tx, emit: (event: NewEvent) => void) => Promise<T>): Promise<T> {
  const pending: NewEvent[] = [];
  let lastEventId = 0;
  const result = await scope.database.db.transaction(async (tx) => {
    const value = await fn(tx, (event) => pending.push(event));
    if (pending.length > 0) lastEventId = await appendEvents(tx, scope.domain.id, scope.actorKeyId, pending);
    return value;
  });
  if (pending.length > 0) scope.notifier.committed(scope.domain.id, lastEventId);
  return result;
}
