/**
 * Outbound event sinks through the public API on a started gateway, with a real HTTP receiver on
 * 127.0.0.1 (allowed by config) and the NATS JetStream server at 127.0.0.1:4222 (skipped, saying so,
 * when it is not reachable). Every event of the domain reaches the sink once (after dedupe by
 * idempotency key) and in order, signed as documented; a failing receiver makes the sink FAILING
 * with the last error visible, and it recovers; a paused sink resumes where it stopped; replay
 * re-delivers with the same idempotency ids; types and filters select events; another domain's
 * events never reach a sink, and another domain cannot see or change it; URLs are validated and
 * private addresses refused by default.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as natsConnect, AckPolicy, DiscardPolicy, type NatsConnection } from 'nats';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../src/db/database.js';
import { startReceiver, verifySinkSignature, type Receiver } from './helpers/receiver.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let a: { name: string; key: string };
let b: { name: string; key: string };
let rx: Receiver;

async function ok(q: string, variables: Record<string, unknown>, key: string) {
  const r = await s.gql(q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}
const SINK = `id kind url subject types batchSize status position delivered lastError lastErrorAt failingSince filter { objectTypes profileIds }`;
async function createSink(key: string, input: Record<string, unknown>) {
  return (await ok(`mutation($i: CreateEventSinkInput!) { createEventSink(input: $i) { secret sink { ${SINK} } } }`, { i: input }, key)).createEventSink;
}
async function sink(key: string, id: string) {
  return (await ok(`query($id: ID!) { eventSink(id: $id) { ${SINK} } }`, { id }, key)).eventSink;
}
async function newProfiles(key: string, n: number, prefix: string) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await ok(`mutation($i: ProfileInput!) { createProfile(input: $i) { id } }`, { i: { firstName: `${prefix}${i}` } }, key)).createProfile.id);
  return ids;
}
async function domainEvents(name: string, after: number): Promise<number[]> {
  const rows = await query<{ id: string }>(s.database.db, sql`select e.id from events e join domains d on d.id = e.domain_id where d.name = ${name} and e.id > ${after} order by e.id`);
  return rows.map((r) => Number(r.id));
}
async function profileEvents(name: string, after: number, profileId: string): Promise<number[]> {
  const rows = await query<{ id: string }>(s.database.db, sql`select e.id from events e join domains d on d.id = e.domain_id where d.name = ${name} and e.id > ${after} and e.profile_id = ${profileId} order by e.id`);
  return rows.map((r) => Number(r.id));
}
const UPDATE = `mutation($id: ID!, $n: String!) { updateProfile(id: $id, input: { lastName: $n }) { id } }`;
const PAUSE = `mutation($id: ID!) { pauseEventSink(id: $id) { status } }`;
const RESUME = `mutation($id: ID!) { resumeEventSink(id: $id) { status } }`;
/** Event ids in delivery order, per profile (the order a sink guarantees; different profiles may interleave). */
function perProfile(events: Record<string, any>[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const e of events) m.set(e.profileId ?? '', [...(m.get(e.profileId ?? '') ?? []), Number(e.eventId)]);
  return m;
}
/** Every profile's events arrived in event-id order. */
function expectProfileOrder(events: Record<string, any>[]): void {
  for (const [profile, ids] of perProfile(events)) expect(ids, profile).toEqual([...ids].sort((x, y) => x - y));
}
const sorted = (ids: number[]) => [...ids].sort((x, y) => x - y);
/** Waits for a condition on the sink's state (polling the API; the state changes asynchronously). */
async function until<T>(read: () => Promise<T>, test: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (test(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  s = await startTestServer({ sinkAllowPrivateAddresses: true, sinkRetryBaseMs: 20, sinkRetryMaxMs: 200, sinkFailingAfterSeconds: 0.3, integrationPollMs: 200, sinkLeaseSeconds: 2 });
  a = await s.createDomain();
  b = await s.createDomain();
  rx = await startReceiver();
});
afterAll(async () => {
  await s?.close();
  await rx?.close();
});

describe('webhook sinks', () => {
  let sinkId: string;
  let secret: string;

  it('delivers every new event once, in order, signed, with idempotency ids; a receiver failing twice changes nothing', async () => {
    await newProfiles(a.key, 2, 'before'); // before the sink: not delivered
    const created = await createSink(a.key, { kind: 'WEBHOOK', url: rx.url });
    sinkId = created.sink.id;
    secret = created.secret;
    expect(created.sink).toMatchObject({ kind: 'WEBHOOK', url: rx.url, status: 'ACTIVE', types: [], delivered: 0 });
    const start = Number(created.sink.position);
    expect(start).toBeGreaterThan(0);
    rx.plan((n) => (n <= 2 ? 500 : 200)); // the first two requests fail
    const ids = await newProfiles(a.key, 3, 'p');
    await ok(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "Lovelace" }) { id } }`, { id: ids[0] }, a.key);
    const expected = await domainEvents(a.name, start);
    expect(expected.length).toBe(4);
    await rx.waitFor(expected.length);
    expect(sorted(rx.delivered.map((d) => Number(d.event.eventId)))).toEqual(expected);
    expectProfileOrder(rx.delivered.map((d) => d.event));
    const failed = rx.requests.filter((r) => r.status === 500);
    expect(failed).toHaveLength(2);
    // each failed event was retried with the same idempotency key
    for (const f of failed) expect(rx.requests.some((r) => r.status === 200 && r.headers['idempotency-key'] === f.headers['idempotency-key'])).toBe(true);
    for (const d of rx.delivered) {
      expect(d.key).toBe(`${sinkId}:${d.event.eventId}`);
      expect(d.event.domain).toBe(a.name);
    }
    for (const r of rx.requests) expect(verifySinkSignature(r.headers['profilegraph-signature'] as string, r.body, secret)).toBe(true);
    expect(verifySinkSignature(rx.requests[3]!.headers['profilegraph-signature'] as string, rx.requests[3]!.body, 'wrong-secret-0123456789')).toBe(false);
    const inOrder = [...rx.delivered].sort((x, y) => Number(x.event.eventId) - Number(y.event.eventId));
    expect(inOrder.map((d) => d.event.eventType)).toEqual(['PROFILE_CREATED', 'PROFILE_CREATED', 'PROFILE_CREATED', 'PROFILE_UPDATED']);
    expect(inOrder[3]!.event.changes.lastName).toEqual({ before: null, after: 'Lovelace' });
    const after = await until(() => sink(a.key, sinkId), (v) => Number(v.position) === expected[expected.length - 1]);
    expect(after).toMatchObject({ status: 'ACTIVE', delivered: 4 });
    expect(after.lastError).toMatch(/HTTP 500/);
  });

  it('becomes FAILING with the last error while the receiver keeps failing, and ACTIVE again once it succeeds', async () => {
    const before = rx.delivered.length;
    rx.plan(() => 503);
    await newProfiles(a.key, 1, 'f');
    const failing = await until(() => sink(a.key, sinkId), (v) => v.status === 'FAILING');
    expect(failing.lastError).toMatch(/HTTP 503/);
    expect(failing.failingSince).not.toBeNull();
    rx.plan(() => 200);
    await rx.waitFor(before + 1);
    const healthy = await until(() => sink(a.key, sinkId), (v) => v.status === 'ACTIVE');
    expect(healthy.failingSince).toBeNull();
  });

  it('a paused sink delivers nothing, and resumes from where it stopped', async () => {
    const paused = (await ok(`mutation($id: ID!) { pauseEventSink(id: $id) { status position } }`, { id: sinkId }, a.key)).pauseEventSink;
    expect(paused.status).toBe('PAUSED');
    const count = rx.requests.length;
    await newProfiles(a.key, 3, 'paused');
    // several polls and wake-ups pass: nothing is sent while paused
    await s.app.services.sinks.scan();
    await new Promise((r) => setTimeout(r, 600));
    expect(rx.requests.length).toBe(count);
    expect((await sink(a.key, sinkId)).position).toBe(paused.position);
    const before = rx.delivered.length;
    await ok(`mutation($id: ID!) { resumeEventSink(id: $id) { status } }`, { id: sinkId }, a.key);
    await rx.waitFor(before + 3);
    const expected = await domainEvents(a.name, Number(paused.position));
    expect(sorted(rx.delivered.slice(before).map((d) => Number(d.event.eventId)))).toEqual(expected);
  });

  it('replays from an event id with the same idempotency ids', async () => {
    const first = rx.delivered[0]!;
    const requests = rx.requests.length;
    await ok(`mutation($id: ID!, $from: ID!) { replayEventSink(id: $id, fromEventId: $from) { position } }`, { id: sinkId, from: first.event.eventId }, a.key);
    const all = await domainEvents(a.name, Number(first.event.eventId) - 1);
    await until(async () => rx.requests.length, (n) => n >= requests + all.length);
    const replayed = rx.requests.slice(requests);
    expect(replayed.map((r) => r.headers['idempotency-key']).sort()).toEqual(all.map((id) => `${sinkId}:${id}`).sort());
    expectProfileOrder(replayed.map((r) => JSON.parse(r.body)));
    expect(rx.delivered.length).toBe(new Set(rx.delivered.map((d) => d.key)).size);
  });

  it("never delivers another domain's events, and another domain cannot see or change the sink", async () => {
    const before = rx.requests.length;
    await newProfiles(b.key, 2, 'other');
    await newProfiles(a.key, 1, 'mine');
    await until(async () => rx.requests.length, (n) => n >= before + 1);
    await s.app.services.sinks.scan();
    for (const r of rx.requests) expect(JSON.parse(r.body).domain).toBe(a.name);
    expect((await ok(`{ eventSinks { id } }`, {}, b.key)).eventSinks).toEqual([]);
    expect((await ok(`query($id: ID!) { eventSink(id: $id) { id } }`, { id: sinkId }, b.key)).eventSink).toBeNull();
    for (const m of ['pauseEventSink(id: $id) { id }', 'resumeEventSink(id: $id) { id }', 'deleteEventSink(id: $id)']) {
      const r = await s.gql(`mutation($id: ID!) { ${m} }`, { id: sinkId }, b.key);
      expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const r = await s.gql(`{ eventSinks { id secret } }`, {}, a.key);
    expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('selects by types and filter, and deletes', async () => {
    const rx2 = await startReceiver();
    try {
      const [p1, p2] = await newProfiles(a.key, 2, 'sel');
      const created = await createSink(a.key, { kind: 'WEBHOOK', url: rx2.url, types: ['PROFILE_UPDATED'], filter: { profileIds: [p2] } });
      await ok(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "One" }) { id } }`, { id: p1 }, a.key);
      await ok(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "Two" }) { id } }`, { id: p2 }, a.key);
      await newProfiles(a.key, 1, 'sel-new');
      await rx2.waitFor(1);
      const all = await domainEvents(a.name, 0);
      await until(() => sink(a.key, created.sink.id), (v) => Number(v.position) === all[all.length - 1]);
      expect(rx2.delivered.map((d) => [d.event.eventType, d.event.profileId])).toEqual([['PROFILE_UPDATED', p2]]);
      expect((await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: created.sink.id }, a.key)).deleteEventSink).toBe(true);
      expect((await ok(`{ eventSinks { id } }`, {}, a.key)).eventSinks.map((x: { id: string }) => x.id)).toEqual([sinkId]);
    } finally {
      await rx2.close();
    }
  });

  it('a receiver that never answers holds only its own sink', async () => {
    const hang = createServer(() => {
      // never answers
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const rx3 = await startReceiver();
    try {
      const slow = await createSink(a.key, { kind: 'WEBHOOK', url: `http://127.0.0.1:${(hang.address() as AddressInfo).port}/slow` });
      const fast = await createSink(a.key, { kind: 'WEBHOOK', url: rx3.url });
      await newProfiles(a.key, 3, 'slowfast');
      // delivered well before the slow sink's request could even time out (10 s)
      await rx3.waitFor(3, 5_000);
      expect((await sink(a.key, slow.sink.id)).delivered).toBe(0);
      for (const x of [slow, fast]) await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: x.sink.id }, a.key);
    } finally {
      hang.closeAllConnections();
      hang.close();
      await rx3.close();
    }
  });

  it("delivers other profiles' events while one profile's event is retried; each profile in order; the cursor waits", async () => {
    const rx5 = await startReceiver();
    try {
      const [p1, p2] = await newProfiles(a.key, 2, 'lane');
      const created = await createSink(a.key, { kind: 'WEBHOOK', url: rx5.url });
      const start = Number(created.sink.position);
      // paused while the two profiles' changes interleave, so that they are one window
      await ok(PAUSE, { id: created.sink.id }, a.key);
      for (let i = 0; i < 5; i++) for (const p of [p1, p2]) await ok(UPDATE, { id: p, n: `L${i}` }, a.key);
      const all = await domainEvents(a.name, start);
      const ofP1 = await profileEvents(a.name, start, p1!);
      const ofP2 = await profileEvents(a.name, start, p2!);
      expect(ofP1).toHaveLength(5);
      expect(ofP2).toHaveLength(5);
      expect(all[0]).toBe(ofP1[0]);
      let release = false;
      rx5.plan((_n, e) => (e.profileId === p1 && !release ? 503 : 200));
      await ok(RESUME, { id: created.sink.id }, a.key);
      // p2's events all arrive while p1's first event keeps failing
      await until(async () => rx5.delivered.filter((d) => d.event.profileId === p2).length, (n) => n === 5);
      expect(rx5.delivered.filter((d) => d.event.profileId === p1)).toEqual([]);
      const held = await until(() => sink(a.key, created.sink.id), (v) => v.lastError !== null);
      expect(held.lastError).toMatch(/HTTP 503/);
      // the cursor never passes an undelivered event
      expect(Number(held.position)).toBeLessThan(ofP1[0]!);
      // p1's later events wait behind its failing one: only that one was tried
      const p1Requests = () => rx5.requests.filter((r) => JSON.parse(r.body).profileId === p1);
      expect(new Set(p1Requests().map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${created.sink.id}:${ofP1[0]}`]));
      release = true;
      await rx5.waitFor(all.length);
      for (const [p, ids] of [
        [p1, ofP1],
        [p2, ofP2],
      ] as const) {
        const tried = rx5.requests.filter((r) => JSON.parse(r.body).profileId === p).map((r) => Number(JSON.parse(r.body).eventId));
        // never a later event of the profile before an earlier one was delivered
        expect(tried).toEqual(sorted(tried));
        expect(rx5.delivered.filter((d) => d.event.profileId === p).map((d) => Number(d.event.eventId))).toEqual(ids);
      }
      expect(p1Requests().length).toBeGreaterThan(5); // the retries
      expect(sorted(rx5.delivered.map((d) => Number(d.event.eventId)))).toEqual(all);
      const after = await until(() => sink(a.key, created.sink.id), (v) => Number(v.position) === all[all.length - 1] && v.status === 'ACTIVE');
      expect(after.delivered).toBe(all.length);
      await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: created.sink.id }, a.key);
    } finally {
      await rx5.close();
    }
  });

  it('batchSize: a signed JSON array per request, batches in event-id order, a failed batch retried whole with the same keys', async () => {
    const rx6 = await startReceiver();
    try {
      const created = await createSink(a.key, { kind: 'WEBHOOK', url: rx6.url, batchSize: 3 });
      expect(created.sink.batchSize).toBe(3);
      await ok(PAUSE, { id: created.sink.id }, a.key);
      const ids = await newProfiles(a.key, 4, 'batch');
      for (const p of ids.slice(0, 3)) await ok(UPDATE, { id: p, n: 'B' }, a.key);
      const expected = await domainEvents(a.name, Number(created.sink.position));
      expect(expected).toHaveLength(7);
      rx6.plan((n) => (n === 2 ? 500 : 200)); // the second batch fails once
      await ok(RESUME, { id: created.sink.id }, a.key);
      await until(() => sink(a.key, created.sink.id), (v) => Number(v.position) === expected[6]);
      const bodies = rx6.requests.map((r) => JSON.parse(r.body) as Record<string, any>[]);
      expect(bodies.map((b) => b.length)).toEqual([3, 3, 3, 1]);
      expect(rx6.requests.map((r) => r.status)).toEqual([200, 500, 200, 200]);
      expect(rx6.requests[1]!.headers['idempotency-key']).toBe(rx6.requests[2]!.headers['idempotency-key']);
      expect(rx6.requests[1]!.body).toBe(rx6.requests[2]!.body);
      const delivered = bodies.filter((_b, i) => rx6.requests[i]!.status === 200).flat();
      expect(delivered.map((e) => Number(e.eventId))).toEqual(expected);
      expect(delivered.map((e) => e.idempotencyKey)).toEqual(expected.map((id) => `${created.sink.id}:${id}`));
      for (const r of rx6.requests) expect(verifySinkSignature(r.headers['profilegraph-signature'] as string, r.body, created.secret)).toBe(true);
      expect(rx6.requests[0]!.headers['profilegraph-event-id']).toBe(`${expected[0]}-${expected[2]}`);
      expect((await sink(a.key, created.sink.id)).delivered).toBe(7);
      await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: created.sink.id }, a.key);
    } finally {
      await rx6.close();
    }
  });

  it('validates input', async () => {
    const m = `mutation($i: CreateEventSinkInput!) { createEventSink(input: $i) { secret } }`;
    for (const i of [
      { kind: 'WEBHOOK', url: 'ftp://example.com/x' },
      { kind: 'WEBHOOK', url: 'http://user:pw@example.com/x' },
      { kind: 'WEBHOOK', url: 'not a url' },
      { kind: 'WEBHOOK' },
      { kind: 'NATS', subject: 'a.*' },
      { kind: 'NATS', subject: 'ok.subject', url: 'http://example.com' },
      { kind: 'WEBHOOK', url: 'https://example.com', secret: 'short' },
      { kind: 'WEBHOOK', url: 'https://example.com', filter: { profileIds: ['nope'] } },
      { kind: 'WEBHOOK', url: 'https://example.com', fromEventId: '-1' },
      { kind: 'WEBHOOK', url: 'https://example.com', batchSize: 0 },
      { kind: 'WEBHOOK', url: 'https://example.com', batchSize: 101 },
      { kind: 'NATS', subject: 'ok.subject', batchSize: 5 },
    ]) {
      const r = await s.gql(m, { i }, a.key);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(i)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('several gateway instances (Postgres)', () => {
  it('deliver each event once between them: one instance holds a sink at a time', async (ctx) => {
    if (s.testDb.kind !== 'postgres') return ctx.skip();
    const peer = await s.startPeer();
    const rx4 = await startReceiver();
    try {
      const created = await createSink(a.key, { kind: 'WEBHOOK', url: rx4.url });
      // writes through both instances, so both are woken
      for (let i = 0; i < 10; i++) {
        const url = i % 2 === 0 ? s.url : peer.url;
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${a.key}` }, body: JSON.stringify({ query: `mutation { createProfile(input: { firstName: "multi${i}" }) { id } }` }) });
        expect(r.status).toBe(200);
      }
      const expected = await domainEvents(a.name, Number(created.sink.position));
      await rx4.waitFor(expected.length);
      await until(() => sink(a.key, created.sink.id), (v) => Number(v.position) === expected[expected.length - 1]);
      // once each (no instance delivered what the other did), each profile's events in order
      expect(sorted(rx4.requests.map((r) => Number(JSON.parse(r.body).eventId)))).toEqual(expected);
      expectProfileOrder(rx4.requests.map((r) => JSON.parse(r.body)));
      await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: created.sink.id }, a.key);
    } finally {
      await rx4.close();
    }
  });
});

