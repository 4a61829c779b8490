/**
 * Merging profiles and undoing merges through the public API (HTTP GraphQL and graphql-ws): field
 * resolution (RECENCY, SOURCE, fieldSources), dry runs that write nothing, exact unmerge (a wide
 * profile read compared as JSON before the merge and after the unmerge), objects recorded after a
 * merge, MERGED / UNMERGED events, concurrent merges, bounds and isolation across domains.
 */
import { sql } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../src/db/database.js';
import { pruneEvents } from '../src/modules/events/event.repository.js';
import { pruneMergeJournals } from '../src/modules/merge/merge.repository.js';
import { merge } from '../src/modules/merge/merge.service.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await s?.close();
});

type Errors = { message: string; extensions?: Record<string, any> }[];

async function ok(key: string, q: string, variables: Record<string, unknown> = {}) {
  const r = await s.gql(q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}
async function fails(key: string, q: string, variables: Record<string, unknown> = {}): Promise<Errors> {
  const r = await s.gql(q, variables, key);
  expect(r.errors, `expected an error, got ${JSON.stringify(r.data)}`).toBeDefined();
  return r.errors as Errors;
}

const LOYALTY = {
  name: 'Loyalty',
  fields: [
    { name: 'id', source: '_source.id' },
    { name: 'phone', source: '_source.phone', target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER' },
    { name: 'card', source: '_source.card' },
  ],
  keys: [
    { name: 'id', identifiers: ['UNIQUE'], fieldNames: ['id'] },
    { name: '_phone', identifiers: ['PROFILE'], fieldNames: ['phone'] },
  ],
};

/** A domain with a custom object type, a calculated attribute over contacts and a segment over it. */
async function domain(): Promise<{ key: string; name: string }> {
  const d = await s.createDomain();
  await ok(d.key, `mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`, { input: LOYALTY });
  await ok(d.key, `mutation { putCalculatedAttribute(input: { name: "contactCount", objectType: "_ctr", statistic: COUNT }) { name } }`);
  await ok(d.key, `mutation { putSegment(input: { name: "talkative", text: "calculated.contactCount >= 2" }) { name } }`);
  await ok(d.key, `mutation { putSegment(input: { name: "gold", text: "attributes.tier = 'gold'" }) { name } }`);
  return d;
}

const createProfile = async (key: string, input: Record<string, unknown>) =>
  (await ok(key, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input })).createProfile.id as string;
const updateProfile = (key: string, id: string, input: Record<string, unknown>) =>
  ok(key, `mutation($id: ID!, $input: ProfileInput!) { updateProfile(id: $id, input: $input) { version } }`, { id, input });
const contact = (key: string, contactId: string, extra: Record<string, unknown>) =>
  ok(key, `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } association } }`, {
    input: { contactId, channel: 'VOICE', initiatedAt: '2026-01-02T03:04:05.000Z', ...extra },
  });
const putObject = (key: string, object: Record<string, unknown>) =>
  ok(key, `mutation($o: JSONObject!) { putProfileObject(objectType: "Loyalty", object: $o) { outcome } }`, { o: object });

const WIDE = `query($id: ID!) { profile(id: $id) {
  id accountNumber additionalInformation partyType businessName firstName middleName lastName fullName birthDate gender
  phoneNumber mobilePhoneNumber homePhoneNumber businessPhoneNumber emailAddress personalEmailAddress businessEmailAddress
  address { address1 city postalCode country } shippingAddress { city } mailingAddress { city } billingAddress { city }
  attributes { key value } inferred createdAt updatedAt version
  contacts(first: 50) { nodes { id contactId channel phoneNumber emailAddress initiatedAt createdAt updatedAt } }
  cases(first: 50) { nodes { id caseId title status createdAt updatedAt version } }
  orders(first: 50) { nodes { id orderId totalPrice currency createdAt updatedAt } }
  objects(first: 50) { nodes { id objectType uniqueKey data createdAt updatedAt } }
  calculatedAttributes { name value type isDataPartial lastObjectAt }
  segments
  merges { id mainProfileId mergedProfileIds origin createdAt unmergedAt }
} }`;
const wide = async (key: string, id: string) => JSON.stringify((await ok(key, WIDE, { id })).profile);

const MERGE = `mutation($input: MergeProfilesInput!) { mergeProfiles(input: $input) {
  dryRun merge { id mainProfileId mergedProfileIds origin createdAt unmergedAt } result { id version fields } movedObjects { id kind fromProfileId } } }`;
const UNMERGE = `mutation($id: ID!) { unmergeProfiles(mergeId: $id) { merge { id unmergedAt } restoredProfileIds } }`;

/**
 * A fingerprint of every row of the domain a merge could touch (whole rows), once the segment
 * maintainer has caught up with the domain's log (it writes after other writes, in the background).
 */
async function footprint(domainName: string): Promise<string> {
  const domainId = (await s.app.services.domains.find(domainName))!.id;
  await s.app.services.segments.settle(domainId);
  const t = (table: string) =>
    sql`(select md5(coalesce(string_agg(to_jsonb(x)::text, ',' order by to_jsonb(x)::text), '')) from ${sql.raw(table)} x where x.domain_id = ${domainId})`;
  const rows = await query<Record<string, string>>(
    s.database.db,
    sql`select ${t('profiles')} as p, ${t('profile_keys')} as k, ${t('contacts')} as c, ${t('cases')} as cs, ${t('orders')} as o, ${t('profile_objects')} as po,
        ${t('calculated_attribute_values')} as v, ${t('profile_merges')} as m, ${t('profile_merge_members')} as mm, ${t('events')} as e, ${t('segment_members')} as sm,
        (select last_event_id from domains where id = ${domainId})::text as last`,
  );
  return JSON.stringify(rows[0]);
}

/** Two profiles with something of everything: contacts, a case, an order, a custom object, attributes. */
async function scene(key: string) {
  const a = await createProfile(key, { firstName: 'Ann', lastName: 'Lee', emailAddress: 'ann@example.com', attributes: [{ key: 'tier', value: 'silver' }] });
  const b = await createProfile(key, {
    firstName: 'Anne',
    middleName: 'M',
    phoneNumber: '+12065550101',
    birthDate: '1990-05-06',
    address: { address1: '1 Main St', city: 'Seattle', postalCode: '98101', country: 'US' },
    attributes: [{ key: 'tier', value: 'gold' }, { key: 'club', value: 'yes' }],
  });
  await contact(key, 'A-1', { profileId: a });
  await contact(key, 'B-1', { profileId: b, phoneNumber: '+12065550101' });
  await contact(key, 'B-2', { phoneNumber: '+12065550101' });
  await ok(key, `mutation($p: ID!) { createCase(input: { profileId: $p, caseId: "CASE-B", title: "Broken" }) { case { id } } }`, { p: b });
  await ok(key, `mutation($p: ID!) { recordOrder(input: { orderId: "ORD-B", profileId: $p, totalPrice: "12.50", currency: "USD" }) { order { id } } }`, { p: b });
  await putObject(key, { id: 'L-B', phone: '+12065550101', card: 'K1' });
  return { a, b };
}

describe('mergeProfiles: field resolution', () => {
  it('RECENCY takes the most recently updated non-empty value; fieldSources overrides per field; SOURCE follows sourcePriority', async () => {
    const { key } = await domain();
    const a = await createProfile(key, { firstName: 'Ann', lastName: 'Old', emailAddress: 'ann@example.com' });
    const b = await createProfile(key, { firstName: 'Anne', phoneNumber: '+12065550101' });
    await updateProfile(key, b, { lastName: 'New' }); // b is now the most recently updated
    await contact(key, 'A-1', { profileId: a });
    await putObject(key, { id: 'L-B', phone: '+12065550101' });

    const recency = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b], dryRun: true } })).mergeProfiles;
    expect(recency.dryRun).toBe(true);
    expect(recency.merge).toBeNull();
    expect(recency.result.fields).toMatchObject({ firstName: 'Anne', lastName: 'New', emailAddress: 'ann@example.com', phoneNumber: '+12065550101', fullName: 'Anne New' });

    const chosen = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b], dryRun: true, fieldSources: [{ field: 'firstName', profileId: a }] } }))
      .mergeProfiles;
    expect(chosen.result.fields).toMatchObject({ firstName: 'Ann', lastName: 'New' });

    // a holds a contact (_ctr), b a Loyalty object: _ctr first → a wins where it has a value
    const source = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b], dryRun: true, conflictResolution: 'SOURCE', sourcePriority: ['_ctr', 'Loyalty'] } }))
      .mergeProfiles;
    expect(source.result.fields).toMatchObject({ firstName: 'Ann', lastName: 'Old', phoneNumber: '+12065550101' });
    const source2 = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b], dryRun: true, conflictResolution: 'SOURCE', sourcePriority: ['Loyalty', '_ctr'] } }))
      .mergeProfiles;
    expect(source2.result.fields).toMatchObject({ firstName: 'Anne', lastName: 'New', emailAddress: 'ann@example.com' });

    // the real merge writes what the dry run showed, bumps the main profile's version
    const before = (await ok(key, `query($id: ID!) { profile(id: $id) { version } }`, { id: a })).profile.version;
    const real = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b], fieldSources: [{ field: 'firstName', profileId: a }] } })).mergeProfiles;
    expect(real.dryRun).toBe(false);
    expect(real.result.fields).toEqual(chosen.result.fields);
    expect(real.result.version).toBe(before + 1);
    expect(real.merge).toMatchObject({ mainProfileId: a, mergedProfileIds: [b], origin: 'MANUAL', unmergedAt: null });
    const p = (await ok(key, `query($id: ID!) { profile(id: $id) { firstName lastName phoneNumber emailAddress version objects { nodes { uniqueKey } } contacts { nodes { contactId } } } }`, { id: a })).profile;
    expect(p).toMatchObject({ firstName: 'Ann', lastName: 'New', phoneNumber: '+12065550101', emailAddress: 'ann@example.com', version: before + 1 });
    expect(p.objects.nodes).toEqual([{ uniqueKey: 'L-B' }]);
    expect(p.contacts.nodes).toEqual([{ contactId: 'A-1' }]);
  });
});

