/**
 * Integrations with the gateway as a real process (`node --import tsx src/main.ts`, as `npm start`
 * runs it), on embedded PGlite or, with TEST_DATABASE_URL, a fresh Postgres database:
 *
 *  - a webhook sink whose receiver fails twice then succeeds gets every event exactly once (deduped
 *    by idempotency key) and in order, across a gateway restart in the middle of the stream — killed
 *    with SIGKILL on Postgres (the lease expires; the cursor in the table is where it resumes),
 *    stopped with SIGTERM on PGlite (whose files a killed process may leave locked);
 *  - the README's integrations walk-through (its ```bash blocks), run by bash exactly as written
 *    (only ports and the NATS stream name differ): a Shopify-template type and an inbound source, a
 *    signed Shopify webhook posted with curl and openssl, the profile, the events at a webhook
 *    receiver and on a NATS subject. Skipped, saying so, when NATS is not reachable.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as natsConnect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListening, type Listening } from './helpers/process.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { ADMIN_TOKEN, createTestDatabase, post, type TestDatabase } from './helpers/server.js';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'pg-integrations-'));
const running: ChildProcess[] = [];
let testDb: TestDatabase;

afterAll(async () => {
  for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
  await testDb?.drop();
  rmSync(work, { recursive: true, force: true });
});

type Gateway = Listening;

function startGateway(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Gateway> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PROFILEGRAPH_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    PROFILEGRAPH_SEED: 'never',
    PROFILEGRAPH_ADMIN_TOKEN: ADMIN_TOKEN,
    PROFILEGRAPH_SINK_ALLOW_PRIVATE_ADDRESSES: 'true',
    ...extraEnv,
  };
  delete env.HOST;
  if (testDb.url) env.DATABASE_URL = testDb.url;
  else delete env.DATABASE_URL;
  return startListening(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env }, running);
}

async function ok(url: string, q: string, variables: Record<string, unknown>, key: string) {
  const r = await post<Record<string, any>>(url, q, variables, key);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data!;
}
async function createDomain(url: string, name: string): Promise<string> {
  return (await ok(url, `mutation($i: CreateDomainInput!) { createDomain(input: $i) { apiKey } }`, { i: { name } }, ADMIN_TOKEN)).createDomain.apiKey;
}
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  testDb = await createTestDatabase();
});

describe('a webhook sink across a gateway restart', () => {
  let rx: Receiver;
  afterAll(async () => rx?.close());

  it('delivers every event exactly once and in order, though the receiver failed twice and the gateway restarted mid-stream', async () => {
    const dataDir = path.join(work, 'restart');
    // Concurrency 1: one request at a time, strictly in event-id order across profiles (the default
    // keeps order per profile only; test/integrations-sinks.test.ts covers it).
    const env = { PROFILEGRAPH_SINK_RETRY_BASE_MS: '50', PROFILEGRAPH_SINK_RETRY_MAX_MS: '300', PROFILEGRAPH_SINK_LEASE_SECONDS: '1', PROFILEGRAPH_INTEGRATION_POLL_MS: '200', PROFILEGRAPH_SINK_CONCURRENCY: '1' };
    let gw = await startGateway(dataDir, env);
    const key = await createDomain(gw.url, `restart${Date.now().toString(36)}`);
    rx = await startReceiver();
    // Fails twice, then accepts five events, then fails until the gateway has been restarted.
    let restarted = false;
    let okCount = 0;
    rx.plan((n) => {
      if (n <= 2) return 500;
      if (!restarted && okCount >= 5) return 503;
      okCount++;
      return 200;
    });
    const sink = (await ok(gw.url, `mutation($u: String!) { createEventSink(input: { kind: WEBHOOK, url: $u }) { sink { id position } } }`, { u: rx.url }, key)).createEventSink.sink;
    const start = Number(sink.position);
    const TOTAL = 12;
    for (let i = 0; i < TOTAL; i++) await ok(gw.url, `mutation($i: ProfileInput!) { createProfile(input: $i) { id } }`, { i: { firstName: `R${i}` } }, key);
    await rx.waitFor(5);
    // Mid-stream: five delivered, the sixth failing. Stop the process.
    gw.proc.kill(testDb.kind === 'postgres' ? 'SIGKILL' : 'SIGTERM');
    await gw.exited;
    expect(rx.delivered.length).toBeLessThan(TOTAL);
    restarted = true;
    gw = await startGateway(dataDir, env);
    await rx.waitFor(TOTAL, 30_000);
    const ids = rx.delivered.map((d) => Number(d.event.eventId));
    expect(ids).toEqual(Array.from({ length: TOTAL }, (_, i) => start + i + 1));
    expect(rx.delivered.map((d) => d.key)).toEqual(ids.map((id) => `${sink.id}:${id}`));
    expect(rx.requests.filter((r) => r.status === 500)).toHaveLength(2);
    // Nothing is delivered out of order, even counting redeliveries: each request's event id is at
    // most one past the highest delivered before it.
    let high = start;
    for (const r of rx.requests) {
      const id = Number(JSON.parse(r.body).eventId);
      expect(id).toBeLessThanOrEqual(high + 1);
      if (r.status === 200) high = Math.max(high, id);
    }
    const after = (await ok(gw.url, `query($id: ID!) { eventSink(id: $id) { position status delivered } }`, { id: sink.id }, key)).eventSink;
    expect(Number(after.position)).toBe(start + TOTAL);
    expect(after.status).toBe('ACTIVE');
    gw.proc.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
  }, 180_000);
});

/** The README's integrations walk-through: the ```bash blocks of its "Integrations" section. */
function readmeWalkthrough(): string {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Integrations'), readme.indexOf('\n## ', readme.indexOf('\n## Integrations') + 5));
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
}

