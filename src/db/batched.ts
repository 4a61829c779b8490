import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { query, type Executor } from './database.js';

/** Per table, computed once: every column, and the ones whose driver value needs converting. */
interface TableMeta {
  /** drizzle key → column. */
  columns: Record<string, PgColumn>;
  keys: string[];
  /** Columns whose driver value is not already the typed value (timestamps, dates, numerics …). */
  converted: [key: string, column: PgColumn][];
}
const metas = new WeakMap<PgTable, TableMeta>();

/** Driver values postgres.js / PGlite already return in drizzle's shape: no per-row conversion. */
const PASS_THROUGH = new Set(['PgUUID', 'PgText', 'PgVarchar', 'PgChar', 'PgBoolean']);

export function tableMeta(table: PgTable): TableMeta {
  let m = metas.get(table);
  if (!m) {
    const columns = getTableColumns(table) as Record<string, PgColumn>;
    const keys = Object.keys(columns);
    m = { columns, keys, converted: keys.filter((k) => !PASS_THROUGH.has(columns[k]!.columnType)).map((k) => [k, columns[k]!]) };
    metas.set(table, m);
  }
  return m;
}

/** Converts a raw row (driver values, e.g. timestamps as text) into drizzle's typed row shape, in place. */
export function mapRow<T>(table: PgTable, raw: Record<string, unknown>): T {
  for (const [key, col] of tableMeta(table).converted) {
    const v = raw[key];
    if (v !== null && v !== undefined) raw[key] = col.mapFromDriverValue(v);
  }
  return raw as T;
}

/** `t.col as "key"` for every column of a table (or only `keys`), so raw rows come back shaped like drizzle's. */
export function selectColumns(table: PgTable, alias: string, keys?: readonly string[]): SQL {
  const m = tableMeta(table);
  const cols = (keys ?? m.keys).map((key) => sql`${sql.identifier(alias)}.${sql.identifier(m.columns[key]!.name)} as ${sql.identifier(key)}`);
  return sql.join(cols, sql`, `);
}

/**
 * A child table paged per parent: its rows pointing at the parent through `parentColumn`, in the
 * parent's domain, newest first by `sort` with `id` breaking ties. The child table has an index
 * (domain, parent, sort DESC NULLS LAST, id DESC NULLS LAST) (drizzle's `.desc()`); the sort
 * columns are NOT NULL, so ordering `desc nulls last` is the same order and lets Postgres read the
 * newest rows straight from the index instead of sorting them.
 */
export interface ChildTable {
  table: PgTable;
  parentColumn: PgColumn;
  domainColumn: PgColumn;
  sort: PgColumn;
  id: PgColumn;
}

export interface PerParentPage {
  domainId: string;
  parentIds: readonly string[];
  limit: number;
  after: { at: Date; id: string } | null;
  /** A condition on the child table (drizzle columns, which render qualified by the table name). */
  filter?: SQL | undefined;
}

/** `(sort, id) < (at, id)`: the keyset position after a cursor, newest first. */
function positionAfter(child: ChildTable, after: { at: Date; id: string } | null): SQL {
  return after ? sql` and (${child.sort}, ${child.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)` : sql``;
}

/** The child rows of one parent (`parentId`: the parent's id, e.g. `p.id` or `p.pid`) in its domain, filtered. */
function childWhere(child: ChildTable, domainId: string, parentId: SQL, filter: SQL | undefined): SQL {
  return sql`${child.domainColumn} = ${domainId} and ${child.parentColumn} = ${parentId}${filter ? sql` and ${filter}` : sql``}`;
}

/**
 * The newest `limit + 1` rows of a child table for every parent, in ONE statement (LATERAL over
 * the parent ids, each using the (domain, parent, sort, id) index). Keyset position `after` keeps
 * pages stable while new rows arrive.
 */
