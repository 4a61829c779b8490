import type { Tx } from '../../db/database.js';
import { AppError, badInput, ErrorCode, toAppError } from '../../errors.js';
import type { FieldChanges, NewEvent } from '../events/event.repository.js';
import { evaluateFields, normalizeForKey, profileInputFrom } from '../object-type/mapping.js';
import { requireObjectType, type ObjectTypeView } from '../object-type/object-type.service.js';
import type { KeyDefinition } from '../object-type/object-type.table.js';
import {
  deleteKeysBySource,
  lockKeys,
  lockProfile,
  profileIdsByKeys,
  replaceProfileKeys,
  updateProfileRow,
  type KeyValue,
  type ProfileRow,
  type ProfileValues,
} from '../profile/profile.repository.js';
import { insertProfileWithKeys, PROFILE_OBJECT, profileKeysOf, profilePatch } from '../profile/profile.service.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { ingestBuiltIn } from './built-in.js';
import { evictBeyond, insertDeadLetter, lockObjectByUnique, objectKeySource, upsertObject, type ProfileObjectRow } from './ingest.repository.js';

export const MAX_OBJECT_BYTES = 250 * 1024;
export const MAX_BATCH = 500;

export type IngestOutcome = 'ATTACHED' | 'CREATED_PROFILE' | 'DEAD_LETTERED';

export interface IngestResult {
  index: number;
  outcome: IngestOutcome;
  object: ProfileObjectRow | null;
  profile: ProfileRow | null;
  /** Id of the profile when `profile` is not loaded (built-in types). */
  profileId: string | null;
  matchedKey: string | null;
  replaced: boolean;
  /** True when an identical object (same UNIQUE key and data) was already stored: nothing was written. */
  unchanged?: boolean;
  reason: string | null;
}

/** JSON with sorted keys, to compare objects whatever order jsonb stored their keys in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Raised inside the ingest transaction when the object must go to the dead-letter table. */
class DeadLetter extends Error {}

function keyValue(key: KeyDefinition, type: ObjectTypeView, values: ReadonlyMap<string, string>, region: string): string | null {
  const parts: string[] = [];
  for (const name of key.fieldNames) {
    const field = type.fields.find((f) => f.name === name);
    const raw = values.get(name);
    if (!field || raw === undefined) return null;
    const v = normalizeForKey(raw, field.contentType, region);
    if (v === null) return null;
    parts.push(v);
  }
  return parts.join('|');
}

const has = (k: KeyDefinition, id: string) => (k.identifiers as string[]).includes(id);

/**
 * PRODUCT.md's matching: each PROFILE key in order (exactly one profile → attach; several → that
 * key is ambiguous, skip it; none → next key), then the SECONDARY keys the same way.
 */
async function matchProfile(
  tx: Tx,
  scope: DomainScope,
  type: ObjectTypeView,
  keyValues: ReadonlyMap<string, string>,
): Promise<{ profileId: string | null; matchedKey: string | null; tried: string[] }> {
  const tried: string[] = [];
  const phases = [
    type.keys.filter((k) => has(k, 'PROFILE') || (has(k, 'LOOKUP_ONLY') && !has(k, 'SECONDARY'))),
    type.keys.filter((k) => has(k, 'SECONDARY')),
  ];
  for (const phase of phases) {
    for (const key of phase) {
      const value = keyValues.get(key.name);
      if (value === undefined) continue;
      const hits = await profileIdsByKeys(tx, scope.domain.id, [{ keyName: key.name, value }]);
      if (hits.length === 1) return { profileId: hits[0]!.profileId, matchedKey: key.name, tried };
      tried.push(hits.length > 1 ? `${key.name} (ambiguous: ${hits.length >= 101 ? 'over 100' : hits.length} profiles)` : `${key.name} (no match)`);
    }
  }
  return { profileId: null, matchedKey: null, tried };
}

