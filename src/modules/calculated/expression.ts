/**
 * Calculated attribute definitions in Node: the expression parser (a field, or arithmetic over at
 * most two fields such as `disconnectedAt - initiatedAt`), the fields each object type offers, and
 * the checks that turn user input into a {@link DefinitionSpec}. Nothing here writes SQL: the
 * repository compiles a checked spec with parameters only (field names map to known columns or to
 * a `data ->> $param` of a custom object).
 */
import { badInput } from '../../errors.js';

import type { ValueType, Statistic, ConditionOperator, ThresholdOperator, Expr, FieldRef, WindowSpec, ConditionSpec, ThresholdSpec, DefinitionSpec } from './calculated.types.js';

export type { ValueType, Statistic, ConditionOperator, ThresholdOperator, Expr, FieldRef, WindowSpec, ConditionSpec, ThresholdSpec, DefinitionSpec } from './calculated.types.js';

export const STATISTICS: readonly Statistic[] = ['FIRST_OCCURRENCE', 'LAST_OCCURRENCE', 'COUNT', 'SUM', 'MINIMUM', 'MAXIMUM', 'AVERAGE', 'MAX_OCCURRENCE'];

/** Built-in object types: their table's fields users may name, and the time that orders objects and windows them. */
export const BUILT_IN_FIELDS: Record<string, { time: string; fields: Record<string, { column: string; type: ValueType }> }> = {
  _ctr: {
    time: 'initiatedAt',
    fields: {
      contactId: { column: 'contactId', type: 'STRING' },
      channel: { column: 'channel', type: 'STRING' },
      direction: { column: 'direction', type: 'STRING' },
      initiatedAt: { column: 'initiatedAt', type: 'DATETIME' },
      disconnectedAt: { column: 'disconnectedAt', type: 'DATETIME' },
      queue: { column: 'queue', type: 'STRING' },
      queueWaitSeconds: { column: 'queueWaitSeconds', type: 'NUMBER' },
      holdSeconds: { column: 'holdSeconds', type: 'NUMBER' },
      agentId: { column: 'agentId', type: 'STRING' },
    },
  },
  _case: {
    time: 'createdAt',
    fields: {
      caseId: { column: 'caseId', type: 'STRING' },
      title: { column: 'title', type: 'STRING' },
      status: { column: 'status', type: 'STRING' },
      reason: { column: 'reason', type: 'STRING' },
      priority: { column: 'priority', type: 'STRING' },
      createdBy: { column: 'createdBy', type: 'STRING' },
      createdAt: { column: 'createdAt', type: 'DATETIME' },
      updatedAt: { column: 'updatedAt', type: 'DATETIME' },
      closedAt: { column: 'closedAt', type: 'DATETIME' },
    },
  },
  _order: {
    time: 'orderedAt',
    fields: {
      orderId: { column: 'orderId', type: 'STRING' },
      status: { column: 'status', type: 'STRING' },
      fulfillmentStatus: { column: 'fulfillmentStatus', type: 'STRING' },
      totalPrice: { column: 'totalPrice', type: 'NUMBER' },
      currency: { column: 'currency', type: 'STRING' },
      orderedAt: { column: 'orderedAt', type: 'DATETIME' },
      cancelledAt: { column: 'cancelledAt', type: 'DATETIME' },
      updatedAt: { column: 'updatedAt', type: 'DATETIME' },
    },
  },
};

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const CUSTOM_FIELD = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const ATTRIBUTE = /^attributes\.([^\u0000]{1,255})$/su;
const MAX_EXPRESSION = 200;
const MAX_CONDITIONS = 10;
const MAX_VALUES = 50;

export function checkName(name: string): string {
  if (!NAME.test(name)) throw badInput(`name "${name.slice(0, 80)}" must start with a letter and hold 1–64 letters, digits or "_".`, 'name');
  return name;
}

/** Where a field of the object type lives (BAD_USER_INPUT naming the field and `where` otherwise). */
export function resolveField(objectType: string, name: string, where: string): FieldRef {
  const attr = ATTRIBUTE.exec(name);
  const builtIn = BUILT_IN_FIELDS[objectType];
  if (builtIn) {
    if (attr) return { kind: 'attribute', key: attr[1]! };
    const f = builtIn.fields[name];
    if (!f) throw badInput(`${where}: ${objectType} has no field "${name.slice(0, 80)}"; use one of ${Object.keys(builtIn.fields).join(', ')} or attributes.<name>.`, where);
    return { kind: 'column', column: f.column, type: f.type };
  }
  if (!CUSTOM_FIELD.test(name)) throw badInput(`${where}: "${name.slice(0, 80)}" is not a field name (letters, digits, "_" and "-").`, where);
  return { kind: 'json', key: name };
}

