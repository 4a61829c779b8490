/**
 * The ingestion pipeline's SQL: every statement works on a whole batch (staged in the temporary
 * tables of staging.ts), so a batch costs the same number of statements whatever its size.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { query, type Executor, type Tx } from '../../db/database.js';
import { DOMAIN_LOCK_SPACE, type ProfileRow } from '../profile/profile.repository.js';
import { profiles } from '../profile/profile.table.js';
import { pairKey, type Snapshot, type StoredObject } from './decide.js';
import { profileObjects } from './ingest.table.js';
import { PROFILE_COLUMNS } from './staging.js';

/** How many profiles of one (key, value) pair are read: one more than "over 100". */
const PAIR_HOLDERS = 102;

/** Above this many lock names, a batch takes its domain's ingestion lock exclusively instead. */
export const MAX_KEY_LOCKS = 256;

/**
 * Takes the batch's advisory locks, in the same global order as profile.repository's lockKeys, so
 * concurrent writers of the same keys take turns: the domain's ingestion lock shared and each
 * row's UNIQUE value and key values — or, for a large batch (`exclusive`), the domain's ingestion
 * lock alone, exclusively (a bounded number of locks whatever the batch; writers of the domain wait
 * for the batch to commit).
 */
export async function lockStaged(tx: Tx, domainId: string, exclusive: boolean): Promise<void> {
  if (exclusive) {
    await tx.execute(sql`select pg_advisory_xact_lock(${DOMAIN_LOCK_SPACE}, hashtext(${domainId}::text))`);
    return;
  }
  await tx.execute(
    sql`with domain_lock as (select pg_advisory_xact_lock_shared(${DOMAIN_LOCK_SPACE}, hashtext(${domainId}::text)))
        select pg_advisory_xact_lock(l.h) from (
          select distinct hashtextextended(${domainId}::text || '|' || n, 0) as h from ingest_rows r cross join unnest(r.locks) as n
        ) l cross join domain_lock
        order by l.h`,
  );
}

/** Every profile holding each of the (key_name, value) pairs `pairs` selects (at most PAIR_HOLDERS each), with its keys' sources. */
const holders = (domainId: string, pairs: SQL) => sql`
  select p.key_name, p.value, h.profile_id, h.sources
  from (${pairs}) p cross join lateral (
    select k.profile_id, array_agg(k.source) as sources from profile_keys k
    where k.domain_id = ${domainId} and k.key_name = p.key_name and k.value = p.value
    group by k.profile_id order by k.profile_id limit ${PAIR_HOLDERS}
  ) h`;

type HolderRow = { key_name: string; value: string; profile_id: string; sources: string[] | null };

function addHolders(rows: readonly HolderRow[], out: Pick<Snapshot, 'keys' | 'crowded'>): void {
  for (const r of rows) {
    const pair = pairKey(r.key_name, r.value);
    let holding = out.keys.get(pair);
    if (!holding) out.keys.set(pair, (holding = new Map()));
    holding.set(r.profile_id, new Set(r.sources ?? []));
    if (holding.size >= PAIR_HOLDERS) out.crowded.add(pair);
  }
}

/**
 * What the database holds for the staged rows, in one statement: the stored objects with their
 * UNIQUE values (and whether each row's object equals its stored one), and, for the rows to match
 * whose key values are staged, the profiles holding each of them, with the sources of those keys.
 */
