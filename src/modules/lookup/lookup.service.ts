import { AppError, ErrorCode, badInput } from '../../errors.js';
import { MAX_PAGE_SIZE, UUID } from '../pagination.js';
import { normalizeEmail, toE164 } from '../profile/normalize.js';
import type { DomainScope } from '../scope.js';
import { findByKeyValues } from '../search/search.service.js';
import { profilesByName } from './lookup.repository.js';

/** The explorer's search box accepts at most this many characters. */
export const MAX_LOOKUP_TEXT = 200;
/** …and at most this many words as a name. */
const MAX_NAME_WORDS = 8;

export type Reading = 'ID' | 'PHONE' | 'EMAIL' | 'KEY' | 'NAME';

export interface LookupHit {
  profileId: string;
  matchedKeys: string[];
}

export interface LookupResult {
  interpretedAs: Reading[];
  normalized: string | null;
  hits: LookupHit[];
}

/** Digits, spaces and phone punctuation only (after NFKC, so full-width digits count), with enough digits to dial. */
function phoneLike(text: string): boolean {
  return /^[+\d\s().\-/]+$/.test(text) && (text.match(/\d/g)?.length ?? 0) >= 5;
}

/**
 * The explorer's one search box: reads `text` every way it can be meant and returns the profiles
 * that match any reading, exact identifiers first (id, phone, e-mail, identifier keys), then names.
 *
 * - ID: a profile id (UUID).
 * - PHONE: digits and phone punctuation, read as E.164 in the domain's default region (the search
 *   module's normalisation: "(555) 123-4567" finds "+15551234567").
 * - EMAIL: an address, case-insensitive.
 * - KEY: the text as the value of `_account`, `_ctrContactId`, `_caseId`, `_orderId` or any key of
 *   the domain's object types (searchProfiles' keys and normalisers).
 * - NAME: words of first/middle/last name in any order, case-, accent-, width- and kana-insensitive
 *   (an index look-up, see lookup.repository.ts).
 */
export async function lookupProfiles(scope: DomainScope, rawText: string, first: number | null | undefined): Promise<LookupResult> {
  const limit = first ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw badInput(`"first" must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  // (the operation guards refuse NUL in any argument first; this keeps the service safe on its own)
  if (rawText.includes('\u0000')) throw new AppError(ErrorCode.BAD_USER_INPUT, 'text contains a NUL character (U+0000); remove it.', { field: 'text' });
  if (rawText.length > MAX_LOOKUP_TEXT) throw badInput(`text is ${rawText.length} characters long; at most ${MAX_LOOKUP_TEXT} are allowed.`, 'text');
  const text = rawText.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (text === '') throw badInput('Type a phone number, e-mail, name, account number or profile id to look up.', 'text');

  const readings: Reading[] = [];
  const pairs: { key: string; value: string }[] = [];
  let normalized: string | null = null;
  let identifier: string | null = null;
  if (UUID.test(text)) {
    readings.push('ID');
    pairs.push({ key: '_profileId', value: text });
    normalized = text.toLowerCase();
  } else if (text.includes('@')) {
    const email = normalizeEmail(text);
    if (email !== null) {
      readings.push('EMAIL');
      pairs.push({ key: '_email', value: email });
      normalized = email;
    }
  } else if (phoneLike(text)) {
    const e164 = toE164(text, scope.domain.defaultPhoneRegion);
    if (e164 !== null) {
      readings.push('PHONE');
      pairs.push({ key: '_phone', value: e164 });
      normalized = e164;
    }
  }
  if (!readings.includes('ID') && !readings.includes('EMAIL')) {
    readings.push('KEY');
    identifier = text;
  }
  const words = text.split(' ');
  const asName = /\p{L}/u.test(text) && !text.includes('@') && !UUID.test(text) && words.length <= MAX_NAME_WORDS;

  const byKey = pairs.length > 0 || identifier !== null ? await findByKeyValues(scope, pairs, identifier, limit) : [];
  const hits: LookupHit[] = byKey.map((h) => ({ profileId: h.profileId, matchedKeys: h.matchedKeys }));
  // what `normalized` shows: the phone/e-mail/id reading; else the text as a key when a key matched; else its name form
  if (identifier !== null && hits.length > 0) normalized ??= identifier;
  if (asName) {
    readings.push('NAME');
    const byName = await profilesByName(scope.database.db, scope.domain.id, text, limit);
    normalized ??= byName.normalized.normalize('NFC');
    const index = new Map(hits.map((h) => [h.profileId, h]));
    for (const id of byName.ids) {
      const hit = index.get(id);
      if (hit) hit.matchedKeys.push('name');
      else hits.push({ profileId: id, matchedKeys: ['name'] });
    }
  }
  normalized ??= identifier;
  return { interpretedAs: readings, normalized, hits: hits.slice(0, limit) };
}