export async function newestPerParent<T>(db: Executor, child: ChildTable, opts: PerParentPage): Promise<(T & { parentId: string })[]> {
  const table = child.table;
  const rows = await query<Record<string, unknown>>(
    db,
    sql`select p.pid as "parentId", c.*
        from unnest(${sql.param([...opts.parentIds])}::uuid[]) as p(pid)
        cross join lateral (
          select ${selectColumns(table, getTableName(table))} from ${table}
          where ${childWhere(child, opts.domainId, sql`p.pid`, opts.filter)}${positionAfter(child, opts.after)}
          order by ${child.sort} desc nulls last, ${child.id} desc nulls last
          limit ${opts.limit + 1}
        ) c`,
  );
  return rows.map((r) => mapRow<T & { parentId: string }>(table, r));
}

/** Row counts per parent for a child table, in one statement. */
export async function countPerParent(db: Executor, child: ChildTable, domainId: string, parentIds: readonly string[], filter?: SQL): Promise<Map<string, number>> {
  const rows = await query<{ parentId: string; n: string | number }>(
    db,
    sql`select ${child.parentColumn} as "parentId", count(*) as n from ${child.table}
        where ${child.domainColumn} = ${domainId} and ${child.parentColumn} = any(${sql.param([...parentIds])}::uuid[])${filter ? sql` and ${filter}` : sql``}
        group by ${child.parentColumn}`,
  );
  return new Map(rows.map((r) => [r.parentId, Number(r.n)]));
}

/**
 * One nested relation of a parent row built as JSON by Postgres: the newest `limit + 1` rows of a
 * child table (only `keys`), as a json array column `alias`, plus `alias_count` when asked.
 */
export interface JsonRelation {
  alias: string;
  child: ChildTable;
  /** drizzle keys to return; must contain the id and sort keys. */
  keys: readonly string[];
  limit: number;
  after: { at: Date; id: string } | null;
  filter?: SQL | undefined;
  count: boolean;
  /**
   * Instead of rows: the final JSON text of the page's `nodes` list as the GraphQL response would
   * hold it (only `limit` rows, response keys, output formats), or NULL when a value cannot be
   * written that way (the caller then falls back to the normal path). See RawField.
   */
  raw?: readonly RawField[] | undefined;
}

/** A leaf field written by Postgres straight into response JSON text (fast path, see src/read/plan.ts). */
export interface RawField {
  /** Response key (alias or field name). */
  responseKey: string;
  /** drizzle key of the column. */
  column: string;
  /**
   * json: to_json text (String, ID, Int, Boolean); datetime: Date#toISOString format; decimal: the
   * Decimal scalar's format (trailing zeros past two decimals dropped); enum: text that must be one of
   * `enumValues`.
   */
  kind: 'json' | 'datetime' | 'decimal' | 'enum';
  enumValues?: readonly string[];
  /** The GraphQL type is non-null: a NULL makes the page unwritable. */
  nonNull: boolean;
}

function rawValue(f: RawField, ref: SQL): { text: SQL; ok: SQL | null } {
  const nullable = (text: SQL) => sql`coalesce(${text}, 'null')`;
  switch (f.kind) {
    case 'json':
      return { text: nullable(sql`to_json(${ref})::text`), ok: null };
    case 'datetime':
      return {
        text: nullable(sql`to_json(to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text`),
        ok: sql`(${ref} is null or (isfinite(${ref}) and extract(year from ${ref} at time zone 'UTC') between 1 and 9999))`,
      };
    case 'decimal': {
      const v = sql`(${ref})::text`;
      const dec = sql`split_part(rtrim(${v}, '0'), '.', 2)`;
      return {
        text: nullable(sql`to_json(case when position('.' in ${v}) = 0 or length(split_part(${v}, '.', 2)) < 2 then ${v}
          when length(${dec}) >= 2 then rtrim(${v}, '0')
          else split_part(${v}, '.', 1) || '.' || rpad(${dec}, 2, '0') end)::text`),
        ok: null,
      };
    }
    case 'enum':
      return {
        text: nullable(sql`to_json(${ref})::text`),
        ok: sql`(${ref} is null or ${ref} in (${sql.join((f.enumValues ?? []).map((e) => sql.raw(`'${e.replace(/'/g, "''")}'`)), sql`, `)}))`,
      };
  }
}

