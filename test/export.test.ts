import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExport, waitForJob } from './helpers/jobs.js';
import { startTestServer, type GqlResult, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;
let exportDir: string;

const PROFILE_FIELDS = `id accountNumber additionalInformation partyType businessName firstName middleName lastName birthDate gender
  phoneNumber mobilePhoneNumber homePhoneNumber businessPhoneNumber emailAddress personalEmailAddress businessEmailAddress
  address { address1 address2 address3 address4 city county state province country postalCode }
  shippingAddress { address1 city postalCode country } mailingAddress { city } billingAddress { city }
  attributes { key value } inferred createdAt updatedAt version`;

/** A finished export's file over HTTP, as the tenant gets it (the job shows no server path). */
async function download(k: string, downloadPath: string): Promise<string> {
  const res = await fetch(new URL(s.url).origin + downloadPath, { headers: { authorization: `Bearer ${k}` } });
  expect(res.status).toBe(200);
  return res.text();
}

/** A domain's id (not in the API), to find its folder on disk. */
async function domainIdOf(k: string): Promise<string> {
  const name = (await s.gql(`{ currentDomain { name } }`, {}, k)).data!.currentDomain.name as string;
  const rows = await s.database.db.execute((await import('drizzle-orm')).sql`select id from domains where name = ${name}`);
  return ((rows as any).rows ?? rows)[0].id as string;
}

async function allProfiles(k: string): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let after: string | null = null;
  for (;;) {
    const r: GqlResult = await s.gql(`query($after: String) { profiles(first: 100, after: $after) { nodes { ${PROFILE_FIELDS} } pageInfo { hasNextPage endCursor } } }`, { after }, k);
    expect(r.errors).toBeUndefined();
    out.push(...r.data!.profiles.nodes);
    if (!r.data!.profiles.pageInfo.hasNextPage) return out;
    after = r.data!.profiles.pageInfo.endCursor;
  }
}

