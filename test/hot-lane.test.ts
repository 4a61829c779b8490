/**
 * The hot lane (src/graphql/hot-lane.ts): a document the compiled read path has answered once is
 * served without Apollo's pipeline. Its answers must be Apollo's, byte for byte and header for
 * header, and every request it cannot answer plainly (bad key, guard, coercion, unknown operation,
 * negotiation, persisted-query mismatch) must get exactly Apollo's answer.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let quiet: TestServer; // diagnostics off, as in production: the bytes clients get
let keyA: string;
let domainA: string;
let keyB: string;
let quietKey: string;

const PHONE = `query Phone($phone: String!, $first: Int) { searchProfiles(key: "_phone", values: [$phone], first: $first) { nodes { id firstName birthDate updatedAt address { city } } pageInfo { hasNextPage endCursor } } }`;
const PAGE = `query Desk { profiles(first: 5) { edges { cursor node { firstName contacts(first: 3) { nodes { channel initiatedAt queue } } } } } }`;

interface Raw {
  status: number;
  type: string | null;
  text: string;
  json: any;
}

async function send(server: TestServer, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<Raw> {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type'), text, json };
}
const lane = (r: Raw) => r.json?.extensions?.diagnostics?.lane;
/** The response without the diagnostics (which name the lane). */
const sansDiagnostics = (r: Raw) => JSON.stringify({ ...r.json, extensions: undefined });

async function seed(server: TestServer, key: string, prefix: string) {
  for (let i = 0; i < 3; i++) {
    const r = await server.gql(
      `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`,
      { input: { firstName: `${prefix}${i}`, phoneNumber: '+14155550100', birthDate: '1990-01-0' + (i + 1), address: { city: 'Tōkyō "x" \\ \u2028' } } },
      key,
    );
    expect(r.errors).toBeUndefined();
    for (const j of [0, 1]) {
      const c = await server.gql(
        `mutation($p: ID!, $c: String!) { recordContact(input: { contactId: $c, profileId: $p, channel: VOICE, initiatedAt: "2026-01-01T00:00:00Z", queue: "待ち行列 \\u2028 \\" \\\\ é😀" }) { contact { id } } }`,
        { p: r.data!.createProfile.id, c: `${prefix}-c${i}-${j}` },
        key,
      );
      expect(c.errors).toBeUndefined();
    }
  }
}

beforeAll(async () => {
  s = await startTestServer();
  ({ key: keyA, name: domainA } = await s.createDomain());
  keyB = (await s.createDomain()).key;
  await seed(s, keyA, 'A');
  await seed(s, keyB, 'B');
  quiet = await startTestServer({ diagnostics: false });
  quietKey = (await quiet.createDomain()).key;
  await seed(quiet, quietKey, 'Q');
});
afterAll(async () => {
  await s?.close();
  await quiet?.close();
});

