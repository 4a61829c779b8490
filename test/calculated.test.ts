/**
 * Calculated attributes through the public API (HTTP and graphql-ws), on PGlite and Postgres: every
 * statistic and window against hand-computed values, conditions and thresholds, backfill on define
 * and on widen (inline and as a job), window expiry with the injectable clock, real-time upkeep by
 * contacts, cases, orders and custom objects, refused input, SQL-injection attempts, isolation
 * across domains, and planned reads in one statement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { sql } from 'drizzle-orm';
import { query } from '../src/db/database.js';
import { calculatedDefaultValue, calculatedValueColumn, calculatedValueSql, definitionsForWrite, findDefinition, lockProfiles, recomputeValues } from '../src/modules/calculated/calculated.repository.js';
import { DEFAULT_DEFINITIONS, installCalculatedTemplate, sweepExpired } from '../src/modules/calculated/calculated.service.js';
import { checkDefinition } from '../src/modules/calculated/expression.js';
import { TEMPLATE_CALCULATED_ATTRIBUTES } from '../src/modules/calculated/templates.js';
import { ManualClock } from '../src/modules/jobs/clock.js';
import { readAs } from './helpers/read-paths.js';
import { waitForJob } from './helpers/jobs.js';
import { startTestServer, type GqlResult, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;
const T0 = new Date('2026-06-01T12:00:00.000Z');
const clock = new ManualClock(T0);
let s: TestServer;

const at = (daysAgo: number, plusSeconds = 0) => new Date(clock.now().getTime() - daysAgo * DAY + plusSeconds * 1000).toISOString();

async function gql(key: string, q: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = await s.gql(q, variables, key);
  if (r.errors) throw new Error(`${q}: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

const PUT = `mutation($input: PutCalculatedAttributeInput!) { putCalculatedAttribute(input: $input) { name type version backfilled backfillJobId expression statistic window { lastDays lastObjects from to } conditions { field operator values } threshold { operator value } } }`;

async function put(key: string, input: Record<string, unknown>) {
  return (await gql(key, PUT, { input })).putCalculatedAttribute;
}

async function putError(key: string, input: Record<string, unknown>) {
  const r = await s.gql(PUT, { input }, key);
  expect(r.data).toBeNull();
  return r.errors![0]!;
}

async function newProfile(key: string, input: Record<string, unknown> = {}): Promise<string> {
  return (await gql(key, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input })).createProfile.id;
}

async function contact(key: string, profileId: string, input: Record<string, unknown>) {
  return gql(key, `mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, { input: { profileId, ...input } });
}

/** name → { value type isDataPartial lastObjectAt } of a profile. */
async function values(key: string, profileId: string): Promise<Record<string, { value: string | null; type: string; isDataPartial: boolean; lastObjectAt: string | null }>> {
  const d = await gql(key, `query($v: [String!]!) { searchProfiles(key: "_profileId", values: $v) { nodes { calculatedAttributes { name value type isDataPartial lastObjectAt } } } }`, { v: [profileId] });
  const list = d.searchProfiles.nodes[0].calculatedAttributes as { name: string; value: string | null; type: string; isDataPartial: boolean; lastObjectAt: string | null }[];
  return Object.fromEntries(list.map(({ name, ...rest }) => [name, rest]));
}

async function value(key: string, profileId: string, name: string): Promise<string | null> {
  const d = await gql(key, `query($v: [String!]!, $n: String!) { searchProfiles(key: "_profileId", values: $v) { nodes { calculatedAttribute(name: $n) { value } } } }`, { v: [profileId], n: name });
  return d.searchProfiles.nodes[0].calculatedAttribute?.value ?? null;
}

