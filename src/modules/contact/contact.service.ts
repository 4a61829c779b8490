import { badInput } from '../../errors.js';
import type { RecordContactInput } from '../../generated/resolvers-types.js';
import { applyAttributes } from '../attributes.js';
import { maintainValues } from '../calculated/calculated.service.js';
import { associateProfile, type AssociationResult } from '../profile/association.js';
import { text } from '../profile/normalize.js';
import { setSourceKeys } from '../profile/profile.repository.js';
import { isId } from '../profile/profile.service.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { findContact, lockContactByContactId, upsertContact, type ContactRow } from './contact.repository.js';

export const CONTACT_OBJECT = 'contact';

function nonNegative(v: number | null | undefined, field: string): number | null {
  if (v === null || v === undefined) return null;
  if (!Number.isInteger(v) || v < 0) throw badInput(`${field} must be a whole number of seconds ≥ 0.`, field);
  return v;
}

export interface RecordContactResult extends Omit<AssociationResult, 'phoneNumber' | 'emailAddress'> {
  contact: ContactRow;
  created: boolean;
}

/**
 * Records a contact (idempotent by contactId) and associates it with a profile. Re-recording a
 * contactId replaces its fields and keeps its profile unless a profileId is given.
 */
export async function recordContact(scope: DomainScope, input: RecordContactInput): Promise<RecordContactResult> {
  const contactId = text(input.contactId, 'contactId');
  if (!contactId) throw badInput('contactId must not be empty.', 'contactId');
  if (input.disconnectedAt && input.disconnectedAt < input.initiatedAt) {
    throw badInput('disconnectedAt is before initiatedAt.', 'disconnectedAt');
  }
  const attributes = applyAttributes({}, input.attributes);
  const fields = {
    channel: input.channel,
    direction: input.direction ?? null,
    initiatedAt: input.initiatedAt,
    disconnectedAt: input.disconnectedAt ?? null,
    queue: text(input.queue, 'queue') ?? null,
    queueWaitSeconds: nonNegative(input.queueWaitSeconds, 'queueWaitSeconds'),
    holdSeconds: nonNegative(input.holdSeconds, 'holdSeconds'),
    agentId: text(input.agentId, 'agentId') ?? null,
    attributes,
  };
  const inferredFields = { firstName: text(input.firstName, 'firstName') ?? null, lastName: text(input.lastName, 'lastName') ?? null };

  return writeTransaction(scope, async (tx, emit) => {
    const existing = await lockContactByContactId(tx, scope.domain.id, contactId);
    let assoc: AssociationResult;
    if (existing && existing.profileId && !input.profileId) {
      assoc = {
        profile: null,
        association: 'EXISTING',
        candidateIds: [],
        phoneNumber: existing.phoneNumber,
        emailAddress: existing.emailAddress,
      };
    } else {
      assoc = await associateProfile(tx, scope, emit, {
        profileId: input.profileId,
        phoneNumber: input.phoneNumber,
        emailAddress: input.emailAddress,
        phoneField: 'phoneNumber',
        emailField: 'emailAddress',
        allowProfileCreation: input.allowProfileCreation ?? true,
        inferredFields,
      });
    }
    const profileId = assoc.association === 'EXISTING' ? existing!.profileId : (assoc.profile?.id ?? null);
    const contact = await upsertContact(tx, scope.domain.id, {
      ...fields,
      contactId,
      profileId,
      phoneNumber: assoc.phoneNumber ?? existing?.phoneNumber ?? null,
      emailAddress: assoc.emailAddress ?? existing?.emailAddress ?? null,
    });
    // The contact's id is the ACCP search key _ctrContactId of its profile.
    await setSourceKeys(tx, scope.domain.id, `obj:_ctr:${contactId}`, profileId, [{ keyName: '_ctrContactId', value: contactId }]);
    // calculated attributes over contacts: this profile's (and a previous owner's) values, now
    await maintainValues(tx, scope, '_ctr', [profileId, existing?.profileId]);
    emit({ type: 'CONTACT_RECORDED', profileId, objectType: CONTACT_OBJECT, objectId: contact.id });
    return { ...assoc, contact, created: !existing };
  });
}

export function getContact(scope: DomainScope, id: string): Promise<ContactRow | null> {
  return findContact(scope.database.db, scope.domain.id, id, isId(id));
}
