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

// ---------------------------------------------------------------------------------------------
// Matching forms (identity resolution, and search where it wants them). Pure, no I/O. Each returns
// null for a value that carries nothing to compare ("", only punctuation, an impossible date).

export interface EmailMatchOptions {
  /** Drop dots in the local part for providers that ignore them (gmail.com, googlemail.com). */
  providerDots?: boolean;
  /** Drop a "+tag" suffix of the local part (every provider). */
  plusTags?: boolean;
}

const DOT_INSENSITIVE = new Set(['gmail.com', 'googlemail.com']);

/**
 * E-mail comparison form: trimmed, lower case, internal whitespace removed; with the options,
 * "John.Doe+news@GoogleMail.com" becomes "johndoe@gmail.com". Null when it has no "@".
 */
export function matchEmail(raw: string, opts: EmailMatchOptions = {}): string | null {
  const v = raw.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  const at = v.lastIndexOf('@');
  if (at <= 0 || at === v.length - 1) return null;
  let local = v.slice(0, at);
  let host = v.slice(at + 1).replace(/\.+$/, '');
  if (opts.plusTags) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (opts.providerDots && DOT_INSENSITIVE.has(host)) {
    local = local.replace(/\./g, '');
    host = 'gmail.com';
  }
  return `${local}@${host}`;
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** Phone comparison form: E.164 in the domain's default region, else the digits alone (≥ 6), else null. */
export function matchPhone(raw: string, region: string): string | null {
  // stored profile phones are E.164 already: skip the parser (~100 µs a number)
  if (E164.test(raw)) return raw;
  const e164 = toE164(raw, region);
  if (e164) return e164;
  const digits = raw.normalize('NFKC').replace(/\D+/g, '');
  return digits.length >= 6 ? digits : null;
}

/** Katakana → hiragana (after NFKC, which already turns half-width katakana into full-width). */
function kanaToHiragana(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += c >= 0x30a1 && c <= 0x30f6 ? String.fromCodePoint(c - 0x60) : ch;
  }
  return out;
}

/**
 * Name comparison form: NFKC (full-width → half-width, half-width kana → full-width), katakana
 * folded to hiragana, diacritics removed ("José" = "jose"), lower case, punctuation dropped,
 * single spaces. "ＪＯＳÉ  O'Neil" → "jose oneil"; "タナカ" = "たなか".
 */
