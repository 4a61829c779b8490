import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * The ingestion pipeline writes a batch in a constant number of SQL statements, whatever its size
 * (diagnostics count every statement of a request, COPYs included), and normalises each distinct
 * phone and e-mail once per batch.
 */
let s: TestServer;

const TYPE = {
  name: 'Member',
  fields: [
    { name: 'id', source: '_source.id' },
    { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
    { name: 'phone', source: '_source.phone', target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER' },
    { name: 'first', source: '_source.first', target: '_profile.FirstName' },
    { name: 'tier', source: '_source.tier', target: '_profile.Attributes.tier' },
  ],
  keys: [
    { name: 'memberId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
    { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
    { name: '_phone', identifiers: ['PROFILE'], fieldNames: ['phone'] },
  ],
  allowProfileCreation: true,
};

const PUT_MANY = `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Member", objects: $o) { attached createdProfiles deadLettered results { outcome replaced } } }`;
const IMPORT = `mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows attached createdProfiles unchanged failed } } }`;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

async function domain(): Promise<string> {
  const { key } = await s.createDomain();
  const r = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: TYPE }, key);
  expect(r.errors).toBeUndefined();
  return key;
}

/** A customer; phones differ between tags (the exchange) and between rows (the line). */
const member = (tag: string, i: number) => {
  const exchange = 200 + ([...tag].reduce((h, c) => h * 31 + c.charCodeAt(0), 7) % 700);
  return { id: `${tag}-${i}`, email: `${tag}.${i}@example.com`, phone: `+1 206 ${exchange} ${String(1000 + i).slice(-4)}`, first: `N${i}`, tier: 'gold' };
};

/** Statements of one request (the diagnostics extension). */
async function statements(key: string, query: string, variables: Record<string, unknown>): Promise<{ n: number; data: Record<string, any> }> {
  const r = await s.gql(query, variables, key);
  expect(r.errors).toBeUndefined();
  return { n: r.extensions!.diagnostics.sqlStatements as number, data: r.data! };
}

/**
 * A batch that exercises every write: new profiles, attaches with merges, a replacement, an
 * identical object, an in-batch duplicate, a rule dead letter and an invalid row — `n` of each.
 */
function mixed(tag: string, n: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    out.push(member(`${tag}new`, i)); // creates
    out.push({ id: `${tag}att-${i}`, email: `seed.${i}@example.com`, first: `Seed${i}`, tier: 'silver' }); // attaches, merges
    out.push({ ...member('seed', i), tier: 'platinum' }); // replaces the seed object
    out.push({ id: `same-${i}`, email: `same.${i}@example.com` }); // identical to the stored one
    out.push({ id: `${tag}dup-${i}`, email: `${tag}new.${i}@example.com`, first: 'Twice' }); // attaches to the profile created above
    out.push({ id: `${tag}dup-${i}`, email: `${tag}new.${i}@example.com`, first: 'Twice', tier: 'x' }); // replaces it in the same batch
    out.push({ id: `${tag}bad-${i}`, email: 'not an e-mail' }); // invalid: dead letter
  }
  return out;
}

describe('the ingestion pipeline', () => {
  it('writes a batch of new customers in the same number of statements for 1, 20 and 400 objects', async () => {
    const counts: number[] = [];
    for (const size of [1, 20, 400]) {
      const key = await domain();
      const objects = Array.from({ length: size }, (_, i) => member('c', i));
      const r = await statements(key, PUT_MANY, { o: objects });
      expect(r.data.putProfileObjects).toMatchObject({ createdProfiles: size, attached: 0, deadLettered: 0 });
      counts.push(r.n);
    }
    expect(new Set(counts).size).toBe(1);
    // Object type, then: staging tables, COPY rows, locks, look-up, 4 COPYs of the decisions,
    // profiles, objects, keys, calculated attributes (the profiles' values lock and the type's
    // definitions; none here, so no recompute), events (with its NOTIFY).
    expect(counts[0]).toBeLessThanOrEqual(16);
  });

  it('writes a mixed batch (creates, merges, replacements, duplicates, dead letters) in constant statements', async () => {
    const counts: number[] = [];
    for (const size of [1, 10, 60]) {
      const key = await domain();
      const seed = Array.from({ length: size }, (_, i) => [member('seed', i), { id: `same-${i}`, email: `same.${i}@example.com` }]).flat();
      expect((await s.gql(PUT_MANY, { o: seed }, key)).errors).toBeUndefined();
      const r = await statements(key, PUT_MANY, { o: mixed('m', size) });
      expect(r.data.putProfileObjects).toMatchObject({ createdProfiles: size, deadLettered: size });
      expect(r.data.putProfileObjects.results.slice(0, 7)).toEqual([
        { outcome: 'CREATED_PROFILE', replaced: false },
        { outcome: 'ATTACHED', replaced: false },
        { outcome: 'ATTACHED', replaced: true },
        { outcome: 'ATTACHED', replaced: false },
        { outcome: 'ATTACHED', replaced: false },
        { outcome: 'ATTACHED', replaced: true },
        { outcome: 'DEAD_LETTERED', replaced: false },
      ]);
      counts.push(r.n);
    }
    expect(counts).toEqual([counts[0], counts[0], counts[0]]);
    // (+2: calculated attributes' values lock and the type's definitions, in the batch's transaction)
    expect(counts[0]).toBeLessThanOrEqual(22);
  });

  it('imports 1 and 1,000 rows in the same number of statements, and each further batch of 1,000 adds the same number', async () => {
    const csv = (n: number, tag: string) => ['id,email,phone,first,tier', ...Array.from({ length: n }, (_, i) => Object.values(member(tag, i)).join(','))].join('\n');
    const n = async (rows: number) => {
      const key = await domain();
      const r = await statements(key, IMPORT, { input: { objectType: 'Member', content: csv(rows, `i${rows}`) } });
      expect(r.data.importCsv.counts).toEqual({ rows, attached: 0, createdProfiles: rows, unchanged: 0, failed: 0 });
      return r.n;
    };
    const one = await n(1);
    const thousand = await n(1000);
    const twoThousand = await n(2000);
    const threeThousand = await n(3000);
    // An import re-analyzes profile_objects each time its objects double (after 1,000 and 2,000
    // here): one statement each.
    expect(thousand).toBe(one + 1);
    const perBatch = twoThousand - thousand - 1;
    expect(perBatch).toBeGreaterThan(0);
    // (14 since calculated attributes: the values lock and the type's definitions, +2 per batch)
    expect(perBatch).toBeLessThanOrEqual(14);
    expect(threeThousand).toBe(twoThousand + perBatch);
  });

  it('re-running a batch writes nothing and still costs the same statements for any size', async () => {
    const counts: number[] = [];
    for (const size of [1, 300]) {
      const key = await domain();
      const objects = Array.from({ length: size }, (_, i) => member('r', i));
      expect((await s.gql(PUT_MANY, { o: objects }, key)).errors).toBeUndefined();
      const again = await statements(key, PUT_MANY, { o: objects });
      expect(again.data.putProfileObjects).toMatchObject({ createdProfiles: 0, attached: size });
      counts.push(again.n);
    }
    expect(counts[0]).toBe(counts[1]);
  });

  it('stores any text through the staging COPY: tabs, line breaks, backslashes, quotes, braces, commas and emoji', async () => {
    const key = await domain();
    const odd = 'a\tb\\c"d{e},f\ng\r\\N 😀 \\';
    const objects = [
      { id: odd, email: 'odd@example.com', first: odd.slice(0, 30), tier: odd, nested: { list: [odd, 1, null, true], 'key\twith\\odd"chars': odd } },
      { id: 'plain', email: 'odd@example.com', tier: '{"a":1}' },
    ];
    const r = await s.gql(PUT_MANY, { o: objects }, key);
    expect(r.errors).toBeUndefined();
    expect(r.data!.putProfileObjects).toMatchObject({ createdProfiles: 1, attached: 1, deadLettered: 0 });
    const found = await s.gql(
      `query($v: String!) { searchProfiles(key: "memberId", values: [$v]) { nodes { firstName attribute(key: "tier") objects(first: 5) { nodes { uniqueKey data } } } } }`,
      { v: odd },
      key,
    );
    expect(found.errors).toBeUndefined();
    const [profile] = found.data!.searchProfiles.nodes;
    expect(profile.firstName).toBe(odd.slice(0, 30).trim());
    expect(profile.attribute).toBe('{"a":1}');
    const stored = profile.objects.nodes.find((n: { uniqueKey: string }) => n.uniqueKey === odd);
    expect(stored.data).toEqual(objects[0]);
    const byTier = await s.gql(`query($v: String!) { searchProfiles(key: "attributes.tier", values: [$v]) { nodes { emailAddress } } }`, { v: '{"a":1}' }, key);
    expect(byTier.data!.searchProfiles.nodes).toEqual([{ emailAddress: 'odd@example.com' }]);
  });

  it('concurrent writers of the same keys (two large imports, single puts, findOrCreate) create each customer once', async () => {
    const key = await domain();
    const row = (tag: string, i: number) => `${tag}-${i},c${i}@example.com,,N${i},gold`;
    const csv = (tag: string, from: number, to: number) => ['id,email,phone,first,tier', ...Array.from({ length: to - from }, (_, k) => row(tag, from + k))].join('\n');
    const PUT = `mutation($o: JSONObject!) { putProfileObject(objectType: "Member", object: $o) { outcome } }`;
    const FIND = `mutation($e: String!) { findOrCreateProfile(input: { emailAddress: $e }) { outcome } }`;
    const results = await Promise.all([
      s.gql(IMPORT, { input: { objectType: 'Member', content: csv('a', 0, 1500) } }, key),
      s.gql(IMPORT, { input: { objectType: 'Member', content: csv('b', 750, 2250) } }, key),
      ...Array.from({ length: 20 }, (_, i) => s.gql(PUT, { o: { id: `p-${i}`, email: `c${700 + 5 * i}@example.com` } }, key)),
      ...Array.from({ length: 20 }, (_, i) => s.gql(FIND, { e: `c${702 + 5 * i}@example.com` }, key)),
    ]);
    for (const r of results) expect(r.errors).toBeUndefined();
    const created =
      results[0]!.data!.importCsv.counts.createdProfiles +
      results[1]!.data!.importCsv.counts.createdProfiles +
      results.slice(2, 22).filter((r) => r.data!.putProfileObject.outcome === 'CREATED_PROFILE').length +
      results.slice(22).filter((r) => r.data!.findOrCreateProfile.outcome === 'CREATED').length;
    // Every e-mail is one customer, whoever came first.
    expect(created).toBe(2250);
    const emails = Array.from({ length: 100 }, (_, i) => `c${700 + i}@example.com`);
    const found = await s.gql(`query($v: [String!]!) { searchProfiles(key: "_email", values: $v, first: 100) { nodes { emailAddress } } }`, { v: emails }, key);
    expect(found.data!.searchProfiles.nodes.map((n: { emailAddress: string }) => n.emailAddress).sort()).toEqual([...emails].sort());
  });
});
