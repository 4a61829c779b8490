/**
 * Calculated attributes' SQL: definitions, and the set-based recompute of values from the source
 * rows (contacts, cases, orders, custom objects). Every user value (field names of custom objects,
 * condition values, thresholds, names) is a parameter; SQL text comes from code only.
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { query, Statement, type Executor } from '../../db/database.js';
import { cases } from '../case/case.table.js';
import { contacts } from '../contact/contact.table.js';
import { profileObjects } from '../ingest/ingest.table.js';
import { orders } from '../order/order.table.js';
import { profiles } from '../profile/profile.table.js';
import { calculatedAttributes, calculatedAttributeValues } from './calculated.table.js';
import { BUILT_IN_FIELDS, resolveField, type ConditionSpec, type DefinitionSpec, type Expr, type FieldRef, type ValueType } from './expression.js';

export type DefinitionRow = typeof calculatedAttributes.$inferSelect;
/** What a recompute needs of a definition. */
export type DefinitionCore = Pick<DefinitionRow, 'name' | 'objectType' | 'spec' | 'version'>;

const DEFINITION_COLUMNS = {
  id: calculatedAttributes.id,
  domainId: calculatedAttributes.domainId,
  name: calculatedAttributes.name,
  description: calculatedAttributes.description,
  objectType: calculatedAttributes.objectType,
  spec: calculatedAttributes.spec,
  version: calculatedAttributes.version,
  backfilledVersion: calculatedAttributes.backfilledVersion,
  backfillJobId: calculatedAttributes.backfillJobId,
  createdAt: calculatedAttributes.createdAt,
  updatedAt: calculatedAttributes.updatedAt,
};

/**
 * The type's definitions for a write's recompute (after {@link lockProfiles}), switching the
 * transaction to generic plans when there is any (`set_config` runs once per row returned), so the
 * recompute statement — one prepared text per definition set — is not planned again for every
 * object: Postgres otherwise keeps choosing a custom plan for it (its generic cost estimate, made
 * for an unknown number of profile ids, is higher), ~1.5 ms of planning per write of 7 definitions.
 * The recompute puts the previous mode back ({@link recomputeValues} `restorePlanMode`).
 */
export async function definitionsForWrite(db: Executor, domainId: string, objectType: string): Promise<DefinitionRow[]> {
  const rows = await db
    .select({ ...DEFINITION_COLUMNS, generic: sql<string>`set_config('plan_cache_mode', 'force_generic_plan', true)` })
    .from(calculatedAttributes)
    .where(and(eq(calculatedAttributes.domainId, domainId), eq(calculatedAttributes.objectType, objectType)))
    .orderBy(asc(calculatedAttributes.name));
  return rows.map(({ generic: _, ...row }) => row);
}

export async function listDefinitions(db: Executor, domainId: string, objectType?: string): Promise<DefinitionRow[]> {
  const where = objectType === undefined ? eq(calculatedAttributes.domainId, domainId) : and(eq(calculatedAttributes.domainId, domainId), eq(calculatedAttributes.objectType, objectType));
  return db.select(DEFINITION_COLUMNS).from(calculatedAttributes).where(where).orderBy(asc(calculatedAttributes.name));
}

/**
 * Calculated values are written under advisory locks in their own two-int space, (CALC_LOCK_SPACE,
 * hashtext(domain id)): a write of objects holds it shared and locks each profile it recomputes
 * (bigint locks on 'calc:<profile id>'), so two writers of one profile take turns and the second
 * recomputes from what the first committed; a batch of more than MAX_PROFILE_LOCKS profiles holds
 * it exclusively instead (bounded lock table). Definition changes, backfill batches and refreshes
 * of expired values hold it exclusively: they recompute from the committed writes of everyone
 * before them, and writes after them see the new definition.
 */
export const CALC_LOCK_SPACE = 1667329132;
export const MAX_PROFILE_LOCKS = 256;

/** The domain's calculated-values lock, exclusively (first statement of a transaction that recomputes outside a write). */
export async function lockValuesExclusively(db: Executor, domainId: string): Promise<void> {
  await query(db, sql`select pg_advisory_xact_lock(${CALC_LOCK_SPACE}::int4, hashtext(${domainId}::text)) is null as locked`);
}

/**
 * In a write of objects: takes the values locks of these profiles (see CALC_LOCK_SPACE). Its own
 * statement: a statement's snapshot is taken when it starts, so the definitions must be read by the
 * next one (a definition committed while this one waited is then seen).
 */
