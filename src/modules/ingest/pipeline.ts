/**
 * The one ingestion pipeline. putProfileObject (a batch of one), putProfileObjects, CSV imports,
 * import jobs and the CLI all ingest through {@link ingestObjects}.
 *
 * A batch of objects of one custom type is, in one transaction and a constant number of statements
 * whatever its size:
 *
 *  1. prepared in Node: checked, fields evaluated, keys and mapped profile fields normalised and
 *     validated (each distinct phone and e-mail parsed once); a bad row is dead-lettered here;
 *  2. staged: COPY of the rows (object JSON, UNIQUE value, lock names, key values to match);
 *  3. locked: advisory locks on every UNIQUE value and key value, in one global order (a large
 *     batch: its domain's ingestion lock, exclusively);
 *  4. looked up: one statement finds the stored objects with the batch's UNIQUE values (and whether
 *     each row's object is identical) and, for the rows to match, every profile holding each of
 *     their key values; a second one reads and locks the profiles the batch may write;
 *  5. decided (decide.ts) row after row in input order, as if ingested one by one;
 *  6. written: COPY of the decisions (profiles, objects, keys, events) into staging tables, then
 *     set-based deletes, inserts, updates and the event append from them.
 *
 * A batch whose write the database refuses because of what a row holds is split in halves until
 * the bad rows are alone; those are dead-lettered and every other row lands. Errors that are the
 * server's (a lost connection …) are thrown.
 */
import { badInput } from '../../errors.js';
import { maintainValues } from '../calculated/calculated.service.js';
import { appendStagedEvents } from '../events/event.repository.js';
import { batchNormalizer, type Normalizer } from '../profile/normalize.js';
import type { ObjectTypeView } from '../object-type/object-type.service.js';
import type { Tx } from '../../db/database.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import type { DomainScope } from '../scope.js';
import { ingestBuiltIn, validateBuiltIn } from './built-in.js';
import { decide, type BatchRow, type Decisions, type RowResult, type Snapshot } from './decide.js';
import { insertDeadLetters } from './ingest.repository.js';
import {
  deleteStagedKeys,
  deleteStagedObjects,
  insertStagedKeys,
  insertStagedProfiles,
  loadProfiles,
  lockStaged,
  lookupPairs,
  lookupStaged,
  MAX_KEY_LOCKS,
  trimObjects,
  updateStagedProfiles,
  insertStagedObjects,
} from './pipeline.repository.js';
import { checkObject, deadLetterReason, matchPairs, prepareObject, prepareRest, prepareUnique, type PreparedObject, type UniquePart } from './rules.js';
import { arrayField, columnField, copyInto, ensureStaging, field, line, PROFILE_COLUMNS, STAGING } from './staging.js';

/** Rows one call writes at most in one transaction (object ids order rows with a 12-bit sequence). */
export const MAX_ROWS_PER_BATCH = 4096;

export interface IngestRow {
  /** Reported back as the result's index (imports use the line number). */
  index: number;
  object: Record<string, unknown>;
}

/** What one object became. */
export type IngestRowResult = RowResult;

/** A batch after step 1: the valid rows and the dead letters found without writing. */
export interface PreparedBatch {
  type: ObjectTypeView;
  norm: Normalizer;
  rows: BatchRow[];
  invalid: { row: IngestRow; reason: string }[];
  /**
   * Prepare rows only up to their UNIQUE value until the look-up shows whether their stored object
   * is identical (a re-run): the rest (every key, the mapped fields, the phones) only for the others.
   */
  lazy: boolean;
}

const deadResult = (index: number, reason: string): RowResult => ({
  index,
  outcome: 'DEAD_LETTERED',
  object: null,
  profileId: null,
  matchedKey: null,
  replaced: false,
  unchanged: false,
  reason,
});

/** Key values of a row prepared up to its UNIQUE value (replaced when its preparation is completed). */
const NO_KEYS = new Map<string, string>();

/**
 * A new, empty batch for {@link addRow} (its normalizer remembers the batch's phones and e-mails).
 * `lazy`: see PreparedBatch (imports use it while most rows come back unchanged).
 */
