import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';
import { profiles } from '../profile/profile.table.js';

/** Objects of custom object types, attached to one profile. */
export const profileObjects = pgTable(
  'profile_objects',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    objectType: text('object_type').notNull(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    /** Value of the type's UNIQUE key; re-ingesting the same value replaces the object. */
    uniqueKey: text('unique_key').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex('profile_objects_unique_uq').on(t.domainId, t.objectType, t.uniqueKey),
    index('profile_objects_profile_recent_idx').on(t.domainId, t.profileId, t.objectType, t.updatedAt.desc(), t.id.desc()),
    index('profile_objects_expiry_idx').on(t.domainId, t.objectType, t.updatedAt),
  ],
);

/** Objects that could not be ingested, with the reason (ACCP's dead-letter destination). */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    objectType: text('object_type').notNull(),
    object: jsonb('object').$type<unknown>().notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    /**
     * sha256 of (object type, stored object, reason): the same bad object refused for the same
     * reason again (a re-run import, a redelivered webhook) counts on its first dead letter.
     */
    fingerprint: text('fingerprint').notNull().default(sql`gen_random_uuid()::text`),
    occurrences: integer('occurrences').notNull().default(1),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [index('dead_letters_domain_idx').on(t.domainId, t.createdAt), uniqueIndex('dead_letters_fingerprint_uq').on(t.domainId, t.fingerprint)],
);
