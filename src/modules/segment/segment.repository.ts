/**
 * All of the segment module's SQL. Compiled rules (segment.compiler.ts) are boolean conditions over
 * `profiles p`; every statement here puts them in exactly one query.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { mapRow, selectColumns } from '../../db/batched.js';
import { query, type Executor } from '../../db/database.js';
import { objectTypes } from '../object-type/object-type.table.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { profiles } from '../profile/profile.table.js';
import { segmentCursors, segmentMembers, segments } from './segment.table.js';

export type SegmentRow = typeof segments.$inferSelect;
export type SegmentValues = Pick<SegmentRow, 'name' | 'description' | 'rule' | 'refs' | 'timeDependent'>;

/** A segment's compiled condition, ready to run. */
export interface CompiledSegment {
  id: string;
  name: string;
  condition: SQL;
}

export async function segmentByName(db: Executor, domainId: string, name: string): Promise<SegmentRow | null> {
  const [row] = await db
    .select()
    .from(segments)
    .where(and(eq(segments.domainId, domainId), eq(segments.name, name)));
  return row ?? null;
}

export async function listSegments(db: Executor, domainId: string): Promise<SegmentRow[]> {
  // byte order, the same on every server whatever its collation
  return db
    .select()
    .from(segments)
    .where(eq(segments.domainId, domainId))
    .orderBy(sql`${segments.name} collate "C"`);
}

export async function countSegments(db: Executor, domainId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(segments)
    .where(eq(segments.domainId, domainId));
  return Number(r?.n ?? 0);
}

/** The named segments and every segment they reference, transitively: one recursive statement. */
export async function segmentsReachable(db: Executor, domainId: string, names: readonly string[]): Promise<SegmentRow[]> {
  if (names.length === 0) return [];
  const rows = await query<Record<string, unknown>>(
    db,
    sql`with recursive reach(name) as (
          select unnest(${sql.param([...names])}::text[])
          union
          select r.ref from segments s join reach on s.domain_id = ${domainId} and s.name = reach.name
          cross join lateral unnest(s.refs) as r(ref)
        )
        select ${selectColumns(segments, 's')} from segments s where s.domain_id = ${domainId} and s.name in (select name from reach)`,
  );
  return rows.map((r) => mapRow<SegmentRow>(segments, r));
}

/** Custom object type names of the domain. */
export async function objectTypeNames(db: Executor, domainId: string): Promise<string[]> {
  const rows = await db.select({ name: objectTypes.name }).from(objectTypes).where(eq(objectTypes.domainId, domainId));
  return rows.map((r) => r.name);
}

/** Names of the segments whose rules reference `name` directly. */
export async function referrersOf(db: Executor, domainId: string, name: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    db,
    sql`select s.name from segments s where s.domain_id = ${domainId} and ${name}::text = any(s.refs) order by s.name`,
  );
  return rows.map((r) => r.name);
}

/** Segments that reach `name` through references (its dependents), transitively. */
export async function dependentsOf(db: Executor, domainId: string, name: string): Promise<SegmentRow[]> {
  const rows = await query<Record<string, unknown>>(
    db,
    sql`with recursive up(name) as (
          select ${name}::text
          union
          select s.name from segments s join up on s.domain_id = ${domainId} and up.name = any(s.refs)
        )
        select ${selectColumns(segments, 's')} from segments s where s.domain_id = ${domainId} and s.name in (select name from up) and s.name <> ${name}::text`,
  );
  return rows.map((r) => mapRow<SegmentRow>(segments, r));
}

/** Creates or replaces a segment by name (version + 1 on replace). */
export async function upsertSegment(db: Executor, domainId: string, v: SegmentValues): Promise<{ row: SegmentRow; created: boolean }> {
  const rows = await query<Record<string, unknown>>(
    db,
    sql`insert into segments (domain_id, name, description, rule, refs, time_dependent)
        values (${domainId}, ${v.name}, ${v.description}, ${JSON.stringify(v.rule)}::jsonb, ${sql.param(v.refs)}::text[], ${v.timeDependent})
        on conflict (domain_id, name) do update set description = excluded.description, rule = excluded.rule, refs = excluded.refs,
          time_dependent = excluded.time_dependent, updated_at = date_trunc('milliseconds', now()), version = segments.version + 1
        returning ${selectColumns(segments, 'segments')}, (xmax = 0) as created`,
  );
  const raw = rows[0]!;
  return { row: mapRow<SegmentRow>(segments, raw), created: raw.created === true };
}

