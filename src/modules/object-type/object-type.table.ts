import { nowMs } from '../../db/columns.js';
import { boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';

export type ContentType = 'STRING' | 'NUMBER' | 'PHONE_NUMBER' | 'EMAIL_ADDRESS' | 'NAME';
export type KeyIdentifier = 'UNIQUE' | 'PROFILE' | 'SECONDARY' | 'LOOKUP_ONLY' | 'NEW_ONLY';

export interface FieldDefinition {
  name: string;
  /** `_source.path.to.value`, or a template joining fields: `{{_source.first}} {{_source.last}}`. */
  source: string;
  /** `_profile.EmailAddress`, `_profile.Address.PostalCode`, `_profile.Attributes.x`, or null (kept on the object only). */
  target: string | null;
  contentType: ContentType;
}

export interface KeyDefinition {
  name: string;
  identifiers: KeyIdentifier[];
  fieldNames: string[];
}

/** A domain's custom object type: how incoming JSON maps to profile fields and which keys match it. */
export const objectTypes = pgTable(
  'object_types',
  {
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    fields: jsonb('fields').$type<FieldDefinition[]>().notNull(),
    keys: jsonb('keys').$type<KeyDefinition[]>().notNull(),
    allowProfileCreation: boolean('allow_profile_creation').notNull().default(false),
    /** The data limit: keep at most this many objects of the type per profile (newest win). */
    maxObjectsPerProfile: integer('max_objects_per_profile'),
    expirationDays: integer('expiration_days'),
    /** Higher wins when two sources write the same profile field. */
    sourcePriority: integer('source_priority').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [primaryKey({ columns: [t.domainId, t.name] })],
);