/**
 * Writes an object's mapped fields onto a profile, except fields a person set by hand and fields a
 * higher-priority source wrote. Returns the (possibly) updated row.
 */
async function applyMappedFields(tx: Tx, scope: DomainScope, type: ObjectTypeView, current: ProfileRow, values: ReadonlyMap<string, string>, emit: (e: NewEvent) => void): Promise<ProfileRow> {
  const patch = profilePatch(profileInputFrom(type.fields, values), current, scope.domain.defaultPhoneRegion);
  const changes: FieldChanges = {};
  const changed: Record<string, unknown> = {};
  const sources = { ...current.fieldSources };
  for (const [field, after] of Object.entries(patch)) {
    if (field !== 'attributes' && current.manualFields.includes(field)) continue;
    if ((sources[field] ?? -1) > type.sourcePriority) continue;
    const before = (current as unknown as Record<string, unknown>)[field] ?? null;
    if (after === null || after === undefined) continue; // ingestion adds or replaces values, never clears them
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    changes[field] = { before, after };
    changed[field] = after;
    if (field !== 'attributes') sources[field] = type.sourcePriority;
  }
  if (Object.keys(changed).length === 0) return current;
  const row = await updateProfileRow(tx, scope.domain.id, current.id, { ...(changed as Partial<ProfileValues>), fieldSources: sources });
  await replaceProfileKeys(tx, scope.domain.id, row.id, profileKeysOf(row));
  emit({ type: 'PROFILE_UPDATED', profileId: row.id, objectType: PROFILE_OBJECT, objectId: row.id, changes });
  return row;
}

async function ingestCustom(scope: DomainScope, type: ObjectTypeView, object: Record<string, unknown>, index: number): Promise<IngestResult> {
  const region = scope.domain.defaultPhoneRegion;
  const values = evaluateFields(type.fields, object);
  const uniqueKeyDef = type.keys.find((k) => has(k, 'UNIQUE'))!;
  const uniqueKey = keyValue(uniqueKeyDef, type, values, region);
  if (uniqueKey === null) throw new DeadLetter(`UNIQUE key "${uniqueKeyDef.name}" has no value: field(s) ${uniqueKeyDef.fieldNames.join(', ')} missing or invalid.`);
  const keyValues = new Map<string, string>();
  for (const k of type.keys) {
    const v = keyValue(k, type, values, region);
    if (v !== null) keyValues.set(k.name, v);
  }
  return writeTransaction(scope, async (tx, emit) => {
    const lockPairs: KeyValue[] = [{ keyName: `unique:${type.name}`, value: uniqueKey }, ...[...keyValues].map(([keyName, value]) => ({ keyName, value }))];
    await lockKeys(tx, scope.domain.id, lockPairs);
    const existing = await lockObjectByUnique(tx, scope.domain.id, type.name, uniqueKey);
    let profile: ProfileRow | null = null;
    let matchedKey: string | null = null;
    let created = false;
    if (existing) {
      profile = await lockProfile(tx, scope.domain.id, existing.profileId);
      matchedKey = uniqueKeyDef.name;
    } else {
      const match = await matchProfile(tx, scope, type, keyValues);
      if (match.profileId) {
        profile = await lockProfile(tx, scope.domain.id, match.profileId);
        matchedKey = match.matchedKey;
      }
      if (!profile) {
        if (!type.allowProfileCreation) {
          const tried = match.tried.length ? match.tried.join('; ') : 'no PROFILE or SECONDARY key had a value';
          throw new DeadLetter(`No profile matched (${tried}) and the type does not allow profile creation.`);
        }
        const patch = profilePatch(profileInputFrom(type.fields, values), null, region);
        const fieldSources = Object.fromEntries(Object.keys(patch).filter((f) => f !== 'attributes').map((f) => [f, type.sourcePriority]));
        profile = await insertProfileWithKeys(tx, scope, { ...patch, inferred: true, fieldSources } as ProfileValues, emit);
        created = true;
      }
    }
    if (existing && canonical(existing.data) === canonical(object)) {
      // Re-ingesting the very same object: nothing to write (re-running an import changes nothing).
      return { index, outcome: 'ATTACHED', object: existing, profile, profileId: existing.profileId, matchedKey, replaced: false, unchanged: true, reason: null };
    }
    if (!created) profile = await applyMappedFields(tx, scope, type, profile!, values, emit);
    const row = await upsertObject(tx, scope.domain.id, { objectType: type.name, profileId: profile!.id, uniqueKey, data: object });
    const stored = type.keys
      .filter((k) => !has(k, 'LOOKUP_ONLY') && (!has(k, 'NEW_ONLY') || created) && keyValues.has(k.name))
      .map((k) => ({ keyName: k.name, value: keyValues.get(k.name)! }));
    await replaceProfileKeys(tx, scope.domain.id, profile!.id, stored, objectKeySource(type.name, uniqueKey));
    if (type.maxObjectsPerProfile) {
      const evicted = await evictBeyond(tx, scope.domain.id, type.name, profile!.id, type.maxObjectsPerProfile);
      await deleteKeysBySource(tx, scope.domain.id, evicted.map((u) => objectKeySource(type.name, u)));
    }
    emit({ type: 'OBJECT_INGESTED', profileId: profile!.id, objectType: type.name, objectId: row.id });
    return {
      index,
      outcome: created ? 'CREATED_PROFILE' : 'ATTACHED',
      object: row,
      profile,
      profileId: profile!.id,
      matchedKey,
      replaced: existing !== null,
      reason: null,
    };
  });
}

