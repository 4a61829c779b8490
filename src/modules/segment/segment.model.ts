/** The segment rule tree's types (no imports: the table file uses them too). Validation is in segment.rule.ts. */
export const OPERATORS = [
  'EQUALS',
  'IN',
  'NOT_IN',
  'CONTAINS',
  'BEGINS_WITH',
  'ENDS_WITH',
  'EXISTS',
  'NOT_EXISTS',
  'GT',
  'GTE',
  'LT',
  'LTE',
  'BETWEEN',
  'NOT_BETWEEN',
  'BEFORE',
  'AFTER',
  'ON',
  'WITHIN_LAST_DAYS',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  /** A profile field (`firstName`, `address.city`, `attributes.tier`, `calculated.orderCount`), or with objectType an object field / aggregate. */
  field?: string;
  operator: Operator;
  values: string[];
  /** Object conditions only: count objects of the last N days. */
  withinDays?: number;
  /** `_ctr`, `_case`, `_order` or a custom object type: the condition is about the profile's objects. */
  objectType?: string;
}

export type Rule = { all: Rule[] } | { any: Rule[] } | { none: Rule[] } | { segment: string } | { condition: Condition };

