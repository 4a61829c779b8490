import type { Tx } from '../../db/database.js';
import { badInput, conflict, notFound } from '../../errors.js';
import type { ProfileInput } from '../../generated/resolvers-types.js';
import { applyAttributes } from '../attributes.js';
import { UUID } from '../pagination.js';
import type { FieldChanges, NewEvent } from '../events/event.repository.js';
import { PROFILE_OBJECT, profileCreatedEvent, profileUpdatedEvent } from '../events/profile-events.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { normalizeName, requireEmail, requirePhone, text, type Normalizer } from './normalize.js';
import {
  deleteProfileRow,
  insertProfile,
  lockKeys,
  lockProfile,
  profileIdsByKeys,
  profilesByIds,
  replaceProfileKeys,
  updateProfileRow,
  type KeyValue,
  type ProfileRow,
  type ProfileValues,
} from './profile.repository.js';
import type { AddressValue } from './profile.table.js';

const TEXT_FIELDS = ['accountNumber', 'businessName', 'firstName', 'middleName', 'lastName'] as const;
const PHONE_FIELDS = ['phoneNumber', 'mobilePhoneNumber', 'homePhoneNumber', 'businessPhoneNumber'] as const;
const EMAIL_FIELDS = ['emailAddress', 'personalEmailAddress', 'businessEmailAddress'] as const;
const ADDRESS_FIELDS = ['address', 'shippingAddress', 'mailingAddress', 'billingAddress'] as const;
const ADDRESS_PARTS = ['address1', 'address2', 'address3', 'address4', 'city', 'county', 'state', 'province', 'country', 'postalCode'] as const;

export { PROFILE_OBJECT };

/** True when `id` can name a row (a UUID); anything else is simply not found. */
export const isId = (id: string): boolean => UUID.test(id);

function mergeAddress(current: AddressValue | null, input: ProfileInput['address'], field: string): AddressValue | null {
  if (input === null) return null;
  const next: AddressValue = { ...(current ?? {}) };
  for (const part of ADDRESS_PARTS) {
    if (input && part in input) {
      const v = text(input[part], `${field}.${part}`);
      if (v === null || v === undefined) delete next[part];
      else next[part] = v;
    }
  }
  return Object.keys(next).length > 0 ? next : null;
}

/**
 * Validates profile input against the current row (null when creating) and returns the columns to
 * write. Omitted fields are left out; explicit null or "" clears. `norm` (ingestion batches)
 * remembers phone and e-mail parses across the batch.
 */
export function profilePatch(input: ProfileInput, current: ProfileRow | null, region: string, norm?: Normalizer): Partial<ProfileValues> {
  const patch: Partial<ProfileValues> = {};
  const has = (k: keyof ProfileInput) => Object.prototype.hasOwnProperty.call(input, k) && input[k] !== undefined;
  for (const f of TEXT_FIELDS) if (has(f)) patch[f] = text(input[f], f) ?? null;
  if (has('additionalInformation')) patch.additionalInformation = text(input.additionalInformation, 'additionalInformation', 1000) ?? null;
  for (const f of PHONE_FIELDS) {
    if (!has(f)) continue;
    const v = text(input[f], f);
    patch[f] = v ? requirePhone(v, region, f, norm) : null;
  }
  for (const f of EMAIL_FIELDS) {
    if (!has(f)) continue;
    const v = text(input[f], f);
    patch[f] = v ? requireEmail(v, f, norm) : null;
  }
  for (const f of ADDRESS_FIELDS) if (has(f)) patch[f] = mergeAddress(current?.[f] ?? null, input[f], f);
  if (has('partyType')) patch.partyType = input.partyType ?? null;
  if (has('gender')) patch.gender = input.gender ?? null;
  if (has('birthDate')) {
    // The Date scalar hands over a Date at UTC midnight; the column stores the calendar day.
    const b = input.birthDate ? input.birthDate.toISOString().slice(0, 10) : null;
    if (b !== null && b > new Date().toISOString().slice(0, 10)) throw badInput(`birthDate ${b} is in the future.`, 'birthDate');
    patch.birthDate = b;
  }
  if (has('attributes')) patch.attributes = applyAttributes(current?.attributes ?? {}, input.attributes);
  return patch;
}