beforeAll(async () => {
  s = await startTestServer({ calculatedSweepCron: '' }, { clock });
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('definitions', () => {
  it('a new domain has the default calculated attributes, deletable; installDefaultCalculatedAttributes puts back what is missing', async () => {
    const { key } = await s.createDomain();
    const names = (await gql(key, `{ calculatedAttributeDefinitions { name objectType statistic type backfilled } }`)).calculatedAttributeDefinitions;
    expect(names.map((d: { name: string }) => d.name)).toEqual([
      'averageQueueWaitSeconds',
      'contactCount',
      'frequentCaller',
      'lastAgent',
      'lastChannel',
      'lastOrderDate',
      'mostFrequentChannel',
      'openCaseCount',
      'totalOrderValue',
    ]);
    expect(names.find((d: { name: string }) => d.name === 'frequentCaller')).toEqual({ name: 'frequentCaller', objectType: '_ctr', statistic: 'COUNT', type: 'BOOLEAN', backfilled: true });
    const p = await newProfile(key, { firstName: 'A' });
    await contact(key, p, { contactId: 'c1', channel: 'VOICE', initiatedAt: at(1) });
    expect(await gql(key, `mutation { deleteCalculatedAttribute(name: "contactCount") }`)).toEqual({ deleteCalculatedAttribute: true });
    const gone = await s.gql(`mutation { deleteCalculatedAttribute(name: "contactCount") }`, {}, key);
    expect(gone.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await values(key, p))['contactCount']).toBeUndefined();
    expect(await gql(key, `mutation { installDefaultCalculatedAttributes }`)).toEqual({ installDefaultCalculatedAttributes: ['contactCount'] });
    // put back and backfilled from the stored contact
    expect((await values(key, p))['contactCount']).toEqual({ value: '1', type: 'NUMBER', isDataPartial: false, lastObjectAt: at(1) });
    expect(await gql(key, `mutation { installDefaultCalculatedAttributes }`)).toEqual({ installDefaultCalculatedAttributes: [] });
  });

  it('reads one definition back as given', async () => {
    const { key } = await s.createDomain();
    const def = await put(key, {
      name: 'longVoiceCalls',
      description: 'voice calls over 5 minutes',
      objectType: '_ctr',
      expression: '(disconnectedAt - initiatedAt) / 60',
      statistic: 'COUNT',
      window: { lastDays: 90 },
      conditions: [{ field: 'channel', operator: 'IN', values: ['VOICE'] }],
      threshold: { operator: 'GREATER_THAN_OR_EQUAL', value: '2' },
    });
    expect(def).toEqual({
      name: 'longVoiceCalls',
      type: 'BOOLEAN',
      version: 1,
      backfilled: true,
      backfillJobId: null,
      expression: '(disconnectedAt - initiatedAt) / 60',
      statistic: 'COUNT',
      window: { lastDays: 90, lastObjects: null, from: null, to: null },
      conditions: [{ field: 'channel', operator: 'IN', values: ['VOICE'] }],
      threshold: { operator: 'GREATER_THAN_OR_EQUAL', value: '2' },
    });
    const one = await gql(key, `{ calculatedAttributeDefinition(name: "longVoiceCalls") { name description version } none: calculatedAttributeDefinition(name: "nope") { name } }`);
    expect(one).toEqual({ calculatedAttributeDefinition: { name: 'longVoiceCalls', description: 'voice calls over 5 minutes', version: 1 }, none: null });
    expect((await put(key, { name: 'longVoiceCalls', objectType: '_ctr', statistic: 'COUNT' })).version).toBe(2);
  });

  it('refuses invalid definitions with BAD_USER_INPUT naming the offending part', async () => {
    const { key } = await s.createDomain();
    const base = { name: 'x', objectType: '_ctr', statistic: 'SUM', expression: 'queueWaitSeconds' };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: '1abc' }, 'name', /name "1abc" must start with a letter/],
      [{ name: 'a b' }, 'name', /must start with a letter/],
      [{ expression: 'channel' }, 'statistic', /SUM needs a number; the expression is string/],
      [{ expression: 'queueWaitSeconds + holdSeconds + initiatedAt' }, 'expression', /names 3 fields; at most 2/],
      [{ expression: 'noSuchField' }, 'expression', /_ctr has no field "noSuchField"/],
      [{ expression: 'queueWaitSeconds +' }, 'expression', /ends too early/],
      [{ expression: '(queueWaitSeconds' }, 'expression', /"\(" is not closed/],
      [{ expression: 'queueWaitSeconds holdSeconds' }, 'expression', /unexpected "holdSeconds"/],
      [{ expression: 'initiatedAt + 5' }, 'expression', /times can only be subtracted/],
      [{ expression: 'channel * 2' }, 'expression', /"channel" is text/],
      [{ expression: null }, 'expression', /expression is required for SUM/],
      [{ window: { lastDays: 0 } }, 'window.lastDays', /1–3660/],
      [{ window: { lastDays: 3, lastObjects: 2 } }, 'window', /one of lastDays, from\/to, or lastObjects/],
      [{ window: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, 'window', /from must be before/],
      [{ conditions: [{ field: 'queueWaitSeconds', operator: 'GT', values: ['ten'] }] }, 'conditions[0].values', /"ten" is not a number/],
      [{ conditions: [{ field: 'channel', operator: 'EQUALS', values: ['A', 'B'] }] }, 'conditions[0].values', /exactly one value/],
      [{ conditions: [{ field: 'channel', operator: 'EXISTS', values: ['A'] }] }, 'conditions[0].values', /takes no values/],
      [{ conditions: [{ field: 'bogus', operator: 'EXISTS' }] }, 'conditions[0].field', /no field "bogus"/],
      [{ threshold: { operator: 'GREATER_THAN', value: 'many' } }, 'threshold.value', /"many" is not a number/],
      [{ objectType: 'NoSuchType', expression: 'x' }, 'objectType', /not an object type of this domain/],
      [{ objectType: "x'; drop table profiles; --" }, 'objectType', /is not an object type name/],
      [{ conditions: [{ field: 'initiatedAt', operator: 'GT', values: ['+010000-01-01T00:00:00Z'] }] }, 'conditions[0].values', /years 1–9999/],
      [{ expression: 'x'.repeat(201) }, 'expression', /longer than 200/],
    ];
    for (const [patch, field, message] of cases) {
      const e = await putError(key, { ...base, ...patch });
      expect(e.extensions!.code, JSON.stringify(patch)).toBe('BAD_USER_INPUT');
      expect(e.extensions!.field, JSON.stringify(patch)).toBe(field);
      expect(e.message, JSON.stringify(patch)).toMatch(message);
    }
    const bad = await s.gql(`mutation { putCalculatedAttribute(input: { name: "x", objectType: "_ctr", statistic: MEDIAN }) { name } }`, {}, key);
    expect(bad.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('a domain holds at most 50 calculated attributes (LIMIT_EXCEEDED); replacing one is always allowed', async () => {
    const { key } = await s.createDomain();
    for (let i = 0; i < 41; i++) await put(key, { name: `c${i}`, objectType: '_ctr', statistic: 'COUNT' }); // + the 9 defaults
    const e = await putError(key, { name: 'oneTooMany', objectType: '_ctr', statistic: 'COUNT' });
    expect(e.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 50 });
    expect((await put(key, { name: 'c0', objectType: '_case', statistic: 'COUNT' })).version).toBe(2);
  });
});

describe('every statistic and window against hand-computed values', () => {
  let key: string;
  let p: string;
  let other: string;
  // contacts of p: [days ago, channel, duration s, queue wait, agent, tier attribute]
  const contacts: [number, string, number, number | null, string | null, string][] = [
    [40, 'VOICE', 100, 10, 'a1', 'gold'],
    [20, 'CHAT', 200, 20, 'a2', 'silver'],
    [10, 'VOICE', 300, 30, 'a3', 'gold'],
    [5, 'CHAT', 50, null, null, 'gold'],
    [1, 'CHAT', 60, 40, 'a1', 'bronze'],
  ];
  const defs: Record<string, Record<string, unknown>> = {
    cnt: { statistic: 'COUNT' },
    cnt30: { statistic: 'COUNT', window: { lastDays: 30 } },
    cntAgent: { statistic: 'COUNT', expression: 'agentId' },
    sumWait: { statistic: 'SUM', expression: 'queueWaitSeconds' },
    avgWait: { statistic: 'AVERAGE', expression: 'queueWaitSeconds' },
    avgWait30: { statistic: 'AVERAGE', expression: 'queueWaitSeconds', window: { lastDays: 30 } },
    minDuration: { statistic: 'MINIMUM', expression: 'disconnectedAt - initiatedAt' },
    maxDuration: { statistic: 'MAXIMUM', expression: 'disconnectedAt - initiatedAt' },
    avgMinutes: { statistic: 'AVERAGE', expression: '(disconnectedAt - initiatedAt) / 60' },
    waitTwice: { statistic: 'SUM', expression: '-(queueWaitSeconds * -2) + 1' },
    firstChannel: { statistic: 'FIRST_OCCURRENCE', expression: 'channel' },
    lastAgent: { statistic: 'LAST_OCCURRENCE', expression: 'agentId' },
    firstContactAt: { statistic: 'MINIMUM', expression: 'initiatedAt' },
    lastContactAt: { statistic: 'LAST_OCCURRENCE', expression: 'initiatedAt' },
    lastTier: { statistic: 'LAST_OCCURRENCE', expression: 'attributes.tier' },
    minChannel: { statistic: 'MINIMUM', expression: 'channel' },
    topChannel: { statistic: 'MAX_OCCURRENCE', expression: 'channel' },
    topTier: { statistic: 'MAX_OCCURRENCE', expression: 'attributes.tier' },
    // a tie (VOICE 1, CHAT 1 between 45 and 15 days ago): the value seen most recently wins
    topChannelTie: { statistic: 'MAX_OCCURRENCE', expression: 'channel', window: { from: at(45), to: at(15) } },
    last3Wait: { statistic: 'SUM', expression: 'queueWaitSeconds', window: { lastObjects: 3 } },
    last2Channel: { statistic: 'MAX_OCCURRENCE', expression: 'channel', window: { lastObjects: 2 } },
    rangeCount: { statistic: 'COUNT', window: { from: at(25), to: at(3) } },
    voiceCount: { statistic: 'COUNT', conditions: [{ field: 'channel', operator: 'EQUALS', values: ['VOICE'] }] },
    notVoice: { statistic: 'COUNT', conditions: [{ field: 'channel', operator: 'NOT_EQUALS', values: ['VOICE'] }] },
    longWaits: { statistic: 'COUNT', conditions: [{ field: 'queueWaitSeconds', operator: 'GTE', values: ['20'] }] },
    noAgent: { statistic: 'COUNT', conditions: [{ field: 'agentId', operator: 'NOT_EXISTS' }] },
    goldCalls: { statistic: 'COUNT', conditions: [{ field: 'attributes.tier', operator: 'IN', values: ['gold', 'platinum'] }] },
    notGold: { statistic: 'COUNT', conditions: [{ field: 'attributes.tier', operator: 'NOT_IN', values: ['gold'] }] },
    agentsA: { statistic: 'COUNT', conditions: [{ field: 'agentId', operator: 'BEGINS_WITH', values: ['a'] }, { field: 'agentId', operator: 'CONTAINS', values: ['1'] }] },
    chatWait: { statistic: 'SUM', expression: 'queueWaitSeconds', conditions: [{ field: 'channel', operator: 'EQUALS', values: ['CHAT'] }, { field: 'initiatedAt', operator: 'LT', values: [at(2)] }] },
    frequent: { statistic: 'COUNT', window: { lastDays: 30 }, threshold: { operator: 'GREATER_THAN', value: '3' } },
    rare: { statistic: 'COUNT', window: { lastDays: 30 }, threshold: { operator: 'LESS_THAN', value: '2' } },
    waitIs100: { statistic: 'SUM', expression: 'queueWaitSeconds', threshold: { operator: 'EQUAL_TO', value: '100' } },
    chatty: { statistic: 'MAX_OCCURRENCE', expression: 'channel', threshold: { operator: 'EQUAL_TO', value: 'CHAT' } },
    notVoiceTop: { statistic: 'MAX_OCCURRENCE', expression: 'channel', threshold: { operator: 'NOT_EQUAL_TO', value: 'VOICE' } },
  };

  beforeAll(async () => {
    key = (await s.createDomain()).key;
    p = await newProfile(key, { firstName: 'Pat' });
    other = await newProfile(key, { firstName: 'Other' });
    for (const [i, [days, channel, duration, wait, agent, tier]] of contacts.entries()) {
      await contact(key, p, { contactId: `p-${i}`, channel, initiatedAt: at(days), disconnectedAt: at(days, duration), queueWaitSeconds: wait, agentId: agent, attributes: [{ key: 'tier', value: tier }] });
    }
    await contact(key, other, { contactId: 'o-1', channel: 'EMAIL', initiatedAt: at(2), queueWaitSeconds: 7 });
    // defined after the data: each is backfilled from the stored contacts
    for (const [name, d] of Object.entries(defs)) await put(key, { name, objectType: '_ctr', ...d });
  }, 120_000);

  it('computes each definition exactly (backfilled on define)', async () => {
    const v = await values(key, p);
    const got = Object.fromEntries(Object.keys(defs).map((n) => [n, v[n]?.value ?? null]));
    expect(got).toEqual({
      cnt: '5',
      cnt30: '4',
      cntAgent: '4',
      sumWait: '100',
      avgWait: '25',
      avgWait30: '30',
      minDuration: '50',
      maxDuration: '300',
      avgMinutes: '2.3667', // (100 + 200 + 300 + 50 + 60) / 60 / 5, rounded to 4 decimals
      waitTwice: String(21 + 41 + 61 + 81),
      firstChannel: 'VOICE',
      lastAgent: 'a1',
      firstContactAt: at(40),
      lastContactAt: at(1),
      lastTier: 'bronze',
      minChannel: 'CHAT',
      topChannel: 'CHAT',
      topTier: 'gold',
      topChannelTie: 'CHAT',
      last3Wait: '70',
      last2Channel: 'CHAT',
      rangeCount: '3',
      voiceCount: '2',
      notVoice: '3',
      longWaits: '3',
      noAgent: '1',
      goldCalls: '3',
      notGold: '2',
      agentsA: '2',
      chatWait: '20',
      frequent: 'true',
      rare: 'false',
      waitIs100: 'true',
      chatty: 'true',
      notVoiceTop: 'true',
    });
    expect(v['cnt']).toEqual({ value: '5', type: 'NUMBER', isDataPartial: false, lastObjectAt: at(1) });
    expect(v['firstContactAt']!.type).toBe('DATETIME');
    expect(v['frequent']!.type).toBe('BOOLEAN');
    expect(v['lastTier']!.type).toBe('STRING');
    // the other profile: its own contact only; COUNT without objects in the window reads 0
    const o = await values(key, other);
    expect([o['cnt']!.value, o['sumWait']!.value, o['voiceCount']!.value, o['firstChannel']!.value, o['minDuration']!.value, o['frequent']!.value, o['rare']!.value]).toEqual([
      '1',
      '7',
      '0',
      'EMAIL',
      null,
      'false',
      'true',
    ]);
  });

  it('widening a window backfills at once; time moving on changes windowed values with no write', async () => {
    expect(await value(key, p, 'cnt30')).toBe('4');
    await put(key, { name: 'cnt30', objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 60 } });
    expect(await value(key, p, 'cnt30')).toBe('5');
    await put(key, { name: 'cnt30', objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 30 } });
    expect(await value(key, p, 'cnt30')).toBe('4');

    clock.advanceDays(11); // the contact of 20 days ago is now 31 days old
    try {
      const v = await values(key, p);
      expect([v['cnt30']!.value, v['avgWait30']!.value, v['frequent']!.value, v['rare']!.value, v['cnt']!.value]).toEqual(['3', '35', 'false', 'false', '5']);
      // the read stored what it recomputed
      const stored = await query<{ value_number: string }>(s.database.db, sql`select value_number::text as value_number from calculated_attribute_values where profile_id = ${p} and name = 'cnt30'`);
      expect(stored).toEqual([{ value_number: '3' }]);
      clock.advanceDays(30); // every contact has left the 30-day window
      expect(await value(key, p, 'cnt30')).toBe('0');
      expect(await value(key, p, 'avgWait30')).toBeNull();
      expect(await value(key, p, 'rare')).toBe('true');
    } finally {
      clock.set(T0);
      // back in time (tests only): recompute the windowed definitions at T0 again
      for (const [name, d] of Object.entries(defs)) if ((d['window'] as { lastDays?: number } | undefined)?.lastDays) await put(key, { name, objectType: '_ctr', ...d });
    }
    expect(await value(key, p, 'cnt30')).toBe('4');
  });

  it('the scheduled sweep recomputes expired values for SQL readers (segments)', async () => {
    const q = await newProfile(key, { firstName: 'Swept' });
    await contact(key, q, { contactId: 'sw-1', channel: 'VOICE', initiatedAt: at(29) });
    const stored = () => query<{ v: string | null }>(s.database.db, sql`select value_number::text as v from calculated_attribute_values where profile_id = ${q} and name = 'cnt30'`);
    expect(await stored()).toEqual([{ v: '1' }]);
    clock.advanceDays(2);
    try {
      expect(await sweepExpired(s.database, clock.now())).toBeGreaterThan(0);
      expect(await stored()).toEqual([]); // no contact in the window: no row (COUNT reads 0)
      expect(await value(key, q, 'cnt30')).toBe('0');
    } finally {
      clock.set(T0);
    }
  });
});

