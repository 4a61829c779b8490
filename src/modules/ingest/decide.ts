/**
 * The ingestion decisions of one batch, made in input order over what the database holds for it
 * (a {@link Snapshot} read by set-based statements) as if the objects were ingested one after
 * another: a later row sees the profiles, keys and objects earlier rows created, merged, replaced
 * or evicted. Pure: no I/O; the pipeline writes the returned {@link Decisions} set-based.
 *
 * A single object is a batch of one: this is the only place ingestion decides anything.
 */
import { randomUUID } from 'node:crypto';
import { getTableColumns } from 'drizzle-orm';
import type { NewEvent } from '../events/event.repository.js';
import { objectIngestedEvent, profileCreatedEvent, profileUpdatedEvent } from '../events/profile-events.js';
import type { ObjectTypeView } from '../object-type/object-type.service.js';
import type { Normalizer } from '../profile/normalize.js';
import type { KeyValue, ProfileRow } from '../profile/profile.repository.js';
import { profileKeysOf } from '../profile/profile.service.js';
import { profiles } from '../profile/profile.table.js';
import { objectKeySource } from './object-keys.js';
import { canonical, deadLetterReason, matchPairs, mergeMapped, newProfileValues, noMatchReason, resolveMatch, storedKeys, type PreparedObject } from './rules.js';

/** A valid row of a batch: its position (`seq`), the caller's index, the object and what prepareObject found. */
export interface BatchRow extends PreparedObject {
  seq: number;
  index: number;
  object: Record<string, unknown>;
  /**
   * False while only the UNIQUE value is prepared (prepareUnique; `keyValues` and `patch` empty):
   * enough for a row whose stored object is identical, which is all decide looks at for it.
   */
  ready: boolean;
  /** Why the row turned out bad when its preparation was completed late (then it is not written). */
  invalid?: string;
}