export async function lookupStaged(tx: Tx, domainId: string, objectType: string): Promise<Pick<Snapshot, 'objects' | 'same' | 'keys' | 'crowded'>> {
  const rows = await query<
    { kind: 'o' | 'h'; seq: number | null; unique_key: string | null; object_id: string | null; same: boolean | null; created_at: string | Date | null; updated_at: string | Date | null } & HolderRow
  >(
    tx,
    // LATERAL probes (index lookups per staged row or pair): the batch is small, the tables are not,
    // and the staging tables have no statistics to plan a join with.
    sql`with stored as (
          select r.seq, o.unique_key, o.id, o.profile_id, o.created_at, o.updated_at, o.data = r.data as same
          from ingest_rows r
          cross join lateral (
            select o.unique_key, o.id, o.profile_id, o.created_at, o.updated_at, o.data from profile_objects o
            where o.domain_id = ${domainId} and o.object_type = ${objectType} and o.unique_key = r.unique_key
            limit 1 -- (one at most, by the unique index) keeps the planner from flattening the probe into a join
          ) o
        ), pairs as (
          select distinct p.key_name, p.value
          from ingest_rows r
          left join stored s on s.seq = r.seq
          cross join unnest(r.match_names, r.match_values) as p(key_name, value)
          where r.lookup or s.same is not true
        )
        select 'o' as kind, s.seq, s.unique_key, null::text as key_name, null::text as value, s.profile_id, s.id as object_id, s.same,
               null::text[] as sources, s.created_at, s.updated_at
        from stored s
        union all
        select 'h', null, null, h.key_name, h.value, h.profile_id, null, null, h.sources, null, null
        from (${holders(domainId, sql`select key_name, value from pairs`)}) h`,
  );
  const out = { objects: new Map<string, StoredObject>(), same: new Set<number>(), keys: new Map<string, Map<string, Set<string>>>(), crowded: new Set<string>() };
  for (const r of rows) {
    if (r.kind !== 'o') continue;
    out.objects.set(r.unique_key!, { id: r.object_id!, profileId: r.profile_id, createdAt: new Date(r.created_at!), updatedAt: new Date(r.updated_at!) });
    if (r.same) out.same.add(Number(r.seq));
  }
  addHolders(
    rows.filter((r) => r.kind === 'h'),
    out,
  );
  return out;
}

/** The profiles holding each of the given (key, value) pairs (rows prepared after the staged look-up). */
export async function lookupPairs(tx: Tx, domainId: string, pairs: readonly { keyName: string; value: string }[]): Promise<Pick<Snapshot, 'keys' | 'crowded'>> {
  const out = { keys: new Map<string, Map<string, Set<string>>>(), crowded: new Set<string>() };
  if (pairs.length === 0) return out;
  const rows = await query<HolderRow>(
    tx,
    holders(
      domainId,
      sql`select distinct key_name, value from unnest(${sql.param(pairs.map((p) => p.keyName))}::text[], ${sql.param(pairs.map((p) => p.value))}::text[]) as q(key_name, value)`,
    ),
  );
  addHolders(rows, out);
  return out;
}

/**
 * Reads and locks (for update, in id order) the profiles a batch may write; with a data limit, also
 * each one's newest `limit + 1` objects of the type.
 */
export async function loadProfiles(
  tx: Tx,
  domainId: string,
  ids: readonly string[],
  limit: { objectType: string; keep: number } | null,
): Promise<{ profiles: Map<string, ProfileRow>; recent: Map<string, { uniqueKey: string; id: string }[]> }> {
  const out = { profiles: new Map<string, ProfileRow>(), recent: new Map<string, { uniqueKey: string; id: string }[]>() };
  if (ids.length === 0) return out;
  // "profiles"."id" spelled out: drizzle writes a single-table query's columns unqualified.
  const recent = limit
    ? sql<{ u: string; id: string }[] | null>`(select json_agg(json_build_object('u', t.unique_key, 'id', t.id)) from (
          select o.unique_key, o.id from profile_objects o
          where o.domain_id = ${domainId} and o.object_type = ${limit.objectType} and o.profile_id = "profiles"."id"
          order by o.updated_at desc, o.id desc limit ${limit.keep + 1}) t)`
    : sql<null>`null`;
  const rows = await tx
    .select({ profile: profiles, recent: recent.as('recent') })
    .from(profiles)
    .where(and(eq(profiles.domainId, domainId), inArray(profiles.id, [...ids])))
    .orderBy(profiles.id)
    .for('update', { of: profiles });
  for (const r of rows) {
    out.profiles.set(r.profile.id, r.profile);
    const list = typeof r.recent === 'string' ? (JSON.parse(r.recent) as { u: string; id: string }[]) : r.recent;
    if (limit) out.recent.set(r.profile.id, (list ?? []).map((o) => ({ uniqueKey: o.u, id: o.id })));
  }
  return out;
}

// ---------------------------------------------------------------- writes (from the staging tables)

// Statements that touch the big tables select their rows by index through `= any(array(…))` of
// the staged ids, so the plan never scans a table for a batch.

/** Drops the staged key sources (a profile's own keys, replaced or evicted objects' keys). */
export async function deleteStagedKeys(tx: Tx, domainId: string): Promise<void> {
  await tx.execute(sql`delete from profile_keys k
    where k.domain_id = ${domainId}
      and k.profile_id = any(array(select profile_id from ingest_keys where op = 'D'))
      and (k.profile_id, k.source) in (select profile_id, source from ingest_keys where op = 'D')`);
}