export async function deleteSegmentRow(db: Executor, domainId: string, name: string): Promise<boolean> {
  const rows = await db
    .delete(segments)
    .where(and(eq(segments.domainId, domainId), eq(segments.name, name)))
    .returning({ id: segments.id });
  return rows.length > 0;
}

// ---- evaluation --------------------------------------------------------------------------------

/** How many of the domain's profiles meet the condition: one statement. */
export async function countMatching(db: Executor, domainId: string, condition: SQL): Promise<number> {
  const rows = await query<{ n: string | number }>(db, sql`select count(*) as n from profiles p where p.domain_id = ${domainId} and ${condition}`);
  return Number(rows[0]?.n ?? 0);
}

/** How many profile ids a member set (`memberSet`: distinct ids of the domain's profiles) holds: one statement. */
export async function countSet(db: Executor, set: SQL): Promise<number> {
  const rows = await query<{ n: string | number }>(db, sql`select count(*) as n from (${set}) s`);
  return Number(rows[0]?.n ?? 0);
}

/** A page of the profiles meeting the condition, newest first (the `profiles` order and keyset): one statement, limit + 1 rows. */
export async function matchingPage(
  db: Executor,
  domainId: string,
  condition: SQL,
  limit: number,
  after: { at: Date; id: string } | null,
): Promise<ProfileRow[]> {
  const position = after ? sql`and (p.created_at, p.id) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``;
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select ${selectColumns(profiles, 'p')} from profiles p
        where p.domain_id = ${domainId} and ${condition} ${position}
        order by p.created_at desc, p.id desc limit ${limit + 1}`,
  );
  return rows.map((r) => mapRow<ProfileRow>(profiles, r));
}

/** A condition on another query's profile id column: the profile meets the segment's condition (exports). */
export function memberFilter(domainId: string, condition: SQL, profileId: SQL): SQL {
  return sql`${profileId} in (select p.id from profiles p where p.domain_id = ${domainId} and ${condition})`;
}

/** Keyset page of matching profiles by id (exports), `limit` rows after `afterId`. */
export async function matchingIds(db: Executor, domainId: string, condition: SQL, afterId: string | null, limit: number): Promise<string[]> {
  const position = afterId ? sql`and p.id > ${afterId}::uuid` : sql``;
  const rows = await query<{ id: string }>(
    db,
    sql`select p.id from profiles p where p.domain_id = ${domainId} and ${condition} ${position} order by p.id limit ${limit}`,
  );
  return rows.map((r) => r.id);
}

/** Which of the given profiles meet the condition: one statement. */
export async function matchingAmong(db: Executor, domainId: string, condition: SQL, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await query<{ id: string }>(
    db,
    sql`select p.id from profiles p where p.domain_id = ${domainId} and p.id = any(${sql.param([...ids])}::uuid[]) and ${condition}`,
  );
  return new Set(rows.map((r) => r.id));
}

/** For each given profile, the names of the segments (compiled) it is in: one statement. */
export async function segmentNamesAmong(db: Executor, domainId: string, compiled: readonly CompiledSegment[], ids: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (ids.length === 0 || compiled.length === 0) return out;
  const cases = compiled.map((c) => sql`case when ${c.condition} then ${c.name}::text end`);
  const rows = await query<{ id: string; names: string[] | null }>(
    db,
    sql`select p.id, array_remove(array[${sql.join(cases, sql`, `)}], null) as names
        from profiles p where p.domain_id = ${domainId} and p.id = any(${sql.param([...ids])}::uuid[])`,
  );
  for (const r of rows) out.set(r.id, [...(r.names ?? [])].sort());
  return out;
}

// ---- live membership ---------------------------------------------------------------------------

export interface MembershipChange {
  segmentId: string;
  profileId: string;
  entered: boolean;
}

/**
 * Brings stored membership (segment_members) in line with the rules for the given segments, for
 * the given profiles (or all of the domain's when `profileIds` is null): one statement that
 * evaluates, inserts the entries, deletes the exits and returns both. The caller holds the
 * domain's cursor lock ({@link lockCursor}), so no other writer changes these rows meanwhile.
 */
