/**
 * Compiles a segment rule into ONE parameterised SQL condition over a profile row aliased `p`
 * (`from profiles p`): every user value, attribute name, address part, object field and segment
 * name is a bound parameter; the SQL text holds only this file's own constants (column names come
 * from the drizzle tables). References to other segments are inlined (their rules are given), with
 * cycles and total size bounded. Time ("within the last 30 days") is the `now` passed in, so a
 * ManualClock moves it in tests.
 *
 * Field kinds: standard profile columns, `address.<part>` of the four addresses, `attributes.<name>`,
 * `calculated.<name>` (through {@link CompileContext.calculated}, the one hook of the
 * calculated-attributes module), and object conditions on contacts (`_ctr`), cases (`_case`), orders (`_order`) and
 * custom object types: "has one (matching …) within N days", `count`, `sum/min/max/avg(<field>)`.
 */
import { getTableColumns, getTableName, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { cases } from '../case/case.table.js';
import { contacts } from '../contact/contact.table.js';
import { profileObjects } from '../ingest/ingest.table.js';
import { orders } from '../order/order.table.js';
import { profiles } from '../profile/profile.table.js';
import {
  isValidDate,
  operatorAllowed,
  parseObjectField,
  parseProfileField,
  ruleError,
  valuesProblem,
  type Condition,
  type Rule,
  type ValueKind,
} from './segment.rule.js';

/** A value a condition compares: SQL over `p` (or an object row `o`) and what kind of value it is. */
export interface Operand {
  expr: SQL;
  kind: ValueKind;
  /**
   * When set and it answers, a condition on this operand is `match(predicate, condition)` instead of
   * `predicate(expr)` — the same profiles, in a form an index can answer (calculated attributes:
   * see calculatedMatchSql); null keeps `predicate(expr)`.
   */
  match?: (predicate: (value: SQL) => SQL, condition: Pick<Condition, 'operator' | 'values'>) => SQL | null;
  /**
   * When set and it answers: the ids of the profiles meeting the condition, as a `select` of distinct
   * profile ids (see {@link memberSet}); null when the condition has no such form.
   */
  set?: (predicate: (value: SQL) => SQL, condition: Pick<Condition, 'operator' | 'values'>) => SQL | null;
}

/** Inlined clauses (a rule plus every segment it references, transitively) per compiled rule. */
export const MAX_COMPILED_NODES = 1000;

export interface CompileContext {
  /** "Now" for relative windows. */
  now: Date;
  /** Canonical rules of the segments references may reach, by name. */
  segments: ReadonlyMap<string, Rule>;
  /** Custom object types of the domain (built-in ones are always there). */
  objectTypes: ReadonlySet<string>;
  /**
   * THE HOOK for `calculated.<name>`: the current value of the profile's calculated attribute as an
   * operand over the profile row `p` (segment.calculated.ts builds it from the calculated-attributes
   * module), or null when the domain has no such attribute. Names stay parameters.
   */
  calculated: (name: string) => Operand | null;
  /**
   * For counting "has an object of this built-in type (within N days)": the profiles whose newest
   * such object is at or after `cutoff` (any, when null), read from a stored per-profile value that
   * is exactly that time (segment.calculated.ts finds one among the calculated attributes, e.g. the
   * default `lastOrderDate`), or null when the domain keeps none. Only {@link memberSet} asks.
   */
  newestObject?: ((type: string, timeField: string) => ((cutoff: Date | null) => SQL) | null) | undefined;
}

const DAY_MS = 86_400_000;
const col = (alias: string, c: PgColumn): SQL => sql.raw(`${alias}."${c.name}"`);
const p = (c: PgColumn): SQL => col('p', c);

const PROFILE_COLUMNS: Record<string, PgColumn> = getTableColumns(profiles) as unknown as Record<string, PgColumn>;

/** Built-in object types: table, the time their window counts from, their fields. */
interface ObjectTable {
  table: PgTable;
  name: string;
  domain: PgColumn;
  profile: PgColumn;
  window: PgColumn;
  fields: Map<string, Operand['kind']>;
  columns: Record<string, PgColumn>;
  attributes: PgColumn | null;
  /** The field (column key) whose time a window counts from. */
  windowField: string;
}

function kindOf(c: PgColumn): ValueKind | null {
  switch (c.columnType) {
    case 'PgText':
    case 'PgUUID':
      return 'text';
    case 'PgInteger':
    case 'PgNumeric':
    case 'PgBigInt53':
      return 'number';
    case 'PgTimestamp':
      return 'timestamp';
    case 'PgDateString':
    case 'PgDate':
      return 'date';
    default:
      return null;
  }
}

function objectTable(table: PgTable & { domainId: PgColumn; profileId: PgColumn }, window: PgColumn): ObjectTable {
  const columns = getTableColumns(table) as unknown as Record<string, PgColumn>;
  const fields = new Map<string, ValueKind>();
  for (const [k, c] of Object.entries(columns)) {
    if (k === 'domainId' || k === 'profileId') continue;
    const kind = kindOf(c);
    if (kind) fields.set(k, kind);
  }
  const windowField = Object.keys(columns).find((k) => columns[k] === window)!;
  return { table, name: getTableName(table), domain: table.domainId, profile: table.profileId, window, fields, columns, attributes: columns.attributes ?? null, windowField };
}

const BUILT_IN: Record<string, ObjectTable> = {
  _ctr: objectTable(contacts, contacts.initiatedAt),
  _case: objectTable(cases, cases.createdAt),
  _order: objectTable(orders, orders.orderedAt),
};

/** Object fields of a built-in type (for messages and docs). */
export function builtInObjectFields(type: string): string[] {
  return [...(BUILT_IN[type]?.fields.keys() ?? [])];
}

// ---- value readers ---------------------------------------------------------------------------

const NUMERIC_TEXT = `'^[-+]?([0-9]{1,15}([.][0-9]{1,10})?|[.][0-9]{1,10})$'`;
/** A text read as a number when it is one (null otherwise: never a cast error). */
const numberOf = (x: SQL): SQL => sql`(case when ${x} ~ ${sql.raw(NUMERIC_TEXT)} then (${x})::numeric end)`;
/** A text read as a date (its first 10 characters when they look like YYYY-MM-DD), compared as text. */
const dateTextOf = (x: SQL): SQL => sql`((case when ${x} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then left(${x}, 10) end) collate "C")`;
const text = (v: string): SQL => sql`${v}::text`;
const num = (v: string): SQL => sql`${v}::numeric`;
const day = (v: string): SQL => sql`${v}::date`;
const time = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;
const dayStart = (v: string): Date => new Date(`${v}T00:00:00Z`);
const nextDay = (v: string): Date => new Date(dayStart(v).getTime() + DAY_MS);
const dateOf = (d: Date): string => d.toISOString().slice(0, 10);
const not = (positive: SQL): SQL => sql`not coalesce(${positive}, false)`;
const anyOf = (parts: SQL[]): SQL => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`);

/** The comparison of one operand with a condition's operator and values (already validated for the kind). */
function compare(o: Operand, c: Pick<Condition, 'operator' | 'values'>, now: Date): SQL {
  const x = o.expr;
  const v = c.values;
  const op = c.operator;
  if (op === 'EXISTS') return sql`(${x} is not null)`;
  if (op === 'NOT_EXISTS') return sql`(${x} is null)`;
  const cutoff = (days: string) => new Date(now.getTime() - Number(days) * DAY_MS);
  switch (o.kind) {
    case 'number':
      switch (op) {
        case 'EQUALS':
          return sql`(${x} = ${num(v[0]!)})`;
        case 'IN':
          return sql`(${x} = any(${sql.param(v)}::text[]::numeric[]))`;
        case 'NOT_IN':
          return not(sql`(${x} = any(${sql.param(v)}::text[]::numeric[]))`);
        default:
          return ordered(x, op, v, num);
      }
    case 'date':
      switch (op) {
        case 'EQUALS':
        case 'ON':
          return sql`(${x} = ${day(v[0]!)})`;
        case 'IN':
          return sql`(${x} = any(${sql.param(v)}::text[]::date[]))`;
        case 'NOT_IN':
          return not(sql`(${x} = any(${sql.param(v)}::text[]::date[]))`);
        case 'WITHIN_LAST_DAYS':
          return sql`(${x} >= ${day(dateOf(cutoff(v[0]!)))} and ${x} <= ${day(dateOf(now))})`;
        default:
          return ordered(x, op, v, day);
      }
    case 'timestamp':
      return timeCompare(x, op, v, now);
    case 'text':
      switch (op) {
        case 'EQUALS':
          return sql`(${x} = ${text(v[0]!)})`;
        case 'IN':
          return sql`(${x} = any(${sql.param(v)}::text[]))`;
        case 'NOT_IN':
          return not(sql`(${x} = any(${sql.param(v)}::text[]))`);
        case 'CONTAINS':
          return anyOf(v.map((s) => sql`(strpos(lower(${x}), lower(${text(s)})) > 0)`));
        case 'BEGINS_WITH':
          return anyOf(v.map((s) => sql`starts_with(lower(${x}), lower(${text(s)}))`));
        case 'ENDS_WITH':
          return anyOf(v.map((s) => sql`(right(lower(${x}), char_length(${text(s)})) = lower(${text(s)}))`));
        case 'BEFORE':
          return sql`(${dateTextOf(x)} < ${text(v[0]!)})`;
        case 'AFTER':
          return sql`(${dateTextOf(x)} > ${text(v[0]!)})`;
        case 'ON':
          return sql`(${dateTextOf(x)} = ${text(v[0]!)})`;
        case 'WITHIN_LAST_DAYS':
          return sql`(${dateTextOf(x)} >= ${text(dateOf(cutoff(v[0]!)))} and ${dateTextOf(x)} <= ${text(dateOf(now))})`;
        default:
          // GT … NOT_BETWEEN: numbers, or dates when the values are dates
          return isValidDate(v[0]!) ? ordered(dateTextOf(x), op, v, text) : ordered(numberOf(x), op, v, num);
      }
  }
}

/** GT, GTE, LT, LTE, BETWEEN, NOT_BETWEEN, BEFORE, AFTER with values read by `lit`. */
function ordered(x: SQL, op: Condition['operator'], v: readonly string[], lit: (s: string) => SQL): SQL {
  switch (op) {
    case 'GT':
    case 'AFTER':
      return sql`(${x} > ${lit(v[0]!)})`;
    case 'GTE':
      return sql`(${x} >= ${lit(v[0]!)})`;
    case 'LT':
    case 'BEFORE':
      return sql`(${x} < ${lit(v[0]!)})`;
    case 'LTE':
      return sql`(${x} <= ${lit(v[0]!)})`;
    case 'BETWEEN':
      return sql`(${x} between ${lit(v[0]!)} and ${lit(v[1]!)})`;
    case 'NOT_BETWEEN':
      return not(sql`(${x} between ${lit(v[0]!)} and ${lit(v[1]!)})`);
    default:
      throw new Error(`operator ${op} is not ordered`);
  }
}

/** Timestamps: a date value means that whole UTC day (ON 2026-05-01 = [May 1, May 2)). */
function timeCompare(x: SQL, op: Condition['operator'], v: readonly string[], now: Date): SQL {
  const isDay = (s: string) => isValidDate(s);
  const start = (s: string) => (isDay(s) ? dayStart(s) : new Date(s));
  const end = (s: string) => (isDay(s) ? nextDay(s) : new Date(s));
  switch (op) {
    case 'EQUALS':
    case 'ON':
      return sql`(${x} >= ${time(dayStart(v[0]!))} and ${x} < ${time(nextDay(v[0]!))})`;
    case 'GT':
    case 'AFTER':
      return isDay(v[0]!) ? sql`(${x} >= ${time(end(v[0]!))})` : sql`(${x} > ${time(start(v[0]!))})`;
    case 'GTE':
      return sql`(${x} >= ${time(start(v[0]!))})`;
    case 'LT':
    case 'BEFORE':
      return sql`(${x} < ${time(start(v[0]!))})`;
    case 'LTE':
      return isDay(v[0]!) ? sql`(${x} < ${time(end(v[0]!))})` : sql`(${x} <= ${time(start(v[0]!))})`;
    case 'BETWEEN':
    case 'NOT_BETWEEN': {
      const upper = isDay(v[1]!) ? sql`${x} < ${time(end(v[1]!))}` : sql`${x} <= ${time(start(v[1]!))}`;
      const positive = sql`(${x} >= ${time(start(v[0]!))} and ${upper})`;
      return op === 'BETWEEN' ? positive : not(positive);
    }
    case 'WITHIN_LAST_DAYS':
      return sql`(${x} >= ${time(new Date(now.getTime() - Number(v[0]) * DAY_MS))} and ${x} <= ${time(now)})`;
    default:
      throw new Error(`operator ${op} does not apply to a time`);
  }
}

// ---- fields ------------------------------------------------------------------------------------

function profileOperand(field: string, path: string, ctx: CompileContext): Operand {
  const f = parseProfileField(field);
  if (typeof f === 'string') throw ruleError(`${path}.field`, f);
  switch (f.kind) {
    case 'profile':
      return { expr: p(PROFILE_COLUMNS[f.name]!), kind: f.type };
    case 'address':
      return { expr: sql`(${p(PROFILE_COLUMNS[f.address]!)} ->> ${text(f.part)})`, kind: 'text' };
    case 'attribute':
      return { expr: sql`(${p(profiles.attributes)} ->> ${text(f.name)})`, kind: 'text' };
    case 'calculated': {
      const operand = ctx.calculated(f.name);
      if (!operand) throw ruleError(`${path}.field`, `"${f.name.slice(0, 80)}" is not a calculated attribute of this domain (see calculatedAttributeDefinitions).`);
      return operand;
    }
  }
}

/** An object field of a built-in or custom type, read from the object row `o`. */
function objectOperand(type: string, field: string, path: string): Operand {
  const t = BUILT_IN[type];
  if (!t) {
    // custom object: the data's (nested) key, as text
    return { expr: sql`(o.data #>> ${sql.param(field.split('.'))}::text[])`, kind: 'text' };
  }
  if (field.startsWith('attributes.') && t.attributes) return { expr: sql`(${col('o', t.attributes)} ->> ${text(field.slice('attributes.'.length))})`, kind: 'text' };
  const kind = t.fields.get(field);
  if (!kind) throw ruleError(`${path}.field`, `"${field.slice(0, 80)}" is not a field of ${type}: use one of ${[...t.fields.keys()].join(', ')} or attributes.<name>.`);
  return { expr: col('o', t.columns[field]!), kind };
}

