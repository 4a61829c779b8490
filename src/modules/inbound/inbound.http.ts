import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppServices } from '../../graphql/context.js';
import { receiveDelivery } from './inbound.service.js';

/** `/ingest/<source id>`. */
export const INGEST_PATH = /^\/ingest\/([0-9a-f-]{36})$/i;

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * POST /ingest/<source id>: a webhook delivery (inbound.service.ts receiveDelivery), answered 202
 * once stored; the body is bounded by PROFILEGRAPH_INGEST_MAX_BODY_BYTES before anything else.
 */
export async function serveIngest(app: AppServices, req: IncomingMessage, res: ServerResponse, match: RegExpExecArray): Promise<void> {
  if (req.method !== 'POST') return reply(res, 405, { error: 'Send webhook deliveries with POST.' }, { allow: 'POST' });
  const limit = app.config.ingestMaxBodyBytes;
  const tooLarge = () => reply(res, 413, { error: `The body exceeds ${limit} bytes; split the batch.` }, { connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > limit) return tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return tooLarge();
    chunks.push(chunk as Buffer);
  }
  const outcome = await receiveDelivery(app.database, match[1]!.toLowerCase(), req.headers, Buffer.concat(chunks));
  if (outcome.queued) app.inbound.wake();
  reply(res, outcome.status, outcome.body);
}
