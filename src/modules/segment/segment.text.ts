/**
 * The readable text form of a segment rule, both ways:
 *
 *   attributes.tier = 'gold' and (calculated.orderCount >= 3 or has _order within 30 days)
 *   not address.country in ('US', 'CA') and birthDate before 1990-01-01
 *   count(_ctr within 30 days) > 5 and sum(_order.totalPrice) between 100 and 500
 *   has _ctr where channel = 'VOICE' within 7 days and segment vip
 *
 * A small tokenizer and a recursive-descent parser with precedence not > and > or; parentheses
 * group. Strings are quoted with ' or " and take the escapes \\ \' \" \n \t \uXXXX; numbers and
 * dates (YYYY-MM-DD, or an ISO time) may be written bare. Errors give the position (1-based line
 * and column). `ruleToText` prints a canonical rule so that parsing it gives the same tree back.
 */
import { badInput, type AppError } from '../../errors.js';
import { canonical, checkRule, DATE, DATE_TIME, type Condition, type Operator, type Rule } from './segment.rule.js';

/** Longest text accepted (hostile input stays cheap). */
export const MAX_TEXT_LENGTH = 10_000;

type TokenKind = 'ident' | 'string' | 'number' | 'date' | 'punct' | 'end';
interface Token {
  kind: TokenKind;
  /** The value: identifier text (as written), string contents, number/date text, punctuation. */
  value: string;
  /** Offset in the text. */
  pos: number;
}

const PUNCT = ['>=', '<=', '!=', '(', ')', ',', '.', '=', '>', '<'];
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
const NAME_PART = /[A-Za-z0-9_-]/;

/** Where an offset is, for messages. */
function where(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: pos - start + 1 };
}