/** Deletes objects the data limit evicted. */
export async function deleteStagedObjects(tx: Tx, domainId: string): Promise<void> {
  await tx.execute(sql`delete from profile_objects o where o.domain_id = ${domainId} and o.id = any(array(select id from ingest_objects where op = 'D'))`);
}

const profileColumnList = sql.raw(PROFILE_COLUMNS.map(([, c]) => `"${c.name}"`).join(', '));

export async function insertStagedProfiles(tx: Tx): Promise<void> {
  await tx.execute(sql`insert into profiles (${profileColumnList}) select ${profileColumnList} from ingest_profiles where op = 'I'`);
}

/** Writes merged profiles back (whole rows: their locks are held), each version bumped by its merges. */
export async function updateStagedProfiles(tx: Tx, domainId: string): Promise<void> {
  const sets = sql.raw(
    PROFILE_COLUMNS.filter(([, c]) => !['id', 'domain_id', 'created_at', 'version'].includes(c.name))
      .map(([, c]) => `"${c.name}" = s."${c.name}"`)
      .join(', '),
  );
  await tx.execute(sql`update profiles p set ${sets}, version = p.version + s.merges
    from ingest_profiles s
    where s.op = 'U' and p.id = s.id and p.domain_id = ${domainId} and p.id = any(array(select id from ingest_profiles where op = 'U'))`);
}

/**
 * Inserts the staged new objects (op N: no stored object has their UNIQUE value, and the batch holds
 * its advisory lock) or replaces re-ingested ones (op R: same id, new data and profile).
 */
export async function insertStagedObjects(tx: Tx, domainId: string, objectType: string, replace: boolean): Promise<void> {
  await tx.execute(sql`insert into profile_objects (id, domain_id, object_type, profile_id, unique_key, data, created_at, updated_at)
    select o.id, ${domainId}::uuid, ${objectType}, o.profile_id, o.unique_key, r.data, o.created_at, o.updated_at
    from ingest_objects o join ingest_rows r on r.seq = o.seq
    where o.op = ${replace ? 'R' : 'N'}
    ${replace ? sql`on conflict (domain_id, object_type, unique_key) do update set profile_id = excluded.profile_id, data = excluded.data, updated_at = excluded.updated_at` : sql``}`);
}

/**
 * Inserts the staged keys: those of profiles this batch created (`fresh`: nothing stored can collide,
 * so a plain insert, a quarter cheaper than ON CONFLICT) or the others (an equal stored key is kept).
 * In key order, so consecutive inserts land on neighbouring index pages.
 */
export async function insertStagedKeys(tx: Tx, domainId: string, fresh: boolean): Promise<void> {
  await tx.execute(sql`insert into profile_keys (domain_id, key_name, value, profile_id, source)
    select ${domainId}::uuid, key_name, value, profile_id, source from ingest_keys where op = ${fresh ? 'N' : 'I'}
    order by key_name, value
    ${fresh ? sql`` : sql`on conflict do nothing`}`);
}

/**
 * The data limit for profiles that held more objects than it before the batch (it was lowered):
 * keeps each one's newest `keep` (objects written by this batch first, later rows first), deleting
 * the rest with their keys.
 */
export async function trimObjects(tx: Tx, domainId: string, objectType: string, profileIds: readonly string[], keep: number): Promise<void> {
  await tx.execute(sql`with ranked as (
      select o.id, o.profile_id, o.unique_key, row_number() over (
               partition by o.profile_id order by (w.seq is not null) desc, w.seq desc, o.updated_at desc, o.id desc) as rn
      from ${profileObjects} o left join ingest_objects w on w.op in ('N', 'R') and w.id = o.id
      where o.domain_id = ${domainId} and o.object_type = ${objectType} and o.profile_id = any(${sql.param([...profileIds])}::uuid[])
    ), gone as (
      delete from profile_objects o using ranked r where r.rn > ${keep} and o.id = r.id returning o.profile_id, o.unique_key
    )
    delete from profile_keys k using gone g
    where k.domain_id = ${domainId} and k.profile_id = g.profile_id and k.source = 'obj:' || ${objectType}::text || ':' || g.unique_key`);
}

/**
 * Refreshes the planner's statistics of profile_objects. A large import into a small domain grows
 * the table faster than autovacuum re-analyzes it; with statistics from when it was nearly empty,
 * the planner may probe a UNIQUE value through the expiry index (every object of the type) instead
 * of the unique index, and each batch gets slower as the table grows.
 */
export async function analyzeObjects(db: Executor): Promise<void> {
  await db.execute(sql`analyze profile_objects`);
}