export async function syncMembership(
  db: Executor,
  domainId: string,
  compiled: readonly CompiledSegment[],
  profileIds: readonly string[] | null,
  now: Date,
): Promise<MembershipChange[]> {
  if (compiled.length === 0 || (profileIds !== null && profileIds.length === 0)) return [];
  const among = profileIds === null ? sql`` : sql`and p.id = any(${sql.param([...profileIds])}::uuid[])`;
  const amongMembers = profileIds === null ? sql`` : sql`and m.profile_id = any(${sql.param([...profileIds])}::uuid[])`;
  const segmentIds = compiled.map((c) => c.id);
  const wants = compiled.map((c) => sql`select ${c.id}::uuid as segment_id, p.id as profile_id from profiles p where p.domain_id = ${domainId} ${among} and ${c.condition}`);
  const rows = await query<{ segment_id: string; profile_id: string; entered: boolean }>(
    db,
    sql`with want as (${sql.join(wants, sql` union all `)}),
        have as (
          select m.segment_id, m.profile_id from segment_members m
          where m.domain_id = ${domainId} and m.segment_id = any(${sql.param(segmentIds)}::uuid[]) ${amongMembers}
        ),
        ins as (
          insert into segment_members (domain_id, segment_id, profile_id, entered_at)
          select ${domainId}::uuid, w.segment_id, w.profile_id, ${now.toISOString()}::timestamptz from want w
          where not exists (select 1 from have h where h.segment_id = w.segment_id and h.profile_id = w.profile_id)
          on conflict do nothing
          returning segment_id, profile_id
        ),
        del as (
          delete from segment_members m using have h
          where m.segment_id = h.segment_id and m.profile_id = h.profile_id
            and not exists (select 1 from want w where w.segment_id = h.segment_id and w.profile_id = h.profile_id)
          returning m.segment_id, m.profile_id
        )
        select segment_id, profile_id, true as entered from ins
        union all
        select segment_id, profile_id, false as entered from del
        order by 2, 1`,
  );
  return rows.map((r) => ({ segmentId: r.segment_id, profileId: r.profile_id, entered: r.entered === true }));
}

/**
 * Locks the domain's membership cursor for the rest of the transaction and returns its position;
 * a domain's first cursor starts at its newest event (what came before is evaluated in full).
 */
export async function lockCursor(db: Executor, domainId: string): Promise<number> {
  await db.execute(
    sql`insert into segment_cursors (domain_id, position) select d.id, d.last_event_id from domains d where d.id = ${domainId} on conflict do nothing`,
  );
  const rows = await db.select({ position: segmentCursors.position }).from(segmentCursors).where(eq(segmentCursors.domainId, domainId)).for('update');
  return Number(rows[0]?.position ?? 0);
}

/** Locks the domain's cursor when it has one (it has segments); null otherwise. */
export async function lockExistingCursor(db: Executor, domainId: string): Promise<number | null> {
  const rows = await db.select({ position: segmentCursors.position }).from(segmentCursors).where(eq(segmentCursors.domainId, domainId)).for('update');
  return rows.length > 0 ? Number(rows[0]!.position) : null;
}

export async function setCursor(db: Executor, domainId: string, position: number): Promise<void> {
  await db.update(segmentCursors).set({ position }).where(eq(segmentCursors.domainId, domainId));
}

/** Domains whose event log is ahead of their membership cursor. */
export async function domainsBehind(db: Executor): Promise<string[]> {
  const rows = await query<{ id: string }>(
    db,
    sql`select c.domain_id as id from segment_cursors c join domains d on d.id = c.domain_id where d.last_event_id > c.position`,
  );
  return rows.map((r) => r.id);
}

/** Domains with at least one time-dependent segment (the sweep's work list). */
export async function domainsWithTimeSegments(db: Executor): Promise<string[]> {
  const rows = await query<{ id: string }>(db, sql`select distinct s.domain_id as id from segments s where s.time_dependent`);
  return rows.map((r) => r.id);
}

/** Names by segment id. */
export function namesById(rows: readonly Pick<SegmentRow, 'id' | 'name'>[]): Map<string, string> {
  return new Map(rows.map((r) => [r.id, r.name]));
}

export { segmentMembers };
