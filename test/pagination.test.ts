import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

/** Paging must visit every row exactly once, also when many rows share a millisecond. */
let s: TestServer;
let key: string;

beforeAll(async () => {
  s = await startTestServer();
  key = (await s.createDomain()).key;
});
afterAll(async () => {
  await s?.close();
});

/** Pages through a connection; every page must be answered by `path` (extensions.diagnostics) in `statements` statements. */
async function pageAll(
  query: string,
  pick: (data: any) => { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } },
  vars: Record<string, unknown> = {},
  expected: { path: 'fast' | 'planned' | 'graphql-js'; statements?: number } = { path: 'fast', statements: 1 },
) {
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const r = await s.gql(query, { ...vars, after }, key);
    expect(r.errors).toBeUndefined();
    expect(r.extensions!.diagnostics.path).toBe(expected.path);
    if (expected.statements !== undefined) expect(r.extensions!.diagnostics.operationStatements).toBe(expected.statements);
    const conn = pick(r.data);
    seen.push(...conn.nodes.map((n) => n.id));
    if (!conn.pageInfo.hasNextPage) break;
    after = conn.pageInfo.endCursor;
  }
  return seen;
}

describe('cursor pagination', () => {
  it('visits every profile once when many are created at the same moment', async () => {
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) => s.gql(`mutation($i: ProfileInput!) { createProfile(input: $i) { id } }`, { i: { firstName: `Same${i}` } }, key)),
    );
    const ids = created.map((r) => r.data!.createProfile.id).sort();
    const seen = await pageAll(`query($after: String) { profiles(first: 7, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`, (d) => d.profiles);
    expect(seen).toHaveLength(40);
    expect([...seen].sort()).toEqual(ids);
  });

  it('visits every object of a bulk import once (one batch shares a millisecond)', async () => {
    const t = await s.gql(
      `mutation($t: PutObjectTypeInput!) { putObjectType(input: $t) { name } }`,
      { t: { name: 'Visit', allowProfileCreation: true, fields: [{ name: 'id', source: '_source.id' }, { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' }], keys: [{ name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['id'] }, { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] }] } },
      key,
    );
    expect(t.errors).toBeUndefined();
    const csv = ['id,email', ...Array.from({ length: 45 }, (_, i) => `v${i},visitor@example.com`)].join('\n');
    const imp = await s.gql(`mutation($c: String!) { importCsv(input: { objectType: "Visit", content: $c }) { counts { rows failed } } }`, { c: csv }, key);
    expect(imp.data!.importCsv.counts).toEqual({ rows: 45, failed: 0 });
    const p = await s.gql(`{ searchProfiles(key: "_email", values: ["visitor@example.com"]) { nodes { id } } }`, {}, key);
    const profileId = p.data!.searchProfiles.nodes[0].id;
    // Query.profile has no look-ahead: the DataLoader path
    const seen = await pageAll(
      `query($id: ID!, $after: String) { profile(id: $id) { objects(type: "Visit", first: 8, after: $after) { nodes { id uniqueKey } pageInfo { hasNextPage endCursor } } } }`,
      (d) => d.profile.objects,
      { id: profileId },
      { path: 'graphql-js' },
    );
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    // under a page of profiles: planned into the page's statement, answered by the compiled walk
    const planned = await pageAll(
      `query($id: String!, $after: String) { searchProfiles(key: "_profileId", values: [$id]) { nodes { objects(type: "Visit", first: 8, after: $after) { nodes { id uniqueKey } pageInfo { hasNextPage endCursor } } } } }`,
      (d) => d.searchProfiles.nodes[0].objects,
      { id: profileId },
    );
    expect(planned).toEqual(seen);
    // Newest first = last imported first.
    const first = await s.gql(`query($id: ID!) { profile(id: $id) { objects(type: "Visit", first: 3) { nodes { uniqueKey } } } }`, { id: profileId }, key);
    expect(first.data!.profile.objects.nodes.map((n: { uniqueKey: string }) => n.uniqueKey)).toEqual(['v44', 'v43', 'v42']);
  });
});
