import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;

const RECORD = `mutation($input: RecordContactInput!) {
  recordContact(input: $input) { association created contact { id contactId channel durationSeconds profile { id } } profile { id inferred phoneNumber firstName } candidates { id } }
}`;

async function profile(input: Record<string, unknown>): Promise<string> {
  const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input }, key);
  expect(r.errors).toBeUndefined();
  return r.data!.createProfile.id;
}

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
});
afterAll(async () => {
  await s?.close();
});

describe('recordContact auto-association', () => {
  it('attaches to the profileId given', async () => {
    const id = await profile({ firstName: 'Given' });
    const r = await s.gql(RECORD, { input: { contactId: 'c-given', profileId: id, channel: 'CHAT', initiatedAt: '2026-01-01T10:00:00Z', disconnectedAt: '2026-01-01T10:05:00Z' } }, key);
    expect(r.data!.recordContact).toMatchObject({ association: 'BY_PROFILE_ID', created: true, contact: { durationSeconds: 300, profile: { id } } });
  });

  it('attaches to the single profile matching the phone (any format)', async () => {
    const id = await profile({ firstName: 'Phone', mobilePhoneNumber: '+1 415 555 0101' });
    const r = await s.gql(RECORD, { input: { contactId: 'c-phone', channel: 'VOICE', initiatedAt: '2026-01-02T10:00:00Z', phoneNumber: '(415) 555-0101' } }, key);
    expect(r.data!.recordContact).toMatchObject({ association: 'MATCHED', profile: { id, inferred: false } });
  });

  it('creates an inferred profile when nothing matches', async () => {
    const r = await s.gql(RECORD, { input: { contactId: 'c-new', channel: 'VOICE', initiatedAt: '2026-01-03T10:00:00Z', phoneNumber: '+14155550199', firstName: 'Newbie' } }, key);
    expect(r.data!.recordContact).toMatchObject({ association: 'CREATED_PROFILE', profile: { inferred: true, phoneNumber: '+14155550199', firstName: 'Newbie' } });
    const search = await s.gql(`{ searchProfiles(key: "_phone", values: ["415-555-0199"]) { nodes { id } } }`, {}, key);
    expect(search.data!.searchProfiles.nodes).toEqual([{ id: r.data!.recordContact.profile.id }]);
  });

  it('attaches to none and reports candidates when several profiles match', async () => {
    const a = await profile({ firstName: 'Twin A', phoneNumber: '+14155550142' });
    const b = await profile({ firstName: 'Twin B', emailAddress: 'twin@example.com' });
    const r = await s.gql(RECORD, { input: { contactId: 'c-amb', channel: 'EMAIL', initiatedAt: '2026-01-04T10:00:00Z', phoneNumber: '+14155550142', emailAddress: 'twin@example.com' } }, key);
    expect(r.data!.recordContact.association).toBe('AMBIGUOUS');
    expect(r.data!.recordContact.profile).toBeNull();
    expect(r.data!.recordContact.contact.profile).toBeNull();
    expect(r.data!.recordContact.candidates.map((c: { id: string }) => c.id).sort()).toEqual([a, b].sort());
  });

  it('does not create when creation is not allowed, and is idempotent by contactId', async () => {
    const input = { contactId: 'c-none', channel: 'TASK', initiatedAt: '2026-01-05T10:00:00Z', emailAddress: 'ghost@example.com', allowProfileCreation: false };
    const r = await s.gql(RECORD, { input }, key);
    expect(r.data!.recordContact).toMatchObject({ association: 'UNMATCHED', created: true, profile: null });
    const again = await s.gql(RECORD, { input: { ...input, disconnectedAt: '2026-01-05T10:01:00Z' } }, key);
    expect(again.data!.recordContact).toMatchObject({ created: false, contact: { id: r.data!.recordContact.contact.id, durationSeconds: 60 } });
    const byContactId = await s.gql(`{ contact(id: "c-none") { id contactId } }`, {}, key);
    expect(byContactId.data!.contact.id).toBe(r.data!.recordContact.contact.id);
  });

  it('rejects disconnect before initiation and an unknown profileId', async () => {
    const bad = await s.gql(RECORD, { input: { contactId: 'c-bad', channel: 'VOICE', initiatedAt: '2026-01-05T10:00:00Z', disconnectedAt: '2026-01-05T09:00:00Z' } }, key);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await s.gql(RECORD, { input: { contactId: 'c-bad2', channel: 'VOICE', initiatedAt: '2026-01-05T10:00:00Z', profileId: '00000000-0000-4000-8000-000000000001' } }, key);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const none = await s.gql(`{ contact(id: "c-bad") { id } }`, {}, key);
    expect(none.data!.contact).toBeNull();
  });
});

