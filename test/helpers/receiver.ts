/**
 * A webhook receiver for sink tests: a real HTTP server on 127.0.0.1 that records every request
 * (headers and body), answers with the status a plan gives, and lets a test wait for the n-th
 * distinct idempotency key instead of sleeping. It dedupes by Idempotency-Key as a receiver should.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

export interface Receiver {
  readonly url: string;
  readonly requests: Received[];
  /** Distinct idempotency keys answered 2xx, in first-success order, with their parsed bodies. */
  readonly delivered: { key: string; event: Record<string, any> }[];
  /** Sets the answer for the next requests (called with the request number, 1-based, and the parsed body). */
  plan(fn: (n: number, event: Record<string, any>) => number): void;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const requests: Received[] = [];
  const delivered: { key: string; event: Record<string, any> }[] = [];
  const seen = new Set<string>();
  let plan: (n: number, event: Record<string, any>) => number = () => 200;
  let waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = plan(requests.length + 1, JSON.parse(body) as Record<string, any>);
      requests.push({ headers: req.headers, body, status });
      const key = String(req.headers['idempotency-key'] ?? '');
      if (status >= 200 && status < 300 && !seen.has(key)) {
        seen.add(key);
        delivered.push({ key, event: JSON.parse(body) });
        waiters = waiters.filter((w) => (delivered.length >= w.count ? (w.resolve(), false) : true));
      }
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'fail');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    requests,
    delivered,
    plan(fn) {
      plan = fn;
    },
    waitFor(count, timeoutMs = 20_000) {
      if (delivered.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver: ${delivered.length} of ${count} deliveries after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(t), resolve()) });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks a Profilegraph-Signature header (t=…,v1=…) as a receiver would. */
export function verifySinkSignature(header: string | undefined, body: string, secret: string, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  if (Math.abs(Date.now() / 1000 - Number(m[1])) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}