/** The type a field reads as when used alone (custom fields and attributes are text unless used in arithmetic). */
function fieldType(ref: FieldRef): ValueType {
  return ref.kind === 'column' ? ref.type : 'STRING';
}

// ------------------------------------------------------------------------------- the parser

type Token = { t: 'num'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if ('+-*/()'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    const num = /^(?:\d+(?:\.\d+)?)/.exec(text.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*/.exec(text.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw badInput(`expression: unexpected "${c}" at position ${i + 1}; write a field, or arithmetic (+ - * /) over at most two fields and numbers.`, 'expression');
  }
  return out;
}

/** Parses `expr := term (('+'|'-') term)*; term := unary (('*'|'/') unary)*; unary := '-' unary | number | field | '(' expr ')'`. */
export function parseExpression(text: string): Expr {
  if (text.length > MAX_EXPRESSION) throw badInput(`expression is longer than ${MAX_EXPRESSION} characters.`, 'expression');
  const tokens = tokenize(text);
  let pos = 0;
  const fail = (what: string): never => {
    throw badInput(`expression: ${what}; write a field, or arithmetic (+ - * /) over at most two fields and numbers, e.g. "disconnectedAt - initiatedAt".`, 'expression');
  };
  const peek = () => tokens[pos];
  let depth = 0;
  const expr = (): Expr => {
    if (++depth > 20) fail('too deeply nested');
    let left = term();
    for (let t = peek(); t && t.t === 'op' && (t.v === '+' || t.v === '-'); t = peek()) {
      pos++;
      left = { kind: 'binary', op: t.v as '+' | '-', left, right: term() };
    }
    depth--;
    return left;
  };
  const term = (): Expr => {
    let left = unary();
    for (let t = peek(); t && t.t === 'op' && (t.v === '*' || t.v === '/'); t = peek()) {
      pos++;
      left = { kind: 'binary', op: t.v as '*' | '/', left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    const t = peek();
    if (!t) return fail('it ends too early');
    pos++;
    if (t.t === 'num') return { kind: 'number', value: t.v };
    if (t.t === 'id') return { kind: 'field', name: t.v };
    if (t.v === '-') {
      if (++depth > 20) fail('too deeply nested');
      const e = unary();
      depth--;
      return { kind: 'neg', expr: e };
    }
    if (t.v === '(') {
      const e = expr();
      if (peek()?.v !== ')') fail('a "(" is not closed');
      pos++;
      return e;
    }
    return fail(`unexpected "${t.v}"`);
  };
  if (tokens.length === 0) fail('it is empty');
  const e = expr();
  if (pos < tokens.length) fail(`unexpected "${tokens[pos]!.v}" at token ${pos + 1}`);
  return e;
}

export function fieldsOfExpression(e: Expr, into: string[] = []): string[] {
  if (e.kind === 'field') into.push(e.name);
  else if (e.kind === 'neg') fieldsOfExpression(e.expr, into);
  else if (e.kind === 'binary') {
    fieldsOfExpression(e.left, into);
    fieldsOfExpression(e.right, into);
  }
  return into;
}

/**
 * The type of an expression: a lone field keeps its type; arithmetic is over numbers, and a
 * difference of two times is a number of seconds. Custom fields and attributes in arithmetic are
 * read as numbers (a value that is not a number counts as missing).
 */
export function typeOf(objectType: string, e: Expr): ValueType {
  if (e.kind === 'field') return fieldType(resolveField(objectType, e.name, 'expression'));
  if (e.kind === 'number') return 'NUMBER';
  const num = (x: Expr): 'NUMBER' | 'DATETIME' => {
    if (x.kind === 'field') {
      const ref = resolveField(objectType, x.name, 'expression');
      if (ref.kind !== 'column') return 'NUMBER';
      if (ref.type === 'NUMBER' || ref.type === 'DATETIME') return ref.type;
      throw badInput(`expression: "${x.name}" is text; arithmetic needs numbers (or two times to subtract).`, 'expression');
    }
    const t = typeOf(objectType, x);
    if (t !== 'NUMBER' && t !== 'DATETIME') throw badInput('expression: arithmetic needs numbers.', 'expression');
    return t;
  };
  if (e.kind === 'neg') {
    if (num(e.expr) !== 'NUMBER') throw badInput('expression: a time cannot be negated.', 'expression');
    return 'NUMBER';
  }
  const l = num(e.left);
  const r = num(e.right);
  if (l === 'DATETIME' || r === 'DATETIME') {
    if (e.op === '-' && l === 'DATETIME' && r === 'DATETIME') return 'NUMBER';
    throw badInput('expression: times can only be subtracted from each other (the result is in seconds), e.g. "disconnectedAt - initiatedAt".', 'expression');
  }
  return 'NUMBER';
}

// ------------------------------------------------------------------------------- the definition

export interface DefinitionInput {
  objectType: string;
  expression?: string | null;
  statistic: Statistic;
  window?: { lastDays?: number | null; from?: Date | null; to?: Date | null; lastObjects?: number | null } | null;
  conditions?: readonly { field: string; operator: ConditionOperator; values?: readonly string[] | null }[] | null;
  threshold?: { operator: ThresholdOperator; value: string } | null;
}

const NUMBER_TEXT = /^-?\d{1,15}(?:\.\d{1,10})?$/;

/** An ISO time users may give (years 1–9999, which Postgres and JSON both hold), normalised; null if it is not one. */
function isoTime(v: string | Date): string | null {
  const d = v instanceof Date ? v : new Date(v);
  const t = d.getTime();
  if (Number.isNaN(t) || d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) return null;
  return d.toISOString();
}

function checkWindow(w: DefinitionInput['window']): WindowSpec | null {
  if (!w) return null;
  const set = [w.lastDays != null, w.from != null || w.to != null, w.lastObjects != null].filter(Boolean).length;
  if (set === 0) return null;
  if (set > 1) throw badInput('window: give one of lastDays, from/to, or lastObjects.', 'window');
  if (w.lastDays != null) {
    if (!Number.isInteger(w.lastDays) || w.lastDays < 1 || w.lastDays > 3660) throw badInput('window.lastDays must be a whole number of days, 1–3660.', 'window.lastDays');
    return { lastDays: w.lastDays };
  }
  if (w.lastObjects != null) {
    if (!Number.isInteger(w.lastObjects) || w.lastObjects < 1 || w.lastObjects > 1000) throw badInput('window.lastObjects must be 1–1000.', 'window.lastObjects');
    return { lastObjects: w.lastObjects };
  }
  const out: WindowSpec = {};
  for (const k of ['from', 'to'] as const) {
    const d = w[k];
    if (d == null) continue;
    const iso = isoTime(d);
    if (iso === null) throw badInput(`window.${k} is not a valid time (years 1–9999).`, `window.${k}`);
    out[k] = iso;
  }
  if (out.from && out.to && out.from >= out.to) throw badInput('window.from must be before window.to.', 'window');
  return out;
}

function checkConditions(objectType: string, list: DefinitionInput['conditions']): ConditionSpec[] {
  const conds = list ?? [];
  if (conds.length > MAX_CONDITIONS) throw badInput(`conditions: at most ${MAX_CONDITIONS}.`, 'conditions');
  return conds.map((c, i) => {
    const where = `conditions[${i}]`;
    const ref = resolveField(objectType, c.field, `${where}.field`);
    const values = [...(c.values ?? [])];
    const type = fieldType(ref);
    const arity = c.operator === 'EXISTS' || c.operator === 'NOT_EXISTS' ? 0 : c.operator === 'IN' || c.operator === 'NOT_IN' ? -1 : 1;
    if (arity === 0 && values.length > 0) throw badInput(`${where}: ${c.operator} takes no values.`, `${where}.values`);
    if (arity === 1 && values.length !== 1) throw badInput(`${where}: ${c.operator} takes exactly one value.`, `${where}.values`);
    if (arity === -1 && (values.length < 1 || values.length > MAX_VALUES)) throw badInput(`${where}: ${c.operator} takes 1–${MAX_VALUES} values.`, `${where}.values`);
    const ordered = c.operator === 'GT' || c.operator === 'GTE' || c.operator === 'LT' || c.operator === 'LTE';
    if ((c.operator === 'CONTAINS' || c.operator === 'BEGINS_WITH') && type !== 'STRING') throw badInput(`${where}: ${c.operator} applies to text fields; "${c.field}" is ${type.toLowerCase()}.`, `${where}.operator`);
    values.forEach((v, j) => {
      if (v.length > 255) throw badInput(`${where}.values[${j}] is longer than 255 characters.`, `${where}.values`);
      if (v.includes('\u0000')) throw badInput(`${where}.values[${j}] holds a NUL character.`, `${where}.values`);
      if ((type === 'NUMBER' || (ordered && ref.kind !== 'column')) && !NUMBER_TEXT.test(v)) throw badInput(`${where}.values[${j}] "${v.slice(0, 40)}" is not a number.`, `${where}.values`);
      if (type === 'DATETIME' && isoTime(v) === null) throw badInput(`${where}.values[${j}] "${v.slice(0, 40)}" is not an ISO 8601 time (years 1–9999).`, `${where}.values`);
    });
    if (ordered && type === 'STRING' && ref.kind === 'column') throw badInput(`${where}: ${c.operator} compares numbers or times; "${c.field}" is text.`, `${where}.operator`);
    return { field: c.field, operator: c.operator, values: type === 'DATETIME' ? values.map((v) => isoTime(v)!) : values };
  });
}

/** Checks a definition's input: BAD_USER_INPUT naming the offending part. */
export function checkDefinition(input: DefinitionInput): DefinitionSpec {
  const objectType = input.objectType;
  const stat = input.statistic;
  if (!STATISTICS.includes(stat)) throw badInput(`statistic must be one of ${STATISTICS.join(', ')}.`, 'statistic');
  const text = input.expression === null || input.expression === undefined || input.expression.trim() === '' ? null : input.expression.trim();
  if (text === null && stat !== 'COUNT') throw badInput(`expression is required for ${stat} (only COUNT may omit it, to count objects).`, 'expression');
  const expression = text === null ? null : parseExpression(text);
  let exprType: ValueType = 'NUMBER';
  if (expression) {
    const fields = new Set(fieldsOfExpression(expression));
    if (fields.size === 0) throw badInput('expression must name at least one field of the object type.', 'expression');
    if (fields.size > 2) throw badInput(`expression names ${fields.size} fields; at most 2 may be combined.`, 'expression');
    exprType = typeOf(objectType, expression);
    // a lone custom field or attribute summed or averaged reads as a number
    if ((stat === 'SUM' || stat === 'AVERAGE') && expression.kind === 'field' && resolveField(objectType, expression.name, 'expression').kind !== 'column') exprType = 'NUMBER';
    if ((stat === 'MINIMUM' || stat === 'MAXIMUM') && expression.kind === 'field' && resolveField(objectType, expression.name, 'expression').kind === 'json') exprType = 'NUMBER';
  }
  let statisticType: ValueType;
  switch (stat) {
    case 'COUNT':
      statisticType = 'NUMBER';
      break;
    case 'SUM':
    case 'AVERAGE':
      if (exprType !== 'NUMBER') throw badInput(`statistic ${stat} needs a number; the expression is ${exprType.toLowerCase()}.`, 'statistic');
      statisticType = 'NUMBER';
      break;
    default:
      statisticType = exprType;
  }
  let threshold: ThresholdSpec | null = null;
  if (input.threshold) {
    const { operator, value } = input.threshold;
    if (statisticType === 'NUMBER') {
      if (!NUMBER_TEXT.test(value)) throw badInput(`threshold.value "${value.slice(0, 40)}" is not a number.`, 'threshold.value');
    } else if (statisticType === 'DATETIME') {
      if (isoTime(value) === null) throw badInput(`threshold.value "${value.slice(0, 40)}" is not an ISO 8601 time (years 1–9999).`, 'threshold.value');
    } else if (operator !== 'EQUAL_TO' && operator !== 'NOT_EQUAL_TO') {
      throw badInput(`threshold.operator ${operator} compares numbers or times; this statistic is text (use EQUAL_TO or NOT_EQUAL_TO).`, 'threshold.operator');
    } else if (value.length > 255) throw badInput('threshold.value is longer than 255 characters.', 'threshold.value');
    threshold = { operator, value: statisticType === 'DATETIME' ? isoTime(value)! : value };
  }
  return {
    expressionText: text,
    expression,
    statistic: stat,
    window: checkWindow(input.window),
    conditions: checkConditions(objectType, input.conditions),
    threshold,
    statisticType,
    resultType: threshold ? 'BOOLEAN' : statisticType,
  };
}
