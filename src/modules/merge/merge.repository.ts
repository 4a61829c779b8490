/**
 * SQL of merges: locks, snapshots of the involved rows (as Postgres serialises them, so they
 * restore exactly), moving objects and keys, the journal. Every statement filters by domain.
 */
import { sql, type SQL } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import { DOMAIN_LOCK_SPACE } from '../profile/profile.repository.js';
import type { MovedObjectEntry } from './merge.table.js';

/** A merge as the API shows it. */
export interface ProfileMergeView {
  id: string;
  mainProfileId: string;
  mergedProfileIds: string[];
  createdAt: Date;
  origin: string;
  unmergedAt: Date | null;
}

/** A journal row with what unmerge needs. */
export interface MergeJournal extends ProfileMergeView {
  seq: number;
  priorProfiles: Record<string, unknown>[];
  priorKeys: { domain_id: string; key_name: string; value: string; profile_id: string; source: string }[];
  priorValues: Record<string, unknown>[];
  movedObjects: MovedObjectEntry[];
  mainAfter: Record<string, unknown>;
}

/** An object of a profile: what it is, where it is, and the profile_keys source of its keys. */
export interface ObjectRef {
  id: string;
  kind: string;
  profileId: string;
  source: string;
  createdAt: Date;
  /** A contact's identifiers (null for other kinds). */
  phoneNumber: string | null;
  emailAddress: string | null;
}

/**
 * The domain's ingestion lock, exclusively (the lock a large ingestion batch takes): every writer
 * that locks key values (the pipeline, find-or-create, auto-association) holds it shared first, so
 * a merge waits for them and they wait for it, with no cycle. The first lock a merge takes.
 */
export async function lockDomainForMerge(db: Executor, domainId: string): Promise<void> {
  await query(db, sql`select pg_advisory_xact_lock(${DOMAIN_LOCK_SPACE}, hashtext(${domainId}::text)) is null as locked`);
}

const ids = (list: readonly string[]) => sql`${sql.param([...list])}::uuid[]`;

/**
 * Locks the rows of every object (contact, case, order, custom object) of the profiles, table by
 * table in id order. Taken before the profiles' rows: a writer of an existing object locks the
 * object first and the profile (a foreign-key check) after, so the merge takes them in that order too.
 */
export async function lockObjectsOf(db: Executor, domainId: string, profileIds: readonly string[]): Promise<void> {
  for (const table of ['contacts', 'cases', 'orders', 'profile_objects']) {
    await query(db, sql`select t.id from ${sql.identifier(table)} t where t.domain_id = ${domainId} and t.profile_id = any(${ids(profileIds)}) order by t.id for update`);
  }
}
const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** Locks the profiles' rows in id order (the pipeline's order) and returns them as to_jsonb text, by id. */
export async function lockProfileSnapshots(db: Executor, domainId: string, profileIds: readonly string[], lock: boolean): Promise<Map<string, Record<string, unknown>>> {
  const rows = await query<{ id: string; j: string }>(
    db,
    sql`select p.id::text as id, to_jsonb(p)::text as j from profiles p
        where p.domain_id = ${domainId} and p.id = any(${ids(profileIds)}) order by p.id${lock ? sql` for update` : sql``}`,
  );
  return new Map(rows.map((r) => [r.id, parse<Record<string, unknown>>(r.j)]));
}

export async function keySnapshots(db: Executor, domainId: string, profileIds: readonly string[]): Promise<MergeJournal['priorKeys']> {
  const rows = await query<{ j: string }>(
    db,
    sql`select coalesce(json_agg(to_jsonb(k) order by k.profile_id, k.key_name, k.value, k.source), '[]'::json)::text as j
        from profile_keys k where k.domain_id = ${domainId} and k.profile_id = any(${ids(profileIds)})`,
  );
  return parse(rows[0]?.j ?? '[]');
}

export async function valueSnapshots(db: Executor, domainId: string, profileIds: readonly string[]): Promise<Record<string, unknown>[]> {
  const rows = await query<{ j: string }>(
    db,
    sql`select coalesce(json_agg(to_jsonb(v) order by v.profile_id, v.name), '[]'::json)::text as j
        from calculated_attribute_values v where v.domain_id = ${domainId} and v.profile_id = any(${ids(profileIds)})`,
  );
  return parse(rows[0]?.j ?? '[]');
}

