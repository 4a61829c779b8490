import { randomUUID } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { NewEvent } from '../events/event.repository.js';
import { profileInputFrom } from '../object-type/mapping.js';
import type { ObjectTypeView } from '../object-type/object-type.service.js';
import { deleteKeysBySource, lockKeys, type KeyValue, type ProfileRow, type ProfileValues } from '../profile/profile.repository.js';
import { profiles } from '../profile/profile.table.js';
import { PROFILE_OBJECT, profileKeysOf, profilePatch } from '../profile/profile.service.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { profileObjects } from './ingest.table.js';
import { deleteProfileKeysOf, evictBeyondMany, existingObjects, insertKeys, insertRows, keyHits, lockProfiles, updateProfiles } from './bulk.repository.js';
import { deadLetterReason, putProfileObject, type IngestResult } from './ingest.service.js';
import { validateBuiltIn } from './built-in.js';
import { insertDeadLetters, objectKeySource } from './ingest.repository.js';
import { canonical, matchPairs, mergeMapped, newProfileValues, noMatchReason, prepareObject, resolveMatch, storedKeys, type PreparedObject } from './rules.js';

export interface BulkRow {
  /** Reported back as the result's index (imports use the line number). */
  index: number;
  object: Record<string, unknown>;
}

interface Pending extends BulkRow {
  prepared: PreparedObject;
  /** The object's mapped profile fields, validated once. */
  patch: Partial<ProfileValues>;
}

const pairKey = (keyName: string, value: string) => `${keyName}\u0000${value}`;

/** A bad row found without writing: its index and why. */
export interface RowProblem {
  index: number;
  reason: string;
}

/**
 * Validates rows as ingestion would before writing anything: the object's text and size, its field
 * values, its key values and its mapped profile fields ({@link prepareObject}, profilePatch).
 * Decisions that depend on stored data (matching, "no match and no creation") are not made.
 */
export function validateRows(scope: DomainScope, type: ObjectTypeView, rows: readonly BulkRow[]): RowProblem[] {
  const region = scope.domain.defaultPhoneRegion;
  const problems: RowProblem[] = [];
  for (const row of rows) {
    try {
      if (type.builtIn) validateBuiltIn(type.name, row.object);
      else profilePatch(profileInputFrom(type.fields, prepareObject(type, row.object, region).values), null, region);
    } catch (err) {
      const reason = deadLetterReason(err);
      if (reason === null) throw err;
      problems.push({ index: row.index, reason });
    }
  }
  return problems;
}

/**
 * Ingests many objects of one custom type with a constant number of statements per batch (instead
 * of ~15 per object), deciding exactly as putProfileObject does: the matching, creation, merge and
 * key rules are the shared functions in rules.ts, and decisions inside a batch see the profiles and
 * keys created earlier in the same batch. Objects that replace a stored object with different data
 * go through the one-object path after the batch (rare in loads; keeps replacement semantics exact).
 *
 * One bad row never sinks the others: rows are validated before the batch is written, and a batch
 * whose write still fails with an error that is a row's doing (the database refusing a value, see
 * refusedByDatabase) is split in halves until the bad rows are alone; those are dead-lettered and
 * every other row lands, in input order. Errors that are the server's (connection lost …) are thrown.
 */
