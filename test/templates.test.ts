/**
 * Industry templates through the public API (HTTP POST /graphql): industryTemplates describes each;
 * applyTemplate installs its calculated attributes and segments, is idempotent (a second
 * application writes no definition, segment or event), keeps a same-named existing item, refuses a
 * conflicting calculated attribute before writing anything; a template segment follows recorded
 * orders, contacts and cases; other domains see nothing; only domain keys may call it.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../src/db/database.js';
import { ManualClock } from '../src/modules/jobs/clock.js';
import { TEMPLATES } from '../src/modules/template/template.catalog.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
const clock = new ManualClock(new Date());
const DAY = 86_400_000;
const ago = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();
const INDUSTRIES = ['AIRLINE', 'HOTEL', 'RETAIL'] as const;

async function ok(key: string, q: string, variables: Record<string, unknown> = {}) {
  const r = await s.gql(q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

const APPLY = `mutation($t: IndustryTemplate!) { applyTemplate(template: $t) {
  template calculatedAttributesInstalled calculatedAttributesExisting segmentsInstalled segmentsExisting changed
  customAttributes { objectType name description } } }`;
const apply = async (key: string, t: string) => (await ok(key, APPLY, { t })).applyTemplate;

const names = (xs: readonly { name: string }[]) => xs.map((x) => x.name);
const calcNames = (t: (typeof INDUSTRIES)[number]) => names(TEMPLATES[t].calculatedAttributes);
const segNames = (t: (typeof INDUSTRIES)[number]) => names(TEMPLATES[t].segments);

async function newProfile(key: string, firstName: string, attributes: { key: string; value: string }[] = []): Promise<string> {
  return (await ok(key, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { firstName, attributes } })).createProfile.id;
}
const order = (key: string, profileId: string, orderId: string, totalPrice: string, daysAgo: number) =>
  ok(key, `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { order { id } } }`, { input: { orderId, profileId, totalPrice, currency: 'USD', orderedAt: ago(daysAgo) } });

async function members(key: string, name: string): Promise<string[]> {
  const d = await ok(key, `query($n: String!) { segment(name: $n) { count members(first: 100) { nodes { firstName } } } }`, { n: name });
  const got = d.segment.members.nodes.map((n: { firstName: string }) => n.firstName).sort();
  expect(d.segment.count).toBe(got.length);
  return got;
}

/** Rows of the domain's definitions, segments and events (what a second application must not change). */
async function footprint(domainName: string) {
  const [r] = await query<{ defs: string; segs: string; events: number }>(
    s.database.db,
    sql`select
      (select string_agg(c.name || ':' || c.version, ',' order by c.name) from calculated_attributes c where c.domain_id = d.id) as defs,
      (select string_agg(g.name || ':' || g.version, ',' order by g.name) from segments g where g.domain_id = d.id) as segs,
      (select count(*)::int from events e where e.domain_id = d.id) as events
    from domains d where d.name = ${domainName}`,
  );
  return r!;
}

beforeAll(async () => {
  s = await startTestServer({}, { clock });
});
afterAll(async () => {
  await s?.close();
});

describe('industryTemplates', () => {
  it('describes every template: custom attributes, calculated attributes with their parts, segments with their text', async () => {
    const { key } = await s.createDomain();
    const d = await ok(
      key,
      `{ industryTemplates { template description customAttributes { objectType name description }
         calculatedAttributes { name description objectType expression statistic window { lastDays lastObjects from to } conditions { field operator values } threshold { operator value } }
         segments { name description text } } }`,
    );
    expect(d.industryTemplates.map((t: { template: string }) => t.template)).toEqual([...INDUSTRIES]);
    for (const t of d.industryTemplates) {
      const industry = t.template as (typeof INDUSTRIES)[number];
      expect(names(t.calculatedAttributes)).toEqual(calcNames(industry));
      expect(names(t.segments)).toEqual(segNames(industry));
      expect(t.customAttributes.length).toBeGreaterThan(0);
      for (const seg of t.segments) {
        // every text parses
        await ok(key, `query($t: String!) { segmentFromText(text: $t) }`, { t: seg.text });
      }
    }
    const retail = d.industryTemplates.find((t: { template: string }) => t.template === 'RETAIL');
    expect(retail.calculatedAttributes.find((c: { name: string }) => c.name === 'highValueCustomer')).toMatchObject({
      objectType: '_order',
      expression: 'totalPrice',
      statistic: 'SUM',
      window: { lastDays: 365, lastObjects: null, from: null, to: null },
      conditions: [],
      threshold: { operator: 'GREATER_THAN', value: '1000' },
    });
    const airline = d.industryTemplates.find((t: { template: string }) => t.template === 'AIRLINE');
    expect(airline.customAttributes.map((c: { objectType: string; name: string }) => `${c.objectType}.${c.name}`)).toEqual(['profile.tier', 'profile.loyaltyNumber', 'profile.homeAirport', '_ctr.reason']);
  });
});

