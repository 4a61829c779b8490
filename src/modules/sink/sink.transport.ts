/**
 * Where a sink delivers: a webhook (POST, signed as Stripe signs: `Profilegraph-Signature:
 * t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`) or a NATS JetStream subject (the
 * delivery's idempotency id as `Nats-Msg-Id`, so JetStream drops a redelivery within its duplicate
 * window). Both throw a DeliveryError whose message is shown to the sink's owner as `lastError`.
 */
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';

export class DeliveryError extends Error {}

/** Loopback, private, link-local, CGNAT, unique-local and unspecified ranges (SSRF targets). */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(ip: string): boolean {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped) return PRIVATE.check(v4mapped[1]!, 'ipv4');
  const family = isIP(ip);
  return family === 4 ? PRIVATE.check(ip, 'ipv4') : family === 6 ? PRIVATE.check(ip, 'ipv6') : false;
}

/** Refuses a URL whose host resolves to a private address (checked at every delivery; see README on DNS rebinding). */
async function checkPublic(url: URL): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => { throw new DeliveryError(`Cannot resolve ${host}.`); })).map((a) => a.address);
  const bad = addresses.find(isPrivateAddress);
  if (bad) throw new DeliveryError(`${host} resolves to ${bad}, a private address; webhook sinks may only call public addresses (PROFILEGRAPH_SINK_ALLOW_PRIVATE_ADDRESSES).`);
}

export interface Delivery {
  /** The same for every attempt of this event to this sink: `<sink id>:<event id>`. */
  idempotencyId: string;
  /** The event id, or `<first>-<last>` of a batch. */
  eventId: number | string;
  /** The event type, or BATCH. */
  eventType: string;
  body: string;
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface WebhookOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  /** Aborts the request (shutdown). */
  signal?: AbortSignal | undefined;
}

// Kept-alive connections per receiver (node:http: about four times faster per delivery than fetch).
const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 64 });

/** POSTs one event; resolves on a 2xx answer, throws a DeliveryError otherwise. Redirects are not followed. */
export async function deliverWebhook(url: string, secret: string, d: Delivery, opts: WebhookOptions): Promise<void> {
  const target = new URL(url);
  if (!opts.allowPrivate) await checkPublic(target);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(d.body)),
    'user-agent': 'profilegraph-sink',
    'idempotency-key': d.idempotencyId,
    'profilegraph-event-id': String(d.eventId),
    'profilegraph-event-type': d.eventType,
    'profilegraph-signature': signature(secret, Math.floor(Date.now() / 1000), d.body),
  };
  const https = target.protocol === 'https:';
  const status = await new Promise<number>((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(target, { method: 'POST', headers, agent: https ? httpsAgent : httpAgent, timeout: opts.timeoutMs, signal: opts.signal }, (res) => {
      // The answer's body is not needed: drained, never buffered.
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new DeliveryError(`No answer within ${opts.timeoutMs} ms.`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(err instanceof DeliveryError ? err : new DeliveryError(err.name === 'AbortError' ? 'The delivery was stopped (shutdown).' : `Could not connect to ${target.host}${err.code ? ` (${err.code})` : ''}.`)),
    );
    req.end(d.body);
  });
  if (status < 200 || status > 299) throw new DeliveryError(`The receiver answered HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}.`);
}

/** One NATS connection per process, opened on first use and again after it closes. */
export class NatsPublisher {
  private conn: Promise<NatsConnection> | null = null;

  constructor(private readonly servers: string) {}

  private connection(): Promise<NatsConnection> {
    if (!this.conn) {
      const c = connect({ servers: this.servers, timeout: 3_000, maxReconnectAttempts: -1, name: 'profilegraph-sinks' });
      this.conn = c;
      c.then(
        (nc) => void nc.closed().then(() => { if (this.conn === c) this.conn = null; }),
        () => { if (this.conn === c) this.conn = null; },
      );
    }
    return this.conn;
  }

  async publish(subject: string, d: Delivery): Promise<void> {
    const [err] = await this.publishAll(subject, [d]);
    if (err) throw err;
  }

  /**
   * Publishes a window of deliveries pipelined on the one connection: every publish is issued in
   * order without waiting for its ack, then the acks are awaited together. Returns, per delivery,
   * null (acknowledged: stored, or dropped as a duplicate of its `Nats-Msg-Id`) or its error.
   */
  async publishAll(subject: string, ds: readonly Delivery[]): Promise<(DeliveryError | null)[]> {
    let nc: NatsConnection;
    try {
      nc = await this.connection();
    } catch {
      const err = new DeliveryError(`The NATS server (${this.servers}) is unreachable.`);
      return ds.map(() => err);
    }
    const js = nc.jetstream();
    const encoder = new TextEncoder();
    const acks = ds.map((d) => {
      const h = natsHeaders();
      h.set('Profilegraph-Event-Id', String(d.eventId));
      h.set('Profilegraph-Event-Type', d.eventType);
      return js.publish(subject, encoder.encode(d.body), { msgID: d.idempotencyId, headers: h, timeout: 5_000 });
    });
    const settled = await Promise.allSettled(acks);
    return settled.map((r) => {
      if (r.status === 'fulfilled') return null;
      const err = r.reason as { code?: string; api_error?: { err_code?: number; description?: string } };
      // JetStream's own refusals (a full stream with discard "new", a too-large message …) say why.
      const api = err.api_error;
      if (api) return new DeliveryError(`NATS publish to "${subject}" failed: the stream refused it (${String(api.description ?? 'error').slice(0, 200)}${api.err_code ? `, ${api.err_code}` : ''}).`);
      if (err.code === '503') return new DeliveryError(`No JetStream stream captures subject "${subject}": create one (see README).`);
      return new DeliveryError(`NATS publish to "${subject}" failed${err.code ? ` (${err.code})` : ''}.`);
    });
  }

  async close(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    if (c) await (await c.catch(() => null))?.drain().catch(() => {});
  }
}