export async function ingestBulk(scope: DomainScope, type: ObjectTypeView, rows: readonly BulkRow[]): Promise<IngestResult[]> {
  if (rows.length > 4096) throw new Error('ingestBulk takes at most 4,096 rows per call (ids order rows with a 12-bit sequence).');
  if (type.builtIn) {
    const out: IngestResult[] = [];
    for (const r of rows) out.push(await putProfileObject(scope, type.name, r.object, r.index, type));
    return out;
  }
  const region = scope.domain.defaultPhoneRegion;
  const results = new Map<number, IngestResult>();
  const deadLettered: { row: BulkRow; reason: string }[] = [];
  const dead = (row: BulkRow, reason: string) => {
    deadLettered.push({ row, reason });
    results.set(row.index, deadResult(row.index, reason));
  };

  // Segments never hold the same UNIQUE value twice: a later duplicate must see the earlier write.
  const segments: Pending[][] = [[]];
  let seen = new Set<string>();
  for (const row of rows) {
    try {
      const prepared = prepareObject(type, row.object, region);
      // Validate mapped profile values up front, so a bad value dead-letters before any decision.
      const patch = profilePatch(profileInputFrom(type.fields, prepared.values), null, region);
      if (seen.has(prepared.uniqueKey)) {
        segments.push([]);
        seen = new Set();
      }
      seen.add(prepared.uniqueKey);
      segments[segments.length - 1]!.push({ ...row, prepared, patch });
    } catch (err) {
      const reason = deadLetterReason(err);
      if (reason === null) throw err;
      dead(row, reason);
    }
  }

  /** Writes rows in order; a failed write is split until the rows it blames are alone. */
  const write = async (rows: Pending[]): Promise<void> => {
    let queue = rows;
    while (queue.length > 0) {
      let outcome: SegmentOutcome;
      try {
        const current = queue;
        outcome = await writeTransaction(scope, (tx, emit) => ingestSegment(tx, scope, type, current, emit));
      } catch (err) {
        const reason = deadLetterReason(err);
        if (reason === null) throw err;
        if (queue.length === 1) dead(queue[0]!, reason);
        else {
          const half = Math.ceil(queue.length / 2);
          await write(queue.slice(0, half));
          await write(queue.slice(half));
        }
        return;
      }
      // Only a committed write counts: its results and dead letters are kept now.
      for (const r of outcome.results) results.set(r.index, r);
      for (const d of outcome.dead) dead(d.row, d.reason);
      if (outcome.rest.length === 0) return;
      // rest[0] replaces a stored object with different data: the one-object path, in input order.
      const replacement = outcome.rest[0]!;
      results.set(replacement.index, await putProfileObject(scope, type.name, replacement.object, replacement.index, type));
      queue = outcome.rest.slice(1);
    }
  };
  for (const segment of segments) await write(segment);
  await insertDeadLetters(scope.database.db, scope.domain.id, type.name, deadLettered.map((d) => ({ object: d.row.object, reason: d.reason })));
  return rows.map((r) => results.get(r.index)!);
}

const deadResult = (index: number, reason: string): IngestResult => ({
  index,
  outcome: 'DEAD_LETTERED',
  object: null,
  profile: null,
  profileId: null,
  matchedKey: null,
  replaced: false,
  reason,
});

interface SegmentOutcome {
  /** Results of the rows written (or found unchanged). */
  results: IngestResult[];
  /** Rows the rules refuse (no match and no creation). */
  dead: { row: BulkRow; reason: string }[];
  /** From the first row that replaces a stored object on: not written here. */
  rest: Pending[];
}

