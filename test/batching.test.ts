import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAs } from './helpers/read-paths.js';
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
    // auth lookup + ONE statement: the profiles page with every nested page built as JSON by Postgres
    expect(n100).toBe(2);
    // `contacts { profile { id } }` resolves through the profile loader (primed with the page's whole
    // rows, no statement): graphql-js completes the planned page, the compiled walk steps aside.
    for (const r of [r10, r100]) expect(r.extensions!.diagnostics).toMatchObject({ operationStatements: 1, path: 'planned' });
    // Without the planner the same answer takes a statement per level (and the profiles by id).
    const plain = await readAs(s.url, 'graphql-js', NESTED, { n: 100 }, key100);
    expect(plain.path).toBe('graphql-js');
    expect(plain.statements).toBeGreaterThan(1);
    expect(plain.dataText).toBe(JSON.stringify(r100.data));

    // searchProfiles with nested connections: also one statement (plus auth)
    const first = r100.data!.profiles.nodes[0];
    const search = await s.gql(
      `query($id: String!) { searchProfiles(key: "_profileId", values: [$id]) { edges { matchedKeys node { id fullName contacts(first: 10) { nodes { contactId } } orders(first: 10) { totalCount nodes { orderId } } } } } }`,
      { id: first.id },
      key100,
    );
    expect(search.errors).toBeUndefined();
    const hit = search.data!.searchProfiles.edges[0];
    expect(hit.matchedKeys).toEqual(['_profileId']);
    expect(hit.node.contacts.nodes.map((c: { contactId: string }) => c.contactId)).toEqual(first.contacts.nodes.map((c: { contactId: string }) => c.contactId));
    expect(hit.node.orders.totalCount).toBe(1);
    // one statement, counts included, and the compiled walk answered
    expect(search.extensions!.diagnostics).toMatchObject({ sqlStatements: 2, operationStatements: 1, path: 'fast' });
  }, 180_000);

  it('prefetched nested pages (look-ahead) answer exactly like the per-level DataLoader path', async () => {
    const key = await domainWith(3);
    const SEL = `id fullName
      contacts(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { contactId channel initiatedAt durationSeconds attributes { key } } } }
      voice: contacts(first: 5, channel: VOICE) { nodes { ...C } }
      ... on Profile { cases(first: 5) { nodes { caseId title status createdAt } totalCount } }
      orders(first: 5) @include(if: $withOrders) { nodes { orderId totalPrice orderedAt items { title } } }
      skipped: orders(first: 2) @skip(if: true) { nodes { orderId } }`;
    const PAGE = `query($withOrders: Boolean!) { profiles(first: 3) { nodes { ${SEL} } } } fragment C on Contact { contactId queue profile { id firstName } }`;
    const page = await s.gql(PAGE, { withOrders: true }, key);
    expect(page.errors).toBeUndefined();
    expect(page.extensions!.diagnostics).toMatchObject({ sqlStatements: 2, operationStatements: 1, path: 'planned' });
    // byte for byte what graphql-js answers with DataLoaders only
    const plain = await readAs(s.url, 'graphql-js', PAGE, { withOrders: true }, key);
    expect(plain.path).toBe('graphql-js');
    expect(plain.dataText).toBe(JSON.stringify(page.data));
    for (const p of page.data!.profiles.nodes) {
      // Query.profile(id) has no look-ahead: the same fields through the DataLoader path
      const one = await s.gql(`query($id: ID!, $withOrders: Boolean!) { profile(id: $id) { ${SEL} } } fragment C on Contact { contactId queue profile { id firstName } }`, { id: p.id, withOrders: true }, key);
      expect(one.errors).toBeUndefined();
      expect(one.data!.profile).toEqual(p);
      expect(p.contacts.totalCount).toBe(2);
      expect(p.contacts.pageInfo.hasNextPage).toBe(true);
      // the next page through the cursor continues where the first stopped
      const next = await s.gql(`query($after: String!) { profiles(first: 3) { nodes { id contacts(first: 1, after: $after) { nodes { contactId } pageInfo { hasNextPage hasPreviousPage } } } } }`, { after: p.contacts.pageInfo.endCursor }, key);
      const mine = next.data!.profiles.nodes.find((x: { id: string }) => x.id === p.id);
      expect(mine.contacts.nodes).toHaveLength(1);
      expect(mine.contacts.nodes[0].contactId).not.toBe(p.contacts.edges[0].node.contactId);
      expect(mine.contacts.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
    }
    // the compiled fast path (fastpath.ts) answers byte-for-byte like graphql-js over the planned
    // page and like graphql-js with DataLoaders only; totalCount read with the page keeps it fast
    const Q = `query($withOrders: Boolean!) { profiles(first: 3) { pageInfo { hasNextPage endCursor } edges { cursor node { id __typename } } nodes { attributes { key value } ${SEL} } } } fragment C on Contact { contactId queue }`;
    const stats = { ...s.app.services.reads.stats };
    const fast = await readAs(s.url, 'auto', Q, { withOrders: true }, key);
    // the process counters saw the compiled walk answer, and nothing fall back to DataLoaders
    expect(s.app.services.reads.stats.fast).toBe(stats.fast + 1);
    expect(s.app.services.reads.stats.loadedPages).toBe(stats.loadedPages);
    const planned = await readAs(s.url, 'planned', Q, { withOrders: true }, key);
    const slow = await readAs(s.url, 'graphql-js', Q, { withOrders: true }, key);
    expect(s.app.services.reads.stats.loadedPages).toBeGreaterThan(stats.loadedPages);
    for (const r of [fast, planned, slow]) expect(r.body.errors).toBeUndefined();
    expect([fast.path, planned.path, slow.path]).toEqual(['fast', 'planned', 'graphql-js']);
    expect([fast.statements, planned.statements]).toEqual([1, 1]);
    expect(fast.dataText).toBe(slow.dataText);
    expect(planned.dataText).toBe(slow.dataText);
    // a root field the compiled walk does not run (health) leaves the planned page to graphql-js
    const mixed = await s.gql(`query($withOrders: Boolean!) { profiles(first: 3) { nodes { id ${SEL} } } health } fragment C on Contact { contactId queue }`, { withOrders: true }, key);
    expect(mixed.errors).toBeUndefined();
    expect(mixed.extensions!.diagnostics).toMatchObject({ operationStatements: 1, path: 'planned' });
    // a bad nested argument is still reported at the nested field
    const bad = await s.gql(`{ profiles(first: 2) { nodes { id contacts(first: 500) { nodes { id } } } } }`, {}, key);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.path).toEqual(['profiles', 'nodes', 0, 'contacts']);
  }, 180_000);
});

