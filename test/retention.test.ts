import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../src/db/database.js';
import { pruneEvents } from '../src/modules/events/event.repository.js';
import { ManualClock } from '../src/modules/jobs/clock.js';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
const clock = new ManualClock();
const DAY = 86_400_000;

const PREVIEW = `{ retentionPreview(sampleSize: 50) { at profileExpirationDays profileCutoff profiles sampleProfileIds objects { objectType expirationDays count } } }`;
const SWEEP = `mutation { runRetentionSweep { at profilesDeleted objects { objectType count } } }`;

async function profile(key: string, firstName: string): Promise<string> {
  const r = await s.gql(`mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input: { firstName, emailAddress: `${firstName.toLowerCase()}@example.com` } }, key);
  expect(r.errors).toBeUndefined();
  return r.data!.createProfile.id;
}

async function exists(key: string, id: string): Promise<boolean> {
  const r = await s.gql(`query($id: ID!) { profile(id: $id) { id } }`, { id }, key);
  return r.data!.profile !== null;
}

async function events(type: string, profileId: string): Promise<{ type: string; object_type: string | null; object_id: string | null }[]> {
  return query(s.database.db, sql`select type, object_type, object_id from events where type = ${type} and profile_id = ${profileId}`);
}

beforeAll(async () => {
  s = await startTestServer({}, { clock });
});
afterAll(async () => {
  await s?.close();
});

describe('retention', () => {
  it('deletes profiles not updated for defaultExpirationDays, with PROFILE_EXPIRED events; the preview matches the sweep', async () => {
    clock.set(new Date());
    const { key } = await s.createDomain(undefined, { defaultExpirationDays: 30 });
    const ids = [await profile(key, 'Old1'), await profile(key, 'Old2'), await profile(key, 'Old3')];

    // 29 days later nothing has expired yet.
    clock.advanceDays(29);
    const early = await s.gql(PREVIEW, {}, key);
    expect(early.data!.retentionPreview).toMatchObject({ profileExpirationDays: 30, profiles: 0, sampleProfileIds: [] });
    expect((await s.gql(SWEEP, {}, key)).data!.runRetentionSweep.profilesDeleted).toBe(0);

    clock.advanceDays(2);
    const preview = (await s.gql(PREVIEW, {}, key)).data!.retentionPreview;
    expect(preview.profiles).toBe(3);
    expect([...preview.sampleProfileIds].sort()).toEqual([...ids].sort());
    expect(new Date(preview.at).getTime()).toBe(clock.now().getTime());
    expect(new Date(preview.profileCutoff).getTime()).toBe(clock.now().getTime() - 30 * DAY);

    const sweep = (await s.gql(SWEEP, {}, key)).data!.runRetentionSweep;
    expect(sweep.profilesDeleted).toBe(preview.profiles);
    for (const id of ids) {
      expect(await exists(key, id)).toBe(false);
      expect(await events('PROFILE_EXPIRED', id)).toEqual([{ type: 'PROFILE_EXPIRED', object_type: 'profile', object_id: id }]);
    }
    expect((await s.gql(PREVIEW, {}, key)).data!.retentionPreview.profiles).toBe(0);
  });

  it('keeps a profile whose contacts, cases, orders or objects changed recently, even if its own fields did not', async () => {
    clock.set(new Date());
    const { key } = await s.createDomain(undefined, { defaultExpirationDays: 30 });
    const quiet = await profile(key, 'Quiet');
    const caller = await profile(key, 'Caller');
    const buyer = await profile(key, 'Buyer');
    // Both profiles were last edited 40 days ago …
    await s.database.db.execute(sql`update profiles set updated_at = now() - interval '40 days' where id in (${quiet}::uuid, ${caller}::uuid, ${buyer}::uuid)`);
    // … but the caller phoned today and the buyer ordered today.
    const c = await s.gql(`mutation($p: ID!) { recordContact(input: { contactId: "ret-1", profileId: $p, channel: VOICE, initiatedAt: "2026-01-01T00:00:00Z" }) { created } }`, { p: caller }, key);
    expect(c.errors).toBeUndefined();
    const o = await s.gql(`mutation($p: ID!) { recordOrder(input: { orderId: "ret-o-1", profileId: $p }) { created } }`, { p: buyer }, key);
    expect(o.errors).toBeUndefined();
    const preview = (await s.gql(PREVIEW, {}, key)).data!.retentionPreview;
    expect(preview).toMatchObject({ profiles: 1, sampleProfileIds: [quiet] });
    expect((await s.gql(SWEEP, {}, key)).data!.runRetentionSweep.profilesDeleted).toBe(1);
    expect(await exists(key, quiet)).toBe(false);
    expect(await exists(key, caller)).toBe(true);
    expect(await exists(key, buyer)).toBe(true);
  });

  it("prunes stream events past eventRetentionDays but keeps a live profile's whole history", async () => {
    const { key } = await s.createDomain(undefined, { eventRetentionDays: 1 });
    const live = await profile(key, 'Live');
    const gone = await profile(key, 'Gone');
    await s.gql(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "Kept" }) { version } }`, { id: live }, key);
    await s.gql(`mutation($id: ID!) { deleteProfile(id: $id) { deleted } }`, { id: gone }, key);
    expect((await events('PROFILE_CREATED', gone)).length).toBe(1);
    // The scheduled task's body, two days on.
    const pruned = await pruneEvents(s.database.db, new Date(Date.now() + 2 * DAY));
    expect(pruned).toBeGreaterThanOrEqual(2);
    expect(await events('PROFILE_CREATED', gone)).toEqual([]);
    expect(await events('PROFILE_DELETED', gone)).toEqual([]);
    const h = await s.gql(`query($id: ID!) { profile(id: $id) { history { nodes { action } } } }`, { id: live }, key);
    expect(h.data!.profile.history.nodes.map((n: { action: string }) => n.action)).toEqual(['UPDATED', 'CREATED']);
  });

  it('keeps profiles forever when defaultExpirationDays is null (the default)', async () => {
    clock.set(new Date());
    const { key } = await s.createDomain();
    const id = await profile(key, 'Forever');
    clock.advanceDays(100_000);
    const preview = (await s.gql(PREVIEW, {}, key)).data!.retentionPreview;
    expect(preview).toMatchObject({ profileExpirationDays: null, profileCutoff: null, profiles: 0, sampleProfileIds: [] });
    expect((await s.gql(SWEEP, {}, key)).data!.runRetentionSweep.profilesDeleted).toBe(0);
    expect(await exists(key, id)).toBe(true);
  });

  it("only sweeps the caller's domain; the scheduled sweep covers every domain", async () => {
    clock.set(new Date());
    const a = await s.createDomain(undefined, { defaultExpirationDays: 1 });
    const b = await s.createDomain(undefined, { defaultExpirationDays: 1 });
    const pa = await profile(a.key, 'DomainA');
    const pb = await profile(b.key, 'DomainB');
    clock.advanceDays(2);
    expect((await s.gql(SWEEP, {}, a.key)).data!.runRetentionSweep.profilesDeleted).toBe(1);
    expect(await exists(a.key, pa)).toBe(false);
    expect(await exists(b.key, pb)).toBe(true);
    const all = await s.app.services.retention.sweepAll();
    expect(all.profilesDeleted).toBeGreaterThanOrEqual(1);
    expect(await exists(b.key, pb)).toBe(false);
  });

  it("deletes objects older than their type's expirationDays with OBJECT_EXPIRED events, keeping the profile", async () => {
    clock.set(new Date());
    const { key } = await s.createDomain();
    const type = {
      name: 'Click',
      expirationDays: 7,
      fields: [
        { name: 'clickId', source: '_source.clickId', contentType: 'STRING' },
        { name: 'email', source: '_source.email', target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS' },
      ],
      keys: [
        { name: 'clickId', identifiers: ['UNIQUE'], fieldNames: ['clickId'] },
        { name: '_email', identifiers: ['PROFILE'], fieldNames: ['email'] },
      ],
      allowProfileCreation: true,
    };
    const t = await s.gql(`mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name expirationDays } }`, { input: type }, key);
    expect(t.errors).toBeUndefined();
    const put = await s.gql(
      `mutation($o: JSONObject!) { putProfileObject(objectType: "Click", object: $o) { object { id } profile { id } } }`,
      { o: { clickId: 'c1', email: 'clicker@example.com' } },
      key,
    );
    expect(put.errors).toBeUndefined();
    const objectId = put.data!.putProfileObject.object.id;
    const profileId = put.data!.putProfileObject.profile.id;

    clock.advanceDays(6);
    expect((await s.gql(PREVIEW, {}, key)).data!.retentionPreview.objects).toEqual([{ objectType: 'Click', expirationDays: 7, count: 0 }]);
    clock.advanceDays(2);
    expect((await s.gql(PREVIEW, {}, key)).data!.retentionPreview.objects).toEqual([{ objectType: 'Click', expirationDays: 7, count: 1 }]);
    const sweep = (await s.gql(SWEEP, {}, key)).data!.runRetentionSweep;
    expect(sweep).toMatchObject({ profilesDeleted: 0, objects: [{ objectType: 'Click', count: 1 }] });
    expect(await events('OBJECT_EXPIRED', profileId)).toEqual([{ type: 'OBJECT_EXPIRED', object_type: 'Click', object_id: objectId }]);
    expect(await exists(key, profileId)).toBe(true);
    const history = await s.gql(`query($id: ID!) { profile(id: $id) { history(first: 1) { nodes { action eventType objectType } } } }`, { id: profileId }, key);
    expect(history.data!.profile.history.nodes).toEqual([{ action: 'EXPIRED', eventType: 'OBJECT_EXPIRED', objectType: 'Click' }]);
    const left = await query(s.database.db, sql`select count(*)::int as n from profile_objects where id = ${objectId}`);
    expect(left).toEqual([{ n: 0 }]);
  });

  it('needs a domain key', async () => {
    const r = await s.gql(PREVIEW, {}, ADMIN_TOKEN);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