/** Every object (contact, case, order, custom object) of the profiles, with its key source. */
function objectsSql(domainId: string, where: (alias: string) => SQL): SQL {
  return sql`select c.id::text as id, 'contact' as kind, c.profile_id::text as "profileId", 'obj:_ctr:' || c.contact_id as source, c.created_at as "createdAt", c.phone_number as "phoneNumber", c.email_address as "emailAddress"
        from contacts c where c.domain_id = ${domainId} and ${where('c')}
      union all
      select k.id::text, 'case', k.profile_id::text, 'obj:_case:' || k.case_id, k.created_at, null, null from cases k where k.domain_id = ${domainId} and ${where('k')}
      union all
      select o.id::text, 'order', o.profile_id::text, 'obj:_order:' || o.order_id, o.created_at, null, null from orders o where o.domain_id = ${domainId} and ${where('o')}
      union all
      select x.id::text, 'object:' || x.object_type, x.profile_id::text, 'obj:' || x.object_type || ':' || x.unique_key, x.created_at, null, null
        from profile_objects x where x.domain_id = ${domainId} and ${where('x')}`;
}

export async function objectsOfProfiles(db: Executor, domainId: string, profileIds: readonly string[]): Promise<ObjectRef[]> {
  const rows = await query<ObjectRef & { createdAt: Date | string }>(
    db,
    sql`select * from (${objectsSql(domainId, (a) => sql`${sql.raw(a)}.profile_id = any(${ids(profileIds)})`)}) o order by kind, id`,
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt) }));
}

/** The (key, value) pairs of the given key sources (an object's identifiers as search keys). */
export async function keysOfSources(db: Executor, domainId: string, sources: readonly string[]): Promise<{ source: string; keyName: string; value: string }[]> {
  if (sources.length === 0) return [];
  return query(
    db,
    sql`select k.source, k.key_name as "keyName", k.value from profile_keys k
        where k.domain_id = ${domainId} and k.source = any(${sql.param([...sources])}::text[])`,
  );
}

const TABLE_OF: Record<string, string> = { contact: 'contacts', case: 'cases', order: 'orders' };
const tableOf = (kind: string) => TABLE_OF[kind] ?? 'profile_objects';

/**
 * Points objects (by id) at profiles, only where they are still on their `fromProfileId`, with the
 * keys of their sources. Returns the ids it moved. updated_at is left alone: the object did not change.
 */
export async function pointObjects(
  db: Executor,
  domainId: string,
  moves: readonly { id: string; kind: string; source: string; fromProfileId: string; toProfileId: string }[],
): Promise<Set<string>> {
  const moved = new Set<string>();
  const byTable = new Map<string, typeof moves[number][]>();
  for (const m of moves) byTable.set(tableOf(m.kind), [...(byTable.get(tableOf(m.kind)) ?? []), m]);
  for (const [table, list] of byTable) {
    const rows = await query<{ id: string }>(
      db,
      sql`update ${sql.identifier(table)} t set profile_id = m.to
          from unnest(${ids(list.map((m) => m.id))}, ${ids(list.map((m) => m.fromProfileId))}, ${ids(list.map((m) => m.toProfileId))}) as m(id, "from", "to")
          where t.domain_id = ${domainId} and t.id = m.id and t.profile_id = m."from"
          returning t.id::text as id`,
    );
    for (const r of rows) moved.add(r.id);
  }
  const keyed = moves.filter((m) => moved.has(m.id));
  if (keyed.length > 0) {
    await query(
      db,
      sql`update profile_keys k set profile_id = m.to
          from unnest(${sql.param(keyed.map((m) => m.source))}::text[], ${ids(keyed.map((m) => m.toProfileId))}) as m(source, "to")
          where k.domain_id = ${domainId} and k.source = m.source`,
    );
  }
  return moved;
}

/**
 * Moves the merged profiles' keys that are not an object's to the main profile under the source
 * `merge:<mergeId>` (a profile edit replaces only the 'profile' source, so the main profile stays
 * findable by the merged profiles' identifiers until the merge is undone).
 */
export async function adoptKeys(db: Executor, domainId: string, fromIds: readonly string[], mainId: string, mergeId: string): Promise<void> {
  await query(
    db,
    sql`insert into profile_keys (domain_id, key_name, value, profile_id, source)
        select k.domain_id, k.key_name, k.value, ${mainId}::uuid, ${`merge:${mergeId}`}
        from profile_keys k where k.domain_id = ${domainId} and k.profile_id = any(${ids(fromIds)}) and k.source not like 'obj:%'
        on conflict do nothing`,
  );
}