/** The API's shape of a profile, from an exported JSONL record. */
function fromExport(rec: Record<string, any>): Record<string, any> {
  const addr = (a: Record<string, unknown> | null, parts: string[]) =>
    a ? Object.fromEntries(parts.map((p) => [p, (a[p] as string | undefined) ?? null])) : null;
  return {
    ...rec,
    address: addr(rec.address, ['address1', 'address2', 'address3', 'address4', 'city', 'county', 'state', 'province', 'country', 'postalCode']),
    shippingAddress: addr(rec.shippingAddress, ['address1', 'city', 'postalCode', 'country']),
    mailingAddress: addr(rec.mailingAddress, ['city']),
    billingAddress: addr(rec.billingAddress, ['city']),
    attributes: Object.entries(rec.attributes as Record<string, string>)
      .map(([k, value]) => ({ key: k, value }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
}

beforeAll(async () => {
  exportDir = mkdtempSync(path.join(tmpdir(), 'pg-export-'));
  s = await startTestServer({ exportDir, jobPollSeconds: 0.5 });
  key = (await s.createDomain()).key;
  for (let i = 0; i < 30; i++) {
    const input: Record<string, unknown> = {
      firstName: `First${i}`,
      lastName: i % 3 === 0 ? `O'Brien, "${i}"` : `Last${i}`,
      emailAddress: `p${i}@example.com`,
      phoneNumber: `+1415555${String(1000 + i)}`,
      accountNumber: `A-${i}`,
      partyType: i % 2 ? 'INDIVIDUAL' : 'BUSINESS',
      gender: 'UNSPECIFIED',
      birthDate: '1990-02-03',
      additionalInformation: i % 5 === 0 ? 'multi\nline' : null,
      address: { address1: `${i} Main St`, city: 'Springfield', postalCode: '12345', country: 'US' },
      shippingAddress: i % 4 === 0 ? { address1: 'Dock 4', city: 'Shelbyville' } : null,
      attributes: [
        { key: 'tier', value: i % 2 ? 'gold' : 'silver' },
        ...(i % 7 === 0 ? [{ key: 'note', value: 'comma, "quote"' }] : []),
      ],
    };
    const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input }, key);
    expect(r.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await s?.close();
  rmSync(exportDir, { recursive: true, force: true });
});

describe('export jobs', () => {
  it('exports every profile and field as JSONL, with status, progress and counts', async () => {
    const started = await startExport(s, key, { objectTypes: ['profile'], format: 'JSONL' });
    expect(started.errors).toBeUndefined();
    expect(started.data!.startExport).toMatchObject({ kind: 'EXPORT', status: expect.stringMatching(/QUEUED|RUNNING|SUCCEEDED/), export: null });
    const job = await waitForJob(s, key, started.data!.startExport.id);
    expect(job).toMatchObject({ status: 'SUCCEEDED', progress: { done: 30, total: 30 }, error: null, cancelRequested: false });
    expect(job.counts).toEqual(expect.arrayContaining([{ name: 'rows', value: 30 }, { name: 'rows:profile', value: 30 }]));
    expect(job.startedAt).not.toBeNull();
    expect(job.finishedAt).not.toBeNull();
    const [file] = job.export.files;
    expect(job.export).toMatchObject({ format: 'JSONL', rows: 30 });
    // The tenant sees the file's name and download path, never where it is on the server.
    expect(file).toMatchObject({ objectType: 'profile', rows: 30, path: 'profile.jsonl', downloadPath: `/exports/${job.id}/profile.jsonl` });
    const text = await download(key, file.downloadPath);
    expect(Buffer.byteLength(text)).toBe(file.bytes);
    // On disk: <export dir>/<domain id>/<job id>/<name>.
    expect(readFileSync(path.join(exportDir, await domainIdOf(key), job.id, 'profile.jsonl'), 'utf8')).toBe(text);
    const exported = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const api = await allProfiles(key);
    expect(exported).toHaveLength(api.length);
    const byId = new Map(exported.map((e) => [e.id, fromExport(e)]));
    for (const p of api) {
      const e = byId.get(p.id);
      expect(e, p.id).toBeDefined();
      p.attributes.sort((a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key));
      expect(e).toEqual(p);
    }
  });

  it('exports CSV with a header, quoting, flattened addresses and attributes', async () => {
    const started = await startExport(s, key, { objectTypes: ['profile'], format: 'CSV' });
    const job = await waitForJob(s, key, started.data!.startExport.id);
    expect(job.status).toBe('SUCCEEDED');
    const file = job.export.files[0];
    expect(file.downloadPath).toBe(`/exports/${job.id}/profile.csv`);
    const rows = parse(await download(key, file.downloadPath), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(30);
    const header = Object.keys(rows[0]!);
    expect(header).toEqual(expect.arrayContaining(['id', 'firstName', 'emailAddress', 'address1', 'city', 'postalCode', 'shippingAddress.city', 'attributes.tier', 'attributes.note']));
    const api = new Map((await allProfiles(key)).map((p) => [p.id, p]));
    for (const row of rows) {
      const p = api.get(row.id)!;
      expect(row.lastName).toBe(p.lastName);
      expect(row.additionalInformation).toBe(p.additionalInformation ?? '');
      expect(row.address1).toBe(p.address.address1);
      expect(row['shippingAddress.city']).toBe(p.shippingAddress?.city ?? '');
      expect(row['attributes.tier']).toBe(p.attributes.find((a: { key: string }) => a.key === 'tier').value);
      expect(row['attributes.note']).toBe(p.attributes.find((a: { key: string }) => a.key === 'note')?.value ?? '');
      expect(row.createdAt).toBe(p.createdAt);
    }
  });

  it('filters by updatedAt window and rejects unknown types and empty windows', async () => {
    const future = await startExport(s, key, { objectTypes: ['profile', 'contact'], from: '2999-01-01T00:00:00Z' });
    const job = await waitForJob(s, key, future.data!.startExport.id);
    expect(job.export.files.map((f: { objectType: string; rows: number }) => [f.objectType, f.rows])).toEqual([
      ['profile', 0],
      ['contact', 0],
    ]);
    const unknown = await startExport(s, key, { objectTypes: ['NoSuchType'] });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const empty = await startExport(s, key, { objectTypes: [] });
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const window = await startExport(s, key, { objectTypes: ['profile'], from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(window.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });

  it('exports custom objects with the owning profile id, phone and e-mail', async () => {
    const type = {
      name: 'Visit',
      fields: [
        { name: 'visitId', source: '_source.visitId', contentType: 'STRING' },
        { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
        { name: 'store', source: '_source.store', contentType: 'STRING' },
      ],
      keys: [
        { name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['visitId'] },
        { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      ],
      allowProfileCreation: true,
    };
    const t = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: type }, key);
    expect(t.errors).toBeUndefined();
    const put = await s.gql(
      `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Visit", objects: $o) { __typename } }`,
      { o: [{ visitId: 'v1', email: 'p1@example.com', store: 'Main, 1' }, { visitId: 'v2', email: 'p2@example.com', store: 'Mall' }] },
      key,
    );
    expect(put.errors).toBeUndefined();
    for (const format of ['JSONL', 'CSV']) {
      const started = await startExport(s, key, { objectTypes: ['Visit'], format });
      const job = await waitForJob(s, key, started.data!.startExport.id);
      expect(job.status).toBe('SUCCEEDED');
      const file = await download(key, job.export.files[0].downloadPath);
      const p1 = (await s.gql(`{ searchProfiles(key: "_email", values: ["p1@example.com"]) { nodes { id phoneNumber } } }`, {}, key)).data!.searchProfiles.nodes[0];
      if (format === 'JSONL') {
        const recs = file.trimEnd().split('\n').map((l) => JSON.parse(l));
        const v1 = recs.find((r: any) => r.uniqueKey === 'v1');
        expect(v1).toMatchObject({ objectType: 'Visit', profileId: p1.id, profilePhoneNumber: p1.phoneNumber, profileEmailAddress: 'p1@example.com', data: { visitId: 'v1', store: 'Main, 1' } });
      } else {
        const recs = parse(file, { columns: true }) as Record<string, string>[];
        const v1 = recs.find((r) => r._uniqueKey === 'v1')!;
        expect(v1).toMatchObject({ _profileId: p1.id, _profileEmailAddress: 'p1@example.com', visitId: 'v1', store: 'Main, 1' });
      }
    }
  });
});

describe('export limits, cancellation and isolation', () => {
  it('caps queued + running exports per domain with LIMIT_EXCEEDED, and cancels queued ones', async () => {
    // A gateway that only enqueues (no workers), so jobs stay queued.
    const apiOnly = await startTestServer({ exportDir, jobWorkers: false, maxActiveExports: 2 });
    try {
      const k = (await apiOnly.createDomain()).key;
      const a = await startExport(apiOnly, k, { objectTypes: ['profile'] });
      const b = await startExport(apiOnly, k, { objectTypes: ['profile'] });
      expect([a.data!.startExport.status, b.data!.startExport.status]).toEqual(['QUEUED', 'QUEUED']);
      const c = await startExport(apiOnly, k, { objectTypes: ['profile'] });
      expect(c.errors?.[0]?.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 2 });
      expect(c.errors?.[0]?.message).toMatch(/2 exports queued or running/);
      const other = (await apiOnly.createDomain()).key;
      expect((await startExport(apiOnly, other, { objectTypes: ['profile'] })).errors).toBeUndefined();

      const cancelled = await apiOnly.gql(`mutation($id: ID!) { cancelJob(id: $id) { id status cancelRequested finishedAt } }`, { id: a.data!.startExport.id }, k);
      expect(cancelled.data!.cancelJob).toMatchObject({ status: 'CANCELLED', cancelRequested: true });
      expect((await startExport(apiOnly, k, { objectTypes: ['profile'] })).errors).toBeUndefined();
      const listed = await apiOnly.gql(`{ jobs(kind: EXPORT, status: QUEUED) { nodes { id } } }`, {}, k);
      expect(listed.data!.jobs.nodes).toHaveLength(2);
    } finally {
      await apiOnly.close();
    }
  });

  it('cancels a running export: status CANCELLED and no partial files left', async () => {
    const big = (await s.createDomain()).key;
    const domainId = (await s.gql(`{ currentDomain { name } }`, {}, big)).data!.currentDomain.name;
    // Bulk rows straight into the table: enough that the export is still running when cancelled.
    await s.database.db.execute(
      (await import('drizzle-orm')).sql`insert into profiles (domain_id, first_name, email_address)
        select d.id, 'Bulk' || g, 'bulk' || g || '@example.com' from domains d, generate_series(1, 60000) g where d.name = ${domainId}`,
    );
    const started = await startExport(s, big, { objectTypes: ['profile'], format: 'CSV' });
    const id = started.data!.startExport.id;
    const running = await waitForJob(s, big, id, ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
    expect(running.status).toBe('RUNNING');
    const c = await s.gql(`mutation($id: ID!) { cancelJob(id: $id) { id status cancelRequested } }`, { id }, big);
    expect(c.data!.cancelJob).toMatchObject({ cancelRequested: true });
    const job = await waitForJob(s, big, id);
    expect(job.status).toBe('CANCELLED');
    expect(job.export).toBeNull();
    expect(job.progress.done).toBeLessThan(60000);
    const rows = await s.database.db.execute((await import('drizzle-orm')).sql`select domain_id from jobs where id = ${id}`);
    const jobDomain = ((rows as any).rows ?? rows)[0].domain_id as string;
    expect(existsSync(path.join(exportDir, jobDomain, id))).toBe(false);
    // Cancelling a finished job changes nothing.
    const again = await s.gql(`mutation($id: ID!) { cancelJob(id: $id) { status } }`, { id }, big);
    expect(again.data!.cancelJob.status).toBe('CANCELLED');
  });

  it("keeps domains apart: B's jobs are invisible to A and B's files are only in B's folder", async () => {
    const a = (await s.createDomain()).key;
    const b = (await s.createDomain()).key;
    await s.gql(`mutation { createProfile(input: { firstName: "OnlyB" }) { id } }`, {}, b);
    await s.gql(`mutation { createProfile(input: { firstName: "OnlyA" }) { id } }`, {}, a);
    const jb = await waitForJob(s, b, (await startExport(s, b, { objectTypes: ['profile'] })).data!.startExport.id);
    const ja = await waitForJob(s, a, (await startExport(s, a, { objectTypes: ['profile'] })).data!.startExport.id);

    const seen = await s.gql(`query($id: ID!) { job(id: $id) { id } }`, { id: jb.id }, a);
    expect(seen.data!.job).toBeNull();
    const cancel = await s.gql(`mutation($id: ID!) { cancelJob(id: $id) { id } }`, { id: jb.id }, a);
    expect(cancel.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await s.gql(`{ jobs { nodes { id } } }`, {}, a);
    expect(list.data!.jobs.nodes.map((j: { id: string }) => j.id)).toEqual([ja.id]);

    const dirA = path.join(exportDir, await domainIdOf(a));
    const dirB = path.join(exportDir, await domainIdOf(b));
    expect(dirA).not.toBe(dirB);
    const fileB = readFileSync(path.join(dirB, jb.id, 'profile.jsonl'), 'utf8');
    expect(fileB).toContain('OnlyB');
    expect(fileB).not.toContain('OnlyA');
    expect(readFileSync(path.join(dirA, ja.id, 'profile.jsonl'), 'utf8')).not.toContain('OnlyB');
    expect(existsSync(path.join(dirA, jb.id))).toBe(false);
    expect(existsSync(path.join(dirB, ja.id))).toBe(false);
  });
});
