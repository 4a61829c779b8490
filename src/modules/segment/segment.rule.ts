/**
 * The segment rule model: a typed tree of groups (`all` / `any` / `none`), references to other
 * segments and conditions, its validation (every problem names the path of the offending clause,
 * e.g. `rule.all[2].condition.operator`), the bounds that keep hostile input cheap, and the
 * canonical form rules are stored in (so the text form round-trips exactly).
 *
 * Pure: no SQL, no database. Which fields exist is decided here; how they read is the compiler's.
 */
import { badInput } from '../../errors.js';

import { OPERATORS, type Condition, type Operator, type Rule } from './segment.model.js';

export { OPERATORS, type Condition, type Operator, type Rule };

/** Limits on one rule (hostile input stays cheap to validate, compile and run). */
export const MAX_RULE_DEPTH = 8;
export const MAX_RULE_NODES = 100;
export const MAX_VALUES = 50;
export const MAX_VALUE_LENGTH = 1000;
export const MAX_WITHIN_DAYS = 36_500;

export const SEGMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const BUILT_IN_OBJECTS = ['_ctr', '_case', '_order'] as const;
export type BuiltInObject = (typeof BUILT_IN_OBJECTS)[number];
const OBJECT_TYPE = /^(_ctr|_case|_order|[A-Za-z][A-Za-z0-9_-]{0,63})$/;

/** Standard profile fields by kind (GraphQL names). */
export const PROFILE_TEXT_FIELDS = [
  'id',
  'accountNumber',
  'additionalInformation',
  'partyType',
  'businessName',
  'firstName',
  'middleName',
  'lastName',
  'gender',
  'phoneNumber',
  'mobilePhoneNumber',
  'homePhoneNumber',
  'businessPhoneNumber',
  'emailAddress',
  'personalEmailAddress',
  'businessEmailAddress',
] as const;
export const PROFILE_DATE_FIELDS = ['birthDate'] as const;
export const PROFILE_TIME_FIELDS = ['createdAt', 'updatedAt'] as const;
export const ADDRESSES = ['address', 'shippingAddress', 'mailingAddress', 'billingAddress'] as const;
export const ADDRESS_PARTS = ['address1', 'address2', 'address3', 'address4', 'city', 'county', 'state', 'province', 'country', 'postalCode'] as const;
export const AGGREGATES = ['sum', 'min', 'max', 'avg'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** What a condition's field names, once parsed. */
export type FieldRef =
  | { kind: 'profile'; name: string; type: 'text' | 'date' | 'timestamp' }
  | { kind: 'address'; address: (typeof ADDRESSES)[number]; part: string }
  | { kind: 'attribute'; name: string }
  | { kind: 'calculated'; name: string };

/** What an object condition's field names. */
export type ObjectFieldRef = { kind: 'any' } | { kind: 'count' } | { kind: 'aggregate'; fn: Aggregate; field: string } | { kind: 'field'; field: string };

const includes = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);

/** A profile field name → what it reads, or an error message. */
export function parseProfileField(field: string): FieldRef | string {
  if (includes(PROFILE_TEXT_FIELDS, field)) return { kind: 'profile', name: field, type: 'text' };
  if (includes(PROFILE_DATE_FIELDS, field)) return { kind: 'profile', name: field, type: 'date' };
  if (includes(PROFILE_TIME_FIELDS, field)) return { kind: 'profile', name: field, type: 'timestamp' };
  const dot = field.indexOf('.');
  if (dot > 0) {
    const head = field.slice(0, dot);
    const rest = field.slice(dot + 1);
    if (includes(ADDRESSES, head)) {
      if (!includes(ADDRESS_PARTS, rest)) return `"${field}": an address part is one of ${ADDRESS_PARTS.join(', ')}.`;
      return { kind: 'address', address: head, part: rest };
    }
    if (head === 'attributes' && rest.length >= 1 && rest.length <= 255) return { kind: 'attribute', name: rest };
    if (head === 'calculated' && rest.length >= 1 && rest.length <= 255) return { kind: 'calculated', name: rest };
  }
  return `"${field.slice(0, 80)}" is not a profile field: use a standard field (${[...PROFILE_TEXT_FIELDS, ...PROFILE_DATE_FIELDS, ...PROFILE_TIME_FIELDS].join(', ')}), address.<part> (or shippingAddress, mailingAddress, billingAddress), attributes.<name> or calculated.<name>; for contacts, cases, orders and objects set objectType.`;
}

