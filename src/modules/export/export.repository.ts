import { and, asc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { query, type Executor } from '../../db/database.js';
import { cases } from '../case/case.table.js';
import { contacts } from '../contact/contact.table.js';
import { profileObjects } from '../ingest/ingest.table.js';
import { orders } from '../order/order.table.js';
import { profiles } from '../profile/profile.table.js';

/** Export window on the rows' `updated_at`: `from` inclusive, `to` exclusive; either may be open. */
export interface Window {
  from: Date | null;
  to: Date | null;
  /** Only these profiles (a condition on `profiles.id`: a segment's members); profile exports only. */
  profiles?: SQL | undefined;
}

/** The built-in record kinds an export can name; any other name is a custom object type. */
export const BUILT_IN_EXPORTS = ['profile', 'contact', 'case', 'order'] as const;
export type BuiltInExport = (typeof BUILT_IN_EXPORTS)[number];

/** One exported record and its keyset position. */
export interface ExportRecord {
  id: string;
  record: Record<string, unknown>;
}

/** The profile fields in export order (everything the API shows, attributes as an object). */
export const PROFILE_FIELDS = [
  'id',
  'accountNumber',
  'additionalInformation',
  'partyType',
  'businessName',
  'firstName',
  'middleName',
  'lastName',
  'birthDate',
  'gender',
  'phoneNumber',
  'mobilePhoneNumber',
  'homePhoneNumber',
  'businessPhoneNumber',
  'emailAddress',
  'personalEmailAddress',
  'businessEmailAddress',
  'address',
  'shippingAddress',
  'mailingAddress',
  'billingAddress',
  'attributes',
  'inferred',
  'createdAt',
  'updatedAt',
  'version',
] as const;

const profileColumns = {
  id: profiles.id,
  accountNumber: profiles.accountNumber,
  additionalInformation: profiles.additionalInformation,
  partyType: profiles.partyType,
  businessName: profiles.businessName,
  firstName: profiles.firstName,
  middleName: profiles.middleName,
  lastName: profiles.lastName,
  birthDate: profiles.birthDate,
  gender: profiles.gender,
  phoneNumber: profiles.phoneNumber,
  mobilePhoneNumber: profiles.mobilePhoneNumber,
  homePhoneNumber: profiles.homePhoneNumber,
  businessPhoneNumber: profiles.businessPhoneNumber,
  emailAddress: profiles.emailAddress,
  personalEmailAddress: profiles.personalEmailAddress,
  businessEmailAddress: profiles.businessEmailAddress,
  address: profiles.address,
  shippingAddress: profiles.shippingAddress,
  mailingAddress: profiles.mailingAddress,
  billingAddress: profiles.billingAddress,
  attributes: profiles.attributes,
  inferred: profiles.inferred,
  createdAt: profiles.createdAt,
  updatedAt: profiles.updatedAt,
  version: profiles.version,
} satisfies Record<(typeof PROFILE_FIELDS)[number], PgColumn>;

/** The owning profile's identifiers, carried on every related record so an importer can re-attach it. */
const owner = {
  profileId: profiles.id,
  profilePhoneNumber: profiles.phoneNumber,
  profileEmailAddress: profiles.emailAddress,
};

function windowOn(column: PgColumn, w: Window): SQL | undefined {
  return and(w.from ? gte(column, w.from) : undefined, w.to ? lt(column, w.to) : undefined);
}

/** Every column of a related table except the tenant id, plus the owner's identifiers. */
function relatedColumns(table: PgTable & { domainId: PgColumn }): Record<string, PgColumn> {
  const cols: Record<string, PgColumn> = {};
  for (const [name, col] of Object.entries(table as unknown as Record<string, unknown>)) {
    if (name !== 'domainId' && name !== 'profileId' && isColumn(col)) cols[name] = col;
  }
  return cols;
}

function isColumn(v: unknown): v is PgColumn {
  return typeof v === 'object' && v !== null && 'columnType' in v && 'name' in v;
}

/**
 * The next page of a kind's records in id order after `afterId` (keyset, so each page is an index
 * range and memory stays at one page whatever the domain's size).
 */
export async function exportPage(
  db: Executor,
  domainId: string,
  what: { builtIn: BuiltInExport } | { objectType: string },
  w: Window,
  afterId: string | null,
  limit: number,
): Promise<ExportRecord[]> {
  if ('objectType' in what) {
    const rows = await db
      .select({
        id: profileObjects.id,
        objectType: profileObjects.objectType,
        uniqueKey: profileObjects.uniqueKey,
        ...owner,
        createdAt: profileObjects.createdAt,
        updatedAt: profileObjects.updatedAt,
        data: profileObjects.data,
      })
      .from(profileObjects)
      .innerJoin(profiles, eq(profiles.id, profileObjects.profileId))
      .where(
        and(
          eq(profileObjects.domainId, domainId),
          eq(profileObjects.objectType, what.objectType),
          windowOn(profileObjects.updatedAt, w),
          afterId ? gt(profileObjects.id, afterId) : undefined,
        ),
      )
      .orderBy(asc(profileObjects.id))
      .limit(limit);
    return rows.map((r) => ({ id: r.id, record: r }));
  }
  if (what.builtIn === 'profile') {
    const rows = await db
      .select(profileColumns)
      .from(profiles)
      .where(and(eq(profiles.domainId, domainId), windowOn(profiles.updatedAt, w), w.profiles, afterId ? gt(profiles.id, afterId) : undefined))
      .orderBy(asc(profiles.id))
      .limit(limit);
    return rows.map((r) => ({ id: r.id, record: r }));
  }
  const table = what.builtIn === 'contact' ? contacts : what.builtIn === 'case' ? cases : orders;
  const rows = await db
    .select({ ...relatedColumns(table), ...owner })
    .from(table)
    .leftJoin(profiles, eq(profiles.id, table.profileId))
    .where(and(eq(table.domainId, domainId), windowOn(table.updatedAt, w), afterId ? gt(table.id, afterId) : undefined))
    .orderBy(asc(table.id))
    .limit(limit);
  return (rows as Record<string, unknown>[]).map((r) => ({ id: String(r.id), record: r }));
}

/** How many records the export will write (for progress). */
export async function exportCount(db: Executor, domainId: string, what: { builtIn: BuiltInExport } | { objectType: string }, w: Window): Promise<number> {
  const count = sql<number>`count(*)::int`;
  if ('objectType' in what) {
    const [r] = await db
      .select({ n: count })
      .from(profileObjects)
      .where(and(eq(profileObjects.domainId, domainId), eq(profileObjects.objectType, what.objectType), windowOn(profileObjects.updatedAt, w)));
    return Number(r?.n ?? 0);
  }
  const table = what.builtIn === 'profile' ? profiles : what.builtIn === 'contact' ? contacts : what.builtIn === 'case' ? cases : orders;
  const [r] = await db
    .select({ n: count })
    .from(table)
    .where(and(eq(table.domainId, domainId), windowOn(table.updatedAt, w), what.builtIn === 'profile' ? w.profiles : undefined));
  return Number(r?.n ?? 0);
}

/**
 * The names of a JSON column's keys across the export (CSV needs its header before the first row):
 * profile attributes, or a custom object type's data keys. One aggregate, no rows in memory.
 */
export async function exportJsonKeys(db: Executor, domainId: string, what: { builtIn: 'profile' | 'contact' } | { objectType: string }, w: Window): Promise<string[]> {
  let rows: { k: string }[];
  if ('objectType' in what) {
    rows = await query<{ k: string }>(
      db,
      sql`select distinct jsonb_object_keys(${profileObjects.data}) as k from ${profileObjects}
          where ${and(eq(profileObjects.domainId, domainId), eq(profileObjects.objectType, what.objectType), windowOn(profileObjects.updatedAt, w))}
          order by 1`,
    );
  } else {
    const table = what.builtIn === 'profile' ? profiles : contacts;
    rows = await query<{ k: string }>(
      db,
      sql`select distinct jsonb_object_keys(${table.attributes}) as k from ${table}
          where ${and(eq(table.domainId, domainId), windowOn(table.updatedAt, w), what.builtIn === 'profile' ? w.profiles : undefined)} order by 1`,
    );
  }
  return rows.map((r) => r.k);
}

/** The field names of a contact, case or order record, in export order. */
export function relatedFieldNames(kind: Exclude<BuiltInExport, 'profile'>): string[] {
  const table = kind === 'contact' ? contacts : kind === 'case' ? cases : orders;
  return [...Object.keys(relatedColumns(table)), ...Object.keys(owner)];
}