export function fullName(p: Pick<ProfileRow, 'firstName' | 'middleName' | 'lastName'>): string | null {
  const parts = [p.firstName, p.middleName, p.lastName].filter((x): x is string => !!x);
  return parts.length > 0 ? parts.join(' ') : null;
}

/** The search keys a profile row is findable by. */
export function profileKeysOf(p: ProfileValues): KeyValue[] {
  const keys: KeyValue[] = [];
  const add = (keyName: string, value: string | null | undefined) => {
    if (value) keys.push({ keyName, value });
  };
  for (const f of PHONE_FIELDS) add('_phone', p[f]);
  for (const f of EMAIL_FIELDS) add('_email', p[f]?.toLowerCase());
  add('_account', p.accountNumber);
  const full = fullName({ firstName: p.firstName ?? null, middleName: p.middleName ?? null, lastName: p.lastName ?? null });
  if (full) add('_fullName', normalizeName(full));
  if (p.middleName && (p.firstName || p.lastName)) add('_fullName', normalizeName([p.firstName, p.lastName].filter(Boolean).join(' ')));
  for (const [k, v] of Object.entries(p.attributes ?? {})) add(`attributes.${k}`, v);
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = `${k.keyName}\u0000${k.value}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function diff(before: ProfileRow, after: ProfileRow, fields: readonly string[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const f of fields) {
    const b = (before as unknown as Record<string, unknown>)[f] ?? null;
    const a = (after as unknown as Record<string, unknown>)[f] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[f] = { before: b, after: a };
  }
  return changes;
}

/** Inserts a profile with its keys inside the caller's transaction. */
export async function insertProfileWithKeys(
  tx: Tx,
  scope: DomainScope,
  values: ProfileValues,
  emit: (e: NewEvent) => void,
): Promise<ProfileRow> {
  const row = await insertProfile(tx, scope.domain.id, values);
  await replaceProfileKeys(tx, scope.domain.id, row.id, profileKeysOf(row));
  emit(profileCreatedEvent(row));
  return row;
}

/** Profile columns a person set (ingestion must not overwrite them later). */
function manualFieldsOf(patch: Partial<ProfileValues>, current: readonly string[] = []): string[] {
  const set = new Set(current);
  for (const f of Object.keys(patch)) if (f !== 'attributes') set.add(f);
  return [...set].sort();
}

export async function createProfile(scope: DomainScope, input: ProfileInput): Promise<ProfileRow> {
  const patch = profilePatch(input, null, scope.domain.defaultPhoneRegion);
  const values = { ...patch, manualFields: manualFieldsOf(patch) };
  return writeTransaction(scope, (tx, emit) => insertProfileWithKeys(tx, scope, values, emit));
}

async function lockExisting(tx: Tx, scope: DomainScope, id: string, expectedVersion: number | null | undefined): Promise<ProfileRow> {
  const current = isId(id) ? await lockProfile(tx, scope.domain.id, id) : null;
  if (!current) throw notFound('Profile', id);
  if (expectedVersion !== null && expectedVersion !== undefined && expectedVersion !== current.version) {
    throw conflict(`Profile "${id}" is at version ${current.version}, not ${expectedVersion}: it changed since you read it. Re-read it and retry.`, {
      currentVersion: current.version,
    });
  }
  return current;
}

export async function updateProfile(scope: DomainScope, id: string, input: ProfileInput, expectedVersion?: number | null): Promise<ProfileRow> {
  return writeTransaction(scope, async (tx, emit) => {
    const current = await lockExisting(tx, scope, id, expectedVersion);
    const patch = profilePatch(input, current, scope.domain.defaultPhoneRegion);
    const fields = Object.keys(patch);
    const candidate = { ...current, ...patch } as ProfileRow;
    const changes = diff(current, candidate, fields);
    if (Object.keys(changes).length === 0) return current;
    const changed = Object.fromEntries(Object.keys(changes).map((f) => [f, (patch as Record<string, unknown>)[f]])) as Partial<ProfileValues>;
    const row = await updateProfileRow(tx, scope.domain.id, id, { ...changed, inferred: false, manualFields: manualFieldsOf(changed, current.manualFields) });
    await replaceProfileKeys(tx, scope.domain.id, id, profileKeysOf(row));
    emit(profileUpdatedEvent(id, changes));
    return row;
  });
}

export async function deleteProfile(scope: DomainScope, id: string, expectedVersion?: number | null): Promise<{ id: string; deleted: boolean }> {
  return writeTransaction(scope, async (tx, emit) => {
    await lockExisting(tx, scope, id, expectedVersion);
    await deleteProfileRow(tx, scope.domain.id, id);
    emit({ type: 'PROFILE_DELETED', profileId: id, objectType: PROFILE_OBJECT, objectId: id });
    return { id, deleted: true };
  });
}

export type MatchOutcome =
  | { kind: 'matched'; profile: ProfileRow; matchedKeys: string[] }
  | { kind: 'none' }
  | { kind: 'ambiguous'; candidateIds: string[] };

/**
 * Finds the single profile having any of the given keys, inside a transaction that already holds
 * the key locks. Several profiles → ambiguous.
 */
export async function matchByKeys(tx: Tx, scope: DomainScope, keys: readonly KeyValue[]): Promise<MatchOutcome> {
  const hits = await profileIdsByKeys(tx, scope.domain.id, keys);
  if (hits.length === 0) return { kind: 'none' };
  if (hits.length > 1) return { kind: 'ambiguous', candidateIds: hits.map((h) => h.profileId) };
  const hit = hits[0]!;
  const [profile] = await profilesByIds(tx, scope.domain.id, [hit.profileId]);
  return profile ? { kind: 'matched', profile, matchedKeys: hit.matchedKeys } : { kind: 'none' };
}

export interface FindOrCreateResult {
  outcome: 'MATCHED' | 'CREATED' | 'AMBIGUOUS';
  profile: ProfileRow | null;
  created: boolean;
  matchedKeys: string[];
  candidateIds: string[];
}

/** New-caller flow: match by phone/e-mail/account; create when nothing matches. */
export async function findOrCreateProfile(scope: DomainScope, input: ProfileInput): Promise<FindOrCreateResult> {
  const values = profilePatch(input, null, scope.domain.defaultPhoneRegion);
  const keys = profileKeysOf(values as ProfileValues).filter((k) => k.keyName === '_phone' || k.keyName === '_email' || k.keyName === '_account');
  if (keys.length === 0) {
    throw badInput('findOrCreateProfile needs at least one phone number, e-mail address or account number to search by.', 'input');
  }
  return writeTransaction(scope, async (tx, emit) => {
    await lockKeys(tx, scope.domain.id, keys);
    const match = await matchByKeys(tx, scope, keys);
    if (match.kind === 'matched') return { outcome: 'MATCHED', profile: match.profile, created: false, matchedKeys: match.matchedKeys, candidateIds: [] };
    if (match.kind === 'ambiguous') return { outcome: 'AMBIGUOUS', profile: null, created: false, matchedKeys: [], candidateIds: match.candidateIds };
    const profile = await insertProfileWithKeys(tx, scope, { ...values, manualFields: manualFieldsOf(values) } as ProfileValues, emit);
    return { outcome: 'CREATED', profile, created: true, matchedKeys: [], candidateIds: [] };
  });
}
