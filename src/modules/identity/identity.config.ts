import { badInput } from '../../errors.js';
import type { ConflictResolution, MatchAttributeType, StoredMatchingConfig, StoredRuleAttribute } from './identity.types.js';
import { EMAIL_FIELDS, PHONE_FIELDS, type MatchRecord, type MatchRule, type MatchRunOptions, type RuleAttribute } from './matcher.js';

export type { ConflictResolution, MatchAttributeType, StoredMatchingConfig, StoredRuleAttribute } from './identity.types.js';

export const MAX_RULES = 15;
export const MAX_RULE_ATTRIBUTES = 15;
const MAX_FIELDS = 10;
const MAX_COMPARE_ATTRIBUTES = 20;
const MAX_SOURCES = 50;
const MAX_NAME = 100;

export const DEFAULT_MATCHING_CONFIG: StoredMatchingConfig = {
  enabled: false,
  rules: [],
  lowCardinalityLimit: 500,
  probabilistic: true,
  compareAttributes: [],
  suggestThreshold: 0.8,
  autoMergeThreshold: null,
  conflictResolution: 'RECENCY',
  sourcePriority: [],
  onWrite: true,
  scheduled: true,
  emailProviderDots: false,
  emailPlusTags: false,
};

export interface MatchingConfigInput {
  enabled?: boolean | null;
  rules?: { attributes: { type: MatchAttributeType; fields?: readonly string[] | null }[] }[] | null;
  lowCardinalityLimit?: number | null;
  probabilistic?: boolean | null;
  compareAttributes?: readonly string[] | null;
  suggestThreshold?: number | null;
  autoMergeThreshold?: number | null;
  conflictResolution?: ConflictResolution | null;
  sourcePriority?: readonly string[] | null;
  onWrite?: boolean | null;
  scheduled?: boolean | null;
  emailProviderDots?: boolean | null;
  emailPlusTags?: boolean | null;
}

const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/;

function threshold(v: number, field: string): number {
  if (!Number.isFinite(v) || v < 0 || v > 1) throw badInput(`${field} must be between 0 and 1 (a match probability); got ${v}.`, field);
  return v;
}

