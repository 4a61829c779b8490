/**
 * Where segments meet calculated attributes: `calculated.<name>` reads the profile's current value
 * from the calculated-attributes module (its `calculatedValueSql`, one correlated lookup on the
 * values table's primary key, typed by the definition). Values whose window moved on since they
 * were computed are recomputed first (`refreshExpired`), so a rule over them is exact at "now".
 */
import { sql, type SQL } from 'drizzle-orm';
import { calculatedDefaultValue, calculatedMatchSql, calculatedSetSql, calculatedValueSql, type DefinitionRow } from '../calculated/calculated.repository.js';
import { listCalculatedAttributes, refreshExpired } from '../calculated/calculated.service.js';
import type { DomainScope } from '../scope.js';
import { countsNewestObject, type CompileContext, type Operand } from './segment.compiler.js';
import type { Condition, Rule } from './segment.model.js';

export type CalculatedOperands = (name: string) => Operand | null;

/** No calculated attributes (rules without `calculated.` fields). */
export const noCalculated: CalculatedOperands = () => null;

/** Whether a rule (or what it reaches) reads a calculated attribute. */
export function usesCalculated(rules: Iterable<Rule>): boolean {
  for (const r of rules) if (JSON.stringify(r).includes('"calculated.')) return true;
  return false;
}

/**
 * Whether a condition is certainly false (or null) for a profile without a stored value, whose value
 * reads as `none` ('0' for COUNT, 'true'/'false' for a COUNT threshold, else null). Conservative: an
 * operator or value it does not decide here counts as "may hold".
 */
export function failsOn(none: string | null, c: Pick<Condition, 'operator' | 'values'>): boolean {
  const op = c.operator;
  const v = c.values ?? [];
  if (op === 'NOT_EXISTS' || op.startsWith('NOT_')) return false;
  if (none === null) return true; // null satisfies no positive operator (EXISTS included)
  if (op === 'EXISTS') return false;
  if (none === 'true' || none === 'false') {
    if (op === 'EQUALS' || op === 'IN') return !v.includes(none);
    return false;
  }
  const x = Number(none);
  const n = v.map(Number);
  if (n.some((y) => !Number.isFinite(y))) return false;
  switch (op) {
    case 'EQUALS':
    case 'IN':
      return !n.includes(x);
    case 'GT':
      return !(x > n[0]!);
    case 'GTE':
      return !(x >= n[0]!);
    case 'LT':
      return !(x < n[0]!);
    case 'LTE':
      return !(x <= n[0]!);
    case 'BETWEEN':
      return !(x >= n[0]! && x <= n[1]!);
    default:
      return false;
  }
}

/** The operands of the given definitions (exported for the compiler test). */
export function operands(scope: Pick<DomainScope, 'domain'>, defs: readonly DefinitionRow[]): CalculatedOperands {
  const byName = new Map(defs.map((d) => [d.name, d]));
  return (name) => {
    const def = byName.get(name);
    if (!def) return null;
    const expr = calculatedValueSql(scope.domain.id, def, sql`p.id`);
    const asText = def.spec.resultType === 'BOOLEAN';
    const none = calculatedDefaultValue(def.spec);
    // A condition the no-row value certainly fails reads the values table through its index
    // (calculatedMatchSql); any other keeps the per-profile read.
    const typed = (predicate: (value: SQL) => SQL) => (asText ? (value: SQL) => predicate(sql`(${value})::text`) : predicate);
    const match = (predicate: (value: SQL) => SQL, c: Pick<Condition, 'operator' | 'values'>) =>
      failsOn(none, c) ? calculatedMatchSql(scope.domain.id, def, sql`p.id`, typed(predicate)) : null;
    // the same rows as a set of profile ids (a count reads the value index alone)
    const set = (predicate: (value: SQL) => SQL, c: Pick<Condition, 'operator' | 'values'>) =>
      failsOn(none, c) ? calculatedSetSql(scope.domain.id, def, typed(predicate)) : null;
    switch (def.spec.resultType) {
      case 'NUMBER':
        return { expr, kind: 'number', match, set };
      case 'DATETIME':
        return { expr, kind: 'timestamp', match, set };
      case 'BOOLEAN':
        return { expr: sql`(${expr})::text`, kind: 'text', match, set }; // 'true' / 'false'
      default:
        return { expr, kind: 'text', match, set };
    }
  };
}

/**
 * The operands of the domain's calculated attributes, when `rules` read any (otherwise none and no
 * statement). With `refresh`, expired values are recomputed first (not inside another transaction:
 * it runs its own).
 */
export async function calculatedFor(scope: DomainScope, rules: Iterable<Rule>, refresh: boolean): Promise<CalculatedOperands> {
  if (!usesCalculated(rules)) return noCalculated;
  if (refresh) await refreshExpired(scope);
  return operands(scope, await listCalculatedAttributes(scope));
}

/**
 * The `newestObject` hook of a count: a calculated attribute that holds, for every profile with at
 * least one object of the type, exactly the time of its newest one — MAXIMUM of the type's window
 * field, no window, no conditions, no threshold, fully backfilled (e.g. the default `lastOrderDate`)
 * — turns "has _order within 30 days" into a range read of that value's index instead of a scan of
 * every order. The values are exact (kept in the writing transaction, by retention, merges and
 * unmerges), so the set is the same. Loads the definitions (one statement) only when the rule is one
 * such condition; otherwise, or with no such definition, nothing changes.
 */
export async function newestObjectFor(scope: DomainScope, rule: Rule, segments: ReadonlyMap<string, Rule>, stack: readonly string[] = []): Promise<CompileContext['newestObject']> {
  if (!countsNewestObject(rule, segments, stack)) return undefined;
  return newestObjectHook(scope.domain.id, await listCalculatedAttributes(scope));
}

/** The `newestObject` hook over these definitions (see {@link newestObjectFor}). */
export function newestObjectHook(domainId: string, defs: readonly DefinitionRow[]): NonNullable<CompileContext['newestObject']> {
  return (type, timeField) => {
    const def = defs.find(
      (d) =>
        d.objectType === type &&
        d.spec.statistic === 'MAXIMUM' &&
        d.spec.expression?.kind === 'field' &&
        d.spec.expression.name === timeField &&
        d.spec.resultType === 'DATETIME' &&
        !d.spec.window &&
        d.spec.conditions.length === 0 &&
        !d.spec.threshold &&
        d.backfilledVersion === d.version,
    );
    if (!def) return null;
    return (cutoff) => calculatedSetSql(domainId, def, (value) => (cutoff ? sql`(${value} >= ${cutoff.toISOString()}::timestamptz)` : sql`(${value} is not null)`));
  };
}