describe('real time: values change in the writing transaction', () => {
  it('contacts, a contact moved to another profile, cases (status changes) and orders', async () => {
    const { key } = await s.createDomain();
    const a = await newProfile(key, { firstName: 'A', emailAddress: 'a@example.com' });
    const b = await newProfile(key, { firstName: 'B' });
    await contact(key, a, { contactId: 'c-1', channel: 'VOICE', initiatedAt: at(3), agentId: 'ag-1', queueWaitSeconds: 12 });
    let v = await values(key, a);
    expect([v['contactCount']!.value, v['lastChannel']!.value, v['lastAgent']!.value, v['averageQueueWaitSeconds']!.value, v['mostFrequentChannel']!.value, v['frequentCaller']!.value]).toEqual([
      '1',
      'VOICE',
      'ag-1',
      '12',
      'VOICE',
      'false',
    ]);
    for (let i = 2; i <= 6; i++) await contact(key, a, { contactId: `c-${i}`, channel: 'CHAT', initiatedAt: at(2, i), queueWaitSeconds: 3 });
    v = await values(key, a);
    expect([v['contactCount']!.value, v['lastChannel']!.value, v['mostFrequentChannel']!.value, v['frequentCaller']!.value, v['averageQueueWaitSeconds']!.value]).toEqual(['6', 'CHAT', 'CHAT', 'true', '4.5']);
    // re-recording c-6 for profile b moves it: both profiles change
    await contact(key, b, { contactId: 'c-6', channel: 'EMAIL', initiatedAt: at(1) });
    expect(await value(key, a, 'contactCount')).toBe('5');
    expect(await value(key, a, 'frequentCaller')).toBe('false');
    expect(await value(key, b, 'lastChannel')).toBe('EMAIL');

    await gql(key, `mutation($p: ID!) { c1: createCase(input: { profileId: $p, caseId: "K-1", title: "one" }) { created } c2: createCase(input: { profileId: $p, caseId: "K-2", title: "two", status: PENDING }) { created } }`, { p: a });
    expect(await value(key, a, 'openCaseCount')).toBe('2');
    await gql(key, `mutation { updateCase(id: "K-1", input: { status: CLOSED }) { status } }`);
    expect(await value(key, a, 'openCaseCount')).toBe('1');

    await gql(key, `mutation { recordOrder(input: { orderId: "O-1", customerEmail: "a@example.com", totalPrice: "19.99", orderedAt: "2026-05-01T10:00:00Z" }) { created } }`);
    await gql(key, `mutation($p: ID!) { recordOrder(input: { orderId: "O-2", profileId: $p, totalPrice: "0.02", orderedAt: "2026-05-20T10:00:00Z" }) { created } }`, { p: a });
    v = await values(key, a);
    expect([v['totalOrderValue']!.value, v['lastOrderDate']!.value]).toEqual(['20.01', '2026-05-20T10:00:00.000Z']);
    expect(v['totalOrderValue']!.lastObjectAt).toBe('2026-05-20T10:00:00.000Z');
    // the order re-recorded for b moves its value
    await gql(key, `mutation($p: ID!) { recordOrder(input: { orderId: "O-2", profileId: $p, totalPrice: "5", orderedAt: "2026-05-21T10:00:00Z" }) { created } }`, { p: b });
    expect(await value(key, a, 'totalOrderValue')).toBe('19.99');
    expect(await value(key, b, 'totalOrderValue')).toBe('5');
  });

  it('concurrent writes of one profile, and a definition put meanwhile, leave exact values', async () => {
    const { key } = await s.createDomain();
    const p = await newProfile(key);
    await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => contact(key, p, { contactId: `cc-${i}`, channel: i % 3 ? 'CHAT' : 'VOICE', initiatedAt: at(1, i), queueWaitSeconds: i })),
      put(key, { name: 'waitSum', objectType: '_ctr', expression: 'queueWaitSeconds', statistic: 'SUM' }),
      ...Array.from({ length: 10 }, (_, i) => gql(key, `mutation($p: ID!, $o: String!) { recordOrder(input: { orderId: $o, profileId: $p, totalPrice: "1.10", orderedAt: "2026-05-01T00:00:00Z" }) { created } }`, { p, o: `cc-o-${i}` })),
    ]);
    const v = await values(key, p);
    expect([v['contactCount']!.value, v['waitSum']!.value, v['mostFrequentChannel']!.value, v['frequentCaller']!.value, v['totalOrderValue']!.value]).toEqual(['30', '435', 'CHAT', 'true', '11']);
  });

  it('custom objects through putProfileObject and batches (putProfileObjects), re-ingested', async () => {
    const { key } = await s.createDomain();
    await gql(key, `mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`, {
      t: {
        name: 'Visit',
        allowProfileCreation: true,
        fields: [
          { name: 'id', source: '_source.id' },
          { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
        ],
        keys: [
          { name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
          { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
        ],
      },
    });
    await put(key, { name: 'spent', objectType: 'Visit', expression: 'amount', statistic: 'SUM' });
    await put(key, { name: 'maxSpent', objectType: 'Visit', expression: 'amount', statistic: 'MAXIMUM' });
    await put(key, { name: 'topPage', objectType: 'Visit', expression: 'page', statistic: 'MAX_OCCURRENCE' });
    await put(key, { name: 'bigVisits', objectType: 'Visit', statistic: 'COUNT', conditions: [{ field: 'amount', operator: 'GT', values: ['10'] }] });
    await put(key, { name: 'perItem', objectType: 'Visit', expression: 'amount / items', statistic: 'MAXIMUM' });
    const one = await gql(key, `mutation($o: JSONObject!) { putProfileObject(objectType: "Visit", object: $o) { profile { id } } }`, { o: { id: 'v1', email: 'x@example.com', amount: 12.5, items: 5, page: '/a' } });
    const x = one.putProfileObject.profile.id as string;
    expect(await value(key, x, 'spent')).toBe('12.5');
    const batch = [
      { id: 'v2', email: 'x@example.com', amount: '7', items: 0, page: '/b' }, // text number; items 0: no division by zero
      { id: 'v3', email: 'x@example.com', amount: 'n/a', page: '/b' }, // not a number: counts as missing
      { id: 'v4', email: 'y@example.com', amount: 100, items: 4, page: '/c' },
      { id: 'v5', email: 'x@example.com', amount: 30, items: 2, page: '/a' },
      { id: 'v6', email: 'x@example.com', page: '/b' },
    ];
    await gql(key, `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Visit", objects: $o) { attached deadLettered } }`, { o: batch });
    let v = await values(key, x);
    expect([v['spent']!.value, v['maxSpent']!.value, v['topPage']!.value, v['bigVisits']!.value, v['perItem']!.value]).toEqual(['49.5', '30', '/b', '2', '15']);
    // re-ingesting v5 (same UNIQUE key) replaces it
    await gql(key, `mutation($o: JSONObject!) { putProfileObject(objectType: "Visit", object: $o) { replaced } }`, { o: { id: 'v5', email: 'x@example.com', amount: 1, items: 2, page: '/a' } });
    v = await values(key, x);
    expect([v['spent']!.value, v['maxSpent']!.value, v['bigVisits']!.value, v['perItem']!.value]).toEqual(['20.5', '12.5', '1', '2.5']);
    const y = await gql(key, `{ searchProfiles(key: "_email", values: ["y@example.com"]) { nodes { calculatedAttribute(name: "spent") { value } } } }`);
    expect(y.searchProfiles.nodes).toEqual([{ calculatedAttribute: { value: '100' } }]);
  });
});

describe('backfill as a job for large domains', () => {
  it('a definition over more objects than the inline limit is backfilled by a job with progress', async () => {
    const big = await startTestServer({ calculatedSweepCron: '', calculatedInlineBackfill: 2 }, { clock });
    try {
      const { key } = await big.createDomain();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await big.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { profile { id } } }`, { input: { contactId: `j-${i}`, channel: 'VOICE', initiatedAt: at(i + 1), phoneNumber: `+1206555010${i}`, queueWaitSeconds: i * 10 } }, key);
        ids.push(r.data!.recordContact.profile.id);
      }
      const r = await big.gql(PUT, { input: { name: 'waitSum', objectType: '_ctr', expression: 'queueWaitSeconds', statistic: 'SUM' } }, key);
      const def = r.data!.putCalculatedAttribute;
      expect(def.backfilled).toBe(false);
      expect(def.backfillJobId).toMatch(/^[0-9a-f-]{36}$/);
      const job = await waitForJob(big, key, def.backfillJobId);
      expect(job.kind).toBe('CALCULATED_BACKFILL');
      expect(job.status).toBe('SUCCEEDED');
      expect(job.progress).toEqual({ done: 3, total: 3 });
      // The job leaves the values table analyzed (a table filled at once is otherwise planned as empty).
      const stats = (await big.database.db.execute(sql`select reltuples::float8 as n from pg_class where relname = 'calculated_attribute_values'`)) as unknown;
      const rows = Array.isArray(stats) ? stats : (stats as { rows: { n: number }[] }).rows;
      expect(Number(rows[0].n)).toBeGreaterThanOrEqual(0);
      const after = await big.gql(`{ calculatedAttributeDefinition(name: "waitSum") { backfilled } profiles(first: 10) { nodes { id calculatedAttribute(name: "waitSum") { value isDataPartial } } } }`, {}, key);
      expect(after.data!.calculatedAttributeDefinition.backfilled).toBe(true);
      const byId = Object.fromEntries(after.data!.profiles.nodes.map((n: { id: string; calculatedAttribute: unknown }) => [n.id, n.calculatedAttribute]));
      expect(ids.map((id) => byId[id])).toEqual([
        { value: '0', isDataPartial: false },
        { value: '10', isDataPartial: false },
        { value: '20', isDataPartial: false },
      ]);
    } finally {
      await big.close();
    }
  }, 60_000);

  it('until the job reaches a profile its value reads isDataPartial; a write to the profile makes it exact at once', async () => {
    // an instance that runs no jobs: the backfill stays queued
    const idle = await startTestServer({ calculatedSweepCron: '', calculatedInlineBackfill: 0, jobWorkers: false }, { clock });
    try {
      const { key } = await idle.createDomain();
      const r1 = await idle.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { profile { id } } }`, { input: { contactId: 'q-1', channel: 'VOICE', initiatedAt: at(1), phoneNumber: '+12065550200', queueWaitSeconds: 5 } }, key);
      const r2 = await idle.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { profile { id } } }`, { input: { contactId: 'q-2', channel: 'VOICE', initiatedAt: at(1), phoneNumber: '+12065550201', queueWaitSeconds: 6 } }, key);
      const [p1, p2] = [r1.data!.recordContact.profile.id, r2.data!.recordContact.profile.id];
      const def = (await idle.gql(PUT, { input: { name: 'waitSum', objectType: '_ctr', expression: 'queueWaitSeconds', statistic: 'SUM' } }, key)).data!.putCalculatedAttribute;
      expect(def.backfilled).toBe(false);
      const read = async (p: string) =>
        (await idle.gql(`query($v: [String!]!) { searchProfiles(key: "_profileId", values: $v) { nodes { calculatedAttribute(name: "waitSum") { value isDataPartial } } } }`, { v: [p] }, key)).data!.searchProfiles.nodes[0].calculatedAttribute;
      expect(await read(p1)).toEqual({ value: null, isDataPartial: true });
      await idle.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, { input: { contactId: 'q-3', channel: 'CHAT', initiatedAt: at(0.5), profileId: p1, queueWaitSeconds: 1 } }, key);
      expect(await read(p1)).toEqual({ value: '6', isDataPartial: false });
      expect(await read(p2)).toEqual({ value: null, isDataPartial: true });
      const job = (await idle.gql(`query($id: ID!) { job(id: $id) { status kind } }`, { id: def.backfillJobId }, key)).data!.job;
      expect(job).toEqual({ status: 'QUEUED', kind: 'CALCULATED_BACKFILL' });
    } finally {
      await idle.close();
    }
  }, 60_000);
});

describe('SQL injection attempts are data, never SQL', () => {
  it('in names, expressions, condition values, custom field names and thresholds', async () => {
    const { key } = await s.createDomain();
    const p = await newProfile(key, { firstName: 'Bobby' });
    const evil = "x'); drop table profiles; --";
    await contact(key, p, { contactId: 'inj-1', channel: 'VOICE', initiatedAt: at(1), queue: evil, agentId: `a'; delete from calculated_attribute_values; --` });
    for (const name of [evil, 'a"b', 'a;b', 'name--x']) expect((await putError(key, { name, objectType: '_ctr', statistic: 'COUNT' })).extensions!.field).toBe('name');
    for (const expression of ["channel'; drop table profiles; --", 'channel) from contacts; --', 'pg_sleep(5)', '1; select 1']) {
      expect((await putError(key, { name: 'e', objectType: '_ctr', statistic: 'COUNT', expression })).extensions!.code).toBe('BAD_USER_INPUT');
    }
    await put(key, { name: 'evilQueue', objectType: '_ctr', statistic: 'COUNT', conditions: [{ field: 'queue', operator: 'EQUALS', values: [evil] }] });
    await put(key, { name: 'evilIn', objectType: '_ctr', statistic: 'COUNT', conditions: [{ field: 'queue', operator: 'IN', values: ["' or 1=1 --", evil] }] });
    await put(key, { name: 'evilPrefix', objectType: '_ctr', statistic: 'COUNT', conditions: [{ field: 'agentId', operator: 'BEGINS_WITH', values: ["a'; delete"] }] });
    await put(key, { name: 'evilAttr', objectType: '_ctr', statistic: 'COUNT', conditions: [{ field: "attributes.x'--", operator: 'EXISTS' }] });
    await put(key, { name: 'agentIsEvil', objectType: '_ctr', expression: 'agentId', statistic: 'LAST_OCCURRENCE', threshold: { operator: 'EQUAL_TO', value: "' or ''='" } });
    await gql(key, `mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`, {
      t: { name: 'Thing', fields: [{ name: 'id', source: '_source.id' }], keys: [{ name: 'thingId', identifiers: ['UNIQUE'], fieldNames: ['id'] }] },
    });
    expect((await putError(key, { name: 'f', objectType: 'Thing', statistic: 'SUM', expression: "a'b" })).extensions!.code).toBe('BAD_USER_INPUT');
    const v = await values(key, p);
    expect([v['evilQueue']!.value, v['evilIn']!.value, v['evilPrefix']!.value, v['evilAttr']!.value, v['agentIsEvil']!.value, v['contactCount']!.value]).toEqual(['1', '1', '1', '0', 'false', '1']);
    const tables = await query<{ n: number }>(s.database.db, sql`select count(*)::int as n from profiles`);
    expect(tables[0]!.n).toBeGreaterThan(0);
  });
});