/**
 * `from <objects> o where <owned by p> [and within the window]` for an object condition; with
 * `domainId`, the domain's objects whatever their profile (the set form, {@link memberSet}).
 */
function objectsOf(type: string, withinDays: number | undefined, now: Date, domainId?: string): SQL {
  const t = BUILT_IN[type];
  const cutoff = cutoffOf(withinDays, now);
  if (t) {
    const window = cutoff ? sql` and ${col('o', t.window)} >= ${time(cutoff)}` : sql``;
    const owner = domainId === undefined ? sql`${col('o', t.domain)} = p.domain_id and ${col('o', t.profile)} = p.id` : sql`${col('o', t.domain)} = ${domainId}::uuid`;
    return sql`from ${sql.raw(`"${t.name}"`)} o where ${owner}${window}`;
  }
  const window = cutoff ? sql` and ${col('o', profileObjects.updatedAt)} >= ${time(cutoff)}` : sql``;
  const owner = domainId === undefined ? sql`o.domain_id = p.domain_id and o.object_type = ${text(type)} and o.profile_id = p.id` : sql`o.domain_id = ${domainId}::uuid and o.object_type = ${text(type)}`;
  return sql`from profile_objects o where ${owner}${window}`;
}

/** The start of a `within N days` window (null: no window). */
const cutoffOf = (withinDays: number | undefined, now: Date): Date | null => (withinDays !== undefined ? new Date(now.getTime() - withinDays * DAY_MS) : null);

