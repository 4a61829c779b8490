import { badInput, ErrorCode, toAppError } from '../../errors.js';
import { requireObjectType, type ObjectTypeView } from '../object-type/object-type.service.js';
import {
  deleteKeysBySource,
  lockKeys,
  lockProfile,
  profileIdsByKeys,
  replaceProfileKeys,
  updateProfileRow,
  type KeyValue,
  type ProfileRow,
} from '../profile/profile.repository.js';
import { insertProfileWithKeys, PROFILE_OBJECT, profileKeysOf } from '../profile/profile.service.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { ingestBuiltIn } from './built-in.js';
import { refusedByDatabase } from './dead-letter.js';
import { evictBeyond, insertDeadLetters, lockObjectByUnique, objectKeySource, upsertObject, type ProfileObjectRow } from './ingest.repository.js';
import { canonical, checkObject, DeadLetter, mergeMapped, newProfileValues, noMatchReason, prepareObject, resolveMatch, storedKeys } from './rules.js';

export const MAX_BATCH = 500;

export type IngestOutcome = 'ATTACHED' | 'CREATED_PROFILE' | 'DEAD_LETTERED';

export interface IngestResult {
  index: number;
  outcome: IngestOutcome;
  object: ProfileObjectRow | null;
  profile: ProfileRow | null;
  /** Id of the profile when `profile` is not loaded (built-in types, bulk imports). */
  profileId: string | null;
  matchedKey: string | null;
  replaced: boolean;
  /** True when an identical object (same UNIQUE key and data) was already stored: nothing was written. */
  unchanged?: boolean;
  reason: string | null;
}

async function ingestCustom(scope: DomainScope, type: ObjectTypeView, object: Record<string, unknown>, index: number): Promise<IngestResult> {
  const region = scope.domain.defaultPhoneRegion;
  const prepared = prepareObject(type, object, region);
  const { uniqueKey, keyValues, values } = prepared;
  return writeTransaction(scope, async (tx, emit) => {
    const lockPairs: KeyValue[] = [{ keyName: `unique:${type.name}`, value: uniqueKey }, ...[...keyValues].map(([keyName, value]) => ({ keyName, value }))];
    await lockKeys(tx, scope.domain.id, lockPairs);
    const existing = await lockObjectByUnique(tx, scope.domain.id, type.name, uniqueKey);
    let profile: ProfileRow | null = null;
    let matchedKey: string | null = null;
    let created = false;
    if (existing) {
      if (canonical(existing.data) === canonical(object)) {
        // Re-ingesting the very same object: nothing to write (re-running an import changes nothing).
        return { index, outcome: 'ATTACHED', object: existing, profile: null, profileId: existing.profileId, matchedKey: prepared.uniqueKeyName, replaced: false, unchanged: true, reason: null };
      }
      profile = await lockProfile(tx, scope.domain.id, existing.profileId);
      matchedKey = prepared.uniqueKeyName;
    } else {
      const match = await resolveMatch(type, keyValues, async (keyName, value) =>
        (await profileIdsByKeys(tx, scope.domain.id, [{ keyName, value }])).map((h) => h.profileId),
      );
      if (match.profileId) {
        profile = await lockProfile(tx, scope.domain.id, match.profileId);
        matchedKey = match.matchedKey;
      }
      if (!profile) {
        if (!type.allowProfileCreation) throw new DeadLetter(noMatchReason(match.tried));
        profile = await insertProfileWithKeys(tx, scope, newProfileValues(type, values, region), emit);
        created = true;
      }
    }
    if (!created) {
      const merge = mergeMapped(type, profile!, values, region);
      if (merge) {
        profile = await updateProfileRow(tx, scope.domain.id, profile!.id, { ...merge.changed, fieldSources: merge.fieldSources });
        await replaceProfileKeys(tx, scope.domain.id, profile.id, profileKeysOf(profile));
        emit({ type: 'PROFILE_UPDATED', profileId: profile.id, objectType: PROFILE_OBJECT, objectId: profile.id, changes: merge.changes });
      }
    }
    const row = await upsertObject(tx, scope.domain.id, { objectType: type.name, profileId: profile!.id, uniqueKey, data: object });
    await replaceProfileKeys(tx, scope.domain.id, profile!.id, storedKeys(type, keyValues, created), objectKeySource(type.name, uniqueKey));
    if (type.maxObjectsPerProfile) {
      const evicted = await evictBeyond(tx, scope.domain.id, type.name, profile!.id, type.maxObjectsPerProfile);
      await deleteKeysBySource(tx, scope.domain.id, evicted.map((u) => objectKeySource(type.name, u)));
    }
    emit({ type: 'OBJECT_INGESTED', profileId: profile!.id, objectType: type.name, objectId: row.id });
    return { index, outcome: created ? 'CREATED_PROFILE' : 'ATTACHED', object: row, profile, profileId: profile!.id, matchedKey, replaced: existing !== null, reason: null };
  });
}

/**
 * Errors that mean "this object cannot be ingested" (dead letter) rather than "the server failed":
 * the rules' dead letters, invalid values, and the database refusing what the object holds.
 */
export function deadLetterReason(err: unknown): string | null {
  if (err instanceof DeadLetter) return err.message;
  const app = toAppError(err);
  if (app) return app.code === ErrorCode.BAD_USER_INPUT || app.code === ErrorCode.NOT_FOUND || app.code === ErrorCode.CONFLICT ? app.message : null;
  return refusedByDatabase(err);
}

/**
 * Ingests one object. Objects that cannot be ingested (text that cannot be stored, an over-long key
 * value, no UNIQUE value, no match and no creation, an invalid mapped value, a row the database
 * refuses) are dead-lettered with the reason and reported, not thrown.
 */
export async function putProfileObject(scope: DomainScope, typeName: string, object: Record<string, unknown>, index = 0, typeHint?: ObjectTypeView): Promise<IngestResult> {
  const type = typeHint ?? (await requireObjectType(scope, typeName));
  try {
    if (type.builtIn) {
      // Custom types are checked by prepareObject; the built-in services check lengths (ids ≤ 255).
      checkObject(object);
      return { ...(await ingestBuiltIn(scope, type.name, object)), index };
    }
    return await ingestCustom(scope, type, object, index);
  } catch (err) {
    const reason = deadLetterReason(err);
    if (reason === null) throw err;
    await insertDeadLetters(scope.database.db, scope.domain.id, type.name, [{ object, reason }]);
    return { index, outcome: 'DEAD_LETTERED', object: null, profile: null, profileId: null, matchedKey: null, replaced: false, reason };
  }
}

/** Batch form: each object on its own, in order; one bad object never blocks the rest. */
export async function putProfileObjects(scope: DomainScope, typeName: string, objects: readonly Record<string, unknown>[]): Promise<IngestResult[]> {
  if (objects.length > MAX_BATCH) throw badInput(`At most ${MAX_BATCH} objects per call; split the batch (or use an import job).`, 'objects');
  const type = await requireObjectType(scope, typeName);
  const results: IngestResult[] = [];
  for (let i = 0; i < objects.length; i++) results.push(await putProfileObject(scope, typeName, objects[i]!, i, type));
  return results;
}