export function textError(text: string, pos: number, message: string): AppError {
  const { line, column } = where(text, pos);
  const at = line > 1 ? `line ${line}, column ${column}` : `column ${column}`;
  const err = badInput(`text: ${message} (at ${at}).`, 'text');
  Object.assign(err.details, { position: pos, line, column });
  return err;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    // After a '.', a path part: any name characters, digits first included (attributes.2fa).
    const afterDot = out.length > 0 && out[out.length - 1]!.kind === 'punct' && out[out.length - 1]!.value === '.' && out[out.length - 1]!.pos === i - 1;
    if (afterDot && NAME_PART.test(ch)) {
      while (i < n && NAME_PART.test(text[i]!)) i++;
      out.push({ kind: 'ident', value: text.slice(start, i), pos: start });
      continue;
    }
    if (ch === "'" || ch === '"') {
      const quote = ch;
      let value = '';
      i++;
      for (;;) {
        if (i >= n) throw textError(text, start, 'this string has no closing quote');
        const c = text[i]!;
        if (c === quote) {
          i++;
          break;
        }
        if (c === '\\') {
          const e = text[i + 1];
          if (e === undefined) throw textError(text, i, 'a backslash ends the text');
          if (e === '\\' || e === "'" || e === '"') value += e;
          else if (e === 'n') value += '\n';
          else if (e === 't') value += '\t';
          else if (e === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw textError(text, i, '\\u takes four hex digits');
            value += String.fromCharCode(parseInt(hex, 16));
            i += 4;
          } else throw textError(text, i, `unknown escape \\${e} (use \\\\, \\', \\", \\n, \\t or \\uXXXX)`);
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      out.push({ kind: 'string', value, pos: start });
      continue;
    }
    const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?/.exec(text.slice(i, i + 40));
    if (date) {
      out.push({ kind: 'date', value: date[0], pos: start });
      i += date[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(i, i + 64));
    if (num && (ch !== '-' || /\d/.test(text[i + 1] ?? ''))) {
      i += num[0].length;
      if (i < n && IDENT_PART.test(text[i]!) && text[i] !== '-') throw textError(text, start, `"${text.slice(start, i + 1)}" is not a number`);
      out.push({ kind: 'number', value: num[0], pos: start });
      continue;
    }
    if (IDENT_START.test(ch)) {
      while (i < n && IDENT_PART.test(text[i]!)) i++;
      out.push({ kind: 'ident', value: text.slice(start, i), pos: start });
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (p) {
      if (p === '!=') throw textError(text, start, '"!=" is not an operator: write not (field = value), or field not in (...)');
      out.push({ kind: 'punct', value: p, pos: start });
      i += p.length;
      continue;
    }
    throw textError(text, start, `unexpected character "${ch}"`);
  }
  out.push({ kind: 'end', value: '', pos: n });
  return out;
}

/** A parsed node with the position of its first token. */
type Node = { pos: number } & ({ all: Node[] } | { any: Node[] } | { none: Node[] } | { segment: string } | { condition: Condition });

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }
  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.value.toLowerCase() === word;
  }
  private isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.value === p;
  }
  private fail(t: Token, message: string): never {
    throw textError(this.text, t.pos, message);
  }
  private describe(t: Token): string {
    return t.kind === 'end' ? 'the end of the text' : t.kind === 'string' ? `'${t.value.slice(0, 30)}'` : `"${t.value.slice(0, 30)}"`;
  }
  private word(word: string, what?: string): Token {
    if (!this.isWord(word)) this.fail(this.peek(), `expected ${what ?? `"${word}"`}, found ${this.describe(this.peek())}`);
    return this.next();
  }
  private punct(p: string): Token {
    if (!this.isPunct(p)) this.fail(this.peek(), `expected "${p}", found ${this.describe(this.peek())}`);
    return this.next();
  }

  parse(): Node {
    if (this.peek().kind === 'end') this.fail(this.peek(), 'the rule is empty');
    const node = this.or(1);
    if (this.peek().kind !== 'end') this.fail(this.peek(), `expected "and", "or" or the end of the rule, found ${this.describe(this.peek())}`);
    return node;
  }

  private or(depth: number): Node {
    this.guard(depth);
    const first = this.and(depth);
    if (!this.isWord('or')) return first;
    const members = [first];
    while (this.isWord('or')) {
      this.next();
      members.push(this.and(depth));
    }
    return { pos: first.pos, any: members };
  }

  private and(depth: number): Node {
    const first = this.not(depth);
    if (!this.isWord('and')) return first;
    const members = [first];
    while (this.isWord('and')) {
      this.next();
      members.push(this.not(depth));
    }
    return { pos: first.pos, all: members };
  }

  private not(depth: number): Node {
    if (this.isWord('not')) {
      const t = this.next();
      this.guard(depth + 1);
      return { pos: t.pos, none: [this.not(depth + 1)] };
    }
    return this.primary(depth);
  }

  private guard(depth: number): void {
    if (depth > 16) this.fail(this.peek(), 'the rule nests too deeply');
  }

  private primary(depth: number): Node {
    const t = this.peek();
    if (this.isPunct('(')) {
      this.next();
      const inner = this.or(depth + 1);
      this.punct(')');
      return inner;
    }
    if (this.isWord('segment') && (this.peek(1).kind === 'string' || this.peek(1).kind === 'ident')) {
      this.next();
      return { pos: t.pos, segment: this.next().value };
    }
    if (this.isWord('has')) return this.has();
    const agg = t.kind === 'ident' ? t.value.toLowerCase() : '';
    if (['count', 'sum', 'min', 'max', 'avg'].includes(agg) && this.isPunct('(', 1)) return this.aggregate();
    const reserved = t.kind === 'ident' && ['and', 'or', 'not'].includes(t.value.toLowerCase());
    if ((t.kind !== 'ident' && t.kind !== 'string') || reserved) this.fail(t, `expected a condition (a field such as attributes.tier, has …, count(…)) or "(", found ${this.describe(t)}`);
    const field = this.path();
    const cmp = this.comparison(field);
    return { pos: t.pos, condition: { field, ...cmp } };
  }

  /** `has [no] TYPE [where FIELD CMP] [within N days]` */
  private has(): Node {
    const start = this.next();
    const negated = this.isWord('no') && (this.peek(1).kind === 'ident' || this.peek(1).kind === 'string');
    if (negated) this.next();
    const objectType = this.typeName();
    let field: string | undefined;
    let cmp: Pick<Condition, 'operator' | 'values'> = { operator: negated ? 'NOT_EXISTS' : 'EXISTS', values: [] };
    if (this.isWord('where')) {
      if (negated) this.fail(this.peek(), '"has no … where" is not supported: write not (has … where …)');
      this.next();
      field = this.path();
      cmp = this.comparison(field);
    }
    const withinDays = this.window();
    return { pos: start.pos, condition: { ...(field !== undefined ? { field } : {}), ...cmp, ...(withinDays !== undefined ? { withinDays } : {}), objectType } };
  }

  /** `count(TYPE [within N days]) CMP`, `sum(TYPE.FIELD [within N days]) CMP` (and min, max, avg) */
  private aggregate(): Node {
    const start = this.next();
    const fn = start.value.toLowerCase();
    this.punct('(');
    const objectType = this.typeName();
    let field = 'count';
    if (fn !== 'count') {
      this.punct('.');
      field = `${fn}(${this.path()})`;
    }
    const withinDays = this.window();
    this.punct(')');
    const cmp = this.comparison(field);
    return { pos: start.pos, condition: { field, ...cmp, ...(withinDays !== undefined ? { withinDays } : {}), objectType } };
  }

  private typeName(): string {
    const t = this.peek();
    if (t.kind !== 'ident' && t.kind !== 'string') this.fail(t, `expected an object type (_ctr, _case, _order or a custom type), found ${this.describe(t)}`);
    return this.next().value;
  }

  private window(): number | undefined {
    if (!this.isWord('within') || this.isWord('last', 1)) return undefined;
    this.next();
    const n = this.peek();
    if (n.kind !== 'number' || !/^\d+$/.test(n.value)) this.fail(n, `expected a number of days after "within", found ${this.describe(n)}`);
    this.next();
    this.word('days', '"days"');
    return Number(n.value);
  }

  /** A dotted field path; parts are names or quoted strings. */
  private path(): string {
    const parts: string[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'ident' && t.kind !== 'string') this.fail(t, `expected a field name, found ${this.describe(t)}`);
      parts.push(this.next().value);
      if (!this.isPunct('.')) break;
      this.next();
    }
    return parts.join('.');
  }

  private comparison(field: string): Pick<Condition, 'operator' | 'values'> {
    const t = this.peek();
    const one = (operator: Operator) => ({ operator, values: [this.value()] });
    if (t.kind === 'punct') {
      const ops: Record<string, Operator> = { '=': 'EQUALS', '>': 'GT', '>=': 'GTE', '<': 'LT', '<=': 'LTE' };
      const op = ops[t.value];
      if (op) {
        this.next();
        return one(op);
      }
    }
    if (t.kind === 'ident') {
      const w = t.value.toLowerCase();
      if (w === 'not') {
        const n = this.peek(1);
        const nw = n.kind === 'ident' ? n.value.toLowerCase() : '';
        if (nw === 'in' || nw === 'exists' || nw === 'between') {
          this.next();
          return this.positive(nw, true);
        }
      }
      if (['in', 'exists', 'between', 'contains', 'begins', 'starts', 'ends', 'before', 'after', 'on', 'within'].includes(w)) return this.positive(w, false);
    }
    return this.fail(t, `expected a comparison after ${field.slice(0, 60)} (=, >, >=, <, <=, in, not in, contains, begins with, ends with, exists, not exists, between, before, after, on, within last N days), found ${this.describe(t)}`);
  }

  private positive(w: string, negated: boolean): Pick<Condition, 'operator' | 'values'> {
    this.next();
    switch (w) {
      case 'in':
        return { operator: negated ? 'NOT_IN' : 'IN', values: this.list() };
      case 'exists':
        return { operator: negated ? 'NOT_EXISTS' : 'EXISTS', values: [] };
      case 'between': {
        const lo = this.value();
        this.word('and', '"and" between the two values');
        return { operator: negated ? 'NOT_BETWEEN' : 'BETWEEN', values: [lo, this.value()] };
      }
      case 'contains':
        return { operator: 'CONTAINS', values: this.valueOrList() };
      case 'begins':
      case 'starts':
        this.word('with');
        return { operator: 'BEGINS_WITH', values: this.valueOrList() };
      case 'ends':
        this.word('with');
        return { operator: 'ENDS_WITH', values: this.valueOrList() };
      case 'before':
        return { operator: 'BEFORE', values: [this.value()] };
      case 'after':
        return { operator: 'AFTER', values: [this.value()] };
      case 'on':
        return { operator: 'ON', values: [this.value()] };
      default: {
        this.word('last', '"last" (within last N days)');
        const n = this.peek();
        if (n.kind !== 'number') this.fail(n, `expected a number of days, found ${this.describe(n)}`);
        this.next();
        this.word('days', '"days"');
        return { operator: 'WITHIN_LAST_DAYS', values: [n.value] };
      }
    }
  }

  private valueOrList(): string[] {
    return this.isPunct('(') ? this.list() : [this.value()];
  }

  private list(): string[] {
    this.punct('(');
    const values = [this.value()];
    while (this.isPunct(',')) {
      this.next();
      if (values.length >= 50) this.fail(this.peek(), 'a list has at most 50 values');
      values.push(this.value());
    }
    this.punct(')');
    return values;
  }

  private value(): string {
    const t = this.peek();
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'date') return this.next().value;
    return this.fail(t, `expected a value (a quoted string, a number or a date), found ${this.describe(t)}`);
  }
}

