/**
 * Identity resolution (matching) through the public API: configuration and its bounds, rule levels
 * and the low-cardinality guard, the full matching job (lifecycle, progress, stats), on-write
 * matching from the event log, similarProfiles, and isolation across domains.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_FIELDS, waitForJob } from './helpers/jobs.js';
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

async function create(key: string, input: Record<string, unknown>): Promise<string> {
  const d = await ok(key, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input });
  return d.createProfile.id;
}

const CONFIG_FIELDS = `enabled rules { level attributes { type fields } } lowCardinalityLimit probabilistic compareAttributes suggestThreshold autoMergeThreshold
  conflictResolution sourcePriority onWrite scheduled emailProviderDots emailPlusTags version trained`;
const PUT = `mutation($input: MatchingConfigInput!) { putMatchingConfig(input: $input) { ${CONFIG_FIELDS} } }`;
const MATCHES = `query($min: Float, $first: Int, $after: String, $status: String) { matches(minConfidence: $min, first: $first, after: $after, status: $status) {
  nodes { id confidence method status fields { field level weight } profiles { id firstName lastName } }
  edges { cursor } pageInfo { hasNextPage endCursor } } }`;
const SIMILAR = `query($id: ID!, $first: Int) { similarProfiles(profileId: $id, first: $first) { confidence method fields { field level weight } profile { id firstName } } }`;

async function runJob(key: string) {
  const d = await ok(key, `mutation { runMatchingJob { ${JOB_FIELDS} } }`);
  expect(d.runMatchingJob.kind).toBe('MATCHING');
  expect(['QUEUED', 'RUNNING', 'SUCCEEDED']).toContain(d.runMatchingJob.status);
  return waitForJob(s, key, d.runMatchingJob.id);
}

const count = (job: Record<string, any>, name: string) => job.counts.find((c: { name: string }) => c.name === name)?.value;

async function groups(key: string, variables: Record<string, unknown> = {}) {
  return (await ok(key, MATCHES, variables)).matches;
}

async function until<T>(fn: () => Promise<T>, cond: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (cond(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('matching configuration', () => {
  it('has defaults until put, and stores what was put', async () => {
    const { key } = await s.createDomain();
    const d = await ok(key, `{ matchingConfig { ${CONFIG_FIELDS} } }`);
    expect(d.matchingConfig).toMatchObject({ enabled: false, version: 0, lowCardinalityLimit: 500, suggestThreshold: 0.8, autoMergeThreshold: null, probabilistic: true, scheduled: true, onWrite: true, trained: false });
    const put = await ok(key, PUT, {
      input: {
        rules: [{ attributes: [{ type: 'EMAIL' }] }, { attributes: [{ type: 'EMAIL', fields: ['businessEmailAddress', 'personalEmailAddress'] }, { type: 'LAST_NAME' }] }, { attributes: [{ type: 'ATTRIBUTE', fields: ['loyaltyId'] }] }],
        suggestThreshold: 0.7,
        autoMergeThreshold: 0.95,
        conflictResolution: 'SOURCE',
        sourcePriority: ['crm', 'web'],
      },
    });
    expect(put.putMatchingConfig).toMatchObject({
      enabled: true,
      version: 1,
      suggestThreshold: 0.7,
      autoMergeThreshold: 0.95,
      conflictResolution: 'SOURCE',
      sourcePriority: ['crm', 'web'],
      rules: [
        { level: 1, attributes: [{ type: 'EMAIL', fields: ['emailAddress', 'personalEmailAddress', 'businessEmailAddress'] }] },
        { level: 2, attributes: [{ type: 'EMAIL', fields: ['businessEmailAddress', 'personalEmailAddress'] }, { type: 'LAST_NAME', fields: [] }] },
        { level: 3, attributes: [{ type: 'ATTRIBUTE', fields: ['loyaltyId'] }] },
      ],
    });
    const again = await ok(key, `{ matchingConfig { version rules { level } } }`);
    expect(again.matchingConfig.version).toBe(1);
    expect(again.matchingConfig.rules).toHaveLength(3);
  });

  it('refuses hostile configurations with BAD_USER_INPUT and keeps the previous one', async () => {
    const { key } = await s.createDomain();
    await ok(key, PUT, { input: { suggestThreshold: 0.6 } });
    const rule = { attributes: [{ type: 'EMAIL' }] };
    const bad: [Record<string, unknown>, string][] = [
      [{ rules: Array.from({ length: 16 }, () => rule) }, 'at most 15'],
      [{ rules: [{ attributes: Array.from({ length: 16 }, () => ({ type: 'LAST_NAME' })) }] }, '1..15'],
      [{ rules: [{ attributes: [] }] }, '1..15'],
      [{ suggestThreshold: 1.5 }, 'between 0 and 1'],
      [{ suggestThreshold: -0.1 }, 'between 0 and 1'],
      [{ suggestThreshold: 0.9, autoMergeThreshold: 0.5 }, 'at or above'],
      [{ autoMergeThreshold: 2 }, 'between 0 and 1'],
      [{ lowCardinalityLimit: 1 }, 'lowCardinalityLimit'],
      [{ lowCardinalityLimit: 10_000_000 }, 'lowCardinalityLimit'],
      [{ rules: [{ attributes: [{ type: 'EMAIL', fields: ['phoneNumber'] }] }] }, 'is not one of'],
      [{ rules: [{ attributes: [{ type: 'LAST_NAME', fields: ['x'] }] }] }, 'only EMAIL, PHONE and ATTRIBUTE'],
      [{ rules: [{ attributes: [{ type: 'ATTRIBUTE' }] }] }, 'custom attribute'],
      [{ rules: [{ attributes: [{ type: 'ATTRIBUTE', fields: ['bad key!'] }] }] }, 'not an attribute key'],
      [{ compareAttributes: Array.from({ length: 21 }, (_, i) => `a${i}`) }, 'at most 20'],
      [{ sourcePriority: ['x'.repeat(101)] }, '1..100'],
      [{ sourcePriority: Array.from({ length: 51 }, (_, i) => `s${i}`) }, 'at most 50'],
    ];
    for (const [input, message] of bad) {
      const r = await s.gql(PUT, { input }, key);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(input).slice(0, 100)).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message).toContain(message);
    }
    const nul = await s.gql(PUT, { input: { compareAttributes: ['a\u0000b'] } }, key);
    expect(nul.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = await ok(key, `{ matchingConfig { version suggestThreshold } }`);
    expect(after.matchingConfig).toEqual({ version: 1, suggestThreshold: 0.6 });
    for (const [q, v] of [
      [MATCHES, { min: 1.5 }],
      [MATCHES, { first: 1000 }],
      [MATCHES, { after: 'not-a-cursor' }],
      [MATCHES, { status: 'NOPE' }],
      [SIMILAR, { id: '00000000-0000-0000-0000-000000000000', first: 51 }],
    ] as const) {
      const r = await s.gql(q, v, key);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('rule levels and the full matching job', () => {
  it('links by the first rule level that matches, skips low-cardinality keys, and reports progress and stats', async () => {
    const { key } = await s.createDomain();
    await ok(key, PUT, {
      input: {
        probabilistic: false,
        onWrite: false,
        lowCardinalityLimit: 2,
        rules: [{ attributes: [{ type: 'EMAIL' }] }, { attributes: [{ type: 'LAST_NAME' }, { type: 'BIRTH_DATE' }] }, { attributes: [{ type: 'BUSINESS_NAME' }] }],
      },
    });
    // rule 1: one e-mail written differently, in a personal and a business field
    const a1 = await create(key, { firstName: 'Ann', lastName: 'Lee', personalEmailAddress: 'Ann.Lee@Example.com' });
    const a2 = await create(key, { firstName: 'Anne', lastName: 'Leigh', businessEmailAddress: ' ann.lee@example.COM' });
    // rule 2: surname (diacritics, width) and birth date
    const b1 = await create(key, { firstName: 'José', lastName: 'Müller', birthDate: '1980-02-03' });
    const b2 = await create(key, { firstName: 'Joe', lastName: 'ＭＵＬＬＥＲ', birthDate: '1980-02-03' });
    // rule 3 would link these three, but the business name is shared by 3 > 2 profiles: skipped
    const c = [];
    for (const n of ['X', 'Y', 'Z']) c.push(await create(key, { firstName: n, lastName: `${n}son`, businessName: 'Acme Ltd' }));
    // and a pair that shares a business name only with each other (2 ≤ 2): linked by rule 3
    const d1 = await create(key, { firstName: 'P', businessName: 'Globex' });
    const d2 = await create(key, { firstName: 'Q', businessName: 'GLOBEX' });
    const job = await runJob(key);
    expect(job.status).toBe('SUCCEEDED');
    expect(job.progress).toEqual({ done: 9, total: 9 });
    expect(count(job, 'profilesReviewed')).toBe(9);
    expect(count(job, 'matchesFound')).toBe(3);
    expect(count(job, 'mergesDone')).toBe(0);
    expect(job.result).toMatchObject({ profilesReviewed: 9, matchesFound: 3, mergesDone: 0 });
    const m = await groups(key);
    const byMembers = new Map<string, Record<string, any>>(m.nodes.map((g: Record<string, any>) => [g.profiles.map((p: { id: string }) => p.id).sort().join(','), g]));
    expect([...byMembers.keys()].sort()).toEqual([[a1, a2].sort().join(','), [b1, b2].sort().join(','), [d1, d2].sort().join(',')].sort());
    expect(byMembers.get([a1, a2].sort().join(','))).toMatchObject({ method: 'RULE:1', confidence: 1, status: 'SUGGESTED', fields: [{ field: 'EMAIL', level: 'RULE:1' }] });
    expect(byMembers.get([b1, b2].sort().join(','))).toMatchObject({ method: 'RULE:2', fields: [{ field: 'LAST_NAME' }, { field: 'BIRTH_DATE' }] });
    expect(byMembers.get([d1, d2].sort().join(','))!.method).toBe('RULE:3');
    for (const id of c) expect([...byMembers.keys()].some((k) => k.includes(id))).toBe(false);
    // pages
    const p1 = await groups(key, { first: 2 });
    expect(p1.nodes).toHaveLength(2);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = await groups(key, { first: 2, after: p1.pageInfo.endCursor });
    expect(p2.nodes).toHaveLength(1);
    expect(new Set([...p1.nodes, ...p2.nodes].map((g: { id: string }) => g.id)).size).toBe(3);
    // running again replaces the suggestions, not duplicates them
    const again = await runJob(key);
    expect(count(again, 'matchesFound')).toBe(3);
    expect((await groups(key)).nodes).toHaveLength(3);
    expect((await groups(key, { status: 'MERGED' })).nodes).toHaveLength(0);
    // a dismissed group is not suggested again by the next job
    const dismissed = byMembers.get([d1, d2].sort().join(','))!;
    const dm = await ok(key, `mutation($id: ID!) { dismissMatch(id: $id) { id status } }`, { id: (await groups(key)).nodes.find((g: { profiles: { id: string }[] }) => g.profiles.some((p) => p.id === d1)).id });
    expect(dm.dismissMatch.status).toBe('DISMISSED');
    const third = await runJob(key);
    expect(count(third, 'matchesFound')).toBe(2);
    expect((await groups(key, { status: 'SUGGESTED' })).nodes).toHaveLength(2);
    expect((await groups(key, { status: 'DISMISSED' })).nodes.map((g: { profiles: { id: string }[] }) => g.profiles.map((p) => p.id).sort())).toEqual([[d1, d2].sort()]);
    expect(dismissed.method).toBe('RULE:3');
    const other = await s.createDomain();
    const cross = await s.gql(`mutation($id: ID!) { dismissMatch(id: $id) { id } }`, { id: dm.dismissMatch.id }, other.key);
    expect(cross.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a job without any configuration uses the defaults', async () => {
    const { key } = await s.createDomain();
    await create(key, { firstName: 'Solo', lastName: 'Person', emailAddress: 'solo@example.com' });
    const job = await runJob(key);
    expect(job.status).toBe('SUCCEEDED');
    expect(count(job, 'profilesReviewed')).toBe(1);
    expect(count(job, 'matchesFound')).toBe(0);
  });
});

describe('probabilistic matching, on write and by job', () => {
  it('suggests a typo-ridden duplicate right after the write, explains it, and finds it with similarProfiles', async () => {
    const { key } = await s.createDomain('idprob', { defaultPhoneRegion: 'GB' });
    await ok(key, PUT, { input: { suggestThreshold: 0.5 } });
    const base = await create(key, { firstName: 'Robert', lastName: 'Fitzgerald', birthDate: '1971-06-24', emailAddress: 'rob.fitz@example.com', phoneNumber: '020 7946 0958', address: { address1: '12 Main St.', city: 'London', postalCode: 'N1 9GU' } });
    for (let i = 0; i < 5; i++) await create(key, { firstName: `Other${i}`, lastName: `Person${i}`, birthDate: `19${50 + i}-01-0${i + 1}`, emailAddress: `o${i}@example.com` });
    expect((await groups(key)).nodes).toHaveLength(0);
    // written after the configuration: matched on write, no job
    const dup = await create(key, { firstName: 'Bob', lastName: 'Fitzgerlad', birthDate: '1971-06-24', phoneNumber: '+44 20 7946 0958', address: { address1: '12 Main Street', city: 'london', postalCode: 'N19GU' } });
    const found = await until(
      () => groups(key),
      (m) => m.nodes.length === 1,
    );
    const g = found.nodes[0];
    expect(g.profiles.map((p: { id: string }) => p.id).sort()).toEqual([base, dup].sort());
    expect(g.method).toBe('PROBABILISTIC');
    expect(g.confidence).toBeGreaterThan(0.5);
    expect(g.confidence).toBeLessThanOrEqual(1);
    const fields = new Map(g.fields.map((f: { field: string; level: string; weight: number }) => [f.field, f]));
    expect(fields.get('firstName')).toMatchObject({ level: 'NICKNAME' });
    expect(fields.get('phone')).toMatchObject({ level: 'EXACT' });
    expect((fields.get('birthDate') as { weight: number }).weight).toBeGreaterThan(0);
    const sim = (await ok(key, SIMILAR, { id: base })).similarProfiles;
    expect(sim[0]).toMatchObject({ method: 'PROBABILISTIC', profile: { id: dup, firstName: 'Bob' } });
    expect(sim[0].confidence).toBeGreaterThan(0.5);
    // the job trains the model on the domain and keeps the group
    const job = await runJob(key);
    expect(job.status).toBe('SUCCEEDED');
    expect(count(job, 'profilesReviewed')).toBe(7);
    expect((await ok(key, `{ matchingConfig { trained } }`)).matchingConfig.trained).toBe(true);
    const unknown = await s.gql(SIMILAR, { id: '00000000-0000-0000-0000-000000000000' }, key);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('never crosses domains: another domain’s identical profile is no candidate and its groups are invisible', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    for (const d of [a, b]) await ok(d.key, PUT, { input: { rules: [{ attributes: [{ type: 'EMAIL' }] }], probabilistic: false } });
    const a1 = await create(a.key, { firstName: 'Iso', emailAddress: 'iso@example.com' });
    const b1 = await create(b.key, { firstName: 'Iso', emailAddress: 'iso@example.com' });
    const b2 = await create(b.key, { firstName: 'Iso', emailAddress: 'ISO@example.com' });
    await until(
      () => groups(b.key),
      (m) => m.nodes.length === 1,
    );
    const jobA = await runJob(a.key);
    expect(count(jobA, 'profilesReviewed')).toBe(1);
    expect(count(jobA, 'matchesFound')).toBe(0);
    expect((await groups(a.key)).nodes).toHaveLength(0);
    expect((await ok(a.key, SIMILAR, { id: a1 })).similarProfiles).toEqual([]);
    const bs = (await ok(b.key, SIMILAR, { id: b1 })).similarProfiles;
    expect(bs.map((m: { profile: { id: string } }) => m.profile.id)).toEqual([b2]);
    expect(bs[0]).toMatchObject({ method: 'RULE:1', confidence: 1 });
    const cross = await s.gql(SIMILAR, { id: b1 }, a.key);
    expect(cross.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const jobB = (await ok(b.key, `{ jobs(kind: MATCHING) { nodes { id } } }`)).jobs.nodes;
    expect(jobB).toHaveLength(0);
    const jobOfA = await s.gql(`query($id: ID!) { job(id: $id) { id } }`, { id: jobA.id }, b.key);
    expect(jobOfA.data?.job).toBeNull();
  });
});
