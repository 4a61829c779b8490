import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from './helpers/jobs.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let importDir: string;
let a: { name: string; key: string };
let b: { name: string; key: string };

const START = `mutation($input: StartImportInput!) { startImport(input: $input) { id kind status } }`;
const csv = readFileSync(new URL('../examples/customers.csv', import.meta.url), 'utf8');

async function defineType(key: string) {
  const headers = csv.replace(/^\uFEFF/, '').split('\n')[0]!.split(',');
  const sug = await s.gql(`query($h: [String!]!) { suggestMapping(headers: $h, typeName: "Customers") { objectType } }`, { h: headers }, key);
  const r = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: sug.data!.suggestMapping.objectType }, key);
  expect(r.errors).toBeUndefined();
}

beforeAll(async () => {
  importDir = mkdtempSync(path.join(tmpdir(), 'pg-import-'));
  s = await startTestServer({ importDir, jobPollSeconds: 0.5 });
  a = await s.createDomain();
  b = await s.createDomain();
  await defineType(a.key);
  await defineType(b.key);
});
afterAll(async () => {
  await s?.close();
});

describe('import jobs', () => {
  it('imports uploaded content as a job with counts and line-numbered bad rows', async () => {
    const started = await s.gql(START, { input: { objectType: 'Customers', content: csv } }, a.key);
    expect(started.errors).toBeUndefined();
    expect(started.data!.startImport).toMatchObject({ kind: 'IMPORT' });
    const job = await waitForJob(s, a.key, started.data!.startImport.id);
    expect(job.status).toBe('SUCCEEDED');
    const counts = Object.fromEntries(job.counts.map((c: { name: string; value: number }) => [c.name, c.value]));
    expect(counts).toMatchObject({ rows: 7, createdProfiles: 3, failed: 4 });
    expect(job.rowErrors.map((e: { line: number }) => e.line)).toEqual([5, 6, 7, 8]);
    expect(job.progress).toEqual({ done: 7, total: 7 });
    const viaImportJob = await s.gql(`query($id: ID!) { importJob(id: $id) { id status } }`, { id: job.id }, a.key);
    expect(viaImportJob.data!.importJob).toEqual({ id: job.id, status: 'SUCCEEDED' });
  });

  it("reads server-side files only from the caller's domain folder", async () => {
    mkdirSync(path.join(importDir, a.name), { recursive: true });
    mkdirSync(path.join(importDir, b.name), { recursive: true });
    writeFileSync(path.join(importDir, a.name, 'customers.csv'), csv);
    writeFileSync(path.join(importDir, b.name, 'secret.csv'), csv);
    const ok = await s.gql(START, { input: { objectType: 'Customers', path: 'customers.csv' } }, a.key);
    expect(ok.errors).toBeUndefined();
    const job = await waitForJob(s, a.key, ok.data!.startImport.id);
    expect(job.status).toBe('SUCCEEDED');
    // Re-running the same file changes nothing.
    const counts = Object.fromEntries(job.counts.map((c: { name: string; value: number }) => [c.name, c.value]));
    expect(counts).toMatchObject({ rows: 7, createdProfiles: 0, unchanged: 3, failed: 4 });
    for (const bad of [`../${b.name}/secret.csv`, '/etc/passwd', 'missing.csv']) {
      const r = await s.gql(START, { input: { objectType: 'Customers', path: bad } }, a.key);
      expect(r.errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
    }
  });

  it("another domain cannot see an import job", async () => {
    const started = await s.gql(START, { input: { objectType: 'Customers', content: csv } }, a.key);
    const id = started.data!.startImport.id;
    const other = await s.gql(`query($id: ID!) { importJob(id: $id) { id } job(id: $id) { id } }`, { id }, b.key);
    expect(other.data).toEqual({ importJob: null, job: null });
    await waitForJob(s, a.key, id);
  });

  it('rejects unknown types and ambiguous sources', async () => {
    const unknown = await s.gql(START, { input: { objectType: 'Nope', content: csv } }, a.key);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const both = await s.gql(START, { input: { objectType: 'Customers', content: csv, path: 'customers.csv' } }, a.key);
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
