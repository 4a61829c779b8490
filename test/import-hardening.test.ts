import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/seed/prng.js';
import { JOB_FIELDS, waitForJob } from './helpers/jobs.js';
import { startTestServer, type GqlResult, type TestServer } from './helpers/server.js';

/**
 * Issue 8: imports never lose good rows, and bad values (NUL, lone surrogates, over-long key
 * values, rows the database refuses) never become INTERNAL_SERVER_ERROR. Everything goes through
 * the public API; the rows the database refuses are made by a real trigger on the test database.
 */
let s: TestServer;
let importDir: string;

const PUT_TYPE = `mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`;
const IMPORT = `mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows attached createdProfiles unchanged failed } errors { line reason } } }`;
const START = `mutation($input: StartImportInput!) { startImport(input: $input) { ${JOB_FIELDS} } }`;
const PUT = `mutation($t: String!, $o: JSONObject!) { putProfileObject(objectType: $t, object: $o) { outcome reason } }`;

const TYPE = {
  name: 'Hard',
  allowProfileCreation: true,
  fields: [
    { name: 'id', source: '_source.id' },
    { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
    { name: 'name', source: '_source.name', target: '_profile.FirstName' },
    { name: 'code', source: '_source.code' },
  ],
  keys: [
    { name: 'rowId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
    { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
    { name: 'code', identifiers: ['SECONDARY'], fieldNames: ['code'] },
  ],
};
const HEADER = 'id,email,name,content,code';

/** Text that does not compress (a long key value must really be long in the index). */
function noise(bytes: number, seed: number): string {
  const rnd = mulberry32(seed);
  let out = '';
  while (out.length < bytes) out += Math.floor(rnd() * 16).toString(16);
  return out;
}

async function domainWithType(): Promise<string> {
  const { key } = await s.createDomain();
  const r = await s.gql(PUT_TYPE, { input: TYPE }, key);
  expect(r.errors).toBeUndefined();
  return key;
}

interface Expected {
  csv: string;
  goodIds: string[];
  errors: { line: number; reason: RegExp }[];
}

/**
 * 2,500 rows (row i on line i + 1) with a NUL, a 2,000-byte UNIQUE value, a lone surrogate, a
 * 600-byte SECONDARY key value and wrong column counts spread over three batches.
 */
function hardCsv(prefix: string, n = 2500): Expected {
  const lines = [HEADER];
  const goodIds: string[] = [];
  const errors: Expected['errors'] = [];
  for (let i = 1; i <= n; i++) {
    let cells = [`${prefix}${i}`, `${prefix}${i}@example.com`, `Name${i}`, `"text, ${i}"`, ''];
    let reason: RegExp | null = null;
    switch (i) {
      case 300:
        cells[2] = 'Na\u0000me';
        reason = /^name contains a NUL character/;
        break;
      case 700:
        cells[0] = noise(2000, i);
        reason = /key "rowId" value is 2000 bytes long; at most 512/;
        break;
      case 1200:
        cells[3] = 'abc\ud800def';
        reason = /^content contains a lone UTF-16 surrogate/;
        break;
      case 1500:
        cells = cells.slice(0, 4);
        reason = /expected 5 columns, found 4/;
        break;
      case 1800:
        cells[4] = noise(600, i);
        reason = /key "code" value is 600 bytes long/;
        break;
      case 2100:
        cells.push('extra');
        reason = /expected 5 columns, found 6/;
        break;
      case 2499:
        cells[0] = `${prefix}\u0000${i}`;
        reason = /^id contains a NUL character/;
        break;
    }
    lines.push(cells.join(','));
    if (reason) errors.push({ line: i + 1, reason });
    else goodIds.push(`${prefix}${i}`);
  }
  return { csv: lines.join('\n') + '\n', goodIds, errors };
}

/** The UNIQUE values of every object stored in the domain, and the profile count. */
async function landed(key: string): Promise<{ ids: string[]; objects: number; profiles: number }> {
  const ids: string[] = [];
  let objects = 0;
  let profiles = 0;
  let after: string | null = null;
  for (;;) {
    const r: GqlResult = await s.gql(
      `query($after: String) { profiles(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { objects(first: 10) { totalCount nodes { uniqueKey } } } } }`,
      { after },
      key,
    );
    expect(r.errors).toBeUndefined();
    const page = r.data!.profiles;
    for (const p of page.nodes) {
      profiles++;
      objects += p.objects.totalCount;
      for (const o of p.objects.nodes) ids.push(o.uniqueKey);
    }
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids: ids.sort(), objects, profiles };
}

function expectErrors(actual: { line: number; reason: string }[], expected: Expected['errors']) {
  expect(actual.map((e) => e.line)).toEqual(expected.map((e) => e.line));
  expected.forEach((e, i) => expect(actual[i]!.reason, `line ${e.line}`).toMatch(e.reason));
}

const countsOf = (job: Record<string, any>) => Object.fromEntries(job.counts.map((c: { name: string; value: number }) => [c.name, c.value]));

beforeAll(async () => {
  importDir = mkdtempSync(path.join(tmpdir(), 'pg-hardening-'));
  s = await startTestServer({ importDir, jobPollSeconds: 0.5, maxBodyBytes: 16 * 1024 * 1024 });
  // Rows the database refuses although they pass validation (the safety net for what validation
  // does not foresee), and a row that fails the way a broken disk would.
  await s.database.db.execute(
    sql.raw(`create function hardening_trap() returns trigger language plpgsql as $$
      begin
        if new.unique_key like 'poison-%' then raise exception 'poisoned test row' using errcode = '22023'; end if;
        if new.unique_key like 'fatal-%' then raise exception 'simulated I/O failure' using errcode = '58030'; end if;
        return new;
      end $$`),
  );
  await s.database.db.execute(sql.raw(`create trigger hardening_trap before insert or update on profile_objects for each row execute function hardening_trap()`));
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe('importCsv and startImport: every good row lands, every bad row is reported by line', () => {
  it('importCsv: 2,500 rows with NUL, lone surrogate, over-long keys and wrong column counts', async () => {
    const key = await domainWithType();
    const hard = hardCsv('h');
    const r = await s.gql(IMPORT, { input: { objectType: 'Hard', content: hard.csv } }, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.importCsv.counts).toEqual({ rows: 2500, attached: 0, createdProfiles: 2493, unchanged: 0, failed: 7 });
    expectErrors(r.data!.importCsv.errors, hard.errors);
    const got = await landed(key);
    expect(got.ids).toEqual([...hard.goodIds].sort());
    expect(got.profiles).toBe(2493);
    // The dead letters are stored and readable, NUL replaced so jsonb can hold them.
    const dl = await s.gql(`{ deadLetters(objectType: "Hard", first: 100) { nodes { reason object } } }`, {}, key);
    expect(dl.errors).toBeUndefined();
    const nodes = dl.data!.deadLetters.nodes as { reason: string; object: Record<string, string> }[];
    expect(nodes).toHaveLength(5); // the two column-count rows are not objects
    expect(nodes.find((n) => /^name contains a NUL/.test(n.reason))!.object).toMatchObject({ id: 'h300', name: 'Na\ufffdme' });
    expect(nodes.find((n) => /lone UTF-16 surrogate/.test(n.reason))!.object).toMatchObject({ id: 'h1200', content: 'abc\ufffddef' });
    // Re-running the same content changes nothing and reports the same rows.
    const again = await s.gql(IMPORT, { input: { objectType: 'Hard', content: hard.csv } }, key);
    expect(again.data!.importCsv.counts).toEqual({ rows: 2500, attached: 0, createdProfiles: 0, unchanged: 2493, failed: 7 });
  }, 180_000);

  it('startImport: the job ends SUCCEEDED with the same counts and line-numbered row errors', async () => {
    const key = await domainWithType();
    const hard = hardCsv('j');
    const started = await s.gql(START, { input: { objectType: 'Hard', content: hard.csv } }, key);
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(s, key, started.data!.startImport.id, undefined, 180_000);
    expect(job.status).toBe('SUCCEEDED');
    expect(countsOf(job)).toEqual({ rows: 2500, attached: 0, createdProfiles: 2493, unchanged: 0, failed: 7 });
    expectErrors(job.rowErrors, hard.errors);
    expect((await landed(key)).ids).toEqual([...hard.goodIds].sort());
  }, 180_000);

  it('a row the database refuses is isolated (the batch is split), reported by line, and the rest lands', async () => {
    const key = await domainWithType();
    const poisoned = new Set([10, 999, 1000, 1001, 2500]);
    const lines = [HEADER];
    const good: string[] = [];
    for (let i = 1; i <= 2500; i++) {
      const id = poisoned.has(i) ? `poison-${i}` : `p${i}`;
      lines.push(`${id},${id}@example.com,N${i},x,`);
      if (!poisoned.has(i)) good.push(id);
    }
    const r = await s.gql(IMPORT, { input: { objectType: 'Hard', content: lines.join('\n') } }, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.importCsv.counts).toMatchObject({ rows: 2500, createdProfiles: 2495, failed: 5 });
    expect(r.data!.importCsv.errors.map((e: { line: number }) => e.line)).toEqual([11, 1000, 1001, 1002, 2501]);
    for (const e of r.data!.importCsv.errors) expect(e.reason).toMatch(/database refused .*SQLSTATE 22023/);
    const got = await landed(key);
    expect(got.ids).toEqual(good.sort());
    // The one-object path decides alike: a dead letter, not an internal error.
    const one = await s.gql(PUT, { t: 'Hard', o: { id: 'poison-one', email: 'po@example.com' } }, key);
    expect(one.errors).toBeUndefined();
    expect(one.data!.putProfileObject).toMatchObject({ outcome: 'DEAD_LETTERED', reason: expect.stringMatching(/SQLSTATE 22023/) });
    const dl = await s.gql(`{ deadLetters(first: 10) { nodes { object } } }`, {}, key);
    expect(dl.data!.deadLetters.nodes.map((n: { object: { id: string } }) => n.object.id).sort()).toEqual(['poison-1000', 'poison-1001', 'poison-10', 'poison-2500', 'poison-999', 'poison-one'].sort());
  }, 180_000);

  it('a job that fails keeps the counts and row errors of what it wrote', async () => {
    const key = await domainWithType();
    const lines = [HEADER];
    for (let i = 1; i <= 1500; i++) {
      const id = i === 1200 ? 'fatal-1200' : `f${i}`;
      lines.push(`${id},${id}@example.com,${i === 5 ? 'bad\u0000name' : `N${i}`},x,`);
    }
    const started = await s.gql(START, { input: { objectType: 'Hard', content: lines.join('\n') } }, key);
    expect(started.errors).toBeUndefined();
    const job = await waitForJob(s, key, started.data!.startImport.id, undefined, 120_000);
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(/internal error/);
    // The first batch (rows 1–1,000) landed and is counted; its bad row is reported.
    expect(countsOf(job)).toMatchObject({ createdProfiles: 999, failed: 1 });
    expect(countsOf(job).rows).toBeGreaterThanOrEqual(1000);
    expect(job.rowErrors).toEqual([{ line: 6, reason: expect.stringMatching(/^name contains a NUL/) }]);
    expect((await landed(key)).objects).toBe(999);
  }, 120_000);

  it('an unclosed quote costs its own row only: reading resumes on the next line', async () => {
    const key = await domainWithType();
    const csv = [HEADER, 'q1,q1@example.com,A,"fine, quoted",', 'q2,q2@example.com,"unclosed,x,', 'q3,q3@example.com,C,plain,', 'q4,q4@example.com,D,"multi', 'line ""note""",', 'q5,q5@example.com,E,"trailing"junk,', 'q6,q6@example.com,F,x,'].join('\r\n');
    const r = await s.gql(IMPORT, { input: { objectType: 'Hard', content: csv } }, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.importCsv.errors.map((e: { line: number }) => e.line)).toEqual([3, 7]);
    expect(r.data!.importCsv.errors[0].reason).toMatch(/quote/);
    expect((await landed(key)).ids).toEqual(['q1', 'q3', 'q4', 'q6']);
    const note = await s.gql(`{ searchProfiles(key: "rowId", values: ["q4"]) { nodes { objects { nodes { data } } } } }`, {}, key);
    expect(note.data!.searchProfiles.nodes[0].objects.nodes[0].data.content).toBe('multi\r\nline "note"');
  });
  it('a date Postgres has no room for (year 0000) is a bad row naming the field', async () => {
    const { key } = await s.createDomain();
    const born = {
      name: 'Born',
      allowProfileCreation: true,
      fields: [
        { name: 'id', source: '_source.id' },
        { name: 'birth', source: '_source.birth', target: '_profile.BirthDate' },
      ],
      keys: [{ name: 'bornId', identifiers: ['UNIQUE'], fieldNames: ['id'] }],
    };
    expect((await s.gql(PUT_TYPE, { input: born }, key)).errors).toBeUndefined();
    const r = await s.gql(IMPORT, { input: { objectType: 'Born', content: 'id,birth\nb1,0000-01-01\nb2,1990-05-01\n' } }, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.importCsv).toEqual({ counts: { rows: 2, attached: 0, createdProfiles: 1, unchanged: 0, failed: 1 }, errors: [{ line: 2, reason: 'birth: "0000-01-01" is not a date (YYYY-MM-DD).' }] });
  });
});

describe('one object at a time: bad values are dead letters (or BAD_USER_INPUT), never internal errors', () => {
  let key: string;
  beforeAll(async () => {
    key = await domainWithType();
  });

  /** DEAD_LETTERED with a reason matching `reason`, or refused up front as BAD_USER_INPUT. */
  async function refused(objectType: string, object: Record<string, unknown>, reason: RegExp, allowBadInput = true) {
    const r = await s.gql(PUT, { t: objectType, o: object }, key);
    if (r.errors) {
      expect(allowBadInput, JSON.stringify(r.errors)).toBe(true);
      expect(r.errors[0]!.extensions?.code).toBe('BAD_USER_INPUT');
      return;
    }
    expect(r.data!.putProfileObject).toMatchObject({ outcome: 'DEAD_LETTERED' });
    expect(r.data!.putProfileObject.reason).toMatch(reason);
  }

  it('NUL and lone surrogates in any string, and over-long key values', async () => {
    await refused('Hard', { id: 'n1', email: 'n1@example.com', name: 'a\u0000b' }, /^name contains a NUL character/);
    await refused('Hard', { id: 'n2', email: 'n2@example.com', nested: { deep: ['ok', 'x\udc00'] } }, /^nested\.deep\[1\] contains a lone UTF-16 surrogate/);
    await refused('Hard', { id: 'n3', 'bad\u0000key': 1 }, /property name that contains a NUL/);
    // Over-long key values are fine for the GraphQL layer: these must be dead letters.
    await refused('Hard', { id: noise(2000, 1), email: 'n4@example.com' }, /key "rowId" value is 2000 bytes long; at most 512 bytes/, false);
    await refused('Hard', { id: 'n5', email: 'n5@example.com', code: noise(513, 2) }, /key "code" value is 513 bytes long/, false);
    const ok = await s.gql(PUT, { t: 'Hard', o: { id: 'n6', email: 'n6@example.com', code: noise(512, 3) } }, key);
    expect(ok.data!.putProfileObject.outcome).toBe('CREATED_PROFILE');
  });

  it('built-in types: contact, case and order ids are checked alike', async () => {
    const ctr = { channel: 'VOICE', initiatedAt: '2026-03-01T10:00:00Z', emailAddress: 'ctr@example.com' };
    await refused('_ctr', { ...ctr, contactId: 'c\u00001' }, /^contactId contains a NUL character/);
    await refused('_ctr', { ...ctr, contactId: 'x'.repeat(2000) }, /contactId is 2000 characters long; at most 255/, false);
    await refused('_order', { orderId: 'o\ud8001', customerEmail: 'ctr@example.com' }, /^orderId contains a lone UTF-16 surrogate/);
    await refused('_case', { profileId: '00000000-0000-0000-0000-000000000000', caseId: 'y'.repeat(300), title: 't' }, /caseId is 300 characters long; at most 255/, false);
  });

  it('putProfileObjects: the bad objects are dead letters and the good ones land', async () => {
    const r = await s.gql(
      `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Hard", objects: $o) { createdProfiles deadLettered results { index outcome reason } } }`,
      { o: [{ id: 'b1', email: 'b1@example.com' }, { id: noise(3000, 4), email: 'b2@example.com' }, { id: 'b3', email: 'b3@example.com' }] },
      key,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.putProfileObjects).toMatchObject({ createdProfiles: 2, deadLettered: 1 });
    expect(r.data!.putProfileObjects.results[1]).toMatchObject({ outcome: 'DEAD_LETTERED', reason: expect.stringMatching(/3000 bytes/) });
  });

  it('stores a bounded preview of a large object in the dead-letter table', async () => {
    const big = { email: 'big@example.com', blob: noise(200 * 1024, 5) }; // no id: a dead letter
    const r = await s.gql(PUT, { t: 'Hard', o: big }, key);
    expect(r.data!.putProfileObject).toMatchObject({ outcome: 'DEAD_LETTERED', reason: expect.stringMatching(/UNIQUE key "rowId" has no value/) });
    // Over the 250 KB object limit (in strings each short enough for the GraphQL layer).
    const hugeObject = { id: 'huge', a: noise(150 * 1024, 6), b: noise(150 * 1024, 7) };
    const huge = await s.gql(PUT, { t: 'Hard', o: hugeObject }, key);
    expect(huge.errors).toBeUndefined();
    expect(huge.data!.putProfileObject).toMatchObject({ outcome: 'DEAD_LETTERED', reason: expect.stringMatching(/larger than 250 KB/) });
    const dl = await s.gql(`{ deadLetters(first: 2) { nodes { reason object } } }`, {}, key);
    const [h, b] = dl.data!.deadLetters.nodes as { object: { _truncated: boolean; _bytes: number; _preview: string } }[];
    for (const [d, size] of [[b!, JSON.stringify(big).length], [h!, JSON.stringify(hugeObject).length]] as const) {
      expect(d.object).toEqual({ _truncated: true, _bytes: size, _preview: expect.any(String) });
      expect(Buffer.byteLength(d.object._preview)).toBeLessThanOrEqual(4096);
      expect(d.object._preview.length).toBeGreaterThan(4000);
    }
    expect(b!.object._preview.startsWith('{"email":"big@example.com","blob":"')).toBe(true);
  });
});

describe('dryRun', () => {
  it('validates every row and counts, writing nothing', async () => {
    const key = await domainWithType();
    const hard = hardCsv('d');
    const r = await s.gql(IMPORT, { input: { objectType: 'Hard', content: hard.csv, dryRun: true } }, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.importCsv.counts).toEqual({ rows: 2500, attached: 0, createdProfiles: 0, unchanged: 0, failed: 7 });
    expectErrors(r.data!.importCsv.errors, hard.errors);
    const job = await s.gql(START, { input: { objectType: 'Hard', content: hard.csv, dryRun: true } }, key);
    const done = await waitForJob(s, key, job.data!.startImport.id, undefined, 120_000);
    expect(done.status).toBe('SUCCEEDED');
    expect(countsOf(done)).toMatchObject({ rows: 2500, failed: 7, createdProfiles: 0 });
    expectErrors(done.rowErrors, hard.errors);
    // Nothing was written: no profiles, objects or dead letters, and no event (the domain's first
    // event after the dry runs is event 1).
    expect(await landed(key)).toEqual({ ids: [], objects: 0, profiles: 0 });
    const dl = await s.gql(`{ deadLetters(first: 1) { nodes { reason } } }`, {}, key);
    expect(dl.data!.deadLetters.nodes).toEqual([]);
    const p = await s.gql(`mutation { createProfile(input: { firstName: "After" }) { history(first: 1) { nodes { id } } } }`, {}, key);
    expect(p.data!.createProfile.history.nodes).toEqual([{ id: '1' }]);
  }, 180_000);
});

describe('job params, results and errors never show server paths', () => {
  it('stores the path relative to the domain folder and an opaque id for uploads', async () => {
    const { name, key } = await s.createDomain();
    expect((await s.gql(PUT_TYPE, { input: TYPE }, key)).errors).toBeUndefined();
    const roots = [importDir, realpathSync(importDir)];
    const noServerPath = (v: unknown) => {
      const json = JSON.stringify(v);
      for (const root of roots) expect(json).not.toContain(root);
      expect(json).not.toContain('.uploads');
    };
    mkdirSync(path.join(importDir, name, 'in'), { recursive: true });
    writeFileSync(path.join(importDir, name, 'in', 'rows.csv'), `${HEADER}\nsp1,sp1@example.com,A,x,\n`);
    const fromFile = await s.gql(START, { input: { objectType: 'Hard', path: 'in/rows.csv' } }, key);
    expect(fromFile.errors).toBeUndefined();
    expect(fromFile.data!.startImport.params).toMatchObject({ path: 'in/rows.csv' });
    const uploaded = await s.gql(START, { input: { objectType: 'Hard', content: `${HEADER}\nsp2,sp2@example.com,B,x,\n` } }, key);
    expect(uploaded.data!.startImport.params).toMatchObject({ upload: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    for (const started of [fromFile, uploaded]) {
      noServerPath(started.data!.startImport);
      const job = await waitForJob(s, key, started.data!.startImport.id);
      expect(job.status).toBe('SUCCEEDED');
      noServerPath(job);
    }
    expect((await landed(key)).ids).toEqual(['sp1', 'sp2']);
    for (const bad of ['../elsewhere/x.csv', '/etc/passwd', 'in/missing.csv', 'in']) {
      const r = await s.gql(START, { input: { objectType: 'Hard', path: bad } }, key);
      expect(r.errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
      expect(r.errors![0]!.message).toContain(`"${bad}"`);
      noServerPath(r.errors);
    }
    const jobs = await s.gql(`{ jobs(kind: IMPORT, first: 10) { nodes { ${JOB_FIELDS} } } }`, {}, key);
    noServerPath(jobs);
  });
});

describe('seeded fuzz: mutated CSV rows never cause an internal error or lose an untouched row', () => {
  it('importCsv over 400 rows with NUL, quotes, CR/LF, huge cells, invalid UTF-8 and column changes', async () => {
    const key = await domainWithType();
    const rnd = mulberry32(20260801);
    const int = (n: number) => Math.floor(rnd() * n);
    const rows: Buffer<ArrayBufferLike>[] = [Buffer.from(HEADER)];
    const untouched: string[] = [];
    const mutations = [
      (b: Buffer) => insert(b, Buffer.from([0])), // NUL
      (b: Buffer) => insert(b, Buffer.from('"')), // stray quote
      (b: Buffer) => insert(b, Buffer.from(['\r', '\n', '\r\n'][int(3)]!)), // CR/LF
      (b: Buffer) => Buffer.concat([b, Buffer.from(`${'"'.repeat(int(2))}${noise(50 * 1024 + int(300 * 1024), int(1e9))}`)]), // huge cell
      (b: Buffer) => insert(b, Buffer.from([[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xe3, 0x81]][int(5)]!)), // invalid UTF-8
      (b: Buffer) => (rnd() < 0.5 ? Buffer.concat([b, Buffer.from(',extra')]) : Buffer.from(b.toString('latin1').replace(',', ''), 'latin1')), // column count
      (b: Buffer) => {
        let out = b;
        for (let k = 1 + int(4); k > 0; k--) out = insert(out, Buffer.from([int(256)]));
        return out;
      },
    ];
    function insert(b: Buffer<ArrayBufferLike>, what: Buffer<ArrayBufferLike>): Buffer<ArrayBufferLike> {
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), what, b.subarray(at)]);
    }
    for (let i = 1; i <= 400; i++) {
      let row: Buffer<ArrayBufferLike> = Buffer.from(`z${i},z${i}@example.com,Name ${i},"text, ""quoted"" ${i}",c${i}`);
      if (rnd() < 0.3) {
        for (let m = 1 + int(2); m > 0; m--) row = mutations[int(mutations.length)]!(row);
      } else untouched.push(`z${i}`);
      rows.push(row);
    }
    const bytes = Buffer.concat(rows.flatMap((r) => [r, Buffer.from(rnd() < 0.5 ? '\n' : '\r\n')]));
    const r = await s.gql(IMPORT, { input: { objectType: 'Hard', contentBase64: bytes.toString('base64'), encoding: 'UTF_8' } }, key);
    expect(r.errors).toBeUndefined();
    const { counts, errors } = r.data!.importCsv;
    expect(counts.attached + counts.createdProfiles + counts.unchanged + counts.failed).toBe(counts.rows);
    expect(counts.failed).toBe(errors.length);
    expect(counts.failed).toBeGreaterThan(20);
    const lines = errors.map((e: { line: number }) => e.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    const got = await landed(key);
    expect(got.objects).toBe(counts.attached + counts.createdProfiles);
    for (const id of untouched) expect(got.ids, id).toContain(id);
    const dl = await s.gql(`{ deadLetters(first: 100) { nodes { reason object } } }`, {}, key);
    expect(dl.errors).toBeUndefined();
  }, 180_000);
});
