/**
 * The ingestion rules of PRODUCT.md as pure functions, used by the one ingestion pipeline
 * (pipeline.ts, decide.ts) for a single object, a batch and an import alike.
 */
import type { FieldChanges } from '../events/event.repository.js';
import { evaluateFields, normalizeForKey, profileInputFrom } from '../object-type/mapping.js';
import type { ObjectTypeView } from '../object-type/object-type.service.js';
import type { KeyDefinition } from '../object-type/object-type.table.js';
import type { Normalizer } from '../profile/normalize.js';
import type { KeyValue, ProfileRow, ProfileValues } from '../profile/profile.repository.js';
import { profilePatch } from '../profile/profile.service.js';
import { ErrorCode, toAppError } from '../../errors.js';
import { findInputProblem, keyValueProblem } from '../../sanitize.js';
import { refusedByDatabase } from './dead-letter.js';

export const MAX_OBJECT_BYTES = 250 * 1024;

/** Raised when an object must go to the dead-letter table instead of being ingested. */
export class DeadLetter extends Error {}

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

export const hasIdentifier = (k: KeyDefinition, id: string): boolean => (k.identifiers as string[]).includes(id);

/** A key's value for an object: its fields normalized by content type and joined; null if any is missing. */
export function keyValue(key: KeyDefinition, type: ObjectTypeView, values: ReadonlyMap<string, string>, norm: Normalizer): string | null {
  const parts: string[] = [];
  for (const name of key.fieldNames) {
    const field = type.fields.find((f) => f.name === name);
    const raw = values.get(name);
    if (!field || raw === undefined) return null;
    const v = field.contentType === 'PHONE_NUMBER' ? norm.phone(raw) : field.contentType === 'EMAIL_ADDRESS' ? norm.email(raw) : normalizeForKey(raw, field.contentType, norm.region);
    if (v === null) return null;
    parts.push(v);
  }
  return parts.join('|');
}

/**
 * Refuses, as a dead letter naming the field, an object that cannot be stored: larger than
 * MAX_OBJECT_BYTES, or holding text Postgres cannot store (NUL, lone surrogates), an over-long
 * string or a nesting deeper than the sanitation kernel allows. Every ingestion path runs it
 * before any SQL, whatever the entry point (GraphQL, CSV rows, jobs, the CLI).
 */
export function checkObject(object: Record<string, unknown>): string {
  let json: string;
  try {
    json = JSON.stringify(object);
  } catch {
    throw new DeadLetter('The object cannot be serialized (nested too deeply).');
  }
  if (Buffer.byteLength(json) > MAX_OBJECT_BYTES) throw new DeadLetter(`The object is larger than ${MAX_OBJECT_BYTES / 1024} KB.`);
  const p = findInputProblem(object, '');
  if (p) throw new DeadLetter(`${p.path || 'The object'} ${p.problem}.`);
  return json;
}

export interface PreparedObject {
  /** The object as JSON (what is stored). */
  json: string;
  values: Map<string, string>;
  uniqueKeyName: string;
  uniqueKey: string;
  keyValues: Map<string, string>;
  /** The object's mapped profile fields, validated (as for a new profile). */
  patch: Partial<ProfileValues>;
}

/** The first part of {@link prepareObject}: the object checked, its fields evaluated, its UNIQUE value. */
export type UniquePart = Pick<PreparedObject, 'json' | 'values' | 'uniqueKeyName' | 'uniqueKey'>;

/**
 * Checks an object ({@link checkObject}), evaluates its fields and keys and validates its mapped
 * profile fields: everything that needs no stored data. Dead letters: an object without its UNIQUE
 * value, any key value (UNIQUE or not) over MAX_KEY_BYTES, which a B-tree index could not hold, and
 * an invalid mapped value (thrown as BAD_USER_INPUT naming the field).
 */
export function prepareObject(type: ObjectTypeView, object: Record<string, unknown>, norm: Normalizer): PreparedObject {
  const unique = prepareUnique(type, object, norm);
  return { ...unique, ...prepareRest(type, unique, norm) };
}

/** prepareObject up to the UNIQUE value (cheap: no key but the UNIQUE one is normalised). */
export function prepareUnique(type: ObjectTypeView, object: Record<string, unknown>, norm: Normalizer): UniquePart {
  const json = checkObject(object);
  const values = evaluateFields(type.fields, object);
  const uniqueDef = uniqueKeyOf(type);
  const uniqueKey = keyValue(uniqueDef, type, values, norm);
  if (uniqueKey === null) throw new DeadLetter(`UNIQUE key "${uniqueDef.name}" has no value: field(s) ${uniqueDef.fieldNames.join(', ')} missing or invalid.`);
  const uniqueProblem = keyValueProblem(uniqueDef.name, uniqueKey);
  if (uniqueProblem) throw new DeadLetter(`${uniqueProblem}.`);
  return { json, values, uniqueKeyName: uniqueDef.name, uniqueKey };
}

/** The rest of prepareObject: every other key value and the mapped profile fields. */
export function prepareRest(type: ObjectTypeView, unique: UniquePart, norm: Normalizer): Pick<PreparedObject, 'keyValues' | 'patch'> {
  const uniqueDef = uniqueKeyOf(type);
  const keyValues = new Map<string, string>();
  for (const k of type.keys) {
    const v = k === uniqueDef ? unique.uniqueKey : keyValue(k, type, unique.values, norm);
    if (v === null) continue;
    const problem = keyValueProblem(k.name, v);
    if (problem) throw new DeadLetter(`${problem}.`);
    keyValues.set(k.name, v);
  }
  const patch = profilePatch(profileInputFrom(type.fields, unique.values), null, norm.region, norm);
  return { keyValues, patch };
}

