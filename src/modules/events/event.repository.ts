import { sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';

export type EventType =
  | 'PROFILE_CREATED'
  | 'PROFILE_UPDATED'
  | 'PROFILE_DELETED'
  | 'CONTACT_RECORDED'
  | 'CASE_CREATED'
  | 'CASE_UPDATED'
  | 'ORDER_RECORDED';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export interface NewEvent {
  type: EventType;
  profileId: string | null;
  objectType?: string | undefined;
  objectId?: string | undefined;
  changes?: FieldChanges | undefined;
}

/** The Postgres channel that wakes gateway instances when a domain has new events. */
export const EVENTS_CHANNEL = 'profilegraph_events';

/**
 * Appends events in the caller's transaction. Ids come from the domain row, so they are gapless
 * per domain and in commit order (the row lock is held until commit). Also queues a NOTIFY, which
 * Postgres delivers only if the transaction commits. Returns the last id written.
 */
export async function appendEvents(tx: Executor, domainId: string, actorKeyId: string | null, events: readonly NewEvent[]): Promise<number> {
  const [bumped] = await query<{ last: string | number }>(
    tx,
    sql`update domains set last_event_id = last_event_id + ${events.length} where id = ${domainId} returning last_event_id as last`,
  );
  const last = Number(bumped?.last);
  const first = last - events.length + 1;
  const payload = JSON.stringify(
    events.map((e, i) => ({
      id: first + i,
      type: e.type,
      profileId: e.profileId,
      objectType: e.objectType ?? null,
      objectId: e.objectId ?? null,
      changes: e.changes ?? null,
    })),
  );
  await tx.execute(sql`
    insert into events (domain_id, id, type, profile_id, object_type, object_id, actor_key_id, changes)
    select ${domainId}::uuid, e.id, e.type, e."profileId", e."objectType", e."objectId", ${actorKeyId}::uuid, e.changes
    from jsonb_to_recordset(${payload}::jsonb)
      as e(id bigint, type text, "profileId" uuid, "objectType" text, "objectId" text, changes jsonb)`);
  await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${`${domainId}:${last}`})`);
  return last;
}
