/**
 * Merging profiles and undoing merges (PRODUCT.md "Identity resolution"). A merge, in one
 * transaction: locks — the domain's ingestion lock exclusively (so no ingestion batch or key locker
 * holds anything it needs), the involved objects' rows, the profiles' rows in id order, and last,
 * through maintainAllValues, the calculated-values locks: the order every other writer takes them
 * in (object → profile → values) — then journals every involved row, resolves the fields,
 * re-points every object and key to the main profile, deletes the merged profiles, recomputes the
 * main profile's calculated values and emits the events. `unmergeProfiles` replays the journal backwards (rules in the README).
 */
import { randomUUID } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { badInput, conflict, notFound } from '../../errors.js';
import { attributeList } from '../attributes.js';
import { maintainAllValues } from '../calculated/calculated.service.js';
import type { FieldChanges, NewEvent } from '../events/event.repository.js';
import { profileUpdatedEvent } from '../events/profile-events.js';
import { UUID } from '../pagination.js';
import { profilesByIds, replaceProfileKeys, updateProfileRow, type ProfileRow, type ProfileValues } from '../profile/profile.repository.js';
import { fullName, profileKeysOf } from '../profile/profile.service.js';
import { profiles } from '../profile/profile.table.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import {
  activeMergesOf,
  adoptKeys,
  deleteProfiles,
  dropMergeKeys,
  findMerge,
  insertMerge,
  keySnapshots,
  keysOfSources,
  lockDomainForMerge,
  lockJournal,
  lockObjectsOf,
  lockProfileSnapshots,
  markUnmerged,
  objectsOfProfiles,
  pointObjects,
  restoreKeys,
  restoreProfiles,
  restoreValues,
  setProfileColumns,
  valueSnapshots,
  type ObjectRef,
  type ProfileMergeView,
} from './merge.repository.js';
import { MERGE_FIELDS, resolveMerge, type ConflictResolution } from './merge.resolve.js';
import type { MovedObjectEntry } from './merge.table.js';

export type { ProfileMergeView } from './merge.repository.js';

/** At most this many profiles folded into a main one per merge. */
export const MAX_MERGED_PROFILES = 20;
const MAX_SOURCE_PRIORITY = 50;
const MAX_NAME = 255;
/** The objectType of MERGED / UNMERGED events (their objectId is the merge id). */
export const MERGE_OBJECT = 'merge';

export type MergeOrigin = 'MANUAL' | 'AUTO';

export interface MergeRequest {
  mainProfileId: string;
  profileIdsToMerge: readonly string[];
  fieldSources?: readonly { field: string; profileId: string }[] | null | undefined;
  conflictResolution?: ConflictResolution | null | undefined;
  sourcePriority?: readonly string[] | null | undefined;
  dryRun?: boolean | null | undefined;
  origin?: MergeOrigin | undefined;
}

export interface MovedObject {
  id: string;
  kind: string;
  fromProfileId: string;
}

export interface MergeOutcome {
  dryRun: boolean;
  merge: ProfileMergeView | null;
  result: { id: string; version: number; fields: Record<string, unknown> };
  movedObjects: MovedObject[];
}

interface Checked {
  mainId: string;
  otherIds: string[];
  fieldSources: Map<string, string>;
  conflictResolution: ConflictResolution;
  sourcePriority: string[];
}

const MERGEABLE = new Set(MERGE_FIELDS);

