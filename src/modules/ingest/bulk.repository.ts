import { getTableColumns, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { mapRow } from '../../db/batched.js';
import { query, type Executor } from '../../db/database.js';
import { profiles } from '../profile/profile.table.js';
import type { ProfileRow } from '../profile/profile.repository.js';

/** Rows as JSON keyed by column name (Dates as ISO text), for jsonb_populate_recordset. */
function toColumns(table: PgTable, rows: readonly Record<string, unknown>[]): string {
  const cols = Object.entries(getTableColumns(table));
  return JSON.stringify(
    rows.map((r) => {
      const out: Record<string, unknown> = {};
      for (const [key, col] of cols) {
        if (!(key in r)) continue;
        const v = r[key];
        out[col.name] = v instanceof Date ? v.toISOString() : v;
      }
      return out;
    }),
  );
}

export async function existingObjects(
  db: Executor,
  domainId: string,
  type: string,
  uniqueKeys: readonly string[],
): Promise<Map<string, { profileId: string; data: Record<string, unknown> }>> {
  const rows = await query<{ uniqueKey: string; profileId: string; data: Record<string, unknown> }>(
    db,
    sql`select unique_key as "uniqueKey", profile_id as "profileId", data from profile_objects
        where domain_id = ${domainId} and object_type = ${type} and unique_key = any(${sql.param([...uniqueKeys])}::text[])`,
  );
  return new Map(rows.map((r) => [r.uniqueKey, { profileId: r.profileId, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data }]));
}

/** Profiles holding each (key, value) pair, for a whole batch in one statement. */
export async function keyHits(db: Executor, domainId: string, pairs: readonly { keyName: string; value: string }[]): Promise<Map<string, string[]>> {
  if (pairs.length === 0) return new Map();
  const rows = await query<{ keyName: string; value: string; ids: string[] }>(
    db,
    // LATERAL makes every pair an index probe on (domain_id, key_name, value, …): the cost follows
    // the batch, not the size of the domain's key table.
    sql`select q.key_name as "keyName", q.value, array_agg(distinct k.profile_id::text) as ids
        from (select distinct key_name, value
              from unnest(${sql.param(pairs.map((p) => p.keyName))}::text[], ${sql.param(pairs.map((p) => p.value))}::text[]) as u(key_name, value)) q
        cross join lateral (
          select profile_id from profile_keys k
          where k.domain_id = ${domainId} and k.key_name = q.key_name and k.value = q.value) k
        group by q.key_name, q.value`,
  );
  return new Map(rows.map((r) => [`${r.keyName}\u0000${r.value}`, r.ids]));
}

export async function lockProfiles(db: Executor, domainId: string, ids: readonly string[]): Promise<ProfileRow[]> {
  if (ids.length === 0) return [];
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select * from profiles where domain_id = ${domainId} and id = any(${sql.param([...ids])}::uuid[]) order by id for update`,
  );
  const cols = Object.entries(getTableColumns(profiles));
  return rows.map((r) => mapRow<ProfileRow>(profiles, Object.fromEntries(cols.map(([key, col]) => [key, r[col.name]]))));
}

/** Inserts full rows (every column given) in one statement. */
export async function insertRows(db: Executor, table: PgTable, tableName: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`insert into ${sql.identifier(tableName)} select * from jsonb_populate_recordset(null::${sql.identifier(tableName)}, ${toColumns(table, rows)}::jsonb)`);
}

/** Writes whole profile rows back (ingestion merges), bumping each version by its number of merges. */
export async function updateProfiles(db: Executor, domainId: string, rows: readonly (ProfileRow & { merges: number })[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = Object.values(getTableColumns(profiles)).filter((c) => !['id', 'domain_id', 'created_at', 'version'].includes(c.name));
  const sets = sql.join(
    cols.map((c) => sql`${sql.identifier(c.name)} = r.${sql.identifier(c.name)}`),
    sql`, `,
  );
  const merges = JSON.stringify(rows.map((r) => ({ id: r.id, merges: r.merges })));
  await db.execute(sql`
    update profiles p set ${sets}, version = p.version + m.merges
    from jsonb_populate_recordset(null::profiles, ${toColumns(profiles, rows)}::jsonb) r
    join jsonb_to_recordset(${merges}::jsonb) as m(id uuid, merges int) on m.id = r.id
    where p.domain_id = ${domainId} and p.id = r.id`);
}

export async function deleteProfileKeysOf(db: Executor, domainId: string, profileIds: readonly string[]): Promise<void> {
  if (profileIds.length === 0) return;
  await db.execute(sql`delete from profile_keys where domain_id = ${domainId} and source = 'profile' and profile_id = any(${sql.param([...profileIds])}::uuid[])`);
}

export async function insertKeys(db: Executor, domainId: string, keys: readonly { profileId: string; keyName: string; value: string; source: string }[]): Promise<void> {
  if (keys.length === 0) return;
  await db.execute(sql`
    insert into profile_keys (domain_id, key_name, value, profile_id, source)
    select ${domainId}::uuid, k."keyName", k.value, k."profileId", k.source
    from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k("keyName" text, value text, "profileId" uuid, source text)
    on conflict do nothing`);
}

/** The data limit for many profiles at once; returns the evicted unique keys. */
export async function evictBeyondMany(db: Executor, domainId: string, type: string, profileIds: readonly string[], keep: number): Promise<string[]> {
  if (profileIds.length === 0) return [];
  const rows = await query<{ uniqueKey: string }>(
    db,
    sql`delete from profile_objects where id in (
          select id from (
            select id, row_number() over (partition by profile_id order by updated_at desc, id desc) as rn
            from profile_objects
            where domain_id = ${domainId} and object_type = ${type} and profile_id = any(${sql.param([...profileIds])}::uuid[])
          ) ranked where rn > ${keep}
        ) returning unique_key as "uniqueKey"`,
  );
  return rows.map((r) => r.uniqueKey);
}