/** The profile-id column of an object type's table (row alias `o`). */
const ownerOf = (type: string): SQL => (BUILT_IN[type] ? col('o', BUILT_IN[type].profile) : sql`o.profile_id`);

function checkValues(kind: ValueKind, c: Condition, path: string): void {
  if (!operatorAllowed(kind, c.operator)) throw ruleError(`${path}.operator`, `${c.operator} does not apply to ${c.field ?? c.objectType} (a ${kind === 'timestamp' ? 'time' : kind}).`);
  const problem = valuesProblem(kind, c.operator, c.values);
  if (problem) throw ruleError(problem[0] === null ? `${path}.values` : `${path}.values[${problem[0]}]`, problem[1]);
}

function condition(c: Condition, path: string, ctx: CompileContext): SQL {
  if (c.objectType === undefined) {
    const operand = profileOperand(c.field!, path, ctx);
    checkValues(operand.kind, c, path);
    const matched = operand.match?.((value) => compare({ expr: value, kind: operand.kind }, c, ctx.now), c);
    return matched ?? compare(operand, c, ctx.now);
  }
  const type = c.objectType;
  if (!BUILT_IN[type] && !ctx.objectTypes.has(type)) throw ruleError(`${path}.objectType`, `object type "${type}" does not exist in this domain (built-in: _ctr, _case, _order).`);
  const f = parseObjectField(c.field);
  if (typeof f === 'string') throw ruleError(`${path}.field`, f);
  const from = objectsOf(type, c.withinDays, ctx.now);
  switch (f.kind) {
    case 'any':
      return c.operator === 'NOT_EXISTS' ? sql`(not exists (select 1 ${from}))` : sql`(exists (select 1 ${from}))`;
    case 'count':
      checkValues('number', c, path);
      return compare({ expr: sql`(select count(*) ${from})`, kind: 'number' }, c, ctx.now);
    case 'aggregate': {
      const inner = objectOperand(type, f.field, path);
      if (inner.kind !== 'number' && inner.kind !== 'text') throw ruleError(`${path}.field`, `${f.fn}() takes a number field; ${f.field} is a ${inner.kind}.`);
      const value = inner.kind === 'number' ? inner.expr : numberOf(inner.expr);
      const agg = f.fn === 'sum' ? sql`coalesce(sum(${value}), 0)` : sql`${sql.raw(f.fn)}(${value})`;
      checkValues('number', c, path);
      return compare({ expr: sql`(select ${agg} ${from})`, kind: 'number' }, c, ctx.now);
    }
    case 'field': {
      const operand = objectOperand(type, f.field, path);
      checkValues(operand.kind, c, path);
      return sql`(exists (select 1 ${from} and ${compare(operand, c, ctx.now)}))`;
    }
  }
}

