/**
 * `npm run bench:subs` — subscription fan-out on ONE gateway instance (embedded PGlite in memory,
 * or Postgres when DATABASE_URL is set).
 *
 * The gateway runs on the main thread; the graphql-ws clients run in a worker thread, so the
 * server's heap (V8 heap + external buffers, per isolate) can be measured on its own and the
 * clients' event loop is not the server's. Two sizes: 1,000 subscribers (1,000 sockets × 1) and
 * 10,000 (1,000 sockets × 10 multiplexed subscriptions — 10,000 sockets per side would exceed this
 * machine's 20,000 file descriptors). For each: memory per 1,000 idle subscribers, then
 * mutation → client latency (p50/p99 over every delivery of 20 spaced updates), then deliveries/s
 * for a burst of 50 updates. The same clients and socket layout run against a bare graphql-ws server
 * (in-process publish) first, in the same run, and the ratios are printed. Hard-stops after 300 s.
 */
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

interface WorkerInput {
  wsUrl: string;
  key: string;
  sockets: number;
  perSocket: number;
}
type FromWorker = { kind: 'subscribed' } | { kind: 'deliveries'; ids: number[]; at: number[] } | { kind: 'closed' };
type ToWorker = { kind: 'report' } | { kind: 'close' };

const now = () => performance.timeOrigin + performance.now();

async function clientWorker(input: WorkerInput): Promise<void> {
  const { createClient } = await import('graphql-ws');
  const { default: WebSocket } = await import('ws');
  let ids: number[] = [];
  let at: number[] = [];
  const clients = [] as ReturnType<typeof createClient>[];
  for (let i = 0; i < input.sockets; i++) {
    const c = createClient({ url: input.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: input.key }, retryAttempts: 0, lazy: true });
    clients.push(c);
    for (let j = 0; j < input.perSocket; j++) {
      c.subscribe<{ profileEvents: { id: string } }>(
        { query: 'subscription { profileEvents { id } }' },
        {
          next: (r) => {
            ids.push(Number(r.data!.profileEvents.id));
            at.push(now());
          },
          error: () => {},
          complete: () => {},
        },
      );
    }
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20)); // do not stampede the accept queue
  }
  parentPort!.postMessage({ kind: 'subscribed' } satisfies FromWorker);
  parentPort!.on('message', async (m: ToWorker) => {
    if (m.kind === 'report') {
      parentPort!.postMessage({ kind: 'deliveries', ids, at } satisfies FromWorker);
      ids = [];
      at = [];
    } else {
      await Promise.all(clients.map((c) => c.dispose()));
      parentPort!.postMessage({ kind: 'closed' } satisfies FromWorker);
    }
  });
}

/**
 * The comparator: a bare graphql-ws server on its own port — one subscription field of the same
 * name and shape, events published in process to every subscriber, graphql-js executing each
 * delivery as graphql-ws does by default. The same client worker subscribes to it.
 */
