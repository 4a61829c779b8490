import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

/**
 * A single object is a batch of one: the same objects, in the same order, put one at a time
 * (putProfileObject), in one batch (putProfileObjects) and imported from a CSV (importCsv) must
 * give the same profiles, objects, search keys, dead letters, events (type, profile, object,
 * changes, in order) and history records. The rows make later rows depend on earlier ones of the
 * same batch (a profile created, a key stored, an object replaced or evicted, a key that an earlier
 * merge made unambiguous), which the batch paths must decide exactly as one-by-one ingestion does.
 */
let s: TestServer;
const clients: Client[] = [];

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

/** A second type to set the scene: two profiles that share a phone number (matched by e-mail only). */
const PLAIN = {
  name: 'Plain',
  fields: [
    { name: 'id', source: '_source.id' },
    { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
    { name: 'phone', source: '_source.phone', target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER' },
  ],
  keys: [
    { name: 'plainId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
    { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
  ],
  allowProfileCreation: true,
};
const SCENE = [
  { id: 'g1', email: 'gil@example.com', phone: '2065550077' },
  { id: 'h1', email: 'hal@example.com', phone: '2065550077' },
];

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
  { id: 'r2', email: 'a@example.com', city: 'Tacoma' }, // r2 was evicted by r8: stored anew, new id
  { id: 'r11', email: 'gil@example.com', phone: '2065550078' }, // Gil's phone changes: 2065550077 is Hal's alone now
  { id: 'r12', phone: '2065550077', card: 'K9' }, // so _phone is no longer ambiguous: Hal
  { id: 'r13', phone: '2065550077' }, // and again, now that Hal holds the key twice
];

const HEADERS = ['id', 'email', 'phone', 'card', 'first', 'city'];
const toCsv = (rows: Record<string, string>[]) => [HEADERS.join(','), ...rows.map((r) => HEADERS.map((h) => r[h] ?? '').join(','))].join('\n') + '\n';
const objectsOf = (rows: Record<string, string>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));

const DUMP = `{ profiles(first: 20) { nodes { id firstName emailAddress phoneNumber version inferred address { city } attributes { key value }
  objects(first: 10) { totalCount nodes { id uniqueKey data } }
  history(first: 50) { nodes { action eventType objectType objectId changes { field before after } } } } }
  deadLetters(first: 20) { nodes { reason occurrences } } }`;

const EVENTS = `subscription { profileEvents(after: "0") { id type profileId objectType objectId changes { field before after } } }`;

type Change = { field: string; before: string | null; after: string | null };
interface Ev {
  id: string;
  type: string;
  profileId: string | null;
  objectType: string | null;
  objectId: string | null;
  changes: Change[];
}

/** Every event of the domain, replayed from the start (`total` of them). */
async function events(key: string, total: number): Promise<Ev[]> {
  const client = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0 });
  clients.push(client);
  const out: Ev[] = [];
  for await (const r of client.iterate<{ profileEvents: Ev }>({ query: EVENTS })) {
    expect(r.errors).toBeUndefined();
    out.push(r.data!.profileEvents);
    if (out.length === total) break;
  }
  return out;
}

/**
 * What a domain holds after the run, with ids replaced by their order of appearance in the event
 * stream (profiles P1…, objects O1…), so domains compare field by field.
 */
async function dump(key: string) {
  const r = await s.gql(DUMP, {}, key);
  expect(r.errors).toBeUndefined();
  const profiles = r.data!.profiles.nodes as { id: string; history: { nodes: unknown[] } }[];
  const stream = await events(key, profiles.reduce((n, p) => n + p.history.nodes.length, 0));
  const names = new Map<string, string>();
  let nextProfile = 0;
  let nextObject = 0;
  for (const e of stream) {
    if (e.profileId && !names.has(e.profileId)) names.set(e.profileId, `P${++nextProfile}`);
    if (e.objectId && !names.has(e.objectId)) names.set(e.objectId, e.type === 'OBJECT_INGESTED' ? `O${++nextObject}` : `P${++nextProfile}`);
  }
  const rename = (v: unknown): unknown => (typeof v === 'string' ? (names.get(v) ?? v) : v);
  const deep = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(deep) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) : rename(v);
  const searches: unknown[] = [];
  for (const [k, v] of [['_email', 'a@example.com'], ['_email', 'b@example.com'], ['_phone', '+12065550001'], ['_phone', '+12065550002'], ['_phone', '+12065550077'], ['attributes.card', 'K1'], ['id', 'r12'], ['card', 'K9']]) {
    const q = await s.gql(`query($k: String!, $v: String!) { searchProfiles(key: $k, values: [$v]) { edges { matchedKeys node { id } } } }`, { k, v }, key);
    expect(q.errors).toBeUndefined();
    searches.push([k, v, deep(q.data!.searchProfiles.edges)]);
  }
  return {
    profiles: (deep(profiles) as { id: string }[]).sort((a, b) => a.id.localeCompare(b.id)),
    deadLetters: r.data!.deadLetters.nodes.map((d: { reason: string; occurrences: number }) => `${d.reason} ×${d.occurrences}`).sort(),
    events: deep(stream.map(({ id: _id, ...e }) => e)),
    eventIds: stream.map((e) => Number(e.id)),
    searches,
  };
}

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await s?.close();
});