describe('the hot lane', () => {
  it('serves a document after Apollo answered it once, with the same bytes and headers', async () => {
    for (const [doc, vars] of [
      [PHONE, { phone: '+1 415 555 0100', first: 2 }],
      [PAGE, undefined],
    ] as const) {
      const first = await send(s, { query: doc, variables: vars }, keyA);
      const second = await send(s, { query: doc, variables: vars }, keyA);
      expect(first.json.errors).toBeUndefined();
      expect(lane(first)).toBe('apollo');
      expect(lane(second)).toBe('hot');
      expect(second.json.extensions.diagnostics.path).toBe('fast');
      expect(second.json.extensions.diagnostics.operationStatements).toBe(1);
      expect(sansDiagnostics(second)).toBe(sansDiagnostics(first));
      expect(second.status).toBe(first.status);
      expect(second.type).toBe(first.type);
    }
    // Diagnostics off (production): identical bytes, request after request.
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await send(quiet, { query: PHONE, variables: { phone: '+14155550100', first: 2 }, operationName: 'Phone' }, quietKey));
    expect(answers[0]!.json.data.searchProfiles.nodes).toHaveLength(2);
    for (const a of answers) {
      expect(a.text).toBe(answers[0]!.text);
      expect(a.type).toBe('application/json; charset=utf-8');
    }
    // A page with nested lists written as JSON by Postgres (non-ASCII, escapes, a surrogate pair).
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push(await send(quiet, { query: PAGE }, quietKey));
    expect(pages[0]!.text).toContain('待ち行列 \u2028 \\" \\\\ é😀');
    for (const p of pages) expect(p.text).toBe(pages[0]!.text);
  });

  it('negotiates the response type as Apollo does, and leaves other Accept headers to Apollo', async () => {
    for (const accept of ['application/graphql-response+json', 'application/graphql-response+json, application/json;q=0.9', 'application/json', '*/*']) {
      const viaApollo = await send(s, { query: `query A_${accept.length} { profiles(first: 1) { nodes { firstName } } }` }, keyA, { accept });
      const hot = await send(s, { query: `query A_${accept.length} { profiles(first: 1) { nodes { firstName } } }` }, keyA, { accept });
      expect(lane(hot)).toBe('hot');
      expect(hot.type).toBe(viaApollo.type);
      expect(sansDiagnostics(hot)).toBe(sansDiagnostics(viaApollo));
    }
    const accepted = await send(s, { query: PAGE }, keyA, { accept: 'application/graphql-response+json' });
    expect(accepted.type).toBe('application/graphql-response+json; charset=utf-8');
    const refused = await send(s, { query: PAGE }, keyA, { accept: 'image/png' });
    expect(lane(refused)).not.toBe('hot');
    expect(refused.status).toBe(406);
  });

  it('keeps domains apart: the same document with another key reads only that domain', async () => {
    await send(s, { query: PHONE, variables: { phone: '+14155550100' } }, keyA);
    const a = await send(s, { query: PHONE, variables: { phone: '+14155550100' } }, keyA);
    const b = await send(s, { query: PHONE, variables: { phone: '+14155550100' } }, keyB);
    expect(lane(a)).toBe('hot');
    expect(lane(b)).toBe('hot');
    expect(a.json.data.searchProfiles.nodes.map((n: any) => n.firstName).sort()).toEqual(['A0', 'A1', 'A2']);
    expect(b.json.data.searchProfiles.nodes.map((n: any) => n.firstName).sort()).toEqual(['B0', 'B1', 'B2']);
  });

  it('leaves every other outcome to Apollo, which answers as it always did', async () => {
    await send(s, { query: PHONE, variables: { phone: '+14155550100' } }, keyA); // known now
    const cases: { body: unknown; token?: string; code?: string; status?: number }[] = [
      { body: { query: PHONE, variables: { phone: '+14155550100' } }, code: 'UNAUTHENTICATED' },
      { body: { query: PHONE, variables: { phone: '+14155550100' } }, token: 'pgk_not_a_key', code: 'UNAUTHENTICATED' },
      { body: { query: PHONE, variables: { phone: '+14155550100' } }, token: ADMIN_TOKEN, code: 'FORBIDDEN' },
      { body: { query: PHONE, variables: { phone: 12 } }, token: keyA, code: 'BAD_USER_INPUT' },
      { body: { query: PHONE, variables: {} }, token: keyA, code: 'BAD_USER_INPUT' },
      { body: { query: PHONE, variables: { phone: 'a\u0000b' } }, token: keyA, code: 'BAD_USER_INPUT' },
      { body: { query: PHONE, variables: { phone: '+14155550100', first: 5000 } }, token: keyA, code: 'LIMIT_EXCEEDED' },
      { body: { query: PHONE, variables: [1] }, token: keyA, status: 400 },
      { body: { query: PHONE, variables: { phone: '+14155550100' }, operationName: 'Nope' }, token: keyA, code: 'OPERATION_RESOLUTION_FAILURE' },
      { body: { query: PHONE, variables: { phone: '+14155550100' }, operationName: 7 }, token: keyA, status: 400 },
      { body: { query: PHONE, variables: { phone: '+14155550100' }, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }, token: keyA, code: 'BAD_USER_INPUT' },
    ];
    for (const c of cases) {
      const r = await send(s, c.body, c.token);
      expect(lane(r), JSON.stringify(c.body)).not.toBe('hot');
      if (c.code) expect(r.json.errors?.[0]?.extensions?.code, JSON.stringify(c)).toBe(c.code);
      if (c.status) expect(r.status, JSON.stringify(c)).toBe(c.status);
      expect(r.json.errors?.length ?? 0, JSON.stringify(c)).toBeGreaterThan(0);
    }
    // A revoked key on a known document: refused at once (this instance forgets its cached keys).
    const made = await s.gql(`mutation($d: String!) { createApiKey(domain: $d, name: "soon revoked") { apiKey apiKeyInfo { id } } }`, { d: domainA }, ADMIN_TOKEN);
    const { apiKey, apiKeyInfo } = made.data!.createApiKey;
    expect(lane(await send(s, { query: PHONE, variables: { phone: '+14155550100' } }, apiKey))).toBe('hot');
    const revoked = await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: apiKeyInfo.id }, ADMIN_TOKEN);
    expect(revoked.errors).toBeUndefined();
    const after = await send(s, { query: PHONE, variables: { phone: '+14155550100' } }, apiKey);
    expect(after.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers an automatic persisted query by its hash, sent as the hash alone', async () => {
    const query = `query Apq($p: String!) { searchProfiles(key: "_phone", values: [$p]) { nodes { firstName } } }`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const miss = await send(s, { variables: { p: '+14155550100' }, extensions: { persistedQuery: { version: 1, sha256Hash } } }, keyA);
    expect(miss.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const register = await send(s, { query, variables: { p: '+14155550100' }, extensions: { persistedQuery: { version: 1, sha256Hash } } }, keyA);
    expect(register.json.data.searchProfiles.nodes).toHaveLength(3);
    const hit = await send(s, { variables: { p: '+14155550100' }, extensions: { persistedQuery: { version: 1, sha256Hash } } }, keyA);
    expect(lane(hit)).toBe('hot');
    expect(sansDiagnostics(hit)).toBe(sansDiagnostics(register));
  });

  it("never carries one request's variables into another's answer (compiled walks are cached per document)", async () => {
    const nested = `query($n: Int, $withContacts: Boolean!) { profiles(first: 3) { nodes { firstName contacts(first: $n) @include(if: $withContacts) { nodes { channel } } } } }`;
    const rootOnly = `query($first: Int) { profiles(first: $first) { nodes { firstName } } }`;
    for (let round = 0; round < 2; round++) {
      for (const n of [1, 0, 2]) {
        const r = await send(s, { query: nested, variables: { n, withContacts: n !== 0 } }, keyA);
        expect(r.json.errors, JSON.stringify(r.json)).toBeUndefined();
        // Answered by the compiled walk every time (a walk compiled for other variables would find
        // no prefetched page for these and step aside to graphql-js).
        expect(r.json.extensions.diagnostics.path).toBe('fast');
        for (const p of r.json.data.profiles.nodes) {
          if (n === 0) expect(p.contacts).toBeUndefined();
          else expect(p.contacts.nodes.length).toBe(n); // each seeded profile has two contacts
        }
      }
      for (const first of [1, 3, 2]) {
        const r = await send(s, { query: rootOnly, variables: { first } }, keyA);
        expect(r.json.data.profiles.nodes).toHaveLength(first);
        if (round === 1) expect(lane(r)).toBe('hot');
      }
    }
  });

  it('never serves a mutation or a subscription document', async () => {
    const m = `mutation { createProfile(input: { firstName: "M" }) { id } }`;
    const one = await send(s, { query: m }, keyA);
    const two = await send(s, { query: m }, keyA);
    expect(lane(one)).toBe('apollo');
    expect(lane(two)).toBe('apollo');
    expect(one.json.data.createProfile.id).not.toBe(two.json.data.createProfile.id);
  });
});