/** JSON text of the `nodes` list: '[{"key":value,…},…]', or NULL when a value cannot be written. */
function rawNodes(m: TableMeta, fields: readonly RawField[], sortCol: SQL, idCol: SQL): SQL {
  const parts: SQL[] = [];
  const oks: SQL[] = [];
  fields.forEach((f, i) => {
    const col = m.columns[f.column]!;
    const ref = sql`c.${sql.identifier(col.name)}`;
    const { text, ok } = rawValue(f, ref);
    parts.push(sql.raw(`'${i === 0 ? '{' : ','}${JSON.stringify(f.responseKey).replace(/'/g, "''")}:'`), text);
    if (ok) oks.push(ok);
    if (f.nonNull && !col.notNull) oks.push(sql`${ref} is not null`);
  });
  const obj = sql`${sql.join(parts, sql` || `)} || '}'`;
  const valid = oks.length ? sql`bool_and(${sql.join(oks, sql` and `)})` : sql`true`;
  return sql`case when count(*) = 0 then '[]' when ${valid} then '[' || string_agg(${obj}, ',' order by c.${sortCol} desc, c.${idCol} desc) || ']' end`;
}

/** Key/value pairs json_build_object takes at most (Postgres: 100 arguments). */
const JSON_PAIRS = 50;

/**
 * One row as a JSON object keyed by drizzle keys (`keys` of the table), read back by
 * {@link relationRows}. `ref` names a column (by database name) in the surrounding query.
 */
function jsonRow(m: TableMeta, keys: readonly string[], ref: (name: string) => SQL): SQL {
  const fields = keys.map((k) => {
    const c = m.columns[k]!;
    const key = sql.raw(`'${k.replace(/'/g, "''")}'`); // a drizzle property name, from code
    const col = ref(c.name);
    // numeric as text: JSON numbers would lose the exact decimal string drizzle returns.
    if (c.columnType === 'PgNumeric') return sql`${key}, ${col}::text`;
    // timestamps as epoch milliseconds, floored: the same instant a Date parsed from the text form
    // holds (microseconds truncated), and much cheaper to turn into a Date than an ISO string.
    if (c.columnType === 'PgTimestamp') return sql`${key}, floor(extract(epoch from ${col}) * 1000)::int8`;
    return sql`${key}, ${col}`;
  });
  if (fields.length <= JSON_PAIRS) return sql`json_build_object(${sql.join(fields, sql`, `)})`;
  // wider rows: jsonb objects of at most JSON_PAIRS keys each, merged
  const parts: SQL[] = [];
  for (let i = 0; i < fields.length; i += JSON_PAIRS) parts.push(sql`jsonb_build_object(${sql.join(fields.slice(i, i + JSON_PAIRS), sql`, `)})`);
  return sql`(${sql.join(parts, sql` || `)})::json`;
}

/** A table whose rows are found by id within a domain (see {@link rowsByIds}). */
export interface IdTable {
  table: PgTable;
  id: PgColumn;
  domainColumn: PgColumn;
}

/**
 * Whole rows of several tables by id within one domain, in ONE statement: a UNION ALL with one
 * branch per table (each an index lookup on the table's uuid key), every row built as JSON by
 * Postgres. Each row comes back with the index in `tables` of the table it was found in, typed like
 * drizzle's rows; ids found nowhere are simply absent. `ids` must be UUIDs.
 */
