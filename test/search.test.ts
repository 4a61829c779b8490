import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;
const ids: Record<string, string> = {};

const SEARCH = `query($key: String!, $values: [String!]!, $more: [SearchKeyInput!], $op: LogicalOperator, $first: Int, $after: String) {
  searchProfiles(key: $key, values: $values, additionalKeys: $more, operator: $op, first: $first, after: $after) {
    edges { cursor matchedKeys node { id firstName } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function search(vars: Record<string, unknown>) {
  const r = await s.gql(SEARCH, vars, key);
  expect(r.errors).toBeUndefined();
  // one statement, answered by the compiled walk (cursors, matchedKeys and all)
  expect(r.extensions!.diagnostics.path).toBe('fast');
  // (no statement at all when no value can match, e.g. "not a phone")
  expect(r.extensions!.diagnostics.operationStatements).toBeLessThanOrEqual(1);
  return r.data!.searchProfiles as { edges: { matchedKeys: string[]; node: { id: string; firstName: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
}

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
  const people = [
    { firstName: 'Alice', lastName: 'Ng', phoneNumber: '(555) 123-4567', emailAddress: 'alice@example.com', accountNumber: 'A-1', attributes: [{ key: 'tier', value: 'gold' }] },
    { firstName: 'Bob', middleName: 'J', lastName: 'Stone', mobilePhoneNumber: '+44 20 7946 0958', businessEmailAddress: 'Bob@Corp.example', accountNumber: 'B-2', attributes: [{ key: 'tier', value: 'gold' }] },
    { firstName: 'Carol', lastName: 'Ng', homePhoneNumber: '555.987.6543', personalEmailAddress: 'carol@example.com', attributes: [{ key: 'tier', value: 'silver' }] },
  ];
  for (const p of people) {
    const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: p }, key);
    ids[p.firstName] = r.data!.createProfile.id;
  }
});
afterAll(async () => {
  await s?.close();
});

describe('searchProfiles', () => {
  it('_phone matches any phone field, normalized: "+1 555-123-4567" finds "(555) 123-4567"', async () => {
    const r = await search({ key: '_phone', values: ['+1 555-123-4567'] });
    expect(r.edges.map((e) => e.node.firstName)).toEqual(['Alice']);
    expect(r.edges[0]!.matchedKeys).toEqual(['_phone']);
    expect((await search({ key: '_phone', values: ['5559876543'] })).edges.map((e) => e.node.firstName)).toEqual(['Carol']);
    expect((await search({ key: '_phone', values: ['+442079460958'] })).edges.map((e) => e.node.firstName)).toEqual(['Bob']);
    expect((await search({ key: '_phone', values: ['not a phone'] })).edges).toEqual([]);
  });

  it('_email matches any e-mail field case-insensitively', async () => {
    expect((await search({ key: '_email', values: ['BOB@corp.EXAMPLE'] })).edges.map((e) => e.node.firstName)).toEqual(['Bob']);
    expect((await search({ key: '_email', values: ['carol@example.com', 'alice@example.com'] })).edges.map((e) => e.node.firstName).sort()).toEqual(['Alice', 'Carol']);
  });

  it('_account, _profileId, _fullName (with or without middle name, any case) and attributes.<name>', async () => {
    expect((await search({ key: '_account', values: ['B-2'] })).edges.map((e) => e.node.firstName)).toEqual(['Bob']);
    expect((await search({ key: '_profileId', values: [ids.Carol, 'not-a-uuid'] })).edges.map((e) => e.node.firstName)).toEqual(['Carol']);
    expect((await search({ key: '_fullName', values: ['bob  j STONE'] })).edges.map((e) => e.node.firstName)).toEqual(['Bob']);
    expect((await search({ key: '_fullName', values: ['Bob Stone'] })).edges.map((e) => e.node.firstName)).toEqual(['Bob']);
    expect((await search({ key: 'attributes.tier', values: ['gold'] })).edges.map((e) => e.node.firstName).sort()).toEqual(['Alice', 'Bob']);
  });

  it('combines additionalKeys with AND and OR and reports which keys matched', async () => {
    const and = await search({ key: 'attributes.tier', values: ['gold'], more: [{ key: '_email', values: ['alice@example.com'] }], op: 'AND' });
    expect(and.edges.map((e) => [e.node.firstName, e.matchedKeys])).toEqual([['Alice', ['_email', 'attributes.tier']]]);
    const or = await search({ key: '_account', values: ['A-1'], more: [{ key: '_fullName', values: ['carol ng'] }], op: 'OR' });
    expect(or.edges.map((e) => e.node.firstName).sort()).toEqual(['Alice', 'Carol']);
  });

  it('paginates with cursors', async () => {
    const all = await search({ key: '_profileId', values: Object.values(ids) });
    expect(all.edges).toHaveLength(3);
    const p1 = await search({ key: '_profileId', values: Object.values(ids), first: 2 });
    expect(p1.edges).toHaveLength(2);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = await search({ key: '_profileId', values: Object.values(ids), first: 2, after: p1.pageInfo.endCursor });
    expect(p2.edges).toHaveLength(1);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    expect([...p1.edges, ...p2.edges].map((e) => e.node.id)).toEqual(all.edges.map((e) => e.node.id));
  });

  it('rejects unknown keys and too many additional keys with BAD_USER_INPUT', async () => {
    const r = await s.gql(SEARCH, { key: '_shoeSize', values: ['9'] }, key);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/_phone/);
    const many = await s.gql(SEARCH, { key: '_phone', values: ['1'], more: Array.from({ length: 5 }, () => ({ key: '_email', values: ['a@b.co'] })) }, key);
    expect(many.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('findOrCreateProfile', () => {
  const FOC = `mutation($input: ProfileInput!) { findOrCreateProfile(input: $input) { outcome created matchedKeys profile { id firstName } candidates { id } } }`;

  it('returns the single match, creates when none, reports ambiguity', async () => {
    const found = await s.gql(FOC, { input: { phoneNumber: '+15551234567', firstName: 'Ignored' } }, key);
    expect(found.data!.findOrCreateProfile).toMatchObject({ outcome: 'MATCHED', created: false, matchedKeys: ['_phone'], profile: { id: ids.Alice, firstName: 'Alice' } });

    const created = await s.gql(FOC, { input: { phoneNumber: '+1 555 000 7777', firstName: 'Dana' } }, key);
    expect(created.data!.findOrCreateProfile).toMatchObject({ outcome: 'CREATED', created: true, profile: { firstName: 'Dana' } });
    const again = await s.gql(FOC, { input: { phoneNumber: '(555) 000-7777' } }, key);
    expect(again.data!.findOrCreateProfile.profile.id).toBe(created.data!.findOrCreateProfile.profile.id);

    const ambiguous = await s.gql(FOC, { input: { phoneNumber: '+15551234567', emailAddress: 'carol@example.com' } }, key);
    expect(ambiguous.data!.findOrCreateProfile.outcome).toBe('AMBIGUOUS');
    expect(ambiguous.data!.findOrCreateProfile.profile).toBeNull();
    expect(ambiguous.data!.findOrCreateProfile.candidates.map((c: { id: string }) => c.id).sort()).toEqual([ids.Alice, ids.Carol].sort());
  });

  it('concurrent calls for the same new caller create one profile', async () => {
    const rs = await Promise.all(Array.from({ length: 5 }, () => s.gql(FOC, { input: { emailAddress: 'race@example.com' } }, key)));
    const profileIds = new Set(rs.map((r) => r.data!.findOrCreateProfile.profile.id));
    expect(profileIds.size).toBe(1);
    expect(rs.filter((r) => r.data!.findOrCreateProfile.created)).toHaveLength(1);
  });

  it('needs an identifier', async () => {
    const r = await s.gql(FOC, { input: { firstName: 'Nobody' } }, key);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
