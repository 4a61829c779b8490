import { badInput } from '../../errors.js';
import type { ProfileInput } from '../../generated/resolvers-types.js';
import { normalizeEmail, normalizeName, toE164 } from '../profile/normalize.js';
import type { ContentType, FieldDefinition } from './object-type.table.js';

// Path segments are anything but '.', '{' and '}' so CSV headers like "E-mail" or "電話番号" work.
// Both patterns are unambiguous ('.' separates segments and no segment holds a '.'), so they run in
// linear time; templates are split by indexOf, never by a backtracking regex.
const PATH = /^_source(\.[^.{}]+)+$/;
const TEMPLATE_EXPR = /^_source(\.[^.{}\s][^.{}]*)+$/;

/** Longest source expression accepted (a template joining a handful of fields fits easily). */
export const MAX_SOURCE_CHARS = 1024;

/** A parsed source expression: a path into the incoming JSON, or a template joining paths. */
export type Source = { kind: 'path'; path: string[] } | { kind: 'template'; text: string; pieces: (string | string[])[] };

/** Splits "a {{_source.x}} b" into literal text and paths; null if any "{{" is not a valid part. */
function templatePieces(s: string): (string | string[])[] | null {
  const pieces: (string | string[])[] = [];
  let at = 0;
  let paths = 0;
  for (;;) {
    const open = s.indexOf('{{', at);
    if (open === -1) break;
    const close = s.indexOf('}}', open + 2);
    if (close === -1) return null;
    const expr = s.slice(open + 2, close).trim();
    if (!TEMPLATE_EXPR.test(expr)) return null;
    if (open > at) pieces.push(s.slice(at, open));
    pieces.push(expr.split('.').slice(1));
    paths++;
    at = close + 2;
  }
  if (at < s.length) pieces.push(s.slice(at));
  return paths > 0 ? pieces : null;
}

export function parseSource(source: string, field: string): Source {
  if (source.length > MAX_SOURCE_CHARS) throw badInput(`${field} is ${source.length} characters long; at most ${MAX_SOURCE_CHARS} are allowed.`, field);
  const s = source.trim();
  if (PATH.test(s)) return { kind: 'path', path: s.split('.').slice(1) };
  const pieces = s.includes('{{') ? templatePieces(s) : null;
  if (pieces) return { kind: 'template', text: s, pieces };
  throw badInput(`${field} "${source.slice(0, 80)}" must be _source.<path> or a template like "{{_source.first}} {{_source.last}}".`, field);
}

const PROFILE_FIELDS: Record<string, keyof ProfileInput> = {
  AccountNumber: 'accountNumber',
  AdditionalInformation: 'additionalInformation',
  PartyType: 'partyType',
  BusinessName: 'businessName',
  FirstName: 'firstName',
  MiddleName: 'middleName',
  LastName: 'lastName',
  BirthDate: 'birthDate',
  Gender: 'gender',
  PhoneNumber: 'phoneNumber',
  MobilePhoneNumber: 'mobilePhoneNumber',
  HomePhoneNumber: 'homePhoneNumber',
  BusinessPhoneNumber: 'businessPhoneNumber',
  EmailAddress: 'emailAddress',
  PersonalEmailAddress: 'personalEmailAddress',
  BusinessEmailAddress: 'businessEmailAddress',
};
const ADDRESSES: Record<string, 'address' | 'shippingAddress' | 'mailingAddress' | 'billingAddress'> = {
  Address: 'address',
  ShippingAddress: 'shippingAddress',
  MailingAddress: 'mailingAddress',
  BillingAddress: 'billingAddress',
};
const ADDRESS_PARTS: Record<string, string> = {
  Address1: 'address1',
  Address2: 'address2',
  Address3: 'address3',
  Address4: 'address4',
  City: 'city',
  County: 'county',
  State: 'state',
  Province: 'province',
  Country: 'country',
  PostalCode: 'postalCode',
};

/** Common spellings of gender in exports (English and Japanese). */
const GENDER_WORDS: Record<string, string> = {
  m: 'MALE',
  male: 'MALE',
  man: 'MALE',
  男: 'MALE',
  男性: 'MALE',
  f: 'FEMALE',
  female: 'FEMALE',
  woman: 'FEMALE',
  女: 'FEMALE',
  女性: 'FEMALE',
  u: 'UNSPECIFIED',
  unknown: 'UNSPECIFIED',
  other: 'UNSPECIFIED',
  その他: 'UNSPECIFIED',
  不明: 'UNSPECIFIED',
};

/** Where a mapped value goes on the profile. */
export type Target =
  | { kind: 'field'; field: keyof ProfileInput }
  | { kind: 'address'; field: 'address' | 'shippingAddress' | 'mailingAddress' | 'billingAddress'; part: string }
  | { kind: 'attribute'; name: string };