function check(req: MergeRequest): Checked {
  const mainId = req.mainProfileId;
  const others = [...req.profileIdsToMerge];
  if (others.length < 1) throw badInput('profileIdsToMerge must name at least one profile to merge into the main one.', 'profileIdsToMerge');
  if (others.length > MAX_MERGED_PROFILES) {
    throw badInput(`profileIdsToMerge names ${others.length} profiles; at most ${MAX_MERGED_PROFILES} can be merged at once.`, 'profileIdsToMerge');
  }
  if (others.includes(mainId)) throw badInput(`The main profile "${mainId}" is also in profileIdsToMerge; list only the other profiles.`, 'profileIdsToMerge');
  const dup = others.find((id, i) => others.indexOf(id) !== i);
  if (dup !== undefined) throw badInput(`profileIdsToMerge lists "${dup}" twice.`, 'profileIdsToMerge');
  for (const id of [mainId, ...others]) if (!UUID.test(id)) throw notFound('Profile', id);
  const involved = new Set([mainId, ...others]);
  const fieldSources = new Map<string, string>();
  for (const { field, profileId } of req.fieldSources ?? []) {
    if (!MERGEABLE.has(field)) {
      throw badInput(`fieldSources: "${field.slice(0, 60)}" is not a profile field; use one of ${[...MERGEABLE].join(', ')} (a whole address, not address.city).`, 'fieldSources');
    }
    if (fieldSources.has(field)) throw badInput(`fieldSources names "${field}" twice.`, 'fieldSources');
    if (!involved.has(profileId)) throw badInput(`fieldSources: "${field}" comes from "${profileId}", which is not one of the profiles being merged.`, 'fieldSources');
    fieldSources.set(field, profileId);
  }
  const sourcePriority = [...(req.sourcePriority ?? [])];
  if (sourcePriority.length > MAX_SOURCE_PRIORITY) throw badInput(`sourcePriority has ${sourcePriority.length} entries; at most ${MAX_SOURCE_PRIORITY}.`, 'sourcePriority');
  if (sourcePriority.some((s) => s.length < 1 || s.length > MAX_NAME)) throw badInput(`sourcePriority entries must be 1–${MAX_NAME} characters.`, 'sourcePriority');
  const conflictResolution = req.conflictResolution ?? 'RECENCY';
  if (conflictResolution === 'SOURCE' && sourcePriority.length === 0) {
    throw badInput('conflictResolution SOURCE needs sourcePriority: the object types (or "manual") in the order they win.', 'sourcePriority');
  }
  return { mainId, otherIds: others, fieldSources, conflictResolution, sourcePriority };
}

/** The source name (object type) an object stands for, for SOURCE resolution. */
const sourceOfKind = (kind: string): string => (kind === 'contact' ? '_ctr' : kind === 'case' ? '_case' : kind === 'order' ? '_order' : kind.slice('object:'.length));

/** A profile row's client fields as the Profile type shows them (attributes as key/value pairs). */
function previewFields(row: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const f of MERGE_FIELDS) fields[f] = f === 'attributes' ? attributeList((row.attributes ?? {}) as Record<string, string>) : (row[f] ?? null);
  fields.fullName = fullName(row as Pick<ProfileRow, 'firstName' | 'middleName' | 'lastName'>);
  return fields;
}

/** Fails with NOT_FOUND, or CONFLICT naming where it went when the id was merged away. */
async function missing(tx: Executor, scope: DomainScope, id: string): Promise<never> {
  const [m] = await activeMergesOf(tx, scope.domain.id, [id], 'MERGED');
  if (m) {
    throw conflict(`Profile "${id}" was merged into profile "${m.mainProfileId}" (merge "${m.id}"); use that profile, or undo the merge first.`, {
      reason: 'PROFILE_MERGED',
      profileId: id,
      mainProfileId: m.mainProfileId,
      mergeId: m.id,
    });
  }
  throw notFound('Profile', id);
}

const changesOf = (before: ProfileRow, after: ProfileRow): FieldChanges => {
  const c: FieldChanges = {};
  for (const f of MERGE_FIELDS) {
    const b = (before as unknown as Record<string, unknown>)[f] ?? null;
    const a = (after as unknown as Record<string, unknown>)[f] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) c[f] = { before: b, after: a };
  }
  return c;
};

/**
 * mergeProfiles: folds `profileIdsToMerge` into the main profile (or, with dryRun, reports what it
 * would do and writes nothing).
 */