export async function dropMergeKeys(db: Executor, domainId: string, mergeId: string): Promise<void> {
  await query(db, sql`delete from profile_keys where domain_id = ${domainId} and source = ${`merge:${mergeId}`}`);
}

/** Deletes the merged profiles (their remaining keys, values and memberships go with them). */
export async function deleteProfiles(db: Executor, domainId: string, profileIds: readonly string[]): Promise<void> {
  await query(db, sql`delete from profiles where domain_id = ${domainId} and id = any(${ids(profileIds)})`);
}

/** Re-inserts profile rows exactly as they were serialised. */
export async function restoreProfiles(db: Executor, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  await query(db, sql`insert into profiles select * from jsonb_populate_recordset(null::profiles, ${JSON.stringify(rows)}::jsonb)`);
}

export async function restoreKeys(db: Executor, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  await query(db, sql`insert into profile_keys select * from jsonb_populate_recordset(null::profile_keys, ${JSON.stringify(rows)}::jsonb) on conflict do nothing`);
}

export async function restoreValues(db: Executor, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  await query(
    db,
    sql`insert into calculated_attribute_values select * from jsonb_populate_recordset(null::calculated_attribute_values, ${JSON.stringify(rows)}::jsonb) on conflict do nothing`,
  );
}

/** Sets the main profile's columns from a serialised row (only the given columns), bumping its version. */
export async function setProfileColumns(db: Executor, domainId: string, id: string, row: Record<string, unknown>, columns: readonly string[]): Promise<void> {
  const sets = columns.map((c) => sql`${sql.identifier(c)} = r.${sql.identifier(c)}`);
  await query(
    db,
    sql`update profiles p set ${sql.join([...sets, sql`version = p.version + 1`, sql`updated_at = date_trunc('milliseconds', now())`], sql`, `)}
        from jsonb_populate_record(null::profiles, ${JSON.stringify(row)}::jsonb) r
        where p.domain_id = ${domainId} and p.id = ${id}`,
  );
}

export async function insertMerge(
  db: Executor,
  domainId: string,
  m: Omit<MergeJournal, 'seq' | 'createdAt' | 'unmergedAt'>,
): Promise<ProfileMergeView> {
  const rows = await query<{ id: string; createdAt: Date | string }>(
    db,
    sql`insert into profile_merges (id, domain_id, main_profile_id, merged_profile_ids, origin, prior_profiles, prior_keys, prior_values, moved_objects, main_after)
        values (${m.id}, ${domainId}, ${m.mainProfileId}, ${ids(m.mergedProfileIds)}, ${m.origin}, ${JSON.stringify(m.priorProfiles)}::jsonb, ${JSON.stringify(m.priorKeys)}::jsonb,
                ${JSON.stringify(m.priorValues)}::jsonb, ${JSON.stringify(m.movedObjects)}::jsonb, ${JSON.stringify(m.mainAfter)}::jsonb)
        returning id::text as id, created_at as "createdAt"`,
  );
  const r = rows[0]!;
  const members = [m.mainProfileId, ...m.mergedProfileIds];
  await query(
    db,
    sql`insert into profile_merge_members (domain_id, merge_id, profile_id, role)
        select ${domainId}, ${r.id}::uuid, u.id, case when u.ord = 1 then 'MAIN' else 'MERGED' end from unnest(${ids(members)}) with ordinality as u(id, ord)`,
  );
  return { id: r.id, mainProfileId: m.mainProfileId, mergedProfileIds: [...m.mergedProfileIds], origin: m.origin, createdAt: new Date(r.createdAt), unmergedAt: null };
}

const VIEW = sql`m.id::text as id, m.main_profile_id::text as "mainProfileId", m.merged_profile_ids::text[] as "mergedProfileIds", m.origin, m.created_at as "createdAt", m.unmerged_at as "unmergedAt"`;

function toView(r: ProfileMergeView & { createdAt: Date | string; unmergedAt: Date | string | null }): ProfileMergeView {
  return { ...r, createdAt: new Date(r.createdAt), unmergedAt: r.unmergedAt === null ? null : new Date(r.unmergedAt) };
}

export async function findMerge(db: Executor, domainId: string, id: string): Promise<ProfileMergeView | null> {
  const rows = await query<ProfileMergeView>(db, sql`select ${VIEW} from profile_merges m where m.domain_id = ${domainId} and m.id = ${id}`);
  return rows[0] ? toView(rows[0]) : null;
}