export function parseTarget(target: string, field: string): Target {
  const parts = target.split('.');
  if (parts[0] === '_profile') {
    if (parts.length === 2 && PROFILE_FIELDS[parts[1]!]) return { kind: 'field', field: PROFILE_FIELDS[parts[1]!]! };
    if (parts.length === 3 && ADDRESSES[parts[1]!] && ADDRESS_PARTS[parts[2]!]) return { kind: 'address', field: ADDRESSES[parts[1]!]!, part: ADDRESS_PARTS[parts[2]!]! };
    if (parts.length >= 3 && parts[1] === 'Attributes') {
      const name = parts.slice(2).join('.');
      if (name.length >= 1 && name.length <= 255) return { kind: 'attribute', name };
    }
  }
  throw badInput(
    `${field} "${target}" is not a profile target: use _profile.<Field> (${Object.keys(PROFILE_FIELDS).join(', ')}), _profile.<Address|ShippingAddress|MailingAddress|BillingAddress>.<Part>, or _profile.Attributes.<name>.`,
    field,
  );
}

function at(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function scalarText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The field's raw text value from an incoming object, or null. */
export function evaluate(source: Source, object: Record<string, unknown>): string | null {
  if (source.kind === 'path') return scalarText(at({ _source: object }, ['_source', ...source.path]));
  let any = false;
  let text = '';
  for (const piece of source.pieces) {
    if (typeof piece === 'string') {
      text += piece;
      continue;
    }
    const v = scalarText(at(object, piece));
    if (v !== null) any = true;
    text += v ?? '';
  }
  return any ? text.replace(/\s+/g, ' ').trim() : null;
}

/** The value used for matching and search under a content type (null = cannot match). */
export function normalizeForKey(value: string, type: ContentType, region: string): string | null {
  switch (type) {
    case 'PHONE_NUMBER':
      return toE164(value, region);
    case 'EMAIL_ADDRESS':
      return normalizeEmail(value);
    case 'NAME':
      return normalizeName(value);
    case 'NUMBER': {
      const n = Number(value);
      return Number.isFinite(n) ? String(n) : null;
    }
    default:
      return value.trim() || null;
  }
}

// Definitions are validated when stored; parse each field's expressions once, not once per object.
const sourceCache = new WeakMap<FieldDefinition, Source>();
const targetCache = new WeakMap<FieldDefinition, Target>();
function cachedSource(f: FieldDefinition): Source {
  let s = sourceCache.get(f);
  if (!s) sourceCache.set(f, (s = parseSource(f.source, f.name)));
  return s;
}
function cachedTarget(f: FieldDefinition): Target {
  let t = targetCache.get(f);
  if (!t) targetCache.set(f, (t = parseTarget(f.target!, f.name)));
  return t;
}

/** Evaluates every field of a type against an object. */
export function evaluateFields(fields: readonly FieldDefinition[], object: Record<string, unknown>): Map<string, string> {
  const values = new Map<string, string>();
  for (const f of fields) {
    const v = evaluate(cachedSource(f), object);
    if (v !== null) values.set(f.name, v);
  }
  return values;
}

/**
 * The ProfileInput an object's mapped fields describe (validated later by the profile service, so
 * a bad value is reported like any other profile input).
 */
export function profileInputFrom(fields: readonly FieldDefinition[], values: ReadonlyMap<string, string>): ProfileInput {
  const input: Record<string, unknown> = {};
  const attributes: { key: string; value: string }[] = [];
  for (const f of fields) {
    if (!f.target) continue;
    const v = values.get(f.name);
    if (v === undefined) continue;
    const t = cachedTarget(f);
    if (t.kind === 'attribute') attributes.push({ key: t.name, value: v });
    else if (t.kind === 'address') input[t.field] = { ...((input[t.field] as object) ?? {}), [t.part]: v };
    else if (t.field === 'birthDate') {
      const d = new Date(`${v.slice(0, 10)}T00:00:00Z`);
      // Year 0000 parses in JavaScript but not in Postgres (there is no year 0).
      if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1) throw badInput(`${f.name}: "${v}" is not a date (YYYY-MM-DD).`, f.name);
      input.birthDate = d;
    } else if (t.field === 'gender' || t.field === 'partyType') {
      const up = t.field === 'gender' ? (GENDER_WORDS[v.trim().toLowerCase()] ?? v.toUpperCase()) : v.toUpperCase();
      const allowed = t.field === 'gender' ? ['MALE', 'FEMALE', 'UNSPECIFIED'] : ['INDIVIDUAL', 'BUSINESS', 'OTHER'];
      if (!allowed.includes(up)) throw badInput(`${f.name}: "${v}" is not one of ${allowed.join(', ')}.`, f.name);
      input[t.field] = up;
    } else input[t.field] = v;
  }
  if (attributes.length) input.attributes = attributes;
  return input as ProfileInput;
}
