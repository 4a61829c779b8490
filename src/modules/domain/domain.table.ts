import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A domain is a tenant: every other row carries its id. */
export const domains = pgTable('domains', {
  id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
  name: text('name').notNull().unique(),
  /** null = keep profiles forever (profilegraph's default; ACCP forces 1–1098 days). */
  defaultExpirationDays: integer('default_expiration_days'),
  /** ISO 3166-1 alpha-2 region used to read phone numbers written without a country code. */
  defaultPhoneRegion: text('default_phone_region').notNull().default('US'),
  eventRetentionDays: integer('event_retention_days').notNull().default(30),
  /** Last event id handed out in this domain; bumped in the writing transaction (gapless, commit-ordered). */
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
});

/** Domain API keys. Only a SHA-256 of the secret is stored. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** First characters of the key, shown to people so they can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('api_keys_domain_idx').on(t.domainId)],
);
