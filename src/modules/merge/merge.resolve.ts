/**
 * Field resolution of a merge (pure): which profile each field of the merged profile comes from.
 * An explicit fieldSources entry wins; otherwise RECENCY (the most recently updated profile holding
 * a non-empty value) or SOURCE (the profile whose best source comes first in sourcePriority, then
 * RECENCY). Ties keep the input order: the main profile first, then profileIdsToMerge's order.
 */
import { CLIENT_PROFILE_FIELDS } from '../events/profile-events.js';
import type { ProfileRow } from '../profile/profile.repository.js';

export type ConflictResolution = 'RECENCY' | 'SOURCE';

/** Fields a merge resolves one by one (attributes: per key unless fieldSources names it). */
export const MERGE_FIELDS: readonly string[] = CLIENT_PROFILE_FIELDS;

/** The `source` name of a field a person set by hand (createProfile/updateProfile). */
export const MANUAL_SOURCE = 'manual';

export interface ResolveInput {
  /** Main first, then the others in input order. */
  rows: readonly ProfileRow[];
  fieldSources: ReadonlyMap<string, string>;
  conflictResolution: ConflictResolution;
  sourcePriority: readonly string[];
  /** Per profile: the object types it holds objects of (`_ctr`, `_case`, `_order`, custom types). */
  sourcesOf: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface Resolved {
  /** Column values of the merged main profile (every client field, attributes, bookkeeping). */
  values: Record<string, unknown>;
  /** field → the profile its value came from. */
  chosen: Record<string, string>;
}

const isEmpty = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

export function resolveMerge(input: ResolveInput): Resolved {
  const { rows } = input;
  const main = rows[0]!;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const order = new Map(rows.map((r, i) => [r.id, i]));
  const rank = (r: ProfileRow, field: string): number => {
    const sources = new Set(input.sourcesOf.get(r.id) ?? []);
    if (r.manualFields.includes(field)) sources.add(MANUAL_SOURCE);
    let best = Number.POSITIVE_INFINITY;
    for (const s of sources) {
      const i = input.sourcePriority.indexOf(s);
      if (i >= 0 && i < best) best = i;
    }
    return best;
  };
  const compare = (field: string) => (a: ProfileRow, b: ProfileRow): number => {
    if (input.conflictResolution === 'SOURCE') {
      const d = rank(a, field) - rank(b, field);
      if (d !== 0) return d;
    }
    const t = b.updatedAt.getTime() - a.updatedAt.getTime();
    return t !== 0 ? t : order.get(a.id)! - order.get(b.id)!;
  };
  const pick = (field: string, valueOf: (r: ProfileRow) => unknown): ProfileRow => {
    const explicit = input.fieldSources.get(field);
    if (explicit) return byId.get(explicit)!;
    const candidates = rows.filter((r) => !isEmpty(valueOf(r)));
    return candidates.length === 0 ? main : [...candidates].sort(compare(field))[0]!;
  };

  const values: Record<string, unknown> = {};
  const chosen: Record<string, string> = {};
  const manual = new Set<string>();
  const sources: Record<string, number> = {};
  for (const field of MERGE_FIELDS) {
    if (field === 'attributes') continue;
    const from = pick(field, (r) => (r as unknown as Record<string, unknown>)[field]);
    values[field] = (from as unknown as Record<string, unknown>)[field] ?? null;
    chosen[field] = from.id;
    if (from.manualFields.includes(field)) manual.add(field);
    if (from.fieldSources[field] !== undefined) sources[field] = from.fieldSources[field]!;
  }
  if (input.fieldSources.has('attributes')) {
    const from = byId.get(input.fieldSources.get('attributes')!)!;
    values.attributes = { ...from.attributes };
    chosen.attributes = from.id;
  } else {
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r.attributes)))].sort();
    const attributes: Record<string, string> = {};
    for (const k of keys) attributes[k] = pick(`attributes.${k}`, (r) => r.attributes[k])!.attributes[k]!;
    values.attributes = attributes;
    chosen.attributes = main.id;
  }
  values.manualFields = [...manual].sort();
  values.fieldSources = sources;
  values.inferred = rows.every((r) => r.inferred);
  return { values, chosen };
}