describe('dry run', () => {
  it('returns the resulting profile and the objects that would move, and writes nothing (no row, no event)', async () => {
    const { key, name } = await domain();
    const { a, b } = await scene(key);
    const before = await footprint(name);
    const dry = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b], dryRun: true } })).mergeProfiles;
    expect(await footprint(name)).toBe(before);
    expect(dry.movedObjects.map((o: { kind: string }) => o.kind).sort()).toEqual(['case', 'contact', 'contact', 'object:Loyalty', 'order']);
    expect(dry.movedObjects.every((o: { fromProfileId: string }) => o.fromProfileId === b)).toBe(true);
    expect(dry.result.fields.attributes).toEqual([
      { key: 'club', value: 'yes' },
      { key: 'tier', value: 'gold' },
    ]);
  });
});

describe('unmergeProfiles', () => {
  it('restores the merged profile byte for byte (fields, version, keys, objects, calculated values, segments) and the main profile\'s fields', async () => {
    const { key, name } = await domain();
    const { a, b } = await scene(key);
    const domainId = (await s.app.services.domains.find(name))!.id;
    await s.app.services.segments.settle(domainId);
    const wideA = await wide(key, a);
    const wideB = await wide(key, b);
    expect(JSON.parse(wideB).segments).toEqual(['gold', 'talkative']);

    const m = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge;
    // b is gone from every read; a holds everything and is findable by b's identifiers
    expect((await ok(key, WIDE, { id: b })).profile).toBeNull();
    expect((await ok(key, `query($id: ID!) { profileMergedInto(profileId: $id) { id mainProfileId } }`, { id: b })).profileMergedInto).toEqual({ id: m.id, mainProfileId: a });
    const merged = JSON.parse(await wide(key, a));
    expect(merged.contacts.nodes.map((c: { contactId: string }) => c.contactId).sort()).toEqual(['A-1', 'B-1', 'B-2']);
    expect(merged.cases.nodes).toHaveLength(1);
    expect(merged.orders.nodes).toHaveLength(1);
    expect(merged.objects.nodes).toHaveLength(1);
    expect(merged.calculatedAttributes).toContainEqual(expect.objectContaining({ name: 'contactCount', value: '3' }));
    expect(merged.calculatedAttributes).toContainEqual(expect.objectContaining({ name: 'openCaseCount', value: '1' }));
    expect(merged.segments).toEqual(['gold', 'talkative']);
    expect(merged.merges).toEqual([{ ...m, createdAt: m.createdAt }]);
    const search = (await ok(key, `{ searchProfiles(key: "_phone", values: ["+12065550101"]) { nodes { id } } }`)).searchProfiles.nodes;
    expect(search).toEqual([{ id: a }]);
    const byCase = (await ok(key, `{ searchProfiles(key: "_caseId", values: ["CASE-B"]) { nodes { id } } }`)).searchProfiles.nodes;
    expect(byCase).toEqual([{ id: a }]);
    expect((await ok(key, `query($id: ID!) { profileMerge(id: $id) { id origin } }`, { id: m.id })).profileMerge).toEqual({ id: m.id, origin: 'MANUAL' });

    const u = (await ok(key, UNMERGE, { id: m.id })).unmergeProfiles;
    expect(u.restoredProfileIds).toEqual([b]);
    expect(u.merge.unmergedAt).not.toBeNull();
    await s.app.services.segments.settle(domainId);
    expect(await wide(key, b)).toBe(wideB);
    // the main profile: every field as before; its version moved on and it lists the (undone) merge
    const strip = (j: string) => {
      const { version: _v, updatedAt: _u, merges: _m, ...rest } = JSON.parse(j);
      return rest;
    };
    expect(strip(await wide(key, a))).toEqual(strip(wideA));
    const after = JSON.parse(await wide(key, a));
    expect(after.version).toBeGreaterThan(JSON.parse(wideA).version);
    expect(after.merges).toEqual([expect.objectContaining({ id: m.id, unmergedAt: u.merge.unmergedAt })]);
    expect((await ok(key, `{ searchProfiles(key: "_phone", values: ["+12065550101"]) { nodes { id } } }`)).searchProfiles.nodes).toEqual([{ id: b }]);
    expect((await ok(key, `query($id: ID!) { profileMergedInto(profileId: $id) { id } }`, { id: b })).profileMergedInto).toBeNull();
    // segment membership as stored by the maintainer is back too
    const members = await query<{ n: number }>(s.database.db, sql`select count(*)::int as n from segment_members where profile_id = ${b}`);
    expect(members[0]!.n).toBe(2);

    // a second unmerge is refused
    const again = await fails(key, UNMERGE, { id: m.id });
    expect(again[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_UNMERGED' });
  });

  it('objects recorded after the merge stay on the main profile unless they carry a merged profile\'s identifiers', async () => {
    const { key } = await domain();
    const { a, b } = await scene(key);
    const m = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge;
    // matched by b's phone (now a key of a), by a's own e-mail, and attached by id with no identifier
    expect((await contact(key, 'NEW-B', { phoneNumber: '+12065550101' })).recordContact.association).toBe('MATCHED');
    expect((await contact(key, 'NEW-A', { emailAddress: 'ann@example.com' })).recordContact.association).toBe('MATCHED');
    await contact(key, 'NEW-X', { profileId: a });
    await putObject(key, { id: 'L-NEW', phone: '+12065550101' });
    await ok(key, UNMERGE, { id: m.id });
    const of = async (id: string) => {
      const p = (await ok(key, `query($id: ID!) { profile(id: $id) { contacts(first: 50) { nodes { contactId } } objects { nodes { uniqueKey } } calculatedAttribute(name: "contactCount") { value } } }`, { id })).profile;
      return { contacts: p.contacts.nodes.map((c: { contactId: string }) => c.contactId).sort(), objects: p.objects.nodes.map((o: { uniqueKey: string }) => o.uniqueKey).sort(), count: p.calculatedAttribute.value };
    };
    expect(await of(a)).toEqual({ contacts: ['A-1', 'NEW-A', 'NEW-X'], objects: [], count: '3' });
    expect(await of(b)).toEqual({ contacts: ['B-1', 'B-2', 'NEW-B'], objects: ['L-B', 'L-NEW'], count: '3' });
    // the moved objects' keys went with them
    expect((await ok(key, `{ searchProfiles(key: "_ctrContactId", values: ["NEW-B"]) { nodes { id } } }`)).searchProfiles.nodes).toEqual([{ id: b }]);
  });

  it('keeps the main profile\'s fields changed after the merge; refuses while a later merge of its profiles is active', async () => {
    const { key } = await domain();
    const a = await createProfile(key, { firstName: 'Ann', lastName: 'Lee' });
    const b = await createProfile(key, { firstName: 'Anne', lastName: 'Leigh', gender: 'FEMALE' });
    const c = await createProfile(key, { firstName: 'Annie' });
    const m1 = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge;
    await updateProfile(key, a, { lastName: 'Changed' });
    const m2 = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [c], fieldSources: [{ field: 'firstName', profileId: a }] } })).mergeProfiles.merge;
    const refused = await fails(key, UNMERGE, { id: m1.id });
    expect(refused[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'LATER_MERGE_ACTIVE', mergeIds: [m2.id] });
    await ok(key, UNMERGE, { id: m2.id });
    await ok(key, UNMERGE, { id: m1.id });
    // firstName and gender came from b and were not changed since: back to a's; lastName was changed after the merge: kept
    const p = (await ok(key, `query($id: ID!) { profile(id: $id) { firstName lastName gender merges { id unmergedAt } } }`, { id: a })).profile;
    expect(p).toMatchObject({ firstName: 'Ann', lastName: 'Changed', gender: null });
    expect(p.merges.map((x: { id: string }) => x.id)).toEqual([m2.id, m1.id]);
    expect((await ok(key, `query($id: ID!) { profile(id: $id) { firstName } }`, { id: c })).profile).toEqual({ firstName: 'Annie' });
  });

  it('a merged-away profile keeps its history through event pruning, and gets it back with the unmerge', async () => {
    const { key } = await s.createDomain(undefined, { eventRetentionDays: 1 });
    const a = await createProfile(key, { firstName: 'Ann' });
    const b = await createProfile(key, { firstName: 'Anne' });
    await updateProfile(key, b, { lastName: 'Lee' });
    const history = async (id: string) =>
      (await ok(key, `query($id: ID!) { profile(id: $id) { history { nodes { action } } } }`, { id })).profile.history.nodes.map((n: { action: string }) => n.action);
    const m = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge;
    await pruneEvents(s.database.db, new Date(Date.now() + 2 * 86_400_000)); // the scheduled pruning, two days on
    await ok(key, UNMERGE, { id: m.id });
    expect(await history(b)).toEqual(['UNMERGED', 'MERGED', 'UPDATED', 'CREATED']);
  });

  it('no copy of a profile outlives it in the journal: snapshots go at the unmerge, a journal whose main profile was deleted at the prune', async () => {
    const { key } = await domain();
    const journal = async (id: string) =>
      (await query<{ p: string }>(s.database.db, sql`select prior_profiles::text as p from profile_merges where id = ${id}`))[0]?.p ?? null;
    const a = await createProfile(key, { firstName: 'Ann' });
    const b = await createProfile(key, { firstName: 'Anne', emailAddress: 'anne@example.com' });
    const undone = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge;
    expect(await journal(undone.id)).toContain('anne@example.com');
    await ok(key, UNMERGE, { id: undone.id });
    expect(await journal(undone.id)).toBe('[]');
    // a merge whose main profile is then deleted: the journal goes at the next prune, not before
    const m = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge;
    const c = await createProfile(key, { firstName: 'C' });
    const d = await createProfile(key, { firstName: 'D' });
    const kept = (await ok(key, MERGE, { input: { mainProfileId: c, profileIdsToMerge: [d] } })).mergeProfiles.merge;
    await pruneMergeJournals(s.database.db);
    expect(await journal(m.id)).toContain('anne@example.com');
    await ok(key, `mutation($id: ID!) { deleteProfile(id: $id) { deleted } }`, { id: a });
    expect(await pruneMergeJournals(s.database.db)).toBeGreaterThanOrEqual(1);
    expect(await journal(m.id)).toBeNull();
    expect((await ok(key, `query($id: ID!) { profileMerge(id: $id) { id } }`, { id: m.id })).profileMerge).toBeNull();
    expect((await ok(key, `query($id: ID!) { profileMerge(id: $id) { id } }`, { id: kept.id })).profileMerge).toEqual({ id: kept.id });
  });

  it('the matcher\'s service entry point merges with origin AUTO', async () => {
    const { key, name } = await domain();
    const a = await createProfile(key, { firstName: 'Ann' });
    const b = await createProfile(key, { firstName: 'Anne' });
    const dom = (await s.app.services.domains.find(name))!;
    const { mergeId } = await merge({ database: s.database, domain: dom, actorKeyId: null, notifier: s.app.services.notifier }, { mainProfileId: a, profileIdsToMerge: [b] });
    expect((await ok(key, `query($id: ID!) { profileMerge(id: $id) { origin mergedProfileIds } }`, { id: mergeId })).profileMerge).toEqual({ origin: 'AUTO', mergedProfileIds: [b] });
  });
});

