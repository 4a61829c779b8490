import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let a: string;
let b: string;
let bProfile: string;
let bCase: string;
let bOrder: string;
let bContact: string;

beforeAll(async () => {
  s = await startTestServer();
  a = (await s.createDomain()).key;
  b = (await s.createDomain()).key;
  const p = await s.gql(`mutation { createProfile(input: { firstName: "Secret", phoneNumber: "+15557770000", emailAddress: "secret@b.example", accountNumber: "B-ACC", attributes: [{ key: "vip", value: "yes" }] }) { id } }`, {}, b);
  bProfile = p.data!.createProfile.id;
  const c = await s.gql(`mutation($id: ID!) { recordContact(input: { contactId: "b-contact", profileId: $id, channel: VOICE, initiatedAt: "2026-01-01T00:00:00Z" }) { contact { id } } }`, { id: bProfile }, b);
  bContact = c.data!.recordContact.contact.id;
  const k = await s.gql(`mutation($id: ID!) { createCase(input: { profileId: $id, caseId: "B-CASE", title: "secret" }) { case { id } } }`, { id: bProfile }, b);
  bCase = k.data!.createCase.case.id;
  const o = await s.gql(`mutation($id: ID!) { recordOrder(input: { orderId: "B-ORDER", profileId: $id }) { order { id } } }`, { id: bProfile }, b);
  bOrder = o.data!.recordOrder.order.id;
});
afterAll(async () => {
  await s?.close();
});

describe("tenant isolation: domain A's key never reaches domain B", () => {
  it('cannot read B objects by id or by their external ids', async () => {
    const r = await s.gql(
      `query($p: ID!, $c: ID!, $k: ID!, $o: ID!) { profile(id: $p) { id } contact(id: $c) { id } byContactId: contact(id: "b-contact") { id } case(id: $k) { id } byCaseId: case(id: "B-CASE") { id } order(id: $o) { id } byOrderId: order(id: "B-ORDER") { id } }`,
      { p: bProfile, c: bContact, k: bCase, o: bOrder },
      a,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ profile: null, contact: null, byContactId: null, case: null, byCaseId: null, order: null, byOrderId: null });
  });

  it('cannot list or search B profiles by any key', async () => {
    const list = await s.gql(`{ profiles(first: 100) { nodes { id } } }`, {}, a);
    expect(list.data!.profiles.nodes).toEqual([]);
    for (const [k, v] of [['_phone', '+15557770000'], ['_email', 'secret@b.example'], ['_account', 'B-ACC'], ['_profileId', bProfile], ['_fullName', 'secret'], ['attributes.vip', 'yes']] as const) {
      const r = await s.gql(`query($k: String!, $v: String!) { searchProfiles(key: $k, values: [$v]) { nodes { id } } }`, { k, v }, a);
      expect(r.data!.searchProfiles.nodes, k).toEqual([]);
    }
  });

  it('cannot update, delete, or attach objects to B profiles; B data is unchanged', async () => {
    const u = await s.gql(`mutation($id: ID!) { updateProfile(id: $id, input: { firstName: "Pwned" }) { id } }`, { id: bProfile }, a);
    expect(u.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const d = await s.gql(`mutation($id: ID!) { deleteProfile(id: $id) { id } }`, { id: bProfile }, a);
    expect(d.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const c = await s.gql(`mutation($id: ID!) { recordContact(input: { contactId: "x", profileId: $id, channel: VOICE, initiatedAt: "2026-01-01T00:00:00Z" }) { association } }`, { id: bProfile }, a);
    expect(c.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const k = await s.gql(`mutation($id: ID!) { createCase(input: { profileId: $id, title: "x" }) { created } }`, { id: bProfile }, a);
    expect(k.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const uc = await s.gql(`mutation { updateCase(id: "B-CASE", input: { status: CLOSED }) { id } }`, {}, a);
    expect(uc.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const o = await s.gql(`mutation($id: ID!) { recordOrder(input: { orderId: "B-ORDER", profileId: $id }) { created } }`, { id: bProfile }, a);
    expect(o.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const check = await s.gql(`query($id: ID!) { profile(id: $id) { firstName version contacts { totalCount } cases { totalCount } orders { totalCount } } }`, { id: bProfile }, b);
    expect(check.data!.profile).toEqual({ firstName: 'Secret', version: 1, contacts: { totalCount: 1 }, cases: { totalCount: 1 }, orders: { totalCount: 1 } });
  });

  it('auto-association in A never matches B profiles: same phone in A creates A profile', async () => {
    const r = await s.gql(`mutation { recordContact(input: { contactId: "b-contact", channel: VOICE, initiatedAt: "2026-01-01T00:00:00Z", phoneNumber: "+15557770000" }) { association created profile { id } } }`, {}, a);
    expect(r.data!.recordContact.association).toBe('CREATED_PROFILE');
    expect(r.data!.recordContact.created).toBe(true);
    expect(r.data!.recordContact.profile.id).not.toBe(bProfile);
  });

  it('deleting domain B purges its rows; its key stops working', async () => {
    const domains = await s.gql(`{ domains { name } }`, {}, ADMIN_TOKEN);
    const names = domains.data!.domains.map((d: { name: string }) => d.name);
    const current = await s.gql(`{ currentDomain { name } }`, {}, b);
    const bName = current.data!.currentDomain.name;
    expect(names).toContain(bName);
    const del = await s.gql(`mutation($n: String!) { deleteDomain(name: $n) }`, { n: bName }, ADMIN_TOKEN);
    expect(del.data!.deleteDomain).toBe(true);
    const after = await s.gql(`{ profiles { nodes { id } } }`, {}, b);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('keys', () => {
  it('are stored hashed, can be added and revoked', async () => {
    const { name, key } = await s.createDomain();
    const extra = await s.gql(`mutation($d: String!) { createApiKey(domain: $d, name: "crm-sync") { apiKey apiKeyInfo { id name prefix revokedAt } } }`, { d: name }, ADMIN_TOKEN);
    const { apiKey, apiKeyInfo } = extra.data!.createApiKey;
    expect(apiKey.startsWith(apiKeyInfo.prefix)).toBe(true);
    expect((await s.gql(`{ currentDomain { name } }`, {}, apiKey)).data!.currentDomain.name).toBe(name);
    const list = await s.gql(`query($d: String!) { apiKeys(domain: $d) { name prefix } }`, { d: name }, ADMIN_TOKEN);
    expect(list.data!.apiKeys.map((k: { name: string }) => k.name)).toEqual(['default', 'crm-sync']);
    expect(JSON.stringify(list)).not.toContain(apiKey);
    const rows = await s.database.db.execute(`select key_hash from api_keys` as never);
    expect(JSON.stringify(rows)).not.toContain(apiKey);
    const revoked = await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKeyInfo.id }, ADMIN_TOKEN);
    expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
    const denied = await s.gql(`{ currentDomain { name } }`, {}, apiKey);
    expect(denied.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await s.gql(`{ currentDomain { name } }`, {}, key)).data!.currentDomain.name).toBe(name);
  });

  it('domain names are unique and validated', async () => {
    const { name } = await s.createDomain();
    const dup = await s.gql(`mutation($n: String!) { createDomain(input: { name: $n }) { apiKey } }`, { n: name }, ADMIN_TOKEN);
    expect(dup.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const bad = await s.gql(`mutation { createDomain(input: { name: "no spaces!" }) { apiKey } }`, {}, ADMIN_TOKEN);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const exp = await s.gql(`mutation { createDomain(input: { name: "expiry", defaultExpirationDays: 5000 }) { apiKey } }`, {}, ADMIN_TOKEN);
    expect(exp.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
