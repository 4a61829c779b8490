import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import { profiles } from '../profile/profile.table.js';
import type { StoredMatchingConfig } from './identity.config.js';
import { matchCursors, matchGroups, matchingConfigs, matchKeys, type MatchGroupStatus } from './identity.table.js';
import type { Model } from './matcher.js';

export type MatchingConfigRow = typeof matchingConfigs.$inferSelect;
export type MatchGroupRow = typeof matchGroups.$inferSelect;

export async function configRow(db: Executor, domainId: string): Promise<MatchingConfigRow | null> {
  const rows = await db.select().from(matchingConfigs).where(eq(matchingConfigs.domainId, domainId));
  return rows[0] ?? null;
}

export async function upsertConfig(db: Executor, domainId: string, config: StoredMatchingConfig, now: Date): Promise<MatchingConfigRow> {
  const rows = await db
    .insert(matchingConfigs)
    .values({ domainId, config, updatedAt: now })
    .onConflictDoUpdate({ target: matchingConfigs.domainId, set: { config, updatedAt: now, version: sql`${matchingConfigs.version} + 1` } })
    .returning();
  return rows[0]!;
}

export async function setModel(db: Executor, domainId: string, model: Model): Promise<void> {
  await db.update(matchingConfigs).set({ model }).where(eq(matchingConfigs.domainId, domainId));
}

/** Domains whose configuration asks for a scheduled full job. */
export async function scheduledDomains(db: Executor): Promise<string[]> {
  const rows = await query<{ id: string }>(db, sql`select domain_id as id from matching_configs where (config->>'enabled')::boolean and (config->>'scheduled')::boolean`);
  return rows.map((r) => r.id);
}

// ---------------- on-write cursor

/** Starts the domain's cursor at its current log position (writes before the configuration are the full job's). */
export async function ensureCursor(db: Executor, domainId: string): Promise<void> {
  await db.execute(sql`insert into match_cursors (domain_id, position) select d.id, d.last_event_id from domains d where d.id = ${domainId} on conflict do nothing`);
}

export async function lockExistingCursor(db: Executor, domainId: string): Promise<number | null> {
  const rows = await db.select({ position: matchCursors.position }).from(matchCursors).where(eq(matchCursors.domainId, domainId)).for('update');
  return rows.length > 0 ? Number(rows[0]!.position) : null;
}

export async function setCursor(db: Executor, domainId: string, position: number): Promise<void> {
  await db.update(matchCursors).set({ position }).where(eq(matchCursors.domainId, domainId));
}

/** Domains with on-write matching whose event log is ahead of their cursor. */
export async function domainsBehind(db: Executor): Promise<string[]> {
  const rows = await query<{ id: string }>(
    db,
    sql`select c.domain_id as id from match_cursors c join domains d on d.id = c.domain_id join matching_configs m on m.domain_id = c.domain_id
        where d.last_event_id > c.position and (m.config->>'enabled')::boolean and (m.config->>'onWrite')::boolean`,
  );
  return rows.map((r) => r.id);
}

// ---------------- blocking keys

/** Replaces the keys of the given profiles (one delete, one insert). */
export async function replaceKeys(db: Executor, domainId: string, profileIds: readonly string[], keys: readonly string[][]): Promise<void> {
  if (profileIds.length === 0) return;
  await db.execute(sql`delete from match_keys where domain_id = ${domainId} and profile_id = any(${sql.param([...profileIds])}::uuid[])`);
  const ids: string[] = [];
  const ks: string[] = [];
  profileIds.forEach((id, i) => {
    for (const k of keys[i]!) {
      ids.push(id);
      ks.push(k);
    }
  });
  if (ks.length === 0) return;
  await db.execute(
    sql`insert into match_keys (domain_id, key, profile_id)
        select ${domainId}::uuid, k, p from unnest(${sql.param(ks)}::text[], ${sql.param(ids)}::uuid[]) as q(k, p)
        where exists (select 1 from profiles where id = q.p and domain_id = ${domainId})
        on conflict do nothing`,
  );
}

export async function deleteAllKeys(db: Executor, domainId: string): Promise<void> {
  await db.delete(matchKeys).where(eq(matchKeys.domainId, domainId));
}

/**
 * Profiles sharing a key with `keys` (the domain's only), other than `self`; a key shared by more
 * than `limit` profiles is skipped (low cardinality). At most `max` ids.
 */
