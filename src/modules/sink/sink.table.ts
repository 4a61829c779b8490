import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';

export type SinkKind = 'WEBHOOK' | 'NATS';
export type SinkStatus = 'ACTIVE' | 'PAUSED' | 'FAILING';
export interface SinkFilter {
  /** Only events whose objectType is one of these (profile, contact, case, order, segment, a custom type). */
  objectTypes?: string[];
  /** Only events of these profiles. */
  profileIds?: string[];
}

/**
 * Outbound event sinks: each reads its domain's event log from its own durable `cursor` (the last
 * event id delivered or skipped) and delivers to a webhook URL or a NATS JetStream subject.
 * `lease_owner` / `lease_until`: the one gateway instance delivering for the sink.
 */
export const eventSinks = pgTable(
  'event_sinks',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<SinkKind>().notNull(),
    url: text('url'),
    subject: text('subject'),
    types: text('types').array().notNull().default(sql`'{}'::text[]`),
    filter: jsonb('filter').$type<SinkFilter>().notNull().default(sql`'{}'::jsonb`),
    secret: text('secret').notNull(),
    /** Webhook: events per request (1: one event per body; more: a JSON array of up to this many). */
    batchSize: integer('batch_size').notNull().default(1),
    status: text('status').$type<SinkStatus>().notNull().default('ACTIVE'),
    cursor: bigint('cursor', { mode: 'number' }).notNull().default(0),
    delivered: bigint('delivered', { mode: 'number' }).notNull().default(0),
    /** When the current run of failures began (null while deliveries succeed). */
    failingSince: timestamp('failing_since', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true, mode: 'date' }),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [index('event_sinks_domain_idx').on(t.domainId)],
);
