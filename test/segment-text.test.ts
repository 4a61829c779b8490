/**
 * The segment text form on its own: random valid rule trees (seeded) print to text that parses back
 * to the same canonical tree and prints the same again; odd names and values survive quoting; and
 * the parser's errors point at the right place. (Through the API: test/segments.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { canonical, validateRule, type Rule } from '../src/modules/segment/segment.rule.js';
import { ruleFromText, ruleToText } from '../src/modules/segment/segment.text.js';
import { mulberry32 } from '../src/seed/prng.js';

const random = mulberry32(20261127);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const ODD = ["it's", 'a "quote"', 'back\\slash', 'tab\there', 'new\nline', 'ünïcødé ✓', '', ' spaced ', 'and', 'or', '(x)', "'; drop table x; --", '\u0001'];

function randomCondition(): Rule {
  switch (Math.floor(random() * 8)) {
    case 0:
      return { condition: { field: pick(['firstName', 'lastName', 'emailAddress', 'gender']), operator: pick(['EQUALS', 'CONTAINS', 'BEGINS_WITH', 'ENDS_WITH']), values: [pick(ODD.filter((v) => v !== ''))] } };
    case 1:
      return { condition: { field: `attributes.${pick(['tier', 'odd key', 'a.b', 'x-y', '2fa', "q'uote", 'or'])}`, operator: pick(['IN', 'NOT_IN']), values: [pick(ODD), pick(['gold', '12', '-3.5'])] } };
    case 2:
      return { condition: { field: pick(['attributes.score', 'calculated.orderCount']), operator: pick(['GT', 'GTE', 'LT', 'LTE']), values: [pick(['0', '3', '-1.25', '1000'])] } };
    case 3:
      return { condition: { field: pick(['birthDate', 'createdAt']), operator: pick(['BEFORE', 'AFTER', 'ON']), values: [pick(['2000-01-01', '1999-12-31'])] } };
    case 4:
      return { condition: { field: pick(['address.city', 'billingAddress.postalCode', 'attributes.x']), operator: pick(['EXISTS', 'NOT_EXISTS']), values: [] } };
    case 5:
      return { condition: { field: 'attributes.visits', operator: pick(['BETWEEN', 'NOT_BETWEEN']), values: ['1', '9'] } };
    case 6: {
      const objectType = pick(['_ctr', '_order', '_case', 'Visit', 'Shop-Order']);
      const withinDays = random() < 0.5 ? 30 : undefined;
      const c = pick([
        { operator: pick(['EXISTS', 'NOT_EXISTS']) as 'EXISTS' },
        { field: 'count', operator: 'GTE' as const, values: ['3'] },
        { field: `${pick(['sum', 'min', 'max', 'avg'])}(total)`, operator: 'LT' as const, values: ['10.5'] },
        { field: 'channel', operator: 'EQUALS' as const, values: [pick(ODD.filter((v) => v !== ''))] },
      ]);
      return { condition: { values: [], ...c, objectType, ...(withinDays ? { withinDays } : {}) } } as Rule;
    }
    default:
      return random() < 0.5 ? { segment: pick(['vip', 'gold-buyers', 'x_1']) } : { condition: { field: 'updatedAt', operator: 'WITHIN_LAST_DAYS', values: ['7'] } };
  }
}

function randomRule(depth: number): Rule {
  if (depth >= 4 || random() < 0.35) return randomCondition();
  const n = 1 + Math.floor(random() * 3);
  const members = Array.from({ length: n }, () => randomRule(depth + 1));
  return pick([{ all: members }, { any: members }, { none: members }]) as Rule;
}

describe('segment text form', () => {
  it('round-trips 500 random rules: parse(print(tree)) = canonical(tree), print(parse(text)) = text', () => {
    for (let i = 0; i < 500; i++) {
      const tree = validateRule(randomRule(0));
      const text = ruleToText(tree);
      let parsed: Rule;
      try {
        parsed = ruleFromText(text);
      } catch (err) {
        throw new Error(`${text}\n${(err as Error).message}`);
      }
      expect(parsed, text).toEqual(tree);
      expect(ruleToText(parsed)).toBe(text);
      expect(canonical(parsed)).toEqual(parsed);
    }
  });

  it('precedence: not > and > or; parentheses group', () => {
    const a = { condition: { field: 'firstName', operator: 'EXISTS', values: [] } };
    const b = { condition: { field: 'lastName', operator: 'EXISTS', values: [] } };
    const c = { condition: { field: 'gender', operator: 'EXISTS', values: [] } };
    const t = (s: string) => ruleFromText(s);
    expect(t('firstName exists or lastName exists and gender exists')).toEqual({ any: [a, { all: [b, c] }] });
    expect(t('(firstName exists or lastName exists) and gender exists')).toEqual({ all: [{ any: [a, b] }, c] });
    expect(t('not firstName exists and lastName exists')).toEqual({ all: [{ none: [a] }, b] });
    expect(t('not (firstName exists or lastName exists)')).toEqual({ none: [a, b] });
    expect(t('not not firstName exists')).toEqual({ none: [{ none: [a] }] });
    expect(t('firstName exists and (lastName exists and gender exists)')).toEqual({ all: [a, b, c] });
  });

  it('errors carry line, column and offset', () => {
    const at = (text: string) => {
      try {
        ruleFromText(text);
      } catch (err) {
        return (err as { details: Record<string, unknown> }).details;
      }
      throw new Error(`no error for ${text}`);
    };
    expect(at("firstName = 'x' and\nlastName ~ 'y'")).toMatchObject({ line: 2, column: 10, position: 29, field: 'text' });
    expect(at("firstName = 'bad \\q escape'")).toMatchObject({ line: 1, column: 18 });
    expect(at('count(_order) >= 3 and')).toMatchObject({ column: 23 });
    expect(at('')).toMatchObject({ column: 1 });
  });
});
