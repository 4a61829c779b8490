import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { selectColumns } from '../../db/batched.js';
import { query, queryCompiledOnce, type Executor } from '../../db/database.js';
import { profileKeys, profiles } from './profile.table.js';

export type ProfileRow = typeof profiles.$inferSelect;
export type ProfileValues = Omit<typeof profiles.$inferInsert, 'id' | 'domainId' | 'createdAt' | 'updatedAt' | 'version'>;
export interface KeyValue {
  keyName: string;
  value: string;
}

export async function insertProfile(db: Executor, domainId: string, values: ProfileValues): Promise<ProfileRow> {
  const [row] = await db
    .insert(profiles)
    .values({ ...values, domainId })
    .returning();
  return row as ProfileRow;
}

/** Reads a profile and locks it for the rest of the transaction. */
export async function lockProfile(db: Executor, domainId: string, id: string): Promise<ProfileRow | null> {
  const [row] = await db
    .select()
    .from(profiles)
    .where(and(eq(profiles.domainId, domainId), eq(profiles.id, id)))
    .for('update');
  return row ?? null;
}

export async function profilesByIds(db: Executor, domainId: string, ids: readonly string[]): Promise<ProfileRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(profiles)
    .where(and(eq(profiles.domainId, domainId), inArray(profiles.id, [...ids])));
}

export async function updateProfileRow(db: Executor, domainId: string, id: string, patch: Partial<ProfileValues>): Promise<ProfileRow> {
  const [row] = await db
    .update(profiles)
    .set({ ...patch, updatedAt: new Date(), version: sql`${profiles.version} + 1` })
    .where(and(eq(profiles.domainId, domainId), eq(profiles.id, id)))
    .returning();
  return row as ProfileRow;
}

export async function deleteProfileRow(db: Executor, domainId: string, id: string): Promise<void> {
  await db.delete(profiles).where(and(eq(profiles.domainId, domainId), eq(profiles.id, id)));
}

/** A page of the domain's profiles, newest first; fetches limit + 1 to tell whether more follow. */
export async function listProfiles(
  db: Executor,
  domainId: string,
  limit: number,
  after: { at: Date; id: string } | null,
): Promise<ProfileRow[]> {
  const position = after
    ? or(lt(profiles.createdAt, after.at), and(eq(profiles.createdAt, after.at), lt(profiles.id, after.id)))
    : undefined;
  return db
    .select()
    .from(profiles)
    .where(and(eq(profiles.domainId, domainId), position))
    .orderBy(desc(profiles.createdAt), desc(profiles.id))
    .limit(limit + 1);
}

/**
 * listProfiles for the look-ahead path: only the profile columns `keys`, plus `extra` select-list items
 * (nested relations as JSON, see batched.ts relationColumns) computed for each row as `p`. Raw rows.
 */
