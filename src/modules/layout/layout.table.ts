import { jsonb, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { nowMs } from '../../db/columns.js';
import { domains } from '../domain/domain.table.js';

/** The explorer's profile page layout of a domain: which panels, in what order. No row = the default. */
export const profileLayouts = pgTable('profile_layouts', {
  domainId: uuid('domain_id')
    .primaryKey()
    .references(() => domains.id, { onDelete: 'cascade' }),
  panels: jsonb('panels').$type<string[]>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
});