export async function rowsByIds(db: Executor, domainId: string, ids: readonly string[], tables: readonly IdTable[]): Promise<{ table: number; row: Record<string, unknown> }[]> {
  if (ids.length === 0 || tables.length === 0) return [];
  const idList = sql.param([...ids]);
  const branches = tables.map((t, i) => {
    const m = tableMeta(t.table);
    const name = getTableName(t.table);
    const object = jsonRow(m, m.keys, (col) => sql`${sql.identifier(name)}.${sql.identifier(col)}`);
    return sql`select ${sql.raw(String(i))} as "t", ${object} as "row" from ${t.table} where ${t.domainColumn} = ${domainId} and ${t.id} = any(${idList}::uuid[])`;
  });
  const rows = await query<{ t: number; row: unknown }>(db, sql.join(branches, sql` union all `));
  return rows.map((r) => {
    const table = Number(r.t);
    const row = (typeof r.row === 'string' ? JSON.parse(r.row) : r.row) as Record<string, unknown>;
    return { table, row: relationRows<Record<string, unknown>>(tables[table]!.table, tableMeta(tables[table]!.table).keys, [row])[0]! };
  });
}

/**
 * Select-list items computing each relation for the parent row whose id is `parentId` (e.g. `p.id`):
 * a correlated subquery per relation (same (domain, parent, sort, id) index as newestPerParent),
 * aggregated with json_agg so the whole tree comes back in the parent's statement.
 */
export function relationColumns(domainId: string, parentId: SQL, rels: readonly JsonRelation[]): SQL[] {
  const out: SQL[] = [];
  for (const r of rels) {
    const { table, sort } = r.child;
    const m = tableMeta(table);
    const sortCol = sql.identifier(sort.name);
    const idCol = sql.identifier(r.child.id.name);
    const where = childWhere(r.child, domainId, parentId, r.filter);
    const position = positionAfter(r.child, r.after);
    const order = sql`order by ${sort} desc nulls last, ${r.child.id} desc nulls last`;
    const count = r.count ? sql`(select count(*)::int from ${table} where ${where}) as ${sql.identifier(`${r.alias}_count`)}` : null;
    if (r.raw) {
      const cols = new Set([r.child.id.name, sort.name, ...r.raw.map((f) => m.columns[f.column]!.name)]);
      out.push(
        sql`(select ${rawNodes(m, r.raw, sql`${sortCol}`, sql`${idCol}`)} from (
              select ${sql.join([...cols].map((name) => sql`${table}.${sql.identifier(name)}`), sql`, `)} from ${table} where ${where}${position}
              ${order} limit ${r.limit}) c) as ${sql.identifier(r.alias)}`,
      );
      if (count) out.push(count);
      continue;
    }
    // inner: the page's raw columns (by database name); outer: one JSON object per row, keyed like drizzle
    const needed = new Set([...r.keys.map((k) => m.columns[k]!.name), sort.name, r.child.id.name]);
    const inner = [...needed].map((name) => sql`${table}.${sql.identifier(name)}`);
    const object = jsonRow(m, r.keys, (name) => sql`c.${sql.identifier(name)}`);
    out.push(
      sql`(select coalesce(json_agg(${object} order by c.${sortCol} desc, c.${idCol} desc), '[]'::json) from (
            select ${sql.join(inner, sql`, `)} from ${table} where ${where}${position}
            ${order} limit ${r.limit + 1}) c) as ${sql.identifier(r.alias)}`,
    );
    if (count) out.push(count);
  }
  return out;
}

/** Rows of a relation column as returned by the driver, with timestamps turned into Dates in place. */
export function relationRows<T>(table: PgTable, keys: readonly string[], value: unknown): T[] {
  const list = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as Record<string, unknown>[];
  const m = tableMeta(table);
  const dates = keys.filter((k) => m.columns[k]!.columnType === 'PgTimestamp');
  if (dates.length > 0) {
    for (const row of list) {
      for (const k of dates) {
        const v = row[k];
        if (typeof v === 'number' || typeof v === 'string') row[k] = new Date(v);
      }
    }
  }
  return list as T[];
}