export interface StoredObject {
  id: string;
  profileId: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What the database holds for a batch. */
export interface Snapshot {
  /** Stored objects of the type with the batch's UNIQUE values, by UNIQUE value. */
  objects: Map<string, StoredObject>;
  /** Rows (by seq) whose object equals the stored one with its UNIQUE value (jsonb equality). */
  same: Set<number>;
  /**
   * The profiles holding each looked-up (key, value) pair (see pairKey) with the sources of their
   * keys. Pairs in `crowded` have over 101 profiles (only some are listed).
   */
  keys: Map<string, Map<string, Set<string>>>;
  crowded: Set<string>;
  /** Profiles read for the batch (locked for update). */
  profiles: Map<string, ProfileRow>;
  /** With a data limit N: each read profile's stored objects of the type, newest first, at most N + 1. */
  recent: Map<string, { uniqueKey: string; id: string }[]>;
}

export const pairKey = (keyName: string, value: string): string => `${keyName}\u0000${value}`;

export interface RowResult {
  index: number;
  outcome: 'ATTACHED' | 'CREATED_PROFILE' | 'DEAD_LETTERED';
  object: { id: string; objectType: string; profileId: string; uniqueKey: string; data: Record<string, unknown>; createdAt: Date; updatedAt: Date } | null;
  profileId: string | null;
  matchedKey: string | null;
  replaced: boolean;
  unchanged: boolean;
  reason: string | null;
}

export interface ObjectWrite {
  id: string;
  /** The row whose object is stored (the last one written with this UNIQUE value). */
  seq: number;
  profileId: string;
  uniqueKey: string;
  createdAt: Date;
  updatedAt: Date;
  /** Replaces a stored object (same id); otherwise the object is new. */
  replace: boolean;
}

export interface KeyRow {
  keyName: string;
  value: string;
  profileId: string;
  source: string;
  /** On a profile this batch creates: no stored key can collide with it. */
  fresh: boolean;
}

/** Everything a batch writes. */
export interface Decisions {
  results: RowResult[];
  /** Rows the rules refuse (no match and no creation, a merge the profile cannot take). */
  dead: { row: BatchRow; reason: string }[];
  profileInserts: ProfileRow[];
  /** Existing profiles after their merges (whole rows), with how many merges they took. */
  profileUpdates: (ProfileRow & { merges: number })[];
  objectWrites: ObjectWrite[];
  /** Stored objects evicted by the data limit. */
  objectDeletes: string[];
  /** Stored keys to drop: a profile's own keys ('profile') before they are written anew, and replaced or evicted objects' keys. */
  keyDeletes: { profileId: string; source: string }[];
  keyInserts: KeyRow[];
  events: NewEvent[];
  /** Profiles that held more objects than the data limit before the batch: trimmed set-based after the writes. */
  trim: string[];
}

interface ObjectState {
  id: string;
  profileId: string;
  createdAt: Date;
  /** Stored before the batch (so deleting it and its keys is a write). */
  stored: boolean;
  /** Evicted by the data limit during the batch. */
  gone: boolean;
  /** The row whose object this is now, when written in this batch. */
  row: BatchRow | null;
}

interface ProfileState {
  row: ProfileRow;
  created: boolean;
  merges: number;
  /** A stored profile's own keys as read (its 'profile' keys are rewritten only if they change). */
  keysBefore: KeyValue[];
  /** Its own keys now. */
  keys: KeyValue[];
}

const EMPTY_PROFILE: Record<string, unknown> = Object.fromEntries(Object.keys(getTableColumns(profiles)).map((k) => [k, null]));

/** Raised inside decide when a profile it needs was not read; the pipeline reads it and decides again. */
class MissingProfile extends Error {
  constructor(readonly profileId: string) {
    super(`profile ${profileId} was not read for this batch`);
  }
}

/**
 * Decides a batch. Returns the decisions, or the ids of profiles the snapshot lacks (an ambiguous
 * key that an earlier row of the batch made unambiguous): read them and call again.
 */
export function decide(type: ObjectTypeView, domainId: string, norm: Normalizer, rows: readonly BatchRow[], snap: Snapshot, nowMs: number): Decisions | { missing: string } {
  try {
    return new Batch(type, domainId, norm, snap, nowMs).run(rows);
  } catch (err) {
    if (err instanceof MissingProfile) return { missing: err.profileId };
    throw err;
  }
}

class Batch {
  private readonly now: Date;
  private readonly objects = new Map<string, ObjectState>();
  private readonly profiles = new Map<string, ProfileState>();
  /**
   * (key, value) → profile → sources: the snapshot's keys with this batch's changes applied, for
   * the pairs some row of the batch matches by (no other pair is ever looked up).
   */
  private readonly keys: Map<string, Map<string, Set<string>>>;
  private readonly matched = new Set<string>();
  /** profile → pairs it holds keys for in `keys` (to drop an object's keys without a scan). */
  private readonly pairsOf = new Map<string, Set<string>>();
  /** With a data limit: each written profile's objects of the type, newest first. */
  private readonly order = new Map<string, string[]>();
  private readonly pendingKeys = new Map<string, { profileId: string; keys: KeyValue[] }>();
  private readonly keyDeletes = new Map<string, { profileId: string; source: string }>();
  private readonly objectDeletes: string[] = [];
  private readonly trim = new Set<string>();
  private readonly events: NewEvent[] = [];
  private readonly results: RowResult[] = [];
  private readonly dead: { row: BatchRow; reason: string }[] = [];

  constructor(
    private readonly type: ObjectTypeView,
    private readonly domainId: string,
    private readonly norm: Normalizer,
    private readonly snap: Snapshot,
    private readonly nowMs: number,
  ) {
    this.now = new Date(nowMs);
    for (const [u, o] of snap.objects) this.objects.set(u, { ...o, stored: true, gone: false, row: null });
    this.keys = new Map();
    for (const [pair, holders] of snap.keys) {
      this.matched.add(pair);
      const copy = new Map<string, Set<string>>();
      for (const [pid, sources] of holders) {
        copy.set(pid, new Set(sources));
        this.notePair(pid, pair);
      }
      this.keys.set(pair, copy);
    }
  }