describe('applyTemplate', () => {
  for (const industry of INDUSTRIES) {
    it(`${industry}: installs its calculated attributes and segments; applying again changes nothing and says so`, async () => {
      const dom = await s.createDomain();
      const key = dom.key;
      const p = await newProfile(key, 'Ada', [{ key: 'tier', value: 'gold' }, { key: 'loyaltyNumber', value: 'L-1' }]);
      await order(key, p, 'o-1', '40', 3);
      const first = await apply(key, industry);
      expect(first.template).toBe(industry);
      expect(first.changed).toBe(true);
      expect(first.calculatedAttributesInstalled).toEqual(calcNames(industry));
      expect(first.calculatedAttributesExisting).toEqual([]);
      expect(first.segmentsInstalled).toEqual(segNames(industry));
      expect(first.segmentsExisting).toEqual([]);
      expect(names(first.customAttributes)).toEqual(names(TEMPLATES[industry].customAttributes));

      const defs = await ok(key, `{ calculatedAttributeDefinitions { name backfilled } segments { name text description } }`);
      const defNames = names(defs.calculatedAttributeDefinitions);
      for (const n of calcNames(industry)) expect(defNames).toContain(n);
      expect(defs.calculatedAttributeDefinitions.every((d: { backfilled: boolean }) => d.backfilled)).toBe(true);
      expect(names(defs.segments).sort()).toEqual([...segNames(industry)].sort());
      for (const seg of TEMPLATES[industry].segments) {
        const stored = defs.segments.find((x: { name: string }) => x.name === seg.name);
        expect(stored.description).toBe(seg.description);
        // the stored rule is the template's text, parsed
        const tree = (await ok(key, `query($t: String!) { segmentFromText(text: $t) }`, { t: seg.text })).segmentFromText;
        const again = (await ok(key, `query($t: String!) { segmentFromText(text: $t) }`, { t: stored.text })).segmentFromText;
        expect(again).toEqual(tree);
      }
      await settle(dom.name);
      const before = await footprint(dom.name);
      const second = await apply(key, industry);
      expect(second).toMatchObject({
        changed: false,
        calculatedAttributesInstalled: [],
        calculatedAttributesExisting: calcNames(industry),
        segmentsInstalled: [],
        segmentsExisting: segNames(industry),
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(await footprint(dom.name)).toEqual(before);
    });
  }

  it('keeps an existing item of a template name as it is (reported as existing) and installs the rest', async () => {
    const { key } = await s.createDomain();
    await ok(key, `mutation { putSegment(input: { name: "recentBuyers", text: "attributes.tier = 'x'" }) { name } }`);
    await ok(key, `mutation { putCalculatedAttribute(input: { name: "orderCount", objectType: "_order", statistic: COUNT, window: { lastDays: 7 } }) { name } }`);
    const r = await apply(key, 'RETAIL');
    expect(r.segmentsExisting).toEqual(['recentBuyers']);
    expect(r.segmentsInstalled).toEqual(segNames('RETAIL').filter((n) => n !== 'recentBuyers'));
    expect(r.calculatedAttributesExisting).toEqual(['orderCount']);
    expect(r.calculatedAttributesInstalled).toEqual(calcNames('RETAIL').filter((n) => n !== 'orderCount'));
    const d = await ok(key, `{ segment(name: "recentBuyers") { text } calculatedAttributeDefinition(name: "orderCount") { window { lastDays } version } }`);
    expect(d.segment.text).toBe("attributes.tier = 'x'");
    expect(d.calculatedAttributeDefinition).toEqual({ window: { lastDays: 7 }, version: 1 });
  });

  it('refuses, writing nothing, when a calculated attribute of a template name has another value type', async () => {
    const dom = await s.createDomain();
    await ok(dom.key, `mutation { putCalculatedAttribute(input: { name: "highValueCustomer", objectType: "_order", expression: "totalPrice", statistic: SUM }) { name } }`);
    const before = await footprint(dom.name);
    const r = await s.gql(APPLY, { t: 'RETAIL' }, dom.key);
    expect(r.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(r.errors?.[0]?.extensions?.name).toBe('highValueCustomer');
    expect(await footprint(dom.name)).toEqual(before);
  });
});

/** Waits until the domain's event count stops moving (the segment maintainer works after writes). */
async function settle(domainName: string): Promise<void> {
  let last = -1;
  let stable = 0;
  for (let i = 0; i < 60 && stable < 3; i++) {
    const { events } = await footprint(domainName);
    stable = events === last ? stable + 1 : 0;
    last = events;
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('template segments evaluate', () => {
  it('RETAIL: high value, recent buyers, at risk and loyalty members follow recorded orders', async () => {
    const { key } = await s.createDomain();
    await apply(key, 'RETAIL');
    const ann = await newProfile(key, 'Ann', [{ key: 'loyaltyNumber', value: 'R-1' }]);
    const bob = await newProfile(key, 'Bob');
    const cy = await newProfile(key, 'Cy');
    await order(key, ann, 'a1', '800', 10);
    await order(key, ann, 'a2', '300', 200);
    await order(key, bob, 'b1', '20', 120);
    await order(key, bob, 'b2', '25', 150);
    await order(key, cy, 'c1', '5', 2);
    expect(await members(key, 'highValueCustomers')).toEqual(['Ann']);
    expect(await members(key, 'recentBuyers')).toEqual(['Ann', 'Cy']);
    expect(await members(key, 'atRiskCustomers')).toEqual(['Bob']);
    expect(await members(key, 'loyaltyMembers')).toEqual(['Ann']);
    // Bob buys again: no longer at risk, now a recent buyer
    await order(key, bob, 'b3', '990', 1);
    expect(await members(key, 'atRiskCustomers')).toEqual([]);
    expect(await members(key, 'recentBuyers')).toEqual(['Ann', 'Bob', 'Cy']);
    // Bob's 365-day total is now 1,035 (> 1,000); Ann's is 1,100
    expect(await members(key, 'highValueCustomers')).toEqual(['Ann', 'Bob']);
    const seg = await ok(key, `query($v: [String!]!) { searchProfiles(key: "_profileId", values: $v) { nodes { segments } } }`, { v: [bob] });
    expect(seg.searchProfiles.nodes[0].segments).toEqual(['highValueCustomers', 'recentBuyers']);
  });

  it('AIRLINE: disrupted travellers follow contacts with a disruption reason; frequent flyers and lapsed travellers follow bookings and tier', async () => {
    const { key } = await s.createDomain();
    await apply(key, 'AIRLINE');
    const ann = await newProfile(key, 'Ann', [{ key: 'tier', value: 'platinum' }]);
    const bob = await newProfile(key, 'Bob');
    const cy = await newProfile(key, 'Cy');
    for (let i = 0; i < 4; i++) await order(key, bob, `b${i}`, '100', 10 + i * 30);
    await order(key, cy, 'c1', '100', 400);
    const contact = (profileId: string, contactId: string, reason: string, daysAgo: number) =>
      ok(key, `mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, {
        input: { profileId, contactId, channel: 'VOICE', initiatedAt: ago(daysAgo), attributes: [{ key: 'reason', value: reason }] },
      });
    await contact(ann, 'k1', 'delay', 2);
    await contact(bob, 'k2', 'baggage', 1);
    await contact(cy, 'k3', 'cancellation', 20);
    expect(await members(key, 'frequentFlyers')).toEqual(['Ann', 'Bob']);
    expect(await members(key, 'lapsedTravellers')).toEqual(['Cy']);
    expect(await members(key, 'disruptedTravellers')).toEqual(['Ann']);
    expect(await members(key, 'highValueTravellers')).toEqual([]);
    const v = await ok(key, `query($v: [String!]!) { searchProfiles(key: "_profileId", values: $v) { nodes { calculatedAttribute(name: "disruptionContacts30d") { value } } } }`, { v: [cy] });
    expect(v.searchProfiles.nodes[0].calculatedAttribute.value).toBe('1');
  });

  it('HOTEL: loyal guests, recent stays and unhappy guests follow reservations and complaint cases', async () => {
    const { key } = await s.createDomain();
    await apply(key, 'HOTEL');
    const ann = await newProfile(key, 'Ann');
    const bob = await newProfile(key, 'Bob', [{ key: 'tier', value: 'gold' }]);
    for (let i = 0; i < 3; i++) await order(key, ann, `a${i}`, '150', 5 + i * 60);
    await ok(key, `mutation($p: ID!) { createCase(input: { profileId: $p, caseId: "K-1", title: "noisy room", reason: "complaint" }) { created } }`, { p: bob });
    expect(await members(key, 'loyalGuests')).toEqual(['Ann', 'Bob']);
    expect(await members(key, 'recentStays')).toEqual(['Ann']);
    expect(await members(key, 'unhappyGuests')).toEqual(['Bob']);
  });
});

describe('isolation and access', () => {
  it('another domain sees none of the installed definitions or segments', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    await apply(a.key, 'HOTEL');
    const d = await ok(b.key, `{ calculatedAttributeDefinitions { name } segments { name } segment(name: "loyalGuests") { name } }`);
    for (const n of calcNames('HOTEL')) if (n !== 'averageHandleSeconds') expect(names(d.calculatedAttributeDefinitions)).not.toContain(n);
    expect(names(d.calculatedAttributeDefinitions)).not.toContain('averageHandleSeconds');
    expect(d.segments).toEqual([]);
    expect(d.segment).toBeNull();
    // b applying it installs everything for b
    const r = await apply(b.key, 'HOTEL');
    expect(r.segmentsInstalled).toEqual(segNames('HOTEL'));
    expect(r.calculatedAttributesInstalled).toEqual(calcNames('HOTEL'));
  });

  it('refuses unauthenticated callers and the admin token', async () => {
    const noKey = await s.gql(APPLY, { t: 'RETAIL' });
    expect(noKey.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const admin = await s.gql(APPLY, { t: 'RETAIL' }, ADMIN_TOKEN);
    expect(admin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await s.gql(`{ industryTemplates { template } }`, {}, ADMIN_TOKEN);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await s.gql(`mutation { applyTemplate(template: CASINO) { changed } }`, {}, (await s.createDomain()).key);
    expect(bad.errors?.length).toBeGreaterThan(0);
  });
});