/** Paths of the parsed tree's clauses (as checkRule names them) → their positions. */
function positions(node: Node, path: string, out: Map<string, number>): void {
  out.set(path, node.pos);
  for (const kind of ['all', 'any', 'none'] as const) {
    if (kind in node) (node as unknown as Record<string, Node[]>)[kind]!.forEach((m, i) => positions(m, `${path}.${kind}[${i}]`, out));
  }
  if ('condition' in node) out.set(`${path}.condition`, node.pos);
}

/** segment.rule.ts's `canonical`, keeping positions. */
function canonicalNode(node: Node): Node {
  if ('all' in node || 'any' in node) {
    const kind = 'all' in node ? 'all' : 'any';
    const members: Node[] = [];
    for (const m of (node as unknown as Record<string, Node[]>)[kind]!.map(canonicalNode)) {
      if (kind in m) members.push(...(m as unknown as Record<string, Node[]>)[kind]!);
      else members.push(m);
    }
    return members.length === 1 ? members[0]! : ({ pos: node.pos, [kind]: members } as unknown as Node);
  }
  if ('none' in node) {
    const members: Node[] = [];
    for (const m of node.none.map(canonicalNode)) {
      if ('any' in m) members.push(...m.any);
      else members.push(m);
    }
    return { pos: node.pos, none: members };
  }
  return node;
}