export function newBatch(scope: DomainScope, type: ObjectTypeView, lazy = false): PreparedBatch {
  return { type, norm: batchNormalizer(scope.domain.defaultPhoneRegion), rows: [], invalid: [], lazy: lazy && !type.builtIn };
}

/**
 * Step 1 for one row, of any type: validates it as ingestion will before anything is written (the
 * object's text and size, field values, key values, mapped profile fields; built-in types: their
 * shape). Decisions that depend on stored data (matching, "no match and no creation") are not made.
 * Also the whole of a dry run. Returns the reason when the row is bad.
 */
export function addRow(batch: PreparedBatch, row: IngestRow): string | null {
  if (batch.rows.length + batch.invalid.length >= MAX_ROWS_PER_BATCH) throw badInput(`At most ${MAX_ROWS_PER_BATCH} objects per batch.`, 'objects');
  try {
    if (batch.type.builtIn) {
      validateBuiltIn(batch.type.name, row.object);
      return null;
    }
    const p: UniquePart & Partial<PreparedObject> = batch.lazy ? prepareUnique(batch.type, row.object, batch.norm) : prepareObject(batch.type, row.object, batch.norm);
    batch.rows.push({
      json: p.json,
      values: p.values,
      uniqueKeyName: p.uniqueKeyName,
      uniqueKey: p.uniqueKey,
      keyValues: p.keyValues ?? NO_KEYS,
      patch: p.patch ?? {},
      ready: !batch.lazy,
      seq: batch.rows.length,
      index: row.index,
      object: row.object,
    });
    return null;
  } catch (err) {
    const reason = deadLetterReason(err);
    if (reason === null) throw err;
    batch.invalid.push({ row, reason });
    return reason;
  }
}

/** {@link addRow} for many rows. */
export function prepareBatch(scope: DomainScope, type: ObjectTypeView, rows: readonly IngestRow[]): PreparedBatch {
  const batch = newBatch(scope, type);
  for (const row of rows) addRow(batch, row);
  return batch;
}

/** Ingests objects of one type (built-in or custom) as one batch; results in input order. */
export async function ingestObjects(scope: DomainScope, type: ObjectTypeView, rows: readonly IngestRow[]): Promise<RowResult[]> {
  if (type.builtIn) return ingestBuiltInRows(scope, type, rows);
  return writeBatch(scope, prepareBatch(scope, type, rows), rows);
}

/**
 * Steps 2–6 for a prepared batch of a custom type, with the dead letters of the whole batch
 * stored once at the end. Results in input order (`rows`: the batch's rows as given; by default
 * the prepared ones followed by the invalid ones).
 */
export async function writeBatch(scope: DomainScope, batch: PreparedBatch, rows?: readonly IngestRow[]): Promise<RowResult[]> {
  const results = new Map<number, RowResult>();
  const deadLetters: { object: unknown; reason: string }[] = [];
  const dead = (row: IngestRow, reason: string) => {
    deadLetters.push({ object: row.object, reason });
    results.set(row.index, deadResult(row.index, reason));
  };
  for (const { row, reason } of batch.invalid) dead(row, reason);

  /** Completes a lazily prepared row (a bad one is dead-lettered here, once, and not written). */
  const complete = (row: BatchRow): boolean => {
    if (row.ready) return true;
    if (row.invalid !== undefined) return false;
    try {
      Object.assign(row, prepareRest(batch.type, row, batch.norm), { ready: true });
      return true;
    } catch (err) {
      const reason = deadLetterReason(err);
      if (reason === null) throw err;
      row.invalid = reason;
      dead(row, reason);
      return false;
    }
  };

  /** Writes rows in order; a write the database refuses is split until the rows it blames are alone. */
  const write = async (part: BatchRow[]): Promise<void> => {
    part = part.filter((r) => r.invalid === undefined);
    if (part.length === 0) return;
    let decisions: Decisions;
    try {
      // Re-number the part: seq is the row's position in the staged batch. (The copies share what
      // a late completion adds: `complete` updates the original row.)
      const staged = part.map((r, seq) => ({ ...r, seq, original: r }));
      decisions = await writeTransactionally(scope, batch, staged, (r) => {
        const ok = complete(r.original);
        if (ok) Object.assign(r, { keyValues: r.original.keyValues, patch: r.original.patch, ready: true });
        return ok;
      });
    } catch (err) {
      const reason = deadLetterReason(err);
      if (reason === null) throw err;
      if (part.length === 1) dead(part[0]!, reason);
      else {
        const half = Math.ceil(part.length / 2);
        await write(part.slice(0, half));
        await write(part.slice(half));
      }
      return;
    }
    // Only a committed write counts: its results and dead letters are kept now.
    for (const r of decisions.results) results.set(r.index, r);
    for (const d of decisions.dead) deadLetters.push({ object: d.row.object, reason: d.reason });
  };
  await write(batch.rows);
  await insertDeadLetters(scope.database.db, scope.domain.id, batch.type.name, deadLetters);
  return (rows ?? [...batch.rows, ...batch.invalid.map((i) => i.row)]).map((r) => results.get(r.index)!);
}

