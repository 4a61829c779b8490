import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * The bulk path (imports) must decide exactly like putProfileObject, one object at a time. The same
 * rows go through both in two domains; the resulting profiles, objects, search keys and dead letters
 * must be identical.
 */
let s: TestServer;

const TYPE = {
  name: 'Loyalty',
  fields: [
    { name: 'id', source: '_source.id' },
    { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
    { name: 'phone', source: '_source.phone', target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER' },
    { name: 'card', source: '_source.card', target: '_profile.Attributes.card' },
    { name: 'first', source: '_source.first', target: '_profile.FirstName' },
    { name: 'city', source: '_source.city', target: '_profile.Address.City' },
  ],
  keys: [
    { name: 'id', identifiers: ['UNIQUE'], fieldNames: ['id'] },
    { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
    { name: 'card', identifiers: ['SECONDARY'], fieldNames: ['card'] },
    { name: '_phone', identifiers: ['PROFILE', 'NEW_ONLY'], fieldNames: ['phone'] },
  ],
  allowProfileCreation: true,
  maxObjectsPerProfile: 3,
};

const ROWS: Record<string, string>[] = [
  { id: 'r1', email: 'a@example.com', phone: '2065550001', card: 'K1', first: 'Ann', city: 'Seattle' },
  { id: 'r2', email: 'A@EXAMPLE.COM', city: 'Tacoma' }, // same person, attaches by _email within the batch
  { id: 'r3', email: 'b@example.com', card: 'K1' }, // new e-mail, SECONDARY card finds Ann
  { id: 'r4', phone: '(206) 555-0001', first: 'Annie' }, // NEW_ONLY phone key stored by r1 → Ann
  { id: 'r5', email: 'c@example.com', first: 'Cy', phone: '2065550002' },
  { id: 'r6', email: 'not-an-email' }, // dead letter
  { id: 'r1', email: 'a@example.com', phone: '2065550001', card: 'K1', first: 'Ann', city: 'Everett' }, // replaces r1
  { email: 'd@example.com' }, // no UNIQUE value
  { id: 'r7', email: 'a@example.com' },
  { id: 'r8', email: 'a@example.com' }, // data limit 3 evicts Ann's oldest
  { id: 'r9', phone: '2065550002' }, // r5's NEW_ONLY phone → Cy
  { id: 'r5', email: 'c@example.com', first: 'Cy', phone: '2065550002' }, // identical: unchanged
  { id: 'r10', email: 'a@example.com', card: 'K'.repeat(600) }, // a key value over 512 bytes: dead letter
];

const HEADERS = ['id', 'email', 'phone', 'card', 'first', 'city'];
const toCsv = (rows: Record<string, string>[]) => [HEADERS.join(','), ...rows.map((r) => HEADERS.map((h) => r[h] ?? '').join(','))].join('\n') + '\n';

const DUMP = `{ profiles(first: 10) { nodes { firstName emailAddress phoneNumber version inferred address { city } attributes { key value }
  objects(first: 10) { totalCount nodes { uniqueKey data } } } }
  deadLetters(first: 20) { nodes { reason } } }`;

async function dump(key: string) {
  const r = await s.gql(DUMP, {}, key);
  expect(r.errors).toBeUndefined();
  const profiles = r.data!.profiles.nodes.sort((a: { emailAddress: string }, b: { emailAddress: string }) => String(a.emailAddress).localeCompare(String(b.emailAddress)));
  const searches: unknown[] = [];
  for (const [k, v] of [['_email', 'a@example.com'], ['_email', 'b@example.com'], ['_phone', '+12065550001'], ['_phone', '+12065550002'], ['attributes.card', 'K1']]) {
    const q = await s.gql(`query($k: String!, $v: String!) { searchProfiles(key: $k, values: [$v]) { edges { matchedKeys node { firstName } } } }`, { k, v }, key);
    searches.push([k, v, q.data!.searchProfiles.edges]);
  }
  return { profiles, deadLetters: r.data!.deadLetters.nodes.map((d: { reason: string }) => d.reason).sort(), searches };
}

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

describe('bulk ingestion ≡ one object at a time', () => {
  it('gives the same profiles, objects, keys and dead letters', async () => {
    const one = (await s.createDomain()).key;
    const bulk = (await s.createDomain()).key;
    for (const key of [one, bulk]) {
      const r = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: TYPE }, key);
      expect(r.errors).toBeUndefined();
    }
    for (const row of ROWS) {
      const object = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== ''));
      const r = await s.gql(`mutation($o: JSONObject!) { putProfileObject(objectType: "Loyalty", object: $o) { outcome } }`, { o: object }, one);
      expect(r.errors).toBeUndefined();
    }
    const imported = await s.gql(
      `mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows attached createdProfiles unchanged failed } errors { line reason } } }`,
      { input: { objectType: 'Loyalty', content: toCsv(ROWS) } },
      bulk,
    );
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.importCsv.counts).toMatchObject({ rows: 13, failed: 3, unchanged: 1, createdProfiles: 2 });
    expect(imported.data!.importCsv.errors.map((e: { line: number }) => e.line)).toEqual([7, 9, 14]);
    expect(imported.data!.importCsv.errors[2].reason).toMatch(/key "card" value is 600 bytes long/);

    const a = await dump(one);
    const b = await dump(bulk);
    expect(b).toEqual(a);
    // And the outcome is what the rules say: Ann (r1–r4, r7, r8 → newest 3 kept) and Cy (r5, r9).
    expect(a.profiles.map((p: { firstName: string }) => p.firstName)).toEqual(['Ann', 'Cy']);
    const ann = a.profiles[0];
    expect(ann.objects.totalCount).toBe(3);
    expect(ann.objects.nodes.map((n: { uniqueKey: string }) => n.uniqueKey)).toEqual(['r8', 'r7', 'r1']);
    expect(ann.address.city).toBe('Everett');
  });
});
