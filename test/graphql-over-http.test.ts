/**
 * GraphQL over HTTP (https://graphql.github.io/graphql-over-http/): graphql-http's own audit of the
 * gateway, every MUST and SHOULD passing, and the status codes and media types clients rely on.
 */
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let key: string;

beforeAll(async () => {
  s = await startTestServer({ diagnostics: false });
  key = (await s.createDomain()).key;
  const r = await s.gql(`mutation { createProfile(input: { firstName: "Ada" }) { id } }`, {}, key);
  expect(r.errors).toBeUndefined();
});
afterAll(async () => {
  await s?.close();
});

const auth = () => ({ authorization: `Bearer ${key}` });

describe('GraphQL over HTTP', () => {
  it("passes graphql-http's audit: every MUST and SHOULD", async () => {
    const results = await auditServer({
      url: s.url,
      fetchFn: (input: any, init: any) => fetch(input, { ...init, headers: { ...(init?.headers ?? {}), ...auth() } }),
    });
    const failing = [];
    for (const r of results) if (r.status === 'error' || r.status === 'warn') failing.push(`${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failing).toEqual([]);
    expect(results.filter((r) => r.status === 'ok').length).toBeGreaterThanOrEqual(58);
    // The MAYs left out are GETs a browser form could send cross-site (no preflight): refused by the
    // CSRF guard, on purpose.
    for (const r of results.filter((x) => x.status === 'notice')) expect('reason' in r ? r.reason : '').toMatch(/not 200/);
  }, 60_000);

  it('answers request errors 200 under application/json and 400 under application/graphql-response+json', async () => {
    for (const body of [{ query: '{' }, { query: '{ nope }' }, { query: 'query($n: Int!) { profiles(first: $n) { nodes { id } } }', variables: { n: 'x' } }, { query: '{ health }', operationName: 'Nope' }]) {
      const legacy = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: JSON.stringify(body) });
      expect(legacy.status, JSON.stringify(body)).toBe(200);
      expect(legacy.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await legacy.json()) as any).errors[0].extensions.code).toBeTruthy();
      const modern = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...auth() }, body: JSON.stringify(body) });
      expect(modern.status, JSON.stringify(body)).toBe(400);
      expect(modern.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    }
    // A document too large to parse is a request error too.
    const huge = { query: `{ health ${'__typename '.repeat(6000)} }` };
    const legacy = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: JSON.stringify(huge) });
    expect([legacy.status, ((await legacy.json()) as any).errors[0].extensions.code]).toEqual([200, 'LIMIT_EXCEEDED']);
    const modern = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...auth() }, body: JSON.stringify(huge) });
    expect([modern.status, modern.headers.get('content-type')]).toEqual([400, 'application/graphql-response+json; charset=utf-8']);
    // Malformed HTTP requests stay 400 whatever the client accepts.
    const badJson = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: '{"query":' });
    expect(badJson.status).toBe(400);
    const noQuery = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: '{}' });
    expect(noQuery.status).toBe(400);
  });

  it('serves queries over GET (with a CSRF preflight header) and never mutations', async () => {
    const q = encodeURIComponent('query Names { profiles(first: 5) { nodes { firstName } } }');
    const get = await fetch(`${s.url}?query=${q}`, { headers: { ...auth(), 'apollo-require-preflight': '1' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.profiles.nodes).toEqual([{ firstName: 'Ada' }]);
    const m = encodeURIComponent('mutation { createProfile(input: { firstName: "Eve" }) { id } }');
    const mutation = await fetch(`${s.url}?query=${m}`, { headers: { ...auth(), 'apollo-require-preflight': '1' } });
    expect(mutation.status).toBe(405);
    const crossSite = await fetch(`${s.url}?query=${q}`, { headers: auth() });
    expect(crossSite.status).toBe(400);
    const count = await s.gql(`{ profiles(first: 10) { nodes { firstName } } }`, {}, key);
    expect(count.data!.profiles.nodes).toEqual([{ firstName: 'Ada' }]);
  });
});
