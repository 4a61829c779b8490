import { and, asc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { mapRow, selectColumns } from '../../db/batched.js';
import { query, type Executor } from '../../db/database.js';
import { domains } from '../domain/domain.table.js';
import { events } from './event.table.js';

export type EventType =
  | 'PROFILE_CREATED'
  | 'PROFILE_UPDATED'
  | 'PROFILE_DELETED'
  | 'CONTACT_RECORDED'
  | 'CASE_CREATED'
  | 'CASE_UPDATED'
  | 'ORDER_RECORDED'
  | 'OBJECT_INGESTED'
  | 'PROFILE_EXPIRED'
  | 'OBJECT_EXPIRED'
  | 'SEGMENT_ENTERED'
  | 'SEGMENT_EXITED'
  | 'MERGED'
  | 'UNMERGED';

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
 * Appends events in the caller's transaction, in one statement. Ids come from the domain row, so
 * they are gapless per domain and in commit order (the row lock is held until commit). Also queues
 * a NOTIFY, which Postgres delivers only if the transaction commits. Returns the last id written.
 */
export async function appendEvents(tx: Executor, domainId: string, actorKeyId: string | null, events: readonly NewEvent[]): Promise<number> {
  const payload = JSON.stringify(
    events.map((e, i) => ({
      ord: i + 1,
      type: e.type,
      profileId: e.profileId,
      objectType: e.objectType ?? null,
      objectId: e.objectId ?? null,
      changes: e.changes ?? null,
    })),
  );
  return appendFrom(
    tx,
    domainId,
    actorKeyId,
    events.length,
    sql`select e.ord, e.type, e."profileId" as profile_id, e."objectType" as object_type, e."objectId" as object_id, e.changes
        from jsonb_to_recordset(${payload}::jsonb) as e(ord int, type text, "profileId" uuid, "objectType" text, "objectId" text, changes jsonb)`,
  );
}

/**
 * appendEvents for events already staged in the ingestion pipeline's `ingest_events` table
 * (`ord` 1…count), so a batch's events are sent once by COPY instead of as one JSON parameter.
 */
export async function appendStagedEvents(tx: Executor, domainId: string, actorKeyId: string | null, count: number): Promise<number> {
  return appendFrom(tx, domainId, actorKeyId, count, sql`select ord, type, profile_id, object_type, object_id, changes from ingest_events`);
}

/** Bumps the domain's event counter, inserts `count` events from `source` (numbered by `ord`) and notifies: one statement. */
async function appendFrom(tx: Executor, domainId: string, actorKeyId: string | null, count: number, source: SQL): Promise<number> {
  const [row] = await query<{ last: string | number }>(
    tx,
    sql`with bumped as (
          update domains set last_event_id = last_event_id + ${count} where id = ${domainId} returning last_event_id as last
        ), inserted as (
          insert into events (domain_id, id, type, profile_id, object_type, object_id, actor_key_id, changes)
          select ${domainId}::uuid, b.last - ${count} + e.ord, e.type, e.profile_id, e.object_type, e.object_id, ${actorKeyId}::uuid, e.changes
          from (${source}) e cross join bumped b
        )
        select b.last, pg_notify(${EVENTS_CHANNEL}, ${domainId}::text || ':' || b.last::text) from bumped b`,
  );
  return Number(row?.last);
}

/** A stored event as drizzle returns it. */
export type EventRow = typeof events.$inferSelect;

export interface EventsAfterOptions {
  /** Read at most this many events. */
  limit: number;
  /** Only events with id ≤ upTo (a known committed position), so a filtered read can skip ahead safely. */
  upTo?: number | undefined;
  types?: readonly string[] | null | undefined;
  profileIds?: readonly string[] | null | undefined;
  objectIds?: readonly string[] | null | undefined;
}

/**
 * Events of one domain with id > `afterId`, oldest first. The (domain_id, id) primary key serves
 * the range scan, so a reader that remembers its last id resumes without gaps or duplicates.
 */
export async function eventsAfter(db: Executor, domainId: string, afterId: number, opts: EventsAfterOptions): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(
      and(
        eq(events.domainId, domainId),
        gt(events.id, afterId),
        opts.upTo !== undefined ? lte(events.id, opts.upTo) : undefined,
        opts.types && opts.types.length > 0 ? inArray(events.type, [...opts.types]) : undefined,
        opts.profileIds && opts.profileIds.length > 0 ? inArray(events.profileId, [...opts.profileIds]) : undefined,
        opts.objectIds && opts.objectIds.length > 0 ? inArray(events.objectId, [...opts.objectIds]) : undefined,
      ),
    )
    .orderBy(asc(events.id))
    .limit(opts.limit);
}