/** Writes one segment in the caller's transaction; nothing it reports counts unless that commits. */
async function ingestSegment(tx: Tx, scope: DomainScope, type: ObjectTypeView, segment: Pending[], emit: (e: NewEvent) => void): Promise<SegmentOutcome> {
  const domainId = scope.domain.id;
  const out: SegmentOutcome = { results: [], dead: [], rest: [] };
  const region = scope.domain.defaultPhoneRegion;
  const lockPairs: KeyValue[] = [];
  for (const r of segment) {
    lockPairs.push({ keyName: `unique:${type.name}`, value: r.prepared.uniqueKey });
    for (const [keyName, value] of r.prepared.keyValues) lockPairs.push({ keyName, value });
  }
  await lockKeys(tx, domainId, lockPairs);

  const existing = await existingObjects(tx, domainId, type.name, segment.map((r) => r.prepared.uniqueKey));
  const fresh: Pending[] = [];
  for (let i = 0; i < segment.length; i++) {
    const r = segment[i]!;
    const ex = existing.get(r.prepared.uniqueKey);
    if (!ex) fresh.push(r);
    else if (canonical(ex.data) === canonical(r.object)) {
      out.results.push({ index: r.index, outcome: 'ATTACHED', object: null, profile: null, profileId: ex.profileId, matchedKey: r.prepared.uniqueKeyName, replaced: false, unchanged: true, reason: null });
    } else {
      // Stop before a replacement; the caller runs it on its own and continues after it.
      out.rest = segment.slice(i);
      break;
    }
  }
  if (fresh.length === 0) return out;

  const hits = await keyHits(tx, domainId, fresh.flatMap((r) => matchPairs(type, r.prepared.keyValues)));
  // Keys that profiles gained earlier in this batch (created profiles, stored object keys).
  const batchKeys = new Map<string, Set<string>>();
  const addBatchKey = (k: KeyValue, profileId: string) => {
    const id = pairKey(k.keyName, k.value);
    let set = batchKeys.get(id);
    if (!set) batchKeys.set(id, (set = new Set()));
    set.add(profileId);
  };
  const lookup = (keyName: string, value: string): string[] => {
    const id = pairKey(keyName, value);
    return [...new Set([...(hits.get(id) ?? []), ...(batchKeys.get(id) ?? [])])];
  };

  // Decide every object in order.
  type Decision = { row: Pending; profileId: string; created: boolean; matchedKey: string | null };
  const decisions: Decision[] = [];
  const created = new Map<string, ProfileRow>();
  const now = batchClock();
  for (const row of fresh) {
    const { keyValues, values } = row.prepared;
    const match = await resolveMatch(type, keyValues, lookup);
    let profileId = match.profileId;
    let isNew = false;
    if (!profileId) {
      if (!type.allowProfileCreation) {
        out.dead.push({ row, reason: noMatchReason(match.tried) });
        continue;
      }
      profileId = randomUUID();
      const at = new Date(now);
      const p = { ...newProfileValues(type, values, region, row.patch) } as Partial<ProfileRow>;
      const profile: ProfileRow = {
        ...(emptyProfile(profileId, domainId, at) as ProfileRow),
        ...p,
      } as ProfileRow;
      created.set(profileId, profile);
      for (const k of profileKeysOf(profile)) addBatchKey(k, profileId);
      isNew = true;
    }
    for (const k of storedKeys(type, keyValues, isNew)) addBatchKey(k, profileId);
    decisions.push({ row, profileId, created: isNew, matchedKey: match.matchedKey });
  }

  // Merge mapped fields in order, onto locked current rows (or rows created above).
  const current = new Map<string, ProfileRow & { merges: number }>();
  for (const p of await lockProfiles(tx, domainId, [...new Set(decisions.filter((d) => !created.has(d.profileId)).map((d) => d.profileId))])) {
    current.set(p.id, { ...p, merges: 0 });
  }
  const objects: Record<string, unknown>[] = [];
  const objectKeys: { profileId: string; keyName: string; value: string; source: string }[] = [];
  const touchedProfiles = new Set<string>();
  decisions.forEach((d, i) => {
    const at = new Date(now);
    const objectId = orderedUuid(now, i);
    if (d.created) {
      const p = created.get(d.profileId)!;
      emit({ type: 'PROFILE_CREATED', profileId: p.id, objectType: PROFILE_OBJECT, objectId: p.id, changes: createdChanges(p) });
    } else {
      const base = current.get(d.profileId) ?? (created.get(d.profileId) as ProfileRow & { merges: number });
      const merge = mergeMapped(type, base, d.row.prepared.values, region);
      if (merge) {
        const next = { ...base, ...merge.changed, fieldSources: merge.fieldSources, updatedAt: at, merges: (base.merges ?? 0) + 1 } as ProfileRow & { merges: number };
        if (created.has(d.profileId)) created.set(d.profileId, next);
        else current.set(d.profileId, next);
        touchedProfiles.add(d.profileId);
        emit({ type: 'PROFILE_UPDATED', profileId: d.profileId, objectType: PROFILE_OBJECT, objectId: d.profileId, changes: merge.changes });
      }
    }
    objects.push({ id: objectId, domainId, objectType: type.name, profileId: d.profileId, uniqueKey: d.row.prepared.uniqueKey, data: d.row.object, createdAt: at, updatedAt: at });
    for (const k of storedKeys(type, d.row.prepared.keyValues, d.created)) {
      objectKeys.push({ profileId: d.profileId, keyName: k.keyName, value: k.value, source: objectKeySource(type.name, d.row.prepared.uniqueKey) });
    }
    emit({ type: 'OBJECT_INGESTED', profileId: d.profileId, objectType: type.name, objectId });
    out.results.push({ index: d.row.index, outcome: d.created ? 'CREATED_PROFILE' : 'ATTACHED', object: null, profile: null, profileId: d.profileId, matchedKey: d.matchedKey, replaced: false, reason: null });
  });

  // A profile created in this batch counts one version per later merge, as the one-object path does.
  const newProfiles = [...created.values()].map((p) => ({ ...p, version: 1 + ((p as { merges?: number }).merges ?? 0) }));
  await insertRows(tx, profiles, 'profiles', newProfiles);
  const updated = [...touchedProfiles].filter((id) => current.has(id)).map((id) => current.get(id)!);
  await updateProfiles(tx, domainId, updated);
  await deleteProfileKeysOf(tx, domainId, updated.map((p) => p.id));
  const profileKeyRows = [...newProfiles, ...updated].flatMap((p) => profileKeysOf(p).map((k) => ({ profileId: p.id, keyName: k.keyName, value: k.value, source: 'profile' })));
  await insertKeys(tx, domainId, [...profileKeyRows, ...objectKeys]);
  await insertRows(tx, profileObjects, 'profile_objects', objects);
  if (type.maxObjectsPerProfile) {
    const evicted = await evictBeyondMany(tx, domainId, type.name, [...new Set(decisions.map((d) => d.profileId))], type.maxObjectsPerProfile);
    await deleteKeysBySource(tx, domainId, evicted.map((u) => objectKeySource(type.name, u)));
  }
  return out;
}

