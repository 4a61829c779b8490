/**
 * Trusted documents: a manifest of documents by sha256, sent by hash (POST or GET); with
 * PROFILEGRAPH_TRUSTED_DOCUMENTS_ONLY nothing else runs, on HTTP and graphql-ws alike.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createTestDatabase, startTestServer, testConfig, type TestServer } from './helpers/server.js';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const NAMES = 'query Names($n: Int) { profiles(first: $n) { nodes { firstName } } }';
const EVENTS = 'subscription Events { profileEvents { type } }';
const dir = mkdtempSync(path.join(tmpdir(), 'pg-trusted-'));
const manifest = path.join(dir, 'persisted-documents.json');
writeFileSync(manifest, JSON.stringify({ [sha(NAMES)]: NAMES, [sha(EVENTS)]: EVENTS }));

let open: TestServer;
let only: TestServer;
let openKey: string;
let onlyKey: string;

async function post(s: TestServer, key: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}
const byHash = (hash: string, variables: Record<string, unknown> = {}) => ({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

beforeAll(async () => {
  open = await startTestServer({ trustedDocuments: manifest });
  only = await startTestServer({ trustedDocuments: manifest, trustedDocumentsOnly: true });
  openKey = (await open.createDomain()).key;
  onlyKey = (await only.createDomain()).key;
  // (createDomain is not in the manifest: the admin token, the operator's, runs any document.)
});
afterAll(async () => {
  await open?.close();
  await only?.close();
});

describe('trusted documents', () => {
  it('answers a manifest document by its hash alone, over POST and GET, then from the hot lane', async () => {
    const first = await post(open, openKey, byHash(sha(NAMES), { n: 3 }));
    expect(first.json.errors, JSON.stringify(first.json)).toBeUndefined();
    expect(first.json.data.profiles.nodes).toEqual([]);
    const again = await post(open, openKey, byHash(sha(NAMES), { n: 3 }));
    expect(again.json.extensions.diagnostics.lane).toBe('hot');
    const ext = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha(NAMES) } }));
    const get = await fetch(`${open.url}?extensions=${ext}&variables=${encodeURIComponent('{"n":1}')}`, { headers: { authorization: `Bearer ${openKey}`, 'apollo-require-preflight': '1' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as any).data.profiles.nodes).toEqual([]);
    // Without only-mode, other documents still run.
    const other = await post(open, openKey, { query: '{ health }' });
    expect(other.json.data.health).toBe('ok');
  });

  it('with only-mode, refuses every other document before parsing it, on HTTP and graphql-ws', async () => {
    const trustedRun = await post(only, onlyKey, byHash(sha(NAMES), { n: 1 }));
    expect(trustedRun.json.errors).toBeUndefined();
    const sameTextRuns = await post(only, onlyKey, { query: NAMES, variables: { n: 1 } });
    expect(sameTextRuns.json.errors).toBeUndefined();
    const other = await post(only, onlyKey, { query: '{ profiles(first: 1) { nodes { id } } }' });
    expect([other.status, other.json.errors[0].extensions.code]).toEqual([200, 'TRUSTED_DOCUMENT_REQUIRED']);
    const modern = await post(only, onlyKey, { query: '{ health }' }, { accept: 'application/graphql-response+json' });
    expect([modern.status, modern.json.errors[0].extensions.code]).toEqual([400, 'TRUSTED_DOCUMENT_REQUIRED']);
    // Registering an automatic persisted query does not smuggle a document in.
    const doc = '{ profiles(first: 2) { nodes { id } } }';
    const register = await post(only, onlyKey, { query: doc, extensions: { persistedQuery: { version: 1, sha256Hash: sha(doc) } } });
    expect(register.json.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const smuggled = await post(only, onlyKey, byHash(sha(doc)));
    expect(smuggled.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const get = await fetch(`${only.url}?query=${encodeURIComponent('{ health }')}`, { headers: { authorization: `Bearer ${onlyKey}`, 'apollo-require-preflight': '1' } });
    expect(((await get.json()) as any).errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');

    const client = createClient({ url: only.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: onlyKey }, retryAttempts: 0, lazy: true });
    try {
      const refused = await new Promise<any>((resolve) => {
        client.subscribe({ query: 'subscription { profileEvents { id } }' }, { next: resolve, error: resolve, complete: () => resolve('complete') });
      });
      expect(refused[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
      const got: any[] = [];
      client.subscribe({ query: EVENTS }, { next: (r) => got.push(r), error: (e) => got.push(e), complete: () => {} });
      await new Promise((r) => setTimeout(r, 300));
      const created = await post(only, onlyKey, { query: 'mutation { createProfile(input: { firstName: "X" }) { id } }' });
      expect(created.json.errors[0].extensions.code).toBe('TRUSTED_DOCUMENT_REQUIRED'); // not in the manifest either
      expect(got).toEqual([]);
    } finally {
      await client.dispose();
    }
  });

  it('refuses to start on a manifest that does not check out, with a message naming the entry', async () => {
    const db = await createTestDatabase();
    const database = await db.open();
    try {
      const bad = (name: string, content: unknown) => {
        const f = path.join(dir, name);
        writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
        return f;
      };
      const cases: [string, RegExp][] = [
        [bad('hash.json', { ['0'.repeat(64)]: NAMES }), /is not the sha256 of its document/],
        [bad('schema.json', { [sha('{ nope }')]: '{ nope }' }), /does not fit this schema/],
        [bad('json.json', '{ not json'), /cannot read/],
        [bad('apollo.json', { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha(NAMES), body: NAMES + ' ' }] }), /is not the sha256/],
      ];
      for (const [file, message] of cases) {
        await expect(startApp(testConfig({ trustedDocuments: file }), { database, logger: createLogger('silent') })).rejects.toThrow(message);
      }
      expect(() => loadConfig({ PROFILEGRAPH_TRUSTED_DOCUMENTS_ONLY: 'true' })).toThrow(/needs PROFILEGRAPH_TRUSTED_DOCUMENTS/);
      const apollo = bad('apollo-ok.json', { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: sha(NAMES), name: 'Names', type: 'query', body: NAMES }] });
      const app = await startApp(testConfig({ trustedDocuments: apollo }), { database, logger: createLogger('silent') });
      await app.close();
    } finally {
      await database.close();
      await db.drop();
    }
  });
});