let lastBatchMs = 0;
/** A strictly increasing millisecond per batch, so a later batch never ties with an earlier one. */
function batchClock(): number {
  lastBatchMs = Math.max(Date.now(), lastBatchMs + 1);
  return lastBatchMs;
}

/**
 * One transaction: stage, lock, look up, decide, write. Like writeTransaction (the outbox in the
 * same transaction, subscribers told after the commit), with the events staged by COPY.
 */
async function writeTransactionally(scope: DomainScope, batch: PreparedBatch, rows: StagedRow[], complete: (row: StagedRow) => boolean): Promise<Decisions> {
  let lastEventId = 0;
  const decisions = await scope.database.db.transaction(async (tx) => {
    const d = await decideRows(scope, tx, batch, rows, complete);
    lastEventId = await writeDecisions(scope, tx, batch.type, d);
    return d;
  });
  if (lastEventId > 0) scope.notifier.committed(scope.domain.id, lastEventId);
  return decisions;
}

/** A row of the batch being written, numbered for the staging tables. */
type StagedRow = BatchRow & { original: BatchRow };

async function decideRows(scope: DomainScope, tx: Tx, batch: PreparedBatch, all: StagedRow[], complete: (row: StagedRow) => boolean): Promise<Decisions> {
  const { type } = batch;
  const domainId = scope.domain.id;
  // A large batch locks its domain for ingestion instead of thousands of keys (see lockStaged); a
  // small one locks its key values, so it needs them now.
  const exclusive = all.length * (1 + type.keys.length) > MAX_KEY_LOCKS;
  let rows = exclusive ? all : all.filter(complete);
  // A UNIQUE value seen twice, or a data limit, makes later rows depend on earlier writes: such rows
  // are matched (and so fully prepared) whatever the stored object is.
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const r of rows) (seen.has(r.uniqueKey) ? repeated : seen).add(r.uniqueKey);
  const dependent = (r: BatchRow) => !!type.maxObjectsPerProfile || repeated.has(r.uniqueKey);
  await ensureStaging(tx);
  await copyInto(scope.database, tx, STAGING.rows, stageRows(type, rows, exclusive, dependent));
  await lockStaged(tx, domainId, exclusive);
  const snapshot: Snapshot = { ...(await lookupStaged(tx, domainId, type.name)), profiles: new Map(), recent: new Map() };
  if (rows.some((r) => !r.ready)) {
    // Rows prepared up to their UNIQUE value: an identical stored object written after the type and
    // the domain's settings last changed passed this very validation, so nothing more is needed;
    // every other row is prepared now, and the profiles holding its key values looked up.
    const settled = Math.max(type.updatedAt?.getTime() ?? 0, scope.domain.updatedAt.getTime()) + CLOCK_MARGIN_MS;
    const unchanged = (r: BatchRow) => !dependent(r) && snapshot.same.has(r.seq) && (snapshot.objects.get(r.uniqueKey)?.updatedAt.getTime() ?? 0) > settled;
    const late = rows.filter((r) => !r.ready && !unchanged(r));
    rows = rows.filter((r) => r.ready || unchanged(r) || complete(r));
    const pairs = late.filter((r) => r.ready).flatMap((r) => matchPairs(type, r.keyValues));
    const found = await lookupPairs(tx, domainId, pairs);
    for (const [pair, holders] of found.keys) snapshot.keys.set(pair, holders);
    for (const pair of found.crowded) snapshot.crowded.add(pair);
  }
  const limit = type.maxObjectsPerProfile ? { objectType: type.name, keep: type.maxObjectsPerProfile } : null;
  const read = async (ids: string[]) => {
    const loaded = await loadProfiles(tx, domainId, ids, limit);
    for (const [id, p] of loaded.profiles) snapshot.profiles.set(id, p);
    for (const [id, r] of loaded.recent) snapshot.recent.set(id, r);
  };
  await read(profilesToRead(rows, snapshot));
  const nowMs = batchClock();
  for (;;) {
    const decisions = decide(type, domainId, batch.norm, rows, snapshot, nowMs);
    if (!('missing' in decisions)) return decisions;
    // A key that was ambiguous until an earlier row of the batch changed a profile's keys now points
    // at one profile that was not read: read (and lock) it, and decide again.
    await read([decisions.missing]);
  }
}