/**
 * Ingests one object. Objects that cannot be ingested (no UNIQUE value, no match and no creation,
 * an invalid mapped value) are dead-lettered with the reason and reported, not thrown.
 */
export async function putProfileObject(scope: DomainScope, typeName: string, object: Record<string, unknown>, index = 0, typeHint?: ObjectTypeView): Promise<IngestResult> {
  const type = typeHint ?? (await requireObjectType(scope, typeName));
  try {
    if (Buffer.byteLength(JSON.stringify(object)) > MAX_OBJECT_BYTES) throw new DeadLetter(`The object is larger than ${MAX_OBJECT_BYTES / 1024} KB.`);
    if (type.builtIn) return { ...(await ingestBuiltIn(scope, type.name, object)), index };
    return await ingestCustom(scope, type, object, index);
  } catch (err) {
    const app = err instanceof DeadLetter ? null : toAppError(err);
    if (!(err instanceof DeadLetter) && !(app && (app.code === ErrorCode.BAD_USER_INPUT || app.code === ErrorCode.NOT_FOUND || app.code === ErrorCode.CONFLICT))) throw err;
    const reason = err instanceof DeadLetter ? err.message : app!.message;
    await insertDeadLetter(scope.database.db, scope.domain.id, type.name, object, reason);
    return { index, outcome: 'DEAD_LETTERED', object: null, profile: null, profileId: null, matchedKey: null, replaced: false, reason };
  }
}

/** One row of an import (index = its line number). */
export function ingestRow(scope: DomainScope, type: ObjectTypeView, object: Record<string, unknown>, line: number): Promise<IngestResult> {
  return putProfileObject(scope, type.name, object, line, type);
}

/** Batch form: each object on its own, in order; one bad object never blocks the rest. */
export async function putProfileObjects(scope: DomainScope, typeName: string, objects: readonly Record<string, unknown>[]): Promise<IngestResult[]> {
  if (objects.length > MAX_BATCH) throw badInput(`At most ${MAX_BATCH} objects per call; split the batch (or use an import job).`, 'objects');
  const type = await requireObjectType(scope, typeName);
  const results: IngestResult[] = [];
  for (let i = 0; i < objects.length; i++) results.push(await putProfileObject(scope, typeName, objects[i]!, i, type));
  return results;
}

export { AppError };