const OBJECT_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z0-9_-]{1,255})*$/;

/** An object condition's field → what it reads, or an error message. */
export function parseObjectField(field: string | undefined): ObjectFieldRef | string {
  if (field === undefined || field === '') return { kind: 'any' };
  if (field === 'count') return { kind: 'count' };
  const m = /^(sum|min|max|avg)\((.*)\)$/.exec(field);
  if (m) {
    if (!OBJECT_FIELD.test(m[2]!)) return `"${field.slice(0, 80)}": aggregate a field name, e.g. sum(totalPrice).`;
    return { kind: 'aggregate', fn: m[1] as Aggregate, field: m[2]! };
  }
  if (!OBJECT_FIELD.test(field)) return `"${field.slice(0, 80)}" is not an object field: use count, sum(<field>), min(<field>), max(<field>), avg(<field>) or a field name.`;
  return { kind: 'field', field };
}

/** Value shapes. */
export const NUMBER = /^[-+]?(\d{1,15}(\.\d{1,10})?|\.\d{1,10})$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isValidDate(v: string): boolean {
  if (!DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
export function isValidDateTime(v: string): boolean {
  return DATE_TIME.test(v) && isValidDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v));
}

/** How many values each operator takes: [min, max]. */
const ARITY: Record<Operator, [number, number]> = {
  EQUALS: [1, 1],
  IN: [1, MAX_VALUES],
  NOT_IN: [1, MAX_VALUES],
  CONTAINS: [1, MAX_VALUES],
  BEGINS_WITH: [1, MAX_VALUES],
  ENDS_WITH: [1, MAX_VALUES],
  EXISTS: [0, 0],
  NOT_EXISTS: [0, 0],
  GT: [1, 1],
  GTE: [1, 1],
  LT: [1, 1],
  LTE: [1, 1],
  BETWEEN: [2, 2],
  NOT_BETWEEN: [2, 2],
  BEFORE: [1, 1],
  AFTER: [1, 1],
  ON: [1, 1],
  WITHIN_LAST_DAYS: [1, 1],
};
export const NUMERIC_OPS: readonly Operator[] = ['GT', 'GTE', 'LT', 'LTE', 'BETWEEN', 'NOT_BETWEEN'];
export const DATE_OPS: readonly Operator[] = ['BEFORE', 'AFTER', 'ON', 'WITHIN_LAST_DAYS'];
export const TEXT_OPS: readonly Operator[] = ['CONTAINS', 'BEGINS_WITH', 'ENDS_WITH'];

/** The kinds of value an operand has, which decides the operators it takes. */
export type ValueKind = 'text' | 'number' | 'date' | 'timestamp';

/** Operators each kind of operand takes ('text' takes every one: numbers and dates are read from the text). */
export function operatorAllowed(kind: ValueKind, op: Operator): boolean {
  if (kind === 'text') return true;
  if (kind === 'number') return !TEXT_OPS.includes(op) && !DATE_OPS.includes(op);
  if (kind === 'date') return !TEXT_OPS.includes(op);
  return !TEXT_OPS.includes(op) && op !== 'IN' && op !== 'NOT_IN';
}

