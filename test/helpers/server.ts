/**
 * Starts a real gateway for a test file: embedded PGlite (in memory) by default, or a fresh database
 * on the Postgres server in TEST_DATABASE_URL (created here, dropped on close), so runs never collide.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { startApp, type App, type StartOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface GqlResult<T = Record<string, any>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

export interface TestDatabase {
  readonly kind: 'postgres' | 'pglite';
  /** postgres:// URL of the test database (Postgres only). */
  readonly url: string | undefined;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** A fresh database for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    return { kind: 'pglite', url: undefined, open: () => openDatabase({ dataDir: 'memory://' }), drop: async () => {} };
  }
  const name = `pgtest_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    url: url.toString(),
    open: () => openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', poolSize: 10 }),
    drop: async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestServer {
  readonly app: App;
  readonly url: string;
  readonly wsUrl: string;
  readonly database: Database;
  readonly testDb: TestDatabase;
  /** POST a GraphQL operation with an optional bearer token. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  /** Creates a domain through the admin API and returns its first API key. */
  createDomain(name?: string, settings?: Record<string, unknown>): Promise<{ name: string; key: string }>;
  /** Starts another gateway instance on the same database (multi-instance tests, Postgres only). */
  startPeer(overrides?: Partial<Config>, opts?: StartOptions): Promise<App>;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    adminToken: ADMIN_TOKEN,
    diagnostics: true,
    logLevel: 'silent',
    keyCacheSeconds: 0,
    ...overrides,
  };
}

export async function post<T>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult<T>;
}

let domainCounter = 0;

export async function startTestServer(overrides: Partial<Config> = {}, opts: StartOptions = {}): Promise<TestServer> {
  const testDb = await createTestDatabase();
  const database = await testDb.open();
  const logger = createLogger('silent');
  const config = testConfig(overrides);
  const app = await startApp(config, { database, logger, ...opts });
  const peers: App[] = [];
  const peerDbs: Database[] = [];
  const server: TestServer = {
    app,
    url: app.url,
    wsUrl: app.wsUrl,
    database,
    testDb,
    gql: (query, variables, token) => post(app.url, query, variables, token),
    async createDomain(name, settings = {}) {
      const domainName = name ?? `d${++domainCounter}_${randomBytes(3).toString('hex')}`;
      const r = await post<{ createDomain: { apiKey: string } }>(
        app.url,
        `mutation($input: CreateDomainInput!) { createDomain(input: $input) { apiKey domain { name } } }`,
        { input: { name: domainName, ...settings } },
        ADMIN_TOKEN,
      );
      if (!r.data?.createDomain) throw new Error(`createDomain failed: ${JSON.stringify(r.errors)}`);
      return { name: domainName, key: r.data.createDomain.apiKey };
    },
    async startPeer(peerOverrides = {}, peerOpts = {}) {
      const peerDb = await testDb.open();
      peerDbs.push(peerDb);
      const peer = await startApp(testConfig({ ...overrides, ...peerOverrides }), { database: peerDb, logger, ...peerOpts });
      peers.push(peer);
      return peer;
    },
    async close() {
      for (const p of peers) await p.close();
      for (const d of peerDbs) await d.close();
      await app.close();
      await database.close();
      await testDb.drop();
    },
  };
  return server;
}
