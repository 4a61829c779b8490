/**
 * Hostile input through every public transport (raw TCP, HTTP, graphql-ws): nothing a client sends
 * crashes or stalls the gateway, every guard applies on both transports, and a key revoked (or a
 * domain deleted) while a socket is open stops working on it.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { raw } from './helpers/raw.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestServer, type GqlResult, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;
const clients: Client[] = [];

beforeAll(async () => {
  s = await startTestServer();
  ({ key } = await s.createDomain());
});
afterAll(async () => {
  for (const c of clients) await Promise.resolve(c.dispose()).catch(() => {});
  await s?.close();
});


async function alive(): Promise<void> {
  const res = await fetch(s.url.replace('/graphql', '/healthz'));
  expect(res.status).toBe(200);
}

interface Closed {
  code: number;
  reason: string;
}

function wsClient(k: string | undefined, onClosed?: (c: Closed) => void): Client {
  const c = createClient({
    url: s.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: k ? { authorization: k } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (e) => onClosed?.({ code: (e as Closed).code, reason: String((e as Closed).reason) }) },
  });
  clients.push(c);
  return c;
}

/** Runs one operation over graphql-ws and resolves with its result (errors as a result, not a throw). */
function wsRun(c: Client, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  return new Promise((resolve) => {
    let result: GqlResult = {};
    c.subscribe(
      { query, variables },
      {
        next: (r) => (result = r as GqlResult),
        error: (e) => resolve(Array.isArray(e) ? { errors: e } : { errors: [{ message: String((e as Error)?.message ?? e), extensions: { code: 'SOCKET', detail: e } }] }),
        complete: () => resolve(result),
      },
    );
  });
}

const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;

/** `depth` chained fragments, each spreading the next twice: 2^depth paths, a handful of fields. */
function chainedFragments(depth: number, leaf = 'id firstName'): { fragments: string; first: string } {
  let fragments = '';
  for (let i = 0; i < depth; i++) fragments += `fragment F${i} on Profile { ${leaf} ${i + 1 < depth ? `...F${i + 1} ...F${i + 1}` : ''} }\n`;
  return { fragments, first: 'F0' };
}

describe('raw HTTP', () => {
  it('answers malformed request targets with 400 and keeps serving', async () => {
    for (const target of ['//:99999', 'http://[', '//', '*', 'http://localhost:99999/graphql']) {
      const out = await raw(s.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(out, target).toMatch(/^HTTP\/1\.1 400/);
      await alive();
    }
    const garbage = await raw(s.url, 'NOT-HTTP\u0000\u0001\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400/);
    await alive();
  });

  it('refuses bodies over the limit with 413 before reading them, and bad JSON with 400', async () => {
    const big = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(6 * 1024 * 1024) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as GqlResult).errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    const bad = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as GqlResult).errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    await alive();
  });

  it('refuses documents too large or too deeply nested to parse, with a code and no internals', async () => {
    const deep = `{ ${'profiles { nodes { '.repeat(3000)}id${' } }'.repeat(3000)} }`;
    const r = await s.gql(deep, {}, key);
    expect(codeOf(r)).toBe('LIMIT_EXCEEDED');
    expect(r.errors?.[0]?.message).not.toMatch(/stack/i);
    const list = await s.gql(`{ searchProfiles(key: "_phone", values: ${'['.repeat(5000)}${']'.repeat(5000)}) { nodes { id } } }`, {}, key);
    expect(codeOf(list)).toBe('LIMIT_EXCEEDED');
    const tokens = await s.gql(`{ health ${'__typename '.repeat(6000)} }`, {}, key);
    expect(codeOf(tokens)).toBe('LIMIT_EXCEEDED');
    expect(tokens.errors?.[0]?.message).toMatch(/tokens/);
    // A GET with the same document is checked the same way.
    const deepish = `{ ${'profiles { nodes { '.repeat(120)}id${' } }'.repeat(120)} }`;
    const get = await fetch(`${s.url}?query=${encodeURIComponent(deepish)}`, { headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': '1', accept: 'application/graphql-response+json' } });
    expect(get.status).toBe(400);
    expect(((await get.json()) as GqlResult).errors?.[0]?.extensions?.code).toBe('LIMIT_EXCEEDED');
    await alive();
  });
});

describe('operation selection', () => {
  it('answers an unknown or empty operationName with OPERATION_RESOLUTION_FAILURE, not a 500', async () => {
    for (const operationName of ['', 'Nope', 'a\ud800b']) {
      const res = await fetch(s.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ profiles(first: 1) { nodes { id } } }', operationName }),
      });
      // A request error: 200 under legacy application/json (GraphQL over HTTP), 400 under the new type.
      expect(res.status).toBe(200);
      expect(((await res.json()) as GqlResult).errors?.[0]?.extensions?.code).toBe('OPERATION_RESOLUTION_FAILURE');
    }
  });
});