/** Checks the values of an operator whose operand kind is known; returns the first problem as [index, message]. */
export function valuesProblem(kind: ValueKind, op: Operator, values: readonly string[]): [number | null, string] | null {
  const [min, max] = ARITY[op];
  if (values.length < min || values.length > max) {
    const want = min === max ? (min === 0 ? 'no values' : `exactly ${min} value${min > 1 ? 's' : ''}`) : `${min}–${max} values`;
    return [null, `${op} takes ${want} (got ${values.length}).`];
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v.length > MAX_VALUE_LENGTH) return [i, `a value is at most ${MAX_VALUE_LENGTH} characters.`];
    if (op === 'WITHIN_LAST_DAYS') {
      if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > MAX_WITHIN_DAYS) return [i, `WITHIN_LAST_DAYS takes a number of days, 1–${MAX_WITHIN_DAYS} (got "${v.slice(0, 40)}").`];
      continue;
    }
    const dateLike = kind === 'date' || kind === 'timestamp' || DATE_OPS.includes(op);
    if (dateLike) {
      const timeAllowed = kind === 'timestamp' && op !== 'ON' && op !== 'EQUALS';
      if (!isValidDate(v) && !(timeAllowed && isValidDateTime(v))) {
        return [i, `"${v.slice(0, 40)}" is not a date: write YYYY-MM-DD${timeAllowed ? ' or an ISO 8601 time with offset' : ''}.`];
      }
    } else if (kind === 'number' && !NUMBER.test(v)) {
      return [i, `"${v.slice(0, 40)}" is not a number (digits, an optional sign and decimal point).`];
    } else if (NUMERIC_OPS.includes(op) && !NUMBER.test(v) && !isValidDate(v)) {
      return [i, `"${v.slice(0, 40)}" is neither a number nor a date (YYYY-MM-DD).`];
    }
  }
  if (kind === 'text' && NUMERIC_OPS.includes(op) && values.length === 2 && isValidDate(values[0]!) !== isValidDate(values[1]!)) {
    return [1, `${op} compares two numbers or two dates, not one of each.`];
  }
  if ((op === 'BETWEEN' || op === 'NOT_BETWEEN') && values.length === 2) {
    const [a, b] = values as [string, string];
    const lo = DATE.test(a) || DATE_TIME.test(a) ? Date.parse(a.length === 10 ? `${a}T00:00:00Z` : a) : Number(a);
    const hi = DATE.test(b) || DATE_TIME.test(b) ? Date.parse(b.length === 10 ? `${b}T00:00:00Z` : b) : Number(b);
    if (lo > hi) return [1, `${op} takes the low value first (${a} > ${b}).`];
  }
  return null;
}

/** The kind of operand a (valid) condition compares, when it is known without the database. */
export function operandKind(c: Condition): ValueKind {
  if (c.objectType !== undefined) {
    const f = parseObjectField(c.field);
    if (typeof f === 'string') return 'text';
    if (f.kind === 'count' || f.kind === 'aggregate') return 'number';
    return 'text'; // object fields: the compiler knows built-in columns' kinds
  }
  const f = parseProfileField(c.field ?? '');
  if (typeof f === 'string') return 'text';
  return f.kind === 'profile' ? f.type : 'text';
}