function strip(node: Node): Rule {
  if ('all' in node) return { all: node.all.map(strip) };
  if ('any' in node) return { any: node.any.map(strip) };
  if ('none' in node) return { none: node.none.map(strip) };
  if ('segment' in node) return { segment: node.segment };
  return { condition: node.condition };
}

/**
 * Parses the text form into a validated canonical rule. Syntax errors and invalid clauses are
 * BAD_USER_INPUT on `text` with the position (`extensions.position`, `line`, `column`).
 */
export function ruleFromText(text: string): Rule {
  if (text.length > MAX_TEXT_LENGTH) throw badInput(`text: a rule's text is at most ${MAX_TEXT_LENGTH} characters.`, 'text');
  // canonical first (as rules are stored), so limits and clause paths are those of the stored tree
  const node = canonicalNode(new Parser(text, tokenize(text)).parse());
  const rule = strip(node);
  try {
    return canonical(checkRule(rule));
  } catch (err) {
    const path = (err as AppError).details?.field;
    if (typeof path !== 'string') throw err;
    const map = new Map<string, number>();
    positions(node, 'rule', map);
    // the deepest known clause on the error's path
    let p = path;
    while (p && !map.has(p)) p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    const message = (err as AppError).message.replace(/^[^:]*: /, '');
    throw textError(text, map.get(p) ?? 0, message.replace(/\.$/, ''));
  }
}

// ------------------------------------------------------------------------------------------------
// Printing

const BARE_FIRST = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const BARE_PART = /^[A-Za-z0-9_-]+$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'has', 'no', 'where', 'within', 'segment', 'count', 'sum', 'min', 'max', 'avg', 'exists', 'between', 'contains', 'begins', 'starts', 'ends', 'before', 'after', 'on', 'last', 'days']);

