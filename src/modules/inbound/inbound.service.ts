import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { badInput, notFound } from '../../errors.js';
import type { Database } from '../../db/database.js';
import { MAX_BATCH } from '../ingest/ingest.service.js';
import { requireObjectType } from '../object-type/object-type.service.js';
import type { DomainScope } from '../scope.js';
import { countSources, deleteSource, insertDelivery, insertSource, listSources, sourceForVerification, type IngestSourceView } from './inbound.repository.js';
import type { Verification } from './inbound.table.js';
import { deliveryIdOf, verifySignature } from './inbound.verify.js';

export const MAX_SOURCES = 50;
const VERIFICATIONS: readonly Verification[] = ['SHOPIFY_HMAC', 'HMAC_SHA256', 'BEARER_TOKEN'];
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;
const MAX_DELIVERY_ID = 200;

export interface CreateIngestSourceInput {
  objectType: string;
  verification: Verification;
  signatureHeader?: string | null | undefined;
  secret?: string | null | undefined;
}

/** Creates a source; the secret (given, or generated) is in the result and never again. */
export async function createIngestSource(scope: DomainScope, input: CreateIngestSourceInput): Promise<{ source: IngestSourceView; secret: string }> {
  if (!VERIFICATIONS.includes(input.verification)) throw badInput(`verification must be one of ${VERIFICATIONS.join(', ')}.`, 'verification');
  await requireObjectType(scope, input.objectType);
  let signatureHeader: string | null = null;
  if (input.signatureHeader !== null && input.signatureHeader !== undefined) {
    if (input.verification !== 'HMAC_SHA256') throw badInput('signatureHeader applies to HMAC_SHA256 sources only.', 'signatureHeader');
    if (!HEADER_NAME.test(input.signatureHeader)) throw badInput('signatureHeader must be an HTTP header name (letters, digits, "-"; ≤ 100).', 'signatureHeader');
    signatureHeader = input.signatureHeader.toLowerCase();
  }
  const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  // eslint-disable-next-line no-control-regex
  if (secret.length < 16 || secret.length > 256 || /[\u0000-\u001f\u007f]/.test(secret)) throw badInput('secret must be 16–256 characters with no control characters (or omit it to get a generated one).', 'secret');
  return scope.database.db.transaction(async (tx) => {
    if ((await countSources(tx, scope.domain.id)) >= MAX_SOURCES) throw badInput(`A domain can have at most ${MAX_SOURCES} ingest sources.`, 'objectType');
    const source = await insertSource(tx, { domainId: scope.domain.id, objectType: input.objectType, verification: input.verification, signatureHeader, secret });
    return { source, secret };
  });
}

export const listIngestSources = (scope: DomainScope): Promise<IngestSourceView[]> => listSources(scope.database.db, scope.domain.id);

export async function deleteIngestSource(scope: DomainScope, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id) || !(await deleteSource(scope.database.db, scope.domain.id, id))) throw notFound('Ingest source', id.slice(0, 64));
  return true;
}

/** What POST /ingest/<id> answers. */
export interface ReceiveOutcome {
  status: number;
  body: Record<string, unknown>;
  /** True when a delivery was stored (the worker should look). */
  queued: boolean;
}

const refused = (status: number, error: string): ReceiveOutcome => ({ status, body: { error }, queued: false });

/**
 * A webhook request: verified against its source's secret over the raw body, parsed (one object or
 * an array of them, at most MAX_BATCH), and stored as a pending delivery — durable before the
 * caller answers 202. A delivery id the source has already stored is answered 202 and ignored.
 * An unknown source and a wrong signature get the same 401, so ids cannot be probed.
 */
export async function receiveDelivery(database: Database, sourceId: string, headers: IncomingHttpHeaders, body: Buffer): Promise<ReceiveOutcome> {
  const source = await sourceForVerification(database.db, sourceId);
  if (!source || !verifySignature(source, headers, body)) return refused(401, 'The request is not signed with this source\'s secret (or the source does not exist).');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return refused(400, 'The body is not JSON: send one object or an array of objects.');
  }
  const objects = Array.isArray(parsed) ? parsed : [parsed];
  if (objects.length === 0) return refused(400, 'The body is an empty array: send one object or an array of objects.');
  if (objects.length > MAX_BATCH) return refused(413, `At most ${MAX_BATCH} objects per delivery; split the batch.`);
  if (!Array.isArray(parsed) && (parsed === null || typeof parsed !== 'object')) return refused(400, 'The body must be a JSON object or an array of objects.');
  const given = deliveryIdOf(source.verification, headers);
  if (given !== undefined && (given.length === 0 || given.length > MAX_DELIVERY_ID)) return refused(400, `The delivery id header must be 1–${MAX_DELIVERY_ID} characters.`);
  const deliveryId = given ?? `generated:${randomUUID()}`;
  const stored = await insertDelivery(database.db, { sourceId: source.id, domainId: source.domainId, deliveryId, payload: body.toString('utf8') });
  return { status: 202, body: { status: stored ? 'queued' : 'duplicate', deliveryId: given ?? null, objects: objects.length }, queued: stored !== null };
}