  run(rows: readonly BatchRow[]): Decisions {
    for (const row of rows) for (const p of matchPairs(this.type, row.keyValues)) this.matched.add(pairKey(p.keyName, p.value));
    for (const row of rows) this.row(row);
    return this.result();
  }

  // ------------------------------------------------------------------ keys
  private notePair(profileId: string, pair: string): void {
    let set = this.pairsOf.get(profileId);
    if (!set) this.pairsOf.set(profileId, (set = new Set()));
    set.add(pair);
  }

  private addKeys(profileId: string, keys: readonly KeyValue[], source: string): void {
    for (const k of keys) {
      const pair = pairKey(k.keyName, k.value);
      if (!this.matched.has(pair)) continue;
      let holders = this.keys.get(pair);
      if (!holders) this.keys.set(pair, (holders = new Map()));
      let sources = holders.get(profileId);
      if (!sources) holders.set(profileId, (sources = new Set()));
      sources.add(source);
      this.notePair(profileId, pair);
    }
  }

  /** Drops a profile's keys of the given sources (`matches` decides which). */
  private dropKeys(profileId: string, matches: (source: string) => boolean): void {
    for (const pair of this.pairsOf.get(profileId) ?? []) {
      const sources = this.keys.get(pair)?.get(profileId);
      if (!sources) continue;
      for (const s of sources) if (matches(s)) sources.delete(s);
    }
  }

  private lookup = (keyName: string, value: string): { count: number; only: string | null } => {
    const pair = pairKey(keyName, value);
    if (this.snap.crowded.has(pair)) return { count: 101, only: null };
    let count = 0;
    let only: string | null = null;
    for (const [pid, sources] of this.keys.get(pair) ?? []) {
      if (sources.size === 0) continue;
      count++;
      only = pid;
    }
    return { count, only: count === 1 ? only : null };
  };

  // ------------------------------------------------------------------ profiles
  private profile(id: string): ProfileState {
    let p = this.profiles.get(id);
    if (!p) {
      const row = this.snap.profiles.get(id);
      if (!row) throw new MissingProfile(id);
      const keys = profileKeysOf(row);
      this.profiles.set(id, (p = { row: { ...row }, created: false, merges: 0, keysBefore: keys, keys }));
    }
    return p;
  }

  private createProfile(row: BatchRow): ProfileState {
    const id = orderedUuid(this.nowMs, row.seq);
    const values = newProfileValues(this.type, row.patch);
    const profile = { ...EMPTY_PROFILE, id, domainId: this.domainId, attributes: {}, manualFields: [], fieldSources: {}, createdAt: this.now, updatedAt: this.now, version: 1, ...values } as ProfileRow;
    const state: ProfileState = { row: profile, created: true, merges: 0, keysBefore: [], keys: profileKeysOf(profile) };
    this.profiles.set(id, state);
    this.addKeys(id, state.keys, 'profile');
    this.events.push(profileCreatedEvent(profile));
    return state;
  }

