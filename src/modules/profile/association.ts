import type { Tx } from '../../db/database.js';
import { notFound } from '../../errors.js';
import type { NewEvent } from '../events/event.repository.js';
import type { DomainScope } from '../scope.js';
import { requireEmail, requirePhone, text } from './normalize.js';
import { lockKeys, profilesByIds, type KeyValue, type ProfileRow, type ProfileValues } from './profile.repository.js';
import { insertProfileWithKeys, isId, matchByKeys } from './profile.service.js';

export type Association = 'BY_PROFILE_ID' | 'EXISTING' | 'MATCHED' | 'CREATED_PROFILE' | 'AMBIGUOUS' | 'UNMATCHED';

export interface AssociationInput {
  profileId?: string | null | undefined;
  phoneNumber?: string | null | undefined;
  emailAddress?: string | null | undefined;
  /** Field names to report in errors. */
  phoneField: string;
  emailField: string;
  allowProfileCreation: boolean;
  /** Extra fields for an inferred profile. */
  inferredFields?: Partial<ProfileValues>;
}

export interface AssociationResult {
  profile: ProfileRow | null;
  association: Association;
  candidateIds: string[];
  /** Normalized identifiers from the input, to store on the object. */
  phoneNumber: string | null;
  emailAddress: string | null;
}

/**
 * ACCP-style auto-association of an incoming object (contact record, order): the given profileId,
 * else the single profile with the phone or e-mail; none → create an inferred profile when allowed
 * and the input has an identifier; several → attach to none and report the candidates.
 */
export async function associateProfile(tx: Tx, scope: DomainScope, emit: (e: NewEvent) => void, input: AssociationInput): Promise<AssociationResult> {
  const region = scope.domain.defaultPhoneRegion;
  const phoneText = text(input.phoneNumber, input.phoneField);
  const emailText = text(input.emailAddress, input.emailField);
  const phoneNumber = phoneText ? requirePhone(phoneText, region, input.phoneField) : null;
  const emailAddress = emailText ? requireEmail(emailText, input.emailField) : null;
  const base = { phoneNumber, emailAddress };

  if (input.profileId) {
    const [profile] = isId(input.profileId) ? await profilesByIds(tx, scope.domain.id, [input.profileId]) : [];
    if (!profile) throw notFound('Profile', input.profileId);
    return { ...base, profile, association: 'BY_PROFILE_ID', candidateIds: [] };
  }
  const keys: KeyValue[] = [];
  if (phoneNumber) keys.push({ keyName: '_phone', value: phoneNumber });
  if (emailAddress) keys.push({ keyName: '_email', value: emailAddress });
  if (keys.length === 0) return { ...base, profile: null, association: 'UNMATCHED', candidateIds: [] };

  await lockKeys(tx, scope.domain.id, keys);
  const match = await matchByKeys(tx, scope, keys);
  if (match.kind === 'matched') return { ...base, profile: match.profile, association: 'MATCHED', candidateIds: [] };
  if (match.kind === 'ambiguous') return { ...base, profile: null, association: 'AMBIGUOUS', candidateIds: match.candidateIds };
  if (!input.allowProfileCreation) return { ...base, profile: null, association: 'UNMATCHED', candidateIds: [] };
  const profile = await insertProfileWithKeys(
    tx,
    scope,
    { ...input.inferredFields, phoneNumber, emailAddress, inferred: true, attributes: {} },
    emit,
  );
  return { ...base, profile, association: 'CREATED_PROFILE', candidateIds: [] };
}