export async function mergeProfiles(scope: DomainScope, req: MergeRequest): Promise<MergeOutcome> {
  const c = check(req);
  const origin = req.origin ?? 'MANUAL';
  if (req.dryRun) return scope.database.db.transaction((tx) => run(tx, scope, c, origin, null));
  return writeTransaction(scope, (tx, emit) => run(tx, scope, c, origin, emit));
}

/** For the matcher's auto-merge: the same merge, origin AUTO, no dry run. */
export async function merge(
  scope: DomainScope,
  req: { mainProfileId: string; profileIdsToMerge: readonly string[]; conflictResolution?: ConflictResolution; sourcePriority?: readonly string[]; origin?: MergeOrigin },
): Promise<{ mergeId: string }> {
  const out = await mergeProfiles(scope, { ...req, origin: req.origin ?? 'AUTO', dryRun: false });
  return { mergeId: out.merge!.id };
}

async function run(tx: Executor, scope: DomainScope, c: Checked, origin: MergeOrigin, emit: ((e: NewEvent) => void) | null): Promise<MergeOutcome> {
  const domainId = scope.domain.id;
  const all = [c.mainId, ...c.otherIds];
  const write = emit !== null;
  if (write) {
    await lockDomainForMerge(tx, domainId);
    await lockObjectsOf(tx, domainId, all);
  }
  // with the profiles' rows locked no object can attach to them any more: the list below is complete
  const snapshots = await lockProfileSnapshots(tx, domainId, all, write);
  for (const id of all) if (!snapshots.has(id)) await missing(tx, scope, id);
  const byId = new Map((await profilesByIds(tx, domainId, all)).map((r) => [r.id, r]));
  const rows = all.map((id) => byId.get(id)!);
  const objects = await objectsOfProfiles(tx, domainId, all);
  const sourcesOf = new Map<string, Set<string>>();
  for (const o of objects) sourcesOf.set(o.profileId, (sourcesOf.get(o.profileId) ?? new Set()).add(sourceOfKind(o.kind)));
  const { values } = resolveMerge({ rows, fieldSources: c.fieldSources, conflictResolution: c.conflictResolution, sourcePriority: c.sourcePriority, sourcesOf });
  const toMove = objects.filter((o) => o.profileId !== c.mainId);
  const main = rows[0]!;

  if (!write) {
    return {
      dryRun: true,
      merge: null,
      result: { id: main.id, version: main.version + 1, fields: previewFields(values) },
      movedObjects: toMove.map((o) => ({ id: o.id, kind: o.kind, fromProfileId: o.profileId })),
    };
  }

  const mergeId = randomUUID();
  const priorKeys = await keySnapshots(tx, domainId, all);
  const priorValues = await valueSnapshots(tx, domainId, c.otherIds);
  const moved = await pointObjects(
    tx,
    domainId,
    toMove.map((o) => ({ id: o.id, kind: o.kind, source: o.source, fromProfileId: o.profileId, toProfileId: c.mainId })),
  );
  const movedObjects: MovedObjectEntry[] = toMove.filter((o) => moved.has(o.id)).map((o) => ({ id: o.id, kind: o.kind, fromProfileId: o.profileId, source: o.source }));
  await adoptKeys(tx, domainId, c.otherIds, c.mainId, mergeId);
  await deleteProfiles(tx, domainId, c.otherIds);
  const after = await updateProfileRow(tx, domainId, c.mainId, values as Partial<ProfileValues>);
  await replaceProfileKeys(tx, domainId, c.mainId, profileKeysOf(after));
  await maintainAllValues(tx, scope, [c.mainId]);
  const mainAfter = (await lockProfileSnapshots(tx, domainId, [c.mainId], false)).get(c.mainId)!;
  const view = await insertMerge(tx, domainId, {
    id: mergeId,
    mainProfileId: c.mainId,
    mergedProfileIds: c.otherIds,
    origin,
    priorProfiles: all.map((id) => snapshots.get(id)!),
    priorKeys,
    priorValues,
    movedObjects,
    mainAfter,
  });

  const changes = changesOf(main, after);
  if (Object.keys(changes).length > 0) emit(profileUpdatedEvent(c.mainId, changes));
  emit({
    type: 'MERGED',
    profileId: c.mainId,
    objectType: MERGE_OBJECT,
    objectId: mergeId,
    changes: { mergedProfileIds: { before: null, after: c.otherIds }, origin: { before: null, after: origin } },
  });
  for (const id of c.otherIds) {
    emit({ type: 'MERGED', profileId: id, objectType: MERGE_OBJECT, objectId: mergeId, changes: { mergedInto: { before: null, after: c.mainId } } });
  }
  return {
    dryRun: false,
    merge: view,
    result: { id: after.id, version: after.version, fields: previewFields(after as unknown as Record<string, unknown>) },
    movedObjects: movedObjects.map(({ id, kind, fromProfileId }) => ({ id, kind, fromProfileId })),
  };
}

