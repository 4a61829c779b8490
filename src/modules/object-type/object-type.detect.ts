/**
 * Mapping inference from sample objects (ACCP's DetectProfileObjectType), locally and
 * deterministically: every scalar path of the samples becomes a field, and its target, content type
 * and keys are proposed from three kinds of evidence, each given a confidence and a reason:
 *
 *  - the **dictionary** of field names (import/suggest.ts: English and Japanese spellings, e.g.
 *    "email", "E-mail", "メールアドレス", "電話番号", "郵便番号");
 *  - the **shape** of the values (e-mail addresses, phone numbers, dates, ids, numbers);
 *  - the **structure** of the object (`city` under `shipping_address`, Salesforce's `BillingCity`,
 *    a top-level `id`, `customer.id` referring to another record).
 */
import { badInput } from '../../errors.js';
import { dictionaryTarget, normalizeHeader } from '../import/suggest.js';
import { MAX_FIELDS } from './object-type.service.js';
import type { ContentType } from './object-type.table.js';

export const MAX_SAMPLES = 5;
/** Nesting followed into the samples (deeper objects stay on the object unmapped). */
const MAX_DEPTH = 4;
/** Distinct paths looked at (the rest are reported in the warnings). */
const MAX_PATHS = 500;

export interface DetectedField {
  name: string;
  source: string;
  target: string | null;
  contentType: ContentType;
  confidence: number;
  reason: string;
}

export interface DetectedKey {
  name: string;
  identifiers: string[];
  fieldNames: string[];
  confidence: number;
  reason: string;
}

export interface DetectionResult {
  fields: DetectedField[];
  keys: DetectedKey[];
  objectType: Record<string, unknown>;
  warnings: string[];
}

type Shape = 'email' | 'phone' | 'date' | 'uuid' | 'number' | 'boolean' | 'text' | 'empty';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@.]{2,63}$/;
const PHONE = /^\+?[\d\s().\-]{7,24}$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const UUID_LIKE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}|[A-Za-z0-9]{15}|[A-Za-z0-9]{18})$/;

function shapeOf(v: unknown): Shape {
  if (v === null || v === undefined || v === '') return 'empty';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return 'number';
  const s = String(v).trim();
  if (EMAIL.test(s)) return 'email';
  if (DATE.test(s)) return 'date';
  if (PHONE.test(s)) {
    const digits = s.replace(/\D/g, '').length;
    // A plain run of digits is a phone only with a leading + or separators (an id otherwise).
    if (digits >= 7 && digits <= 15 && (/^\+/.test(s) || /[\s().-]/.test(s))) return 'phone';
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) return 'number';
  if (UUID_LIKE.test(s) && /\d/.test(s)) return 'uuid';
  return 'text';
}

/** The shape all non-empty values share, or 'text' when they disagree ('empty' when none has a value). */
function commonShape(values: readonly unknown[]): Shape {
  const shapes = new Set(values.map(shapeOf).filter((s) => s !== 'empty'));
  if (shapes.size === 0) return 'empty';
  if (shapes.size === 1) return [...shapes][0]!;
  if ([...shapes].every((s) => s === 'number' || s === 'uuid')) return 'uuid';
  return 'text';
}

const ADDRESS_KINDS: Record<string, string> = {
  address: 'Address',
  defaultaddress: 'Address',
  homeaddress: 'Address',
  住所: 'Address',
  billingaddress: 'BillingAddress',
  billing: 'BillingAddress',
  shippingaddress: 'ShippingAddress',
  shipping: 'ShippingAddress',
  deliveryaddress: 'ShippingAddress',
  配送先: 'ShippingAddress',
  mailingaddress: 'MailingAddress',
  mailing: 'MailingAddress',
};
const ADDRESS_PARTS: Record<string, string> = {
  address1: 'Address1',
  addressline1: 'Address1',
  street: 'Address1',
  streetaddress: 'Address1',
  line1: 'Address1',
  address2: 'Address2',
  addressline2: 'Address2',
  line2: 'Address2',
  city: 'City',
  town: 'City',
  state: 'State',
  statecode: 'State',
  region: 'State',
  prefecture: 'State',
  province: 'Province',
  provincecode: 'Province',
  county: 'County',
  country: 'Country',
  countrycode: 'Country',
  zip: 'PostalCode',
  zipcode: 'PostalCode',
  postalcode: 'PostalCode',
  postcode: 'PostalCode',
};
/** Names of records another record refers to by id (`customer.id`, `requester_id`, `AccountId`). */
const REFERENCES = ['customer', 'user', 'requester', 'contact', 'account', 'caller', 'member', 'client', '顧客', '会員'];
const ID_WORDS = new Set(['id', 'sysid', 'uuid', 'recordid', 'externalid', 'key', 'objectid']);