describe('query guards on every transport', () => {
  it('walks chained fragments once: 24 levels of doubled spreads cost nothing, with or without a key', async () => {
    const { fragments } = chainedFragments(24);
    const doc = `query { profiles(first: 5) { nodes { ...F0 } } }\n${fragments}`;
    const anonymous = await s.gql(doc);
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    const withKey = await s.gql(doc, {}, key);
    expect(withKey.errors).toBeUndefined();
    expect(Array.isArray(withKey.data?.profiles.nodes)).toBe(true);
    // Nested under a relation the planner looks ahead into (contacts of each profile).
    let cf = '';
    for (let i = 0; i < 24; i++) cf += `fragment C${i} on Contact { id channel ${i + 1 < 24 ? `...C${i + 1} ...C${i + 1}` : ''} }\n`;
    const nested = await s.gql(`{ profiles(first: 5) { nodes { id contacts(first: 3) { nodes { ...C0 } } } } }\n${cf}`, {}, key);
    expect(nested.errors).toBeUndefined();
    const c = wsClient(key);
    const overWs = await wsRun(c, doc);
    expect(overWs.errors).toBeUndefined();
    await alive();
  });

  it('stops at the cost limit when fragments fan out into distinct relations', async () => {
    // Each level spreads the next under two relations: the merged tree really grows 200× per level.
    const levels = Array.from({ length: 18 }, (_, i) =>
      `fragment X${i} on Profile { id ${i + 1 < 18 ? `contacts(first: 100) { nodes { profile { ...X${i + 1} } } } cases(first: 100) { nodes { profile { ...X${i + 1} } } }` : ''} }`,
    );
    const r = await s.gql(`{ profiles(first: 100) { nodes { ...X0 } } }\n${levels.join('\n')}`, {}, key);
    expect(codeOf(r)).toBe('LIMIT_EXCEEDED');
    await alive();
  });

  it('applies depth, alias and cost limits over graphql-ws to queries, mutations and subscriptions', async () => {
    const c = wsClient(key);
    const aliases = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: health`).join(' ')} }`;
    expect(codeOf(await wsRun(c, aliases))).toBe('LIMIT_EXCEEDED');
    const deep = `{ profiles { nodes { contacts { nodes { profile { contacts { nodes { profile { contacts { nodes { profile { contacts { nodes { profile { id } } } } } } } } } } } } } } }`;
    const d = await wsRun(c, deep);
    expect(codeOf(d)).toBe('LIMIT_EXCEEDED');
    expect(d.errors?.[0]?.message).toMatch(/depth 15 exceeds the limit of 12/);
    const mutationAliases = `mutation { ${Array.from({ length: 40 }, (_, i) => `m${i}: createProfile(input: { firstName: "x${i}" }) { id }`).join(' ')} }`;
    expect(codeOf(await wsRun(c, mutationAliases))).toBe('LIMIT_EXCEEDED');
    // Nothing of the refused mutation was written.
    const count = await s.gql(`{ searchProfiles(key: "_fullName", values: ["x1"]) { nodes { id } } }`, {}, key);
    expect(count.data?.searchProfiles.nodes).toHaveLength(0);
    const costlySub = `subscription { profileUpdated(id: "00000000-0000-0000-0000-000000000000") { contacts(first: 100) { nodes { profile { contacts(first: 100) { nodes { profile { contacts(first: 100) { nodes { id } } } } } } } } } }`;
    expect(codeOf(await wsRun(c, costlySub))).toBe('LIMIT_EXCEEDED');
  });

  it('counts page sizes from variables and their defaults, on HTTP and graphql-ws', async () => {
    const q = `query($n: Int = 100) { profiles(first: $n) { nodes { contacts(first: $n) { nodes { id channel queue } } } } }`;
    expect(codeOf(await s.gql(q, {}, key))).toBe('LIMIT_EXCEEDED');
    expect(codeOf(await s.gql(q, { n: 100 }, key))).toBe('LIMIT_EXCEEDED');
    const small = await s.gql(q, { n: 5 }, key);
    expect(small.errors).toBeUndefined();
    const c = wsClient(key);
    expect(codeOf(await wsRun(c, q))).toBe('LIMIT_EXCEEDED');
  });

  it('reports parse and validation errors over graphql-ws with their codes, not INTERNAL_SERVER_ERROR', async () => {
    const c = wsClient(key);
    expect(codeOf(await wsRun(c, '{ profiles { nodes { nope } } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf(await wsRun(c, '{ profiles { '))).toBe('GRAPHQL_PARSE_FAILED');
    expect(codeOf(await wsRun(c, 'query A { health } query B { health }'))).toBe('BAD_USER_INPUT');
    const ok = await wsRun(c, '{ health }');
    expect(ok.data).toEqual({ health: 'ok' });
  });
});

describe('input sanitation', () => {
  it('refuses NUL, lone surrogates and over-deep JSON in any argument with BAD_USER_INPUT naming the field, on both transports', async () => {
    const create = `mutation($input: ProfileInput!) { createProfile(input: $input) { id } }`;
    const nul = await s.gql(create, { input: { firstName: 'a\u0000b' } }, key);
    expect(codeOf(nul)).toBe('BAD_USER_INPUT');
    expect(nul.errors?.[0]?.extensions?.field).toBe('$input.firstName');
    expect(nul.errors?.[0]?.message).toMatch(/NUL/);
    const surrogate = await s.gql(create, { input: { lastName: 'x\ud800y' } }, key);
    expect(codeOf(surrogate)).toBe('BAD_USER_INPUT');
    expect(surrogate.errors?.[0]?.message).toMatch(/surrogate/);
    const literal = await s.gql(`mutation { createProfile(input: { firstName: "a\\u0000b" }) { id } }`, {}, key);
    expect(codeOf(literal)).toBe('BAD_USER_INPUT');
    const search = await s.gql(`query($v: [String!]!) { searchProfiles(key: "_email", values: $v) { nodes { id } } }`, { v: ['a\u0000@x.com'] }, key);
    expect(codeOf(search)).toBe('BAD_USER_INPUT');
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    const obj = await s.gql(`mutation($o: JSONObject!) { putProfileObject(objectType: "_nope", object: $o) { outcome } }`, { o: deep }, key);
    expect(codeOf(obj)).toBe('BAD_USER_INPUT');
    expect(obj.errors?.[0]?.message).toMatch(/nested deeper/);
    const long = await s.gql(`mutation($o: JSONObject!) { putProfileObject(objectType: "_nope", object: $o) { outcome } }`, { o: { note: 'x'.repeat(300_000) } }, key);
    expect(codeOf(long)).toBe('BAD_USER_INPUT');
    expect(long.errors?.[0]?.message).toMatch(/\$o\.note is 300000 characters long; at most 262144/);
    const keyName = await s.gql(`mutation($o: JSONObject!) { putProfileObject(objectType: "_nope", object: $o) { outcome } }`, { o: { ['k\u0000']: 1 } }, key);
    expect(codeOf(keyName)).toBe('BAD_USER_INPUT');
    const c = wsClient(key);
    const overWs = await wsRun(c, create, { input: { firstName: 'a\u0000b' } });
    expect(codeOf(overWs)).toBe('BAD_USER_INPUT');
    // Nothing was written by any refused operation.
    const all = await s.gql(`{ profiles(first: 100) { nodes { firstName lastName } } }`, {}, key);
    expect(all.data?.profiles.nodes.filter((p: { firstName: string | null }) => p.firstName === 'a\u0000b' || p.firstName === 'ab')).toHaveLength(0);
  });

  it('parses long object-type field sources in linear time and refuses over-long ones', async () => {
    const put = `mutation($input: PutObjectTypeInput!) { putObjectType(input: $input) { name } }`;
    const field = (source: string) => ({ name: 'T1', fields: [{ name: 'id', source, contentType: 'STRING' }], keys: [{ name: 't1', identifiers: ['UNIQUE'], fieldNames: ['id'] }] });
    // Before: a 64k-character template-looking source took seconds of CPU each.
    for (let i = 0; i < 10; i++) {
      const r = await s.gql(put, { input: field(`{{_source.a${' '.repeat(64_000)}x`) }, key);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
    }
    const tricky = await s.gql(put, { input: field(`{{_source.a${' \t'.repeat(400)}x`) }, key);
    expect(codeOf(tricky)).toBe('BAD_USER_INPUT');
    const ok = await s.gql(put, { input: field('{{ _source.first }} {{_source.last}}') }, key);
    expect(ok.errors).toBeUndefined();
  });
});

describe('graphql-ws limits', () => {
  it('closes a socket that sends a message over the body limit (1009) and keeps serving', async () => {
    const closed = await new Promise<number>((resolve) => {
      const sock = new WebSocket(s.wsUrl, 'graphql-transport-ws');
      sock.on('open', () => {
        sock.send(JSON.stringify({ type: 'connection_init', payload: { authorization: key } }));
        sock.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `{ health }`, variables: { x: 'y'.repeat(8 * 1024 * 1024) } } }));
      });
      sock.on('close', (code) => resolve(code));
      sock.on('error', () => {});
    });
    expect(closed).toBe(1009);
    await alive();
  });

  it('caps operations per socket and subscriptions per domain, and frees a slot when one ends', async () => {
    const capped = await startTestServer({ maxSubscriptionsPerSocket: 3, maxSubscriptionsPerDomain: 4 });
    try {
      const { key: k } = await capped.createDomain();
      const mk = () => {
        const c = createClient({ url: capped.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: k }, retryAttempts: 0, lazy: true });
        clients.push(c);
        return c;
      };
      const open = (c: Client) => {
        const errs: GqlResult[] = [];
        const stop = c.subscribe({ query: 'subscription { profileEvents { id } }' }, { next: (r) => errs.push(r as GqlResult), error: (e) => errs.push({ errors: e as never }), complete: () => {} });
        return { stop, errs };
      };
      const a = mk();
      const subs = [open(a), open(a), open(a)];
      const fourth = await wsRun(a, 'subscription { profileEvents { id } }');
      expect(codeOf(fourth)).toBe('LIMIT_EXCEEDED');
      const hub = capped.app.services.notifier as unknown as { stats(): { subscribers: number } };
      const subscribers = async (n: number) => {
        for (let i = 0; i < 400 && hub.stats().subscribers !== n; i++) await new Promise((r) => setTimeout(r, 25));
        expect(hub.stats().subscribers).toBe(n);
      };
      await subscribers(3);
      const b = mk();
      const subsB = [open(b)];
      await subscribers(4);
      // The domain now holds 4: the next one on any socket is refused.
      const over = await wsRun(b, 'subscription { profileEvents { id } }');
      expect(codeOf(over)).toBe('LIMIT_EXCEEDED');
      expect(over.errors?.[0]?.message).toMatch(/domain/);
      // End one: a new subscription fits again (it receives an event).
      subs[0]!.stop();
      await subscribers(3);
      const again = open(b);
      await subscribers(4);
      const created = await capped.gql(`mutation { createProfile(input: { firstName: "Cap" }) { id } }`, {}, k);
      expect(created.errors).toBeUndefined();
      for (let i = 0; i < 200 && again.errs.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(again.errs[0]?.errors).toBeUndefined();
      expect(again.errs[0]?.data?.profileEvents.id).toBeTruthy();
      for (const x of [...subs, ...subsB, again]) x.stop();
    } finally {
      await capped.close();
    }
  });
});

describe('socket auth lifecycle', () => {
  async function keyWithId(domain: string): Promise<{ secret: string; id: string }> {
    const r = await s.gql<{ createApiKey: { apiKey: string; apiKeyInfo: { id: string } } }>(
      `mutation($d: String!) { createApiKey(domain: $d, name: "ws") { apiKey apiKeyInfo { id } } }`,
      { d: domain },
      ADMIN_TOKEN,
    );
    return { secret: r.data!.createApiKey.apiKey, id: r.data!.createApiKey.apiKeyInfo.id };
  }

  it('closes the socket of a revoked key (4401), ends its subscriptions, and refuses further operations', async () => {
    const { name } = await s.createDomain();
    const k = await keyWithId(name);
    let closed: Closed | null = null;
    const c = wsClient(k.secret, (e) => (closed = e));
    let ended = false;
    const events: unknown[] = [];
    // The live subscription also keeps the (lazy) client's socket open.
    c.subscribe({ query: 'subscription { profileEvents { id } }' }, { next: (r) => events.push(r), error: () => (ended = true), complete: () => (ended = true) });
    const ok = await wsRun(c, '{ currentDomain { name } }');
    expect(ok.data?.currentDomain.name).toBe(name);
    const revoked = await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: k.id }, ADMIN_TOKEN);
    expect(revoked.data?.revokeApiKey.revokedAt).toBeTruthy();
    for (let i = 0; i < 400 && !closed; i++) await new Promise((r) => setTimeout(r, 25));
    expect(closed).not.toBeNull();
    expect(closed!.code).toBe(4401);
    expect(ended).toBe(true);
    expect(events).toHaveLength(0);
    // A new socket with the revoked key is refused at connect.
    let again: Closed | null = null;
    const c2 = wsClient(k.secret, (e) => (again = e));
    const refused = await wsRun(c2, '{ currentDomain { name } }');
    expect(refused.data).toBeUndefined();
    expect((again as Closed | null)?.code).toBe(4401);
  });

  it('closes the sockets of a deleted domain', async () => {
    const { name, key: k } = await s.createDomain();
    let closed: Closed | null = null;
    const c = wsClient(k, (e) => (closed = e));
    // A live subscription keeps the (lazy) client's socket open.
    c.subscribe({ query: 'subscription { profileEvents { id } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    expect((await wsRun(c, '{ currentDomain { name } }')).data?.currentDomain.name).toBe(name);
    const del = await s.gql(`mutation($n: String!) { deleteDomain(name: $n) }`, { n: name }, ADMIN_TOKEN);
    expect(del.data?.deleteDomain).toBe(true);
    for (let i = 0; i < 400 && !closed; i++) await new Promise((r) => setTimeout(r, 25));
    expect(closed!.code).toBe(4401);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('closes a socket on another replica within the key cache window', async () => {
    const peer = await s.startPeer({ keyCacheSeconds: 1 });
    const { name } = await s.createDomain();
    const k = await keyWithId(name);
    let closed: Closed | null = null;
    const c = createClient({ url: peer.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: k.secret }, retryAttempts: 0, lazy: true, on: { closed: (e) => (closed = e as Closed) } });
    clients.push(c);
    c.subscribe({ query: 'subscription { profileEvents { id } }' }, { next: () => {}, error: () => {}, complete: () => {} });
    expect((await wsRun(c, '{ currentDomain { name } }')).data?.currentDomain.name).toBe(name);
    await s.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: k.id }, ADMIN_TOKEN);
    for (let i = 0; i < 400 && !closed; i++) await new Promise((r) => setTimeout(r, 25));
    expect((closed as Closed | null)?.code).toBe(4401);
  });
});