  // ------------------------------------------------------------------ one row
  private row(row: BatchRow): void {
    const type = this.type;
    const u = row.uniqueKey;
    let obj = this.objects.get(u);
    if (obj?.gone) obj = undefined;
    let target: ProfileState;
    let matchedKey: string | null;
    let created = false;
    if (obj) {
      const identical = obj.row ? canonical(obj.row.object) === canonical(row.object) : this.snap.same.has(row.seq);
      if (identical) {
        // Re-ingesting the very same object: nothing to write (re-running an import changes nothing).
        this.results.push({ index: row.index, outcome: 'ATTACHED', object: this.objectView(obj, u, row.object, obj.row ? this.now : (this.snap.objects.get(u)?.updatedAt ?? this.now)), profileId: obj.profileId, matchedKey: row.uniqueKeyName, replaced: false, unchanged: true, reason: null });
        return;
      }
      // A different object with a stored UNIQUE value replaces it, on the profile it belongs to.
      target = this.profile(obj.profileId);
      matchedKey = row.uniqueKeyName;
    } else {
      const match = resolveMatch(type, row.keyValues, this.lookup);
      if (match.profileId) {
        target = this.profile(match.profileId);
        matchedKey = match.matchedKey;
      } else if (!type.allowProfileCreation) {
        this.refuse(row, noMatchReason(match.tried));
        return;
      } else {
        target = this.createProfile(row);
        matchedKey = null;
        created = true;
      }
    }

    if (!created) {
      let merge: ReturnType<typeof mergeMapped>;
      try {
        merge = mergeMapped(type, target.row, row.values, this.norm);
      } catch (err) {
        // The profile cannot take the object's values (e.g. over the attribute limit): this row only.
        const reason = deadLetterReason(err);
        if (reason === null) throw err;
        this.refuse(row, reason);
        return;
      }
      if (merge) {
        target.row = { ...target.row, ...merge.changed, fieldSources: merge.fieldSources, updatedAt: this.now } as ProfileRow;
        target.merges++;
        const after = profileKeysOf(target.row);
        if (!sameKeys(target.keys, after)) {
          this.dropKeys(target.row.id, (s) => s === 'profile');
          this.addKeys(target.row.id, after, 'profile');
          target.keys = after;
        }
        this.events.push(profileUpdatedEvent(target.row.id, merge.changes));
      }
    }

    const profileId = target.row.id;
    const source = objectKeySource(type.name, u);
    const replaced = obj !== undefined;
    if (obj) {
      // The replaced object's keys go; its new keys are written below.
      this.dropKeys(profileId, (s) => s === source);
      this.pendingKeys.delete(source);
      if (obj.stored) this.keyDeletes.set(`${profileId}\u0000${source}`, { profileId, source });
      obj.row = row;
    } else {
      obj = { id: orderedUuid(this.nowMs, row.seq), profileId, createdAt: this.now, stored: false, gone: false, row };
      this.objects.set(u, obj);
    }
    const keys = storedKeys(type, row.keyValues, created);
    this.pendingKeys.set(source, { profileId, keys });
    this.addKeys(profileId, keys, source);
    if (type.maxObjectsPerProfile) this.limit(target, u, type.maxObjectsPerProfile);
    this.events.push(objectIngestedEvent(profileId, type.name, obj.id));
    this.results.push({ index: row.index, outcome: created ? 'CREATED_PROFILE' : 'ATTACHED', object: this.objectView(obj, u, row.object, this.now), profileId, matchedKey, replaced, unchanged: false, reason: null });
  }

  private refuse(row: BatchRow, reason: string): void {
    this.dead.push({ row, reason });
    this.results.push({ index: row.index, outcome: 'DEAD_LETTERED', object: null, profileId: null, matchedKey: null, replaced: false, unchanged: false, reason });
  }

  private objectView(obj: ObjectState, uniqueKey: string, data: Record<string, unknown>, updatedAt: Date): RowResult['object'] {
    return { id: obj.id, objectType: this.type.name, profileId: obj.profileId, uniqueKey, data, createdAt: obj.createdAt, updatedAt };
  }

  /**
   * The data limit after object `u` was written on a profile: keep its newest `keep` objects of the
   * type (objects written in this batch are newer than stored ones, later rows newer than earlier).
   */
  private limit(target: ProfileState, u: string, keep: number): void {
    const profileId = target.row.id;
    let order = this.order.get(profileId);
    if (!order) {
      const recent = target.created ? [] : (this.snap.recent.get(profileId) ?? []);
      // More stored than the limit (it was lowered): those past what was read are trimmed after the writes.
      if (recent.length > keep) this.trim.add(profileId);
      order = recent.map((r) => r.uniqueKey);
      // Stored objects of this profile that were not read are past the limit: gone.
      const listed = new Set(order);
      for (const [key, o] of this.objects) if (o.stored && !o.gone && o.profileId === profileId && !listed.has(key)) this.remove(o, key);
      this.order.set(profileId, order);
    }
    const at = order.indexOf(u);
    if (at >= 0) order.splice(at, 1);
    order.unshift(u);
    while (order.length > keep) this.evict(profileId, order.pop()!);
    const alive = new Set(order.map((k) => objectKeySource(this.type.name, k)));
    const prefix = objectKeySource(this.type.name, '');
    this.dropKeys(profileId, (s) => s.startsWith(prefix) && !alive.has(s));
  }

