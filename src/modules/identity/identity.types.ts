/** Types stored in the identity tables (no imports: the tables and the matcher share them). */

export type CompareKind = 'given' | 'name' | 'date' | 'email' | 'phone' | 'text' | 'code' | 'exact';

/** One compared field of the probabilistic model. */
export interface FieldSpec {
  /** Name reported in MatchField.field (e.g. email, address, attributes.ssn). */
  name: string;
  kind: CompareKind;
  /** Term-frequency adjustment of exact matches. */
  tf: boolean;
}

export interface Model {
  specs: FieldSpec[];
  /** Per field, per level: P(level | match); index 0 (missing) unused. */
  m: number[][];
  /** Per field, per level: P(level | non-match) over random pairs. */
  u: number[][];
  /** Prior probability that two random records match. */
  prior: number;
  /** Records the model was trained on (term frequencies are relative to them). */
  trainedOn: number;
}

export const MATCH_ATTRIBUTE_TYPES = ['FIRST_NAME', 'LAST_NAME', 'MIDDLE_NAME', 'EMAIL', 'PHONE', 'ADDRESS', 'BIRTH_DATE', 'ACCOUNT_NUMBER', 'BUSINESS_NAME', 'ATTRIBUTE'] as const;
export type MatchAttributeType = (typeof MATCH_ATTRIBUTE_TYPES)[number];
export type ConflictResolution = 'RECENCY' | 'SOURCE';

export interface StoredRuleAttribute {
  type: MatchAttributeType;
  /** EMAIL / PHONE: the profile fields that count; ATTRIBUTE: custom attribute keys; others: []. */
  fields: string[];
}

/** A domain's matching configuration, as stored (every field set). */
export interface StoredMatchingConfig {
  enabled: boolean;
  rules: { attributes: StoredRuleAttribute[] }[];
  lowCardinalityLimit: number;
  probabilistic: boolean;
  compareAttributes: string[];
  suggestThreshold: number;
  autoMergeThreshold: number | null;
  conflictResolution: ConflictResolution;
  sourcePriority: string[];
  onWrite: boolean;
  scheduled: boolean;
  emailProviderDots: boolean;
  emailPlusTags: boolean;
}
