import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExport, waitForJob } from './helpers/jobs.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ exportDir: mkdtempSync(path.join(tmpdir(), 'pg-dl-')), jobPollSeconds: 0.5 });
});
afterAll(async () => {
  await s?.close();
});

describe('export downloads', () => {
  it('serve a finished export to its own domain only', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    await s.gql(`mutation { createProfile(input: { firstName: "Dee", emailAddress: "dee@example.com" }) { id } }`, {}, a.key);
    const started = await startExport(s, a.key, { objectTypes: ['profile'], format: 'JSONL' });
    const job = await waitForJob(s, a.key, started.data!.startExport.id);
    expect(job.status).toBe('SUCCEEDED');
    const file = job.export.files[0];
    expect(file.downloadPath).toBe(`/exports/${job.id}/profile.jsonl`);
    expect(file.path).toBe('profile.jsonl'); // deprecated: the name, no longer a server path
    const origin = new URL(s.url).origin;
    const get = (token?: string) => fetch(origin + file.downloadPath, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    const ok = await get(a.key);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/ndjson/);
    const body = await ok.text();
    expect(Buffer.byteLength(body)).toBe(file.bytes);
    expect(JSON.parse(body.trim()).emailAddress).toBe('dee@example.com');

    expect((await get(b.key)).status).toBe(404);
    expect((await get()).status).toBe(401);
    expect((await get(ADMIN_TOKEN)).status).toBe(403);
    const unknown = await fetch(`${origin}/exports/${job.id}/../../etc/passwd`, { headers: { authorization: `Bearer ${a.key}` } });
    expect([400, 404]).toContain(unknown.status);
  });
});