interface PathInfo {
  path: string[];
  values: unknown[];
}

function collect(obj: Record<string, unknown>, prefix: string[], out: Map<string, PathInfo>, warnings: Set<string>): void {
  for (const [k, v] of Object.entries(obj)) {
    // Keys the mapping language cannot address (mapping.ts: segments hold no '.', '{' or '}').
    if (k === '' || /[.{}]/.test(k) || k.length > 200) {
      warnings.add(`Field "${k.slice(0, 60)}" cannot be addressed by a _source path and was skipped.`);
      continue;
    }
    const path = [...prefix, k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      if (path.length < MAX_DEPTH) collect(v as Record<string, unknown>, path, out, warnings);
      continue;
    }
    if (Array.isArray(v)) continue; // lists (line items, tags arrays) stay on the object
    const id = path.join('.');
    let info = out.get(id);
    if (!info) {
      if (out.size >= MAX_PATHS) {
        warnings.add(`Only the first ${MAX_PATHS} distinct fields were looked at.`);
        continue;
      }
      out.set(id, (info = { path, values: [] }));
    }
    info.values.push(v);
  }
}

interface Candidate {
  info: PathInfo;
  target: string | null;
  contentType: ContentType;
  confidence: number;
  reason: string;
  shape: Shape;
}

const contentTypeOf = (shape: Shape): ContentType => (shape === 'email' ? 'EMAIL_ADDRESS' : shape === 'phone' ? 'PHONE_NUMBER' : shape === 'number' ? 'NUMBER' : 'STRING');

/** Address kind and part from structure: a part under an address object, or a prefixed name (BillingCity). */
function addressTarget(path: readonly string[]): { target: string; why: string } | null {
  const leaf = normalizeHeader(path[path.length - 1]!);
  const parent = path.length > 1 ? normalizeHeader(path[path.length - 2]!) : null;
  if (parent && ADDRESS_KINDS[parent] && ADDRESS_PARTS[leaf]) {
    return { target: `_profile.${ADDRESS_KINDS[parent]}.${ADDRESS_PARTS[leaf]}`, why: `"${path[path.length - 1]}" under "${path[path.length - 2]}"` };
  }
  for (const prefix of ['billing', 'shipping', 'mailing']) {
    if (leaf.startsWith(prefix) && ADDRESS_PARTS[leaf.slice(prefix.length)]) {
      return { target: `_profile.${ADDRESS_KINDS[prefix]}.${ADDRESS_PARTS[leaf.slice(prefix.length)]}`, why: `"${path[path.length - 1]}" names a ${prefix} address part` };
    }
  }
  return null;
}