describe('README: integrations walk-through', () => {
  let natsUp = false;
  beforeAll(async () => {
    try {
      await (await natsConnect({ servers: 'nats://127.0.0.1:4222', timeout: 2_000 })).close();
      natsUp = true;
    } catch {
      console.warn('README integrations walk-through skipped: no NATS server at 127.0.0.1:4222 (start nats-server -js, as .ci/run does).');
    }
  });

  it('runs as written: Shopify webhook in, profile, events out to a webhook and NATS', async (ctx) => {
    if (!natsUp) return ctx.skip();
    const gw = await startGateway(path.join(work, 'readme'));
    const stream = `CRM_${Date.now().toString(36)}`;
    try {
      const port = new URL(gw.url).port;
      const key = await createDomain(gw.url, `readme${Date.now().toString(36)}`);
      const hookPort = await freePort();
      const script = readmeWalkthrough();
      expect(script).toContain('templateId');
      expect(script).toContain('X-Shopify-Hmac-Sha256');
      const prelude = `URL=http://localhost:4000/graphql; KEY=${key}\ngql() { curl -s $URL -H 'content-type: application/json' -H "authorization: Bearer $1" -d "$2"; echo; }\n`;
      const text = `${prelude}${script}`
        .replaceAll('localhost:4000', `127.0.0.1:${port}`)
        .replaceAll('localhost:9000', `127.0.0.1:${hookPort}`)
        .replaceAll('listen(9000)', `listen(${hookPort})`)
        .replaceAll("'CRM'", `'${stream}'`)
        .replaceAll('crm.', `${stream.toLowerCase()}.`);
      const run = spawnSync('bash', ['-c', `set -euo pipefail\n${text}`], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const out = run.stdout;
      expect(out).not.toContain('"errors"');
      expect(out).toContain('"status":"queued"');
      expect(out).toContain('"firstName":"Bob"');
      expect(out).toContain('"city":"Louisville"');
      // the receiver's lines: a valid signature header and the event
      expect(out).toMatch(/t=\d+,v1=[0-9a-f]{64} \{"eventId":"\d+","eventType":"PROFILE_CREATED"/);
      // the NATS consumer's lines
      expect(out).toMatch(new RegExp(`${stream.toLowerCase()}\\.profile-events \\{"eventId":"\\d+","eventType":"PROFILE_CREATED"`));
      expect(out).toMatch(/"eventType":"OBJECT_INGESTED"/);
    } finally {
      gw.proc.kill('SIGTERM');
      await gw.exited;
      const nc = await natsConnect({ servers: 'nats://127.0.0.1:4222' }).catch(() => null);
      if (nc) {
        const jsm = await nc.jetstreamManager();
        await jsm.streams.delete(stream).catch(() => {});
        await nc.close();
      }
    }
  }, 180_000);
});