/** Remembers the transaction's plan_cache_mode (for {@link definitionsForWrite} / the recompute to put back). */
const SAVE_PLAN_MODE = sql`set_config('profilegraph.plan_cache_mode', current_setting('plan_cache_mode'), true) as m`;
const RESTORE_PLAN_MODE = sql`set_config('plan_cache_mode', coalesce(nullif(current_setting('profilegraph.plan_cache_mode', true), ''), 'auto'), true)`;

export async function lockProfiles(db: Executor, domainId: string, profileIds: readonly string[]): Promise<void> {
  const locks =
    profileIds.length > MAX_PROFILE_LOCKS
      ? sql`select pg_advisory_xact_lock(${CALC_LOCK_SPACE}::int4, hashtext(${domainId}::text)) is null as x, ${SAVE_PLAN_MODE}`
      : sql`select count(*) as x, ${SAVE_PLAN_MODE} from (select pg_advisory_xact_lock_shared(${CALC_LOCK_SPACE}::int4, hashtext(${domainId}::text))) dl,
             lateral (select pg_advisory_xact_lock(h) from (select distinct hashtextextended('calc:' || p::text, 0) as h from unnest(${sql.param([...profileIds])}::uuid[]) as u(p) order by 1) hs) pl`;
  await query(db, locks);
}