describe('fast path', () => {
  it('writes nested nodes as Postgres-built JSON exactly like graphql-js would (strings, nulls, enums, decimals, timestamps)', async () => {
    const { key } = await s.createDomain();
    const p = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { firstName: 'Zoë "Q"', lastName: 'tab\there' } }, key);
    const id = p.data!.createProfile.id;
    const queues = ['Q "quoted" \\ back\nslash', 'ctl \u0001\u001f\u007f', '日本語 \u2028 emoji 😀', null];
    for (let i = 0; i < queues.length; i++) {
      const r = await s.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { created } }`, {
        input: { contactId: `x${i}`, profileId: id, channel: i % 2 ? 'CHAT' : 'VOICE', initiatedAt: `2026-02-0${i + 1}T01:02:03.${'456789'.slice(0, i + 1)}Z`, queue: queues[i], agentId: i === 2 ? null : `agent-${i}` },
      }, key);
      expect(r.errors).toBeUndefined();
    }
    for (const [i, price] of ['5', '5.1', '129.9', '0.1234', '-3.5', '100.10', null].entries()) {
      const r = await s.gql(`mutation($input: RecordOrderInput!) { recordOrder(input: $input) { created } }`, { input: { orderId: `o${i}`, profileId: id, totalPrice: price, status: i === 3 ? null : 'paid' } }, key);
      expect(r.errors).toBeUndefined();
    }
    await s.gql(`mutation($input: CreateCaseInput!) { createCase(input: $input) { created } }`, { input: { profileId: id, title: 'Broken "thing"\n' } }, key);
    const body = `profiles(first: 5) {
        nodes {
          id firstName lastName
          contacts(first: 10) { nodes { channel initiatedAt queue agentId id contactId disconnectedAt queueWaitSeconds } }
          cases(first: 10) { nodes { title status createdAt closedAt } }
          orders(first: 10) { nodes { orderId totalPrice status orderedAt price: totalPrice } }
          chats: contacts(first: 1, channel: CHAT) { nodes { initiatedAt } }
        }
      }`;
    const fast = await readAs(s.url, 'auto', `{ ${body} }`, {}, key);
    const slow = await readAs(s.url, 'graphql-js', `{ ${body} }`, {}, key);
    expect(fast.body.errors).toBeUndefined();
    expect(slow.body.errors).toBeUndefined();
    // Postgres wrote the nested nodes (raw JSON) and the compiled walk answered, in one statement
    expect(fast.path).toBe('fast');
    expect(fast.statements).toBe(1);
    expect(slow.path).toBe('graphql-js');
    expect(fast.dataText).toBe(slow.dataText);
    const node = fast.body.data!.profiles.nodes[0];
    expect(node.contacts.nodes.map((c: { queue: string | null }) => c.queue)).toEqual([...queues].reverse());
    expect(node.orders.nodes.map((o: { totalPrice: string | null }) => o.totalPrice).sort()).toEqual(['-3.50', '0.1234', '100.10', '129.90', '5.00', '5.10', null].sort());
    expect(node.chats.nodes).toHaveLength(1);
  });
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
