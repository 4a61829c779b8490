/**
 * Segments through the public API (HTTP POST /graphql): every operator and field kind against
 * membership computed by hand, groups and references, rule-path errors, cycles, injection
 * attempts, isolation across domains, statement counts, exports and Profile.segments.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../src/db/database.js';
import { ManualClock } from '../src/modules/jobs/clock.js';
import { startExport, waitForJob } from './helpers/jobs.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;
const clock = new ManualClock(new Date());
const DAY = 86_400_000;
const ago = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();
const dayAgo = (days: number) => ago(days).slice(0, 10);
const ids: Record<string, string> = {};

async function ok(q: string, variables: Record<string, unknown> = {}, k = key) {
  const r = await s.gql(q, variables, k);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

const PUT = `mutation($input: PutSegmentInput!) { putSegment(input: $input) { name rule text count } }`;
const MEMBERS = `query($n: String!) { segment(name: $n) { count members(first: 100) { nodes { firstName } } } }`;

let seq = 0;
/** Defines a segment from a rule tree or text, checks count and members against `expected` first names, deletes it. */
/** The members' first names of a rule (stored as a throwaway segment). */
async function membersOf(rule: Record<string, unknown> | string): Promise<string[]> {
  const name = `m${++seq}`;
  const input = typeof rule === 'string' ? { name, text: rule } : { name, rule };
  const r = await s.gql(PUT, { input }, key);
  expect(r.errors, `${JSON.stringify(rule)}: ${JSON.stringify(r.errors)}`).toBeUndefined();
  const got = (await ok(MEMBERS, { n: name })).segment.members.nodes.map((n: { firstName: string }) => n.firstName);
  await ok(`mutation($n: String!) { deleteSegment(name: $n) }`, { n: name });
  return got;
}

async function expectMembers(rule: Record<string, unknown> | string, expected: string[]) {
  const name = `s${++seq}`;
  const input = typeof rule === 'string' ? { name, text: rule } : { name, rule };
  const r = await s.gql(PUT, { input }, key);
  expect(r.errors, `${JSON.stringify(rule)}: ${JSON.stringify(r.errors)}`).toBeUndefined();
  const seg = (await ok(MEMBERS, { n: name })).segment;
  const got = seg.members.nodes.map((n: { firstName: string }) => n.firstName).sort();
  expect(got, JSON.stringify(rule)).toEqual([...expected].sort());
  expect(seg.count).toBe(expected.length);
  expect(r.data!.putSegment.count).toBe(expected.length);
  await ok(`mutation($n: String!) { deleteSegment(name: $n) }`, { n: name });
}

const cond = (field: string | null, operator: string, values: string[] = [], extra: Record<string, unknown> = {}) => ({
  condition: { ...(field !== null ? { field } : {}), operator, values, ...extra },
});

async function createProfile(input: Record<string, unknown>): Promise<string> {
  const d = await ok(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input });
  return d.createProfile.id;
}

