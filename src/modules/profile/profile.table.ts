import { nowMs } from '../../db/columns.js';
import { sql, type SQL } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';

export interface AddressValue {
  address1?: string | null;
  address2?: string | null;
  address3?: string | null;
  address4?: string | null;
  city?: string | null;
  county?: string | null;
  state?: string | null;
  province?: string | null;
  country?: string | null;
  postalCode?: string | null;
}

const HIRAGANA = 'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖ';
const KATAKANA = [...HIRAGANA].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0x60)).join('');

/**
 * The one name-search form, in SQL (so an expression index can hold it): hiragana → katakana
 * (たなか → タナカ; `translate` is slow, so only for text holding hiragana), NFKD (full-width
 * letters and half-width katakana become their plain forms, accents split off), combining accents
 * U+0300–U+036F dropped (José → jose), lower case. Every function used is IMMUTABLE, as an index
 * expression requires. `operand` is SQL text (constants only).
 */
function nameFormSql(operand: string): string {
  const kana = `(case when ${operand} ~ '[ぁ-ゖ]' then translate(${operand}, '${HIRAGANA}', '${KATAKANA}') else ${operand} end)`;
  return `lower(regexp_replace(normalize(${kana}, NFKD), '[\\u0300-\\u036f]', '', 'g'))`;
}

/**
 * A profile's name tokens, for the GIN index `profiles_name_tokens_idx` and the query that must use
 * it (the expression text must be the same): the words of first, middle and last name, plus
 * last+first and first+last written together (Japanese names are often typed without a space:
 * 田中太郎). `alias` qualifies the columns in a query (`p`), none in the index.
 */
export function profileNameTokensSql(first: string, middle: string, last: string, alias = ''): SQL {
  const c = (name: string) => `coalesce(${alias ? `${alias}.` : ''}${name}, '')`;
  const all = `${c(first)} || ' ' || ${c(middle)} || ' ' || ${c(last)} || ' ' || ${c(last)} || ${c(first)} || ' ' || ${c(first)} || ${c(last)}`;
  return sql.raw(`regexp_split_to_array(btrim(${nameFormSql(`(${all})`)}), '\\s+')`);
}

/** The tokens of searched text in the same form (`text` is bound as a parameter, once per use in the form). */
export function searchTokensSql(text: string): SQL {
  const pieces = nameFormSql('\u0000').split('\u0000');
  const chunks: SQL[] = [sql.raw('regexp_split_to_array(btrim(')];
  pieces.forEach((piece, i) => {
    if (i > 0) chunks.push(sql`${text}::text`);
    chunks.push(sql.raw(piece));
  });
  chunks.push(sql.raw("), '\\s+')"));
  return sql.join(chunks, sql``);
}

export const profiles = pgTable(
  'profiles',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    accountNumber: text('account_number'),
    additionalInformation: text('additional_information'),
    partyType: text('party_type'),
    businessName: text('business_name'),
    firstName: text('first_name'),
    middleName: text('middle_name'),
    lastName: text('last_name'),
    birthDate: date('birth_date', { mode: 'string' }),
    gender: text('gender'),
    phoneNumber: text('phone_number'),
    mobilePhoneNumber: text('mobile_phone_number'),
    homePhoneNumber: text('home_phone_number'),
    businessPhoneNumber: text('business_phone_number'),
    emailAddress: text('email_address'),
    personalEmailAddress: text('personal_email_address'),
    businessEmailAddress: text('business_email_address'),
    address: jsonb('address').$type<AddressValue>(),
    shippingAddress: jsonb('shipping_address').$type<AddressValue>(),
    mailingAddress: jsonb('mailing_address').$type<AddressValue>(),
    billingAddress: jsonb('billing_address').$type<AddressValue>(),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    /** Fields a person set through createProfile/updateProfile: ingestion never overwrites them. */
    manualFields: jsonb('manual_fields').$type<string[]>().notNull().default([]),
    /** Per-field source priority of the last ingestion that wrote it (object type's sourcePriority). */
    fieldSources: jsonb('field_sources').$type<Record<string, number>>().notNull().default({}),
    /** Created by auto-association (a contact or order from an unknown caller), not by a person. */
    inferred: boolean('inferred').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('profiles_domain_id_idx').on(t.domainId, t.id),
    index('profiles_domain_updated_idx').on(t.domainId, t.updatedAt),
    // the profiles connection: newest first, keyset (created_at, id); plain DESC (= NULLS FIRST) so
    // `order by created_at desc, id desc` walks it without a sort
    index('profiles_domain_created_idx').on(t.domainId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // the explorer's name look-up (module lookup): `nameTokensSql(…) @> searchTokensSql($text)`
    index('profiles_name_tokens_idx').using('gin', profileNameTokensSql('first_name', 'middle_name', 'last_name')),
  ],
);

/**
 * Search keys: one row per (key, normalized value) of a profile. `_phone`, `_email`, `_account`,
 * `_fullName` and `attributes.<name>` live here, so every search is one index lookup.
 */
export const profileKeys = pgTable(
  'profile_keys',
  {
    domainId: uuid('domain_id').notNull(),
    keyName: text('key_name').notNull(),
    value: text('value').notNull(),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    /** Who provides the key: 'profile' (its own fields) or 'obj:<type>:<uniqueKey>' (an ingested object's keys). */
    source: text('source').notNull().default('profile'),
  },
  (t) => [
    primaryKey({ columns: [t.domainId, t.keyName, t.value, t.profileId, t.source] }),
    index('profile_keys_profile_idx').on(t.profileId),
    index('profile_keys_source_idx').on(t.domainId, t.source),
  ],
);