/** Profile columns by database name → property name. */
const PROPERTY_OF = new Map(Object.entries(getTableColumns(profiles)).map(([prop, col]) => [col.name, prop]));
/** Columns an unmerge may put back on the main profile (not identity, timestamps or version). */
const RESTORABLE = [...PROPERTY_OF.keys()].filter((c) => !['id', 'domain_id', 'created_at', 'updated_at', 'version'].includes(c));

/** The search identifiers an object carries: its keys, and a contact's phone and e-mail. */
function identifiersOf(o: ObjectRef, keys: readonly { source: string; keyName: string; value: string }[]): Set<string> {
  const ids = new Set(keys.filter((k) => k.source === o.source).map((k) => `${k.keyName}\u0000${k.value}`));
  if (o.phoneNumber) ids.add(`_phone\u0000${o.phoneNumber}`);
  if (o.emailAddress) ids.add(`_email\u0000${o.emailAddress.toLowerCase()}`);
  return ids;
}

/**
 * Undoes a merge: the merged profiles come back exactly as they were (row, version, keys, objects,
 * calculated values); the main profile's fields go back to their pre-merge values except those
 * changed after the merge; objects recorded after the merge stay on the main profile unless they
 * carry the identifiers of exactly one profile of the merge and it is a merged one.
 */