describe('isolation across domains', () => {
  it("another domain's definitions and values are never visible", async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    await put(a.key, { name: 'secretSum', objectType: '_ctr', expression: 'queueWaitSeconds', statistic: 'SUM' });
    const pa = await newProfile(a.key);
    const pb = await newProfile(b.key);
    await contact(a.key, pa, { contactId: 'same-id', channel: 'VOICE', initiatedAt: at(1), queueWaitSeconds: 9 });
    await contact(b.key, pb, { contactId: 'same-id', channel: 'CHAT', initiatedAt: at(1), queueWaitSeconds: 4 });
    expect(await value(a.key, pa, 'secretSum')).toBe('9');
    const defsB = (await gql(b.key, `{ calculatedAttributeDefinitions { name } calculatedAttributeDefinition(name: "secretSum") { name } }`));
    expect(defsB.calculatedAttributeDefinitions.map((d: { name: string }) => d.name)).not.toContain('secretSum');
    expect(defsB.calculatedAttributeDefinition).toBeNull();
    const vb = await values(b.key, pb);
    expect(vb['secretSum']).toBeUndefined();
    expect(vb['lastChannel']!.value).toBe('CHAT');
    expect((await s.gql(`mutation { deleteCalculatedAttribute(name: "secretSum") }`, {}, b.key)).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    // b defining the same name computes from b's contacts only
    await put(b.key, { name: 'secretSum', objectType: '_ctr', expression: 'queueWaitSeconds', statistic: 'SUM' });
    expect(await value(b.key, pb, 'secretSum')).toBe('4');
    expect(await value(a.key, pa, 'secretSum')).toBe('9');
    // a profile of a is not readable through b
    const cross = await gql(b.key, `query($v: [String!]!) { searchProfiles(key: "_profileId", values: $v) { nodes { id } } }`, { v: [pa] });
    expect(cross.searchProfiles.nodes).toEqual([]);
  });
});

