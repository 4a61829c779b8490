import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';
import { profiles } from '../profile/profile.table.js';

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    caseId: text('case_id').notNull(),
    title: text('title').notNull(),
    summary: text('summary'),
    status: text('status').notNull(),
    reason: text('reason'),
    priority: text('priority'),
    createdBy: text('created_by'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    closedAt: timestamp('closed_at', { withTimezone: true, mode: 'date' }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('cases_domain_case_id_uq').on(t.domainId, t.caseId),
    index('cases_profile_recent_idx').on(t.domainId, t.profileId, t.createdAt.desc(), t.id.desc()),
  ],
);
