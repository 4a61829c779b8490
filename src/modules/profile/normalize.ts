import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { badInput } from '../../errors.js';

/**
 * Reads a phone number as E.164 using the domain's default region for numbers written without a
 * country code. "+1 555-123-4567" and "(555) 123-4567" (region US) both become "+15551234567".
 * Returns null when the text is not a possible phone number.
 */
export function toE164(raw: string, region: string): string | null {
  const parsed = parsePhoneNumberFromString(raw, region as CountryCode);
  if (!parsed || !parsed.isPossible()) return null;
  return parsed.number;
}

/**
 * Phone and e-mail normalization for one batch of writes: each distinct text is parsed once
 * (libphonenumber takes ~15 µs a number). Made per batch and passed along, never kept globally.
 */
export interface Normalizer {
  readonly region: string;
  phone(raw: string): string | null;
  email(raw: string): string | null;
}

/** A {@link Normalizer} that remembers what it parsed (for one batch). */
export function batchNormalizer(region: string): Normalizer {
  const phones = new Map<string, string | null>();
  const emails = new Map<string, string | null>();
  return {
    region,
    phone(raw) {
      let v = phones.get(raw);
      if (v === undefined) phones.set(raw, (v = toE164(raw, region)));
      return v;
    },
    email(raw) {
      let v = emails.get(raw);
      if (v === undefined) emails.set(raw, (v = normalizeEmail(raw)));
      return v;
    },
  };
}

/** Like toE164 but a malformed number is BAD_USER_INPUT naming the field. */
export function requirePhone(raw: string, region: string, field: string, norm?: Normalizer): string {
  const e164 = norm ? norm.phone(raw) : toE164(raw, region);
  if (!e164) {
    throw badInput(`${field} "${raw}" is not a phone number (expected e.g. +15551234567, or a local number in region ${region}).`, field);
  }
  return e164;
}

const emailSchema = z.email();

/** Lower-cases and checks an e-mail address. */
export function requireEmail(raw: string, field: string, norm?: Normalizer): string {
  const v = norm ? norm.email(raw) : normalizeEmail(raw);
  if (v === null) throw badInput(`${field} "${raw}" is not an e-mail address.`, field);
  return v;
}

export function normalizeEmail(raw: string): string | null {
  const v = raw.trim().toLowerCase();
  return emailSchema.safeParse(v).success ? v : null;
}

/** Full-name search form: lower case, single spaces, NFKC (full-width → half-width). */
export function normalizeName(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Checks a free-text value's length and turns "" into null (an explicit empty value clears). */
export function text(value: string | null | undefined, field: string, max = 255): string | null | undefined {
  if (value === undefined || value === null) return value;
  const v = value.trim();
  if (v === '') return null;
  if (v.length > max) throw badInput(`${field} is ${v.length} characters long; at most ${max} are allowed.`, field);
  return v;
}

const regions = new Set<string>(getCountries());

/** True for a region libphonenumber knows (ISO 3166-1 alpha-2, upper case). */
export function isValidRegion(region: string): boolean {
  return regions.has(region);
}
