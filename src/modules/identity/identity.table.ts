import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';
import { profiles } from '../profile/profile.table.js';
import type { Model, StoredMatchingConfig } from './identity.types.js';

/** A domain's matching configuration (identity.config.ts) and the model its last full job trained. */
export const matchingConfigs = pgTable('matching_configs', {
  domainId: uuid('domain_id')
    .primaryKey()
    .references(() => domains.id, { onDelete: 'cascade' }),
  config: jsonb('config').$type<StoredMatchingConfig>().notNull(),
  /** m/u/prior of the last full job (on-write matching and similarProfiles score with it). */
  model: jsonb('model').$type<Model>(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
});

export type MatchGroupStatus = 'SUGGESTED' | 'MERGED' | 'DISMISSED';

/** Profiles found to be one person: suggested for review, merged (automatically), or dismissed. */
export const matchGroups = pgTable(
  'match_groups',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    /** Member profile ids, sorted. */
    profileIds: uuid('profile_ids').array().notNull(),
    /** The sorted ids joined: one group per member set. */
    memberKey: text('member_key').notNull(),
    confidence: real('confidence').notNull(),
    method: text('method').notNull(),
    fields: jsonb('fields').$type<{ field: string; level: string; weight: number }[]>().notNull(),
    status: text('status').$type<MatchGroupStatus>().notNull().default('SUGGESTED'),
    mergeId: text('merge_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex('match_groups_members_uq').on(t.domainId, t.memberKey),
    index('match_groups_domain_confidence_idx').on(t.domainId, t.status, t.confidence.desc(), t.id),
    // the groups a profile is in (on-write folding, the explorer's duplicate hints): profile_ids && $ids
    index('match_groups_profiles_idx').using('gin', t.profileIds),
  ],
);

/** Blocking keys per profile ("<rule>=<key>"): candidates are the profiles sharing a key. */
export const matchKeys = pgTable(
  'match_keys',
  {
    domainId: uuid('domain_id').notNull(),
    key: text('key').notNull(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.domainId, t.key, t.profileId] }), index('match_keys_profile_idx').on(t.profileId)],
);

/** How far on-write matching has read the domain's event log. */
export const matchCursors = pgTable('match_cursors', {
  domainId: uuid('domain_id')
    .primaryKey()
    .references(() => domains.id, { onDelete: 'cascade' }),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
});