export async function unmergeProfiles(scope: DomainScope, mergeId: string): Promise<{ merge: ProfileMergeView; restoredProfileIds: string[] }> {
  if (!UUID.test(mergeId)) throw notFound('Merge', mergeId);
  return writeTransaction(scope, async (tx, emit) => {
    const domainId = scope.domain.id;
    await lockDomainForMerge(tx, domainId);
    const j = await lockJournal(tx, domainId, mergeId);
    if (!j) throw notFound('Merge', mergeId);
    if (j.unmergedAt) {
      throw conflict(`Merge "${mergeId}" was already undone at ${j.unmergedAt.toISOString()}.`, { reason: 'ALREADY_UNMERGED', mergeId });
    }
    const involved = [j.mainProfileId, ...j.mergedProfileIds];
    const later = await activeMergesOf(tx, domainId, involved, null, j.seq);
    if (later.length > 0) {
      throw conflict(`Profiles of merge "${mergeId}" took part in later merges that are still active (${later.map((m) => m.id).join(', ')}); undo those first, newest first.`, {
        reason: 'LATER_MERGE_ACTIVE',
        mergeIds: later.map((m) => m.id),
      });
    }
    await lockObjectsOf(tx, domainId, [j.mainProfileId]);
    const current = (await lockProfileSnapshots(tx, domainId, [j.mainProfileId], true)).get(j.mainProfileId);
    if (!current) {
      throw conflict(`The main profile "${j.mainProfileId}" of merge "${mergeId}" was deleted, and its objects with it: the merge cannot be undone.`, {
        reason: 'MAIN_PROFILE_DELETED',
        mergeId,
      });
    }
    const [before] = await profilesByIds(tx, domainId, [j.mainProfileId]);
    const merged = new Set(j.mergedProfileIds);

    // the merged profiles, their own keys and calculated values, exactly as journaled
    await restoreProfiles(tx, j.priorProfiles.filter((p) => merged.has(String(p.id))));
    await restoreKeys(tx, j.priorKeys.filter((k) => merged.has(k.profile_id) && !k.source.startsWith('obj:')));
    await restoreValues(tx, j.priorValues);
    await dropMergeKeys(tx, domainId, mergeId);

    // objects that moved go back (those still on the main profile)
    const back = j.movedObjects.map((o) => ({ ...o, fromProfileId: j.mainProfileId, toProfileId: o.fromProfileId }));
    // objects recorded after the merge: to the one merged profile whose identifiers they carry
    const movedIds = new Set(j.movedObjects.map((o) => o.id));
    const fresh = (await objectsOfProfiles(tx, domainId, [j.mainProfileId])).filter((o) => !movedIds.has(o.id) && o.createdAt.getTime() >= j.createdAt.getTime());
    if (fresh.length > 0) {
      const keys = await keysOfSources(tx, domainId, fresh.map((o) => o.source));
      const owners = new Map<string, Set<string>>();
      for (const k of j.priorKeys) {
        if (k.source.startsWith('obj:')) continue;
        const id = `${k.key_name}\u0000${k.value}`;
        owners.set(id, (owners.get(id) ?? new Set()).add(k.profile_id));
      }
      for (const o of fresh) {
        const holders = new Set<string>();
        for (const id of identifiersOf(o, keys)) for (const p of owners.get(id) ?? []) holders.add(p);
        const [only] = holders;
        if (holders.size === 1 && merged.has(only!)) back.push({ id: o.id, kind: o.kind, source: o.source, fromProfileId: j.mainProfileId, toProfileId: only! });
      }
    }
    await pointObjects(tx, domainId, back);

    // the main profile: columns still as the merge left them go back to their pre-merge values
    const prior = j.priorProfiles.find((p) => p.id === j.mainProfileId)!;
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    const restore = RESTORABLE.filter((col) => same(current[col], j.mainAfter[col]) && !same(current[col], prior[col]));
    await setProfileColumns(tx, domainId, j.mainProfileId, prior, restore);
    const [after] = await profilesByIds(tx, domainId, [j.mainProfileId]);
    await replaceProfileKeys(tx, domainId, j.mainProfileId, profileKeysOf(after!));
    await maintainAllValues(tx, scope, involved);
    const view = await markUnmerged(tx, domainId, mergeId);

    const changes = changesOf(before!, after!);
    if (Object.keys(changes).length > 0) emit(profileUpdatedEvent(j.mainProfileId, changes));
    emit({ type: 'UNMERGED', profileId: j.mainProfileId, objectType: MERGE_OBJECT, objectId: mergeId, changes: { restoredProfileIds: { before: null, after: j.mergedProfileIds } } });
    for (const id of j.mergedProfileIds) emit({ type: 'UNMERGED', profileId: id, objectType: MERGE_OBJECT, objectId: mergeId });
    return { merge: view, restoredProfileIds: j.mergedProfileIds };
  });
}

export async function getMerge(scope: DomainScope, id: string): Promise<ProfileMergeView | null> {
  return UUID.test(id) ? findMerge(scope.database.db, scope.domain.id, id) : null;
}

/** The active merge that folded `profileId` into another profile, if any. */
export async function mergedInto(scope: DomainScope, profileId: string): Promise<ProfileMergeView | null> {
  if (!UUID.test(profileId)) return null;
  const [m] = await activeMergesOf(scope.database.db, scope.domain.id, [profileId], 'MERGED');
  return m ?? null;
}