describe('events', () => {
  it('MERGED and UNMERGED reach profileEvents subscribers', async () => {
    const { key } = await domain();
    const a = await createProfile(key, { firstName: 'Ann' });
    const b = await createProfile(key, { firstName: 'Anne' });
    const c = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0, lazy: true });
    clients.push(c);
    const received: { type: string; profileId: string; objectType: string; objectId: string; changes: { field: string; after: string }[] }[] = [];
    const errors: unknown[] = [];
    c.subscribe<{ profileEvents: (typeof received)[number] }>(
      // replayed from the domain's first event: nothing is missed however late the subscription starts
      { query: `subscription { profileEvents(types: [MERGED, UNMERGED], after: "0") { type profileId objectType objectId changes { field after } } }` },
      { next: (r) => (r.data ? received.push(r.data.profileEvents) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => {} },
    );
    const m = (await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge as { id: string };
    await ok(key, UNMERGE, { id: m.id });
    const deadline = Date.now() + 10_000;
    while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(errors).toEqual([]);
    expect(received.map((e) => [e.type, e.profileId, e.objectType, e.objectId])).toEqual([
      ['MERGED', a, 'merge', m!.id],
      ['MERGED', b, 'merge', m!.id],
      ['UNMERGED', a, 'merge', m!.id],
      ['UNMERGED', b, 'merge', m!.id],
    ]);
    expect(received[0]!.changes).toContainEqual({ field: 'mergedProfileIds', after: JSON.stringify([b]) });
    // the history of the main profile records both
    const h = (await ok(key, `query($id: ID!) { profile(id: $id) { history(first: 10) { nodes { action eventType } } } }`, { id: a })).profile.history.nodes;
    expect(h.filter((x: { action: string }) => x.action.endsWith('MERGED'))).toEqual([
      { action: 'UNMERGED', eventType: 'UNMERGED' },
      { action: 'MERGED', eventType: 'MERGED' },
    ]);
  });
});

