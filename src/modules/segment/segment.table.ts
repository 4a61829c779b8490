import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';
import { profiles } from '../profile/profile.table.js';
import type { Rule } from './segment.model.js';

/** Segment definitions: a rule (canonical tree, segment.rule.ts) per name and domain. */
export const segments = pgTable(
  'segments',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    rule: jsonb('rule').$type<Rule>().notNull(),
    /** Names of the segments the rule references directly (deleteSegment refuses while any referrer exists). */
    refs: text('refs').array().notNull().default(sql`'{}'::text[]`),
    /** The rule (or a segment it reaches) changes with time alone: re-evaluated by the scheduled sweep. */
    timeDependent: boolean('time_dependent').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('segments_domain_name_uq').on(t.domainId, t.name)],
);

/**
 * Live membership: who is in each segment now, as last evaluated. Kept by the segment maintainer
 * (segment.maintainer.ts) from the event log and the time sweep; every change here writes a
 * SEGMENT_ENTERED / SEGMENT_EXITED event in the same transaction.
 */
export const segmentMembers = pgTable(
  'segment_members',
  {
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    segmentId: uuid('segment_id')
      .notNull()
      .references(() => segments.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    enteredAt: timestamp('entered_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.segmentId, t.profileId] }), index('segment_members_profile_idx').on(t.domainId, t.profileId)],
);

/**
 * How far the maintainer has read each domain's event log (exists once the domain has a segment).
 * Its row lock serialises every membership write of the domain across instances.
 */
export const segmentCursors = pgTable('segment_cursors', {
  domainId: uuid('domain_id')
    .primaryKey()
    .references(() => domains.id, { onDelete: 'cascade' }),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
});
