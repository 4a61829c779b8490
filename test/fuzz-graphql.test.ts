/**
 * Seeded fuzzing of the GraphQL entry points: valid operations mutated at random (characters cut,
 * repeated or inserted, hostile tokens, NUL and lone surrogates, huge and nested variables, broken
 * JSON bodies) sent over HTTP and graphql-ws. Whatever arrives, the gateway answers with a client
 * error code — never a 5xx, never INTERNAL_SERVER_ERROR — and keeps serving. The seed is printed on
 * failure; FUZZ_SEED and FUZZ_CASES reproduce or widen a run.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/seed/prng.js';
import { startTestServer, type GqlResult, type TestServer } from './helpers/server.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const CASES = Number(process.env.FUZZ_CASES ?? 400);

let s: TestServer;
let key: string;
let profileId: string;

beforeAll(async () => {
  s = await startTestServer();
  ({ key } = await s.createDomain());
  const created = await s.gql(`mutation { createProfile(input: { firstName: "Fuzz", phoneNumber: "+12065551000", emailAddress: "f@example.com" }) { id } }`, {}, key);
  profileId = created.data!.createProfile.id;
  await s.gql(`mutation($p: ID!) { recordContact(input: { contactId: "c1", channel: VOICE, initiatedAt: "2026-01-01T00:00:00Z", profileId: $p }) { created } }`, { p: profileId }, key);
});
afterAll(async () => {
  await s?.close();
});

const CORPUS: { query: string; variables?: Record<string, unknown> }[] = [
  { query: `{ profiles(first: 10) { pageInfo { hasNextPage endCursor } nodes { id fullName contacts(first: 3) { nodes { channel initiatedAt } } cases(first: 2) { nodes { caseId } } orders(first: 2) { nodes { orderId totalPrice } } } } }` },
  { query: `query($v: [String!]!) { searchProfiles(key: "_phone", values: $v) { edges { matchedKeys node { id attribute(key: "tier") } } } }`, variables: { v: ['(206) 555-1000'] } },
  { query: `mutation($input: ProfileInput!) { createProfile(input: $input) { id version } }`, variables: { input: { firstName: 'A', lastName: 'B', emailAddress: 'a@b.co', attributes: [{ key: 'k', value: 'v' }] } } },
  { query: `mutation($id: ID!) { updateProfile(id: $id, input: { lastName: "X" }) { version } }`, variables: { id: '00000000-0000-0000-0000-000000000000' } },
  { query: `mutation($o: JSONObject!) { putProfileObject(objectType: "_order", object: $o) { outcome reason } }`, variables: { o: { orderId: 'O1', customerEmail: 'f@example.com', totalPrice: '1.00' } } },
  { query: `fragment P on Profile { id firstName ...Q } fragment Q on Profile { lastName } query { profiles(first: 2) { nodes { ...P } } }` },
  { query: `query($n: Int = 5, $a: String) { profiles(first: $n, after: $a) { edges { cursor node { id @include(if: true) firstName @skip(if: false) } } } }` },
  { query: `{ deadLetters(first: 5) { nodes { reason } } jobs(first: 3) { nodes { id status } } }` },
  { query: `mutation { importCsv(input: { objectType: "_nope", content: "a,b\\n1,2\\n" }) { counts { rows failed } } }` },
  { query: `{ __schema { queryType { name } } __type(name: "Profile") { fields { name } } }` },
];

const TOKENS = ['{', '}', '(', ')', '[', ']', '...', '...P', 'fragment', 'on', 'query', 'mutation', 'subscription', '$x', '@skip(if: $x)', '@include', ':', '=', '!', '"', '"""', '\\', '#', ',', '__typename', 'first: 100', 'first: -1', 'first: 9999999999', 'after: "x"', 'null', 'true', '0x1F', '1e999', '"\\u0000"', '"\\uD800"', '"\\u{1F600}"', '\u0000', '\uFFFF', 'ñ', '日本', '\n', '\t', ' '];

function fuzzValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (depth > 3 || r < 0.3) {
    const picks: unknown[] = ['', 'x'.repeat(Math.floor(rand() * 300)), '\u0000', 'a\ud800b', '\udfff', 1, -1, 0.5, 2 ** 53, 1e308, true, false, null, '2026-13-45', '+1 (555) 000', '=cmd|calc', '😀'.repeat(5)];
    return picks[Math.floor(rand() * picks.length)];
  }
  if (r < 0.5) return Array.from({ length: Math.floor(rand() * 5) }, () => fuzzValue(rand, depth + 1));
  if (r < 0.6) {
    // Very deep nesting, far past any limit.
    let v: unknown = 1;
    for (let i = 0; i < 200 + Math.floor(rand() * 2000); i++) v = rand() < 0.5 ? [v] : { a: v };
    return v;
  }
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(rand() * 5); i++) o[['k', 'firstName', 'orderId', '\u0000', 'a.b', '__proto__', 'constructor'][Math.floor(rand() * 7)]!] = fuzzValue(rand, depth + 1);
  return o;
}

function mutate(rand: () => number, base: { query: string; variables?: Record<string, unknown> }): { query: unknown; variables: unknown } {
  let q = base.query;
  // Some cases keep the document and fuzz only the variables, so execution paths are reached too.
  const edits = rand() < 0.4 ? 0 : 1 + Math.floor(rand() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (q.length + 1));
    const kind = rand();
    if (kind < 0.25) q = q.slice(0, at) + q.slice(at + 1 + Math.floor(rand() * 10));
    else if (kind < 0.5) q = q.slice(0, at) + TOKENS[Math.floor(rand() * TOKENS.length)] + q.slice(at);
    else if (kind < 0.6) {
      const len = 1 + Math.floor(rand() * 30);
      q = q.slice(0, at) + q.slice(at, at + len).repeat(2 + Math.floor(rand() * 50)) + q.slice(at + len);
    } else if (kind < 0.65) q = q.slice(0, at) + '{'.repeat(500 + Math.floor(rand() * 5000)) + q.slice(at);
    else if (kind < 0.7) q = q.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x10000)) + q.slice(at);
  }
  let variables: unknown = base.variables ?? {};
  const v = rand();
  if (v < 0.5) variables = { ...(base.variables ?? {}), [Object.keys(base.variables ?? { x: 1 })[0] ?? 'x']: fuzzValue(rand) };
  else if (v < 0.35) variables = fuzzValue(rand);
  const query = rand() < 0.03 ? fuzzValue(rand) : q;
  return { query, variables };
}

function internal(body: GqlResult | null): boolean {
  return !!body?.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
}

describe(`GraphQL fuzz (seed ${SEED})`, () => {
  it('never answers 5xx or INTERNAL_SERVER_ERROR over HTTP, and keeps serving', async () => {
    const rand = mulberry32(SEED);
    const failures: string[] = [];
    const seen = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const base = CORPUS[Math.floor(rand() * CORPUS.length)]!;
      const { query, variables } = mutate(rand, base);
      let body: string;
      const b = rand();
      if (b < 0.05) body = JSON.stringify({ query, variables }).slice(0, Math.floor(rand() * 100));
      else if (b < 0.08) body = JSON.stringify([{ query, variables }]);
      else if (b < 0.1) body = JSON.stringify({ query, variables, operationName: fuzzValue(rand), extensions: fuzzValue(rand) });
      else body = JSON.stringify({ query, variables });
      const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body });
      const text = await res.text();
      let parsed: GqlResult | null = null;
      try {
        parsed = JSON.parse(text) as GqlResult;
      } catch {
        parsed = null;
      }
      const outcome = parsed?.errors?.[0]?.extensions?.code ?? (parsed?.data ? 'DATA' : `HTTP_${res.status}`);
      seen.set(String(outcome), (seen.get(String(outcome)) ?? 0) + 1);
      if (res.status >= 500 || internal(parsed)) failures.push(`case ${i} (${res.status}): ${body.slice(0, 300)} → ${text.slice(0, 300)}`);
      expect(text).not.toMatch(/at \w+ \(.*\.ts:\d+|node_modules|postgres|drizzle/i);
    }
    expect(failures).toEqual([]);
    // The run reached every layer: answers with data, and refusals from the parser, the validator,
    // the limits and the input checks.
    for (const code of ['DATA', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'LIMIT_EXCEEDED', 'BAD_USER_INPUT']) {
      expect(seen.get(code) ?? 0, `${code} in ${JSON.stringify([...seen])}`).toBeGreaterThan(CASES / 100);
    }
    const health = await fetch(s.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    const still = await s.gql(`{ profiles(first: 1) { nodes { id } } }`, {}, key);
    expect(still.errors).toBeUndefined();
  }, 600_000);

  it('never answers INTERNAL_SERVER_ERROR over graphql-ws (raw protocol messages), and keeps serving', async () => {
    const rand = mulberry32(SEED + 1);
    const failures: string[] = [];
    let sock: WebSocket | null = null;
    let inbox: { type: string; id?: string; payload?: unknown }[] = [];
    let closedWith: number | null = null;
    let wake: (() => void) | null = null;
    const open = async () => {
      closedWith = null;
      inbox = [];
      const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws');
      ws.on('message', (d) => {
        inbox.push(JSON.parse(d.toString()));
        wake?.();
      });
      ws.on('close', (code) => {
        closedWith = code;
        wake?.();
      });
      ws.on('error', () => {});
      await new Promise<void>((resolve) => ws.on('open', () => resolve()));
      ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: key } }));
      await until(() => inbox.some((m) => m.type === 'connection_ack') || closedWith !== null);
      sock = ws;
    };
    const until = async (cond: () => boolean) => {
      while (!cond()) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    };
    await open();
    for (let i = 0; i < Math.ceil(CASES / 2); i++) {
      const base = CORPUS[Math.floor(rand() * CORPUS.length)]!;
      const { query, variables } = mutate(rand, base);
      const id = `op${i}`;
      const message = JSON.stringify({ id, type: 'subscribe', payload: { query, variables } });
      sock!.send(message);
      await until(() => closedWith !== null || inbox.some((m) => m.id === id && (m.type === 'complete' || m.type === 'error')));
      if (closedWith !== null) {
        // graphql-ws closes on a message that breaks the protocol (non-string query, …): 4400.
        if (closedWith !== 4400) failures.push(`case ${i}: socket closed ${closedWith} for ${message.slice(0, 200)}`);
        await open();
        continue;
      }
      for (const m of inbox.filter((x) => x.id === id)) {
        const errors = (m.type === 'error' ? m.payload : (m.payload as GqlResult | undefined)?.errors) as GqlResult['errors'];
        if (errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) failures.push(`case ${i}: ${message.slice(0, 300)} → ${JSON.stringify(m).slice(0, 300)}`);
      }
      inbox = inbox.filter((x) => x.id !== id);
    }
    sock!.close();
    expect(failures).toEqual([]);
    const health = await fetch(s.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
  }, 600_000);
});