  private evict(profileId: string, u: string): void {
    const o = this.objects.get(u);
    if (o && !o.gone && o.profileId === profileId) return this.remove(o, u);
    // A stored object that is not one of the batch's UNIQUE values: known from the snapshot.
    const stored = this.snap.recent.get(profileId)?.find((r) => r.uniqueKey === u);
    if (stored) {
      const gone: ObjectState = { id: stored.id, profileId, createdAt: this.now, stored: true, gone: false, row: null };
      this.objects.set(u, gone);
      this.remove(gone, u);
    }
  }

  /** An object leaves its profile (data limit): not written, or deleted with its keys when stored. */
  private remove(o: ObjectState, u: string): void {
    const source = objectKeySource(this.type.name, u);
    o.gone = true;
    this.pendingKeys.delete(source);
    this.dropKeys(o.profileId, (s) => s === source);
    if (o.stored) {
      this.objectDeletes.push(o.id);
      this.keyDeletes.set(`${o.profileId}\u0000${source}`, { profileId: o.profileId, source });
    }
  }

  // ------------------------------------------------------------------ the writes
  private result(): Decisions {
    const profileInserts: ProfileRow[] = [];
    const profileUpdates: (ProfileRow & { merges: number })[] = [];
    const keyInserts: KeyRow[] = [];
    for (const p of this.profiles.values()) {
      const keys = p.keys;
      if (p.created) profileInserts.push({ ...p.row, version: 1 + p.merges });
      else if (p.merges > 0) {
        profileUpdates.push({ ...p.row, merges: p.merges });
        if (sameKeys(p.keysBefore, keys)) continue;
        this.keyDeletes.set(`${p.row.id}\u0000profile`, { profileId: p.row.id, source: 'profile' });
      } else continue;
      for (const k of keys) keyInserts.push({ keyName: k.keyName, value: k.value, profileId: p.row.id, source: 'profile', fresh: p.created });
    }
    for (const [source, { profileId, keys }] of this.pendingKeys) {
      const fresh = this.profiles.get(profileId)?.created === true;
      for (const k of keys) keyInserts.push({ keyName: k.keyName, value: k.value, profileId, source, fresh });
    }
    const objectWrites: ObjectWrite[] = [];
    for (const [uniqueKey, o] of this.objects) {
      if (o.gone || !o.row) continue;
      objectWrites.push({ id: o.id, seq: o.row.seq, profileId: o.profileId, uniqueKey, createdAt: o.createdAt, updatedAt: this.now, replace: o.stored });
    }
    return {
      results: this.results,
      dead: this.dead,
      profileInserts,
      profileUpdates,
      objectWrites,
      objectDeletes: this.objectDeletes,
      keyDeletes: [...this.keyDeletes.values()],
      keyInserts,
      events: this.events,
      trim: [...this.trim],
    };
  }
}

function sameKeys(a: readonly KeyValue[], b: readonly KeyValue[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a.map((k) => pairKey(k.keyName, k.value)));
  return b.every((k) => set.has(pairKey(k.keyName, k.value)));
}

/**
 * A UUID that sorts in input order within a batch (UUIDv7 layout: 48-bit millisecond time, then a
 * 12-bit sequence number, then random bits). Objects of one batch share a millisecond timestamp, so
 * `order by updated_at desc, id desc` lists the last ingested first, as one-by-one ingestion does;
 * time-ordered ids also keep index inserts on the right edge of the B-trees.
 */
export function orderedUuid(nowMs: number, seq: number): string {
  const ts = nowMs.toString(16).padStart(12, '0');
  const rand = randomUUID().replace(/-/g, '');
  const s = (seq & 0xfff).toString(16).padStart(3, '0');
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${s}-${((parseInt(rand[0]!, 16) & 0x3) | 0x8).toString(16)}${rand.slice(1, 4)}-${rand.slice(4, 16)}`;
}