/** Clocks of two gateway instances may disagree this much (a stored object's age is compared with a type's). */
const CLOCK_MARGIN_MS = 1000;

/** Stages the decisions and writes them set-based; returns the last event id (0: no events). */
async function writeDecisions(scope: DomainScope, tx: Tx, type: ObjectTypeView, d: Decisions): Promise<number> {
  const { database } = scope;
  const domainId = scope.domain.id;
  await copyInto(database, tx, STAGING.profiles, stageProfiles(d.profileInserts, d.profileUpdates));
  await copyInto(database, tx, STAGING.objects, stageObjects(d));
  await copyInto(database, tx, STAGING.keys, stageKeys(d));
  await copyInto(database, tx, STAGING.events, stageEvents(d));
  if (d.keyDeletes.length > 0) await deleteStagedKeys(tx, domainId);
  if (d.objectDeletes.length > 0) await deleteStagedObjects(tx, domainId);
  if (d.profileInserts.length > 0) await insertStagedProfiles(tx);
  if (d.profileUpdates.length > 0) await updateStagedProfiles(tx, domainId);
  if (d.objectWrites.some((o) => !o.replace)) await insertStagedObjects(tx, domainId, type.name, false);
  if (d.objectWrites.some((o) => o.replace)) await insertStagedObjects(tx, domainId, type.name, true);
  if (d.keyInserts.some((k) => k.fresh)) await insertStagedKeys(tx, domainId, true);
  if (d.keyInserts.some((k) => !k.fresh)) await insertStagedKeys(tx, domainId, false);
  if (d.trim.length > 0) await trimObjects(tx, domainId, type.name, d.trim, type.maxObjectsPerProfile!);
  // calculated attributes over this type: the batch's profiles (new and previous owners), set-based
  if (d.objectWrites.length > 0 || d.objectDeletes.length > 0 || d.trim.length > 0) {
    await maintainValues(tx, scope, type.name, [...d.objectWrites.map((o) => o.profileId), ...d.keyDeletes.map((k) => k.profileId), ...d.trim]);
  }
  return d.events.length > 0 ? appendStagedEvents(tx, domainId, scope.actorKeyId, d.events.length) : 0;
}

/**
 * Profiles the batch may write: owners of stored objects the batch replaces, and every profile that
 * is the only holder of a key value some row matches by.
 */
