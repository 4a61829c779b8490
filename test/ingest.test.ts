import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;

const PUT_TYPE = `mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name builtIn keys { name identifiers fieldNames } fields { name target contentType } } }`;
const PUT = `mutation($t: String!, $o: JSONObject!) { putProfileObject(objectType: $t, object: $o) { outcome matchedKey replaced reason object { id uniqueKey data } profile { id firstName lastName emailAddress phoneNumber inferred attribute(key: "loyalty") } } }`;

/** A shop customer type: e-mail is the PROFILE key, loyalty id SECONDARY, phone LOOKUP_ONLY, coupon NEW_ONLY. */
const shopOrder = (extra: Record<string, unknown> = {}) => ({
  name: 'ShopPurchase',
  description: 'Purchases exported from the shop',
  fields: [
    { name: 'purchaseId', source: '_source.id', contentType: 'STRING' },
    { name: 'email', source: '_source.customer.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
    { name: 'phone', source: '_source.customer.phone', target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER' },
    { name: 'loyaltyId', source: '_source.loyalty', target: '_profile.Attributes.loyalty', contentType: 'STRING' },
    { name: 'name', source: '{{_source.customer.first}} {{_source.customer.last}}', contentType: 'NAME' },
    { name: 'first', source: '_source.customer.first', target: '_profile.FirstName' },
    { name: 'last', source: '_source.customer.last', target: '_profile.LastName' },
    { name: 'zip', source: '_source.customer.zip', target: '_profile.Address.PostalCode' },
    { name: 'coupon', source: '_source.coupon' },
    { name: 'altPhone', source: '_source.customer.altPhone', contentType: 'PHONE_NUMBER' },
  ],
  keys: [
    { name: 'purchaseId', identifiers: ['UNIQUE'], fieldNames: ['purchaseId'] },
    { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
    { name: 'loyaltyId', identifiers: ['SECONDARY'], fieldNames: ['loyaltyId'] },
    { name: '_phone', identifiers: ['PROFILE', 'LOOKUP_ONLY'], fieldNames: ['altPhone'] },
    { name: 'firstCoupon', identifiers: ['PROFILE', 'NEW_ONLY'], fieldNames: ['coupon'] },
  ],
  allowProfileCreation: true,
  ...extra,
});

async function put(type: string, o: Record<string, unknown>) {
  const r = await s.gql(PUT, { t: type, o }, key);
  expect(r.errors).toBeUndefined();
  return r.data!.putProfileObject;
}

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
  const r = await s.gql(PUT_TYPE, { input: shopOrder() }, key);
  expect(r.errors).toBeUndefined();
});
afterAll(async () => {
  await s?.close();
});

describe('object types', () => {
  it('lists built-in types with custom ones and validates definitions naming the field', async () => {
    const list = await s.gql(`{ objectTypes { name builtIn } }`, {}, key);
    expect(list.data!.objectTypes.map((t: { name: string }) => t.name)).toEqual(['_ctr', '_case', '_order', 'ShopPurchase']);
    const bads: [Record<string, unknown>, string][] = [
      [shopOrder({ name: '_mine' }), 'name'],
      [shopOrder({ keys: [{ name: 'k', identifiers: ['PROFILE'], fieldNames: ['email'] }] }), 'keys'],
      [shopOrder({ keys: [{ name: 'k', identifiers: ['UNIQUE'], fieldNames: ['nope'] }] }), 'keys[0].fieldNames'],
      [shopOrder({ fields: [{ name: 'a', source: 'customer.email' }] }), 'fields[0].source'],
      [shopOrder({ fields: [{ name: 'a', source: '_source.a', target: '_profile.ShoeSize' }], keys: [{ name: 'a', identifiers: ['UNIQUE'], fieldNames: ['a'] }] }), 'fields[0].target'],
      [shopOrder({ maxObjectsPerProfile: 0 }), 'maxObjectsPerProfile'],
    ];
    for (const [input, field] of bads) {
      const r = await s.gql(PUT_TYPE, { input }, key);
      expect(r.errors?.[0]?.extensions?.code, field).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field, JSON.stringify(r.errors)).toBe(field);
    }
  });
});