beforeAll(async () => {
  s = await startTestServer({}, { clock });
  key = (await s.createDomain()).key;
  ids.Ada = await createProfile({
    firstName: 'Ada',
    lastName: 'Lovelace',
    birthDate: '1815-12-10',
    emailAddress: 'ada@example.com',
    address: { city: 'London', country: 'GB' },
    shippingAddress: { city: 'Paris' },
    attributes: [
      { key: 'tier', value: 'gold' },
      { key: 'score', value: '42' },
      { key: 'lastVisit', value: dayAgo(7) },
    ],
  });
  ids.Grace = await createProfile({
    firstName: 'Grace',
    lastName: 'Hopper',
    birthDate: '1906-12-09',
    address: { city: 'New York', country: 'US' },
    attributes: [
      { key: 'tier', value: 'silver' },
      { key: 'score', value: '7' },
      { key: 'lastVisit', value: dayAgo(60) },
    ],
  });
  ids.Alan = await createProfile({ firstName: 'Alan', lastName: 'Turing', birthDate: '1912-06-23', attributes: [{ key: 'tier', value: 'gold' }, { key: 'score', value: 'abc' }] });
  ids.Linus = await createProfile({ firstName: 'Linus', emailAddress: 'linus@example.com', lastName: 'Torvalds', mailingAddress: { postalCode: '94110' }, billingAddress: { country: 'FI' } });
  ids.Brien = await createProfile({ firstName: 'Brien', lastName: "O'Brien", attributes: [{ key: 'odd key', value: "x'y" }] });

  const order = (orderId: string, profileId: string, totalPrice: string, daysAgo: number) =>
    ok(`mutation($input: RecordOrderInput!) { recordOrder(input: $input) { order { id } } }`, { input: { orderId, profileId, totalPrice, currency: 'USD', orderedAt: ago(daysAgo) } });
  await order('o1', ids.Ada!, '10', 1);
  await order('o2', ids.Ada!, '20', 5);
  await order('o3', ids.Ada!, '30.5', 29);
  await order('o4', ids.Grace!, '500', 100);
  const contact = (contactId: string, profileId: string, channel: string, daysAgo: number) =>
    ok(`mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`, { input: { contactId, profileId, channel, initiatedAt: ago(daysAgo), queueWaitSeconds: 30 } });
  await contact('c1', ids.Ada!, 'VOICE', 2);
  await contact('c2', ids.Ada!, 'VOICE', 3);
  await contact('c3', ids.Grace!, 'CHAT', 60);
  await ok(`mutation($input: CreateCaseInput!) { createCase(input: $input) { created } }`, { input: { profileId: ids.Alan, caseId: 'K1', title: 'Broken', priority: 'HIGH' } });
  await ok(`mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`, {
    t: {
      name: 'Visit',
      allowProfileCreation: false,
      fields: [
        { name: 'id', source: '_source.id' },
        { name: 'email', source: '_source.email', contentType: 'EMAIL_ADDRESS' },
      ],
      keys: [
        { name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
        { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      ],
    },
  });
  for (const [id, seconds] of [
    ['v1', 30],
    ['v2', 30],
  ] as const) {
    const r = await ok(`mutation($o: JSONObject!) { putProfileObject(objectType: "Visit", object: $o) { outcome reason } }`, {
      o: { id, email: 'linus@example.com', page: '/home', seconds },
    });
    expect(r.putProfileObject.reason).toBeNull();
  }
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('segments: operators and field kinds against hand-computed membership', () => {
  it('text fields: EQUALS, IN, NOT_IN, CONTAINS, BEGINS_WITH, ENDS_WITH, EXISTS, NOT_EXISTS', async () => {
    await expectMembers(cond('attributes.tier', 'EQUALS', ['gold']), ['Ada', 'Alan']);
    await expectMembers(cond('attributes.tier', 'IN', ['silver', 'bronze']), ['Grace']);
    // a profile without the value is not IN, so it is NOT_IN
    await expectMembers(cond('attributes.tier', 'NOT_IN', ['gold']), ['Grace', 'Linus', 'Brien']);
    await expectMembers(cond('lastName', 'CONTAINS', ['OVE']), ['Ada']);
    await expectMembers(cond('lastName', 'CONTAINS', ['zzz', 'urin']), ['Alan']);
    await expectMembers(cond('firstName', 'BEGINS_WITH', ['gr']), ['Grace']);
    await expectMembers(cond('lastName', 'ENDS_WITH', ['ING', 'alds']), ['Alan', 'Linus']);
    await expectMembers(cond('attributes.tier', 'EXISTS'), ['Ada', 'Grace', 'Alan']);
    await expectMembers(cond('attributes.tier', 'NOT_EXISTS'), ['Linus', 'Brien']);
    await expectMembers(cond('emailAddress', 'EQUALS', ['ada@example.com']), ['Ada']);
  });

  it('numbers read from text: GT, GTE, LT, LTE, BETWEEN, NOT_BETWEEN (non-numbers never match, so NOT_BETWEEN holds)', async () => {
    await expectMembers(cond('attributes.score', 'GT', ['10']), ['Ada']);
    await expectMembers(cond('attributes.score', 'GTE', ['7']), ['Ada', 'Grace']);
    await expectMembers(cond('attributes.score', 'LT', ['10']), ['Grace']);
    await expectMembers(cond('attributes.score', 'LTE', ['42']), ['Ada', 'Grace']);
    await expectMembers(cond('attributes.score', 'BETWEEN', ['5', '42']), ['Ada', 'Grace']);
    await expectMembers(cond('attributes.score', 'NOT_BETWEEN', ['5', '10']), ['Ada', 'Alan', 'Linus', 'Brien']);
  });

  it('dates: birthDate BEFORE, AFTER, ON, BETWEEN, NOT_BETWEEN, GT; dates in attributes; WITHIN_LAST_DAYS', async () => {
    await expectMembers(cond('birthDate', 'BEFORE', ['1900-01-01']), ['Ada']);
    await expectMembers(cond('birthDate', 'AFTER', ['1910-01-01']), ['Alan']);
    await expectMembers(cond('birthDate', 'ON', ['1906-12-09']), ['Grace']);
    await expectMembers(cond('birthDate', 'BETWEEN', ['1900-01-01', '1910-01-01']), ['Grace']);
    await expectMembers(cond('birthDate', 'NOT_BETWEEN', ['1900-01-01', '1910-01-01']), ['Ada', 'Alan', 'Linus', 'Brien']);
    await expectMembers(cond('birthDate', 'GTE', ['1906-12-09']), ['Grace', 'Alan']);
    await expectMembers(cond('birthDate', 'EXISTS'), ['Ada', 'Grace', 'Alan']);
    await expectMembers(cond('attributes.lastVisit', 'WITHIN_LAST_DAYS', ['10']), ['Ada']);
    await expectMembers(cond('attributes.lastVisit', 'BEFORE', [dayAgo(30)]), ['Grace']);
    await expectMembers(cond('attributes.lastVisit', 'ON', [dayAgo(7)]), ['Ada']);
    clock.set(new Date(Date.now() + 60_000)); // the profiles were created after the clock was set
    await expectMembers(cond('createdAt', 'WITHIN_LAST_DAYS', ['1']), ['Ada', 'Grace', 'Alan', 'Linus', 'Brien']);
    await expectMembers(cond('createdAt', 'BEFORE', ['2020-01-01']), []);
    await expectMembers(cond('createdAt', 'AFTER', [ago(1)]), ['Ada', 'Grace', 'Alan', 'Linus', 'Brien']);
  });

  it('the four addresses and odd attribute names', async () => {
    await expectMembers(cond('address.city', 'EQUALS', ['London']), ['Ada']);
    await expectMembers(cond('address.country', 'IN', ['US', 'GB']), ['Ada', 'Grace']);
    await expectMembers(cond('shippingAddress.city', 'EQUALS', ['Paris']), ['Ada']);
    await expectMembers(cond('mailingAddress.postalCode', 'BEGINS_WITH', ['941']), ['Linus']);
    await expectMembers(cond('billingAddress.country', 'EXISTS'), ['Linus']);
    await expectMembers(cond('attributes.odd key', 'EQUALS', ["x'y"]), ['Brien']);
    await expectMembers("attributes.'odd key' = 'x\\'y'", ['Brien']);
  });

  it('object conditions: has within N days, count, sum/min/max/avg, object fields, custom types', async () => {
    await expectMembers(cond(null, 'EXISTS', [], { objectType: '_order', withinDays: 30 }), ['Ada']);
    await expectMembers(cond(null, 'EXISTS', [], { objectType: '_order' }), ['Ada', 'Grace']);
    await expectMembers(cond(null, 'NOT_EXISTS', [], { objectType: '_order' }), ['Alan', 'Linus', 'Brien']);
    await expectMembers(cond('count', 'GTE', ['3'], { objectType: '_order' }), ['Ada']);
    await expectMembers(cond('count', 'EQUALS', ['0'], { objectType: '_order', withinDays: 30 }), ['Grace', 'Alan', 'Linus', 'Brien']);
    await expectMembers(cond('count', 'EQUALS', ['2'], { objectType: '_order', withinDays: 10 }), ['Ada']);
    await expectMembers(cond('sum(totalPrice)', 'GT', ['100'], { objectType: '_order' }), ['Grace']);
    await expectMembers(cond('sum(totalPrice)', 'BETWEEN', ['60.5', '60.5'], { objectType: '_order', withinDays: 30 }), ['Ada']);
    await expectMembers(cond('avg(totalPrice)', 'LT', ['25'], { objectType: '_order' }), ['Ada']);
    await expectMembers(cond('max(totalPrice)', 'GTE', ['30.5'], { objectType: '_order' }), ['Ada', 'Grace']);
    await expectMembers(cond('min(totalPrice)', 'EQUALS', ['10'], { objectType: '_order' }), ['Ada']);
    await expectMembers(cond('orderedAt', 'WITHIN_LAST_DAYS', ['3'], { objectType: '_order' }), ['Ada']);
    await expectMembers(cond('channel', 'EQUALS', ['VOICE'], { objectType: '_ctr', withinDays: 30 }), ['Ada']);
    await expectMembers(cond('channel', 'EQUALS', ['CHAT'], { objectType: '_ctr', withinDays: 30 }), []);
    await expectMembers(cond('channel', 'EQUALS', ['CHAT'], { objectType: '_ctr' }), ['Grace']);
    await expectMembers(cond('count', 'GT', ['1'], { objectType: '_ctr', withinDays: 30 }), ['Ada']);
    await expectMembers(cond('avg(queueWaitSeconds)', 'EQUALS', ['30'], { objectType: '_ctr' }), ['Ada', 'Grace']);
    await expectMembers(cond('status', 'EQUALS', ['OPEN'], { objectType: '_case' }), ['Alan']);
    await expectMembers(cond('priority', 'IN', ['HIGH', 'URGENT'], { objectType: '_case', withinDays: 1 }), ['Alan']);
    await expectMembers(cond(null, 'EXISTS', [], { objectType: 'Visit' }), ['Linus']);
    await expectMembers(cond('sum(seconds)', 'GTE', ['60'], { objectType: 'Visit' }), ['Linus']);
    await expectMembers(cond('page', 'EQUALS', ['/home'], { objectType: 'Visit', withinDays: 1 }), ['Linus']);
    await expectMembers(cond('count', 'EQUALS', ['2'], { objectType: 'Visit' }), ['Linus']);
  });

  it('groups: all, any, none (nested) and references to other segments', async () => {
    const gold = cond('attributes.tier', 'EQUALS', ['gold']);
    const buyer = cond(null, 'EXISTS', [], { objectType: '_order' });
    await expectMembers({ all: [gold, buyer] }, ['Ada']);
    await expectMembers({ any: [gold, buyer] }, ['Ada', 'Alan', 'Grace']);
    await expectMembers({ none: [gold, buyer] }, ['Linus', 'Brien']);
    await expectMembers({ all: [{ none: [gold] }, { any: [buyer, cond('lastName', 'EQUALS', ["O'Brien"])] }] }, ['Grace', 'Brien']);
    await ok(PUT, { input: { name: 'gold', rule: gold } });
    await ok(PUT, { input: { name: 'goldBuyers', text: 'segment gold and has _order' } });
    await expectMembers({ segment: 'goldBuyers' }, ['Ada']);
    await expectMembers({ none: [{ segment: 'gold' }] }, ['Grace', 'Linus', 'Brien']);
    // redefining a referenced segment changes its referrers
    await ok(PUT, { input: { name: 'gold', rule: cond('attributes.tier', 'IN', ['gold', 'silver']) } });
    expect((await ok(MEMBERS, { n: 'goldBuyers' })).segment.count).toBe(2);
  });
});

describe('segments: text form', () => {
  const ROUND_TRIPS = [
    "attributes.tier = 'gold' and calculated.orderCount >= 3",
    "attributes.tier = 'gold' or firstName begins with 'Gr' and not lastName ends with ('a', 'b')",
    "(attributes.tier = 'gold' or has _order within 30 days) and count(_ctr within 7 days) > 5",
    "not (address.country in ('US', 'CA') or birthDate before 1990-01-01)",
    "sum(_order.totalPrice within 30 days) between 10.5 and 100 and avg(_ctr.queueWaitSeconds) < 60",
    "has _ctr where channel = 'VOICE' within 30 days and has no _case and segment vip",
    "attributes.'odd key' = 'it\\'s \\\\ \\n' and shippingAddress.city not in ('Paris') and attributes.score not between -3 and 7",
    "createdAt within last 30 days and birthDate on 2000-02-29 and updatedAt after 2026-01-01T10:00:00Z and attributes.x not exists",
    "lastName contains ('ov', 'ur') and attributes.tier exists and has Visit where page = '/home' and min(Visit.seconds) <= 0",
  ];

  it('parses to the tree putSegment stores, and prints back the same text', async () => {
    for (const text of ROUND_TRIPS) {
      const tree = (await ok(`query($t: String!) { segmentFromText(text: $t) }`, { t: text })).segmentFromText;
      // print(parse(text)) = text for text in canonical layout; parse(print(tree)) = tree
      const { printed } = await printAndParse(tree);
      expect(printed, text).toBe(text);
      const again = (await ok(`query($t: String!) { segmentFromText(text: $t) }`, { t: printed })).segmentFromText;
      expect(again).toEqual(tree);
    }
  });

  it('the text and the tree define the same segment', async () => {
    const tree = { all: [cond('attributes.tier', 'EQUALS', ['gold']), cond('count', 'GTE', ['3'], { objectType: '_order' })] };
    const a = (await ok(PUT, { input: { name: 'viaTree', rule: tree } })).putSegment;
    const b = (await ok(PUT, { input: { name: 'viaText', text: "attributes.tier = 'gold' and count(_order) >= 3" } })).putSegment;
    expect(b.rule).toEqual(a.rule);
    expect(a.rule).toEqual(tree);
    expect(a.text).toBe("attributes.tier = 'gold' and count(_order) >= 3");
    expect(a.count).toBe(1);
    const parsed = (await ok(`query($t: String!) { segmentFromText(text: $t) }`, { t: a.text })).segmentFromText;
    expect(parsed).toEqual(a.rule);
  });

  it('keywords are case-insensitive and values may be bare numbers and dates', async () => {
    const t = (await ok(`query { segmentFromText(text: "attributes.score >= 3 AND birthDate BEFORE 2000-01-01 OR NOT HAS _order") }`)).segmentFromText;
    expect(t).toEqual({
      any: [{ all: [cond('attributes.score', 'GTE', ['3']), cond('birthDate', 'BEFORE', ['2000-01-01'])] }, { none: [cond(null, 'EXISTS', [], { objectType: '_order' })] }],
    });
  });

  it('errors give the position', async () => {
    const cases: [string, number, RegExp][] = [
      ["attributes.tier = 'gold", 19, /no closing quote/],
      ['attributes.tier = ', 19, /expected a value/],
      ["attributes.tier == 'x'", 18, /expected a value/],
      ["firstName = 'a' and (lastName = 'b'", 36, /expected "\)"/],
      ["firstName = 'a' or or lastName = 'b'", 20, /expected a condition/],
      ["firstName likes 'a'", 11, /expected a comparison/],
      ["birthDate contains 'x'", 1, /CONTAINS does not apply to birthDate/],
      ["firstName = 'a' and count(_order) >= 'x'", 21, /not a number/],
      ["firstName = 'a' and\n  frist = 'b'", 3, /not a profile field/],
      ["firstName = 'a' $", 17, /unexpected character/],
      ['attributes.x = 1 and has _order within days', 40, /number of days/],
    ];
    for (const [text, column, message] of cases) {
      const r = await s.gql(`query($t: String!) { segmentFromText(text: $t) }`, { t: text }, key);
      expect(r.errors?.[0]?.extensions?.code, text).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message, text).toMatch(message);
      expect(r.errors![0]!.extensions!.column, `${text}: ${r.errors![0]!.message}`).toBe(column);
      expect(r.errors![0]!.message).toMatch(/\(at (line \d+, )?column \d+\)/);
    }
    const multi = await s.gql(`query($t: String!) { segmentFromText(text: $t) }`, { t: "firstName = 'a' and\n  frist = 'b'" }, key);
    expect(multi.errors![0]!.extensions).toMatchObject({ line: 2, column: 3, field: 'text' });
  });
});

/** The text of a tree (through putSegment) — and the tree the server stores for that text. */
async function printAndParse(tree: Record<string, unknown>): Promise<{ printed: string }> {
  // calculated.<name> and unknown segments cannot be stored; print through a pure query instead
  const name = `p${++seq}`;
  const r = await s.gql(`mutation($input: PutSegmentInput!) { putSegment(input: $input) { text } }`, { input: { name, rule: tree } }, key);
  if (!r.errors) {
    await ok(`mutation($n: String!) { deleteSegment(name: $n) }`, { n: name });
    return { printed: r.data!.putSegment.text };
  }
  const { ruleToText } = await import('../src/modules/segment/segment.text.js');
  return { printed: ruleToText(tree as never) };
}

describe('segments: calculated.<name> (the calculated-attributes module)', () => {
  it('reads current calculated values: numbers, text, times, booleans, and a new definition', async () => {
    // every new domain has the default calculated attributes (contactCount, totalOrderValue, lastOrderDate …)
    await expectMembers(cond('calculated.totalOrderValue', 'GT', ['100']), ['Grace']);
    await expectMembers(cond('calculated.totalOrderValue', 'BETWEEN', ['60', '61']), ['Ada']);
    await expectMembers(cond('calculated.contactCount', 'GTE', ['2']), ['Ada']);
    await expectMembers(cond('calculated.contactCount', 'EQUALS', ['0']), ['Alan', 'Linus', 'Brien']);
    // Conditions the no-row value (0) satisfies read per profile; the others through the index: same answers.
    await expectMembers(cond('calculated.contactCount', 'LT', ['1']), ['Alan', 'Linus', 'Brien']);
    await expectMembers(cond('calculated.contactCount', 'IN', ['0', '2', '3', '4', '5']), await membersOf(cond('calculated.contactCount', 'NOT_IN', ['1'])));
    await expectMembers({ none: [cond('calculated.contactCount', 'GTE', ['1'])] }, ['Alan', 'Linus', 'Brien']);
    await expectMembers(cond('calculated.lastChannel', 'NOT_IN', ['CHAT']), await membersOf({ none: [cond('calculated.lastChannel', 'EQUALS', ['CHAT'])] }));
    await expectMembers(cond('calculated.lastChannel', 'EQUALS', ['CHAT']), ['Grace']);
    await expectMembers(cond('calculated.lastChannel', 'NOT_EXISTS'), ['Alan', 'Linus', 'Brien']);
    await expectMembers(cond('calculated.lastOrderDate', 'WITHIN_LAST_DAYS', ['10']), ['Ada']);
    await expectMembers(cond('calculated.lastOrderDate', 'BEFORE', [dayAgo(50)]), ['Grace']);
    await expectMembers(cond('calculated.frequentCaller', 'EQUALS', ['false']), ['Ada', 'Grace', 'Alan', 'Linus', 'Brien']);
    await ok(`mutation($input: PutCalculatedAttributeInput!) { putCalculatedAttribute(input: $input) { name } }`, {
      input: { name: 'orderCount', objectType: '_order', statistic: 'COUNT' },
    });
    await expectMembers("attributes.tier = 'gold' and calculated.orderCount >= 3", ['Ada']);
    await expectMembers('calculated.orderCount >= 1 or calculated.openCaseCount > 0', ['Ada', 'Grace', 'Alan']);
    const unknown = await s.gql(PUT, { input: { name: 'calcBad', rule: { all: [cond('firstName', 'EXISTS'), cond('calculated.nope', 'GT', ['1'])] } } }, key);
    expect(unknown.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rule.all[1].condition.field' });
    expect(unknown.errors![0]!.message).toMatch(/not a calculated attribute/);
  });
});

describe('segments: counts of "has an order within N days" through lastOrderDate', () => {
  it('stay exact as orders arrive, merge and unmerge, and without the definition (the orders are read)', async () => {
    const d = await s.createDomain();
    const run = (q: string, v: Record<string, unknown> = {}) => ok(q, v, d.key);
    const person = async (firstName: string) => (await run(`mutation($i: ProfileInput!) { createProfile(input: $i) { id } }`, { i: { firstName } })).createProfile.id as string;
    const order = (orderId: string, profileId: string, daysAgo: number) =>
      run(`mutation($i: RecordOrderInput!) { recordOrder(input: $i) { order { id } } }`, { i: { orderId, profileId, totalPrice: '5', currency: 'EUR', orderedAt: ago(daysAgo) } });
    const [ann, bob, cy] = [await person('Ann'), await person('Bob'), await person('Cy')];
    await order('n1', ann, 3);
    await order('n2', bob, 45);
    await run(PUT, { input: { name: 'recent', text: 'has _order within 30 days' } });
    await run(PUT, { input: { name: 'buyers', text: 'has _order' } });
    const state = async () => {
      const r = await run(`{ recent: segment(name: "recent") { count members { nodes { id } } } buyers: segment(name: "buyers") { count members { nodes { id } } } p: segmentPreview(text: "has _order within 30 days") { count } }`);
      // by id: a merge may give the main profile the other's name
      const label: Record<string, string> = { [ann]: 'Ann', [bob]: 'Bob', [cy]: 'Cy' };
      const names = (x: { members: { nodes: { id: string }[] } }) => x.members.nodes.map((n) => label[n.id] ?? n.id).sort();
      // the count (values) and the members (orders) agree
      expect(r.recent.count).toBe(r.recent.members.nodes.length);
      expect(r.buyers.count).toBe(r.buyers.members.nodes.length);
      expect(r.p.count).toBe(r.recent.count);
      return { recent: names(r.recent), buyers: names(r.buyers) };
    };
    expect(await state()).toEqual({ recent: ['Ann'], buyers: ['Ann', 'Bob'] });
    // the count loads the definitions to find lastOrderDate (test/segment-sets.test.ts: then it reads its values)
    const counted = await s.gql(`{ segment(name: "recent") { count } }`, {}, d.key);
    expect(counted.extensions!.diagnostics.operationStatements).toBe(3); // the segment, the definitions, the count
    await order('n3', bob, 1); // read right after the write
    expect(await state()).toEqual({ recent: ['Ann', 'Bob'], buyers: ['Ann', 'Bob'] });
    await order('n4', cy, 400);
    expect(await state()).toEqual({ recent: ['Ann', 'Bob'], buyers: ['Ann', 'Bob', 'Cy'] });
    // Cy merged into Ann: Cy's order moves, Cy is gone; undone, Cy is back with it
    const merged = await run(`mutation($i: MergeProfilesInput!) { mergeProfiles(input: $i) { merge { id } } }`, { i: { mainProfileId: ann, profileIdsToMerge: [cy] } });
    expect(await state()).toEqual({ recent: ['Ann', 'Bob'], buyers: ['Ann', 'Bob'] });
    await run(`mutation($id: ID!) { unmergeProfiles(mergeId: $id) { restoredProfileIds } }`, { id: merged.mergeProfiles.merge.id });
    expect(await state()).toEqual({ recent: ['Ann', 'Bob'], buyers: ['Ann', 'Bob', 'Cy'] });
    // without the definition the orders are read: the same answers
    expect((await run(`mutation { deleteCalculatedAttribute(name: "lastOrderDate") }`)).deleteCalculatedAttribute).toBe(true);
    expect(await state()).toEqual({ recent: ['Ann', 'Bob'], buyers: ['Ann', 'Bob', 'Cy'] });
    // time passes: Ann's order (3 days ago) leaves a 2-day window, Bob's (1 day ago) stays
    await run(PUT, { input: { name: 'recent', text: 'has _order within 2 days' } });
    await run(`mutation($i: PutCalculatedAttributeInput!) { putCalculatedAttribute(input: $i) { name } }`, { i: { name: 'lastOrderDate', objectType: '_order', expression: 'orderedAt', statistic: 'MAXIMUM' } });
    const r = await run(`{ segment(name: "recent") { count members { nodes { id } } } }`);
    expect(r.segment).toEqual({ count: 1, members: { nodes: [{ id: bob }] } });
  });
});

describe('segments: operations', () => {
  it('segment, segments, members pages with keyset cursors, segmentMembership, Profile.segments', async () => {
    await ok(PUT, { input: { name: 'named', description: 'People with a last name', text: 'lastName exists' } });
    const page1 = (await ok(`{ segment(name: "named") { name description count members(first: 2) { pageInfo { hasNextPage endCursor } edges { cursor node { id firstName } } } } }`)).segment;
    expect(page1).toMatchObject({ name: 'named', description: 'People with a last name', count: 5 });
    const seen = page1.members.edges.map((e: { node: { firstName: string } }) => e.node.firstName);
    let after = page1.members.pageInfo.endCursor;
    for (let more = page1.members.pageInfo.hasNextPage; more; ) {
      const next = (await ok(`query($a: String) { segment(name: "named") { members(first: 2, after: $a) { pageInfo { hasNextPage endCursor } nodes { firstName } } } }`, { a: after })).segment.members;
      seen.push(...next.nodes.map((n: { firstName: string }) => n.firstName));
      after = next.pageInfo.endCursor;
      more = next.pageInfo.hasNextPage;
    }
    // the profiles order: newest first
    expect(seen).toEqual(['Brien', 'Linus', 'Alan', 'Grace', 'Ada']);
    const bad = await s.gql(`{ segment(name: "named") { members(after: "nonsense") { nodes { id } } } }`, {}, key);
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');

    const names = (await ok(`{ segments { name } }`)).segments.map((x: { name: string }) => x.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('named');
    expect((await ok(`{ segment(name: "nope") { name } }`)).segment).toBeNull();

    await ok(PUT, { input: { name: 'golden', text: "attributes.tier = 'gold'" } });
    const membership = (await ok(`query($ids: [ID!]!) { segmentMembership(name: "golden", profileIds: $ids) { profileId member } }`, {
      ids: [ids.Ada, ids.Grace, ids.Alan, '00000000-0000-0000-0000-000000000000'],
    })).segmentMembership;
    expect(membership).toEqual([
      { profileId: ids.Ada, member: true },
      { profileId: ids.Grace, member: false },
      { profileId: ids.Alan, member: true },
      { profileId: '00000000-0000-0000-0000-000000000000', member: false },
    ]);
    const tooMany = await s.gql(`query($ids: [ID!]!) { segmentMembership(name: "golden", profileIds: $ids) { member } }`, { ids: Array.from({ length: 101 }, () => ids.Ada) }, key);
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'profileIds' });
    const unknown = await s.gql(`{ segmentMembership(name: "nope", profileIds: []) { member } }`, {}, key);
    expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');

    const profiles = (await ok(`{ profiles(first: 10) { nodes { firstName segments } } }`)).profiles.nodes;
    const byName = Object.fromEntries(profiles.map((p: { firstName: string; segments: string[] }) => [p.firstName, p.segments]));
    expect(byName.Ada).toEqual(expect.arrayContaining(['golden', 'named']));
    expect(byName.Grace).not.toContain('golden');
    expect(byName.Linus).toContain('named');
  });

  it('count, the first page and Profile.segments of a page are one SQL statement each (after loading the definition)', async () => {
    await ok(PUT, { input: { name: 'stmts', text: "attributes.tier = 'gold' or has _order within 30 days or count(_ctr) > 1" } });
    const stmts = async (q: string) => {
      const r = await s.gql(q, {}, key);
      expect(r.errors).toBeUndefined();
      return r.extensions!.diagnostics.operationStatements as number;
    };
    // the definition (with every segment it references, one recursive statement) + the evaluation
    expect(await stmts(`{ segment(name: "stmts") { count } }`)).toBe(2);
    expect(await stmts(`{ segment(name: "stmts") { members(first: 20) { nodes { id firstName attributes { key value } } } } }`)).toBe(2);
    expect(await stmts(`{ segment(name: "stmts") { count members(first: 20) { nodes { id } } } }`)).toBe(3);
    expect(await stmts(`{ segment(name: "goldBuyers") { count } }`)).toBe(2);
    // Profile.segments for a page: the domain's segments + one evaluation, whatever the page size
    expect(await stmts(`{ profiles(first: 2) { nodes { id segments } } }`)).toBe(3);
    expect(await stmts(`{ profiles(first: 5) { nodes { id segments } } }`)).toBe(3);
  });

  it('deleteSegment refuses while others reference it, naming them; then deletes', async () => {
    await ok(PUT, { input: { name: 'base', text: 'firstName exists' } });
    await ok(PUT, { input: { name: 'refA', text: 'segment base' } });
    await ok(PUT, { input: { name: 'refB', text: "segment base and firstName = 'Ada'" } });
    const refused = await s.gql(`mutation { deleteSegment(name: "base") }`, {}, key);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', referrers: ['refA', 'refB'] });
    expect(refused.errors![0]!.message).toMatch(/"refA", "refB"/);
    expect((await ok(`mutation { a: deleteSegment(name: "refA") b: deleteSegment(name: "refB") c: deleteSegment(name: "base") d: deleteSegment(name: "base") }`))).toEqual({ a: true, b: true, c: true, d: false });
  });

  it('exports a segment snapshot as CSV and JSONL through the export jobs', async () => {
    await ok(PUT, { input: { name: 'toExport', text: "attributes.tier = 'gold'" } });
    for (const format of ['JSONL', 'CSV']) {
      const started = await startExport(s, key, { objectTypes: ['profile'], format, segment: 'toExport' });
      expect(started.errors).toBeUndefined();
      const job = await waitForJob(s, key, started.data!.startExport.id);
      expect(job.status).toBe('SUCCEEDED');
      expect(job.export.rows).toBe(2);
      const file = job.export.files[0];
      const res = await fetch(new URL(file.downloadPath, s.url), { headers: { authorization: `Bearer ${key}` } });
      const body = await res.text();
      expect(body).toContain('Ada');
      expect(body).toContain('Alan');
      expect(body).not.toContain('Grace');
      if (format === 'JSONL') expect(body.trim().split('\n').map((l) => JSON.parse(l).firstName).sort()).toEqual(['Ada', 'Alan']);
      else expect(body.split('\r\n')[0]).toContain('attributes.tier');
    }
    const wrong = await startExport(s, key, { objectTypes: ['profile', 'order'], segment: 'toExport' });
    expect(wrong.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'objectTypes' });
    const missing = await startExport(s, key, { objectTypes: ['profile'], segment: 'nope' });
    expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});

describe('segments: refused rules name the clause', () => {
  const refuse = async (input: Record<string, unknown>, field: string, message: RegExp) => {
    const r = await s.gql(PUT, { input: { name: 'bad', ...input } }, key);
    expect(r.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(r.errors![0]!.message).toMatch(message);
    expect((await ok(`{ segment(name: "bad") { name } }`)).segment).toBeNull();
  };
  const okRule = cond('firstName', 'EXISTS');

  it('paths of the offending clause', async () => {
    await refuse({ rule: { all: [okRule, okRule, cond('birthDate', 'CONTAINS', ['x'])] } }, 'rule.all[2].condition.operator', /CONTAINS does not apply to birthDate/);
    await refuse({ rule: { any: [okRule, { none: [cond('attributes.score', 'GT', ['ten'])] }] } }, 'rule.any[1].none[0].condition.values[0]', /neither a number nor a date/);
    await refuse({ rule: { all: [okRule, cond('frist', 'EXISTS')] } }, 'rule.all[1].condition.field', /not a profile field/);
    await refuse({ rule: { all: [okRule, cond('address.planet', 'EXISTS')] } }, 'rule.all[1].condition.field', /address part/);
    await refuse({ rule: cond('firstName', 'BETWEEN', ['1']) }, 'rule.condition.values', /exactly 2 values/);
    await refuse({ rule: cond('firstName', 'EQUALS', ['a'], { withinDays: 3 }) }, 'rule.condition.withinDays', /object conditions/);
    await refuse({ rule: cond('count', 'CONTAINS', ['1'], { objectType: '_order' }) }, 'rule.condition.operator', /does not apply to count/);
    await refuse({ rule: cond('colour', 'EQUALS', ['red'], { objectType: '_order' }) }, 'rule.condition.field', /not a field of _order/);
    await refuse({ rule: cond(null, 'EXISTS', [], { objectType: 'Nope' }) }, 'rule.condition.objectType', /does not exist/);
    await refuse({ rule: cond(null, 'GT', ['1'], { objectType: '_ctr' }) }, 'rule.condition.operator', /EXISTS or NOT_EXISTS/);
    await refuse({ rule: cond('birthDate', 'ON', ['2026-02-30']) }, 'rule.condition.values[0]', /not a date/);
    await refuse({ rule: cond('attributes.x', 'WITHIN_LAST_DAYS', ['0']) }, 'rule.condition.values[0]', /number of days/);
    await refuse({ rule: cond('attributes.x', 'BETWEEN', ['9', '1']) }, 'rule.condition.values[1]', /low value first/);
    await refuse({ rule: { all: [okRule, { segment: 'missing' }] } }, 'rule.all[1].segment', /does not exist/);
    await refuse({ rule: { all: [] } }, 'rule.all', /at least one/);
    await refuse({ rule: { all: [okRule], any: [okRule] } }, 'rule', /exactly one of/);
    await refuse({ rule: {} }, 'rule', /exactly one of/);
    await refuse({ rule: cond('calculated.noSuchThing', 'GT', ['3']) }, 'rule.condition.field', /not a calculated attribute/);
    await refuse({ rule: okRule, text: 'firstName exists' }, 'text', /exactly one of/);
    await refuse({ text: "firstName = 'a' and" }, 'text', /column 20/);
    const badName = await s.gql(PUT, { input: { name: "x'; drop table segments; --", rule: okRule } }, key);
    expect(badName.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('cycles through references are refused, self-references too', async () => {
    await ok(PUT, { input: { name: 'cycA', text: 'firstName exists' } });
    await ok(PUT, { input: { name: 'cycB', text: 'segment cycA' } });
    await ok(PUT, { input: { name: 'cycC', text: 'segment cycB or lastName exists' } });
    await refuse({ name: 'cycA', rule: { any: [okRule, { segment: 'cycC' }] } }, 'rule.any[1].segment', /cycle/);
    const self = await s.gql(PUT, { input: { name: 'selfish', rule: { all: [okRule, { segment: 'selfish' }] } } }, key);
    expect(self.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rule.all[1].segment' });
    expect(self.errors![0]!.message).toMatch(/selfish → selfish/);
    // cycA is unchanged
    expect((await ok(`{ segment(name: "cycA") { text } }`)).segment.text).toBe('firstName exists');
  });

  it('hostile sizes: depth, clause count, values, text length', async () => {
    let deep: Record<string, unknown> = okRule;
    for (let i = 0; i < 10; i++) deep = { all: [deep, okRule] };
    const d = await s.gql(PUT, { input: { name: 'deep', rule: deep } }, key);
    expect(d.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(d.errors![0]!.message).toMatch(/nest at most/);
    const wide = await s.gql(PUT, { input: { name: 'wide', rule: { any: Array.from({ length: 150 }, () => okRule) } } }, key);
    expect(wide.errors![0]!.message).toMatch(/at most 100 clauses/);
    const values = await s.gql(PUT, { input: { name: 'many', rule: cond('firstName', 'IN', Array.from({ length: 51 }, (_, i) => `v${i}`)) } }, key);
    expect(values.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rule.condition.values' });
    const longText = await s.gql(PUT, { input: { name: 'long', text: `firstName = '${'x'.repeat(20_000)}'` } }, key);
    expect(longText.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const nested = await s.gql(`query($t: String!) { segmentFromText(text: $t) }`, { t: `${'('.repeat(5000)}firstName exists${')'.repeat(5000)}` }, key);
    expect(nested.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('segments: injection and isolation', () => {
  it('values, attribute names and object fields are parameters, never SQL', async () => {
    const attacks = [
      "'; drop table profiles; --",
      "gold' or '1'='1",
      '$1',
      "x\\'); delete from segments; --",
      '%',
      '_',
    ];
    for (const v of attacks) {
      await expectMembers(cond('attributes.tier', 'EQUALS', [v]), []);
      await expectMembers(cond('lastName', 'CONTAINS', [v]), []);
      await expectMembers(cond(`attributes.${v}`, 'EXISTS'), []);
      await expectMembers(cond(`address.city`, 'IN', [v, 'London']), ['Ada']);
    }
    // LIKE wildcards are plain characters: "%" and "_" match only themselves
    await expectMembers(cond('lastName', 'BEGINS_WITH', ['%']), []);
    await expectMembers(cond('lastName', 'CONTAINS', ["'"]), ['Brien']);
    await expectMembers(`attributes."tier'); drop table segments; --" exists`, []);
    await expectMembers(cond('data', 'EQUALS', ["') or 1=1 --"], { objectType: 'Visit' }), []);
    await expectMembers(cond('a.b', 'EQUALS', ["') or 1=1 --"], { objectType: 'Visit' }), []);
    const field = await s.gql(PUT, { input: { name: 'inj', rule: cond("page') or true or ('", 'EXISTS', [], { objectType: 'Visit' }) } }, key);
    expect(field.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rule.condition.field' });
    // the tables are all there and the data unchanged
    const rows = await query<{ n: number }>(s.database.db, sql`select count(*)::int as n from profiles`);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(5);
    expect((await ok(`{ segment(name: "golden") { count } }`)).segment.count).toBe(2);
  });

  it("another domain's segments and profiles are never visible or counted", async () => {
    const other = await s.createDomain();
    const gql = (q: string, v: Record<string, unknown> = {}) => s.gql(q, v, other.key);
    expect((await gql(`{ segment(name: "golden") { name } }`)).data!.segment).toBeNull();
    expect((await gql(`{ segments { name } }`)).data!.segments).toEqual([]);
    expect((await gql(`mutation { deleteSegment(name: "golden") }`)).data!.deleteSegment).toBe(false);
    const put = await gql(PUT, { input: { name: 'golden', text: "attributes.tier = 'gold' or has _order or has Visit or segment golden2" } });
    expect(put.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' }); // Visit and golden2 are not this domain's
    const mine = await gql(PUT, { input: { name: 'golden', text: "attributes.tier = 'gold' or has _order" } });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.putSegment.count).toBe(0);
    const members = await gql(`{ segment(name: "golden") { count members { nodes { id } } } }`);
    expect(members.data!.segment).toEqual({ count: 0, members: { nodes: [] } });
    const check = await gql(`query($ids: [ID!]!) { segmentMembership(name: "golden", profileIds: $ids) { member } }`, { ids: [ids.Ada, ids.Alan] });
    expect(check.data!.segmentMembership).toEqual([{ member: false }, { member: false }]);
    const export_ = await gql(`mutation { startExport(input: { objectTypes: ["profile"], segment: "named" }) { id } }`);
    expect(export_.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    // counts read as member sets (one condition: objects, calculated values) see this domain's rows only
    for (const [name, text] of [
      ['buyers', 'has _order'],
      ['callers', "has _ctr where channel = 'VOICE'"],
      ['valued', 'calculated.totalOrderValue > 0'],
    ]) {
      const r = await gql(PUT, { input: { name, text } });
      expect(r.errors, text).toBeUndefined();
      expect(r.data!.putSegment.count, text).toBe(0);
      expect((await gql(`query($n: String!) { segment(name: $n) { count } }`, { n: name })).data!.segment.count, text).toBe(0);
      expect((await gql(`query($t: String!) { segmentPreview(text: $t) { count } }`, { t: text })).data!.segmentPreview.count, text).toBe(0);
    }
    // and the first domain's segment is untouched
    expect((await ok(`{ segment(name: "golden") { count } }`)).segment.count).toBe(2);
  });
});