describe('reads', () => {
  let key: string;
  beforeAll(async () => {
    key = (await s.createDomain()).key;
    for (let i = 0; i < 4; i++) {
      const p = await newProfile(key, { firstName: `R${i}` });
      for (let j = 0; j <= i; j++) await contact(key, p, { contactId: `r-${i}-${j}`, channel: j === 0 ? 'VOICE' : 'CHAT', initiatedAt: at(j + 1), queueWaitSeconds: j });
    }
  });

  it('a page of profiles with calculated attributes (and contacts) is ONE statement, and answers like the DataLoader path', async () => {
    const q = `{ profiles(first: 10) { nodes { id firstName calculatedAttributes { name value type isDataPartial lastObjectAt } count: calculatedAttribute(name: "contactCount") { value } none: calculatedAttribute(name: "nope") { value } contacts(first: 2) { nodes { channel } } } } }`;
    const planned = await readAs(s.url, 'auto', q, {}, key);
    expect(planned.body.errors).toBeUndefined();
    expect(planned.path).toBe('planned');
    expect(planned.statements).toBe(1);
    const plain = await readAs(s.url, 'graphql-js', q, {}, key);
    expect(plain.path).toBe('graphql-js');
    expect(plain.dataText).toBe(planned.dataText);
    const counts = (planned.body.data!.profiles.nodes as { count: { value: string }; none: null }[]).map((n) => [n.count.value, n.none]);
    expect(counts).toEqual([
      ['4', null],
      ['3', null],
      ['2', null],
      ['1', null],
    ]);
    const search = await readAs(s.url, 'auto', `{ searchProfiles(key: "_ctrContactId", values: ["r-3-0", "r-1-1"]) { nodes { calculatedAttribute(name: "lastChannel") { value } } } }`, {}, key);
    expect(search.statements).toBe(1);
  });

  it('an expired value is recomputed on read, then reads stay one statement', async () => {
    const q = `{ profiles(first: 10) { nodes { calculatedAttribute(name: "frequentCaller") { value } mf: calculatedAttribute(name: "mostFrequentChannel") { value } } } }`;
    const before = await readAs(s.url, 'auto', q, {}, key);
    expect(before.statements).toBe(1);
    expect(before.body.data!.profiles.nodes.map((n: { mf: { value: string } }) => n.mf.value)).toEqual(['CHAT', 'CHAT', 'VOICE', 'VOICE']);
    clock.advanceDays(28.5); // the newest contacts (1 day old) stay in the window; older ones leave
    try {
      const during = await readAs(s.url, 'auto', q, {}, key);
      expect(during.body.data!.profiles.nodes.map((n: { mf: { value: string } }) => n.mf.value)).toEqual(['VOICE', 'VOICE', 'VOICE', 'VOICE']);
      expect(during.statements).toBeGreaterThan(1); // refreshed: definitions, recompute, read again
      const again = await readAs(s.url, 'auto', q, {}, key);
      expect(again.statements).toBe(1);
      expect(again.dataText).toBe(during.dataText);
    } finally {
      clock.set(T0);
    }
  });

  it('over graphql-ws: a query sees a value changed by a write just before', async () => {
    const p = await newProfile(key, { firstName: 'Ws' });
    const client = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0 });
    try {
      const read = async (): Promise<GqlResult> => {
        const it = client.iterate({ query: `query($v: [String!]!) { searchProfiles(key: "_profileId", values: $v) { nodes { calculatedAttribute(name: "contactCount") { value } } } }`, variables: { v: [p] } });
        for await (const r of it) return r as GqlResult;
        throw new Error('no result');
      };
      expect((await read()).data!.searchProfiles.nodes[0].calculatedAttribute.value).toBe('0');
      await contact(key, p, { contactId: 'ws-1', channel: 'VOICE', initiatedAt: at(0.5) });
      expect((await read()).data!.searchProfiles.nodes[0].calculatedAttribute.value).toBe('1');
    } finally {
      await client.dispose();
    }
  });
});

