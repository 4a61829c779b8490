/**
 * Auto-merge through the AutoMerger seam the composition root supplies (the merge module in the
 * product; here a recorder, since this test is about what the matcher asks for and records): groups
 * at or above autoMergeThreshold are handed over with the most recently updated profile as the main
 * one, the configured conflict resolution and source priority, and become MERGED with the merge id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutoMerger } from '../src/modules/identity/identity.service.js';
import { waitForJob } from './helpers/jobs.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const calls: { domain: string; mainProfileId: string; profileIdsToMerge: string[]; conflictResolution: string; sourcePriority: string[] }[] = [];
const merger: AutoMerger = {
  async merge(scope, input) {
    calls.push({ domain: scope.domain.name, ...input });
    return { mergeId: `merge-${calls.length}` };
  },
};

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({}, { autoMerger: merger });
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
const GROUPS = `query($status: String) { matches(minConfidence: 0, status: $status) { nodes { id status confidence method profiles { id } } } }`;

describe('auto-merge', () => {
  it('the job hands groups above the threshold to the merger and records MERGED', async () => {
    const d = await s.createDomain();
    await ok(d.key, `mutation($input: MatchingConfigInput!) { putMatchingConfig(input: $input) { version } }`, {
      input: { onWrite: false, probabilistic: false, rules: [{ attributes: [{ type: 'ACCOUNT_NUMBER' }] }], autoMergeThreshold: 1, suggestThreshold: 0.9, conflictResolution: 'SOURCE', sourcePriority: ['crm'] },
    });
    const older = await create(d.key, { firstName: 'Old', accountNumber: 'A-1' });
    const newer = await create(d.key, { firstName: 'New', accountNumber: 'a-1' });
    const job = (await ok(d.key, `mutation { runMatchingJob { id } }`)).runMatchingJob;
    const done = await waitForJob(s, d.key, job.id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.counts.find((c: { name: string }) => c.name === 'mergesDone').value).toBe(1);
    expect(calls.filter((c) => c.domain === d.name)).toEqual([{ domain: d.name, mainProfileId: newer, profileIdsToMerge: [older], conflictResolution: 'SOURCE', sourcePriority: ['crm'] }]);
    const merged = (await ok(d.key, GROUPS, { status: 'MERGED' })).matches.nodes;
    expect(merged).toHaveLength(1);
    expect(merged[0].profiles.map((p: { id: string }) => p.id).sort()).toEqual([older, newer].sort());
    // a second job leaves the merged group alone and merges nothing again
    const again = await waitForJob(s, d.key, (await ok(d.key, `mutation { runMatchingJob { id } }`)).runMatchingJob.id);
    expect(again.counts.find((c: { name: string }) => c.name === 'mergesDone').value).toBe(0);
    expect(calls.filter((c) => c.domain === d.name)).toHaveLength(1);
  });

  it('on write, a match above the threshold is merged right after the write', async () => {
    const d = await s.createDomain();
    await ok(d.key, `mutation($input: MatchingConfigInput!) { putMatchingConfig(input: $input) { version } }`, {
      input: { probabilistic: false, rules: [{ attributes: [{ type: 'EMAIL' }] }], autoMergeThreshold: 0.99 },
    });
    const a = await create(d.key, { firstName: 'A', emailAddress: 'same@example.com' });
    const b = await create(d.key, { firstName: 'B', personalEmailAddress: 'SAME@example.com' });
    const deadline = Date.now() + 15_000;
    while (!calls.some((c) => c.domain === d.name) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const mine = calls.filter((c) => c.domain === d.name);
    expect(mine).toHaveLength(1);
    expect([mine[0]!.mainProfileId, ...mine[0]!.profileIdsToMerge].sort()).toEqual([a, b].sort());
    expect(mine[0]!.conflictResolution).toBe('RECENCY');
    // the group is marked once the merger has answered
    let merged: unknown[] = [];
    while (merged.length === 0 && Date.now() < deadline) {
      merged = (await ok(d.key, GROUPS, { status: 'MERGED' })).matches.nodes;
      if (merged.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(merged).toHaveLength(1);
  });
});