function candidate(info: PathInfo): Candidate {
  const leafRaw = info.path[info.path.length - 1]!;
  const shape = commonShape(info.values);
  const where = info.path.join('.');
  const address = addressTarget(info.path);
  if (address) return { info, target: address.target, contentType: 'STRING', confidence: 0.85, reason: `Structure: ${address.why}.`, shape };
  const hit = dictionaryTarget(leafRaw);
  const parentIsAddress = info.path.length > 1 && ADDRESS_KINDS[normalizeHeader(info.path[info.path.length - 2]!)];
  if (hit && !(parentIsAddress && hit.target.startsWith('_profile.Address.'))) {
    const expects = hit.contentType === 'EMAIL_ADDRESS' ? 'email' : hit.contentType === 'PHONE_NUMBER' ? 'phone' : null;
    if (expects && shape === expects) {
      return { info, target: hit.target, contentType: hit.contentType, confidence: 0.95, reason: `Dictionary: "${leafRaw}" means ${hit.target}, and the values look like ${expects === 'email' ? 'e-mail addresses' : 'phone numbers'}.`, shape };
    }
    if (expects && shape !== 'empty') {
      return { info, target: null, contentType: contentTypeOf(shape), confidence: 0.4, reason: `Dictionary: "${leafRaw}" suggests ${hit.target}, but the values do not look like ${expects === 'email' ? 'e-mail addresses' : 'phone numbers'}; kept on the object.`, shape };
    }
    if (hit.target === '_profile.BirthDate' && shape !== 'date' && shape !== 'empty') {
      return { info, target: null, contentType: 'STRING', confidence: 0.4, reason: `Dictionary: "${leafRaw}" suggests a birth date, but the values are not dates (YYYY-MM-DD); kept on the object.`, shape };
    }
    return { info, target: hit.target, contentType: hit.contentType, confidence: shape === 'empty' ? 0.6 : 0.8, reason: `Dictionary: "${leafRaw}" means ${hit.target}${shape === 'empty' ? ' (no sample had a value)' : ''}.`, shape };
  }
  if (shape === 'email') return { info, target: '_profile.EmailAddress', contentType: 'EMAIL_ADDRESS', confidence: 0.7, reason: `Value shape: every value of ${where} is an e-mail address.`, shape };
  if (shape === 'phone') return { info, target: '_profile.PhoneNumber', contentType: 'PHONE_NUMBER', confidence: 0.6, reason: `Value shape: every value of ${where} is a phone number.`, shape };
  const why = ID_WORDS.has(normalizeHeader(leafRaw)) ? 'an identifier' : shape === 'date' ? 'a date or time' : 'not in the dictionary';
  return { info, target: null, contentType: contentTypeOf(shape === 'uuid' ? 'text' : shape), confidence: 0.5, reason: `Kept on the object (${why}).`, shape };
}

function fieldNameFor(c: Candidate, used: Set<string>, i: number): string {
  let base = c.info.path
    .join('_')
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_')
    .slice(0, 56);
  if (!/^[A-Za-z]/.test(base)) {
    // Japanese (or other non-Latin) names: name the field after its target when there is one.
    const last = c.target?.split('.').pop();
    base = last && /^[A-Za-z]/.test(last) ? last.charAt(0).toLowerCase() + last.slice(1) : `field${i + 1}`;
  }
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}

/**
 * Proposes an object type from 1–5 sample objects. Throws BAD_USER_INPUT for no samples, more than
 * five, or samples with no scalar field at all.
 */
