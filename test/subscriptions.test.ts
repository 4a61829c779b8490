/**
 * Subscriptions end to end, through real graphql-ws clients over the gateway's WebSocket.
 * Each test works in its own domain, so `after: "0"` means "everything of this test".
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eq } from 'drizzle-orm';
import { domains } from '../src/modules/domain/domain.table.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { EventHub, startEventHub } from '../src/modules/events/event-hub.js';
import { InProcessWakeupBus } from '../src/modules/events/wakeup.js';
import { appendEvents } from '../src/modules/events/event.repository.js';
import { ADMIN_TOKEN, createTestDatabase, post, startTestServer, testConfig, type TestServer } from './helpers/server.js';

let s: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await s?.close();
});

interface Closed {
  code: number;
  reason: string;
}

function client(wsUrl: string, key: string | undefined, onClosed?: (c: Closed) => void, onSocket?: (ws: WebSocket) => void): Client {
  const c = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: key } : {},
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (e) => onClosed?.({ code: (e as Closed).code, reason: String((e as Closed).reason) }),
      connected: (socket) => onSocket?.(socket as WebSocket),
    },
  });
  clients.push(c);
  return c;
}

/** A running subscription that records what it receives. */
function listen<T = Record<string, any>>(c: Client, query: string, variables: Record<string, unknown> = {}) {
  const received: T[] = [];
  const errors: unknown[] = [];
  let completed = false;
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  const stop = c.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors) errors.push(...r.errors);
        if (r.data) received.push(r.data as T);
        poke();
      },
      error: (e) => {
        errors.push(e);
        poke();
      },
      complete: () => {
        completed = true;
        poke();
      },
    },
  );
  return {
    received,
    errors,
    get completed() {
      return completed;
    },
    stop,
    /** Waits until `cond` holds (checked on every message), failing after a timeout. */
    async until(cond: () => boolean, timeoutMs = 8_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(received)} errors ${JSON.stringify(errors)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
}

const EVENTS = `subscription($after: String, $types: [EventType!], $profileIds: [ID!]) {
  profileEvents(after: $after, types: $types, profileIds: $profileIds) { id type profileId objectType objectId actor changes { field before after } occurredAt }
}`;

type Ev = { profileEvents: { id: string; type: string; profileId: string; objectType: string; actor: string | null; changes: { field: string; before: string | null; after: string | null }[] } };

async function createProfile(key: string, input: Record<string, unknown>, url = s.url): Promise<string> {
  const r = await post<{ createProfile: { id: string } }>(url, `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`, { input }, key);
  expect(r.errors).toBeUndefined();
  return r.data!.createProfile.id;
}

async function updateProfile(key: string, id: string, input: Record<string, unknown>, url = s.url) {
  const r = await post<{ updateProfile: { version: number } }>(url, `mutation($id: ID!, $input: ProfileInput!) { updateProfile(id: $id, input: $input) { version } }`, { id, input }, key);
  expect(r.errors).toBeUndefined();
  return r.data!.updateProfile;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const idsOf = (evs: Ev[]) => evs.map((e) => Number(e.profileEvents.id));

describe('profileEvents', () => {
  it('streams own-domain events with changes and actor, never another domain’s', async () => {
    const mine = await s.createDomain();
    const other = await s.createDomain();
    const sub = listen<Ev>(client(s.wsUrl, mine.key), EVENTS, { after: '0' });
    const a = await createProfile(mine.key, { firstName: 'Ada' });
    const foreign = await createProfile(other.key, { firstName: 'Eve' });
    await updateProfile(other.key, foreign, { lastName: 'X' });
    await updateProfile(mine.key, a, { lastName: 'Lovelace' });
    await sub.until(() => sub.received.length >= 2);
    await sleep(200);
    expect(sub.received.map((e) => [e.profileEvents.id, e.profileEvents.type, e.profileEvents.profileId])).toEqual([
      ['1', 'PROFILE_CREATED', a],
      ['2', 'PROFILE_UPDATED', a],
    ]);
    const upd = sub.received[1]!.profileEvents;
    expect(upd.objectType).toBe('profile');
    expect(upd.actor).toMatch(/^[0-9a-f-]{36}$/);
    expect(upd.changes).toEqual([{ field: 'lastName', before: null, after: '"Lovelace"' }]);
    expect(JSON.stringify(sub.received)).not.toContain(foreign);
  });

  it('keeps per-profile order across many changes', async () => {
    const d = await s.createDomain();
    const sub = listen<Ev>(client(s.wsUrl, d.key), EVENTS, { after: '0', types: ['PROFILE_UPDATED'] });
    const p = await createProfile(d.key, { firstName: 'N' });
    for (let i = 1; i <= 10; i++) await updateProfile(d.key, p, { lastName: `v${i}` });
    await sub.until(() => sub.received.length >= 10);
    expect(sub.received.map((e) => e.profileEvents.changes[0]!.after)).toEqual(Array.from({ length: 10 }, (_, i) => `"v${i + 1}"`));
    expect(idsOf(sub.received)).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
  });

  it('resumes after a killed subscriber with `after`: nothing lost, nothing duplicated', async () => {
    const d = await s.createDomain();
    const p = await createProfile(d.key, { firstName: 'R' });
    const first = client(s.wsUrl, d.key);
    const sub = listen<Ev>(first, EVENTS, { after: '0' });
    for (let i = 0; i < 4; i++) await updateProfile(d.key, p, { lastName: `a${i}` });
    await sub.until(() => sub.received.length >= 5);
    await first.dispose(); // killed mid-stream
    const lastSeen = idsOf(sub.received).at(-1)!;
    for (let i = 0; i < 5; i++) await updateProfile(d.key, p, { lastName: `b${i}` });
    const resumed = listen<Ev>(client(s.wsUrl, d.key), EVENTS, { after: String(lastSeen) });
    // More writes while the replay runs: the seam between replay and live must hold.
    for (let i = 0; i < 5; i++) await updateProfile(d.key, p, { lastName: `c${i}` });
    await resumed.until(() => resumed.received.length >= 10);
    await sleep(200);
    expect(idsOf(resumed.received)).toEqual(Array.from({ length: 10 }, (_, i) => lastSeen + 1 + i));
  });

  it('a failed mutation leaves no event', async () => {
    const d = await s.createDomain();
    const sub = listen<Ev>(client(s.wsUrl, d.key), EVENTS, { after: '0' });
    const bad = await post(s.url, `mutation { createProfile(input: { emailAddress: "not-an-email" }) { id } }`, {}, d.key);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const stale = await createProfile(d.key, { firstName: 'S' });
    const conflict = await post(s.url, `mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "Z" }, expectedVersion: 9) { id } }`, { id: stale }, d.key);
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const ok = await createProfile(d.key, { firstName: 'T' });
    await sub.until(() => sub.received.length >= 2);
    await sleep(200);
    expect(sub.received.map((e) => [e.profileEvents.id, e.profileEvents.profileId])).toEqual([
      ['1', stale],
      ['2', ok],
    ]);
  });

  it('rejects a malformed after with BAD_USER_INPUT', async () => {
    const d = await s.createDomain();
    const sub = listen<Ev>(client(s.wsUrl, d.key), EVENTS, { after: 'yesterday' });
    await sub.until(() => sub.errors.length > 0);
    expect((sub.errors[0] as { extensions?: { code?: string } }).extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('profileUpdated', () => {
  const Q = `subscription($id: ID!) { profileUpdated(id: $id) { id lastName version contacts { totalCount } history(first: 1) { nodes { action } } } }`;
  type P = { profileUpdated: { id: string; lastName: string | null; version: number; contacts: { totalCount: number }; history: { nodes: { action: string }[] } } };

  it('emits the fresh profile on every change to it or its objects, then completes on deletion', async () => {
    const d = await s.createDomain();
    const p = await createProfile(d.key, { firstName: 'Live', phoneNumber: '+15557654321' });
    const sub = listen<P>(client(s.wsUrl, d.key), Q, { id: p });
    await sleep(300); // let the subscription start before writing ("from now" semantics)
    // Each emission is the state when the event is processed (fresh, not the event's snapshot), so
    // wait for each before the next write to see every intermediate state.
    await updateProfile(d.key, p, { lastName: 'One' });
    await sub.until(() => sub.received.length >= 1);
    await updateProfile(d.key, p, { lastName: 'Two' });
    await sub.until(() => sub.received.length >= 2);
    const c = await post(
      s.url,
      `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`,
      { input: { contactId: 'c-1', profileId: p, channel: 'VOICE', initiatedAt: '2026-01-01T10:00:00Z' } },
      d.key,
    );
    expect(c.errors).toBeUndefined();
    await sub.until(() => sub.received.length >= 3);
    expect(sub.received.map((r) => [r.profileUpdated.lastName, r.profileUpdated.version, r.profileUpdated.contacts.totalCount, r.profileUpdated.history.nodes[0]!.action])).toEqual([
      ['One', 2, 0, 'UPDATED'],
      ['Two', 3, 0, 'UPDATED'],
      ['Two', 3, 1, 'INGESTED'],
    ]);
    const del = await post(s.url, `mutation($id: ID!) { deleteProfile(id: $id) { deleted } }`, { id: p }, d.key);
    expect(del.errors).toBeUndefined();
    await sub.until(() => sub.completed);
    expect(sub.received).toHaveLength(3);
    expect(sub.errors).toEqual([]);
  });

  it('an unknown profile is NOT_FOUND', async () => {
    const d = await s.createDomain();
    const sub = listen<P>(client(s.wsUrl, d.key), Q, { id: '00000000-0000-4000-8000-000000000000' });
    await sub.until(() => sub.errors.length > 0);
    expect((sub.errors[0] as { extensions?: { code?: string } }).extensions?.code).toBe('NOT_FOUND');
  });
});

describe('ending a subscription frees it', () => {
  it('on complete from the client, on disconnect, and when profileUpdated ends with the deletion', async () => {
    const hub = s.app.services.notifier as EventHub;
    expect(hub).toBeInstanceOf(EventHub);
    const base = hub.stats().subscribers; // earlier tests' clients are still connected
    const d = await s.createDomain();
    const completed = listen(client(s.wsUrl, d.key), EVENTS, {});
    await completed.until(() => hub.stats().subscribers === base + 1);
    completed.stop();
    await completed.until(() => hub.stats().subscribers === base);

    const dropped = client(s.wsUrl, d.key);
    const sub = listen(dropped, EVENTS, {});
    await sub.until(() => hub.stats().subscribers === base + 1);
    await dropped.dispose();
    await sub.until(() => hub.stats().subscribers === base);

    const p = await createProfile(d.key, { firstName: 'Gone' });
    const live = listen(client(s.wsUrl, d.key), `subscription($id: ID!) { profileUpdated(id: $id) { id } }`, { id: p });
    await live.until(() => hub.stats().subscribers === base + 1);
    const del = await post(s.url, `mutation($id: ID!) { deleteProfile(id: $id) { deleted } }`, { id: p }, d.key);
    expect(del.errors).toBeUndefined();
    await live.until(() => live.completed && hub.stats().subscribers === base);
  });
});

describe('subscription auth', () => {
  async function closeOf(key: string | undefined): Promise<Closed> {
    let closed: Closed | null = null;
    const sub = listen(client(s.wsUrl, key, (c) => (closed = c)), EVENTS, {});
    await sub.until(() => closed !== null);
    return closed!;
  }
  it('missing key → 4401, invalid key → 4401, admin token → 4403', async () => {
    expect(await closeOf(undefined)).toMatchObject({ code: 4401, reason: expect.stringMatching(/Missing API key/) });
    expect(await closeOf('pgk_not-a-real-key')).toMatchObject({ code: 4401, reason: expect.stringMatching(/Invalid/) });
    expect(await closeOf(ADMIN_TOKEN)).toMatchObject({ code: 4403, reason: expect.stringMatching(/domain API key/) });
  });
});

describe('Profile.history', () => {
  const H = `query($id: ID!, $after: String) { profile(id: $id) { history(first: 2, after: $after) {
    nodes { id action eventType objectType actor changes { field before after } occurredAt } pageInfo { hasNextPage endCursor } } } }`;

  it('lists records newest first with actor and changed fields, cursor paginated', async () => {
    const d = await s.createDomain();
    const p = await createProfile(d.key, { firstName: 'Hist' });
    await updateProfile(d.key, p, { lastName: 'A' });
    await post(
      s.url,
      `mutation($input: RecordContactInput!) { recordContact(input: $input) { contact { id } } }`,
      { input: { contactId: 'h-1', profileId: p, channel: 'CHAT', initiatedAt: '2026-01-01T10:00:00Z' } },
      d.key,
    );
    const page1 = await post<any>(s.url, H, { id: p }, d.key);
    expect(page1.errors).toBeUndefined();
    const h1 = page1.data.profile.history;
    expect(h1.nodes.map((n: any) => [n.id, n.action, n.eventType])).toEqual([
      ['3', 'INGESTED', 'CONTACT_RECORDED'],
      ['2', 'UPDATED', 'PROFILE_UPDATED'],
    ]);
    expect(h1.nodes[1].changes).toEqual([{ field: 'lastName', before: null, after: '"A"' }]);
    expect(h1.nodes[0].actor).toMatch(/^[0-9a-f-]{36}$/);
    expect(h1.pageInfo.hasNextPage).toBe(true);
    const page2 = await post<any>(s.url, H, { id: p, after: h1.pageInfo.endCursor }, d.key);
    const h2 = page2.data.profile.history;
    expect(h2.nodes.map((n: any) => [n.id, n.action])).toEqual([['1', 'CREATED']]);
    expect(h2.nodes[0].changes).toEqual(expect.arrayContaining([{ field: 'firstName', before: null, after: '"Hist"' }]));
    expect(h2.pageInfo.hasNextPage).toBe(false);
  });

  it('is batched: one statement for the history of a whole page of profiles', async () => {
    const d = await s.createDomain();
    const q = `{ profiles(first: 50) { nodes { id history(first: 3) { nodes { action } } } } }`;
    await createProfile(d.key, { firstName: 'B0' });
    const one = await post<any>(s.url, q, {}, d.key);
    for (let i = 1; i < 8; i++) await createProfile(d.key, { firstName: `B${i}` });
    const many = await post<any>(s.url, q, {}, d.key);
    expect(many.data.profiles.nodes).toHaveLength(8);
    expect(many.data.profiles.nodes.every((n: any) => n.history.nodes[0].action === 'CREATED')).toBe(true);
    expect(many.extensions?.diagnostics?.sqlStatements).toBe(one.extensions?.diagnostics?.sqlStatements);
  });
});

describe('slow consumers', () => {
  it('closes a subscriber that stops reading with 4413 and a reason naming `after`, freeing it', async () => {
    const tdb = await createTestDatabase();
    const database = await tdb.open();
    const hub = await startEventHub(database, new InProcessWakeupBus(), { bufferSize: 50 });
    const app: App = await startApp(testConfig(), { database, notifier: hub, logger: createLogger('silent') });
    try {
      const created = await post<any>(app.url, `mutation { createDomain(input: { name: "slow" }) { apiKey } }`, {}, ADMIN_TOKEN);
      const apiKey: string = created.data.createDomain.apiKey;
      const [domain] = await database.db.select({ id: domains.id }).from(domains).where(eq(domains.name, 'slow'));
      let closed: Closed | null = null;
      let socket: WebSocket | null = null;
      const sub = listen(client(app.wsUrl, apiKey, (c) => (closed = c), (ws) => (socket = ws)), `subscription { profileEvents { id changes { after } } }`);
      await sub.until(() => hub.stats().subscribers === 1);
      socket!.pause(); // the client stops reading; the server's socket buffer fills, then ours
      const big = 'x'.repeat(20_000);
      for (let round = 0; round < 10 && hub.stats().subscribers > 0; round++) {
        await database.db.transaction(async (tx) => {
          const last = await appendEvents(tx, domain!.id, null, Array.from({ length: 200 }, () => ({ type: 'PROFILE_UPDATED' as const, profileId: null, changes: { note: { before: null, after: big } } })));
          queueMicrotask(() => hub.committed(domain!.id, last));
        });
        await sleep(100);
      }
      await sub.until(() => hub.stats().subscribers === 0, 15_000);
      socket!.resume();
      await sub.until(() => closed !== null, 15_000);
      expect(closed).toMatchObject({ code: 4413, reason: expect.stringMatching(/after/) });
    } finally {
      await app.close();
      await hub.close();
      await database.close();
      await tdb.drop();
    }
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two gateway instances on one Postgres', () => {
  it('a mutation on instance A reaches subscribers on instance B, in order, once', async () => {
    const peer = await s.startPeer();
    const d = await s.createDomain();
    const onB = listen<Ev>(client(peer.wsUrl, d.key), EVENTS, { after: '0' });
    const onBprofile = await createProfile(d.key, { firstName: 'Across' }); // written through A
    const live = listen<{ profileUpdated: { lastName: string } }>(client(peer.wsUrl, d.key), `subscription($id: ID!) { profileUpdated(id: $id) { lastName } }`, { id: onBprofile });
    await sleep(300);
    for (let i = 0; i < 5; i++) await updateProfile(d.key, onBprofile, { lastName: `n${i}` });
    await onB.until(() => onB.received.length >= 6);
    await live.until(() => live.received.length >= 5);
    await sleep(300);
    expect(idsOf(onB.received)).toEqual([1, 2, 3, 4, 5, 6]);
    // profileUpdated sends the profile as it is when each event is processed: under load two quick
    // changes can both show the later state, but states never go backwards and the last is the newest.
    const states = live.received.map((r) => Number(r.profileUpdated.lastName.slice(1)));
    expect(states).toHaveLength(5);
    expect([...states].sort((x, y) => x - y)).toEqual(states);
    expect(states.at(-1)).toBe(4);
  });
});
