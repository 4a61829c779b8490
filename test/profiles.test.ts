import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;

const PROFILE_FIELDS = `id firstName middleName lastName fullName phoneNumber mobilePhoneNumber emailAddress businessEmailAddress
  birthDate gender partyType accountNumber version inferred address { address1 city postalCode country }
  attributes { key value } attribute(key: "tier") createdAt updatedAt`;

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
});
afterAll(async () => {
  await s?.close();
});

async function create(input: Record<string, unknown>) {
  const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { ${PROFILE_FIELDS} } }`, { input }, key);
  expect(r.errors).toBeUndefined();
  return r.data!.createProfile;
}

describe('profiles CRUD', () => {
  it('creates a profile with normalized phone, lower-cased e-mail, address and attributes', async () => {
    const p = await create({
      firstName: 'Ada',
      lastName: 'Lovelace',
      phoneNumber: '(555) 123-4567',
      emailAddress: 'Ada@Example.COM',
      birthDate: '1990-12-10',
      gender: 'FEMALE',
      partyType: 'INDIVIDUAL',
      address: { address1: '1 Main St', city: 'Seattle', postalCode: '98101', country: 'US' },
      attributes: [{ key: 'tier', value: 'gold' }],
    });
    expect(p).toMatchObject({
      fullName: 'Ada Lovelace',
      phoneNumber: '+15551234567',
      emailAddress: 'ada@example.com',
      birthDate: '1990-12-10',
      version: 1,
      inferred: false,
      address: { city: 'Seattle', postalCode: '98101' },
      attributes: [{ key: 'tier', value: 'gold' }],
      attribute: 'gold',
    });
    const read = await s.gql(`query($id: ID!) { profile(id: $id) { ${PROFILE_FIELDS} } }`, { id: p.id }, key);
    expect(read.data!.profile).toEqual(p);
    expect(read.extensions!.diagnostics.path).toBe('graphql-js');
    // the same fields through a page: one statement, answered by the compiled walk
    const page = await s.gql(`query($id: String!) { searchProfiles(key: "_profileId", values: [$id]) { nodes { ${PROFILE_FIELDS} } } }`, { id: p.id }, key);
    expect(page.data!.searchProfiles.nodes).toEqual([p]);
    expect(page.extensions!.diagnostics).toMatchObject({ path: 'fast', operationStatements: 1 });
  });

  it('updates partially: omitted fields kept, explicit null clears, attributes merge, version bumps', async () => {
    const p = await create({ firstName: 'Grace', lastName: 'Hopper', phoneNumber: '+1 206 555 0100', emailAddress: 'g@navy.mil', attributes: [{ key: 'tier', value: 'silver' }, { key: 'x', value: '1' }] });
    const r = await s.gql(
      `mutation($id: ID!, $input: ProfileInput!, $v: Int) { updateProfile(id: $id, input: $input, expectedVersion: $v) { ${PROFILE_FIELDS} } }`,
      { id: p.id, v: 1, input: { lastName: 'Murray Hopper', emailAddress: null, attributes: [{ key: 'x', value: null }, { key: 'tier', value: 'gold' }], address: { city: 'Arlington' } } },
      key,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateProfile).toMatchObject({
      firstName: 'Grace',
      lastName: 'Murray Hopper',
      emailAddress: null,
      phoneNumber: '+12065550100',
      version: 2,
      attributes: [{ key: 'tier', value: 'gold' }],
      address: { city: 'Arlington', address1: null },
    });
  });

  it('rejects a stale expectedVersion with CONFLICT and writes nothing', async () => {
    const p = await create({ firstName: 'Stale' });
    await s.gql(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "One" }) { version } }`, { id: p.id }, key);
    const r = await s.gql(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "Two" }, expectedVersion: 1) { version } }`, { id: p.id }, key);
    expect(r.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(r.errors?.[0]?.extensions?.currentVersion).toBe(2);
    const read = await s.gql(`query($id: ID!) { profile(id: $id) { lastName version } }`, { id: p.id }, key);
    expect(read.data!.profile).toEqual({ lastName: 'One', version: 2 });
  });

  it('deletes a profile; reading it afterwards gives null and deleting again NOT_FOUND', async () => {
    const p = await create({ firstName: 'Gone', phoneNumber: '+15550001111' });
    const d = await s.gql(`mutation($id: ID!) { deleteProfile(id: $id) { id deleted } }`, { id: p.id }, key);
    expect(d.data!.deleteProfile).toEqual({ id: p.id, deleted: true });
    const read = await s.gql(`query($id: ID!) { profile(id: $id) { id } }`, { id: p.id }, key);
    expect(read.data!.profile).toBeNull();
    const again = await s.gql(`mutation($id: ID!) { deleteProfile(id: $id) { id } }`, { id: p.id }, key);
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const search = await s.gql(`{ searchProfiles(key: "_phone", values: ["+15550001111"]) { nodes { id } } }`, {}, key);
    expect(search.data!.searchProfiles.nodes).toEqual([]);
  });
});

describe('bad input', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['malformed e-mail', { emailAddress: 'not-an-email' }, 'emailAddress'],
    ['malformed phone', { phoneNumber: '12' }, 'phoneNumber'],
    ['too long name', { firstName: 'x'.repeat(256) }, 'firstName'],
    ['future birth date', { birthDate: '2999-01-01' }, 'birthDate'],
  ];
  for (const [name, input, field] of cases) {
    it(`${name} → BAD_USER_INPUT naming ${field}`, async () => {
      const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input }, key);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.extensions?.field).toBe(field);
      expect(r.errors?.[0]?.message).toMatch(new RegExp(field));
      expect(JSON.stringify(r)).not.toMatch(/stack|at .*\.ts/);
    });
  }

  it('malformed date → BAD_USER_INPUT', async () => {
    const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { birthDate: '1990-13-45' } }, key);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('unknown id → NOT_FOUND on update, null on read', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const u = await s.gql(`mutation($id: ID!) { updateProfile(id: $id, input: { firstName: "X" }) { id } }`, { id }, key);
    expect(u.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const notUuid = await s.gql(`mutation { updateProfile(id: "nope", input: { firstName: "X" }) { id } }`, {}, key);
    expect(notUuid.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const read = await s.gql(`query($id: ID!) { profile(id: $id) { id } }`, { id }, key);
    expect(read.data!.profile).toBeNull();
  });

  it('oversized page → BAD_USER_INPUT; bad cursor → BAD_USER_INPUT', async () => {
    const big = await s.gql(`{ profiles(first: 101) { nodes { id } } }`, {}, key);
    expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(big.errors?.[0]?.message).toMatch(/between 1 and 100/);
    const cursor = await s.gql(`{ profiles(first: 5, after: "garbage") { nodes { id } } }`, {}, key);
    expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('missing or invalid key → UNAUTHENTICATED; admin token on domain data → FORBIDDEN; domain key on admin op → FORBIDDEN', async () => {
    const none = await s.gql(`{ profiles { nodes { id } } }`);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await s.gql(`{ profiles { nodes { id } } }`, {}, 'pgk_not-a-real-key');
    expect(bad.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const admin = await s.gql(`{ profiles { nodes { id } } }`, {}, 'test-admin-token-0123456789');
    expect(admin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const domainOnAdmin = await s.gql(`mutation { createDomain(input: { name: "sneaky" }) { apiKey } }`, {}, key);
    expect(domainOnAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