/**
 * The rule as a boolean SQL expression over `profiles p`. Throws BAD_USER_INPUT naming the clause
 * (`<path>.all[1].condition.field`) for what only compiling finds: an unknown object type or object
 * field, an operator the field's kind does not take, a missing or cyclic segment reference.
 */
export function compileRule(rule: Rule, ctx: CompileContext, path = 'rule', stack: readonly string[] = []): SQL {
  const budget = { nodes: 0 };
  return compile(rule, ctx, path, [...stack], budget);
}

function compile(rule: Rule, ctx: CompileContext, path: string, stack: string[], budget: { nodes: number }): SQL {
  if (++budget.nodes > MAX_COMPILED_NODES) {
    throw ruleError(path, `with the segments it references, the rule has more than ${MAX_COMPILED_NODES} clauses.`);
  }
  if ('condition' in rule) return condition(rule.condition, `${path}.condition`, ctx);
  if ('segment' in rule) {
    const name = rule.segment;
    if (stack.includes(name)) throw ruleError(`${path}.segment`, `referencing "${name}" makes a cycle: ${[...stack, name].join(' → ')}.`);
    const target = ctx.segments.get(name);
    if (!target) throw ruleError(`${path}.segment`, `segment "${name}" does not exist in this domain.`);
    // the referenced rule's own paths are not the caller's: report at the reference
    try {
      return compile(target, ctx, `segment ${name}: rule`, [...stack, name], budget);
    } catch (err) {
      const e = err as { details?: { field?: unknown }; message: string };
      if (typeof e.details?.field === 'string' && e.details.field.startsWith('segment ')) {
        throw ruleError(`${path}.segment`, `the referenced segment no longer compiles: ${e.message}`);
      }
      throw err;
    }
  }
  const kind = 'all' in rule ? 'all' : 'any' in rule ? 'any' : 'none';
  const members = (rule as Record<string, Rule[]>)[kind]!.map((m, i) => compile(m, ctx, `${path}.${kind}[${i}]`, stack, budget));
  if (kind === 'all') return sql`(${sql.join(members, sql` and `)})`;
  if (kind === 'any') return sql`(${sql.join(members, sql` or `)})`;
  return sql`(not coalesce((${sql.join(members, sql` or `)}), false))`;
}

