/**
 * `npm run bench:sinks [-- --events 5000 --batch 250 --database-url URL]`
 *
 * Event sink throughput beside the rate the event log is written at, in one run: a gateway
 * (startApp, in process; embedded PGlite in memory, or a fresh schema-less database at URL) with a
 * webhook sink to a local HTTP receiver (one event per request, PROFILEGRAPH_SINK_CONCURRENCY
 * requests in flight, default 8), a second one with batchSize 100 (a JSON array per request) and, when NATS answers at 127.0.0.1:4222, a NATS sink to a
 * fresh JetStream stream. Profiles are written through putProfileObjects (one PROFILE_CREATED and
 * one OBJECT_INGESTED event each) as fast as one client can; the log's write rate is events over
 * the write time, each sink's rate events over the time from the first write until its last
 * delivery. Printed as events/s and as ratios to the write rate (1.0 = the sink keeps up).
 * Figures are indicative on a shared machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect as natsConnect, type NatsConnection } from 'nats';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const objects = Number(arg('events') ?? 5000) / 2;
const batch = Number(arg('batch') ?? 250);
const databaseUrl = arg('database-url') ?? process.env.BENCH_DATABASE_URL;
const ADMIN = 'bench-admin-token-0123456789';
const now = () => performance.now();

async function gql(url: string, query: string, variables: Record<string, unknown>, key: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const config = {
  ...loadConfig({}),
  databaseUrl,
  dataDir: databaseUrl ? './data' : 'memory://',
  port: 0,
  adminToken: ADMIN,
  logLevel: 'silent' as const,
  seed: 'never' as const,
  sinkAllowPrivateAddresses: true,
  integrationPollMs: 500,
};
const app = await startApp(config, { logger: createLogger('silent') });

// the webhook receiver: counts distinct idempotency keys (of each element of a batch on /batch)
const seen = new Set<string>();
const seenBatch = new Set<string>();
let webhookDone = 0;
let batchDone = 0;
const receiver = createServer((req, res) => {
  if (req.url === '/batch') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      for (const e of JSON.parse(Buffer.concat(chunks).toString('utf8')) as { idempotencyKey: string }[]) seenBatch.add(e.idempotencyKey);
      batchDone = now();
      res.end();
    });
    return;
  }
  req.resume();
  req.on('end', () => {
    seen.add(String(req.headers['idempotency-key']));
    webhookDone = now();
    res.end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const domain = `bench${Date.now().toString(36)}`;
const key = (await gql(app.url, `mutation($i: CreateDomainInput!) { createDomain(input: $i) { apiKey } }`, { i: { name: domain } }, ADMIN)).createDomain.apiKey as string;
await gql(app.url, `mutation { putObjectType(input: { name: "Customer", templateId: "shopify-customer" }) { name } }`, {}, key);
await gql(app.url, `mutation($u: String!) { createEventSink(input: { kind: WEBHOOK, url: $u }) { sink { id } } }`, { u: hook }, key);
await gql(app.url, `mutation($u: String!) { createEventSink(input: { kind: WEBHOOK, url: $u, batchSize: 100 }) { sink { id } } }`, { u: hook.replace(/\/hook$/, '/batch') }, key);

let nc: NatsConnection | null = null;
const stream = `BENCH_${Date.now().toString(36)}`;
let natsCount = 0;
let natsDone = 0;
try {
  nc = await natsConnect({ servers: config.natsUrl, timeout: 2_000 });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.>`] });
  await gql(app.url, `mutation($s: String!) { createEventSink(input: { kind: NATS, subject: $s }) { sink { id } } }`, { s: `${stream.toLowerCase()}.events` }, key);
} catch {
  console.log(`NATS not reachable at ${config.natsUrl}: the NATS sink is not measured.`);
  nc = null;
}

const total = objects * 2;
const started = now();
for (let i = 0; i < objects; i += batch) {
  const list = Array.from({ length: Math.min(batch, objects - i) }, (_, j) => ({ id: 1_000_000 + i + j, email: `c${i + j}@bench.example`, first_name: 'Bench', last_name: `C${i + j}` }));
  await gql(app.url, `mutation($o: [JSONObject!]!) { putProfileObjects(objectType: "Customer", objects: $o) { attached createdProfiles deadLettered } }`, { o: list }, key);
}
const written = now();

const deadline = Date.now() + 300_000;
if (nc) {
  const poll = async () => {
    const jsm = await nc!.jetstreamManager();
    for (;;) {
      natsCount = (await jsm.streams.info(stream)).state.messages;
      if (natsCount >= total || Date.now() > deadline) return;
      natsDone = now();
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await poll();
  natsDone = now();
}
while ((seen.size < total || seenBatch.size < total) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

const writeRate = total / ((written - started) / 1000);
const webhookRate = seen.size / ((webhookDone - started) / 1000);
const line = (name: string, n: number, rate: number) => `${name.padEnd(30)} ${String(n).padStart(7)} events  ${rate.toFixed(0).padStart(7)} events/s  ratio ${(rate / writeRate).toFixed(2)}`;
console.log(`\nbench:sinks on ${app.services.database.kind}, ${total} events (${objects} objects, batches of ${batch})`);
console.log(line('event log written', total, writeRate));
console.log(line(`webhook delivered (${config.sinkConcurrency} in flight)`, seen.size, webhookRate));
console.log(line('webhook, batchSize 100', seenBatch.size, seenBatch.size / ((batchDone - started) / 1000)));
if (nc) console.log(line('NATS delivered', natsCount, natsCount / ((natsDone - started) / 1000)));

if (nc) {
  await (await nc.jetstreamManager()).streams.delete(stream).catch(() => {});
  await nc.close();
}
receiver.closeAllConnections();
receiver.close();
await app.close();
process.exit(0);
