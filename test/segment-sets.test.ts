/**
 * Which rules `segment { count }` counts as a member set (one index read, never the profiles table)
 * and which it counts per profile. That both give the same numbers is asserted through the API in
 * test/segments.test.ts (every `expectMembers` compares the count with the listed members, and the
 * isolation test counts set-form rules in a second domain); this file pins that the set form is
 * actually chosen for the rules it names, so those tests exercise it.
 */
import { PgDialect } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { DefinitionRow } from '../src/modules/calculated/calculated.repository.js';
import { compileRule, memberSet, type CompileContext } from '../src/modules/segment/segment.compiler.js';
import { newestObjectHook, operands } from '../src/modules/segment/segment.calculated.js';
import { ruleFromText } from '../src/modules/segment/segment.text.js';
import type { DomainScope } from '../src/modules/scope.js';

const DOMAIN = '00000000-0000-4000-8000-000000000001';
const def = (name: string, statistic: string, resultType: string, threshold: unknown = null, more: Record<string, unknown> = {}, row: Record<string, unknown> = {}) =>
  ({
    name,
    objectType: '_order',
    spec: { statistic, resultType, statisticType: resultType, threshold, expression: null, expressionText: null, window: null, conditions: [], ...more },
    version: 1,
    backfilledVersion: 1,
    ...row,
  }) as unknown as DefinitionRow;
const lastOrderDate = (more: Record<string, unknown> = {}, row: Record<string, unknown> = {}) =>
  def('lastOrderDate', 'MAXIMUM', 'DATETIME', null, { expression: { kind: 'field', name: 'orderedAt' }, expressionText: 'orderedAt', ...more }, row);
const calculated = operands({ domain: { id: DOMAIN } } as unknown as Pick<DomainScope, 'domain'>, [
  def('orderCount', 'COUNT', 'NUMBER'),
  def('lastChannel', 'LAST_OCCURRENCE', 'STRING'),
  def('frequent', 'COUNT', 'BOOLEAN', { operator: 'GREATER_THAN', value: '5' }),
]);
const ctx = (segments: Record<string, string> = {}): CompileContext & { domainId: string } => ({
  now: new Date('2026-11-27T00:00:00Z'),
  segments: new Map(Object.entries(segments).map(([k, v]) => [k, ruleFromText(v)])),
  objectTypes: new Set(['Visit']),
  calculated,
  domainId: DOMAIN,
});
const dialect = new PgDialect();

function setOf(text: string, segments: Record<string, string> = {}, defs: DefinitionRow[] = []): { sql: string; params: unknown[] } | null {
  const rule = ruleFromText(text);
  compileRule(rule, ctx(segments)); // what the service does first: the rule compiles
  const set = memberSet(rule, { ...ctx(segments), newestObject: newestObjectHook(DOMAIN, defs) });
  return set ? dialect.sqlToQuery(set) : null;
}

describe('segment counts: the member-set form', () => {
  it.each([
    ['has _order', '"orders"'],
    ['has _order within 30 days', '"orders"'],
    ["has _ctr where channel = 'VOICE' within 7 days", '"contacts"'],
    ["has _case where priority in ('HIGH', 'URGENT')", '"cases"'],
    ['has Visit within 1 days', 'profile_objects'],
    ['calculated.orderCount >= 3', 'calculated_attribute_values'],
    ["calculated.lastChannel = 'CHAT'", 'calculated_attribute_values'],
    ["calculated.frequent = 'true'", 'calculated_attribute_values'],
  ])('%s reads %s alone, the domain and values as parameters', (text, table) => {
    const q = setOf(text);
    expect(q, text).not.toBeNull();
    expect(q!.sql).toContain(table);
    expect(q!.sql).not.toMatch(/\bprofiles\b/);
    expect(q!.params).toContain(DOMAIN);
    expect(q!.sql).not.toContain(DOMAIN);
  });

  it('unwraps one-member groups and segment references', () => {
    expect(setOf('segment buyers', { buyers: 'has _order within 30 days' })).not.toBeNull();
    expect(setOf('segment outer', { outer: 'segment buyers', buyers: 'calculated.orderCount > 1' })).not.toBeNull();
  });

  it.each([
    'has no _order',
    'calculated.orderCount < 1', // a profile with no value row (0) matches: read per profile
    "calculated.lastChannel not in ('CHAT')",
    "calculated.frequent = 'false'",
    "attributes.tier = 'gold'",
    'count(_order) >= 2',
    "has _order and attributes.tier = 'gold'",
    'has _order or has _ctr',
  ])('%s is counted per profile', (text) => {
    expect(setOf(text)).toBeNull();
  });

  it('"has _order (within N days)" reads the newest-order value when the domain keeps one exactly (lastOrderDate)', () => {
    for (const text of ['has _order within 30 days', 'has _order']) {
      const q = setOf(text, {}, [lastOrderDate()]);
      expect(q!.sql, text).toContain('calculated_attribute_values');
      expect(q!.sql).not.toContain('"orders"');
      expect(q!.params).toContain('lastOrderDate');
    }
    // the cutoff is "now" minus the window, as a parameter
    expect(setOf('has _order within 30 days', {}, [lastOrderDate()])!.params).toContain('2026-10-28T00:00:00.000Z');
    // not exactly "the newest order's time per profile": the orders are read
    for (const defs of [
      [lastOrderDate({ window: { lastDays: 365 } })],
      [lastOrderDate({ conditions: [{ field: 'status', operator: 'EQUALS', values: ['PAID'] }] })],
      [lastOrderDate({}, { backfilledVersion: null, version: 2 })], // a backfill is running
      [lastOrderDate({ statistic: 'MINIMUM' })],
      [def('lastOrderDate', 'MAXIMUM', 'DATETIME', null, { expression: { kind: 'field', name: 'createdAt' }, expressionText: 'createdAt' })],
      [{ ...lastOrderDate(), objectType: '_ctr' } as DefinitionRow],
    ]) {
      expect(setOf('has _order within 30 days', {}, defs)!.sql).toContain('"orders"');
    }
    // other shapes do not read it
    expect(setOf("has _order where currency = 'EUR'", {}, [lastOrderDate()])!.sql).toContain('"orders"');
    expect(setOf('has _ctr within 30 days', {}, [lastOrderDate()])!.sql).toContain('"contacts"');
  });
});
