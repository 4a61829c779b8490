/**
 * The types of calculated attribute definitions, as stored in `calculated_attributes.spec` (no
 * imports: the table file uses them).
 */
export type ValueType = 'NUMBER' | 'STRING' | 'BOOLEAN' | 'DATETIME';
export type Statistic = 'FIRST_OCCURRENCE' | 'LAST_OCCURRENCE' | 'COUNT' | 'SUM' | 'MINIMUM' | 'MAXIMUM' | 'AVERAGE' | 'MAX_OCCURRENCE';
export type ConditionOperator = 'EQUALS' | 'NOT_EQUALS' | 'IN' | 'NOT_IN' | 'CONTAINS' | 'BEGINS_WITH' | 'GT' | 'GTE' | 'LT' | 'LTE' | 'EXISTS' | 'NOT_EXISTS';
export type ThresholdOperator = 'EQUAL_TO' | 'NOT_EQUAL_TO' | 'GREATER_THAN' | 'GREATER_THAN_OR_EQUAL' | 'LESS_THAN' | 'LESS_THAN_OR_EQUAL';

/** A parsed expression. */
export type Expr =
  | { kind: 'field'; name: string }
  | { kind: 'number'; value: string }
  | { kind: 'neg'; expr: Expr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr };

/** Where a field of an object type lives: a column of a built-in table, an attribute, or a key of a custom object's JSON. */
export type FieldRef =
  | { kind: 'column'; column: string; type: ValueType }
  | { kind: 'attribute'; key: string }
  | { kind: 'json'; key: string };

export interface WindowSpec {
  lastDays?: number;
  from?: string;
  to?: string;
  lastObjects?: number;
}

export interface ConditionSpec {
  field: string;
  operator: ConditionOperator;
  values: string[];
}

export interface ThresholdSpec {
  operator: ThresholdOperator;
  value: string;
}

/** A checked definition, as stored (`calculated_attributes.spec`). */
export interface DefinitionSpec {
  /** The expression as given (null: COUNT of the objects). */
  expressionText: string | null;
  expression: Expr | null;
  statistic: Statistic;
  window: WindowSpec | null;
  conditions: ConditionSpec[];
  threshold: ThresholdSpec | null;
  /** The type of the statistic over the expression (before a threshold). */
  statisticType: ValueType;
  /** The type users read: BOOLEAN with a threshold, else statisticType. */
  resultType: ValueType;
}