/**
 * The rule as the SET of its members' ids — a `select` of distinct profile ids of the domain — when
 * it is (after unwrapping one-member `all`/`any` and segment references) a single condition that has
 * such a form: `calculated.<name>` read through the values index, or "has an object (matching …)
 * (within N days)". Counting that set reads one index and never the profiles table, which is what
 * makes `segment { count }` fast on large domains; the profiles it names are exactly those the
 * condition form matches (every object and value row belongs to a profile of its domain: foreign
 * keys with cascade). Null for any other rule (the caller counts with {@link compileRule}).
 * Compiling errors are the same as compileRule's, so call that first.
 */
export function memberSet(rule: Rule, ctx: CompileContext & { domainId: string }, stack: readonly string[] = []): SQL | null {
  const c = singleCondition(rule, ctx.segments, stack);
  if (!c) return null;
  if (c.objectType === undefined) {
    const f = parseProfileField(c.field!);
    if (typeof f === 'string' || f.kind !== 'calculated') return null;
    const operand = ctx.calculated(f.name);
    return operand?.set?.((value) => compare({ expr: value, kind: operand.kind }, c, ctx.now), c) ?? null;
  }
  const f = parseObjectField(c.field);
  if (typeof f === 'string') return null;
  if (f.kind !== 'any' && f.kind !== 'field') return null;
  if (f.kind === 'any' && c.operator === 'NOT_EXISTS') return null;
  const t = BUILT_IN[c.objectType];
  const newest = f.kind === 'any' && t ? ctx.newestObject?.(c.objectType, t.windowField) : null;
  if (newest) return newest(cutoffOf(c.withinDays, ctx.now));
  const owners = sql`select distinct ${ownerOf(c.objectType)} ${objectsOf(c.objectType, c.withinDays, ctx.now, ctx.domainId)}`;
  return f.kind === 'any' ? owners : sql`${owners} and ${compare(objectOperand(c.objectType, f.field, 'rule'), c, ctx.now)}`;
}

