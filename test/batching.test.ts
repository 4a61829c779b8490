import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;

/** A domain with n profiles, each with 2 contacts, 1 case and 1 order. */
async function domainWith(n: number): Promise<string> {
  const { key } = await s.createDomain();
  for (let i = 0; i < n; i++) {
    const p = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { firstName: `P${i}` } }, key);
    const id = p.data!.createProfile.id;
    for (let c = 0; c < 2; c++) {
      await s.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, { input: { contactId: `c${i}-${c}`, profileId: id, channel: 'VOICE', initiatedAt: new Date(Date.UTC(2026, 0, 1 + c)).toISOString() } }, key);
    }
    await s.gql(`mutation($input: CreateCaseInput!) { createCase(input: $input) { created } }`, { input: { profileId: id, title: 'T' } }, key);
    await s.gql(`mutation($input: RecordOrderInput!) { recordOrder(input: $input) { created } }`, { input: { orderId: `o${i}`, profileId: id } }, key);
  }
  return key;
}

const NESTED = `query($n: Int!) {
  profiles(first: $n) {
    nodes {
      id fullName
      contacts(first: 10) { nodes { contactId channel initiatedAt profile { id } } }
      cases(first: 10) { nodes { caseId title status } }
      orders(first: 10) { nodes { orderId totalPrice } }
    }
  }
}`;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

describe('batching', () => {
  it('runs the same number of SQL statements for 10 and for 100 profiles with contacts, cases and orders', async () => {
    const key10 = await domainWith(10);
    const key100 = await domainWith(100);
    const r10 = await s.gql(NESTED, { n: 10 }, key10);
    const r100 = await s.gql(NESTED, { n: 100 }, key100);
    expect(r10.errors).toBeUndefined();
    expect(r100.errors).toBeUndefined();
    expect(r10.data!.profiles.nodes).toHaveLength(10);
    expect(r100.data!.profiles.nodes).toHaveLength(100);
    for (const p of r100.data!.profiles.nodes) {
      expect(p.contacts.nodes).toHaveLength(2);
      expect(p.cases.nodes).toHaveLength(1);
      expect(p.orders.nodes).toHaveLength(1);
      expect(p.contacts.nodes[0].profile.id).toBe(p.id);
    }
    const n10 = r10.extensions!.diagnostics.sqlStatements;
    const n100 = r100.extensions!.diagnostics.sqlStatements;
    expect(n10).toBe(n100);
    // auth lookup + profiles page + one statement per relation level
    expect(n100).toBeLessThanOrEqual(5);
  }, 180_000);
});

describe('guards', () => {
  it('rejects queries deeper than the limit and too expensive ones, before touching the database', async () => {
    const { key } = await s.createDomain();
    const deep = `{ profiles { nodes { contacts { nodes { profile { contacts { nodes { profile { contacts { nodes { profile { contacts { nodes { profile { id } } } } } } } } } } } } } } }`;
    const r = await s.gql(deep, {}, key);
    expect(r.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(r.errors?.[0]?.message).toMatch(/depth 15 exceeds the limit of 12/i);
    expect(r.data).toBeUndefined();
    const costly = await s.gql(`{ profiles(first: 100) { nodes { contacts(first: 100) { nodes { id channel queue } } orders(first: 100) { nodes { id } } } } }`, {}, key);
    expect(costly.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(costly.errors?.[0]?.message).toMatch(/cost/);
    const viaVariables = await s.gql(`query($n: Int) { profiles(first: 100) { nodes { contacts(first: $n) { nodes { id channel queue } } } } }`, { n: 100 }, key);
    expect(viaVariables.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const agentDesktop = await s.gql(`{ profiles(first: 50) { nodes { id contacts(first: 10) { nodes { id channel } } cases(first: 10) { nodes { id } } orders(first: 10) { nodes { id } } } } }`, {}, key);
    expect(agentDesktop.errors).toBeUndefined();
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: profiles { nodes { id } }`).join(' ')} }`;
    const a = await s.gql(aliases, {}, key);
    expect(a.errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    expect(a.data).toBeUndefined();
  });
});