describe('nested connections', () => {
  it('lists contacts newest first with stable cursor pagination under inserts, and filters by channel', async () => {
    const id = await profile({ firstName: 'Paged' });
    for (let i = 0; i < 5; i++) {
      await s.gql(RECORD, { input: { contactId: `p-${i}`, profileId: id, channel: i % 2 ? 'CHAT' : 'VOICE', initiatedAt: `2026-02-0${i + 1}T10:00:00Z` } }, key);
    }
    const Q = `query($id: ID!, $after: String, $channel: ContactChannel) { profile(id: $id) { contacts(first: 2, after: $after, channel: $channel) { totalCount nodes { contactId } pageInfo { hasNextPage endCursor } } } }`;
    const p1 = await s.gql(Q, { id }, key);
    expect(p1.data!.profile.contacts.nodes.map((n: { contactId: string }) => n.contactId)).toEqual(['p-4', 'p-3']);
    expect(p1.data!.profile.contacts.totalCount).toBe(5);
    // A newer contact arrives between pages: the next page is unaffected.
    await s.gql(RECORD, { input: { contactId: 'p-new', profileId: id, channel: 'VOICE', initiatedAt: '2026-03-01T10:00:00Z' } }, key);
    const p2 = await s.gql(Q, { id, after: p1.data!.profile.contacts.pageInfo.endCursor }, key);
    expect(p2.data!.profile.contacts.nodes.map((n: { contactId: string }) => n.contactId)).toEqual(['p-2', 'p-1']);
    const p3 = await s.gql(Q, { id, after: p2.data!.profile.contacts.pageInfo.endCursor }, key);
    expect(p3.data!.profile.contacts.nodes.map((n: { contactId: string }) => n.contactId)).toEqual(['p-0']);
    expect(p3.data!.profile.contacts.pageInfo.hasNextPage).toBe(false);
    const chats = await s.gql(Q, { id, channel: 'CHAT' }, key);
    expect(chats.data!.profile.contacts).toMatchObject({ totalCount: 2, nodes: [{ contactId: 'p-3' }, { contactId: 'p-1' }] });
  });
});