export async function listProfilesTree(
  db: Executor,
  domainId: string,
  limit: number,
  after: { at: Date; id: string } | null,
  keys: readonly string[],
  extra: () => readonly SQL[],
  /** A long-lived object that, with the domain and limit, determines `keys` and `extra` (a cached read plan): the first page's text is then built once. */
  shape?: object,
): Promise<Record<string, unknown>[]> {
  const build = () => {
    const position = after ? sql`and (p.created_at, p.id) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``;
    const more = extra();
    return sql`select ${selectColumns(profiles, 'p', keys)}${more.length ? sql`, ${sql.join([...more], sql`, `)}` : sql``}
        from profiles p where p.domain_id = ${domainId} ${position}
        order by p.created_at desc, p.id desc limit ${limit + 1}`;
  };
  if (shape && !after) return queryCompiledOnce<Record<string, unknown>>(db, shape, `${domainId}:${limit}`, build);
  return query<Record<string, unknown>>(db, build());
}

/**
 * Replaces the keys one source provides for a profile: 'profile' for its own fields, or an ingested
 * object's source, so a profile edit never drops keys that came from objects and vice versa.
 */
export async function replaceProfileKeys(db: Executor, domainId: string, profileId: string, keys: readonly KeyValue[], source = 'profile'): Promise<void> {
  await db
    .delete(profileKeys)
    .where(and(eq(profileKeys.domainId, domainId), eq(profileKeys.profileId, profileId), eq(profileKeys.source, source)));
  if (keys.length > 0) {
    await db
      .insert(profileKeys)
      .values(keys.map((k) => ({ domainId, profileId, keyName: k.keyName, value: k.value, source })))
      .onConflictDoNothing();
  }
}

/**
 * Points one source's keys at a profile (or at none): wherever they were before, they now belong to
 * `profileId` only. For objects that can move between profiles (a re-recorded contact).
 */
export async function setSourceKeys(db: Executor, domainId: string, source: string, profileId: string | null, keys: readonly KeyValue[]): Promise<void> {
  await deleteKeysBySource(db, domainId, [source]);
  if (profileId && keys.length > 0) {
    await db
      .insert(profileKeys)
      .values(keys.map((k) => ({ domainId, profileId, keyName: k.keyName, value: k.value, source })))
      .onConflictDoNothing();
  }
}

/** Drops the keys of the given sources (objects evicted, expired or replaced onto another profile). */
export async function deleteKeysBySource(db: Executor, domainId: string, sources: readonly string[]): Promise<void> {
  if (sources.length === 0) return;
  await db.delete(profileKeys).where(and(eq(profileKeys.domainId, domainId), inArray(profileKeys.source, [...sources])));
}

/** Profiles having any of the given (key, value) pairs, with the keys each matched. */
export async function profileIdsByKeys(
  db: Executor,
  domainId: string,
  pairs: readonly KeyValue[],
): Promise<{ profileId: string; matchedKeys: string[] }[]> {
  if (pairs.length === 0) return [];
  return query<{ profileId: string; matchedKeys: string[] }>(
    db,
    sql`select k.profile_id as "profileId", array_agg(distinct k.key_name order by k.key_name) as "matchedKeys"
        from profile_keys k
        join unnest(${sql.param(pairs.map((p) => p.keyName))}::text[], ${sql.param(pairs.map((p) => p.value))}::text[]) as q(key_name, value)
          on k.key_name = q.key_name and k.value = q.value
        where k.domain_id = ${domainId}
        group by k.profile_id
        order by k.profile_id
        limit 101`,
  );
}

/** The advisory-lock name of a (key, value) pair in a domain. */
export const keyLockName = (domainId: string, keyName: string, value: string): string => `${domainId}|${keyName}|${value}`;

/**
 * First half of the domain-wide ingestion lock, an advisory lock in the two-int space
 * (DOMAIN_LOCK_SPACE, hashtext(domain id)): every key locker holds it shared, a large ingestion
 * batch holds it exclusively instead of thousands of key locks (which would fill Postgres's shared
 * lock table: a few concurrent imports made every session on the server fail "out of shared memory").
 */
export const DOMAIN_LOCK_SPACE = 1886846977;

/**
 * Serializes concurrent find-or-create calls for the same identifiers in a domain: the domain's
 * ingestion lock shared, then transaction-scoped advisory locks on the names' hashes. Every locker
 * — this function and the ingestion pipeline — takes the domain lock first and key locks in
 * ascending hash order, so two writers can never wait on each other in a cycle.
 */
export async function lockKeys(db: Executor, domainId: string, pairs: readonly KeyValue[]): Promise<void> {
  const names = [...new Set(pairs.map((p) => keyLockName(domainId, p.keyName, p.value)))];
  if (names.length === 0) return;
  await db.execute(
    sql`with domain_lock as (select pg_advisory_xact_lock_shared(${DOMAIN_LOCK_SPACE}, hashtext(${domainId}::text)))
        select pg_advisory_xact_lock(l.h)
        from (select distinct hashtextextended(n, 0) as h from unnest(${sql.param(names)}::text[]) as t(n)) l cross join domain_lock
        order by l.h`,
  );
}