async function startBareServer(): Promise<{ wsUrl: string; subscribers(): number; publish(): void; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const { WebSocketServer } = await import('ws');
  const { useServer } = await import('graphql-ws/use/ws');
  const { makeExecutableSchema } = await import('@graphql-tools/schema');
  const listeners = new Set<(e: { id: string }) => void>();
  let nextId = 1;
  const channel = (): AsyncIterableIterator<{ id: string }> => {
    const queue: { id: string }[] = [];
    let wake: ((r: IteratorResult<{ id: string }>) => void) | null = null;
    const push = (e: { id: string }) => {
      if (wake) {
        const w = wake;
        wake = null;
        w({ value: e, done: false });
      } else queue.push(e);
    };
    listeners.add(push);
    const it: AsyncIterableIterator<{ id: string }> = {
      next: () => (queue.length > 0 ? Promise.resolve({ value: queue.shift()!, done: false }) : new Promise((r) => (wake = r))),
      return: () => {
        listeners.delete(push);
        if (listeners.size === 0) nextId = 1; // the next measurement's events count from 2 again
        wake?.({ value: undefined, done: true });
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  };
  const schema = makeExecutableSchema({
    typeDefs: `type Query { health: String } type Event { id: ID! } type Subscription { profileEvents: Event! }`,
    resolvers: { Subscription: { profileEvents: { subscribe: () => channel(), resolve: (e: { id: string }) => e } } },
  });
  const server = createServer();
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const disposable = useServer({ schema }, wss);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    subscribers: () => listeners.size,
    publish() {
      const e = { id: String(++nextId) };
      for (const l of listeners) l(e);
    },
    async close() {
      await disposable.dispose();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    console.error('bench:subs: time limit (300 s) reached, stopping');
    process.exit(2);
  }, 300_000);
  hardStop.unref();
  const { startApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/logger.js');
  const { EventHub } = await import('../src/modules/events/event-hub.js');
  const adminToken = 'bench-admin-token-0123456789';
  const config = { ...loadConfig({}), host: '127.0.0.1', port: 0, adminToken, logLevel: 'silent' as const, dataDir: 'memory://', databaseUrl: process.env.DATABASE_URL, keyCacheSeconds: 60 };
  const app = await startApp(config, { logger: createLogger('silent') });
  const hub = app.services.notifier as InstanceType<typeof EventHub>;
  const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const gc = () => {
    for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  };
  const mem = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  /** What a measured system offers: its graphql-ws URL and key, its live subscriber count, and a way to make one event (resolving when sent; ids count up from 2). */
  interface Target {
    name: string;
    wsUrl: string;
    key: string;
    subscribers(): number;
    event(i: number): Promise<void>;
  }
  const rows: string[][] = [];
  const results = new Map<string, { perSec: number; p99: number }>();
  async function measure(t: Target, sockets: number, perSocket: number): Promise<void> {
    const n = sockets * perSocket;
    const base = mem();
    // The worker runs this same file through tsx's loader (a .ts entry needs it registered first).
    const boot = `import('tsx/esm/api').then(async ({ register }) => { register(); await import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: { wsUrl: t.wsUrl, key: t.key, sockets, perSocket } satisfies WorkerInput });
    const inbox: FromWorker[] = [];
    const waiters: (() => void)[] = [];
    worker.on('message', (m: FromWorker) => {
      inbox.push(m);
      waiters.splice(0).forEach((w) => w());
    });
    worker.on('error', (e) => {
      console.error('worker error', e);
      process.exit(1);
    });
    const receive = async (kind: FromWorker['kind']): Promise<FromWorker> => {
      for (;;) {
        const i = inbox.findIndex((m) => m.kind === kind);
        if (i >= 0) return inbox.splice(i, 1)[0]!;
        await new Promise<void>((r) => waiters.push(r));
      }
    };
    await receive('subscribed');
    const t0 = Date.now();
    while (t.subscribers() < n) {
      if (Date.now() - t0 > 60_000) throw new Error(`${t.name}: only ${t.subscribers()}/${n} subscribed`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    const perThousandMb = (mem() - base) / (n / 1000) / 1024 / 1024;

    // Latency: 20 events at 10 per second (1,000 subscribers; 2.5 per second at 10,000).
    const sentAt = new Map<number, number>();
    let eventId = 1;
    for (let i = 0; i < 20; i++) {
      const at = now();
      await t.event(i);
      sentAt.set(++eventId, at);
      await new Promise((r) => setTimeout(r, Math.max(0, (n >= 10_000 ? 400 : 100) - (now() - at))));
    }
    await new Promise((r) => setTimeout(r, 1000));
    worker.postMessage({ kind: 'report' } satisfies ToWorker);
    const lat = (await receive('deliveries')) as Extract<FromWorker, { kind: 'deliveries' }>;
    const latencies = lat.ids.map((id, i) => lat.at[i]! - (sentAt.get(id) ?? NaN)).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;

    // Throughput at saturation: a burst of 50 events (5 at a time); deliveries/s from the first send to the last receipt.
    const burst = 50;
    const burstStart = now();
    for (let i = 0; i < burst; i += 5) await Promise.all(Array.from({ length: 5 }, (_, j) => t.event(100 + i + j)));
    const expected = burst * n;
    const tp0 = Date.now();
    let got = 0;
    let lastAt = burstStart;
    while (got < expected && Date.now() - tp0 < 30_000) {
      await new Promise((r) => setTimeout(r, 500));
      worker.postMessage({ kind: 'report' } satisfies ToWorker);
      const d = (await receive('deliveries')) as Extract<FromWorker, { kind: 'deliveries' }>;
      got += d.ids.length;
      if (d.at.length > 0) lastAt = Math.max(lastAt, ...d.at.slice(-1000));
    }
    const perSec = got / ((lastAt - burstStart) / 1000);
    results.set(`${t.name}:${n}`, { perSec, p99: pct(99) });
    rows.push([
      t.name,
      n.toLocaleString('en-US'),
      `${sockets}×${perSocket}`,
      perThousandMb.toFixed(2),
      pct(50).toFixed(1),
      pct(99).toFixed(1),
      `${latencies.length.toLocaleString('en-US')}/${(20 * n).toLocaleString('en-US')}`,
      Math.round(perSec).toLocaleString('en-US'),
      `${got.toLocaleString('en-US')}/${expected.toLocaleString('en-US')}`,
    ]);
    worker.postMessage({ kind: 'close' } satisfies ToWorker);
    await receive('closed');
    await worker.terminate();
    const t1 = Date.now();
    while (t.subscribers() > 0 && Date.now() - t1 < 10_000) await new Promise((r) => setTimeout(r, 100));
  }

  const bare = await startBareServer();
  const sizes = (process.argv.find((a) => a.startsWith('--sizes='))?.slice(8) ?? '1000x1,1000x10').split(',').map((x) => x.split('x').map(Number) as [number, number]);
  for (const [sockets, perSocket] of sizes) {
    const n = sockets * perSocket;
    const name = `bench_${n}_${Date.now().toString(36)}`;
    const key: string = (await gql(`mutation($n: String!) { createDomain(input: { name: $n }) { apiKey } }`, { n: name }, adminToken)).createDomain.apiKey;
    const profileId: string = (await gql(`mutation { createProfile(input: { firstName: "Bench" }) { id } }`, {}, key)).createProfile.id;
    // Interleaved: the bare server, then profilegraph, for each size, so load from elsewhere hits both alike.
    await measure({ name: 'bare graphql-ws', wsUrl: bare.wsUrl, key: 'unused', subscribers: () => bare.subscribers(), event: async () => bare.publish() }, sockets, perSocket);
    await measure(
      {
        name: 'profilegraph',
        wsUrl: app.wsUrl,
        key,
        subscribers: () => hub.stats().subscribers,
        event: async (i) => {
          await gql(`mutation($id: ID!, $v: String!) { updateProfile(id: $id, input: { lastName: $v }) { version } }`, { id: profileId, v: `v${i}` }, key);
        },
      },
      sockets,
      perSocket,
    );
  }
  await bare.close();
  await app.close();
  const head = ['system', 'subscribers', 'sockets×subs', 'MB / 1k idle', 'p50 ms', 'p99 ms', 'latency samples', 'deliveries/s', 'burst delivered'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(`\nbench:subs on ${process.env.DATABASE_URL ? 'Postgres' : 'embedded PGlite'}, node ${process.version}${(globalThis as { gc?: unknown }).gc ? '' : ' (no --expose-gc: memory is noisier)'}`);
  console.log(
    'Method: one gateway on this thread, graphql-ws clients on a worker thread (subscription { profileEvents { id } }); per size the bare\n' +
      'graphql-ws server (one field, in-process publish) runs first, then profilegraph, with the same clients and sockets. Memory: heap +\n' +
      'external per 1,000 idle subscribers. Latency: 20 events at 10/s (1,000 subscribers; 2.5/s at 10,000), send (profilegraph: the\n' +
      'updateProfile mutation; bare: publish) to receipt, every delivery. Throughput: 50 events sent 5 at a time, deliveries/s from the\n' +
      'first send to the last receipt.',
  );
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log('\nprofilegraph / bare graphql-ws (same run, same clients and socket layout):');
  for (const [sockets, perSocket] of sizes) {
    const n = sockets * perSocket;
    const pg = results.get(`profilegraph:${n}`);
    const b = results.get(`bare graphql-ws:${n}`);
    if (!pg || !b) continue;
    console.log(`  ${n.toLocaleString('en-US').padStart(6)} subscribers: deliveries/s ${(pg.perSec / b.perSec).toFixed(2)}×   p99 latency ${(pg.p99 / b.p99).toFixed(2)}×`);
  }
  clearTimeout(hardStop);
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  void clientWorker(workerData as WorkerInput);
}