async function domain(): Promise<string> {
  const { key } = await s.createDomain();
  for (const input of [TYPE, PLAIN]) {
    const r = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input }, key);
    expect(r.errors).toBeUndefined();
  }
  const scene = await s.gql(`mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Plain", objects: $o) { createdProfiles } }`, { o: SCENE }, key);
  expect(scene.data!.putProfileObjects.createdProfiles).toBe(2);
  return key;
}

describe('one object, a batch and an import decide alike', () => {
  it('gives the same profiles, objects, keys, dead letters, events and history', async () => {
    const one = await domain();
    const batch = await domain();
    const csv = await domain();
    const outcomes: string[] = [];
    for (const object of objectsOf(ROWS)) {
      const r = await s.gql(`mutation($o: JSONObject!) { putProfileObject(objectType: "Loyalty", object: $o) { outcome replaced } }`, { o: object }, one);
      expect(r.errors).toBeUndefined();
      outcomes.push(`${r.data!.putProfileObject.outcome}${r.data!.putProfileObject.replaced ? ' replaced' : ''}`);
    }
    const put = await s.gql(
      `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Loyalty", objects: $o) { results { index outcome replaced } } }`,
      { o: objectsOf(ROWS) },
      batch,
    );
    expect(put.errors).toBeUndefined();
    expect(put.data!.putProfileObjects.results.map((r: { outcome: string; replaced: boolean }) => `${r.outcome}${r.replaced ? ' replaced' : ''}`)).toEqual(outcomes);
    const imported = await s.gql(
      `mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows attached createdProfiles unchanged failed } errors { line reason } } }`,
      { input: { objectType: 'Loyalty', content: toCsv(ROWS) } },
      csv,
    );
    expect(imported.errors).toBeUndefined();
    expect(imported.data!.importCsv.counts).toEqual({ rows: 17, attached: 11, failed: 3, unchanged: 1, createdProfiles: 2 });
    expect(imported.data!.importCsv.errors.map((e: { line: number }) => e.line)).toEqual([7, 9, 14]);
    expect(imported.data!.importCsv.errors[2].reason).toMatch(/key "card" value is 600 bytes long/);

    const a = await dump(one);
    expect(await dump(batch)).toEqual(a);
    expect(await dump(csv)).toEqual(a);

    // And the outcome is what the rules say. Ann: r1–r4, r7, r8, r2 again → newest 3 kept.
    const byName = Object.fromEntries(a.profiles.map((p) => [(p as unknown as { firstName: string | null; emailAddress: string }).firstName ?? (p as unknown as { emailAddress: string }).emailAddress, p])) as Record<string, any>;
    expect(Object.keys(byName).sort()).toEqual(['Ann', 'Cy', 'gil@example.com', 'hal@example.com']);
    expect(byName.Ann.objects.nodes.map((n: { uniqueKey: string }) => n.uniqueKey)).toEqual(['r2', 'r8', 'r7']);
    expect(byName.Ann.address.city).toBe('Tacoma');
    expect(byName['gil@example.com'].phoneNumber).toBe('+12065550078');
    expect(byName['hal@example.com'].objects.nodes.map((n: { uniqueKey: string }) => n.uniqueKey).sort()).toEqual(['h1', 'r12', 'r13']);
    // Events carry client-visible fields only: never the ingestion rules' bookkeeping.
    const fields = new Set((a.events as Ev[]).flatMap((e) => e.changes.map((c) => c.field)));
    for (const internal of ['manualFields', 'fieldSources', 'inferred', 'version', 'createdAt', 'updatedAt', 'domainId', 'id']) expect(fields.has(internal), internal).toBe(false);
    expect(a.eventIds).toEqual(a.eventIds.map((_, i) => i + 1));
    const created = (a.events as Ev[]).find((e) => e.type === 'PROFILE_CREATED' && e.objectType === 'profile' && e.changes.some((c) => c.field === 'firstName' && c.after === '"Ann"'))!;
    expect(created.changes).toEqual(
      expect.arrayContaining([
        { field: 'emailAddress', before: null, after: '"a@example.com"' },
        { field: 'phoneNumber', before: null, after: '"+12065550001"' },
        { field: 'attributes', before: null, after: '{"card":"K1"}' },
        { field: 'address', before: null, after: '{"city":"Seattle"}' },
      ]),
    );
    expect(created.changes).toHaveLength(5);
  });
});