export async function findDefinition(db: Executor, domainId: string, name: string, lock = false): Promise<DefinitionRow | null> {
  const q = db.select(DEFINITION_COLUMNS).from(calculatedAttributes).where(and(eq(calculatedAttributes.domainId, domainId), eq(calculatedAttributes.name, name)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function countDefinitions(db: Executor, domainId: string): Promise<number> {
  const [r] = await query<{ n: number }>(db, sql`select count(*)::int as n from ${calculatedAttributes} where ${calculatedAttributes.domainId} = ${domainId}`);
  return r?.n ?? 0;
}

/** Inserts or replaces a definition (a replacement gets the next version); returns the row. */
export async function upsertDefinition(
  db: Executor,
  domainId: string,
  values: { name: string; description: string | null; objectType: string; spec: DefinitionSpec; backfilled: boolean },
): Promise<DefinitionRow> {
  const [row] = await db
    .insert(calculatedAttributes)
    .values({ domainId, name: values.name, description: values.description, objectType: values.objectType, spec: values.spec, version: 1, backfilledVersion: values.backfilled ? 1 : null })
    .onConflictDoUpdate({
      target: [calculatedAttributes.domainId, calculatedAttributes.name],
      set: {
        description: values.description,
        objectType: values.objectType,
        spec: values.spec,
        version: sql`${calculatedAttributes.version} + 1`,
        backfilledVersion: values.backfilled ? sql`${calculatedAttributes.version} + 1` : null,
        backfillJobId: null,
        updatedAt: sql`now()`,
      },
    })
    .returning(DEFINITION_COLUMNS);
  return row!;
}

/** Inserts definitions that do not exist yet (by name); returns how many were added. */
export async function insertMissingDefinitions(db: Executor, domainId: string, defs: readonly { name: string; description: string; objectType: string; spec: DefinitionSpec }[]): Promise<number> {
  if (defs.length === 0) return 0;
  const rows = await db
    .insert(calculatedAttributes)
    .values(defs.map((d) => ({ domainId, name: d.name, description: d.description, objectType: d.objectType, spec: d.spec, version: 1, backfilledVersion: 1 })))
    .onConflictDoNothing({ target: [calculatedAttributes.domainId, calculatedAttributes.name] })
    .returning({ id: calculatedAttributes.id });
  return rows.length;
}

export async function markBackfilled(db: Executor, domainId: string, name: string, version: number, jobId: string | null): Promise<void> {
  await db
    .update(calculatedAttributes)
    .set(jobId === null ? { backfilledVersion: version } : { backfillJobId: jobId })
    .where(and(eq(calculatedAttributes.domainId, domainId), eq(calculatedAttributes.name, name), eq(calculatedAttributes.version, version)));
}

/** Deletes a definition and its values; false when there was none. */
export async function deleteDefinition(db: Executor, domainId: string, name: string): Promise<boolean> {
  const rows = await query<{ id: string }>(
    db,
    sql`with v as (delete from ${calculatedAttributeValues} where ${calculatedAttributeValues.domainId} = ${domainId} and ${calculatedAttributeValues.name} = ${name})
        delete from ${calculatedAttributes} where ${calculatedAttributes.domainId} = ${domainId} and ${calculatedAttributes.name} = ${name} returning ${calculatedAttributes.id} as id`,
  );
  return rows.length > 0;
}

/** Objects of a type in a domain (to choose an inline or a job backfill). */
export async function countSourceObjects(db: Executor, domainId: string, objectType: string): Promise<number> {
  const src = sourceOf(objectType);
  const [r] = await query<{ n: number }>(db, sql`select count(*)::int as n from ${src.table} o where ${src.where(domainId)}`);
  return r?.n ?? 0;
}

/** The next `limit` profile ids of a domain after `after` (keyset by id), for a backfill in batches. */
export async function profileIdsAfter(db: Executor, domainId: string, after: string | null, limit: number): Promise<string[]> {
  const rows = await query<{ id: string }>(
    db,
    sql`select ${profiles.id} as id from ${profiles} where ${profiles.domainId} = ${domainId}${after ? sql` and ${profiles.id} > ${after}::uuid` : sql``} order by ${profiles.id} limit ${limit}`,
  );
  return rows.map((r) => r.id);
}

export async function countProfiles(db: Executor, domainId: string): Promise<number> {
  const [r] = await query<{ n: number }>(db, sql`select count(*)::int as n from ${profiles} where ${profiles.domainId} = ${domainId}`);
  return r?.n ?? 0;
}

/** (profile, name) pairs of a domain whose value has expired at `now`, grouped by name (at most `limit`). */
export async function expiredValues(db: Executor, domainId: string | null, now: Date, limit: number): Promise<{ domainId: string; name: string; profileIds: string[] }[]> {
  const v = calculatedAttributeValues;
  return query(
    db,
    sql`select ${v.domainId} as "domainId", ${v.name} as name, array_agg(${v.profileId}::text) as "profileIds" from (
          select ${v.domainId}, ${v.name}, ${v.profileId} from ${v}
          where ${v.validUntil} <= ${now.toISOString()}::timestamptz${domainId ? sql` and ${v.domainId} = ${domainId}` : sql``}
          limit ${limit}) ${v}
        group by 1, 2`,
  );
}

// ------------------------------------------------------------------------------- the recompute

interface Source {
  table: PgTable;
  /** A column of the source table by drizzle key. */
  column(key: string): SQL;
  time: SQL;
  json: SQL;
  attributes: SQL;
  where(domainId: string): SQL;
}

function columnOf(table: PgTable, key: string): SQL {
  const col = (table as unknown as Record<string, PgColumn>)[key];
  if (!col) throw new Error(`no column ${key}`);
  return sql`o.${sql.identifier(col.name)}`;
}

function sourceOf(objectType: string): Source {
  const builtIn = BUILT_IN_FIELDS[objectType];
  const table: PgTable = objectType === '_ctr' ? contacts : objectType === '_case' ? cases : objectType === '_order' ? orders : profileObjects;
  const column = (key: string) => columnOf(table, key);
  if (builtIn) {
    return {
      table,
      column,
      time: column(builtIn.time),
      json: sql`null::jsonb`,
      attributes: sql`o.attributes`,
      where: (domainId) => sql`o.domain_id = ${domainId} and o.profile_id is not null`,
    };
  }
  // custom objects: ordered and windowed by their last ingestion
  return {
    table,
    column,
    time: sql`o.updated_at`,
    json: sql`o.data`,
    attributes: sql`null::jsonb`,
    where: (domainId) => sql`o.domain_id = ${domainId} and o.object_type = ${objectType}`,
  };
}

/** Text that is a plain decimal number (anything else in a custom field counts as missing, never an error). */
const NUMERIC_TEXT = sql.raw(`'^ *-?[0-9]{1,15}(\\.[0-9]{1,10})? *$'`);

function refSql(src: Source, ref: FieldRef): { text: SQL; type: ValueType | 'DYNAMIC' } {
  if (ref.kind === 'column') return { text: src.column(ref.column), type: ref.type };
  const holder = ref.kind === 'json' ? src.json : src.attributes;
  return { text: sql`(${holder} ->> ${ref.key}::text)`, type: 'DYNAMIC' };
}

/** A field as a number (custom and attribute values that are not numbers: null). */
function numberOf(t: { text: SQL; type: ValueType | 'DYNAMIC' }): SQL {
  if (t.type === 'NUMBER') return sql`(${t.text})::numeric`;
  return sql`(case when ${t.text} ~ ${NUMERIC_TEXT} then trim(${t.text})::numeric end)`;
}

/** The expression in its own type (a lone field), or as a number (arithmetic; time − time in seconds). */
function exprSql(src: Source, objectType: string, e: Expr, type: ValueType): SQL {
  if (e.kind === 'field') {
    const r = refSql(src, resolveField(objectType, e.name, 'expression'));
    return type === 'NUMBER' ? numberOf(r) : r.text;
  }
  return numExpr(src, objectType, e);
}

function numExpr(src: Source, objectType: string, e: Expr): SQL {
  switch (e.kind) {
    case 'number':
      return sql`${e.value}::numeric`;
    case 'field': {
      const r = refSql(src, resolveField(objectType, e.name, 'expression'));
      return r.type === 'DATETIME' ? sql`extract(epoch from ${r.text})` : numberOf(r);
    }
    case 'neg':
      return sql`(-(${numExpr(src, objectType, e.expr)}))`;
    case 'binary': {
      const l = numExpr(src, objectType, e.left);
      const r = numExpr(src, objectType, e.right);
      if (e.op === '/') return sql`(${l} / nullif(${r}, 0))`;
      return sql`(${l} ${sql.raw(e.op)} ${r})`;
    }
  }
}

const CAST: Record<ValueType, string> = { NUMBER: 'numeric', STRING: 'text', DATETIME: 'timestamptz', BOOLEAN: 'boolean' };

function conditionSql(src: Source, objectType: string, c: ConditionSpec, i: number): SQL {
  const r = refSql(src, resolveField(objectType, c.field, `conditions[${i}].field`));
  const ordered = c.operator === 'GT' || c.operator === 'GTE' || c.operator === 'LT' || c.operator === 'LTE';
  const type: ValueType = r.type === 'DYNAMIC' ? (ordered ? 'NUMBER' : 'STRING') : r.type;
  const f = r.type === 'DYNAMIC' && type === 'NUMBER' ? numberOf(r) : r.type === 'NUMBER' ? sql`(${r.text})::numeric` : r.text;
  const cast = sql.raw(CAST[type]);
  const one = () => sql`${c.values[0]!}::${cast}`;
  const list = () => sql`${sql.param(c.values)}::${sql.raw(CAST[type])}[]`;
  switch (c.operator) {
    case 'EQUALS':
      return sql`${f} = ${one()}`;
    case 'NOT_EQUALS':
      return sql`${f} is distinct from ${one()}`;
    case 'IN':
      return sql`${f} = any(${list()})`;
    case 'NOT_IN':
      return sql`(${f} is null or not (${f} = any(${list()})))`;
    case 'CONTAINS':
      return sql`strpos(${f}, ${c.values[0]!}::text) > 0`;
    case 'BEGINS_WITH':
      return sql`left(${f}, length(${c.values[0]!}::text)) = ${c.values[0]!}::text`;
    case 'GT':
      return sql`${f} > ${one()}`;
    case 'GTE':
      return sql`${f} >= ${one()}`;
    case 'LT':
      return sql`${f} < ${one()}`;
    case 'LTE':
      return sql`${f} <= ${one()}`;
    case 'EXISTS':
      return sql`${f} is not null`;
    case 'NOT_EXISTS':
      return sql`${f} is null`;
  }
}

const THRESHOLD_OP = { EQUAL_TO: '=', NOT_EQUAL_TO: '<>', GREATER_THAN: '>', GREATER_THAN_OR_EQUAL: '>=', LESS_THAN: '<', LESS_THAN_OR_EQUAL: '<=' } as const;

/** Which profiles a recompute covers: these ids, or every profile of the domain. */
export type ProfileSet = { ids: readonly string[] } | 'all';

/**
 * The CTEs computing the values of definitions over ONE object type for a set of profiles (prefix
 * `p`), reading the type's objects once: `<p>_s` scans the profiles' objects (the OR of the
 * definitions' windows and conditions, when none is unconditional) with each definition's value
 * `v<i>`, its filter `c<i>` (window + conditions) and, for `lastObjects`, its rank `r<i>` among the
 * objects passing `c<i>`; `<p>_a` aggregates every definition at once (FILTER), one row per profile;
 * a MAX_OCCURRENCE definition adds its own grouping over `<p>_s`. Returns the CTEs and the select of
 * `(profile_id, name, value_number, value_text, value_bool, value_time, definition_version,
 * last_object_at, valid_until)` rows — one per (profile, definition) with at least one object.
 */
function typeCtes(domainId: string, defs: readonly DefinitionCore[], profilesIn: ProfileSet, p: string): { ctes: SQL[]; rows: SQL } {
  const objectType = defs[0]!.objectType;
  const src = sourceOf(objectType);
  const ident = (n: string) => sql.identifier(`${p}_${n}`);
  const col = (n: string) => sql.identifier(n);
  const scanCols: SQL[] = [sql`o.profile_id`, sql`o.id`, sql`${src.time} as ts`];
  const filters: (SQL | null)[] = [];
  defs.forEach((def, i) => {
    const spec = def.spec;
    const exprType = spec.expression ? (spec.statistic === 'COUNT' ? 'STRING' : spec.statisticType) : 'NUMBER';
    // COUNT over an expression counts objects where it has a value: its type does not matter, only null-ness
    const v = spec.expression
      ? spec.statistic === 'COUNT'
        ? sql`(${exprSql(src, objectType, spec.expression, spec.expression.kind === 'field' ? 'STRING' : 'NUMBER')})::text`
        : exprSql(src, objectType, spec.expression, exprType)
      : sql`1`;
    const w = spec.window;
    const parts: SQL[] = [];
    // in the window while younger than lastDays: an object leaves it exactly at its time + lastDays (valid_until)
    if (w?.lastDays) parts.push(sql`${src.time} > ${sql.placeholder(`since${w.lastDays}`)}::timestamptz`);
    if (w?.from) parts.push(sql`${src.time} >= ${w.from}::timestamptz`);
    if (w?.to) parts.push(sql`${src.time} < ${w.to}::timestamptz`);
    parts.push(...spec.conditions.map((c, j) => conditionSql(src, objectType, c, j)));
    const c = parts.length === 0 ? null : sql.join(parts.map((x) => sql`(${x})`), sql` and `);
    filters.push(c);
    scanCols.push(sql`${v} as ${col(`v${i}`)}`, sql`${c ?? sql`true`} as ${col(`c${i}`)}`);
    if (w?.lastObjects) scanCols.push(sql`row_number() over (partition by o.profile_id, ${c ?? sql`true`} order by ${src.time} desc, o.id desc) as ${col(`r${i}`)}`);
  });
  const onProfiles = profilesIn === 'all' ? sql`` : sql` and o.profile_id = any(${sql.placeholder('ids')}::uuid[])`;
  const anyOf = filters.some((f) => f === null) ? sql`` : sql` and (${sql.join(filters.map((f) => sql`(${f})`), sql` or `)})`;
  const ctes: SQL[] = [sql`${ident('s')} as (select ${sql.join(scanCols, sql`, `)} from ${src.table} o where ${src.where(domainId)}${onProfiles}${anyOf})`];
  const aggCols: SQL[] = [sql`profile_id`];
  const rows: SQL[] = [];
  defs.forEach((def, i) => {
    const spec = def.spec;
    const v = col(`v${i}`);
    const f = sql`${col(`c${i}`)} and ${v} is not null${spec.window?.lastObjects ? sql` and ${col(`r${i}`)} <= ${spec.window.lastObjects}` : sql``}`;
    let value: SQL;
    switch (spec.statistic) {
      case 'COUNT':
        value = sql`count(*) filter (where ${f})::numeric`;
        break;
      case 'SUM':
        value = sql`sum(${v}) filter (where ${f})`;
        break;
      case 'AVERAGE':
        value = sql`round(avg(${v}) filter (where ${f}), 4)`;
        break;
      case 'MINIMUM':
        value = sql`min(${v}) filter (where ${f})`;
        break;
      case 'MAXIMUM':
        value = sql`max(${v}) filter (where ${f})`;
        break;
      case 'FIRST_OCCURRENCE':
        value = sql`(array_agg(${v} order by ts asc, id asc) filter (where ${f}))[1]`;
        break;
      case 'LAST_OCCURRENCE':
        value = sql`(array_agg(${v} order by ts desc, id desc) filter (where ${f}))[1]`;
        break;
      case 'MAX_OCCURRENCE':
        // the most frequent value; ties go to the value seen most recently, then the smallest
        ctes.push(
          sql`${ident(`o${i}`)} as (select distinct on (profile_id) profile_id, v from (select profile_id, ${v} as v, count(*) as n, max(ts) as latest from ${ident('s')} where ${f} group by profile_id, ${v}) x order by profile_id, n desc, latest desc, v asc)`,
        );
        value = sql`null`;
        break;
    }
    aggCols.push(sql`${value} as ${col(`val${i}`)}`, sql`count(*) filter (where ${f}) as ${col(`n${i}`)}`, sql`max(ts) filter (where ${f}) as ${col(`l${i}`)}`, sql`min(ts) filter (where ${f}) as ${col(`m${i}`)}`);
    const val = spec.statistic === 'MAX_OCCURRENCE' ? sql`(select b.v from ${ident(`o${i}`)} b where b.profile_id = a.profile_id)` : sql`a.${col(`val${i}`)}`;
    const t = spec.statisticType;
    const typed = (type: ValueType) => (t === type ? sql`${val}::${sql.raw(CAST[type])}` : sql`null::${sql.raw(CAST[type])}`);
    const th = spec.threshold;
    const bool = th ? sql`(${val} ${sql.raw(THRESHOLD_OP[th.operator])} ${th.value}::${sql.raw(CAST[t])})` : sql`null::boolean`;
    const validUntil = spec.window?.lastDays ? sql`a.${col(`m${i}`)} + make_interval(days => ${spec.window.lastDays}::int)` : sql`null::timestamptz`;
    rows.push(
      sql`select a.profile_id, ${def.name}::text as name, ${typed('NUMBER')} as value_number, ${typed('STRING')} as value_text, ${bool} as value_bool, ${typed('DATETIME')} as value_time,
          ${def.version}::int as definition_version, a.${col(`l${i}`)} as last_object_at, ${validUntil} as valid_until from ${ident('a')} a where a.${col(`n${i}`)} > 0`,
    );
  });
  ctes.splice(1, 0, sql`${ident('a')} as (select ${sql.join(aggCols, sql`, `)} from ${ident('s')} group by profile_id)`);
  return { ctes, rows: sql.join(rows, sql` union all `) };
}

/** A (profile, calculated attribute) whose stored value a recompute changed (written or removed). */
export interface ChangedValue {
  profileId: string;
  name: string;
}

/**
 * Recomputes the values of `defs` for a set of profiles from their source rows, in ONE statement
 * whatever the number of profiles or definitions: each object type's objects read once
 * ({@link typeCtes}), then one delete (values whose definition has no object left) and one upsert.
 * Unchanged values are not rewritten; returns the ones that changed. `restorePlanMode`: the
 * transaction was switched to generic plans by {@link definitionsForWrite}; put its mode back.
 */
export async function recomputeValues(db: Executor, domainId: string, defs: readonly DefinitionCore[], profilesIn: ProfileSet, now: Date, restorePlanMode = false): Promise<ChangedValue[]> {
  if (defs.length === 0 || (profilesIn !== 'all' && profilesIn.ids.length === 0)) return [];
  const values: Record<string, unknown> = { now: now.toISOString() };
  if (profilesIn !== 'all') values.ids = [...profilesIn.ids];
  for (const d of defs) {
    const days = d.spec.window?.lastDays;
    if (days) values[`since${days}`] = new Date(now.getTime() - days * 86_400_000).toISOString();
  }
  const rows = await recomputeStatement(domainId, defs, profilesIn === 'all', restorePlanMode).run<ChangedValue>(db, values);
  return restorePlanMode ? rows.filter((r) => r.profileId !== null) : rows;
}

/**
 * The recompute statement of a definition set, built and compiled to text once: a write runs the same
 * text (values bound: profile ids, now, window starts), so Node does not rebuild ~20 CTEs per object
 * and Postgres sees one prepared statement per definition set.
 */
const recomputeStatements = new Map<string, Statement>();
const MAX_RECOMPUTE_STATEMENTS = 256;

function recomputeStatement(domainId: string, defs: readonly DefinitionCore[], all: boolean, restorePlanMode: boolean): Statement {
  const key = `${domainId}|${all ? 'all' : 'ids'}|${restorePlanMode}|${JSON.stringify(defs.map((d) => [d.name, d.version, d.objectType, d.spec]))}`;
  let statement = recomputeStatements.get(key);
  if (!statement) {
    const profilesIn: ProfileSet = all ? 'all' : { ids: [] };
    statement = new Statement(() => {
      const byType = new Map<string, DefinitionCore[]>();
      for (const d of defs) byType.set(d.objectType, [...(byType.get(d.objectType) ?? []), d]);
      const ctes: SQL[] = [];
      const rows: SQL[] = [];
      [...byType.values()].forEach((group, g) => {
        const t = typeCtes(domainId, group, profilesIn, `t${g}`);
        ctes.push(...t.ctes);
        rows.push(t.rows);
      });
      const cv = calculatedAttributeValues;
      const names = defs.map((d) => d.name);
      ctes.push(sql`vals as (${sql.join(rows, sql` union all `)})`);
      ctes.push(
        sql`del as (delete from ${cv} where ${cv.domainId} = ${domainId} and ${cv.name} = any(${sql.param(names)}::text[])${all ? sql`` : sql` and ${cv.profileId} = any(${sql.placeholder('ids')}::uuid[])`}
              and not exists (select 1 from vals a where a.profile_id = ${cv.profileId} and a.name = ${cv.name}) returning ${cv.profileId} as profile_id, ${cv.name} as name)`,
      );
      ctes.push(
        sql`ins as (insert into ${cv} (domain_id, profile_id, name, value_number, value_text, value_bool, value_time, definition_version, last_object_at, valid_until, computed_at)
              select ${domainId}::uuid, a.profile_id, a.name, a.value_number, a.value_text, a.value_bool, a.value_time, a.definition_version, a.last_object_at, a.valid_until, ${sql.placeholder('now')}::timestamptz
              from vals a
              on conflict (domain_id, profile_id, name) do update set value_number = excluded.value_number, value_text = excluded.value_text, value_bool = excluded.value_bool,
                value_time = excluded.value_time, definition_version = excluded.definition_version, last_object_at = excluded.last_object_at,
                valid_until = excluded.valid_until, computed_at = excluded.computed_at
              where (${cv.valueNumber}, ${cv.valueText}, ${cv.valueBool}, ${cv.valueTime}, ${cv.definitionVersion}, ${cv.lastObjectAt}, ${cv.validUntil})
                is distinct from (excluded.value_number, excluded.value_text, excluded.value_bool, excluded.value_time, excluded.definition_version, excluded.last_object_at, excluded.valid_until)
              returning ${cv.profileId} as profile_id, ${cv.name} as name)`,
      );
      const union = sql`select profile_id::text as "profileId", name from ins union all select profile_id::text as "profileId", name from del`;
      // the mode is put back while executing (one row from r even when nothing changed: a filter or a
      // cross join could skip it), after this statement's plan was chosen
      return restorePlanMode
        ? sql`with ${sql.join(ctes, sql`, `)} select c."profileId", c.name from (select ${RESTORE_PLAN_MODE} as m) r left join (${union}) c on true`
        : sql`with ${sql.join(ctes, sql`, `)} ${union}`;
    });
    if (recomputeStatements.size >= MAX_RECOMPUTE_STATEMENTS) recomputeStatements.delete(recomputeStatements.keys().next().value!);
    recomputeStatements.set(key, statement);
  }
  return statement;
}

// ------------------------------------------------------------------------------- reads

/**
 * One calculated attribute of a profile as read: JSON with short keys (n name, t result type,
 * st statistic, th threshold, num/txt/b/tm values, p partial, l last object ms, u valid-until ms).
 */
export interface ValueJson {
  n: string;
  t: ValueType;
  st: string;
  th: { operator: string; value: string } | null;
  num: string | null;
  txt: string | null;
  b: boolean | null;
  tm: number | null;
  p: boolean;
  l: number | null;
  u: number | null;
}

const ms = (col: SQL) => sql`floor(extract(epoch from ${col}) * 1000)::int8`;

/**
 * A select-list expression: the JSON text of the calculated attributes of the profile whose id is
 * `profileId` (every definition of the domain, by name; or only `name`).
 */
export function valuesJsonSql(domainId: string, profileId: SQL, name: string | null): SQL {
  const d = calculatedAttributes;
  const v = calculatedAttributeValues;
  return sql`(select coalesce(json_agg(json_build_object(
        'n', ${d.name}, 't', ${d.spec} ->> 'resultType', 'st', ${d.spec} ->> 'statistic', 'th', ${d.spec} -> 'threshold',
        'num', ${v.valueNumber}::text, 'txt', ${v.valueText}, 'b', ${v.valueBool}, 'tm', ${ms(sql`${v.valueTime}`)},
        'p', case when ${v.profileId} is null then ${d.backfilledVersion} is distinct from ${d.version} else ${v.definitionVersion} <> ${d.version} end,
        'l', ${ms(sql`${v.lastObjectAt}`)}, 'u', ${ms(sql`${v.validUntil}`)}) order by ${d.name}), '[]'::json)::text
      from ${d} left join ${v} on ${v.domainId} = ${d.domainId} and ${v.profileId} = ${profileId} and ${v.name} = ${d.name}
      where ${d.domainId} = ${domainId}${name === null ? sql`` : sql` and ${d.name} = ${name}`})`;
}

/** The same JSON for many profiles in one statement (the DataLoader path). */
export async function valuesByProfile(db: Executor, domainId: string, profileIds: readonly string[], name: string | null): Promise<Map<string, string>> {
  const rows = await query<{ id: string; j: string }>(
    db,
    sql`select p.pid::text as id, ${valuesJsonSql(domainId, sql`p.pid`, name)} as j from unnest(${sql.param([...profileIds])}::uuid[]) as p(pid)`,
  );
  return new Map(rows.map((r) => [r.id, r.j]));
}

/**
 * For segments (and any SQL reader): the current value of calculated attribute `def` of the profile
 * whose id is `profileId`, typed by the definition (numeric, text, boolean or timestamptz), with the
 * value of a profile that has no object in the window (0 for COUNT; its threshold on 0; else null).
 * Uses the (domain_id, profile_id, name) primary key. Values past their `valid_until` are stale:
 * call the service's `refreshExpired(scope)` first.
 */
export function calculatedValueSql(domainId: string, def: Pick<DefinitionRow, 'name' | 'spec'>, profileId: SQL): SQL {
  const v = calculatedAttributeValues;
  const spec = def.spec;
  const column = spec.resultType === 'BOOLEAN' ? v.valueBool : spec.resultType === 'NUMBER' ? v.valueNumber : spec.resultType === 'DATETIME' ? v.valueTime : v.valueText;
  const read = sql`(select ${column} from ${v} where ${v.domainId} = ${domainId} and ${v.profileId} = ${profileId} and ${v.name} = ${def.name})`;
  if (spec.statistic !== 'COUNT') return read;
  if (!spec.threshold) return sql`coalesce(${read}, 0)`;
  return sql`coalesce(${read}, 0::numeric ${sql.raw(THRESHOLD_OP[spec.threshold.operator as keyof typeof THRESHOLD_OP])} ${spec.threshold.value}::numeric)`;
}

/**
 * The profiles whose stored value of calculated attribute `def` satisfies `predicate`, as
 * `profileId in (select … from calculated_attribute_values where name = $ and predicate(value))`: a
 * sublink Postgres turns into a semi-join over the (domain_id, name, value_*) index — a hash join
 * when counting a whole domain, a primary-key probe per profile for a page or a membership check.
 * Only valid when the no-row value ({@link calculatedDefaultValue}) fails the predicate (profiles
 * without a row are then never members); the caller decides, else it uses calculatedValueSql.
 */
export function calculatedMatchSql(domainId: string, def: Pick<DefinitionRow, 'name' | 'spec'>, profileId: SQL, predicate: (value: SQL) => SQL): SQL {
  return sql`(${profileId} in (${calculatedSetSql(domainId, def, predicate)}))`;
}

/**
 * The ids of the domain's profiles whose stored value meets `predicate` — one per profile (the
 * values table's key), read through the value index; the set {@link calculatedMatchSql} tests.
 */
export function calculatedSetSql(domainId: string, def: Pick<DefinitionRow, 'name' | 'spec'>, predicate: (value: SQL) => SQL): SQL {
  const v = calculatedAttributeValues;
  const spec = def.spec;
  const column = spec.resultType === 'BOOLEAN' ? v.valueBool : spec.resultType === 'NUMBER' ? v.valueNumber : spec.resultType === 'DATETIME' ? v.valueTime : v.valueText;
  return sql`select ${v.profileId} from ${v} where ${v.domainId} = ${domainId} and ${v.name} = ${def.name} and ${predicate(sql`${column}`)}`;
}

/**
 * The value a profile with no row has (no object in the window): '0' for COUNT (or its threshold
 * decided on 0, 'true'/'false'), else null. A predicate false on it can use the index form
 * `profile_id in (select profile_id from calculated_attribute_values where domain_id = $1 and name = $2
 * and <column> <op> $3)`; otherwise use {@link calculatedValueSql}.
 */
export function calculatedDefaultValue(spec: Pick<DefinitionSpec, 'statistic' | 'threshold'>): string | null {
  if (spec.statistic !== 'COUNT') return null;
  if (!spec.threshold) return '0';
  const t = Number(spec.threshold.value);
  const ops: Record<string, boolean> = { EQUAL_TO: 0 === t, NOT_EQUAL_TO: 0 !== t, GREATER_THAN: 0 > t, GREATER_THAN_OR_EQUAL: 0 >= t, LESS_THAN: 0 < t, LESS_THAN_OR_EQUAL: 0 <= t };
  return String(ops[spec.threshold.operator]);
}

/** The column of calculated_attribute_values holding a definition's value (for index-friendly `name = $1 and <column> >= $2`). */
export function calculatedValueColumn(spec: Pick<DefinitionSpec, 'resultType'>): 'value_number' | 'value_text' | 'value_bool' | 'value_time' {
  return spec.resultType === 'BOOLEAN' ? 'value_bool' : spec.resultType === 'NUMBER' ? 'value_number' : spec.resultType === 'DATETIME' ? 'value_time' : 'value_text';
}

/**
 * Refreshes the planner statistics of the values table. A backfill writes most of its rows at once;
 * until autovacuum analyzes them, Postgres plans every statement on the table as if it were empty
 * (segment counts over calculated values ran for minutes, each maintained object took ~45 ms
 * instead of ~6 in bench:segments).
 */
export async function analyzeValues(db: Executor): Promise<void> {
  await query(db, sql`analyze ${calculatedAttributeValues}`);
}