/**
 * The newest committed event id of each given domain. domains.last_event_id is bumped in the
 * writing transaction under the row lock, so every id up to the committed value is readable.
 */
export async function lastEventIds(db: Executor, domainIds: readonly string[]): Promise<Map<string, number>> {
  if (domainIds.length === 0) return new Map();
  const rows = await db
    .select({ id: domains.id, last: domains.lastEventId })
    .from(domains)
    .where(inArray(domains.id, [...domainIds]));
  return new Map(rows.map((r) => [r.id, Number(r.last)]));
}

/**
 * The newest `limit + 1` events of every given profile (newest first), before event id `beforeId`
 * when given, in ONE statement: LATERAL over the profile ids on the (domain_id, profile_id, id) index.
 */
export async function eventsPerProfile(
  db: Executor,
  domainId: string,
  profileIds: readonly string[],
  limit: number,
  beforeId: number | null,
): Promise<(EventRow & { parentId: string })[]> {
  if (profileIds.length === 0) return [];
  const position = beforeId !== null ? sql`and t.id < ${beforeId}` : sql``;
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select p.pid as "parentId", c.*
        from unnest(${sql.param([...profileIds])}::uuid[]) as p(pid)
        cross join lateral (
          select ${selectColumns(events, 't')} from events t
          where t.domain_id = ${domainId} and t.profile_id = p.pid and t.type not in ('SEGMENT_ENTERED', 'SEGMENT_EXITED') ${position}
          order by t.id desc
          limit ${limit + 1}
        ) c`,
  );
  return rows.map((r) => mapRow<EventRow & { parentId: string }>(events, r));
}

/**
 * Retention: deletes events older than their domain's event_retention_days, EXCEPT events of a
 * profile that still exists — a live profile's history must last as long as the profile. So what
 * goes is old events of deleted profiles and old events with no profile. A replay (`after`) older
 * than the horizon therefore skips pruned ids; live delivery is unaffected. Events of a profile merged
 * into another by a merge not undone are kept too (an unmerge restores the profile with its history).
 * Returns rows deleted.
 *
 * Not cheap on a big table (scans the old part of `events`), so it is run by a scheduled job,
 * never on the request path.
 */
export async function pruneEvents(db: Executor, now: Date = new Date()): Promise<number> {
  const rows = await query<{ n: string | number }>(
    db,
    sql`with gone as (
          delete from events e
          using domains d
          where e.domain_id = d.id
            and e.occurred_at < ${now.toISOString()}::timestamptz - make_interval(days => d.event_retention_days)
            and (e.profile_id is null
                 or not exists (select 1 from profiles p where p.domain_id = e.domain_id and p.id = e.profile_id))
            -- a profile merged away can come back (unmergeProfiles) with its history: kept while its merge is active
            and not exists (select 1 from profile_merge_members x join profile_merges m on m.id = x.merge_id
                             where x.domain_id = e.domain_id and x.profile_id = e.profile_id and x.role = 'MERGED' and m.unmerged_at is null)
          returning 1)
        select count(*) as n from gone`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Profiles touched by the domain's events after `after` (segment events excluded), at most `limit`
 * events read, and the last event id read: what a per-domain log consumer (live segments, on-write
 * matching) works on in one batch.
 */
export async function touchedProfiles(db: Executor, domainId: string, after: number, limit: number): Promise<{ last: number; profileIds: string[] }> {
  const rows = await query<{ last: string | number | null; ids: string[] | null }>(
    db,
    sql`select max(e.id) as last, array_agg(distinct e.profile_id) filter (where e.profile_id is not null and e.type not in ('SEGMENT_ENTERED', 'SEGMENT_EXITED')) as ids
        from (select id, profile_id, type from events where domain_id = ${domainId} and id > ${after} order by id limit ${limit}) e`,
  );
  const r = rows[0];
  return { last: r?.last === null || r?.last === undefined ? after : Number(r.last), profileIds: r?.ids ?? [] };
}
