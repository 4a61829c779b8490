import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';
import { profiles } from '../profile/profile.table.js';

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    /** null when auto-association found several profiles (or none and creation was not allowed). */
    profileId: uuid('profile_id').references(() => profiles.id, { onDelete: 'cascade' }),
    contactId: text('contact_id').notNull(),
    channel: text('channel').notNull(),
    direction: text('direction'),
    initiatedAt: timestamp('initiated_at', { withTimezone: true, mode: 'date' }).notNull(),
    disconnectedAt: timestamp('disconnected_at', { withTimezone: true, mode: 'date' }),
    queue: text('queue'),
    queueWaitSeconds: integer('queue_wait_seconds'),
    holdSeconds: integer('hold_seconds'),
    agentId: text('agent_id'),
    phoneNumber: text('phone_number'),
    emailAddress: text('email_address'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex('contacts_domain_contact_id_uq').on(t.domainId, t.contactId),
    index('contacts_profile_recent_idx').on(t.domainId, t.profileId, t.initiatedAt.desc(), t.id.desc()),
  ],
);