/** A refused rule: BAD_USER_INPUT naming the clause. */
export function ruleError(path: string, message: string) {
  return badInput(`${path}: ${message}`, path);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates a rule as received (GraphQL input or JSON) and returns it in canonical form:
 * conditions keep only the keys they use; nested groups of the same kind are flattened
 * (`all[a, all[b, c]]` = `all[a, b, c]`), `any` groups inside `none` are merged into it, and a group of one
 * (other than `none`) is its member. Object types and object field kinds of built-in types are
 * checked by the service (they need the domain); everything else is checked here.
 */
export function validateRule(input: unknown, path = 'rule'): Rule {
  return canonical(checkRule(input, path));
}

/** validateRule without the canonical form: paths of later checks then match the input's. */
export function checkRule(input: unknown, path = 'rule'): Rule {
  return check(input, path, 1, { nodes: 0 });
}

function check(input: unknown, path: string, depth: number, budget: { nodes: number }): Rule {
  if (++budget.nodes > MAX_RULE_NODES) throw ruleError(path, `a rule has at most ${MAX_RULE_NODES} clauses; split it into segments that reference each other.`);
  if (depth > MAX_RULE_DEPTH) throw ruleError(path, `rules nest at most ${MAX_RULE_DEPTH} levels deep.`);
  if (!isObject(input)) throw ruleError(path, 'a rule is an object with exactly one of all, any, none, segment or condition.');
  const keys = Object.keys(input).filter((k) => input[k] !== null && input[k] !== undefined);
  if (keys.length !== 1) {
    throw ruleError(path, `a rule has exactly one of all, any, none, segment or condition (got ${keys.length === 0 ? 'none' : keys.slice(0, 5).join(', ')}).`);
  }
  const key = keys[0]!;
  const value = input[key];
  switch (key) {
    case 'all':
    case 'any':
    case 'none': {
      if (!Array.isArray(value)) throw ruleError(`${path}.${key}`, 'a group is a list of rules.');
      if (value.length === 0) throw ruleError(`${path}.${key}`, 'a group needs at least one rule.');
      const members = value.map((r, i) => check(r, `${path}.${key}[${i}]`, depth + 1, budget));
      return { [key]: members } as Rule;
    }
    case 'segment': {
      if (typeof value !== 'string' || !SEGMENT_NAME.test(value)) throw ruleError(`${path}.segment`, `"${String(value).slice(0, 80)}" is not a segment name (a letter, then letters, digits, "_" or "-", ≤ 64).`);
      return { segment: value };
    }
    case 'condition':
      return { condition: checkCondition(value, `${path}.condition`) };
    default:
      throw ruleError(path, `unknown rule kind "${key.slice(0, 40)}": use all, any, none, segment or condition.`);
  }
}

function checkCondition(input: unknown, path: string): Condition {
  if (!isObject(input)) throw ruleError(path, 'a condition is an object { field, operator, values, withinDays, objectType }.');
  for (const k of Object.keys(input)) {
    if (!['field', 'operator', 'values', 'withinDays', 'objectType'].includes(k)) throw ruleError(`${path}`, `unknown condition key "${k.slice(0, 40)}".`);
  }
  const op = input.operator;
  if (typeof op !== 'string' || !includes(OPERATORS, op)) throw ruleError(`${path}.operator`, `"${String(op).slice(0, 40)}" is not an operator: use one of ${OPERATORS.join(', ')}.`);
  const rawValues = input.values ?? [];
  if (!Array.isArray(rawValues) || rawValues.some((v) => typeof v !== 'string')) throw ruleError(`${path}.values`, 'values is a list of strings.');
  if (rawValues.length > MAX_VALUES) throw ruleError(`${path}.values`, `at most ${MAX_VALUES} values.`);
  const values = rawValues as string[];
  const field = input.field === null || input.field === undefined || input.field === '' ? undefined : input.field;
  if (field !== undefined && (typeof field !== 'string' || field.length > 300)) throw ruleError(`${path}.field`, 'field is a string of at most 300 characters.');
  const objectType = input.objectType ?? undefined;
  const withinDays = input.withinDays ?? undefined;
  const c: Condition = { ...(field !== undefined ? { field } : {}), operator: op, values: [...values] };
  if (objectType !== undefined) {
    if (typeof objectType !== 'string' || !OBJECT_TYPE.test(objectType)) throw ruleError(`${path}.objectType`, `"${String(objectType).slice(0, 80)}" is not an object type name (_ctr, _case, _order or a custom type).`);
    c.objectType = objectType;
    const f = parseObjectField(field);
    if (typeof f === 'string') throw ruleError(`${path}.field`, f);
    if (f.kind === 'any' && op !== 'EXISTS' && op !== 'NOT_EXISTS') throw ruleError(`${path}.operator`, `without a field, an object condition is EXISTS or NOT_EXISTS ("has a ${objectType}"); compare count or a field otherwise.`);
    if ((f.kind === 'count' || f.kind === 'aggregate') && !operatorAllowed('number', op)) throw ruleError(`${path}.operator`, `${op} does not apply to ${field} (a number).`);
  } else {
    if (field === undefined) throw ruleError(`${path}.field`, 'a condition needs a field (or an objectType for a condition on contacts, cases, orders or objects).');
    const f = parseProfileField(field);
    if (typeof f === 'string') throw ruleError(`${path}.field`, f);
    const kind = f.kind === 'profile' ? f.type : 'text';
    if (!operatorAllowed(kind, op)) throw ruleError(`${path}.operator`, `${op} does not apply to ${field} (a ${kind === 'timestamp' ? 'time' : kind}).`);
    if (withinDays !== undefined) throw ruleError(`${path}.withinDays`, 'withinDays applies to object conditions (set objectType); for a date field use WITHIN_LAST_DAYS.');
  }
  if (withinDays !== undefined) {
    if (typeof withinDays !== 'number' || !Number.isInteger(withinDays) || withinDays < 1 || withinDays > MAX_WITHIN_DAYS) {
      throw ruleError(`${path}.withinDays`, `withinDays is a whole number of days, 1–${MAX_WITHIN_DAYS}.`);
    }
    c.withinDays = withinDays;
  }
  const problem = valuesProblem(operandKind(c), op, values);
  if (problem) throw ruleError(problem[0] === null ? `${path}.values` : `${path}.values[${problem[0]}]`, problem[1]);
  return c;
}

/** The canonical form (see validateRule); idempotent. */
export function canonical(rule: Rule): Rule {
  if ('all' in rule || 'any' in rule) {
    const kind = 'all' in rule ? 'all' : 'any';
    const members: Rule[] = [];
    for (const m of (rule as Record<string, Rule[]>)[kind]!.map(canonical)) {
      if (kind in m) members.push(...(m as Record<string, Rule[]>)[kind]!);
      else members.push(m);
    }
    return members.length === 1 ? members[0]! : ({ [kind]: members } as Rule);
  }
  if ('none' in rule) {
    // none[a, any[b, c]] = not (a or b or c) = none[a, b, c]
    const members: Rule[] = [];
    for (const m of rule.none.map(canonical)) {
      if ('any' in m) members.push(...m.any);
      else members.push(m);
    }
    return { none: members };
  }
  return rule;
}

/** Segment names a rule references directly. */
export function referencedSegments(rule: Rule): string[] {
  const out = new Set<string>();
  const walk = (r: Rule): void => {
    if ('segment' in r) out.add(r.segment);
    else if ('condition' in r) return;
    else for (const m of 'all' in r ? r.all : 'any' in r ? r.any : r.none) walk(m);
  };
  walk(rule);
  return [...out];
}

/** Whether a rule's result changes as time passes with no write (relative windows, calculated values). */
export function isTimeDependent(rule: Rule): boolean {
  if ('segment' in rule) return false;
  if ('condition' in rule) {
    const c = rule.condition;
    return c.operator === 'WITHIN_LAST_DAYS' || c.withinDays !== undefined || (c.field?.startsWith('calculated.') ?? false);
  }
  return ('all' in rule ? rule.all : 'any' in rule ? rule.any : rule.none).some(isTimeDependent);
}

/** Every condition of a rule with its path (for checks that need the domain). */
export function conditionsOf(rule: Rule, path = 'rule'): { condition: Condition; path: string }[] {
  if ('segment' in rule) return [];
  if ('condition' in rule) return [{ condition: rule.condition, path: `${path}.condition` }];
  const kind = 'all' in rule ? 'all' : 'any' in rule ? 'any' : 'none';
  return (rule as Record<string, Rule[]>)[kind]!.flatMap((m, i) => conditionsOf(m, `${path}.${kind}[${i}]`));
}
