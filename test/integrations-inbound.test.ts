/**
 * Inbound webhooks through the public surface: POST /ingest/<source id> on a started gateway.
 * Shopify's X-Shopify-Hmac-Sha256, a generic HMAC-SHA256 header and a bearer token are accepted
 * when right and refused (401, nothing stored) when wrong; 202 means the delivery is stored; its
 * objects land through the pipeline; a bad object is dead-lettered with the reason while the others
 * land; a repeated delivery id is ignored; bodies are bounded; secrets are never read back; another
 * domain neither sees nor deletes a source, and a source only ever writes its own domain.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../src/db/database.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let s: TestServer;
let a: { name: string; key: string };
let b: { name: string; key: string };
const SECRET = 'shpss_0123456789abcdef0123456789';
const customer = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures/integrations/shopify-customer.json'), 'utf8')) as Record<string, unknown>;

async function ok(q: string, variables: Record<string, unknown>, key: string) {
  const r = await s.gql(q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}
const ingestUrl = (id: string) => s.url.replace('/graphql', `/ingest/${id}`);
const shopifyHmac = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

async function createSource(key: string, input: Record<string, unknown>) {
  return (await ok(`mutation($i: CreateIngestSourceInput!) { createIngestSource(input: $i) { secret source { id path objectType verification signatureHeader } } }`, { i: input }, key)).createIngestSource;
}
async function post(id: string, body: string, headers: Record<string, string>) {
  const res = await fetch(ingestUrl(id), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
async function byEmail(key: string, email: string) {
  const d = await ok(`query($v: [String!]!) { searchProfiles(key: "_email", values: $v) { nodes { id firstName lastName emailAddress objects { totalCount } } } }`, { v: [email] }, key);
  return d.searchProfiles.nodes as { id: string; firstName: string; lastName: string; emailAddress: string; objects: { totalCount: number } }[];
}
const settle = () => s.app.services.inbound.settle();

let shopify: { id: string; path: string };

beforeAll(async () => {
  s = await startTestServer();
  a = await s.createDomain();
  b = await s.createDomain();
  for (const d of [a, b]) await ok(`mutation { putObjectType(input: { name: "ShopifyCustomer", templateId: "shopify-customer" }) { name } }`, {}, d.key);
  const created = await createSource(a.key, { objectType: 'ShopifyCustomer', verification: 'SHOPIFY_HMAC', secret: SECRET });
  expect(created.secret).toBe(SECRET);
  shopify = created.source;
  expect(shopify.path).toBe(`/ingest/${shopify.id}`);
});
afterAll(async () => s?.close());

describe('POST /ingest/<id> with Shopify signatures', () => {
  it('accepts a signed delivery with 202 once stored, and the customer lands on a profile', async () => {
    const body = JSON.stringify(customer);
    const r = await post(shopify.id, body, { 'x-shopify-hmac-sha256': shopifyHmac(body), 'x-shopify-webhook-id': 'wh-1', 'x-shopify-topic': 'customers/create' });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ status: 'queued', deliveryId: 'wh-1', objects: 1 });
    const stored = await query<{ n: number }>(s.database.db, sql`select count(*)::int as n from ingest_deliveries where delivery_id = 'wh-1'`);
    expect(stored[0]!.n).toBe(1);
    await settle();
    const [p] = await byEmail(a.key, 'bob.norman@mail.example.com');
    expect(p).toMatchObject({ firstName: 'Bob', lastName: 'Norman', objects: { totalCount: 1 } });
  });

  it('ignores a repeated delivery id, even with another (signed) body', async () => {
    const body = JSON.stringify({ ...customer, first_name: 'Robert' });
    const r = await post(shopify.id, body, { 'x-shopify-hmac-sha256': shopifyHmac(body), 'x-shopify-webhook-id': 'wh-1' });
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('duplicate');
    await settle();
    const [p] = await byEmail(a.key, 'bob.norman@mail.example.com');
    expect(p!.firstName).toBe('Bob');
  });

  it('refuses a wrong, missing or other-secret signature, and an unknown source, with 401, storing nothing', async () => {
    const before = await query<{ n: number }>(s.database.db, sql`select count(*)::int as n from ingest_deliveries`);
    const body = JSON.stringify({ ...customer, id: 1, email: 'mallory@example.com' });
    const cases: [string, Record<string, string>][] = [
      [shopify.id, { 'x-shopify-hmac-sha256': shopifyHmac(body, 'another-secret-0123456789') }],
      [shopify.id, { 'x-shopify-hmac-sha256': shopifyHmac(`${body} `) }],
      [shopify.id, {}],
      [shopify.id, { 'x-shopify-hmac-sha256': 'x'.repeat(5000) }],
      ['00000000-0000-4000-8000-000000000000', { 'x-shopify-hmac-sha256': shopifyHmac(body) }],
    ];
    for (const [id, headers] of cases) {
      const r = await post(id, body, headers);
      expect(r.status).toBe(401);
      expect(String(r.body.error)).toMatch(/signed/);
    }
    const after = await query<{ n: number }>(s.database.db, sql`select count(*)::int as n from ingest_deliveries`);
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await byEmail(a.key, 'mallory@example.com')).toEqual([]);
  });

  it('ingests a batch: a bad object is dead-lettered with the reason while the others land', async () => {
    const batch = [
      { ...customer, id: 2001, email: 'ann@example.com', first_name: 'Ann', phone: '+16135552001' },
      { ...customer, id: null, email: 'noid@example.com' },
      42,
      { ...customer, id: 2002, email: 'cy@example.com', first_name: 'Cy', phone: '+16135552002' },
    ];
    const body = JSON.stringify(batch);
    const r = await post(shopify.id, body, { 'x-shopify-hmac-sha256': shopifyHmac(body), 'x-shopify-webhook-id': 'wh-batch' });
    expect(r.status).toBe(202);
    expect(r.body.objects).toBe(4);
    await settle();
    expect((await byEmail(a.key, 'ann@example.com'))[0]?.firstName).toBe('Ann');
    expect((await byEmail(a.key, 'cy@example.com'))[0]?.firstName).toBe('Cy');
    expect(await byEmail(a.key, 'noid@example.com')).toEqual([]);
    const dl = await ok(`{ deadLetters(objectType: "ShopifyCustomer", first: 10) { nodes { reason object } } }`, {}, a.key);
    const reasons = dl.deadLetters.nodes.map((n: { reason: string }) => n.reason).join('\n');
    expect(reasons).toMatch(/_shopifyCustomerId|UNIQUE/);
    expect(reasons).toMatch(/Item 2 of webhook delivery wh-batch is not a JSON object/);
  });

  it('survives hostile bodies: deep nesting, NUL escapes, lone surrogates, huge numbers', async () => {
    const deep = `{"id":5001,"email":"deep@example.com","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const nul = JSON.stringify({ ...customer, id: 5002, email: 'nul@example.com', first_name: 'Nul\u0000Byte', note: '\ud800' });
    const bigId = `{"id":1e400,"email":"big@example.com"}`;
    for (const [i, body] of [deep, nul, bigId].entries()) {
      const r = await post(shopify.id, body, { 'x-shopify-hmac-sha256': shopifyHmac(body), 'x-shopify-webhook-id': `hostile-${i}` });
      expect([202, 400]).toContain(r.status);
    }
    await settle();
    expect((await fetch(s.url.replace('/graphql', '/healthz'))).status).toBe(200);
    const pending = await query<{ n: number }>(s.database.db, sql`select count(*)::int as n from ingest_deliveries where status = 'PENDING'`);
    expect(pending[0]!.n).toBe(0);
  });

  it('answers 400 for a body that is not JSON, 413 over the size limit, 405 for GET', async () => {
    const bad = 'not json';
    expect((await post(shopify.id, bad, { 'x-shopify-hmac-sha256': shopifyHmac(bad) })).status).toBe(400);
    const big = JSON.stringify({ ...customer, note: 'x'.repeat(s.app.services.config.ingestMaxBodyBytes) });
    const r = await post(shopify.id, big, { 'x-shopify-hmac-sha256': shopifyHmac(big) });
    expect(r.status).toBe(413);
    expect((await fetch(ingestUrl(shopify.id))).status).toBe(405);
    expect((await fetch(s.url.replace('/graphql', '/healthz'))).status).toBe(200);
  });
});

describe('generic HMAC and bearer sources', () => {
  it('verifies a hex HMAC-SHA256 header (with or without "sha256=") and dedupes by Idempotency-Key', async () => {
    const src = await createSource(a.key, { objectType: 'ShopifyCustomer', verification: 'HMAC_SHA256', signatureHeader: 'X-Hub-Signature-256' });
    expect(src.secret).toMatch(/^whsec_/);
    expect(src.source.signatureHeader).toBe('x-hub-signature-256');
    const body = JSON.stringify({ ...customer, id: 3001, email: 'hmac@example.com' });
    const mac = createHmac('sha256', src.secret).update(body).digest('hex');
    expect((await post(src.source.id, body, { 'x-hub-signature-256': `sha256=${mac}`, 'idempotency-key': 'k1' })).status).toBe(202);
    expect((await post(src.source.id, body, { 'x-hub-signature-256': mac, 'idempotency-key': 'k1' })).body.status).toBe('duplicate');
    expect((await post(src.source.id, body, { 'x-hub-signature-256': mac.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).status).toBe(401);
    expect((await post(src.source.id, body, { 'x-signature-256': mac })).status).toBe(401);
    await settle();
    expect((await byEmail(a.key, 'hmac@example.com')).length).toBe(1);
  });

  it('verifies a bearer token', async () => {
    const src = await createSource(a.key, { objectType: 'ShopifyCustomer', verification: 'BEARER_TOKEN', secret: 'bearer-secret-0123456789' });
    const body = JSON.stringify({ ...customer, id: 4001, email: 'bearer@example.com' });
    expect((await post(src.source.id, body, { authorization: 'Bearer bearer-secret-0123456789' })).status).toBe(202);
    expect((await post(src.source.id, body, { authorization: 'Bearer bearer-secret-012345678' })).status).toBe(401);
    await settle();
    expect((await byEmail(a.key, 'bearer@example.com')).length).toBe(1);
  });

  it('refuses bad source input', async () => {
    const m = `mutation($i: CreateIngestSourceInput!) { createIngestSource(input: $i) { secret } }`;
    for (const i of [
      { objectType: 'Nope', verification: 'BEARER_TOKEN' },
      { objectType: 'ShopifyCustomer', verification: 'BEARER_TOKEN', secret: 'short' },
      { objectType: 'ShopifyCustomer', verification: 'BEARER_TOKEN', signatureHeader: 'X-Sig' },
      { objectType: 'ShopifyCustomer', verification: 'HMAC_SHA256', signatureHeader: 'bad header\r\n' },
    ]) {
      const r = await s.gql(m, { i }, a.key);
      expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(r.errors?.[0]?.extensions?.code);
    }
  });
});

describe('isolation and secrecy', () => {
  it('never reads a secret back', async () => {
    const r = await s.gql(`{ ingestSources { id secret } }`, {}, a.key);
    expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const list = await ok(`{ ingestSources { id objectType verification } }`, {}, a.key);
    expect(list.ingestSources.length).toBe(3);
    expect(JSON.stringify(list)).not.toContain(SECRET);
  });

  it('another domain neither lists nor deletes a source, and deliveries land only in the source domain', async () => {
    expect((await ok(`{ ingestSources { id } }`, {}, b.key)).ingestSources).toEqual([]);
    const del = await s.gql(`mutation($id: ID!) { deleteIngestSource(id: $id) }`, { id: shopify.id }, b.key);
    expect(del.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await byEmail(b.key, 'bob.norman@mail.example.com')).toEqual([]);
    expect(await byEmail(b.key, 'ann@example.com')).toEqual([]);
    expect((await ok(`mutation($id: ID!) { deleteIngestSource(id: $id) }`, { id: shopify.id }, a.key)).deleteIngestSource).toBe(true);
    const body = JSON.stringify(customer);
    expect((await post(shopify.id, body, { 'x-shopify-hmac-sha256': shopifyHmac(body) })).status).toBe(401);
  });
});
