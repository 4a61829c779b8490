import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';

/** An object a merge re-pointed from a merged profile to the main one. */
export interface MovedObjectEntry {
  id: string;
  /** contact | case | order | object:<type> */
  kind: string;
  fromProfileId: string;
  /** The object's profile_keys source (its keys moved with it). */
  source: string;
}

/**
 * The merge journal: one row per merge, recording exactly what it changed so `unmergeProfiles`
 * can put it back. Prior rows are stored as Postgres itself serialised them (`to_jsonb(row)`) and
 * restored with `jsonb_populate_recordset`, so every column (present and future) round-trips exactly.
 */
export const profileMerges = pgTable(
  'profile_merges',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    /**
     * Commit order of merges (taken after the merge's locks, so a merge that waited for another one
     * comes after it, whenever its transaction started): "later merge" and "newest first" use it.
     */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    mainProfileId: uuid('main_profile_id').notNull(),
    mergedProfileIds: uuid('merged_profile_ids').array().notNull(),
    /** MANUAL (mergeProfiles) | AUTO (the matcher's auto-merge). */
    origin: text('origin').notNull(),
    /** Every involved profile's row before the merge, main first (to_jsonb of profiles rows). */
    priorProfiles: jsonb('prior_profiles').$type<Record<string, unknown>[]>().notNull(),
    /** Every profile_keys row of the involved profiles before the merge. */
    priorKeys: jsonb('prior_keys').$type<Record<string, unknown>[]>().notNull(),
    /** The merged profiles' calculated_attribute_values rows before the merge. */
    priorValues: jsonb('prior_values').$type<Record<string, unknown>[]>().notNull(),
    /** Which objects moved from which profile. */
    movedObjects: jsonb('moved_objects').$type<MovedObjectEntry[]>().notNull(),
    /** The main profile's row right after the merge: a field still equal to it at unmerge was not changed since. */
    mainAfter: jsonb('main_after').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    unmergedAt: timestamp('unmerged_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('profile_merges_main_idx').on(t.domainId, t.mainProfileId, t.seq.desc())],
);

/** Who took part in each merge (main and merged), to find the merges of a profile by id. */
export const profileMergeMembers = pgTable(
  'profile_merge_members',
  {
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    mergeId: uuid('merge_id')
      .notNull()
      .references(() => profileMerges.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id').notNull(),
    /** MAIN | MERGED */
    role: text('role').notNull(),
  },
  (t) => [primaryKey({ columns: [t.mergeId, t.profileId] }), index('profile_merge_members_profile_idx').on(t.domainId, t.profileId)],
);