function profilesToRead(rows: readonly BatchRow[], snap: Pick<Snapshot, 'objects' | 'same' | 'keys'>): string[] {
  const ids = new Set<string>();
  for (const r of rows) {
    const o = snap.objects.get(r.uniqueKey);
    if (o && !snap.same.has(r.seq)) ids.add(o.profileId);
  }
  for (const holders of snap.keys.values()) if (holders.size === 1) for (const id of holders.keys()) ids.add(id);
  return [...ids];
}

// ---------------------------------------------------------------- COPY text of the staging tables

function stageRows(type: ObjectTypeView, rows: readonly BatchRow[], exclusive: boolean, dependent: (r: BatchRow) => boolean): string {
  const uniqueLock = `unique:${type.name}|`;
  let text = '';
  for (const r of rows) {
    const locks: string[] = [];
    if (!exclusive) {
      locks.push(uniqueLock + r.uniqueKey);
      for (const [k, v] of r.keyValues) locks.push(`${k}|${v}`);
    }
    const pairs = matchPairs(type, r.keyValues);
    text += line([
      String(r.seq),
      field(r.uniqueKey),
      field(r.json),
      dependent(r) ? 't' : 'f',
      arrayField(locks),
      arrayField(pairs.map((p) => p.keyName)),
      arrayField(pairs.map((p) => p.value)),
    ]);
  }
  return text;
}

function stageProfiles(inserts: readonly ProfileRow[], updates: readonly (ProfileRow & { merges: number })[]): string {
  let text = '';
  const row = (p: ProfileRow, op: string, merges: number) => {
    const fields = PROFILE_COLUMNS.map(([key, column]) => columnField(column, (p as unknown as Record<string, unknown>)[key]));
    fields.push(op, String(merges));
    text += line(fields);
  };
  for (const p of inserts) row(p, 'I', 0);
  for (const p of updates) row(p, 'U', p.merges);
  return text;
}

function stageObjects(d: Decisions): string {
  let text = '';
  for (const o of d.objectWrites) text += line([o.replace ? 'R' : 'N', o.id, String(o.seq), o.profileId, field(o.uniqueKey), o.createdAt.toISOString(), o.updatedAt.toISOString()]);
  for (const id of d.objectDeletes) text += line(['D', id, '\\N', '\\N', '\\N', '\\N', '\\N']);
  return text;
}

function stageKeys(d: Decisions): string {
  let text = '';
  for (const k of d.keyInserts) text += line([k.fresh ? 'N' : 'I', field(k.keyName), field(k.value), k.profileId, field(k.source)]);
  for (const k of d.keyDeletes) text += line(['D', '\\N', '\\N', k.profileId, field(k.source)]);
  return text;
}

function stageEvents(d: Decisions): string {
  let text = '';
  d.events.forEach((e, i) => {
    text += line([String(i + 1), e.type, field(e.profileId), field(e.objectType), field(e.objectId), e.changes ? field(JSON.stringify(e.changes)) : '\\N']);
  });
  return text;
}

// ---------------------------------------------------------------- built-in types

/**
 * Built-in types (_ctr, _case, _order) are recorded by their own services (recordContact,
 * createCase, recordOrder: their tables, association rules and events), one object at a time.
 */
async function ingestBuiltInRows(scope: DomainScope, type: ObjectTypeView, rows: readonly IngestRow[]): Promise<RowResult[]> {
  const results: RowResult[] = [];
  const deadLetters: { object: unknown; reason: string }[] = [];
  for (const row of rows) {
    try {
      // Custom types are checked by prepareObject; the built-in services check lengths (ids ≤ 255).
      checkObject(row.object);
      const r = await ingestBuiltIn(scope, type.name, row.object);
      results.push({ index: row.index, outcome: r.outcome, object: null, profileId: r.profileId, matchedKey: r.matchedKey, replaced: r.replaced, unchanged: false, reason: null });
    } catch (err) {
      const reason = deadLetterReason(err);
      if (reason === null) throw err;
      deadLetters.push({ object: row.object, reason });
      results.push(deadResult(row.index, reason));
    }
  }
  await insertDeadLetters(scope.database.db, scope.domain.id, type.name, deadLetters);
  return results;
}
