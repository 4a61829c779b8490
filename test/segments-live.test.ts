/**
 * Live segment membership through the public API: writes move profiles into and out of segments
 * (SEGMENT_ENTERED / SEGMENT_EXITED in the event log), time passing through a window moves them at
 * the scheduled sweep (injectable clock), and `segmentMembershipChanged(name, after)` replays then
 * continues live over graphql-ws.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/modules/jobs/clock.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
const clock = new ManualClock(new Date());
const clients: Client[] = [];
const DAY = 86_400_000;

beforeAll(async () => {
  s = await startTestServer({}, { clock });
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await s?.close();
});

async function ok(key: string, q: string, variables: Record<string, unknown> = {}) {
  const r = await s.gql(q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}

function client(key: string): Client {
  const c = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0, lazy: true });
  clients.push(c);
  return c;
}

type Change = { id: string; segment: string; profileId: string; entered: boolean };
const CHANGES = `subscription($n: String!, $after: String) { segmentMembershipChanged(name: $n, after: $after) { id segment profileId entered occurredAt } }`;

function listen(c: Client, variables: Record<string, unknown>) {
  const received: Change[] = [];
  const errors: unknown[] = [];
  const stop = c.subscribe<{ segmentMembershipChanged: Change }>(
    { query: CHANGES, variables },
    {
      next: (r) => {
        if (r.errors) errors.push(...r.errors);
        if (r.data) received.push(r.data.segmentMembershipChanged);
      },
      error: (e) => errors.push(e),
      complete: () => {},
    },
  );
  return {
    received,
    errors,
    stop,
    async until(cond: () => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(received)} errors ${JSON.stringify(errors)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

const PUT = `mutation($input: PutSegmentInput!) { putSegment(input: $input) { name count } }`;
const createProfile = async (key: string, input: Record<string, unknown>) =>
  (await ok(key, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input })).createProfile.id as string;
const update = (key: string, id: string, input: Record<string, unknown>) => ok(key, `mutation($id: ID!, $input: ProfileInput!) { updateProfile(id: $id, input: $input) { version } }`, { id, input });

describe('live segment membership', () => {
  it('a write that moves a profile in or out emits SEGMENT_ENTERED / SEGMENT_EXITED; the subscription replays, then continues live', async () => {
    const { key } = await s.createDomain();
    const before = await createProfile(key, { firstName: 'Early', attributes: [{ key: 'tier', value: 'gold' }] });
    // defining the segment records its current members (one event each)
    expect((await ok(key, PUT, { input: { name: 'gold', text: "attributes.tier = 'gold'" } })).putSegment.count).toBe(1);
    const live = listen(client(key), { n: 'gold', after: '0' });
    await live.until(() => live.received.length >= 1); // the replayed initial member: now live
    const ada = await createProfile(key, { firstName: 'Ada', attributes: [{ key: 'tier', value: 'gold' }] });
    await createProfile(key, { firstName: 'Bob', attributes: [{ key: 'tier', value: 'silver' }] });
    await live.until(() => live.received.length >= 2);
    await update(key, ada, { attributes: [{ key: 'tier', value: 'silver' }] });
    await live.until(() => live.received.length >= 3);
    await update(key, before, { firstName: 'Still gold' }); // no change of membership: no event
    await update(key, ada, { attributes: [{ key: 'tier', value: 'gold' }] });
    await live.until(() => live.received.length >= 4);
    expect(live.received.map((c) => [c.segment, c.profileId, c.entered])).toEqual([
      ['gold', before, true],
      ['gold', ada, true],
      ['gold', ada, false],
      ['gold', ada, true],
    ]);
    // a late subscriber replays the same changes with the same ids
    const replay = listen(client(key), { n: 'gold', after: '0' });
    await replay.until(() => replay.received.length >= 4);
    expect(replay.received).toEqual(live.received);
    // resume after the third change: only what follows
    const resumed = listen(client(key), { n: 'gold', after: live.received[2]!.id });
    await resumed.until(() => resumed.received.length >= 1);
    expect(resumed.received.map((c) => c.id)).toEqual([live.received[3]!.id]);
    // Profile.segments and stored membership agree; segment events stay out of Profile.history
    const p = await ok(key, `query($id: ID!) { profile(id: $id) { segments history { nodes { eventType } } } }`, { id: ada });
    expect(p.profile.segments).toEqual(['gold']);
    expect(p.profile.history.nodes.map((n: { eventType: string }) => n.eventType)).not.toContain('SEGMENT_ENTERED');
    // deleting the profile leaves the segment with it (PROFILE_DELETED; no exit event needed)
    await ok(key, `mutation($id: ID!) { deleteProfile(id: $id) { deleted } }`, { id: ada });
    expect((await ok(key, `{ segment(name: "gold") { count } }`)).segment.count).toBe(1);
  });

  it('objects move profiles too (a recorded order), and time passing through the window moves them out at the sweep', async () => {
    const { key } = await s.createDomain();
    await ok(key, PUT, { input: { name: 'recentBuyers', text: 'has _order within 30 days' } });
    await ok(key, PUT, { input: { name: 'loyal', text: 'segment recentBuyers and count(_order) >= 1' } });
    const id = await createProfile(key, { firstName: 'Cy', emailAddress: 'cy@example.com' });
    const live = listen(client(key), { n: 'recentBuyers', after: '0' });
    await ok(key, `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { order { id } } }`, {
      input: { orderId: 'o-1', profileId: id, totalPrice: '12.50', orderedAt: new Date(clock.now().getTime() - 28 * DAY).toISOString() },
    });
    await live.until(() => live.received.length >= 1);
    expect(live.received[0]).toMatchObject({ profileId: id, entered: true, segment: 'recentBuyers' });
    const loyal = listen(client(key), { n: 'loyal', after: '0' });
    await loyal.until(() => loyal.received.length >= 1);
    // three days later the order is 31 days old: no write, the sweep moves the profile out
    clock.advanceDays(3);
    expect((await ok(key, `query($id: ID!) { profile(id: $id) { segments } }`, { id })).profile.segments).toEqual([]);
    const sweep = await s.app.services.segments.sweepAll();
    expect(sweep.changes).toBeGreaterThanOrEqual(2);
    await live.until(() => live.received.length >= 2);
    expect(live.received[1]).toMatchObject({ profileId: id, entered: false });
    await loyal.until(() => loyal.received.length >= 2);
    expect(loyal.received.map((c) => c.entered)).toEqual([true, false]);
    // a second sweep changes nothing
    const again = await s.app.services.segments.sweepAll();
    expect(again.changes).toBe(0);
  });

  it('calculated attributes move profiles too: enter on the second contact, leave when the 30-day window passes', async () => {
    const { key } = await s.createDomain();
    await ok(key, `mutation($input: PutCalculatedAttributeInput!) { putCalculatedAttribute(input: $input) { name } }`, {
      input: { name: 'recentContacts', objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 30 } },
    });
    await ok(key, PUT, { input: { name: 'busy', text: 'calculated.recentContacts >= 2' } });
    const id = await createProfile(key, { firstName: 'Dee', phoneNumber: '+12065550199' });
    const live = listen(client(key), { n: 'busy', after: '0' });
    const contact = (contactId: string, daysAgo: number) =>
      ok(key, `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`, {
        input: { contactId, profileId: id, channel: 'VOICE', initiatedAt: new Date(clock.now().getTime() - daysAgo * DAY).toISOString() },
      });
    await contact('k1', 20);
    await contact('k2', 1);
    await live.until(() => live.received.length >= 1);
    expect(live.received[0]).toMatchObject({ profileId: id, entered: true });
    clock.advanceDays(11); // the 20-day-old contact leaves the window
    await s.app.services.segments.sweepAll();
    await live.until(() => live.received.length >= 2);
    expect(live.received[1]).toMatchObject({ profileId: id, entered: false });
  });

  it('another domain never sees or moves a segment of the same name', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    await ok(a.key, PUT, { input: { name: 'gold', text: "attributes.tier = 'gold'" } });
    const subB = await s.gql(`{ segment(name: "gold") { name } }`, {}, b.key);
    expect(subB.data!.segment).toBeNull();
    await ok(b.key, PUT, { input: { name: 'gold', text: "attributes.tier = 'gold'" } });
    const liveA = listen(client(a.key), { n: 'gold', after: '0' });
    const liveB = listen(client(b.key), { n: 'gold', after: '0' });
    const inB = await createProfile(b.key, { firstName: 'B', attributes: [{ key: 'tier', value: 'gold' }] });
    await liveB.until(() => liveB.received.length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(liveA.received).toEqual([]);
    expect(liveB.received.map((c) => c.profileId)).toEqual([inB]);
    expect((await ok(a.key, `{ segment(name: "gold") { count } }`)).segment.count).toBe(0);
  });

  it('subscribing to a segment that does not exist is NOT_FOUND', async () => {
    const { key } = await s.createDomain();
    const sub = listen(client(key), { n: 'nope' });
    await sub.until(() => sub.errors.length > 0);
    expect(JSON.stringify(sub.errors)).toContain('NOT_FOUND');
  });
});