describe('putProfileObject matching', () => {
  it('creates a profile when nothing matches (allowProfileCreation), mapping fields, template and address', async () => {
    const r = await put('ShopPurchase', { id: 'p-1', customer: { email: 'Kim@Shop.example', phone: '(555) 010-2000', first: 'Kim', last: 'Lee', zip: '98101' }, loyalty: 'L-1', coupon: 'WELCOME1' });
    expect(r).toMatchObject({ outcome: 'CREATED_PROFILE', replaced: false, profile: { firstName: 'Kim', emailAddress: 'kim@shop.example', phoneNumber: '+15550102000', attribute: 'L-1', inferred: true } });
    const search = await s.gql(`{ searchProfiles(key: "_email", values: ["kim@shop.example"]) { nodes { id address { postalCode } objects(type: "ShopPurchase") { totalCount nodes { uniqueKey data } } } } }`, {}, key);
    expect(search.data!.searchProfiles.nodes[0]).toMatchObject({ id: r.profile.id, address: { postalCode: '98101' }, objects: { totalCount: 1, nodes: [{ uniqueKey: 'p-1' }] } });
  });

  it('attaches by PROFILE key (_email links to profiles created by hand too)', async () => {
    const hand = await s.gql(`mutation { createProfile(input: { firstName: "Hand", lastName: "Set", emailAddress: "hand@example.com" }) { id } }`, {}, key);
    const r = await put('ShopPurchase', { id: 'p-2', customer: { email: 'HAND@example.com', first: 'Ingested', last: 'Name', zip: '10001' } });
    expect(r).toMatchObject({ outcome: 'ATTACHED', matchedKey: '_email', profile: { id: hand.data!.createProfile.id } });
    // Fields a person set by hand are never overwritten by ingestion; new fields are added.
    expect(r.profile).toMatchObject({ firstName: 'Hand', lastName: 'Set' });
    const p = await s.gql(`query($id: ID!) { profile(id: $id) { address { postalCode } } }`, { id: r.profile.id }, key);
    expect(p.data!.profile.address.postalCode).toBe('10001');
  });

  it('falls back to SECONDARY keys only after PROFILE keys fail, skipping ambiguous keys', async () => {
    const r = await put('ShopPurchase', { id: 'p-3', customer: { email: 'someone-new@example.com' }, loyalty: 'L-1' });
    // _email matches nobody, so the SECONDARY loyalty key finds Kim.
    expect(r).toMatchObject({ outcome: 'ATTACHED', matchedKey: 'loyaltyId' });
    const kim = await s.gql(`{ searchProfiles(key: "_email", values: ["kim@shop.example"]) { nodes { id } } }`, {}, key);
    expect(r.profile.id).toBe(kim.data!.searchProfiles.nodes[0].id);
    // Two profiles share a phone: the _phone key is ambiguous and skipped; the e-mail still decides.
    await s.gql(`mutation { a: createProfile(input: { phoneNumber: "+15550109999" }) { id } b: createProfile(input: { phoneNumber: "+15550109999" }) { id } }`, {}, key);
    const amb = await s.gql(PUT_TYPE, { input: { name: 'PhoneFirst', fields: [{ name: 'id', source: '_source.id' }, { name: 'phone', source: '_source.phone', contentType: 'PHONE_NUMBER' }, { name: 'email', source: '_source.email', contentType: 'EMAIL_ADDRESS' }], keys: [{ name: 'id', identifiers: ['UNIQUE'], fieldNames: ['id'] }, { name: '_phone', identifiers: ['PROFILE'], fieldNames: ['phone'] }, { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] }] } }, key);
    expect(amb.errors).toBeUndefined();
    const r2 = await put('PhoneFirst', { id: 'x1', phone: '555-010-9999', email: 'kim@shop.example' });
    expect(r2).toMatchObject({ outcome: 'ATTACHED', matchedKey: '_email', profile: { id: kim.data!.searchProfiles.nodes[0].id } });
    const r3 = await put('PhoneFirst', { id: 'x2', phone: '555-010-9999' });
    expect(r3.outcome).toBe('DEAD_LETTERED');
    // x1 stored its PROFILE key _phone on Kim, so three profiles now share the number.
    expect(r3.reason).toMatch(/_phone \(ambiguous: 3 profiles\)/);
  });

  it('LOOKUP_ONLY keys match but are not stored; NEW_ONLY keys are stored only on profiles the object created', async () => {
    // altPhone is a LOOKUP_ONLY _phone key: it matches Kim through her own phone field ...
    const kim = await put('ShopPurchase', { id: 'p-4', customer: { altPhone: '+1 555 010 2000' } });
    expect(kim).toMatchObject({ outcome: 'ATTACHED', matchedKey: '_phone', profile: { firstName: 'Kim' } });
    // ... and a new altPhone on an attached object is not stored as a key.
    await put('ShopPurchase', { id: 'p-4b', customer: { email: 'kim@shop.example', altPhone: '+15550104444' } });
    const byAlt = await s.gql(`{ searchProfiles(key: "_phone", values: ["+15550104444"]) { nodes { id } } }`, {}, key);
    expect(byAlt.data!.searchProfiles.nodes).toEqual([]);
    // NEW_ONLY: the coupon of the object that created Kim's profile is a key; a later object's coupon is not.
    const byCoupon = await put('ShopPurchase', { id: 'p-5', coupon: 'WELCOME1' });
    expect(byCoupon).toMatchObject({ outcome: 'ATTACHED', matchedKey: 'firstCoupon', profile: { id: kim.profile.id } });
    await put('ShopPurchase', { id: 'p-6', customer: { email: 'hand@example.com' }, coupon: 'SPRING' });
    const spring = await put('ShopPurchase', { id: 'p-7', coupon: 'SPRING' });
    expect(spring.outcome).toBe('CREATED_PROFILE');
  });

  it('accepts objects written inline in the query (not only as variables)', async () => {
    const r = await s.gql(`mutation { putProfileObject(objectType: "ShopPurchase", object: { id: "inline-1", customer: { email: "kim@shop.example" }, total: 12.5 }) { outcome object { data } } }`, {}, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.putProfileObject).toEqual({ outcome: 'ATTACHED', object: { data: { id: 'inline-1', customer: { email: 'kim@shop.example' }, total: 12.5 } } });
  });

  it("searchProfiles accepts the object types' key names, normalized by their content types", async () => {
    const byLoyalty = await s.gql(`{ searchProfiles(key: "loyaltyId", values: ["L-1"]) { edges { matchedKeys node { firstName } } } }`, {}, key);
    expect(byLoyalty.data!.searchProfiles.edges).toEqual([{ matchedKeys: ['loyaltyId'], node: { firstName: 'Kim' } }]);
    const byPurchase = await s.gql(`{ searchProfiles(key: "purchaseId", values: ["p-1", "no-such"]) { nodes { firstName } } }`, {}, key);
    expect(byPurchase.data!.searchProfiles.nodes).toEqual([{ firstName: 'Kim' }]);
    const unknown = await s.gql(`{ searchProfiles(key: "shoeSize", values: ["9"]) { nodes { id } } }`, {}, key);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is idempotent on the UNIQUE key: re-ingesting replaces the object, not duplicates it', async () => {
    const a = await put('ShopPurchase', { id: 'p-9', customer: { email: 'kim@shop.example' }, total: 1 });
    const b = await put('ShopPurchase', { id: 'p-9', customer: { email: 'kim@shop.example' }, total: 2 });
    expect(b).toMatchObject({ replaced: true, outcome: 'ATTACHED', object: { id: a.object.id, data: { total: 2 } } });
    const count = await s.gql(`query($id: ID!) { profile(id: $id) { objects(type: "ShopPurchase", first: 100) { nodes { uniqueKey } } } }`, { id: a.profile.id }, key);
    expect(count.data!.profile.objects.nodes.filter((n: { uniqueKey: string }) => n.uniqueKey === 'p-9')).toHaveLength(1);
  });

  it('dead-letters objects that cannot be ingested, with the reason, and lists them', async () => {
    const noUnique = await put('ShopPurchase', { customer: { email: 'x@example.com' } });
    expect(noUnique).toMatchObject({ outcome: 'DEAD_LETTERED', object: null });
    expect(noUnique.reason).toMatch(/UNIQUE key "purchaseId"/);
    const badPhone = await put('ShopPurchase', { id: 'bad-1', customer: { email: 'new-person@example.com', phone: 'call me' } });
    expect(badPhone.outcome).toBe('DEAD_LETTERED');
    const noCreate = await s.gql(PUT_TYPE, { input: shopOrder({ name: 'NoCreate', allowProfileCreation: false }) }, key);
    expect(noCreate.errors).toBeUndefined();
    const nc = await put('NoCreate', { id: 'n-1', customer: { email: 'stranger@example.com' } });
    expect(nc.reason).toMatch(/does not allow profile creation/);
    const dl = await s.gql(`{ deadLetters(objectType: "ShopPurchase", first: 10) { nodes { objectType reason object } } }`, {}, key);
    expect(dl.data!.deadLetters.nodes.map((d: { object: { id?: string } }) => d.object.id ?? null)).toEqual(['bad-1', null]);
    expect(dl.data!.deadLetters.nodes[0].reason).toMatch(/phone/i);
    const unknown = await s.gql(PUT, { t: 'Nope', o: {} }, key);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps only the newest N objects per profile (data limit), deterministically', async () => {
    const r = await s.gql(PUT_TYPE, { input: shopOrder({ name: 'Limited', maxObjectsPerProfile: 2 }) }, key);
    expect(r.errors).toBeUndefined();
    for (let i = 1; i <= 4; i++) await put('Limited', { id: `lim-${i}`, customer: { email: 'limit@example.com' } });
    const p = await s.gql(`{ searchProfiles(key: "_email", values: ["limit@example.com"]) { nodes { objects(type: "Limited") { totalCount nodes { uniqueKey } } } } }`, {}, key);
    expect(p.data!.searchProfiles.nodes[0].objects).toEqual({ totalCount: 2, nodes: [{ uniqueKey: 'lim-4' }, { uniqueKey: 'lim-3' }] });
  });

  it('batch form reports each object, and built-in types route to contacts', async () => {
    const r = await s.gql(
      `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "ShopPurchase", objects: $o) { attached createdProfiles deadLettered results { index outcome } } }`,
      { o: [{ id: 'b-1', customer: { email: 'kim@shop.example' } }, { customer: {} }, { id: 'b-3', customer: { email: 'batch-new@example.com' } }] },
      key,
    );
    expect(r.data!.putProfileObjects).toEqual({ attached: 1, createdProfiles: 1, deadLettered: 1, results: [{ index: 0, outcome: 'ATTACHED' }, { index: 1, outcome: 'DEAD_LETTERED' }, { index: 2, outcome: 'CREATED_PROFILE' }] });
    const ctr = await put('_ctr', { contactId: 'ctr-obj-1', channel: 'VOICE', initiatedAt: '2026-03-01T10:00:00Z', emailAddress: 'kim@shop.example' });
    expect(ctr.outcome).toBe('ATTACHED');
    const c = await s.gql(`{ contact(id: "ctr-obj-1") { profile { emailAddress } } }`, {}, key);
    expect(c.data!.contact.profile.emailAddress).toBe('kim@shop.example');
    const badCtr = await put('_ctr', { contactId: 'ctr-obj-2', channel: 'PIGEON', initiatedAt: '2026-03-01T10:00:00Z' });
    expect(badCtr.outcome).toBe('DEAD_LETTERED');
    expect(badCtr.reason).toMatch(/channel/);
  });
});
