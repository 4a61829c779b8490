/**
 * Identity resolution wired into the product as the composition root builds it (no seams replaced):
 * auto-merge goes through the merge module (an AUTO merge that can be undone exactly), and the
 * insights' PROBABLE_DUPLICATE reads the SUGGESTED match groups — for a whole page in one look-up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

async function ok(key: string, q: string, variables: Record<string, unknown> = {}) {
  const r = await s.gql(q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}
const create = async (key: string, input: Record<string, unknown>) => (await ok(key, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input })).createProfile.id as string;
const config = (key: string, input: Record<string, unknown>) => ok(key, `mutation($input: MatchingConfigInput!) { putMatchingConfig(input: $input) { version } }`, { input });
const until = async <T>(what: string, fn: () => Promise<T | null | undefined>): Promise<T> => {
  for (let i = 0; i < 150; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('identity wired to merges and insights', () => {
  it('an on-write match above the auto-merge threshold is merged by the merge module (origin AUTO) and can be undone', async () => {
    const d = await s.createDomain();
    await config(d.key, { probabilistic: false, rules: [{ attributes: [{ type: 'ACCOUNT_NUMBER' }] }], suggestThreshold: 0.9, autoMergeThreshold: 1 });
    const older = await create(d.key, { firstName: 'Ada', lastName: 'King', accountNumber: 'ACC-77' });
    const newer = await create(d.key, { firstName: 'Ada', lastName: 'Lovelace', accountNumber: 'acc-77' });
    const merge = await until('the auto-merge', async () => (await ok(d.key, `query($id: ID!) { profile(id: $id) { merges { id origin mergedProfileIds } } }`, { id: newer })).profile?.merges[0]);
    expect(merge).toEqual({ id: expect.any(String), origin: 'AUTO', mergedProfileIds: [older] });
    expect((await ok(d.key, `query($id: ID!) { profile(id: $id) { id } }`, { id: older })).profile).toBeNull();
    const undone = (await ok(d.key, `mutation($m: ID!) { unmergeProfiles(mergeId: $m) { restoredProfileIds } }`, { m: merge.id })).unmergeProfiles;
    expect(undone.restoredProfileIds).toEqual([older]);
    expect((await ok(d.key, `query($id: ID!) { profile(id: $id) { lastName } }`, { id: older })).profile).toEqual({ lastName: 'King' });
  });

  it('suggested matches show as PROBABLE_DUPLICATE insights, with the other profile and the fields, never across domains', async () => {
    const d = await s.createDomain();
    const other = await s.createDomain();
    await config(d.key, { probabilistic: false, rules: [{ attributes: [{ type: 'EMAIL' }] }], suggestThreshold: 0.5 });
    await config(other.key, { probabilistic: false, rules: [{ attributes: [{ type: 'EMAIL' }] }], suggestThreshold: 0.5 });
    const a = await create(d.key, { firstName: 'Grace', emailAddress: 'grace@example.com' });
    const b = await create(d.key, { firstName: 'G.', emailAddress: 'GRACE@example.com' });
    const lone = await create(d.key, { firstName: 'Alan', emailAddress: 'alan@example.com' });
    await create(other.key, { firstName: 'Grace', emailAddress: 'grace@example.com' });
    const page = await until('the suggestion', async () => {
      const nodes = (await ok(d.key, `{ profiles(first: 10) { nodes { id insights { kind facts { key value } } } } }`)).profiles.nodes as { id: string; insights: { kind: string; facts: { key: string; value: string }[] }[] }[];
      return nodes.find((n) => n.id === a)!.insights.some((i) => i.kind === 'PROBABLE_DUPLICATE') ? nodes : null;
    });
    const dup = (id: string) => page.find((n) => n.id === id)!.insights.find((i) => i.kind === 'PROBABLE_DUPLICATE');
    const facts = Object.fromEntries(dup(a)!.facts.map((f) => [f.key, JSON.parse(f.value)]));
    expect(facts['candidateProfileIds']).toEqual([b]);
    expect(JSON.parse(dup(b)!.facts.find((f) => f.key === 'candidateProfileIds')!.value)).toEqual([a]);
    expect(dup(lone)).toBeUndefined();
    // the other domain's Grace is in its own group, never a candidate here
    const theirs = (await ok(other.key, `{ profiles(first: 10) { nodes { insights { kind } } } }`)).profiles.nodes as { insights: { kind: string }[] }[];
    expect(theirs.flatMap((n) => n.insights.map((i) => i.kind))).not.toContain('PROBABLE_DUPLICATE');
  });
});