/**
 * The one condition a rule comes to once one-member `all`/`any` groups and segment references are
 * unwrapped, or null when it is more than one (or a reference cannot be followed).
 */
export function singleCondition(rule: Rule, segments: ReadonlyMap<string, Rule>, stack: readonly string[] = []): Condition | null {
  const seen = [...stack];
  let r = rule;
  for (let depth = 0; depth <= MAX_COMPILED_NODES; depth++) {
    if ('segment' in r) {
      if (seen.includes(r.segment)) return null;
      seen.push(r.segment);
      const target = segments.get(r.segment);
      if (!target) return null;
      r = target;
      continue;
    }
    if ('all' in r && r.all.length === 1) r = r.all[0]!;
    else if ('any' in r && r.any.length === 1) r = r.any[0]!;
    else break;
  }
  return 'condition' in r ? r.condition : null;
}

/** Whether counting this rule may use {@link CompileContext.newestObject}: one "has <built-in type> (within N days)". */
export function countsNewestObject(rule: Rule, segments: ReadonlyMap<string, Rule>, stack: readonly string[] = []): boolean {
  const c = singleCondition(rule, segments, stack);
  if (c === null || c.objectType === undefined || !BUILT_IN[c.objectType] || c.operator === 'NOT_EXISTS') return false;
  const f = parseObjectField(c.field);
  return typeof f !== 'string' && f.kind === 'any';
}
