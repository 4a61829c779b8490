import { describe, expect, it } from 'vitest';
import { canonicalGivenName, matchAddress, matchDate, matchEmail, matchName, matchPhone } from '../src/modules/profile/normalize.js';

describe('matching normalisation', () => {
  it('e-mail: case and whitespace; provider dots and plus-tags only as options', () => {
    expect(matchEmail('  John.Doe@Example.COM ')).toBe('john.doe@example.com');
    expect(matchEmail('jo hn@example.com')).toBe('john@example.com');
    expect(matchEmail('John.Doe+news@GoogleMail.com')).toBe('john.doe+news@googlemail.com');
    expect(matchEmail('John.Doe+news@GoogleMail.com', { providerDots: true, plusTags: true })).toBe('johndoe@gmail.com');
    expect(matchEmail('john.doe+x@example.com', { providerDots: true })).toBe('john.doe+x@example.com');
    expect(matchEmail('john.doe+x@example.com', { plusTags: true })).toBe('john.doe@example.com');
    expect(matchEmail('ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('john@example.com');
    expect(matchEmail('not-an-address')).toBeNull();
    expect(matchEmail('@example.com')).toBeNull();
  });

  it('phone: E.164 with the default region, digits otherwise', () => {
    expect(matchPhone('(555) 123-4567', 'US')).toBe('+15551234567');
    expect(matchPhone('+1 555 123 4567', 'JP')).toBe('+15551234567');
    expect(matchPhone('03-1234-5678', 'JP')).toBe('+81312345678');
    expect(matchPhone('０３-１２３４-５６７８', 'JP')).toBe('+81312345678');
    expect(matchPhone('020 7946 0958', 'GB')).toBe('+442079460958');
    expect(matchPhone('12', 'US')).toBeNull();
  });

  it('names: case, diacritics, width, kana, punctuation', () => {
    expect(matchName('  JOSÉ  Álvarez ')).toBe('jose alvarez');
    expect(matchName("O'Neil")).toBe('oneil');
    expect(matchName('Ｊｏｈｎ')).toBe('john');
    expect(matchName('タナカ')).toBe('たなか');
    expect(matchName('ﾀﾅｶ')).toBe('たなか');
    expect(matchName('たなか')).toBe('たなか');
    expect(matchName('Jean-Luc')).toBe('jean luc');
    expect(matchName('Müller')).toBe('muller');
    expect(matchName('Strauß')).toBe('strauss');
    expect(matchName(' - ')).toBeNull();
  });

  it('nicknames map to one canonical given name', () => {
    expect(canonicalGivenName('bob')).toBe('robert');
    expect(canonicalGivenName('rob')).toBe('robert');
    expect(canonicalGivenName('robert')).toBe('robert');
    expect(canonicalGivenName('liz')).toBe(canonicalGivenName('beth'));
    expect(canonicalGivenName('zyx')).toBe('zyx');
  });

  it('addresses: case, punctuation, abbreviations', () => {
    expect(matchAddress('12 Main St.')).toBe('12 main street');
    expect(matchAddress('12, MAIN STREET')).toBe('12 main street');
    expect(matchAddress('4 Elm Rd')).toBe(matchAddress('4 elm road'));
    expect(matchAddress('Apt. 5, 99 Ocean Ave')).toBe('apartment 5 99 ocean avenue');
    expect(matchAddress('...')).toBeNull();
  });

  it('dates in the usual formats; impossible dates are null', () => {
    for (const s of ['2001-02-03', '2001/2/3', '20010203', '2001年2月3日', '3 Feb 2001', 'Feb 3, 2001', 'February 3rd, 2001', '03/02/2001', '3.2.2001', '2001-02-03T10:00:00Z']) {
      expect(matchDate(s), s).toBe('2001-02-03');
    }
    expect(matchDate('02/03/2001', true)).toBe('2001-02-03');
    expect(matchDate('2001-02-30')).toBeNull();
    expect(matchDate('19991399')).toBeNull();
    expect(matchDate('yesterday')).toBeNull();
    expect(matchDate('')).toBeNull();
  });
});