/** The journal of a merge, its row locked. */
export async function lockJournal(db: Executor, domainId: string, id: string): Promise<MergeJournal | null> {
  const rows = await query<ProfileMergeView & { seq: string | number; j: string }>(
    db,
    sql`select ${VIEW}, m.seq::int8 as seq, json_build_object('priorProfiles', m.prior_profiles, 'priorKeys', m.prior_keys, 'priorValues', m.prior_values,
          'movedObjects', m.moved_objects, 'mainAfter', m.main_after)::text as j
        from profile_merges m where m.domain_id = ${domainId} and m.id = ${id} for update`,
  );
  const r = rows[0];
  if (!r) return null;
  const { j, seq, ...view } = r;
  return { ...toView(view), seq: Number(seq), ...parse<Omit<MergeJournal, keyof ProfileMergeView | 'seq'>>(j) };
}

export async function markUnmerged(db: Executor, domainId: string, id: string): Promise<ProfileMergeView> {
  const rows = await query<ProfileMergeView>(
    db,
    // the snapshots served the undo only: dropped, so no copy of the profiles' data outlives them
    sql`update profile_merges m set unmerged_at = date_trunc('milliseconds', now()),
          prior_profiles = '[]', prior_keys = '[]', prior_values = '[]', moved_objects = '[]', main_after = '{}'
        where m.domain_id = ${domainId} and m.id = ${id} returning ${VIEW}`,
  );
  return toView(rows[0]!);
}

/** Active merges (not undone) that any of the profiles took part in (as `role`, or any), optionally only those after the merge of sequence `afterSeq`. */
export async function activeMergesOf(db: Executor, domainId: string, profileIds: readonly string[], role: 'MERGED' | null, afterSeq?: number): Promise<ProfileMergeView[]> {
  const rows = await query<ProfileMergeView>(
    db,
    sql`select ${VIEW} from profile_merges m
        where m.domain_id = ${domainId} and m.unmerged_at is null
          and exists (select 1 from profile_merge_members x where x.domain_id = ${domainId} and x.merge_id = m.id and x.profile_id = any(${ids(profileIds)})${role ? sql` and x.role = ${role}` : sql``})
          ${afterSeq !== undefined ? sql`and m.seq > ${afterSeq}` : sql``}
        order by m.seq desc limit 20`,
  );
  return rows.map(toView);
}

/** A select-list expression: the JSON text of the merges the profile `parentId` was the main profile of, newest first. */
export function mergesJsonSql(domainId: string, parentId: SQL): SQL {
  const ms = (c: string) => sql`floor(extract(epoch from ${sql.raw(c)}) * 1000)::int8`;
  return sql`(select coalesce(json_agg(json_build_object('id', m.id, 'mainProfileId', m.main_profile_id, 'mergedProfileIds', m.merged_profile_ids,
        'createdAt', ${ms('m.created_at')}, 'origin', m.origin, 'unmergedAt', ${ms('m.unmerged_at')}) order by m.seq desc), '[]'::json)::text
      from profile_merges m where m.domain_id = ${domainId} and m.main_profile_id = ${parentId})`;
}

export async function mergesByProfile(db: Executor, domainId: string, profileIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await query<{ id: string; j: string }>(
    db,
    sql`select p.pid::text as id, ${mergesJsonSql(domainId, sql`p.pid`)} as j from unnest(${ids(profileIds)}) as p(pid)`,
  );
  return new Map(rows.map((r) => [r.id, r.j]));
}

/**
 * Deletes the journals of merges that can never be undone because their main profile was deleted
 * (deleteProfile, the retention sweep), not merged away: the merged profiles' data must not outlive
 * it. All domains; run by the event-prune schedule. Returns how many went.
 */
export async function pruneMergeJournals(db: Executor): Promise<number> {
  const rows = await query<{ n: string | number }>(
    db,
    sql`with gone as (
          delete from profile_merges m
          where m.unmerged_at is null
            and not exists (select 1 from profiles p where p.domain_id = m.domain_id and p.id = m.main_profile_id)
            and not exists (select 1 from profile_merge_members x join profile_merges l on l.id = x.merge_id
                            where x.domain_id = m.domain_id and x.profile_id = m.main_profile_id and x.role = 'MERGED' and l.unmerged_at is null)
          returning 1)
        select count(*) as n from gone`,
  );
  return Number(rows[0]?.n ?? 0);
}
