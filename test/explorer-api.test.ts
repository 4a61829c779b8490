/**
 * The explorer's server side (issue 13) over HTTP: the one search box (`lookupProfiles`), the
 * per-domain profile page layout (`profileLayout` / `putProfileLayout`) and `Profile.insights`,
 * each with isolation across domains and hostile input. PGlite by default, Postgres with
 * TEST_DATABASE_URL.
 */
import { sql } from 'drizzle-orm';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../src/db/database.js';
import type { DuplicateHintProvider } from '../src/modules/insights/insights.service.js';
import { ManualClock } from '../src/modules/jobs/clock.js';
import { explainProfilesByName } from '../src/modules/lookup/lookup.repository.js';
import { readAs } from './helpers/read-paths.js';
import { startTestServer, type GqlResult, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;
const T0 = new Date('2026-06-15T12:00:00.000Z');
const clock = new ManualClock(T0);
const at = (daysAgo: number) => new Date(T0.getTime() - daysAgo * DAY).toISOString();

// The identity module wires the real provider; this test's one answers for profiles it was told about,
// and records how many calls a page took (one per level, never one per profile).
const duplicates = new Map<string, { profileId: string; confidence: number; fields: string[] }[]>();
const providerCalls: { domainId: string; ids: readonly string[] }[] = [];
const duplicateHints: DuplicateHintProvider = async (scope, ids) => {
  providerCalls.push({ domainId: scope.domain.id, ids });
  return new Map(ids.filter((id) => duplicates.has(id)).map((id) => [id, duplicates.get(id)!]));
};

let s: TestServer;
let us: { name: string; key: string }; // region US
let jp: { name: string; key: string }; // region JP
const ids: Record<string, string> = {};

async function ok(key: string, q: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const r = await s.gql(q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

async function newProfile(key: string, input: Record<string, unknown>): Promise<string> {
  return (await ok(key, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input })).createProfile.id;
}

const LOOKUP = `query($text: String!, $first: Int) { lookupProfiles(text: $text, first: $first) {
  interpretedAs normalized hits { matchedKeys profile { id firstName lastName } } } }`;

async function lookup(key: string, text: string, first?: number) {
  return (await ok(key, LOOKUP, { text, first })).lookupProfiles as {
    interpretedAs: string[];
    normalized: string | null;
    hits: { matchedKeys: string[]; profile: { id: string; firstName: string | null; lastName: string | null } }[];
  };
}

const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  s = await startTestServer({}, { clock, duplicateHints });
  us = await s.createDomain(undefined, { defaultPhoneRegion: 'US' });
  jp = await s.createDomain(undefined, { defaultPhoneRegion: 'JP' });
  ids.alice = await newProfile(us.key, { firstName: 'Alice', lastName: 'Ng', phoneNumber: '+15551234567', emailAddress: 'alice@example.com', accountNumber: 'ACC-1001' });
  ids.jose = await newProfile(us.key, { firstName: 'José', lastName: 'Müller', mobilePhoneNumber: '+15559876543' });
  ids.carol = await newProfile(us.key, { firstName: 'Carol', lastName: 'Ng', personalEmailAddress: 'Carol.Ng@Example.com' });
  ids.taro = await newProfile(jp.key, { firstName: 'タロウ', lastName: 'ヤマダ', phoneNumber: '+81312345678' });
  ids.hanako = await newProfile(jp.key, { firstName: '花子', lastName: '田中' });
});
afterAll(async () => {
  await s?.close();
});