const uniqueKeyOf = (type: ObjectTypeView): KeyDefinition => type.keys.find((k) => hasIdentifier(k, 'UNIQUE'))!;

/** The (key, value) pairs that take part in matching. */
export function matchPairs(type: ObjectTypeView, keyValues: ReadonlyMap<string, string>): KeyValue[] {
  return type.keys
    .filter((k) => hasIdentifier(k, 'PROFILE') || hasIdentifier(k, 'SECONDARY') || hasIdentifier(k, 'LOOKUP_ONLY'))
    .filter((k) => keyValues.has(k.name))
    .map((k) => ({ keyName: k.name, value: keyValues.get(k.name)! }));
}

/**
 * PRODUCT.md's matching: each PROFILE key in order (exactly one profile → attach; several → that
 * key is ambiguous, skip it; none → next key), then the SECONDARY keys the same way. `lookup`
 * answers the profiles holding a (key, value) pair: their number (101 meaning "over 100") and,
 * when it is one, that profile's id.
 */
export function resolveMatch(
  type: ObjectTypeView,
  keyValues: ReadonlyMap<string, string>,
  lookup: (keyName: string, value: string) => { count: number; only: string | null },
): { profileId: string | null; matchedKey: string | null; tried: string[] } {
  const tried: string[] = [];
  for (const phase of matchPhases(type)) {
    for (const key of phase) {
      const value = keyValues.get(key.name);
      if (value === undefined) continue;
      const hits = lookup(key.name, value);
      if (hits.count === 1) return { profileId: hits.only!, matchedKey: key.name, tried };
      tried.push(hits.count > 1 ? `${key.name} (ambiguous: ${hits.count >= 101 ? 'over 100' : hits.count} profiles)` : `${key.name} (no match)`);
    }
  }
  return { profileId: null, matchedKey: null, tried };
}

const phaseCache = new WeakMap<ObjectTypeView, KeyDefinition[][]>();
/** The keys tried, in order: PROFILE (and plain LOOKUP_ONLY) keys, then SECONDARY keys. */
function matchPhases(type: ObjectTypeView): KeyDefinition[][] {
  let phases = phaseCache.get(type);
  if (!phases) {
    phases = [
      type.keys.filter((k) => hasIdentifier(k, 'PROFILE') || (hasIdentifier(k, 'LOOKUP_ONLY') && !hasIdentifier(k, 'SECONDARY'))),
      type.keys.filter((k) => hasIdentifier(k, 'SECONDARY')),
    ];
    phaseCache.set(type, phases);
  }
  return phases;
}

export function noMatchReason(tried: readonly string[]): string {
  const why = tried.length ? tried.join('; ') : 'no PROFILE or SECONDARY key had a value';
  return `No profile matched (${why}) and the type does not allow profile creation.`;
}

/** Keys an ingested object stores on its profile: not LOOKUP_ONLY; NEW_ONLY only if it created the profile. */
export function storedKeys(type: ObjectTypeView, keyValues: ReadonlyMap<string, string>, created: boolean): KeyValue[] {
  return type.keys
    .filter((k) => !hasIdentifier(k, 'LOOKUP_ONLY') && (!hasIdentifier(k, 'NEW_ONLY') || created) && keyValues.has(k.name))
    .map((k) => ({ keyName: k.name, value: keyValues.get(k.name)! }));
}

/** Columns of a profile the object creates (its validated mapped fields), with the type as their source. */
export function newProfileValues(type: ObjectTypeView, patch: Partial<ProfileValues>): ProfileValues {
  const fieldSources = Object.fromEntries(Object.keys(patch).filter((f) => f !== 'attributes').map((f) => [f, type.sourcePriority]));
  return { ...patch, inferred: true, fieldSources } as ProfileValues;
}

/**
 * What an object's mapped fields change on an existing profile: never fields a person set by hand,
 * never fields a higher-priority source wrote, never clearing a value. Null when nothing changes.
 */
export function mergeMapped(
  type: ObjectTypeView,
  current: ProfileRow,
  values: ReadonlyMap<string, string>,
  norm: Normalizer,
): { changed: Partial<ProfileValues>; changes: FieldChanges; fieldSources: Record<string, number> } | null {
  const patch = profilePatch(profileInputFrom(type.fields, values), current, norm.region, norm);
  const changes: FieldChanges = {};
  const changed: Record<string, unknown> = {};
  const sources = { ...current.fieldSources };
  for (const [field, after] of Object.entries(patch)) {
    if (field !== 'attributes' && current.manualFields.includes(field)) continue;
    if ((sources[field] ?? -1) > type.sourcePriority) continue;
    const before = (current as unknown as Record<string, unknown>)[field] ?? null;
    if (after === null || after === undefined) continue;
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    changes[field] = { before, after };
    changed[field] = after;
    if (field !== 'attributes') sources[field] = type.sourcePriority;
  }
  if (Object.keys(changed).length === 0) return null;
  return { changed: changed as Partial<ProfileValues>, changes, fieldSources: sources };
}

/** JSON with sorted keys, to compare objects whatever order jsonb stored their keys in. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
