/** The matcher core (pure): blocking, comparison levels, term frequencies, rule levels and their guard. */
import { describe, expect, it } from 'vitest';
import { synthetic } from '../bench/identity.js';
import {
  blockPairs,
  compareAll,
  DEFAULT_BLOCKING,
  defaultFieldSpecs,
  estimateModel,
  estimateU,
  explainPair,
  matchRules,
  prepare,
  runMatching,
  scorePairs,
  type MatchRecord,
} from '../src/modules/identity/matcher.js';

const rec = (id: string, values: Record<string, string | null>): MatchRecord => ({ id, values });
const opts = { region: 'US' };

describe('blocking', () => {
  it('emits each candidate pair once across rules, skips blocks over the limit, and grows near-linearly', () => {
    const records = [
      rec('a', { firstName: 'Ann', lastName: 'Lee', emailAddress: 'ann@x.com', birthDate: '1980-01-01' }),
      rec('b', { firstName: 'Ann', lastName: 'Lee', emailAddress: 'ann@x.com', birthDate: '1980-01-01' }),
      rec('c', { firstName: 'Bo', lastName: 'Kim', emailAddress: 'bo@y.com' }),
    ];
    const prep = prepare(records, defaultFieldSpecs(), opts);
    const pairs = blockPairs(prep, DEFAULT_BLOCKING, 500);
    expect(pairs.count).toBe(1);
    expect([pairs.a[0], pairs.b[0]]).toEqual([0, 1]);
    // 30 records sharing one e-mail: a block of 30 > 10 is skipped
    const many = Array.from({ length: 30 }, (_, i) => rec(`m${i}`, { emailAddress: 'shared@x.com', firstName: `N${i}x${i}` }));
    const p2 = blockPairs(prepare(many, defaultFieldSpecs(), opts), DEFAULT_BLOCKING, 10);
    expect(p2.count).toBe(0);
    expect(p2.skippedBlocks).toBeGreaterThan(0);
    // people with varied values, each once duplicated: candidates grow with the records, not their square
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed / 4294967296);
    const word = () => Array.from({ length: 7 }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
    const people = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const v = { firstName: word(), lastName: word(), birthDate: `19${String(Math.floor(rand() * 90) + 10)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`, city: `c${Math.floor(rand() * 50)}` };
        return [rec(`${i}`, v), rec(`${i}d`, { ...v, lastName: v.lastName.slice(1) })];
      }).flat();
    const ps = blockPairs(prepare(people(1000), defaultFieldSpecs(), opts), DEFAULT_BLOCKING, 100).count;
    const pb = blockPairs(prepare(people(4000), defaultFieldSpecs(), opts), DEFAULT_BLOCKING, 100).count;
    expect(pb / ps).toBeGreaterThan(3);
    expect(pb / ps).toBeLessThan(5); // 4× the records: about 4× the pairs, not the 16× of all pairs
    // the generated scale set stays within the block bound: at most (limit − 1) / 2 pairs a record a rule
    const syn = synthetic(4000).records;
    expect(blockPairs(prepare(syn, defaultFieldSpecs(), opts), DEFAULT_BLOCKING, 100).count).toBeLessThan((syn.length * 99 * DEFAULT_BLOCKING.length) / 2);
  });
});

describe('comparison and weights', () => {
  it('levels: nickname, swapped names, near birth dates; rare values weigh more than common ones', () => {
    const people: MatchRecord[] = [
      rec('1', { firstName: 'Robert', lastName: 'Smith', birthDate: '1971-06-24' }),
      rec('2', { firstName: 'Bob', lastName: 'Smith', birthDate: '1971-06-25' }),
      rec('3', { firstName: 'Smith', lastName: 'Robert', birthDate: '1971-06-24' }),
      rec('4', { firstName: 'Zed', lastName: 'Quixley', birthDate: '1990-01-01' }),
      rec('5', { firstName: 'Zed', lastName: 'Quixley', birthDate: '1990-01-01' }),
    ];
    for (let i = 0; i < 40; i++) people.push(rec(`s${i}`, { firstName: `P${i}q`, lastName: 'Smith', birthDate: `19${10 + i}-02-03` }));
    const prep = prepare(people, defaultFieldSpecs(), opts);
    const pairs = blockPairs(prep, DEFAULT_BLOCKING, 500);
    const gamma = compareAll(prep, pairs);
    const model = estimateModel(prep, pairs, gamma, estimateU(prep));
    const level = (a: number, b: number, field: string) => explainPair(prep, model, a, b).find((f) => f.field === field)!;
    expect(level(0, 1, 'firstName').level).toBe('NICKNAME');
    expect(level(0, 1, 'birthDate').level).toBe('FUZZY');
    expect(level(0, 2, 'firstName').level).toBe('EXACT');
    expect(level(0, 2, 'lastName').level).toBe('EXACT');
    // "Smith" is shared by 43 records, "Quixley" by 2: the rare exact surname weighs more
    expect(level(3, 4, 'lastName').weight).toBeGreaterThan(level(0, 1, 'lastName').weight + 2);
    const w = scorePairs(prep, pairs, gamma, model);
    expect(w.length).toBe(pairs.count);
  });
});

describe('rule levels', () => {
  const rules = [
    { attributes: [{ name: 'EMAIL', kind: 'email' as const, fields: ['emailAddress', 'businessEmailAddress'] }] },
    { attributes: [{ name: 'LAST_NAME', kind: 'name' as const, fields: ['lastName'] }, { name: 'BIRTH_DATE', kind: 'date' as const, fields: ['birthDate'] }] },
  ];
  it('links by the first level, many-to-many across fields, and skips keys made only of common values', () => {
    const records = [
      rec('a', { emailAddress: 'A@X.com', lastName: 'Lee', birthDate: '1980-01-01' }),
      rec('b', { businessEmailAddress: 'a@x.com ', lastName: 'Lee', birthDate: '01/01/1980' }),
      rec('c', { lastName: 'LEE', birthDate: '1980-01-01' }),
      rec('d', { lastName: 'Ng', birthDate: '1970-05-05' }),
    ];
    const { edges } = matchRules(records, rules, opts, 500);
    expect(edges).toEqual([
      { a: 0, b: 1, rule: 1, attributes: ['EMAIL'] },
      { a: 0, b: 2, rule: 2, attributes: ['LAST_NAME', 'BIRTH_DATE'] },
    ]);
    // with a limit of 2, "lee" and 1980-01-01 (3 records each) are both common: rule 2 is skipped
    const guarded = matchRules(records, rules, opts, 2);
    expect(guarded.edges.map((e) => e.rule)).toEqual([1]);
    expect(guarded.skippedKeys).toBeGreaterThan(0);
    const run = runMatching(records, { ...opts, rules, lowCardinalityLimit: 500, probabilistic: false, threshold: 0.5 });
    expect(run.clusters).toHaveLength(1);
    expect(run.clusters[0]).toMatchObject({ members: [0, 1, 2], confidence: 1, method: 'RULE:1' });
  });
});