let lastBatchMs = 0;
/** A strictly increasing millisecond per batch, so a later batch never ties with an earlier one. */
function batchClock(): number {
  lastBatchMs = Math.max(Date.now(), lastBatchMs + 1);
  return lastBatchMs;
}

/**
 * A UUID that sorts in input order within a batch (UUIDv7 layout: 48-bit millisecond time, then a
 * sequence number, then random bits). Objects of one batch share a millisecond timestamp, so the data
 * limit's `order by updated_at desc, id desc` keeps the last ingested, as the one-object path does.
 */
function orderedUuid(nowMs: number, seq: number): string {
  const ts = nowMs.toString(16).padStart(12, '0');
  const rand = randomUUID().replace(/-/g, '');
  const s = (seq & 0xfff).toString(16).padStart(3, '0');
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${s}-${((parseInt(rand[0]!, 16) & 0x3) | 0x8).toString(16)}${rand.slice(1, 4)}-${rand.slice(4, 16)}`;
}

function emptyProfile(id: string, domainId: string, at: Date): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const key of Object.keys(getTableColumns(profiles))) row[key] = null;
  return {
    ...row,
    id,
    domainId,
    attributes: {},
    manualFields: [],
    fieldSources: {},
    inferred: true,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

function createdChanges(p: ProfileRow): Record<string, { before: unknown; after: unknown }> {
  const skip = new Set(['id', 'domainId', 'createdAt', 'updatedAt', 'version', 'inferred', 'manualFields', 'fieldSources']);
  const out: Record<string, { before: unknown; after: unknown }> = {};
  for (const [k, v] of Object.entries(p)) {
    if (skip.has(k) || v === null || v === undefined) continue;
    if (k === 'attributes' && Object.keys(v as object).length === 0) continue;
    out[k] = { before: null, after: v };
  }
  return out;
}