export function detectObjectType(samples: readonly Record<string, unknown>[]): DetectionResult {
  if (samples.length < 1 || samples.length > MAX_SAMPLES) throw badInput(`samples: give 1–${MAX_SAMPLES} sample objects.`, 'samples');
  const warnings = new Set<string>();
  const paths = new Map<string, PathInfo>();
  samples.forEach((s, i) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw badInput(`samples[${i}] must be a JSON object.`, `samples[${i}]`);
    collect(s, [], paths, warnings);
  });
  if (paths.size === 0) throw badInput('samples: no sample has a field with a value to map.', 'samples');

  const candidates = [...paths.values()].map(candidate);
  // Each target once: the most certain candidate, then the shallowest, then the first seen, keeps it.
  const order = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.confidence - a.c.confidence || a.c.info.path.length - b.c.info.path.length || a.i - b.i);
  const taken = new Map<string, string>();
  for (const { c } of order) {
    if (!c.target) continue;
    const owner = taken.get(c.target);
    if (owner) {
      c.reason = `${c.reason} ${c.target} is already filled by ${owner}; kept on the object.`;
      c.target = null;
      c.confidence = Math.min(c.confidence, 0.5);
    } else taken.set(c.target, c.info.path.join('.'));
  }
  if (candidates.length > MAX_FIELDS) warnings.add(`Only the first ${MAX_FIELDS} fields are proposed (an object type holds at most ${MAX_FIELDS}).`);
  const used = new Set<string>();
  const kept = candidates.slice(0, MAX_FIELDS);
  const fields: DetectedField[] = kept.map((c, i) => ({
    name: fieldNameFor(c, used, i),
    source: `_source.${c.info.path.join('.')}`,
    target: c.target,
    contentType: c.contentType,
    confidence: c.confidence,
    reason: c.reason,
  }));
  const byPath = new Map(kept.map((c, i) => [c.info.path.join('.'), { c, f: fields[i]! }]));
  const byTarget = (t: string) => fields.find((f) => f.target === t);

  const keys: DetectedKey[] = [];
  // UNIQUE: a top-level id whose values differ between samples, else the account number, else the e-mail.
  const ids = kept.filter((c) => c.info.path.length === 1 && ID_WORDS.has(normalizeHeader(c.info.path[0]!)));
  const distinct = (c: Candidate) => new Set(c.info.values.map((v) => String(v))).size === c.info.values.length;
  const id = ids.find(distinct) ?? ids[0];
  const account = byTarget('_profile.AccountNumber');
  const email = byTarget('_profile.EmailAddress');
  const phone = byTarget('_profile.PhoneNumber') ?? byTarget('_profile.MobilePhoneNumber');
  if (id) {
    const f = byPath.get(id.info.path.join('.'))!.f;
    const sure = samples.length > 1 && distinct(id);
    keys.push({ name: 'DetectedId', identifiers: ['UNIQUE'], fieldNames: [f.name], confidence: sure ? 0.9 : 0.75, reason: `Structure: top-level "${id.info.path[0]}" identifies the record${sure ? ', and its values differ in every sample' : ''}.` });
  } else if (account) {
    keys.push({ name: 'DetectedId', identifiers: ['UNIQUE'], fieldNames: [account.name], confidence: 0.6, reason: 'No id field: the account number identifies the record.' });
  } else if (email) {
    keys.push({ name: 'DetectedId', identifiers: ['UNIQUE'], fieldNames: [email.name], confidence: 0.5, reason: 'No id field: the e-mail address identifies the record (a changed address makes a new object).' });
  } else warnings.add('No field identifies a record (id, account number or e-mail): add a UNIQUE key before ingesting.');
  if (account) keys.push({ name: '_account', identifiers: ['PROFILE'], fieldNames: [account.name], confidence: 0.8, reason: 'Matches profiles by their account number.' });
  if (email) keys.push({ name: '_email', identifiers: ['PROFILE'], fieldNames: [email.name], confidence: 0.9, reason: 'Matches profiles by their e-mail address.' });
  if (phone) keys.push({ name: '_phone', identifiers: ['SECONDARY'], fieldNames: [phone.name], confidence: 0.7, reason: 'Matches profiles by phone when no PROFILE key did (phones are shared more often than e-mails).' });
  // References to another record: `customer.id`, `requester_id`, `AccountId`.
  for (const { c, f } of byPath.values()) {
    if (c === id || keys.length >= 10) continue;
    const p = c.info.path.map((s) => normalizeHeader(s));
    const leaf = p[p.length - 1]!;
    const ref =
      p.length >= 2 && ID_WORDS.has(leaf) ? p[p.length - 2]! : REFERENCES.find((r) => leaf === `${r}id`) ?? null;
    if (!ref || !REFERENCES.some((r) => ref.startsWith(r))) continue;
    keys.push({
      name: `${ref.replace(/[^A-Za-z0-9]/g, '') || 'ref'}Id`,
      identifiers: ['PROFILE'],
      fieldNames: [f.name],
      confidence: 0.4,
      reason: `Structure: ${c.info.path.join('.')} refers to a ${ref} record; rename this key to the key name that record's type uses, so both land on one profile.`,
    });
  }
  return {
    fields,
    keys,
    objectType: {
      name: 'Detected',
      description: `Detected from ${samples.length} sample${samples.length > 1 ? 's' : ''}.`,
      fields: fields.map(({ name, source, target, contentType }) => ({ name, source, target, contentType })),
      keys: keys.map(({ name, identifiers, fieldNames }) => ({ name, identifiers, fieldNames })),
      allowProfileCreation: true,
    },
    warnings: [...warnings],
  };
}