describe('statements added to writes', () => {
  const VISIT = {
    name: 'Visit',
    allowProfileCreation: true,
    fields: [
      { name: 'id', source: '_source.id' },
      { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
    ],
    keys: [
      { name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
      { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
    ],
  };
  const PUT_MANY = `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Visit", objects: $o) { createdProfiles } }`;
  const statementsOf = async (key: string, q: string, variables: Record<string, unknown>) => {
    const r = await s.gql(q, variables, key);
    expect(r.errors).toBeUndefined();
    return r.extensions!['diagnostics'].sqlStatements as number;
  };

  it('a batch of custom objects: +2 statements without definitions for its type, +3 with any number of them, whatever the batch size', async () => {
    const counts: Record<string, number[]> = { none: [], three: [] };
    for (const mode of ['none', 'three'] as const) {
      for (const size of [1, 20, 200]) {
        const { key } = await s.createDomain();
        await gql(key, `mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`, { t: VISIT });
        if (mode === 'three') {
          await put(key, { name: 'visits', objectType: 'Visit', statistic: 'COUNT' });
          await put(key, { name: 'spent', objectType: 'Visit', expression: 'amount', statistic: 'SUM', window: { lastDays: 30 } });
          await put(key, { name: 'topPage', objectType: 'Visit', expression: 'page', statistic: 'MAX_OCCURRENCE', conditions: [{ field: 'amount', operator: 'GT', values: ['1'] }] });
        }
        const objects = Array.from({ length: size }, (_, i) => ({ id: `v${i}`, email: `u${i}@example.com`, amount: i, page: `/p${i % 3}` }));
        counts[mode]!.push(await statementsOf(key, PUT_MANY, { o: objects }));
        if (mode === 'three' && size > 2) expect(await value(key, (await gql(key, `{ searchProfiles(key: "_email", values: ["u2@example.com"]) { nodes { id } } }`)).searchProfiles.nodes[0].id, 'spent')).toBe('2');
      }
    }
    expect(new Set(counts['none']).size).toBe(1);
    expect(counts['three']).toEqual(counts['none']!.map((n) => n + 1));
  });

  it('recordContact: +3 statements with definitions over contacts, +2 without', async () => {
    const { key } = await s.createDomain();
    const p = await newProfile(key);
    const record = (i: number) => statementsOf(key, `mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, { input: { profileId: p, contactId: `st-${i}`, channel: 'VOICE', initiatedAt: at(1) } });
    const withDefaults = await record(1);
    for (const d of (await gql(key, `{ calculatedAttributeDefinitions { name objectType } }`)).calculatedAttributeDefinitions) {
      if (d.objectType === '_ctr') await gql(key, `mutation($n: String!) { deleteCalculatedAttribute(name: $n) }`, { n: d.name });
    }
    expect(await record(2)).toBe(withDefaults - 1);
  });
});

describe('shipped definitions', () => {
  it('the defaults and every industry template definition are valid, with unique names per set', () => {
    for (const [set, defs] of [['defaults', DEFAULT_DEFINITIONS], ...Object.entries(TEMPLATE_CALCULATED_ATTRIBUTES)] as const) {
      expect(new Set(defs.map((d) => d.name)).size, set).toBe(defs.length);
      for (const d of defs) expect(() => checkDefinition(d.input), `${set}.${d.name}`).not.toThrow();
    }
  });

  it('a template installs its calculated attributes once (applyTemplate calls this), computed from stored data', async () => {
    const { name, key } = await s.createDomain();
    const p = await newProfile(key);
    await gql(key, `mutation($p: ID!) { recordOrder(input: { orderId: "T-1", profileId: $p, totalPrice: "800", orderedAt: "${at(10)}" }) { created } }`, { p });
    await gql(key, `mutation($p: ID!) { recordOrder(input: { orderId: "T-2", profileId: $p, totalPrice: "300", orderedAt: "${at(100)}" }) { created } }`, { p });
    const domain = (await s.app.services.domains.find(name))!;
    const scope = { database: s.database, domain, actorKeyId: null, notifier: s.app.services.notifier, clock };
    const added = await installCalculatedTemplate(scope, 'RETAIL', null);
    expect(added).toEqual(['orderCount', 'averageOrderValue', 'orderValue90d', 'highValueCustomer', 'openReturnCases']);
    expect(await installCalculatedTemplate(scope, 'RETAIL', null)).toEqual([]);
    const v = await values(key, p);
    expect([v['orderCount']!.value, v['averageOrderValue']!.value, v['orderValue90d']!.value, v['highValueCustomer']!.value, v['openReturnCases']!.value]).toEqual(['2', '550', '800', 'true', '0']);
  });
});

describe('reading values in SQL (the segments interface)', () => {
  it('calculatedValueSql reads typed values with the empty-window defaults; the index form agrees where the default does not match', async () => {
    const { name, key } = await s.createDomain();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await newProfile(key, { firstName: `S${i}` });
      ids.push(p);
      for (let j = 0; j < i * 2; j++) await contact(key, p, { contactId: `sq-${i}-${j}`, channel: 'VOICE', initiatedAt: at(1, j) });
    }
    const domain = (await s.app.services.domains.find(name))!;
    const count = (await findDefinition(s.database.db, domain.id, 'contactCount'))!;
    const frequent = (await findDefinition(s.database.db, domain.id, 'frequentCaller'))!;
    const last = (await findDefinition(s.database.db, domain.id, 'lastChannel'))!;
    const rows = await query<{ id: string; n: string; f: boolean; c: string | null }>(
      s.database.db,
      sql`select p.id::text as id, ${calculatedValueSql(domain.id, count, sql`p.id`)}::text as n, ${calculatedValueSql(domain.id, frequent, sql`p.id`)} as f,
            ${calculatedValueSql(domain.id, last, sql`p.id`)} as c
          from profiles p where p.domain_id = ${domain.id} order by p.first_name`,
    );
    expect(rows.map((r) => [r.n, r.f, r.c])).toEqual([
      ['0', false, null],
      ['2', false, 'VOICE'],
      ['4', false, 'VOICE'],
      ['6', true, 'VOICE'],
    ]);
    expect([calculatedDefaultValue(count.spec), calculatedDefaultValue(frequent.spec), calculatedDefaultValue(last.spec)]).toEqual(['0', 'false', null]);
    // "contactCount >= 3" is false on the default (0): the index form over the value column
    const column = calculatedValueColumn(count.spec);
    expect(column).toBe('value_number');
    const indexed = await query<{ id: string }>(
      s.database.db,
      sql`select profile_id::text as id from calculated_attribute_values where domain_id = ${domain.id} and name = ${'contactCount'} and ${sql.identifier(column)} >= ${'3'}::numeric order by 1`,
    );
    expect(indexed.map((r) => r.id)).toEqual([ids[2], ids[3]].sort());
  });
});

describe('the write recompute', () => {
  it('runs under generic plans only between the definitions read and the recompute; the transaction mode is put back (also when nothing changed, and untouched without definitions)', async () => {
    const name = `pm-${Date.now().toString(36)}`;
    const { key } = await s.createDomain(name);
    const p = await newProfile(key);
    await contact(key, p, { contactId: 'pm-1', channel: 'VOICE', initiatedAt: at(1) });
    const domain = (await s.app.services.domains.find(name))!;
    const mode = async (tx: Parameters<typeof query>[0]) => (await query<{ m: string }>(tx, sql`select current_setting('plan_cache_mode') as m`))[0]!.m;
    const run = () =>
      s.database.db.transaction(async (tx) => {
        await lockProfiles(tx, domain.id, [p]);
        const defs = await definitionsForWrite(tx, domain.id, '_ctr');
        const during = await mode(tx);
        const changed = await recomputeValues(tx, domain.id, defs, { ids: [p] }, new Date(), true);
        return { defs: defs.length, during, after: await mode(tx), changed };
      });
    const first = await run();
    expect(first.defs).toBeGreaterThan(0); // the defaults over contacts
    expect(first.during).toBe('force_generic_plan');
    expect(first.after).toBe('auto');
    // the same values again: nothing changed, the mode is still put back
    const again = await run();
    expect(again.changed).toEqual([]);
    expect(again.after).toBe('auto');
    for (const d of (await gql(key, `{ calculatedAttributeDefinitions { name objectType } }`)).calculatedAttributeDefinitions) {
      if (d.objectType === '_ctr') await gql(key, `mutation($n: String!) { deleteCalculatedAttribute(name: $n) }`, { n: d.name });
    }
    const none = await run();
    expect(none).toMatchObject({ defs: 0, during: 'auto', after: 'auto', changed: [] });
  });
});
