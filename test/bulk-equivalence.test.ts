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

const EVENTS = `subscription($after: String) { profileEvents(after: $after) { id type profileId objectType objectId changes { field before after } } }`;

type Change = { field: string; before: string | null; after: string | null };
interface Ev {
  id: string;
  type: string;
  profileId: string | null;
  objectType: string | null;
  objectId: string | null;
  changes: Change[];
}

/** The domain's events after `after` (default: all of them), replayed (`total` of them). */
async function events(key: string, total: number, after = '0'): Promise<Ev[]> {
  const client = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0 });
  clients.push(client);
  const out: Ev[] = [];
  if (total === 0) return out;
  for await (const r of client.iterate<{ profileEvents: Ev }>({ query: EVENTS, variables: { after } })) {
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

  it('a re-run with changes (rows prepared lazily once most come back unchanged) decides as batches prepared in full', async () => {
    const MEMBER = {
      name: 'Member',
      allowProfileCreation: true,
      fields: [
        { name: 'id', source: '_source.id' },
        { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
        { name: 'phone', source: '_source.phone', target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER' },
        { name: 'first', source: '_source.first', target: '_profile.FirstName' },
      ],
      keys: [
        { name: 'memberId', identifiers: ['UNIQUE'], fieldNames: ['id'] },
        { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
        { name: '_phone', identifiers: ['PROFILE'], fieldNames: ['phone'] },
      ],
    };
    const member = (i: number, first = `N${i}`) => ({ id: `m-${i}`, email: `m${i}@example.com`, phone: `+1 206 555 ${String(i).padStart(4, '0')}`, first });
    const first = Array.from({ length: 3000 }, (_, i) => member(i));
    const second: Record<string, string>[] = first.map((m, i) => (i >= 1200 && i < 1210 ? member(i, `Changed${i}`) : { ...m }));
    second.splice(2100, 0, ...Array.from({ length: 5 }, (_, k) => ({ id: `new-${k}`, email: `new${k}@example.com`, phone: '', first: 'New' })));
    second.splice(2200, 0, { id: 'bad-1', email: 'not an e-mail', phone: '', first: '' });
    second.splice(2300, 0, { id: 'late-5', email: 'm5@example.com', phone: '', first: 'Late' });
    second.push(...Array.from({ length: 10 }, (_, k) => member(3000 + k)));
    const csv = (rows: Record<string, string>[]) => ['id,email,phone,first', ...rows.map((r) => [r.id, r.email, r.phone, r.first].join(','))].join('\n');
    const IMPORT = `mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows attached createdProfiles unchanged failed } errors { line reason } } }`;
    const lastEvent = async (key: string) => {
      const r = await s.gql(`{ profiles(first: 1) { nodes { history(first: 1) { nodes { id } } } } }`, {}, key);
      return r.data!.profiles.nodes[0].history.nodes[0].id as string;
    };

    const lazy = (await s.createDomain()).key;
    const full = (await s.createDomain()).key;
    for (const key of [lazy, full]) {
      expect((await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: MEMBER }, key)).errors).toBeUndefined();
      const r = await s.gql(IMPORT, { input: { objectType: 'Member', content: csv(first) } }, key);
      expect(r.data!.importCsv.counts).toEqual({ rows: 3000, attached: 0, createdProfiles: 3000, unchanged: 0, failed: 0 });
    }
    const marks = [await lastEvent(lazy), await lastEvent(full)];
    // The re-run: its first batch comes back unchanged, so the next ones are prepared lazily.
    const rerun = await s.gql(IMPORT, { input: { objectType: 'Member', content: csv(second) } }, lazy);
    expect(rerun.errors).toBeUndefined();
    expect(rerun.data!.importCsv.counts).toEqual({ rows: 3017, attached: 11, createdProfiles: 15, unchanged: 2990, failed: 1 });
    expect(rerun.data!.importCsv.errors).toEqual([{ line: 2202, reason: 'emailAddress "not an e-mail" is not an e-mail address.' }]);
    // The same objects through batches prepared in full.
    const objects = second.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')));
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < objects.length; i += 500) {
      const r = await s.gql(`mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Member", objects: $o) { results { outcome } } }`, { o: objects.slice(i, i + 500) }, full);
      expect(r.errors).toBeUndefined();
      for (const x of r.data!.putProfileObjects.results) outcomes[x.outcome] = (outcomes[x.outcome] ?? 0) + 1;
    }
    expect(outcomes).toEqual({ ATTACHED: 3001, CREATED_PROFILE: 15, DEAD_LETTERED: 1 });
    // What changed, in events: the same in both.
    const count = 10 * 2 + 15 * 2 + 1;
    const rename = (evs: Ev[]) => {
      const names = new Map<string, string>();
      const name = (id: string | null) => (id === null ? null : (names.get(id) ?? names.set(id, `#${names.size}`).get(id)!));
      return evs.map(({ id: _id, ...e }) => ({ ...e, profileId: name(e.profileId), objectId: name(e.objectId) }));
    };
    const a = rename(await events(lazy, count, marks[0]));
    expect(a.filter((e) => e.type === 'PROFILE_UPDATED')).toHaveLength(11);
    expect(rename(await events(full, count, marks[1]))).toEqual(a);
  });

  it('an identical object is validated again when its type changed after it was stored', async () => {
    const { key } = await s.createDomain();
    const type = (target: string) => ({
      name: 'Dated',
      allowProfileCreation: true,
      fields: [
        { name: 'id', source: '_source.id' },
        { name: 'day', source: '_source.day', target },
      ],
      keys: [{ name: 'datedId', identifiers: ['UNIQUE'], fieldNames: ['id'] }],
    });
    const PUT_TYPE = `mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`;
    expect((await s.gql(PUT_TYPE, { input: type('_profile.Attributes.day') }, key)).errors).toBeUndefined();
    const content = ['id,day', ...Array.from({ length: 2500 }, (_, i) => `d-${i},${i === 2400 ? 'someday' : '2001-02-03'}`)].join('\n');
    const IMPORT = `mutation($input: ImportCsvInput!) { importCsv(input: $input) { counts { rows unchanged failed } errors { line reason } } }`;
    expect((await s.gql(IMPORT, { input: { objectType: 'Dated', content } }, key)).data!.importCsv.counts).toEqual({ rows: 2500, unchanged: 0, failed: 0 });
    // Now "day" is a birth date: "someday" no longer is a valid value, stored or not.
    expect((await s.gql(PUT_TYPE, { input: type('_profile.BirthDate') }, key)).errors).toBeUndefined();
    const again = await s.gql(IMPORT, { input: { objectType: 'Dated', content } }, key);
    expect(again.data!.importCsv.counts).toEqual({ rows: 2500, unchanged: 2499, failed: 1 });
    expect(again.data!.importCsv.errors).toEqual([{ line: 2402, reason: 'day: "someday" is not a date (YYYY-MM-DD).' }]);
    const one = await s.gql(`mutation { putProfileObject(objectType: "Dated", object: { id: "d-2400", day: "someday" }) { outcome reason } }`, {}, key);
    expect(one.data!.putProfileObject).toEqual({ outcome: 'DEAD_LETTERED', reason: 'day: "someday" is not a date (YYYY-MM-DD).' });
  });
});