describe('lookupProfiles: the one search box', () => {
  it('a phone in another format (national, with spaces and brackets) finds the E.164 stored number', async () => {
    const r = await lookup(us.key, '(555) 123 4567');
    expect(r.interpretedAs).toEqual(['PHONE', 'KEY']);
    expect(r.normalized).toBe('+15551234567');
    expect(r.hits.map((h) => [h.profile.firstName, h.matchedKeys])).toEqual([['Alice', ['_phone']]]);
    // Japanese national format (region JP), full-width digits too
    const j = await lookup(jp.key, '03-1234-5678');
    expect(j.normalized).toBe('+81312345678');
    expect(j.hits.map((h) => h.profile.id)).toEqual([ids.taro]);
    expect((await lookup(jp.key, '０３ １２３４ ５６７８')).hits.map((h) => h.profile.id)).toEqual([ids.taro]);
  });

  it('an e-mail in another case', async () => {
    const r = await lookup(us.key, '  CAROL.ng@EXAMPLE.com ');
    expect(r.interpretedAs).toEqual(['EMAIL']);
    expect(r.normalized).toBe('carol.ng@example.com');
    expect(r.hits.map((h) => [h.profile.id, h.matchedKeys])).toEqual([[ids.carol, ['_email']]]);
  });

  it('a name in either order, any case, without accents; one word finds every holder', async () => {
    const reversed = await lookup(us.key, 'ng alice');
    expect(reversed.interpretedAs).toEqual(['KEY', 'NAME']);
    expect(reversed.normalized).toBe('ng alice');
    expect(reversed.hits.map((h) => [h.profile.id, h.matchedKeys])).toEqual([[ids.alice, ['name']]]);
    expect((await lookup(us.key, 'MULLER jose')).hits.map((h) => h.profile.id)).toEqual([ids.jose]);
    expect((await lookup(us.key, 'Ng')).hits.map((h) => h.profile.id).sort()).toEqual([ids.alice, ids.carol].sort());
    expect((await lookup(us.key, 'Alice Stone')).hits).toEqual([]);
  });

  it('Japanese: half-width katakana and hiragana find the full-width katakana name; a name typed without a space', async () => {
    const half = await lookup(jp.key, 'ﾔﾏﾀﾞ ﾀﾛｳ');
    expect(half.interpretedAs).toContain('NAME');
    expect(half.normalized).toBe('ヤマダ タロウ');
    expect(half.hits.map((h) => [h.profile.id, h.matchedKeys])).toEqual([[ids.taro, ['name']]]);
    expect((await lookup(jp.key, 'たろう')).hits.map((h) => h.profile.id)).toEqual([ids.taro]);
    expect((await lookup(jp.key, '田中花子')).hits.map((h) => h.profile.id)).toEqual([ids.hanako]);
    expect((await lookup(jp.key, '花子　田中')).hits.map((h) => h.profile.id)).toEqual([ids.hanako]); // ideographic space
  });

  it('an account number, a case id and an object type key: any search key value', async () => {
    const r = await lookup(us.key, 'ACC-1001');
    expect(r.interpretedAs).toEqual(['KEY', 'NAME']);
    expect(r.normalized).toBe('ACC-1001');
    expect(r.hits.map((h) => [h.profile.id, h.matchedKeys])).toEqual([[ids.alice, ['_account']]]);
    await ok(us.key, `mutation($i: CreateCaseInput!) { createCase(input: $i) { case { id } } }`, { i: { profileId: ids.carol, caseId: 'CASE-77', title: 'Broken' } });
    expect((await lookup(us.key, 'CASE-77')).hits.map((h) => [h.profile.id, h.matchedKeys])).toEqual([[ids.carol, ['_caseId']]]);
    await ok(us.key, `mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`, {
      t: {
        name: 'Loyalty',
        fields: [{ name: 'no', source: '_source.no' }, { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' }],
        keys: [
          { name: 'loyaltyNo', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['no'] },
          { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
        ],
      },
    });
    await ok(us.key, `mutation($o: JSONObject!) { putProfileObject(objectType: "Loyalty", object: $o) { profile { id } } }`, { o: { no: 'LY-42', email: 'alice@example.com' } });
    expect((await lookup(us.key, 'LY-42')).hits.map((h) => [h.profile.id, h.matchedKeys])).toEqual([[ids.alice, ['loyaltyNo']]]);
  });

  it('a profile id', async () => {
    const r = await lookup(us.key, ids.jose!.toUpperCase());
    expect(r.interpretedAs).toEqual(['ID']);
    expect(r.normalized).toBe(ids.jose);
    expect(r.hits.map((h) => [h.profile.id, h.matchedKeys])).toEqual([[ids.jose, ['_profileId']]]);
  });

  it('first bounds the hits; nested fields of the hits batch per level (no N+1)', async () => {
    for (let i = 0; i < 6; i++) await newProfile(us.key, { firstName: `Kim${i}`, lastName: 'Lee' });
    expect((await lookup(us.key, 'lee', 4)).hits).toHaveLength(4);
    const statementsFor = async (first: number) => {
      const r = await s.gql(`query($first: Int) { lookupProfiles(text: "lee", first: $first) { hits { profile { id contacts { totalCount } insights { kind } } } } }`, { first }, us.key);
      expect(r.errors).toBeUndefined();
      expect(r.data!.lookupProfiles.hits).toHaveLength(first);
      return r.extensions!.diagnostics.operationStatements as number;
    };
    expect(await statementsFor(6)).toBe(await statementsFor(1));
  });

  it('the name look-up is an index scan (GIN on the name tokens), not a sequential scan', { timeout: 120_000 }, async () => {
    // a domain of 20k profiles, so the planner's choice is real
    const bulk = await s.createDomain();
    const domainId = (await query<{ id: string }>(s.database.db, sql`select id from domains where name = ${bulk.name}`))[0]!.id;
    await query(s.database.db, sql`insert into profiles (domain_id, first_name, last_name) select ${domainId}, 'First' || g, 'Last' || (g % 5000) from generate_series(1, 20000) g`);
    await query(s.database.db, sql`analyze profiles`);
    const plan = await explainProfilesByName(s.database.db, domainId, 'last42 first42', 20);
    expect(plan).toContain('profiles_name_tokens_idx');
    expect(plan).not.toMatch(/Seq Scan on profiles/);
    expect((await lookup(bulk.key, 'FIRST42 last42')).hits).toHaveLength(1);
    expect((await lookup(bulk.key, 'last42', 100)).hits).toHaveLength(4);
  });

  it('isolation: another domain never finds these profiles by phone, e-mail, name, key or id', async () => {
    for (const text of ['+15551234567', 'alice@example.com', 'alice ng', 'ACC-1001', ids.alice!]) {
      expect((await lookup(jp.key, text)).hits, text).toEqual([]);
    }
  });

  it('hostile input: empty, too long, NUL, first out of range — refused with BAD_USER_INPUT', async () => {
    for (const [text, first] of [
      ['   ', 5],
      ['x'.repeat(201), 5],
      ['ali\u0000ce', 5],
      ['alice', 0],
      ['alice', 101],
    ] as const) {
      const r = await s.gql(LOOKUP, { text, first }, us.key);
      expect(codeOf(r), JSON.stringify([text.slice(0, 10), first])).toBe('BAD_USER_INPUT');
      expect(r.data?.lookupProfiles ?? null).toBeNull();
    }
    // regex and LIKE metacharacters, quotes, many words: plain text, no error, no match
    for (const text of ["%_\\' or 1=1 --", '.*', '[\\u0300-\\u036f]', 'a b c d e f g h i j k', '++++++', '@@@']) {
      const r = await lookup(us.key, text);
      expect(r.hits, text).toEqual([]);
    }
    expect(codeOf(await s.gql(LOOKUP, { text: 'alice' }))).toBe('UNAUTHENTICATED');
  });
});

describe('the same guards and answers over graphql-ws', () => {
  it('lookupProfiles, putProfileLayout and insights over a socket; NUL and bad panels refused with their codes', async () => {
    const c = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: us.key }, retryAttempts: 0, lazy: true });
    const run = (query: string, variables: Record<string, unknown> = {}) =>
      new Promise<GqlResult>((resolve) => {
        let result: GqlResult = {};
        c.subscribe({ query, variables }, { next: (r) => (result = r as GqlResult), error: (e) => resolve({ errors: e as GqlResult['errors'] }), complete: () => resolve(result) });
      });
    try {
      const found = await run(LOOKUP, { text: '555 123 4567' });
      expect(found.data!.lookupProfiles.hits.map((h: { profile: { id: string } }) => h.profile.id)).toEqual([ids.alice]);
      expect(codeOf(await run(LOOKUP, { text: 'a\u0000b' }))).toBe('BAD_USER_INPUT');
      expect(codeOf(await run(LOOKUP, { text: 'x'.repeat(500) }))).toBe('BAD_USER_INPUT');
      const bad = await run(`mutation { putProfileLayout(panels: [CASES, CASES, CARD]) { panels } }`);
      expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DUPLICATE_PANEL' });
      const insights = await run(`query($id: ID!) { profile(id: $id) { insights { kind } } }`, { id: ids.alice });
      expect(insights.errors).toBeUndefined();
      expect(insights.data!.profile.insights).toEqual([]);
    } finally {
      await c.dispose();
    }
  });
});

