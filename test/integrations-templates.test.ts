/**
 * Object type templates and mapping inference through the public API: every built-in template
 * creates a type (putObjectType with templateId) that maps a real-shaped payload of its system onto
 * the profile; linked records (a Shopify order and its customer, a Zendesk ticket and its
 * requester, a ServiceNow incident and its caller) land on one profile; detectObjectType proposes
 * fields, targets and keys with confidence and reasons for samples it has never seen (including
 * Japanese field names), and its proposal is a type putObjectType accepts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;
const fixture = (name: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/integrations', `${name}.json`), 'utf8')) as Record<string, unknown>;

async function ok(q: string, variables: Record<string, unknown> = {}, k = key) {
  const r = await s.gql(q, variables, k);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

const PROFILE = `profile { id firstName lastName businessName accountNumber emailAddress phoneNumber mobilePhoneNumber businessPhoneNumber birthDate
  address { address1 city state province country postalCode } shippingAddress { address1 city province country postalCode }
  billingAddress { address1 city state country postalCode } mailingAddress { address1 city state country postalCode } attributes { key value } }`;

async function fromTemplate(name: string, templateId: string) {
  return (await ok(`mutation($i: PutObjectTypeInput!) { putObjectType(input: $i) { name description allowProfileCreation keys { name identifiers fieldNames } fields { name target } } }`, { i: { name, templateId } })).putObjectType;
}
async function put(type: string, object: Record<string, unknown>) {
  return (await ok(`mutation($t: String!, $o: JSONObject!) { putProfileObject(objectType: $t, object: $o) { outcome reason matchedKey ${PROFILE} } }`, { t: type, o: object })).putProfileObject;
}
const attr = (p: { attributes: { key: string; value: string }[] }, k: string) => p.attributes.find((a) => a.key === k)?.value;

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
});
afterAll(async () => s?.close());

describe('objectTypeTemplates', () => {
  it('lists the eight templates, versioned, with their keys', async () => {
    const d = await ok(`{ objectTypeTemplates { id version system record fields { name source target contentType } keys { name identifiers fieldNames } allowProfileCreation } }`);
    const ids = d.objectTypeTemplates.map((t: { id: string }) => t.id);
    expect(ids).toEqual(['shopify-customer', 'shopify-order', 'salesforce-account', 'salesforce-contact', 'zendesk-user', 'zendesk-ticket', 'servicenow-user', 'servicenow-incident']);
    for (const t of d.objectTypeTemplates) {
      expect(t.version).toBeGreaterThanOrEqual(1);
      expect(t.keys.filter((k: { identifiers: string[] }) => k.identifiers.includes('UNIQUE'))).toHaveLength(1);
    }
    const shopify = d.objectTypeTemplates[0];
    expect(shopify.keys[0]).toEqual({ name: '_shopifyCustomerId', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['id'] });
  });

  it('needs a domain key', async () => {
    const r = await s.gql(`{ objectTypeTemplates { id } }`);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('putObjectType with templateId', () => {
  it('maps a Shopify customer, and puts an order on the same profile by the customer id', async () => {
    const t = await fromTemplate('ShopifyCustomer', 'shopify-customer');
    expect(t.description).toContain('template shopify-customer v1');
    expect(t.allowProfileCreation).toBe(true);
    const c = await put('ShopifyCustomer', fixture('shopify-customer'));
    expect(c.outcome).toBe('CREATED_PROFILE');
    const p = c.profile;
    expect(p).toMatchObject({ firstName: 'Bob', lastName: 'Norman', emailAddress: 'bob.norman@mail.example.com', phoneNumber: '+16135551111', businessName: 'Norman Tools' });
    expect(p.address).toMatchObject({ address1: 'Chestnut Street 92', city: 'Louisville', province: 'Kentucky', country: 'US', postalCode: '40202' });
    expect(attr(p, 'shopifyTags')).toBe('loyal, vip');
    await fromTemplate('ShopifyOrder', 'shopify-order');
    const o = await put('ShopifyOrder', fixture('shopify-order'));
    expect(o.outcome).toBe('ATTACHED');
    expect(o.matchedKey).toBe('_shopifyCustomerId');
    expect(o.profile.id).toBe(p.id);
    expect(o.profile.shippingAddress).toMatchObject({ address1: '123 Shipping Street', city: 'Shippington', country: 'US', postalCode: '40003' });
    expect(o.profile.billingAddress).toMatchObject({ city: 'Shippington', postalCode: '40003' });
  });

  it('maps a Salesforce Account and Contact', async () => {
    await fromTemplate('SfAccount', 'salesforce-account');
    const a = await put('SfAccount', fixture('salesforce-account'));
    expect(a.outcome).toBe('CREATED_PROFILE');
    expect(a.profile).toMatchObject({ businessName: 'Edge Communications', accountNumber: 'CD451796', businessPhoneNumber: '+15127576000' });
    expect(a.profile.billingAddress).toMatchObject({ city: 'Austin', state: 'TX', postalCode: '78767', country: 'US' });
    expect(attr(a.profile, 'industry')).toBe('Electronics');
    await fromTemplate('SfContact', 'salesforce-contact');
    const c = await put('SfContact', fixture('salesforce-contact'));
    expect(c.outcome).toBe('CREATED_PROFILE');
    expect(c.profile).toMatchObject({ firstName: 'Rose', lastName: 'Gonzalez', emailAddress: 'rose@edge.example.com', mobilePhoneNumber: '+15127579340', birthDate: '1968-04-16' });
    expect(c.profile.mailingAddress).toMatchObject({ address1: '313 Constitution Place', city: 'Austin', state: 'TX' });
    expect(attr(c.profile, 'salesforceAccountId')).toBe('001Dn00000RzPkqIAF');
  });

  it('maps a Zendesk user, and puts a ticket on the requester', async () => {
    await fromTemplate('ZdUser', 'zendesk-user');
    const u = await put('ZdUser', fixture('zendesk-user'));
    expect(u.outcome).toBe('CREATED_PROFILE');
    expect(u.profile).toMatchObject({ emailAddress: 'johnny@example.com', phoneNumber: '+15551234567', accountNumber: 'sai989sur98w9' });
    expect(attr(u.profile, 'fullName')).toBe('Johnny Agent');
    expect(attr(u.profile, 'timeZone')).toBe('Copenhagen');
    await fromTemplate('ZdTicket', 'zendesk-ticket');
    const t = await put('ZdTicket', fixture('zendesk-ticket'));
    expect(t.outcome).toBe('ATTACHED');
    expect(t.matchedKey).toBe('_zendeskUserId');
    expect(t.profile.id).toBe(u.profile.id);
  });

  it('maps a ServiceNow user, and puts an incident on its caller', async () => {
    await fromTemplate('SnUser', 'servicenow-user');
    const u = await put('SnUser', fixture('servicenow-user'));
    expect(u.outcome).toBe('CREATED_PROFILE');
    expect(u.profile).toMatchObject({ firstName: 'Abel', lastName: 'Tuter', accountNumber: 'abel.tuter', emailAddress: 'abel.tuter@example.com', mobilePhoneNumber: '+18582877834' });
    expect(u.profile.address).toMatchObject({ address1: '7 Hillside Ave', city: 'San Diego', state: 'CA', postalCode: '92101' });
    await fromTemplate('SnIncident', 'servicenow-incident');
    const i = await put('SnIncident', fixture('servicenow-incident'));
    expect(i.outcome).toBe('ATTACHED');
    expect(i.matchedKey).toBe('_servicenowUserId');
    expect(i.profile.id).toBe(u.profile.id);
  });

  it('refuses an unknown template, a template with fields, and reserved key names without a template', async () => {
    const put1 = `mutation($i: PutObjectTypeInput!) { putObjectType(input: $i) { name } }`;
    const unknown = await s.gql(put1, { i: { name: 'X', templateId: 'hubspot-contact' } }, key);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toContain('shopify-customer');
    const both = await s.gql(put1, { i: { name: 'X', templateId: 'shopify-customer', fields: [{ name: 'a', source: '_source.a' }] } }, key);
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reserved = await s.gql(put1, { i: { name: 'X', fields: [{ name: 'a', source: '_source.a' }], keys: [{ name: '_shopifyCustomerId', identifiers: ['UNIQUE'], fieldNames: ['a'] }] } }, key);
    expect(reserved.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const none = await s.gql(put1, { i: { name: 'X' } }, key);
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await ok(`{ objectType(name: "X") { name } }`)).objectType).toBeNull();
  });
});

const DETECT = `query($s: [JSONObject!]!) { detectObjectType(samples: $s) { fields { name source target contentType confidence reason } keys { name identifiers fieldNames confidence reason } objectType warnings } }`;
type Field = { name: string; source: string; target: string | null; contentType: string; confidence: number; reason: string };

describe('detectObjectType', () => {
  it('proposes targets, content types and keys for an unseen CRM export, with reasons', async () => {
    const samples = [
      { recordId: 'A-1001', contact: { mail: 'ana@example.org', mobile: '+44 7700 900123', surname: 'Silva', givenName: 'Ana' }, shipping_address: { street: '1 High St', town: 'Leeds', postcode: 'LS1 1AA' }, loyaltyTier: 'gold', signupDate: '2024-02-01', customerId: 'C-77' },
      { recordId: 'A-1002', contact: { mail: 'bo@example.org', mobile: '+44 7700 900456', surname: 'Berg', givenName: 'Bo' }, shipping_address: { street: '2 Low Rd', town: 'York', postcode: 'YO1 7HH' }, loyaltyTier: 'silver', signupDate: '2024-03-09', customerId: 'C-78' },
    ];
    const d = (await ok(DETECT, { s: samples })).detectObjectType;
    const by = (src: string) => d.fields.find((f: Field) => f.source === `_source.${src}`) as Field;
    expect(by('contact.mail')).toMatchObject({ target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' });
    expect(by('contact.mail').confidence).toBeGreaterThanOrEqual(0.9);
    expect(by('contact.mail').reason).toMatch(/Dictionary/);
    expect(by('contact.mobile')).toMatchObject({ target: '_profile.MobilePhoneNumber', contentType: 'PHONE_NUMBER' });
    expect(by('contact.surname').target).toBe('_profile.LastName');
    expect(by('contact.givenName').target).toBe('_profile.FirstName');
    expect(by('shipping_address.town')).toMatchObject({ target: '_profile.ShippingAddress.City' });
    expect(by('shipping_address.town').reason).toMatch(/Structure/);
    expect(by('shipping_address.postcode').target).toBe('_profile.ShippingAddress.PostalCode');
    expect(by('loyaltyTier').target).toBeNull();
    expect(by('customerId').target).toBe('_profile.AccountNumber');
    const unique = d.keys.find((k: { identifiers: string[] }) => k.identifiers.includes('UNIQUE'));
    expect(unique).toMatchObject({ fieldNames: [by('recordId').name] });
    expect(unique.confidence).toBeGreaterThanOrEqual(0.9);
    expect(d.keys.map((k: { name: string }) => k.name)).toEqual(expect.arrayContaining(['_email', '_account']));
    for (const f of d.fields) {
      expect(f.confidence).toBeGreaterThan(0);
      expect(f.confidence).toBeLessThanOrEqual(1);
      expect(f.reason.length).toBeGreaterThan(5);
    }
    // The proposal is a type putObjectType accepts, and it ingests the samples.
    const input = { ...d.objectType, name: 'Crm' };
    await ok(`mutation($i: PutObjectTypeInput!) { putObjectType(input: $i) { name } }`, { i: input });
    const r = await put('Crm', samples[0]!);
    expect(r.outcome).toBe('CREATED_PROFILE');
    expect(r.profile).toMatchObject({ emailAddress: 'ana@example.org', lastName: 'Silva', mobilePhoneNumber: '+447700900123' });
    expect(r.profile.shippingAddress).toMatchObject({ address1: '1 High St', city: 'Leeds', postalCode: 'LS1 1AA' });
  });

  it('reads Japanese field names and value shapes', async () => {
    const samples = [
      { 会員番号: 'M-0001', 姓: '山田', 名: '太郎', メールアドレス: 'taro@example.jp', 電話番号: '+81-3-1234-5678', 郵便番号: '100-0001', 都道府県: '東京都', 生年月日: '1985-04-01', 連絡先: 'hanako@example.jp' },
    ];
    const d = (await ok(DETECT, { s: samples })).detectObjectType;
    const by = (src: string) => d.fields.find((f: Field) => f.source === `_source.${src}`) as Field;
    expect(by('姓').target).toBe('_profile.LastName');
    expect(by('名').target).toBe('_profile.FirstName');
    expect(by('メールアドレス')).toMatchObject({ target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' });
    expect(by('電話番号')).toMatchObject({ target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER' });
    expect(by('郵便番号').target).toBe('_profile.Address.PostalCode');
    expect(by('都道府県').target).toBe('_profile.Address.State');
    expect(by('生年月日').target).toBe('_profile.BirthDate');
    expect(by('会員番号').target).toBe('_profile.AccountNumber');
    // An unknown name whose values are e-mails: the shape proposes it, less surely, and the target is taken.
    expect(by('連絡先').reason).toMatch(/e-mail/);
    expect(by('連絡先').target).toBeNull();
    // Field names are identifiers even for Japanese names.
    for (const f of d.fields) expect(f.name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    const input = { ...d.objectType, name: 'JpMembers' };
    await ok(`mutation($i: PutObjectTypeInput!) { putObjectType(input: $i) { name } }`, { i: input });
    const r = await put('JpMembers', samples[0]!);
    expect(r.profile).toMatchObject({ lastName: '山田', firstName: '太郎', phoneNumber: '+81312345678', accountNumber: 'M-0001', birthDate: '1985-04-01' });
  });

  it('proposes a reference key for an id of another record, and refuses bad sample counts', async () => {
    const d = (await ok(DETECT, { s: [{ id: 5, requester_id: 9, subject: 'Printer' }] })).detectObjectType;
    const ref = d.keys.find((k: { name: string }) => k.name === 'requesterId');
    expect(ref).toMatchObject({ identifiers: ['PROFILE'] });
    expect(ref.reason).toMatch(/refers to a requester/);
    const none = await s.gql(DETECT, { s: [] }, key);
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const six = await s.gql(DETECT, { s: Array.from({ length: 6 }, (_, i) => ({ id: i })) }, key);
    expect(six.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const empty = await s.gql(DETECT, { s: [{ a: [] }] }, key);
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
