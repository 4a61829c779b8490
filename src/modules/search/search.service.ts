import type { SQL } from 'drizzle-orm';
import { tableMeta } from '../../db/batched.js';
import { badInput } from '../../errors.js';
import { normalizeForKey } from '../object-type/mapping.js';
import { listObjectTypes } from '../object-type/object-type.repository.js';
import { decodeCursor, pageSize, UUID } from '../pagination.js';
import { normalizeEmail, normalizeName, toE164 } from '../profile/normalize.js';
import { profiles } from '../profile/profile.table.js';
import type { DomainScope } from '../scope.js';
import { searchProfileRows, type SearchTerm } from './search.repository.js';

export const SEARCH_KEYS = ['_phone', '_email', '_account', '_profileId', '_fullName', '_ctrContactId', '_caseId', '_orderId'] as const;
const MAX_VALUES = 100;
const MAX_ADDITIONAL = 4;

/**
 * Normalized search values, memoized (libphonenumber parsing is the costliest step of a phone lookup,
 * and the same numbers are looked up again and again). Pure function of (key, region, value);
 * bounded: cleared when full.
 */
const normalized = new Map<string, string | null>();
const MAX_MEMO = 10_000;

function normalizeValue(key: string, value: string, region: string): string | null {
  const memoKey = `${key}\u0000${region}\u0000${value}`;
  const hit = normalized.get(memoKey);
  if (hit !== undefined) return hit;
  const out = normalizeValueUncached(key, value, region);
  if (normalized.size >= MAX_MEMO) normalized.clear();
  normalized.set(memoKey, out);
  return out;
}

/** The stored form of a search value, or null when it cannot match anything (e.g. not a phone). */
function normalizeValueUncached(key: string, value: string, region: string): string | null {
  const v = value.trim();
  if (v === '') return null;
  switch (key) {
    case '_phone':
      return toE164(v, region);
    case '_email':
      return normalizeEmail(v);
    case '_fullName':
      return normalizeName(v);
    case '_profileId':
      return UUID.test(v) ? v.toLowerCase() : null;
    default:
      return v;
  }
}

type Normalizer = (value: string) => string | null;

/**
 * How each searched key's values are normalized: the standard keys and attributes.<name>, or a key
 * name defined by one of the domain's object types (values normalized by its fields' content types;
 * a key over several fields takes "a|b" values). Object types are read only when such a key is used.
 */
async function keyNormalizers(
  scope: DomainScope,
  keys: readonly { key: string; field: string }[],
  loaded: Awaited<ReturnType<typeof listObjectTypes>> | null = null,
): Promise<Normalizer[]> {
  const region = scope.domain.defaultPhoneRegion;
  let types = loaded;
  const out: Normalizer[] = [];
  for (const { key, field } of keys) {
    if ((SEARCH_KEYS as readonly string[]).includes(key) || (key.startsWith('attributes.') && key.length > 'attributes.'.length && key.length <= 266)) {
      out.push((v) => normalizeValue(key, v, region));
      continue;
    }
    types ??= await listObjectTypes(scope.database.db, scope.domain.id);
    const owner = types.find((t) => t.keys.some((k) => k.name === key));
    const def = owner?.keys.find((k) => k.name === key);
    if (!owner || !def) {
      throw badInput(`Unknown search key "${key}". Use one of ${SEARCH_KEYS.join(', ')}, attributes.<name>, or a key name of one of your object types.`, field);
    }
    const contentTypes = def.fieldNames.map((f) => owner.fields.find((x) => x.name === f)?.contentType ?? 'STRING');
    out.push((v) => {
      const parts = contentTypes.length === 1 ? [v] : v.split('|');
      if (parts.length !== contentTypes.length) return null;
      const normalizedParts = parts.map((p, i) => normalizeForKey(p, contentTypes[i]!, region));
      return normalizedParts.every((p) => p !== null) ? normalizedParts.join('|') : null;
    });
  }
  return out;
}