export function quote(s: string): string {
  let out = "'";
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\u007f') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

function name(s: string, first: boolean): string {
  return (first ? BARE_FIRST.test(s) && !KEYWORDS.has(s.toLowerCase()) : BARE_PART.test(s)) ? s : quote(s);
}

/** A field path; a name with dots inside (an attribute "a.b") prints as the same dotted path, which is the same field. */
function fieldText(field: string): string {
  const [head, ...rest] = splitField(field);
  return [name(head!, true), ...rest.map((r) => name(r, false))].join('.');
}

/** attributes.<name> and calculated.<name> keep their name whole (it may hold dots). */
function splitField(field: string): string[] {
  const dot = field.indexOf('.');
  if (dot < 0) return [field];
  const head = field.slice(0, dot);
  const rest = field.slice(dot + 1);
  if (head === 'attributes' || head === 'calculated') return BARE_PART.test(rest) || !rest.includes('.') ? [head, rest] : [head, ...rest.split('.')];
  return field.split('.');
}

function valueText(v: string): string {
  if (/^-?\d+(\.\d+)?$/.test(v) || DATE.test(v) || DATE_TIME.test(v)) return v;
  return quote(v);
}

const listText = (values: readonly string[]) => `(${values.map(valueText).join(', ')})`;
const oneOrList = (values: readonly string[]) => (values.length === 1 ? valueText(values[0]!) : listText(values));

function comparisonText(c: Pick<Condition, 'operator' | 'values'>): string {
  const v = c.values;
  switch (c.operator) {
    case 'EQUALS':
      return `= ${valueText(v[0]!)}`;
    case 'IN':
      return `in ${listText(v)}`;
    case 'NOT_IN':
      return `not in ${listText(v)}`;
    case 'CONTAINS':
      return `contains ${oneOrList(v)}`;
    case 'BEGINS_WITH':
      return `begins with ${oneOrList(v)}`;
    case 'ENDS_WITH':
      return `ends with ${oneOrList(v)}`;
    case 'EXISTS':
      return 'exists';
    case 'NOT_EXISTS':
      return 'not exists';
    case 'GT':
      return `> ${valueText(v[0]!)}`;
    case 'GTE':
      return `>= ${valueText(v[0]!)}`;
    case 'LT':
      return `< ${valueText(v[0]!)}`;
    case 'LTE':
      return `<= ${valueText(v[0]!)}`;
    case 'BETWEEN':
      return `between ${valueText(v[0]!)} and ${valueText(v[1]!)}`;
    case 'NOT_BETWEEN':
      return `not between ${valueText(v[0]!)} and ${valueText(v[1]!)}`;
    case 'BEFORE':
      return `before ${valueText(v[0]!)}`;
    case 'AFTER':
      return `after ${valueText(v[0]!)}`;
    case 'ON':
      return `on ${valueText(v[0]!)}`;
    case 'WITHIN_LAST_DAYS':
      return `within last ${v[0]} days`;
  }
}

function conditionText(c: Condition): string {
  if (c.objectType === undefined) return `${fieldText(c.field!)} ${comparisonText(c)}`;
  const type = name(c.objectType, true);
  const window = c.withinDays !== undefined ? ` within ${c.withinDays} days` : '';
  const f = c.field;
  if (f === undefined) return `has ${c.operator === 'NOT_EXISTS' ? 'no ' : ''}${type}${window}`;
  if (f === 'count') return `count(${type}${window}) ${comparisonText(c)}`;
  const agg = /^(sum|min|max|avg)\((.*)\)$/.exec(f);
  if (agg) return `${agg[1]}(${type}.${fieldText(agg[2]!)}${window}) ${comparisonText(c)}`;
  return `has ${type} where ${fieldText(f)} ${comparisonText(c)}${window}`;
}

/** Precedence: or 1, and 2, not 3, atoms 4. */
function print(rule: Rule, min: number): string {
  if ('condition' in rule) return conditionText(rule.condition);
  if ('segment' in rule) return `segment ${name(rule.segment, true)}`;
  if ('any' in rule) {
    const s = rule.any.map((m) => print(m, 2)).join(' or ');
    return min > 1 ? `(${s})` : s;
  }
  if ('all' in rule) {
    const s = rule.all.map((m) => print(m, 3)).join(' and ');
    return min > 2 ? `(${s})` : s;
  }
  const inner = rule.none.length === 1 ? print(rule.none[0]!, 3) : `(${rule.none.map((m) => print(m, 2)).join(' or ')})`;
  return `not ${inner}`;
}

/** The text form of a rule (canonical form first), which `ruleFromText` parses back to the same tree. */
export function ruleToText(rule: Rule): string {
  return print(canonical(rule), 1);
}
