import { and, asc, eq, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import type { DomainRow } from '../domain/domain.repository.js';
import { domains } from '../domain/domain.table.js';
import { objectKeySource } from '../ingest/ingest.repository.js';
import { profileObjects } from '../ingest/ingest.table.js';
import { objectTypes } from '../object-type/object-type.table.js';
import { profileKeys, profiles } from '../profile/profile.table.js';

/** Object types of a domain that expire their objects. */
export async function expiringObjectTypes(db: Executor, domainId: string): Promise<{ name: string; expirationDays: number }[]> {
  const rows = await db
    .select({ name: objectTypes.name, expirationDays: objectTypes.expirationDays })
    .from(objectTypes)
    .where(and(eq(objectTypes.domainId, domainId), isNotNull(objectTypes.expirationDays)))
    .orderBy(asc(objectTypes.name));
  return rows.map((r) => ({ name: r.name, expirationDays: r.expirationDays! }));
}

/** Domains with anything to expire: a profile expiration, or an object type with one. */
export async function domainsWithRetention(db: Executor): Promise<DomainRow[]> {
  return db
    .select()
    .from(domains)
    .where(
      or(
        isNotNull(domains.defaultExpirationDays),
        sql`exists (select 1 from ${objectTypes} where ${objectTypes.domainId} = ${domains.id} and ${objectTypes.expirationDays} is not null)`,
      ),
    )
    .orderBy(asc(domains.id));
}

/**
 * A profile is expired only when neither it nor anything of it changed since the cutoff: a customer
 * who keeps calling (contacts), opening cases, ordering or being ingested is not "not updated", even
 * if nobody edited the profile's own fields.
 */
function noActivitySince(cutoff: Date) {
  const at = sql`${cutoff.toISOString()}::timestamptz`;
  const recent = (table: string) =>
    sql`not exists (select 1 from ${sql.identifier(table)} a where a.domain_id = ${profiles.domainId} and a.profile_id = ${profiles.id} and a.updated_at >= ${at})`;
  return sql`(${recent('contacts')} and ${recent('cases')} and ${recent('orders')} and ${recent('profile_objects')})`;
}

export async function countExpiredProfiles(db: Executor, domainId: string, cutoff: Date): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(profiles)
    .where(and(eq(profiles.domainId, domainId), lt(profiles.updatedAt, cutoff), noActivitySince(cutoff)));
  return Number(r?.n ?? 0);
}

/** The first expired profile ids, oldest first (the order the sweep deletes them in). */
export async function expiredProfileIds(db: Executor, domainId: string, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.domainId, domainId), lt(profiles.updatedAt, cutoff), noActivitySince(cutoff)))
    .orderBy(asc(profiles.updatedAt), asc(profiles.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Deletes up to `limit` profiles not updated since `cutoff`. Rows locked by a concurrent writer are
 * skipped (the next sweep gets them, if they are still expired); a row updated meanwhile no longer
 * matches the condition, so a profile is never deleted just after a change.
 */
export async function deleteExpiredProfiles(db: Executor, domainId: string, cutoff: Date, limit: number): Promise<string[]> {
  const rows = await query<{ id: string }>(
    db,
    sql`delete from ${profiles} where ${profiles.id} in (
          select ${profiles.id} from ${profiles}
          where ${profiles.domainId} = ${domainId} and ${profiles.updatedAt} < ${cutoff.toISOString()}::timestamptz and ${noActivitySince(cutoff)}
          order by ${profiles.updatedAt}, ${profiles.id}
          limit ${limit} for update skip locked)
        and ${profiles.updatedAt} < ${cutoff.toISOString()}::timestamptz and ${noActivitySince(cutoff)}
        returning ${profiles.id} as id`,
  );
  return rows.map((r) => r.id);
}

export async function countExpiredObjects(db: Executor, domainId: string, objectType: string, cutoff: Date): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(profileObjects)
    .where(and(eq(profileObjects.domainId, domainId), eq(profileObjects.objectType, objectType), lt(profileObjects.updatedAt, cutoff)));
  return Number(r?.n ?? 0);
}

/** Deletes up to `limit` objects of a type not updated since `cutoff`, and the profile keys they provided. */
export async function deleteExpiredObjects(
  db: Executor,
  domainId: string,
  objectType: string,
  cutoff: Date,
  limit: number,
): Promise<{ id: string; profileId: string; uniqueKey: string }[]> {
  const rows = await query<{ id: string; profile_id: string; unique_key: string }>(
    db,
    sql`delete from ${profileObjects} where ${profileObjects.id} in (
          select ${profileObjects.id} from ${profileObjects}
          where ${profileObjects.domainId} = ${domainId} and ${profileObjects.objectType} = ${objectType} and ${profileObjects.updatedAt} < ${cutoff.toISOString()}::timestamptz
          order by ${profileObjects.updatedAt}, ${profileObjects.id}
          limit ${limit} for update skip locked)
        and ${profileObjects.updatedAt} < ${cutoff.toISOString()}::timestamptz
        returning ${profileObjects.id} as id, ${profileObjects.profileId} as profile_id, ${profileObjects.uniqueKey} as unique_key`,
  );
  const deleted = rows.map((r) => ({ id: r.id, profileId: r.profile_id, uniqueKey: r.unique_key }));
  if (deleted.length > 0) {
    await db
      .delete(profileKeys)
      .where(and(eq(profileKeys.domainId, domainId), inArray(profileKeys.source, deleted.map((d) => objectKeySource(objectType, d.uniqueKey)))));
  }
  return deleted;
}