describe('profileUpdated of a merged-away profile', () => {
  it('completes when the profile is merged into another one', async () => {
    const { key } = await domain();
    const a = await createProfile(key, { firstName: 'Ann' });
    const b = await createProfile(key, { firstName: 'Anne' });
    const c = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0, lazy: true });
    clients.push(c);
    const seen: string[] = [];
    let completed = false;
    const errors: unknown[] = [];
    c.subscribe<{ profileUpdated: { firstName: string } }>(
      { query: `subscription($id: ID!) { profileUpdated(id: $id) { firstName } }`, variables: { id: b } },
      { next: (r) => (r.data ? seen.push(r.data.profileUpdated.firstName) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => (completed = true) },
    );
    // live once an update of b is delivered
    const deadline = Date.now() + 10_000;
    for (let i = 0; seen.length === 0 && Date.now() < deadline; i++) {
      await updateProfile(key, b, { lastName: `L${i}` });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.length).toBeGreaterThan(0);
    await ok(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } });
    while (!completed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(completed).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('concurrency and failures', () => {
  it('two merges sharing a profile at once: one wins, the other fails cleanly and writes nothing', async () => {
    const { key } = await domain();
    for (let round = 0; round < 3; round++) {
      const a = await createProfile(key, { firstName: 'A' });
      const b = await createProfile(key, { firstName: 'B', phoneNumber: '+12065550199' });
      const c = await createProfile(key, { firstName: 'C' });
      await contact(key, `R${round}`, { profileId: b });
      const [r1, r2] = await Promise.all([
        s.gql(MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } }, key),
        s.gql(MERGE, { input: { mainProfileId: c, profileIdsToMerge: [b] } }, key),
      ]);
      const results = [r1, r2];
      const won = results.filter((r) => !r.errors);
      const lost = results.filter((r) => r.errors);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'PROFILE_MERGED', profileId: b });
      const winner = won[0]!.data!.mergeProfiles.merge.mainProfileId as string;
      const loser = winner === a ? c : a;
      const p = async (id: string) => (await ok(key, `query($id: ID!) { profile(id: $id) { version merges { id } contacts { nodes { contactId } } } }`, { id })).profile;
      expect(await p(winner)).toMatchObject({ version: 2, contacts: { nodes: [{ contactId: `R${round}` }] } });
      expect(await p(loser)).toEqual({ version: 1, merges: [], contacts: { nodes: [] } });
      await ok(key, `{ searchProfiles(key: "_phone", values: ["+12065550199"]) { nodes { id } } }`);
    }
  });

  it('merges racing with writes of the same profiles: no deadlock, no internal error, no object lost', async () => {
    const { key } = await domain();
    for (let round = 0; round < 6; round++) {
      const a = await createProfile(key, { firstName: 'A', emailAddress: `a${round}@example.com` });
      const b = await createProfile(key, { firstName: 'B', phoneNumber: `+1206555${String(300 + round).padStart(4, '0')}` });
      const phone = `+1206555${String(300 + round).padStart(4, '0')}`;
      await contact(key, `OLD-${round}`, { profileId: b });
      await contact(key, `MOVE-${round}`, { profileId: b });
      const writes = [
        s.gql(MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } }, key),
        s.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`, { input: { contactId: `OLD-${round}`, channel: 'CHAT', initiatedAt: '2026-01-01T00:00:00Z' } }, key),
        s.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`, { input: { contactId: `NEW-${round}`, channel: 'CHAT', initiatedAt: '2026-01-01T00:00:00Z', phoneNumber: phone } }, key),
        s.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`, { input: { contactId: `BYID-${round}`, channel: 'CHAT', initiatedAt: '2026-01-01T00:00:00Z', profileId: b } }, key),
        s.gql(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "Raced" }) { version } }`, { id: a }, key),
        s.gql(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "Raced" }) { version } }`, { id: b }, key),
        s.gql(`mutation($o: JSONObject!) { putProfileObject(objectType: "Loyalty", object: $o) { outcome } }`, { o: { id: `L-${round}`, phone } }, key),
        // an existing contact of b re-pointed to a: locks the contact, then a (foreign key)
        s.gql(`mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`, { input: { contactId: `MOVE-${round}`, channel: 'CHAT', initiatedAt: '2026-01-01T00:00:00Z', profileId: a } }, key),
      ];
      const results = await Promise.all(writes);
      expect(results[0]!.errors, JSON.stringify(results[0]!.errors)).toBeUndefined();
      for (const r of results) {
        for (const e of r.errors ?? []) {
          // refused because b is gone (merged) — never an internal error or a deadlock (which would read "conflicted with a concurrent change")
          expect(['NOT_FOUND', 'CONFLICT'], JSON.stringify(e)).toContain(e.extensions?.code);
          expect(e.message).not.toMatch(/conflicted with a concurrent change/);
        }
      }
      // every contact that was recorded is on a (b is gone): none was deleted with b
      const stored = await query<{ contact_id: string; profile_id: string | null }>(
        s.database.db,
        sql`select contact_id, profile_id::text as profile_id from contacts where contact_id = any(${sql.param([`OLD-${round}`, `NEW-${round}`, `BYID-${round}`, `MOVE-${round}`])}::text[])`,
      );
      const recorded = [`OLD-${round}`, `MOVE-${round}`, ...(results[2]!.errors ? [] : [`NEW-${round}`]), ...(results[3]!.errors ? [] : [`BYID-${round}`])];
      expect(stored.map((r) => r.contact_id).sort()).toEqual(recorded.sort());
      expect(stored.every((r) => r.profile_id === a)).toBe(true);
    }
  });

  it('a merge that fails (a missing profile) writes nothing', async () => {
    const { key, name } = await domain();
    const { a, b } = await scene(key);
    const before = await footprint(name);
    const errs = await fails(key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b, '00000000-0000-4000-8000-000000000000'] } });
    expect(errs[0]!.extensions).toMatchObject({ code: 'NOT_FOUND', id: '00000000-0000-4000-8000-000000000000' });
    expect(await footprint(name)).toBe(before);
  });
});

describe('bounds and hostile input', () => {
  it('refuses empty, oversized and duplicate lists, the main profile in the list, unknown fields, NUL bytes', async () => {
    const { key } = await domain();
    const a = await createProfile(key, { firstName: 'A' });
    const b = await createProfile(key, { firstName: 'B' });
    const many = Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ mainProfileId: a, profileIdsToMerge: [] }, 'BAD_USER_INPUT', 'profileIdsToMerge'],
      [{ mainProfileId: a, profileIdsToMerge: many }, 'BAD_USER_INPUT', 'profileIdsToMerge'],
      [{ mainProfileId: a, profileIdsToMerge: [b, b] }, 'BAD_USER_INPUT', 'profileIdsToMerge'],
      [{ mainProfileId: a, profileIdsToMerge: [a] }, 'BAD_USER_INPUT', 'profileIdsToMerge'],
      [{ mainProfileId: a, profileIdsToMerge: [b], fieldSources: [{ field: 'address.city', profileId: b }] }, 'BAD_USER_INPUT', 'fieldSources'],
      [{ mainProfileId: a, profileIdsToMerge: [b], fieldSources: [{ field: 'firstName', profileId: b }, { field: 'firstName', profileId: a }] }, 'BAD_USER_INPUT', 'fieldSources'],
      [{ mainProfileId: a, profileIdsToMerge: [b], fieldSources: [{ field: 'firstName', profileId: many[0] }] }, 'BAD_USER_INPUT', 'fieldSources'],
      [{ mainProfileId: a, profileIdsToMerge: [b], conflictResolution: 'SOURCE' }, 'BAD_USER_INPUT', 'sourcePriority'],
      [{ mainProfileId: a, profileIdsToMerge: [b], conflictResolution: 'SOURCE', sourcePriority: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'BAD_USER_INPUT', 'sourcePriority'],
      [{ mainProfileId: a, profileIdsToMerge: ['not-an-id'] }, 'NOT_FOUND'],
      [{ mainProfileId: a, profileIdsToMerge: [`${b}\u0000`] }, 'BAD_USER_INPUT'],
      [{ mainProfileId: a, profileIdsToMerge: [b], conflictResolution: 'SOURCE', sourcePriority: ['x\u0000'] }, 'BAD_USER_INPUT'],
    ];
    for (const [input, code, field] of cases) {
      const errs = await fails(key, MERGE, { input });
      expect(errs[0]!.extensions, JSON.stringify(input).slice(0, 120)).toMatchObject({ code, ...(field ? { field } : {}) });
    }
    expect(await fails(key, UNMERGE, { id: 'nope' })).toMatchObject([{ extensions: { code: 'NOT_FOUND' } }]);
    expect((await ok(key, `query($id: ID!) { profile(id: $id) { version merges { id } } }`, { id: a })).profile).toEqual({ version: 1, merges: [] });
  });
});

describe('isolation across domains', () => {
  it('another domain cannot merge, unmerge or see a domain\'s profiles and merges', async () => {
    const one = await domain();
    const two = await domain();
    const a = await createProfile(one.key, { firstName: 'A' });
    const b = await createProfile(one.key, { firstName: 'B' });
    const x = await createProfile(two.key, { firstName: 'X' });
    // two cannot fold one's profile into its own, nor merge one's profiles
    expect((await fails(two.key, MERGE, { input: { mainProfileId: x, profileIdsToMerge: [a] } }))[0]!.extensions).toMatchObject({ code: 'NOT_FOUND', id: a });
    expect((await fails(two.key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b], dryRun: true } }))[0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const m = (await ok(one.key, MERGE, { input: { mainProfileId: a, profileIdsToMerge: [b] } })).mergeProfiles.merge;
    expect((await ok(two.key, `query($id: ID!) { profileMerge(id: $id) { id } }`, { id: m.id })).profileMerge).toBeNull();
    expect((await ok(two.key, `query($id: ID!) { profileMergedInto(profileId: $id) { id } }`, { id: b })).profileMergedInto).toBeNull();
    expect((await fails(two.key, UNMERGE, { id: m.id }))[0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await ok(two.key, `query($id: ID!) { profile(id: $id) { id } }`, { id: x })).profile).toEqual({ id: x });
    expect((await ok(two.key, `{ profiles(first: 10) { nodes { id merges { id } } } }`)).profiles.nodes).toEqual([{ id: x, merges: [] }]);
    // one still can
    expect((await ok(one.key, UNMERGE, { id: m.id })).unmergeProfiles.restoredProfileIds).toEqual([b]);
  });
});
