/**
 * Where segments meet calculated attributes: `calculated.<name>` reads the profile's current value
 * from the calculated-attributes module (its `calculatedValueSql`, one correlated lookup on the
 * values table's primary key, typed by the definition). Values whose window moved on since they
 * were computed are recomputed first (`refreshExpired`), so a rule over them is exact at "now".
 */
import { sql, type SQL } from 'drizzle-orm';
import { calculatedMatchSql, calculatedValueSql, type DefinitionRow } from '../calculated/calculated.repository.js';
import { listCalculatedAttributes, refreshExpired } from '../calculated/calculated.service.js';
import type { DomainScope } from '../scope.js';
import type { Operand } from './segment.compiler.js';
import type { Rule } from './segment.model.js';

export type CalculatedOperands = (name: string) => Operand | null;

/** No calculated attributes (rules without `calculated.` fields). */
export const noCalculated: CalculatedOperands = () => null;

/** Whether a rule (or what it reaches) reads a calculated attribute. */
export function usesCalculated(rules: Iterable<Rule>): boolean {
  for (const r of rules) if (JSON.stringify(r).includes('"calculated.')) return true;
  return false;
}

function operands(scope: DomainScope, defs: readonly DefinitionRow[]): CalculatedOperands {
  const byName = new Map(defs.map((d) => [d.name, d]));
  return (name) => {
    const def = byName.get(name);
    if (!def) return null;
    const expr = calculatedValueSql(scope.domain.id, def, sql`p.id`);
    const asText = def.spec.resultType === 'BOOLEAN';
    // Conditions read the values table through its (domain, name, value) index (calculatedMatchSql).
    const match = (predicate: (value: SQL) => SQL) =>
      calculatedMatchSql(scope.domain.id, def, sql`p.id`, asText ? (value) => predicate(sql`(${value})::text`) : predicate);
    switch (def.spec.resultType) {
      case 'NUMBER':
        return { expr, kind: 'number', match };
      case 'DATETIME':
        return { expr, kind: 'timestamp', match };
      case 'BOOLEAN':
        return { expr: sql`(${expr})::text`, kind: 'text', match }; // 'true' / 'false'
      default:
        return { expr, kind: 'text', match };
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