export function matchName(raw: string): string | null {
  let v = raw.normalize('NFKC');
  v = kanaToHiragana(v);
  v = v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[ß]/g, 'ss')
    .replace(/[øœæ]/g, (c) => ({ ø: 'o', œ: 'oe', æ: 'ae' })[c]!)
    .replace(/['’`.]/g, '')
    .replace(/[\s,\-_/・·]+/g, ' ')
    .trim();
  return v === '' ? null : v;
}

/** The canonical form of a given name among its common nicknames ("bob", "rob" → "robert"). */
export function canonicalGivenName(name: string): string {
  return NICKNAMES.get(name) ?? name;
}

const NICKNAME_GROUPS: string[][] = [
  ['robert', 'rob', 'bob', 'bobby', 'robbie', 'bert'],
  ['william', 'will', 'bill', 'billy', 'willy', 'liam'],
  ['richard', 'rich', 'rick', 'ricky', 'dick', 'richie'],
  ['james', 'jim', 'jimmy', 'jamie'],
  ['john', 'jack', 'johnny', 'jon'],
  ['jonathan', 'jonny', 'jonno'],
  ['michael', 'mike', 'mick', 'mickey', 'mikey'],
  ['thomas', 'tom', 'tommy'],
  ['christopher', 'chris', 'kit'],
  ['christine', 'christina', 'chrissy', 'tina'],
  ['joseph', 'joe', 'joey'],
  ['daniel', 'dan', 'danny'],
  ['david', 'dave', 'davy'],
  ['matthew', 'matt'],
  ['anthony', 'tony'],
  ['andrew', 'andy', 'drew'],
  ['edward', 'ed', 'eddie', 'ted', 'teddy', 'ned'],
  ['benjamin', 'ben', 'benny'],
  ['samuel', 'sam', 'sammy'],
  ['samantha', 'sammie'],
  ['alexander', 'alex', 'sasha', 'xander'],
  ['alexandra', 'alexa', 'lexie'],
  ['nicholas', 'nick', 'nicky'],
  ['stephen', 'steven', 'steve', 'stevie'],
  ['timothy', 'tim', 'timmy'],
  ['patrick', 'pat', 'paddy'],
  ['patricia', 'patty', 'trish', 'tricia'],
  ['charles', 'charlie', 'chuck', 'chas'],
  ['henry', 'harry', 'hank'],
  ['peter', 'pete'],
  ['gregory', 'greg'],
  ['lawrence', 'larry', 'laurie'],
  ['ronald', 'ron', 'ronnie'],
  ['donald', 'don', 'donnie'],
  ['kenneth', 'ken', 'kenny'],
  ['raymond', 'ray'],
  ['gerald', 'gerry', 'jerry'],
  ['frederick', 'fred', 'freddie', 'freddy'],
  ['francis', 'frank', 'frankie'],
  ['joshua', 'josh'],
  ['zachary', 'zach', 'zack'],
  ['nathan', 'nathaniel', 'nate'],
  ['jacob', 'jake'],
  ['elizabeth', 'liz', 'lizzie', 'beth', 'betty', 'eliza', 'libby', 'betsy', 'elisabeth'],
  ['margaret', 'maggie', 'meg', 'peggy', 'marge', 'madge'],
  ['katherine', 'catherine', 'kathryn', 'kate', 'katie', 'kathy', 'cathy', 'kat', 'kitty'],
  ['jennifer', 'jen', 'jenny'],
  ['jessica', 'jess', 'jessie'],
  ['rebecca', 'becky', 'becca'],
  ['susan', 'sue', 'susie', 'suzanne'],
  ['deborah', 'debbie', 'deb'],
  ['victoria', 'vicky', 'tori'],
  ['abigail', 'abby'],
  ['amanda', 'mandy'],
  ['barbara', 'barb', 'babs'],
  ['dorothy', 'dot', 'dottie'],
  ['eleanor', 'ellie', 'nell', 'nellie'],
  ['helen', 'nell'],
  ['jacqueline', 'jackie'],
  ['judith', 'judy'],
  ['kimberly', 'kim'],
  ['pamela', 'pam'],
  ['sandra', 'sandy'],
  ['theresa', 'teresa', 'terri', 'tess'],
  ['valerie', 'val'],
  ['virginia', 'ginny'],
  ['caroline', 'carol', 'carrie'],
  ['natalie', 'nat'],
  ['olivia', 'liv'],
  ['isabella', 'isabel', 'bella', 'izzy'],
  ['sophia', 'sophie'],
  ['emily', 'em', 'emmy'],
  ['daniella', 'danielle', 'dani'],
  ['gabriel', 'gabe'],
  ['gabrielle', 'gabby'],
  ['leonard', 'leo', 'len', 'lenny'],
  ['louis', 'lou'],
  ['louise', 'lou', 'lulu'],
  ['mathilda', 'matilda', 'tilly'],
  ['phillip', 'philip', 'phil'],
  ['terrence', 'terence', 'terry'],
  ['vincent', 'vince', 'vinny'],
  ['walter', 'walt', 'wally'],
  ['albert', 'al', 'bertie'],
  ['alfred', 'alf', 'alfie'],
  ['harold', 'hal'],
  ['douglas', 'doug'],
  ['jeffrey', 'geoffrey', 'jeff', 'geoff'],
  ['joanne', 'jo', 'joanna'],
  ['josephine', 'josie'],
  ['mitchell', 'mitch'],
  ['oliver', 'ollie'],
  ['stanley', 'stan'],
  ['sebastian', 'seb'],
  ['cameron', 'cam'],
  ['maximilian', 'max', 'maxwell'],
  ['kristen', 'kirsten', 'kristy', 'kirsty'],
  ['madeline', 'madeleine', 'maddie', 'maddy'],
  ['jasmine', 'jaz', 'jazz'],
];

const NICKNAMES = new Map<string, string>();
for (const [canonical, ...others] of NICKNAME_GROUPS) {
  for (const n of others) if (!NICKNAMES.has(n)) NICKNAMES.set(n, canonical!);
}

const ADDRESS_ABBREVIATIONS: Record<string, string> = {
  st: 'street', str: 'street', rd: 'road', ave: 'avenue', av: 'avenue', blvd: 'boulevard', dr: 'drive',
  ln: 'lane', ct: 'court', crt: 'court', cres: 'crescent', cr: 'crescent', cct: 'circuit', cir: 'circle',
  pl: 'place', sq: 'square', tce: 'terrace', ter: 'terrace', hwy: 'highway', pde: 'parade', pkwy: 'parkway',
  cl: 'close', gr: 'grove', mt: 'mount', apt: 'apartment', ste: 'suite', fl: 'floor', bldg: 'building',
  n: 'north', s: 'south', e: 'east', w: 'west', ne: 'northeast', nw: 'northwest', se: 'southeast', sw: 'southwest',
  hwys: 'highways', sts: 'streets', rte: 'route', esp: 'esplanade', gdns: 'gardens', wy: 'way', vlg: 'village',
};

/**
 * Address comparison form: NFKC, lower case, diacritics and punctuation dropped, common
 * abbreviations spelled out ("12 Main St." = "12 main street", "Elm Rd" = "elm road").
 */
export function matchAddress(raw: string): string | null {
  const base = matchName(raw.replace(/[#,.;:()'"]/g, ' '));
  if (base === null) return null;
  const words = base.split(' ').map((w) => ADDRESS_ABBREVIATIONS[w] ?? w);
  return words.join(' ');
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

function isoDate(y: number, m: number, d: number): string | null {
  if (!(y >= 1000 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Date comparison form YYYY-MM-DD from the usual spellings: 2001-02-03, 2001/2/3, 20010203,
 * 2001年2月3日, 3 Feb 2001, Feb 3, 2001, and day-first 03/02/2001 (or month-first with
 * `monthFirst`, e.g. region US). Null for anything else, or an impossible date (2001-02-30).
 */
export function matchDate(raw: string, monthFirst = false): string | null {
  const v = raw.normalize('NFKC').trim().toLowerCase();
  let m = /^(\d{4})[-/.年 ](\d{1,2})[-/.月 ](\d{1,2})日?(?:[t ].*)?$/.exec(v);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (m) return isoDate(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$/.exec(v);
  if (m) return monthFirst ? isoDate(+m[3]!, +m[1]!, +m[2]!) : isoDate(+m[3]!, +m[2]!, +m[1]!);
  m = /^(\d{1,2})[- ]([a-z]{3,9})\.?[- ,]+(\d{4})$/.exec(v);
  if (m) {
    const mo = MONTHS[m[2]!.slice(0, m[2]!.startsWith('sept') ? 4 : 3)];
    return mo ? isoDate(+m[3]!, mo, +m[1]!) : null;
  }
  m = /^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$/.exec(v);
  if (m) {
    const mo = MONTHS[m[1]!.slice(0, m[1]!.startsWith('sept') ? 4 : 3)];
    return mo ? isoDate(+m[3]!, mo, +m[2]!) : null;
  }
  return null;
}