export async function candidateIds(db: Executor, domainId: string, keys: readonly string[], self: string, limit: number, max: number): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await query<{ id: string }>(
    db,
    sql`with k as (
          select key from match_keys where domain_id = ${domainId} and key = any(${sql.param([...keys])}::text[])
          group by key having count(*) <= ${limit}
        )
        select distinct m.profile_id as id from match_keys m join k on k.key = m.key
        where m.domain_id = ${domainId} and m.profile_id <> ${self}::uuid
        limit ${max}`,
  );
  return rows.map((r) => r.id);
}

// ---------------- profiles for the full job

export type MatchProfileRow = Pick<
  typeof profiles.$inferSelect,
  | 'id' | 'firstName' | 'middleName' | 'lastName' | 'birthDate' | 'gender' | 'accountNumber' | 'businessName' | 'emailAddress' | 'personalEmailAddress'
  | 'businessEmailAddress' | 'phoneNumber' | 'mobilePhoneNumber' | 'homePhoneNumber' | 'businessPhoneNumber' | 'address' | 'attributes' | 'updatedAt'
>;

const matchColumns = {
  id: profiles.id,
  firstName: profiles.firstName,
  middleName: profiles.middleName,
  lastName: profiles.lastName,
  birthDate: profiles.birthDate,
  gender: profiles.gender,
  accountNumber: profiles.accountNumber,
  businessName: profiles.businessName,
  emailAddress: profiles.emailAddress,
  personalEmailAddress: profiles.personalEmailAddress,
  businessEmailAddress: profiles.businessEmailAddress,
  phoneNumber: profiles.phoneNumber,
  mobilePhoneNumber: profiles.mobilePhoneNumber,
  homePhoneNumber: profiles.homePhoneNumber,
  businessPhoneNumber: profiles.businessPhoneNumber,
  address: profiles.address,
  attributes: profiles.attributes,
  updatedAt: profiles.updatedAt,
};

/** A page of the domain's profiles by id (keyset). */
export async function profilePage(db: Executor, domainId: string, afterId: string | null, limit: number): Promise<MatchProfileRow[]> {
  return db
    .select(matchColumns)
    .from(profiles)
    .where(afterId ? and(eq(profiles.domainId, domainId), gt(profiles.id, afterId)) : eq(profiles.domainId, domainId))
    .orderBy(asc(profiles.id))
    .limit(limit);
}

export async function matchProfilesByIds(db: Executor, domainId: string, ids: readonly string[]): Promise<MatchProfileRow[]> {
  if (ids.length === 0) return [];
  return db
    .select(matchColumns)
    .from(profiles)
    .where(and(eq(profiles.domainId, domainId), sql`${profiles.id} = any(${sql.param([...ids])}::uuid[])`));
}

export async function countProfiles(db: Executor, domainId: string): Promise<number> {
  const rows = await query<{ n: string | number }>(db, sql`select count(*) as n from profiles where domain_id = ${domainId}`);
  return Number(rows[0]?.n ?? 0);
}

// ---------------- groups

export interface NewGroup {
  profileIds: string[];
  confidence: number;
  method: string;
  fields: { field: string; level: string; weight: number }[];
}

export const memberKey = (ids: readonly string[]): string => [...ids].sort().join(',');

/** The full job's result: every SUGGESTED group is replaced; a member set already MERGED or DISMISSED stays as it is. */
export async function replaceSuggested(db: Executor, domainId: string, groups: readonly NewGroup[], now: Date): Promise<MatchGroupRow[]> {
  await db.delete(matchGroups).where(and(eq(matchGroups.domainId, domainId), eq(matchGroups.status, 'SUGGESTED')));
  const out: MatchGroupRow[] = [];
  for (let i = 0; i < groups.length; i += 500) {
    const chunk = groups.slice(i, i + 500).map((g) => {
      const ids = [...g.profileIds].sort();
      return { domainId, profileIds: ids, memberKey: ids.join(','), confidence: g.confidence, method: g.method, fields: g.fields, createdAt: now, updatedAt: now };
    });
    out.push(...(await db.insert(matchGroups).values(chunk).onConflictDoNothing().returning()));
  }
  return out;
}

/**
 * On-write: a group for `ids` (the written profile and its matches). SUGGESTED groups sharing a member
 * are folded into it; a set equal to a DISMISSED or MERGED group is left alone.
 */