describe('cases', () => {
  it('creates (idempotent by caseId), updates partially, closes, and enforces versions', async () => {
    const id = await profile({ firstName: 'Case' });
    const C = `mutation($input: CreateCaseInput!) { createCase(input: $input) { created case { id caseId status version closedAt profile { id } } } }`;
    const c1 = await s.gql(C, { input: { profileId: id, caseId: 'K-1', title: 'Broken', priority: 'HIGH' } }, key);
    expect(c1.data!.createCase).toMatchObject({ created: true, case: { caseId: 'K-1', status: 'OPEN', version: 1, closedAt: null, profile: { id } } });
    const c2 = await s.gql(C, { input: { profileId: id, caseId: 'K-1', title: 'Broken again' } }, key);
    expect(c2.data!.createCase).toMatchObject({ created: false, case: { id: c1.data!.createCase.case.id } });
    const other = await profile({ firstName: 'Other' });
    const c3 = await s.gql(C, { input: { profileId: other, caseId: 'K-1', title: 'x' } }, key);
    expect(c3.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const U = `mutation($id: ID!, $input: UpdateCaseInput!, $v: Int) { updateCase(id: $id, input: $input, expectedVersion: $v) { title summary status version closedAt priority } }`;
    const u = await s.gql(U, { id: 'K-1', input: { status: 'CLOSED', summary: 'Replaced the part' }, v: 1 }, key);
    expect(u.data!.updateCase).toMatchObject({ title: 'Broken', summary: 'Replaced the part', status: 'CLOSED', version: 2, priority: 'HIGH' });
    expect(u.data!.updateCase.closedAt).not.toBeNull();
    const stale = await s.gql(U, { id: 'K-1', input: { status: 'OPEN' }, v: 1 }, key);
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const list = await s.gql(`query($id: ID!) { profile(id: $id) { cases(status: CLOSED) { totalCount nodes { caseId } } } }`, { id }, key);
    expect(list.data!.profile.cases).toEqual({ totalCount: 1, nodes: [{ caseId: 'K-1' }] });
    const missing = await s.gql(U, { id: 'K-404', input: { status: 'OPEN' } }, key);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('orders', () => {
  it('records by customer e-mail, replaces by orderId, keeps exact decimals', async () => {
    const id = await profile({ firstName: 'Buyer', emailAddress: 'buyer@example.com' });
    const O = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { association created order { id orderId totalPrice currency status items { title price quantity } profile { id } } } }`;
    const o1 = await s.gql(O, { input: { orderId: 'O-1', customerEmail: 'BUYER@example.com', totalPrice: '129.90', currency: 'usd', items: [{ title: 'Lamp', price: '64.95', quantity: 2 }] } }, key);
    expect(o1.data!.recordOrder).toMatchObject({
      association: 'MATCHED',
      created: true,
      order: { orderId: 'O-1', totalPrice: '129.90', currency: 'USD', items: [{ title: 'Lamp', price: '64.95', quantity: 2 }], profile: { id } },
    });
    const o2 = await s.gql(O, { input: { orderId: 'O-1', status: 'SHIPPED', totalPrice: '129.90' } }, key);
    expect(o2.data!.recordOrder).toMatchObject({ association: 'EXISTING', created: false, order: { id: o1.data!.recordOrder.order.id, status: 'SHIPPED' } });
    const bad = await s.gql(O, { input: { orderId: 'O-2', profileId: id, currency: 'dollars' } }, key);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badPrice = await s.gql(O, { input: { orderId: 'O-3', profileId: id, totalPrice: '12,50' } }, key);
    expect(badPrice.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const orphan = await s.gql(O, { input: { orderId: 'O-4', allowProfileCreation: false, customerEmail: 'nobody@example.com' } }, key);
    expect(orphan.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const none = await s.gql(`{ order(id: "O-4") { id } }`, {}, key);
    expect(none.data!.order).toBeNull();
  });
});

describe('ACCP search keys of the standard objects', () => {
  it('finds profiles by _ctrContactId, _caseId and _orderId; a re-recorded contact moves its key', async () => {
    const a = await profile({ firstName: 'KeyA' });
    const b = await profile({ firstName: 'KeyB' });
    await s.gql(RECORD, { input: { contactId: 'k-ctr', profileId: a, channel: 'VOICE', initiatedAt: '2026-04-01T10:00:00Z' } }, key);
    await s.gql(`mutation($p: ID!) { createCase(input: { profileId: $p, caseId: "k-case", title: "T" }) { created } }`, { p: a }, key);
    await s.gql(`mutation($p: ID!) { recordOrder(input: { orderId: "k-order", profileId: $p }) { created } }`, { p: b }, key);
    const find = async (k: string, v: string) =>
      (await s.gql(`query($k: String!, $v: String!) { searchProfiles(key: $k, values: [$v]) { nodes { id } } }`, { k, v }, key)).data!.searchProfiles.nodes.map((n: { id: string }) => n.id);
    expect(await find('_ctrContactId', 'k-ctr')).toEqual([a]);
    expect(await find('_caseId', 'k-case')).toEqual([a]);
    expect(await find('_orderId', 'k-order')).toEqual([b]);
    await s.gql(RECORD, { input: { contactId: 'k-ctr', profileId: b, channel: 'VOICE', initiatedAt: '2026-04-01T10:00:00Z' } }, key);
    expect(await find('_ctrContactId', 'k-ctr')).toEqual([b]);
  });
});
