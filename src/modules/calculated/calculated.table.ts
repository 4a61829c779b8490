import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';
import { profiles } from '../profile/profile.table.js';
import type { DefinitionSpec } from './calculated.types.js';

/**
 * A domain's calculated attribute definitions (ACCP's calculated attributes). `spec` holds the
 * checked definition (expression as parsed, statistic, window, conditions, threshold); `version`
 * grows with every change, and values computed for an older version are partial until the
 * backfill (inline or a CALCULATED_BACKFILL job) reaches them.
 */
export const calculatedAttributes = pgTable(
  'calculated_attributes',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    objectType: text('object_type').notNull(),
    spec: jsonb('spec').$type<DefinitionSpec>().notNull(),
    version: integer('version').notNull().default(1),
    /** The version every profile's value has been computed for (backfill done), or null while a backfill runs. */
    backfilledVersion: integer('backfilled_version'),
    /** The backfill job of the current version (large domains), if any. */
    backfillJobId: uuid('backfill_job_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [uniqueIndex('calculated_attributes_domain_name_uq').on(t.domainId, t.name), index('calculated_attributes_domain_type_idx').on(t.domainId, t.objectType)],
);

/**
 * The current value of each calculated attribute per profile, kept exact by the writes of its object
 * type (in the writing transaction) and by time (`valid_until`). A profile with no object in the
 * window has no row (read as 0 for COUNT, null otherwise). Exactly one `value_*` column is set,
 * by the definition's result type; a threshold's underlying number stays in `value_number`.
 */
export const calculatedAttributeValues = pgTable(
  'calculated_attribute_values',
  {
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    valueNumber: numeric('value_number'),
    valueText: text('value_text'),
    valueBool: boolean('value_bool'),
    valueTime: timestamp('value_time', { withTimezone: true, mode: 'date' }),
    /** Computed for an older version of the definition (a backfill has not reached it yet). */
    definitionVersion: integer('definition_version').notNull(),
    /** The newest object the value counts. */
    lastObjectAt: timestamp('last_object_at', { withTimezone: true, mode: 'date' }),
    /** When the value next changes by time alone (its oldest object leaves a lastDays window); null: never. */
    validUntil: timestamp('valid_until', { withTimezone: true, mode: 'date' }),
    computedAt: timestamp('computed_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [
    primaryKey({ columns: [t.domainId, t.profileId, t.name] }),
    // Partial: a row has one value column set, so it enters one value index (not four, three of them
    // with a null) — a third of the index writes per recomputed value, a quarter of the index size.
    // Every reader's predicate on a value column is strict (`value_number >= $1`, `is not null`, …),
    // which implies the index condition, so the planner still uses them.
    index('calculated_values_number_idx').on(t.domainId, t.name, t.valueNumber).where(sql`value_number is not null`),
    index('calculated_values_text_idx').on(t.domainId, t.name, t.valueText).where(sql`value_text is not null`),
    index('calculated_values_time_idx').on(t.domainId, t.name, t.valueTime).where(sql`value_time is not null`),
    index('calculated_values_bool_idx').on(t.domainId, t.name, t.valueBool).where(sql`value_bool is not null`),
    index('calculated_values_expiry_idx').on(t.validUntil).where(sql`valid_until is not null`),
  ],
);
