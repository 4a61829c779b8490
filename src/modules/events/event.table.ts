import { nowMs } from '../../db/columns.js';
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';

/**
 * Transactional outbox: one row per change, written in the same transaction as the change.
 * `id` is per domain, gapless and in commit order (allocated from domains.last_event_id).
 */
export const events = pgTable(
  'events',
  {
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    profileId: uuid('profile_id'),
    objectType: text('object_type'),
    objectId: text('object_id'),
    actorKeyId: uuid('actor_key_id'),
    changes: jsonb('changes').$type<Record<string, { before: unknown; after: unknown }>>(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [
    primaryKey({ columns: [t.domainId, t.id] }),
    index('events_profile_idx').on(t.domainId, t.profileId, t.id),
  ],
);