const LAYOUT = `{ profileLayout { panels updatedAt } }`;
const PUT_LAYOUT = `mutation($p: [ProfilePanel!]!) { putProfileLayout(panels: $p) { panels updatedAt } }`;

describe('profileLayout / putProfileLayout', () => {
  it('the default order until one is saved; a saved one round-trips and replaces the last', async () => {
    const d = await s.createDomain();
    const before = (await ok(d.key, LAYOUT)).profileLayout;
    expect(before.updatedAt).toBeNull();
    expect(before.panels[0]).toBe('CARD');
    expect(new Set(before.panels).size).toBe(11);
    const saved = (await ok(d.key, PUT_LAYOUT, { p: ['INSIGHTS', 'CARD', 'TIMELINE'] })).putProfileLayout;
    expect(saved.panels).toEqual(['INSIGHTS', 'CARD', 'TIMELINE']);
    expect(typeof saved.updatedAt).toBe('string');
    expect((await ok(d.key, LAYOUT)).profileLayout).toEqual(saved);
    const again = (await ok(d.key, PUT_LAYOUT, { p: ['CARD', 'CASES'] })).putProfileLayout;
    expect((await ok(d.key, LAYOUT)).profileLayout).toEqual(again);
    expect(again.panels).toEqual(['CARD', 'CASES']);
  });

  it('validation: duplicates, no CARD, unknown panel, too many — BAD_USER_INPUT with a reason, nothing written', async () => {
    const d = await s.createDomain();
    await ok(d.key, PUT_LAYOUT, { p: ['CARD', 'ORDERS'] });
    const dup = await s.gql(PUT_LAYOUT, { p: ['CARD', 'ORDERS', 'CARD'] }, d.key);
    expect(codeOf(dup)).toBe('BAD_USER_INPUT');
    expect(dup.errors![0]!.extensions!.reason).toBe('DUPLICATE_PANEL');
    expect(dup.errors![0]!.extensions!.panel).toBe('CARD');
    const noCard = await s.gql(PUT_LAYOUT, { p: ['ORDERS'] }, d.key);
    expect(noCard.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CARD_REQUIRED' });
    expect((await s.gql(PUT_LAYOUT, { p: [] }, d.key)).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CARD_REQUIRED' });
    expect(codeOf(await s.gql(PUT_LAYOUT, { p: ['CARD', 'NOPE'] }, d.key))).toBe('BAD_USER_INPUT'); // enum coercion
    const many = await s.gql(PUT_LAYOUT, { p: Array.from({ length: 12 }, () => 'CARD') }, d.key);
    expect(many.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY_PANELS' });
    expect((await ok(d.key, LAYOUT)).profileLayout.panels).toEqual(['CARD', 'ORDERS']);
    expect(codeOf(await s.gql(PUT_LAYOUT, { p: ['CARD'] }))).toBe('UNAUTHENTICATED');
  });

  it('isolation: one domain’s layout is not another’s', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    await ok(a.key, PUT_LAYOUT, { p: ['CARD', 'SEGMENTS'] });
    expect((await ok(b.key, LAYOUT)).profileLayout.updatedAt).toBeNull();
    await ok(b.key, PUT_LAYOUT, { p: ['IDENTITY', 'CARD'] });
    expect((await ok(a.key, LAYOUT)).profileLayout.panels).toEqual(['CARD', 'SEGMENTS']);
  });
});

const INSIGHTS = `query($id: ID!, $days: Int, $vip: Float) { profile(id: $id) { insights(noContactDays: $days, vipOrderTotal: $vip) { kind severity facts { key value } } } }`;

type InsightOut = { kind: string; severity: string; facts: { key: string; value: string }[] };
async function insightsOf(key: string, id: string, vars: Record<string, unknown> = {}): Promise<Record<string, { severity: string; facts: Record<string, unknown> }>> {
  const list = (await ok(key, INSIGHTS, { id, ...vars })).profile.insights as InsightOut[];
  return Object.fromEntries(list.map((i) => [i.kind, { severity: i.severity, facts: Object.fromEntries(i.facts.map((f) => [f.key, JSON.parse(f.value)])) }]));
}

async function contact(key: string, profileId: string, contactId: string, daysAgo: number) {
  await ok(key, `mutation($i: RecordContactInput!) { recordContact(input: $i) { contact { id } } }`, {
    i: { profileId, contactId, channel: 'VOICE', initiatedAt: at(daysAgo) },
  });
}

describe('Profile.insights', () => {
  let d: { name: string; key: string };
  const p: Record<string, string> = {};
  beforeAll(async () => {
    d = await s.createDomain();
    for (const n of ['frequent', 'quiet', 'vip', 'cases', 'dup', 'plain']) p[n] = await newProfile(d.key, { firstName: n });
    for (let i = 0; i < 6; i++) await contact(d.key, p.frequent!, `f${i}`, i * 5 + 1); // 6 in 30 days (1 … 26 days ago)
    await contact(d.key, p.frequent!, 'f-old', 45);
    await contact(d.key, p.quiet!, 'q1', 200);
    await contact(d.key, p.quiet!, 'q2', 120);
    const order = (orderId: string, totalPrice: string, currency: string, extra: Record<string, unknown> = {}) =>
      ok(d.key, `mutation($i: RecordOrderInput!) { recordOrder(input: $i) { order { id } } }`, { i: { profileId: p.vip, orderId, totalPrice, currency, orderedAt: at(3), ...extra } });
    await order('o1', '600.50', 'EUR');
    await order('o2', '400', 'EUR');
    await order('o3', '5000', 'EUR', { cancelledAt: at(2) }); // cancelled: not counted
    await order('o4', '300', 'USD');
    const kase = (caseId: string, priority: string, status = 'OPEN') =>
      ok(d.key, `mutation($i: CreateCaseInput!) { createCase(input: $i) { case { id } } }`, { i: { profileId: p.cases, caseId, title: `T ${caseId}`, priority, status } });
    await kase('c-low', 'LOW');
    await kase('c-high', 'HIGH');
    await kase('c-done', 'URGENT', 'RESOLVED');
    duplicates.set(p.dup!, [
      { profileId: p.plain!, confidence: 0.93, fields: ['emailAddress', 'lastName'] },
      { profileId: p.quiet!, confidence: 0.61, fields: ['phoneNumber'] },
    ]);
  });

  it('FREQUENT_CALLER: more than 5 contacts in 30 days (at the injected clock), with the count', async () => {
    const i = await insightsOf(d.key, p.frequent!);
    expect(i.FREQUENT_CALLER).toEqual({ severity: 'INFO', facts: { contactsInWindow: 6, windowDays: 30, threshold: 5, rule: 'calculated:frequentCaller' } });
    expect(i.NO_RECENT_CONTACT).toBeUndefined();
    clock.advanceDays(5); // the oldest of the six leaves the window
    try {
      expect((await insightsOf(d.key, p.frequent!)).FREQUENT_CALLER).toBeUndefined();
    } finally {
      clock.set(T0);
    }
  });

  it('FREQUENT_CALLER follows the domain’s own frequentCaller attribute, and the defaults without one', async () => {
    const put = `mutation($input: PutCalculatedAttributeInput!) { putCalculatedAttribute(input: $input) { name } }`;
    const other = await s.createDomain();
    const q = await newProfile(other.key, { firstName: 'q' });
    for (let i = 0; i < 3; i++) await contact(other.key, q, `o${i}`, i + 1); // 3 in the last 3 days
    expect((await insightsOf(other.key, q)).FREQUENT_CALLER).toBeUndefined();
    await ok(other.key, put, { input: { name: 'frequentCaller', objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 7 }, threshold: { operator: 'GREATER_THAN', value: '2' } } });
    expect((await insightsOf(other.key, q)).FREQUENT_CALLER!.facts).toEqual({ contactsInWindow: 3, windowDays: 7, threshold: 2, rule: 'calculated:frequentCaller' });
    await ok(other.key, `mutation { deleteCalculatedAttribute(name: "frequentCaller") }`);
    expect((await insightsOf(other.key, q)).FREQUENT_CALLER).toBeUndefined();
    for (let i = 3; i < 6; i++) await contact(other.key, q, `o${i}`, i + 1);
    expect((await insightsOf(other.key, q)).FREQUENT_CALLER!.facts).toEqual({ contactsInWindow: 6, windowDays: 30, threshold: 5, rule: 'default' });
  });

  it('NO_RECENT_CONTACT: last contact older than N days (default 90, or the argument)', async () => {
    const i = await insightsOf(d.key, p.quiet!);
    expect(i.NO_RECENT_CONTACT).toEqual({ severity: 'INFO', facts: { lastContactAt: at(120), daysSinceLastContact: 120, thresholdDays: 90 } });
    expect((await insightsOf(d.key, p.quiet!, { days: 150 })).NO_RECENT_CONTACT).toBeUndefined();
    expect((await insightsOf(d.key, p.plain!)).NO_RECENT_CONTACT).toBeUndefined(); // never contacted
  });

  it('VIP: not-cancelled orders in one currency reach the threshold (default 1000)', async () => {
    const i = await insightsOf(d.key, p.vip!);
    expect(i.VIP).toEqual({ severity: 'INFO', facts: { totalOrderValue: '1000.5', currency: 'EUR', orderCount: 2, threshold: 1000 } });
    expect((await insightsOf(d.key, p.vip!, { vip: 2000 })).VIP).toBeUndefined();
  });

  it('OPEN_HIGH_PRIORITY_CASE: open HIGH/URGENT cases (resolved and low ones do not count); URGENT is CRITICAL', async () => {
    const i = await insightsOf(d.key, p.cases!);
    expect(i.OPEN_HIGH_PRIORITY_CASE!.severity).toBe('WARNING');
    expect(i.OPEN_HIGH_PRIORITY_CASE!.facts).toMatchObject({ openHighPriorityCases: 1, caseId: 'c-high', title: 'T c-high', priority: 'HIGH', status: 'OPEN' });
    await ok(d.key, `mutation($i: CreateCaseInput!) { createCase(input: $i) { case { id } } }`, { i: { profileId: p.cases, caseId: 'c-urgent', title: 'Now', priority: 'URGENT' } });
    const j = await insightsOf(d.key, p.cases!);
    expect(j.OPEN_HIGH_PRIORITY_CASE).toMatchObject({ severity: 'CRITICAL', facts: { openHighPriorityCases: 2 } });
  });

  it('PROBABLE_DUPLICATE: from the identity provider wired in app.ts, best candidate first', async () => {
    const i = await insightsOf(d.key, p.dup!);
    expect(i.PROBABLE_DUPLICATE).toEqual({ severity: 'WARNING', facts: { candidateProfileIds: [p.plain, p.quiet], confidence: 0.93, matchedFields: ['emailAddress', 'lastName'] } });
    expect(await insightsOf(d.key, p.plain!)).toEqual({});
  });

  it('a page of profiles with their insights: one statement planned, two on the DataLoader path; one provider call per page', async () => {
    const q = `query { profiles(first: 50) { nodes { id insights { kind severity facts { key value } } } } }`;
    const planned = await readAs(s.url, 'planned', q, {}, d.key);
    const plain = await readAs(s.url, 'graphql-js', q, {}, d.key);
    expect(planned.body.errors).toBeUndefined();
    expect(planned.statements).toBe(1);
    expect(plain.statements).toBe(2);
    expect(planned.dataText).toBe(plain.dataText);
    const nodes = planned.body.data!.profiles.nodes as { id: string; insights: InsightOut[] }[];
    expect(nodes).toHaveLength(6);
    expect(nodes.find((n) => n.id === p.frequent)!.insights.map((x) => x.kind)).toEqual(['FREQUENT_CALLER']);
    const calls = providerCalls.length;
    await readAs(s.url, 'planned', q, {}, d.key);
    expect(providerCalls.length - calls).toBe(1);
    expect([...providerCalls[providerCalls.length - 1]!.ids].sort()).toEqual(Object.values(p).sort());
  });

  it('hostile arguments are refused with BAD_USER_INPUT', async () => {
    for (const vars of [{ days: 0 }, { days: 100000 }, { vip: -1 }, { vip: 1e300 }]) {
      const r = await s.gql(INSIGHTS, { id: p.vip, ...vars }, d.key);
      expect(codeOf(r), JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });

  it('isolation: another domain sees neither the profile nor its facts; the provider is asked with the caller’s domain', async () => {
    const other = await s.createDomain();
    expect((await ok(other.key, INSIGHTS, { id: p.vip })).profile).toBeNull();
    // same contact ids in another domain: its profile's facts are its own
    const q = await newProfile(other.key, { firstName: 'x' });
    for (let i = 0; i < 6; i++) await contact(other.key, q, `f${i}`, 1);
    expect((await insightsOf(d.key, p.frequent!)).FREQUENT_CALLER!.facts.contactsInWindow).toBe(6);
    expect((await insightsOf(other.key, q)).FREQUENT_CALLER!.facts.contactsInWindow).toBe(6);
    const before = providerCalls.length;
    await insightsOf(other.key, q);
    const otherId = (await query<{ id: string }>(s.database.db, sql`select id from domains where name = ${other.name}`))[0]!.id;
    expect(providerCalls.slice(before).every((c) => c.domainId === otherId)).toBe(true);
  });
});
