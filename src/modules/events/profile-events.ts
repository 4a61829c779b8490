/**
 * The one place that builds the events of profile and object writes (and so their history
 * records): every entry point — createProfile, findOrCreateProfile, auto-association, the
 * ingestion pipeline for one object, a batch or an import — emits what these functions return.
 */
import { getTableColumns } from 'drizzle-orm';
import { profiles } from '../profile/profile.table.js';
import type { FieldChanges, NewEvent } from './event.repository.js';

/** `objectType` of events about the profile itself. */
export const PROFILE_OBJECT = 'profile';

/**
 * Profile columns that are bookkeeping, never shown to clients as changes: identity and
 * timestamps, and the ingestion rules' state (who set a field by hand, which source wrote it,
 * whether the profile was inferred).
 */
const INTERNAL = new Set(['id', 'domainId', 'createdAt', 'updatedAt', 'version', 'inferred', 'manualFields', 'fieldSources']);

/** The profile fields a client sees in events, in table order (derived from the table, not listed by hand). */
export const CLIENT_PROFILE_FIELDS: readonly string[] = Object.keys(getTableColumns(profiles)).filter((k) => !INTERNAL.has(k));

const isEmpty = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/** PROFILE_CREATED: every client-visible field the new profile holds, as `{ before: null, after }`. */
export function profileCreatedEvent(row: { id: string }): NewEvent {
  const changes: FieldChanges = {};
  for (const f of CLIENT_PROFILE_FIELDS) {
    const v = (row as Record<string, unknown>)[f];
    if (!isEmpty(v)) changes[f] = { before: null, after: v };
  }
  return { type: 'PROFILE_CREATED', profileId: row.id, objectType: PROFILE_OBJECT, objectId: row.id, changes };
}

/** PROFILE_UPDATED with the changed client-visible fields (internal ones are dropped). */
export function profileUpdatedEvent(profileId: string, changes: FieldChanges): NewEvent {
  const visible: FieldChanges = {};
  for (const [f, c] of Object.entries(changes)) if (!INTERNAL.has(f)) visible[f] = c;
  return { type: 'PROFILE_UPDATED', profileId, objectType: PROFILE_OBJECT, objectId: profileId, changes: visible };
}

/** OBJECT_INGESTED: an object of a custom type was stored (created or replaced) on a profile. */
export function objectIngestedEvent(profileId: string, objectType: string, objectId: string): NewEvent {
  return { type: 'OBJECT_INGESTED', profileId, objectType, objectId };
}