export async function foldGroup(db: Executor, domainId: string, group: NewGroup, now: Date): Promise<MatchGroupRow | null> {
  const overlapping = await query<{ id: string; profile_ids: string[]; confidence: number }>(
    db,
    sql`select id, profile_ids, confidence from match_groups where domain_id = ${domainId} and status = 'SUGGESTED' and profile_ids && ${sql.param(group.profileIds)}::uuid[] for update`,
  );
  const ids = new Set(group.profileIds);
  let confidence = group.confidence;
  for (const g of overlapping) {
    for (const id of g.profile_ids) ids.add(id);
    confidence = Math.min(confidence, Number(g.confidence));
  }
  const sorted = [...ids].sort();
  const key = sorted.join(',');
  const same = await db.select({ id: matchGroups.id, status: matchGroups.status }).from(matchGroups).where(and(eq(matchGroups.domainId, domainId), eq(matchGroups.memberKey, key)));
  if (same[0] && same[0].status !== 'SUGGESTED') return null;
  if (overlapping.length > 0) await db.execute(sql`delete from match_groups where domain_id = ${domainId} and id = any(${sql.param(overlapping.map((g) => g.id))}::uuid[])`);
  const rows = await db
    .insert(matchGroups)
    .values({ domainId, profileIds: sorted, memberKey: key, confidence, method: group.method, fields: group.fields, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [matchGroups.domainId, matchGroups.memberKey], set: { confidence, method: group.method, fields: group.fields, updatedAt: now } })
    .returning();
  return rows[0] ?? null;
}

/** The SUGGESTED groups holding any of `profileIds` (the GIN index on profile_ids). */
export async function suggestedGroupsOf(db: Executor, domainId: string, profileIds: readonly string[]): Promise<Pick<MatchGroupRow, 'profileIds' | 'confidence' | 'fields'>[]> {
  if (profileIds.length === 0) return [];
  return db
    .select({ profileIds: matchGroups.profileIds, confidence: matchGroups.confidence, fields: matchGroups.fields })
    .from(matchGroups)
    .where(and(eq(matchGroups.domainId, domainId), eq(matchGroups.status, 'SUGGESTED'), sql`${matchGroups.profileIds} && ${sql.param([...profileIds])}::uuid[]`));
}

/** Claims a SUGGESTED group for an auto-merge (marks it MERGED, merge id to come); false when another pass already did. */
export async function claimGroup(db: Executor, domainId: string, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(matchGroups)
    .set({ status: 'MERGED', mergeId: null, updatedAt: now })
    .where(and(eq(matchGroups.domainId, domainId), eq(matchGroups.id, id), eq(matchGroups.status, 'SUGGESTED')))
    .returning({ id: matchGroups.id });
  return rows.length > 0;
}

export async function setGroupStatus(db: Executor, domainId: string, id: string, status: MatchGroupStatus, mergeId: string | null, now: Date): Promise<void> {
  await db.update(matchGroups).set({ status, mergeId, updatedAt: now }).where(and(eq(matchGroups.domainId, domainId), eq(matchGroups.id, id)));
}

export async function groupById(db: Executor, domainId: string, id: string): Promise<MatchGroupRow | null> {
  const rows = await db.select().from(matchGroups).where(and(eq(matchGroups.domainId, domainId), eq(matchGroups.id, id)));
  return rows[0] ?? null;
}

/** A page of groups at or above `minConfidence`, most confident first (keyset on confidence, id); limit + 1 rows. */
export async function groupPage(
  db: Executor,
  domainId: string,
  minConfidence: number,
  status: MatchGroupStatus | null,
  limit: number,
  after: { confidence: number; id: string } | null,
): Promise<MatchGroupRow[]> {
  const conds = [eq(matchGroups.domainId, domainId), sql`${matchGroups.confidence} >= ${minConfidence}`];
  if (status) conds.push(eq(matchGroups.status, status));
  if (after) conds.push(sql`(${matchGroups.confidence} < ${after.confidence}::real or (${matchGroups.confidence} = ${after.confidence}::real and ${matchGroups.id} > ${after.id}::uuid))`);
  return db
    .select()
    .from(matchGroups)
    .where(and(...conds))
    .orderBy(sql`${matchGroups.confidence} desc`, asc(matchGroups.id))
    .limit(limit + 1);
}