export interface SearchArgs {
  key: string;
  values: readonly string[];
  additionalKeys?: readonly { key: string; values: readonly string[] }[] | null | undefined;
  operator?: 'AND' | 'OR' | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

/** Which profile columns to read (drizzle keys) and extra select-list items per profile row `p` (nested pages as JSON). */
export interface ProfileProjection {
  keys: readonly string[];
  extra: readonly SQL[];
}

/** Whole profile rows, nothing nested. */
const WHOLE_ROWS: ProfileProjection = { keys: tableMeta(profiles).keys, extra: [] };

export interface SearchPage {
  /** Raw rows of the page (the projection's columns), in id order. */
  rows: Record<string, unknown>[];
  /** The keys each row matched. */
  matchedKeys: string[][];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** One statement: the page of matching profiles with the columns (and nested pages) `projection` asks for. */
export async function searchProfiles(scope: DomainScope, args: SearchArgs, projection: ProfileProjection = WHOLE_ROWS): Promise<SearchPage> {
  const limit = pageSize(args.first);
  const extra = args.additionalKeys ?? [];
  if (extra.length > MAX_ADDITIONAL) throw badInput(`At most ${MAX_ADDITIONAL} additionalKeys are allowed.`, 'additionalKeys');
  const sets = [{ key: args.key, values: args.values }, ...extra];
  const terms: SearchTerm[] = [];
  const normalizers = await keyNormalizers(
    scope,
    sets.map((x, set) => ({ key: x.key, field: set === 0 ? 'key' : `additionalKeys[${set - 1}].key` })),
  );
  sets.forEach((s, set) => {
    if (s.values.length < 1 || s.values.length > MAX_VALUES) {
      throw badInput(`Give 1–${MAX_VALUES} values for search key "${s.key}".`, set === 0 ? 'values' : `additionalKeys[${set - 1}].values`);
    }
    for (const raw of s.values) {
      const value = normalizers[set]!(raw);
      if (value !== null) terms.push({ set, keyName: s.key, value });
    }
  });
  const cursor = decodeCursor(args.after);
  if (cursor && !UUID.test(cursor.id)) throw badInput('"after" is not a cursor returned by this API.', 'after');
  const hits = terms.length
    ? await searchProfileRows(
        scope.database.db,
        scope.domain.id,
        terms,
        sets.length,
        args.operator === 'AND',
        limit,
        cursor?.id ?? null,
        projection.keys,
        projection.extra,
      )
    : [];
  const rows = hits.slice(0, limit);
  return { rows, matchedKeys: rows.map((r) => r['__matchedKeys'] as string[]), hasNextPage: hits.length > limit, hasPreviousPage: cursor !== null };
}

/** The standard keys a free-text value may be an identifier of (lookup's KEY reading). */
const IDENTIFIER_KEYS = ['_account', '_ctrContactId', '_caseId', '_orderId'] as const;

export interface KeyValueHit {
  profileId: string;
  matchedKeys: string[];
}

/**
 * Profiles holding any of the given key values (each normalized as searchProfiles normalizes it),
 * and with `anyIdentifier` also holding that text as the value of any identifier key: `_account`,
 * `_ctrContactId`, `_caseId`, `_orderId` or a key name of one of the domain's object types. At most
 * `limit` profiles, by id, with the keys each matched. One statement for the object types (only
 * with `anyIdentifier`), one for the search.
 */
export async function findByKeyValues(
  scope: DomainScope,
  pairs: readonly { key: string; value: string }[],
  anyIdentifier: string | null,
  limit: number,
): Promise<KeyValueHit[]> {
  const all = [...pairs];
  let types: Awaited<ReturnType<typeof listObjectTypes>> | null = null;
  if (anyIdentifier !== null) {
    types = await listObjectTypes(scope.database.db, scope.domain.id);
    const names = new Set<string>(IDENTIFIER_KEYS);
    for (const t of types) for (const k of t.keys) names.add(k.name);
    for (const key of names) all.push({ key, value: anyIdentifier });
  }
  const normalizers = await keyNormalizers(
    scope,
    all.map((p) => ({ key: p.key, field: 'text' })),
    types,
  );
  const terms: SearchTerm[] = [];
  all.forEach((p, i) => {
    const value = normalizers[i]!(p.value);
    if (value !== null) terms.push({ set: 0, keyName: p.key, value });
  });
  if (terms.length === 0) return [];
  const rows = await searchProfileRows(scope.database.db, scope.domain.id, terms, 1, false, limit, null, ['id']);
  return rows.slice(0, limit).map((r) => ({ profileId: r['id'] as string, matchedKeys: r['__matchedKeys'] as string[] }));
}