describe('private addresses (the default policy)', () => {
  it('refuses loopback and private URLs unless the server allows them', async () => {
    const strict = await startTestServer();
    try {
      const d = await strict.createDomain();
      for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://10.1.2.3/x', 'http://[::1]/x', 'http://169.254.169.254/latest']) {
        const r = await strict.gql(`mutation($i: CreateEventSinkInput!) { createEventSink(input: $i) { secret } }`, { i: { kind: 'WEBHOOK', url } }, d.key);
        expect(r.errors?.[0]?.extensions?.code, url).toBe('BAD_USER_INPUT');
        expect(r.errors?.[0]?.message).toMatch(/private address/);
      }
    } finally {
      await strict.close();
    }
  });
});

describe('NATS JetStream sinks', () => {
  let nc: NatsConnection | null = null;
  beforeAll(async () => {
    try {
      nc = await natsConnect({ servers: s.app.services.config.natsUrl, timeout: 2_000 });
    } catch {
      console.warn(`NATS tests skipped: no NATS server at ${s.app.services.config.natsUrl} (start nats-server -js, as .ci/run does).`);
    }
  });
  afterAll(async () => nc?.close());

  it('publishes each event to the subject, in order, with Nats-Msg-Id; a consumer reads them back', async (ctx) => {
    if (!nc) return ctx.skip();
    const stream = `pgtest_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const subject = `${stream}.events`;
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    try {
      const created = await createSink(a.key, { kind: 'NATS', subject });
      expect(created.sink).toMatchObject({ kind: 'NATS', subject, url: null });
      const ids = await newProfiles(a.key, 3, 'nats');
      await ok(`mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "N" }) { id } }`, { id: ids[1] }, a.key);
      const expected = await domainEvents(a.name, Number(created.sink.position));
      await jsm.consumers.add(stream, { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
      const consumer = await nc.jetstream().consumers.get(stream, 'reader');
      const got: { id: number; msgId: string | undefined }[] = [];
      while (got.length < expected.length) {
        const batch = await consumer.fetch({ max_messages: expected.length - got.length, expires: 5_000 });
        let n = 0;
        for await (const m of batch) {
          n++;
          const body = m.json<{ eventId: string; domain: string }>();
          expect(body.domain).toBe(a.name);
          got.push({ id: Number(body.eventId), msgId: m.headers?.get('Nats-Msg-Id') });
          m.ack();
        }
        if (n === 0) throw new Error(`NATS: ${got.length} of ${expected.length} messages`);
      }
      expect(got.map((g) => g.id)).toEqual(expected);
      expect(got.map((g) => g.msgId)).toEqual(expected.map((id) => `${created.sink.id}:${id}`));
      // a replay publishes the same ids again: JetStream's duplicate window drops them
      await ok(`mutation($id: ID!, $from: ID!) { replayEventSink(id: $id, fromEventId: $from) { id } }`, { id: created.sink.id, from: String(expected[0]) }, a.key);
      await until(() => sink(a.key, created.sink.id), (v) => Number(v.position) === expected[expected.length - 1] && v.delivered >= expected.length * 2);
      expect((await jsm.streams.info(stream)).state.messages).toBe(expected.length);
      await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: created.sink.id }, a.key);
    } finally {
      await jsm.streams.delete(stream);
    }
  });

  it('publishes a window pipelined; a publish the stream refuses mid-window is retried from there: each event once, in order', async (ctx) => {
    if (!nc) return ctx.skip();
    const stream = `pgwin_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const subject = `${stream}.events`;
    const jsm = await nc.jetstreamManager();
    // holds 3 messages and refuses more: the window's 4th publish fails, its later ones too
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`], max_msgs: 3, discard: DiscardPolicy.New });
    try {
      const created = await createSink(a.key, { kind: 'NATS', subject });
      await ok(PAUSE, { id: created.sink.id }, a.key);
      const [p1, p2] = await newProfiles(a.key, 2, 'natswin');
      for (let i = 0; i < 3; i++) for (const p of [p1, p2]) await ok(UPDATE, { id: p, n: `W${i}` }, a.key);
      const expected = await domainEvents(a.name, Number(created.sink.position));
      expect(expected.length).toBe(8);
      await ok(RESUME, { id: created.sink.id }, a.key);
      const held = await until(() => sink(a.key, created.sink.id), (v) => v.lastError !== null && Number(v.position) === expected[2]);
      expect(held.lastError).toMatch(/NATS publish .* failed: the stream refused it \(maximum messages exceeded/);
      expect(held.delivered).toBe(3);
      expect((await jsm.streams.info(stream)).state.messages).toBe(3);
      // room again: the sink goes on from the first refused event
      await jsm.streams.update(stream, { max_msgs: -1 });
      const done = await until(() => sink(a.key, created.sink.id), (v) => Number(v.position) === expected[expected.length - 1]);
      expect(done).toMatchObject({ status: 'ACTIVE', delivered: expected.length });
      await jsm.consumers.add(stream, { durable_name: 'reader', ack_policy: AckPolicy.Explicit });
      const consumer = await nc.jetstream().consumers.get(stream, 'reader');
      const seen = new Set<string>();
      const got: number[] = [];
      while (got.length < expected.length) {
        const batch = await consumer.fetch({ max_messages: expected.length, expires: 3_000 });
        let n = 0;
        for await (const m of batch) {
          n++;
          const msgId = m.headers?.get('Nats-Msg-Id') ?? '';
          if (!seen.has(msgId)) got.push(Number(m.json<{ eventId: string }>().eventId));
          seen.add(msgId);
          m.ack();
        }
        if (n === 0) break;
      }
      expect(got).toEqual(expected);
      expect([...seen]).toEqual(expected.map((id) => `${created.sink.id}:${id}`));
      expect((await jsm.streams.info(stream)).state.messages).toBe(expected.length);
      await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: created.sink.id }, a.key);
    } finally {
      await jsm.streams.delete(stream);
    }
  });

  it('shows why a subject no stream captures cannot be delivered', async (ctx) => {
    if (!nc) return ctx.skip();
    const created = await createSink(a.key, { kind: 'NATS', subject: `nostream_${Date.now().toString(36)}.x` });
    await newProfiles(a.key, 1, 'nostream');
    const v = await until(() => sink(a.key, created.sink.id), (x) => x.lastError !== null);
    expect(v.lastError).toMatch(/No JetStream stream captures subject/);
    await ok(`mutation($id: ID!) { deleteEventSink(id: $id) }`, { id: created.sink.id }, a.key);
  });
});
