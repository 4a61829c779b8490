/**
 * Subscription fan-out: subscribers of one domain with the same document, operation and variables
 * get each event executed once for all of them; other variables, documents or domains are other
 * groups, and every subscriber still gets exactly its own answers.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
const clients: Client[] = [];
afterAll(async () => {
  for (const c of clients) await c.dispose();
  await s?.close();
});
beforeAll(async () => {
  s = await startTestServer();
});

function subscribe(key: string, query: string, variables: Record<string, unknown> = {}) {
  const c = createClient({ url: s.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: key }, retryAttempts: 0, lazy: true });
  clients.push(c);
  const got: any[] = [];
  c.subscribe({ query, variables }, { next: (r) => got.push(r), error: (e) => got.push({ error: e }), complete: () => {} });
  return got;
}
async function until(ok: () => boolean, what: string) {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(ok(), what).toBe(true);
}

describe('fan-out by subscription group', () => {
  it('executes each event once per (domain, document, variables) group, and answers every subscriber its own', async () => {
    const a = await s.createDomain();
    const b = await s.createDomain();
    const created = await s.gql(`mutation { createProfile(input: { firstName: "Ann" }) { id } }`, {}, a.key);
    const id = created.data!.createProfile.id as string;
    const UPDATED = `subscription($id: ID!) { profileUpdated(id: $id) { id firstName version } }`;
    const EVENTS = `subscription($types: [EventType!]) { profileEvents(types: $types) { id type profileId } }`;
    const same = Array.from({ length: 5 }, () => subscribe(a.key, UPDATED, { id }));
    const typed = Array.from({ length: 3 }, () => subscribe(a.key, EVENTS, { types: ['PROFILE_UPDATED'] }));
    const all = subscribe(a.key, EVENTS, {});
    const other = subscribe(b.key, EVENTS, { types: ['PROFILE_UPDATED'] });
    await until(() => s.app.services.reads !== undefined, 'app up');
    // Let the nine subscriptions register, then write three updates.
    await new Promise((r) => setTimeout(r, 500));
    const before = { ...s.app.fanOut };
    for (const name of ['Bea', 'Cid', 'Dee']) {
      const r = await s.gql(`mutation($id: ID!, $n: String!) { updateProfile(id: $id, input: { firstName: $n }) { id } }`, { id, n: name }, a.key);
      expect(r.errors).toBeUndefined();
    }
    await until(() => same.every((g) => g.length === 3) && typed.every((g) => g.length === 3) && all.length === 3, 'every delivery');
    for (const g of same) expect(g.map((r) => r.data.profileUpdated.firstName)).toEqual(['Bea', 'Cid', 'Dee']);
    for (const g of typed) expect(g.map((r) => r.data.profileEvents.type)).toEqual(['PROFILE_UPDATED', 'PROFILE_UPDATED', 'PROFILE_UPDATED']);
    expect(all.map((r) => r.data.profileEvents.profileId)).toEqual([id, id, id]);
    expect(other).toEqual([]); // another domain's subscriber hears nothing
    const deliveries = s.app.fanOut.deliveries - before.deliveries;
    const executions = s.app.fanOut.executions - before.executions;
    expect(deliveries).toBe(3 * (5 + 3 + 1));
    // Three groups (profileUpdated×5, typed events×3, all events×1): three executions per event.
    expect(executions).toBe(3 * 3);
  });
});