function names(list: readonly string[], field: string, max: number, pattern?: RegExp): string[] {
  if (list.length > max) throw badInput(`${field}: at most ${max} entries; got ${list.length}.`, field);
  const out: string[] = [];
  for (const s of list) {
    if (s.length === 0 || s.length > MAX_NAME) throw badInput(`${field}: each entry is 1..${MAX_NAME} characters.`, field);
    if (pattern && !pattern.test(s)) throw badInput(`${field}: "${s.slice(0, 40)}" is not an attribute key (letters, digits, _ . -, starting with a letter or _).`, field);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

/**
 * Checks an input against its bounds (≤ 15 rules of ≤ 15 attributes, thresholds 0..1 with the
 * auto-merge one at or above the suggest one, known fields per attribute type) and fills defaults.
 */
export function validateMatchingConfig(input: MatchingConfigInput): StoredMatchingConfig {
  const d = DEFAULT_MATCHING_CONFIG;
  const rulesIn = input.rules ?? [];
  if (rulesIn.length > MAX_RULES) throw badInput(`rules: at most ${MAX_RULES} rule levels; got ${rulesIn.length}.`, 'rules');
  const rules = rulesIn.map((rule, i) => {
    const path = `rules[${i}].attributes`;
    if (rule.attributes.length === 0 || rule.attributes.length > MAX_RULE_ATTRIBUTES) throw badInput(`${path}: a rule level is an AND of 1..${MAX_RULE_ATTRIBUTES} attributes; got ${rule.attributes.length}.`, path);
    return {
      attributes: rule.attributes.map((a, k): StoredRuleAttribute => {
        const p = `${path}[${k}].fields`;
        const fields = a.fields ?? [];
        if (fields.length > MAX_FIELDS) throw badInput(`${p}: at most ${MAX_FIELDS} fields.`, p);
        switch (a.type) {
          case 'EMAIL':
          case 'PHONE': {
            const allowed: readonly string[] = a.type === 'EMAIL' ? EMAIL_FIELDS : PHONE_FIELDS;
            const bad = fields.find((f) => !allowed.includes(f));
            if (bad !== undefined) throw badInput(`${p}: "${bad.slice(0, 40)}" is not one of ${allowed.join(', ')}.`, p);
            return { type: a.type, fields: fields.length ? [...new Set(fields)] : [...allowed] };
          }
          case 'ATTRIBUTE':
            if (fields.length === 0) throw badInput(`${p}: an ATTRIBUTE names one or more custom attribute keys.`, p);
            return { type: a.type, fields: names(fields, p, MAX_FIELDS, ATTRIBUTE_KEY) };
          default:
            if (fields.length > 0) throw badInput(`${p}: only EMAIL, PHONE and ATTRIBUTE take fields.`, p);
            return { type: a.type, fields: [] };
        }
      }),
    };
  });
  const limit = input.lowCardinalityLimit ?? d.lowCardinalityLimit;
  if (!Number.isInteger(limit) || limit < 2 || limit > 100_000) throw badInput('lowCardinalityLimit must be an integer between 2 and 100000.', 'lowCardinalityLimit');
  const suggest = threshold(input.suggestThreshold ?? d.suggestThreshold, 'suggestThreshold');
  const auto = input.autoMergeThreshold == null ? null : threshold(input.autoMergeThreshold, 'autoMergeThreshold');
  if (auto !== null && auto < suggest) throw badInput(`autoMergeThreshold (${auto}) must be at or above suggestThreshold (${suggest}).`, 'autoMergeThreshold');
  return {
    enabled: input.enabled ?? true,
    rules,
    lowCardinalityLimit: limit,
    probabilistic: input.probabilistic ?? d.probabilistic,
    compareAttributes: names(input.compareAttributes ?? [], 'compareAttributes', MAX_COMPARE_ATTRIBUTES, ATTRIBUTE_KEY),
    suggestThreshold: suggest,
    autoMergeThreshold: auto,
    conflictResolution: input.conflictResolution ?? d.conflictResolution,
    sourcePriority: names(input.sourcePriority ?? [], 'sourcePriority', MAX_SOURCES),
    onWrite: input.onWrite ?? d.onWrite,
    scheduled: input.scheduled ?? d.scheduled,
    emailProviderDots: input.emailProviderDots ?? d.emailProviderDots,
    emailPlusTags: input.emailPlusTags ?? d.emailPlusTags,
  };
}

function ruleAttribute(a: StoredRuleAttribute): RuleAttribute {
  switch (a.type) {
    case 'FIRST_NAME':
      return { name: a.type, kind: 'given', fields: ['firstName'] };
    case 'LAST_NAME':
      return { name: a.type, kind: 'name', fields: ['lastName'] };
    case 'MIDDLE_NAME':
      return { name: a.type, kind: 'name', fields: ['middleName'] };
    case 'EMAIL':
      return { name: a.type, kind: 'email', fields: a.fields };
    case 'PHONE':
      return { name: a.type, kind: 'phone', fields: a.fields };
    case 'ADDRESS':
      return { name: a.type, kind: 'address', fields: [] };
    case 'BIRTH_DATE':
      return { name: a.type, kind: 'date', fields: ['birthDate'] };
    case 'ACCOUNT_NUMBER':
      return { name: a.type, kind: 'text', fields: ['accountNumber'] };
    case 'BUSINESS_NAME':
      return { name: a.type, kind: 'name', fields: ['businessName'] };
    case 'ATTRIBUTE':
      return { name: `ATTRIBUTE:${a.fields.join('|')}`, kind: 'text', fields: a.fields.map((f) => `attributes.${f}`) };
  }
}

export function matcherRules(config: StoredMatchingConfig): MatchRule[] {
  return config.rules.map((r) => ({ attributes: r.attributes.map(ruleAttribute) }));
}

/** The matcher's options for a domain's configuration. */
export function runOptions(config: StoredMatchingConfig, region: string): MatchRunOptions {
  return {
    region,
    email: { providerDots: config.emailProviderDots, plusTags: config.emailPlusTags },
    rules: matcherRules(config),
    lowCardinalityLimit: config.lowCardinalityLimit,
    // blocks for the probabilistic candidates stay small (≤ 100 records: ≤ 50 pairs a record a rule)
    maxBlockSize: Math.min(config.lowCardinalityLimit, 100),
    probabilistic: config.probabilistic,
    attributes: config.compareAttributes,
    threshold: config.suggestThreshold,
  };
}

/** A profile row as the matcher's flat record. */
export function profileRecord(p: {
  id: string;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  birthDate: string | null;
  gender: string | null;
  accountNumber: string | null;
  businessName: string | null;
  emailAddress: string | null;
  personalEmailAddress: string | null;
  businessEmailAddress: string | null;
  phoneNumber: string | null;
  mobilePhoneNumber: string | null;
  homePhoneNumber: string | null;
  businessPhoneNumber: string | null;
  address: { address1?: string | null; address2?: string | null; city?: string | null; state?: string | null; postalCode?: string | null; country?: string | null } | null;
  attributes: Record<string, string>;
}): MatchRecord {
  const a = p.address ?? {};
  const values: Record<string, string | null | undefined> = {
    firstName: p.firstName,
    middleName: p.middleName,
    lastName: p.lastName,
    birthDate: p.birthDate,
    gender: p.gender,
    accountNumber: p.accountNumber,
    businessName: p.businessName,
    emailAddress: p.emailAddress,
    personalEmailAddress: p.personalEmailAddress,
    businessEmailAddress: p.businessEmailAddress,
    phoneNumber: p.phoneNumber,
    mobilePhoneNumber: p.mobilePhoneNumber,
    homePhoneNumber: p.homePhoneNumber,
    businessPhoneNumber: p.businessPhoneNumber,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    state: a.state,
    postalCode: a.postalCode,
    country: a.country,
  };
  for (const [k, v] of Object.entries(p.attributes ?? {})) values[`attributes.${k}`] = typeof v === 'string' ? v : v == null ? null : String(v);
  return { id: p.id, values };
}
