import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';

export type Verification = 'SHOPIFY_HMAC' | 'HMAC_SHA256' | 'BEARER_TOKEN';

/**
 * Inbound webhook sources: `POST /ingest/<id>` ingests into `object_type` once the request carries
 * the source's signature. `secret` is returned once, by createIngestSource, and never read back.
 */
export const ingestSources = pgTable(
  'ingest_sources',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    objectType: text('object_type').notNull(),
    verification: text('verification').$type<Verification>().notNull(),
    /** HMAC_SHA256: the header carrying the signature (lower case). */
    signatureHeader: text('signature_header'),
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [index('ingest_sources_domain_idx').on(t.domainId)],
);

/**
 * Received webhook deliveries, durable before the sender gets 202: the inbound worker ingests
 * PENDING ones through the pipeline and marks them DONE (the payload is then dropped). A delivery id
 * seen before for the same source is not stored again (duplicate deliveries are ignored).
 */
export const ingestDeliveries = pgTable(
  'ingest_deliveries',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => ingestSources.id, { onDelete: 'cascade' }),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    /** The sender's delivery id (X-Shopify-Webhook-Id, Idempotency-Key …), or a random one. */
    deliveryId: text('delivery_id').notNull(),
    /** Arrival order (the worker ingests a source's deliveries in it). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** The request body as received (JSON: one object or an array); null once ingested. */
    payload: text('payload'),
    status: text('status').$type<'PENDING' | 'DONE'>().notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    /** A worker holds the delivery until then (another instance may take it after). */
    claimedUntil: timestamp('claimed_until', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('ingest_deliveries_source_delivery_uq').on(t.sourceId, t.deliveryId), index('ingest_deliveries_pending_idx').on(t.status, t.seq)],
);
