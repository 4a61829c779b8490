import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { query, type Executor } from './database.js';

/** Converts a raw row (driver values, e.g. timestamps as text) into drizzle's typed row shape. */
export function mapRow<T>(table: PgTable, raw: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...raw };
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const v = raw[key];
    if (v !== null && v !== undefined) out[key] = col.mapFromDriverValue(v);
  }
  return out as T;
}

/** `t.col as "key"` for every column of a table, so raw rows come back shaped like drizzle's. */
export function selectColumns(table: PgTable, alias: string): SQL {
  const cols = Object.entries(getTableColumns(table)).map(([key, col]) => sql`${sql.identifier(alias)}.${sql.identifier(col.name)} as ${sql.identifier(key)}`);
  return sql.join(cols, sql`, `);
}

export interface PerParentPage {
  domainId: string;
  parentIds: readonly string[];
  /** Database name of the timestamp the page is sorted by (newest first, id breaks ties). */
  sortColumn: string;
  limit: number;
  after: { at: Date; id: string } | null;
  filter?: SQL | undefined;
}

/**
 * The newest `limit + 1` rows of a profile-owned table for every parent, in ONE statement
 * (LATERAL over the parent ids, each using the (domain, profile, sort, id) index). Keyset position
 * `after` keeps pages stable while new rows arrive.
 */
export async function newestPerProfile<T>(db: Executor, table: PgTable, opts: PerParentPage): Promise<(T & { parentId: string })[]> {
  const name = sql.identifier(getTableName(table));
  const sort = sql.identifier(opts.sortColumn);
  const position = opts.after ? sql`and (t.${sort}, t.id) < (${opts.after.at.toISOString()}::timestamptz, ${opts.after.id}::uuid)` : sql``;
  const filter = opts.filter ? sql`and ${opts.filter}` : sql``;
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select p.pid as "parentId", c.*
        from unnest(${sql.param([...opts.parentIds])}::uuid[]) as p(pid)
        cross join lateral (
          select ${selectColumns(table, 't')} from ${name} t
          where t.domain_id = ${opts.domainId} and t.profile_id = p.pid ${filter} ${position}
          order by t.${sort} desc, t.id desc
          limit ${opts.limit + 1}
        ) c`,
  );
  return rows.map((r) => mapRow<T & { parentId: string }>(table, r));
}

/** Row counts per profile for a profile-owned table, in one statement. */
export async function countPerProfile(
  db: Executor,
  table: PgTable,
  domainId: string,
  parentIds: readonly string[],
  filter?: SQL,
): Promise<Map<string, number>> {
  const rows = await query<{ parentId: string; n: string | number }>(
    db,
    sql`select t.profile_id as "parentId", count(*) as n from ${sql.identifier(getTableName(table))} t
        where t.domain_id = ${domainId} and t.profile_id = any(${sql.param([...parentIds])}::uuid[]) ${filter ? sql`and ${filter}` : sql``}
        group by t.profile_id`,
  );
  return new Map(rows.map((r) => [r.parentId, Number(r.n)]));
}
