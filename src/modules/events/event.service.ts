import { AppError, ErrorCode, badInput, notFound } from '../../errors.js';
import { UUID } from '../pagination.js';
import { profilesByIds } from '../profile/profile.repository.js';
import type { DomainScope } from '../scope.js';
import { EventHub } from './event-hub.js';
import type { EventRow } from './event.repository.js';
import type { EventStream } from './event-stream.js';

/** The app's subscription hub; subscriptions are unavailable when the app runs with another notifier. */
export function eventHubOf(app: { readonly notifier: unknown }): EventHub {
  if (app.notifier instanceof EventHub) return app.notifier;
  throw new AppError(ErrorCode.INTERNAL_SERVER_ERROR, 'Subscriptions are not enabled on this instance.');
}

/** Parses an `after` event id: a non-negative integer, as the stream hands out. */
export function parseEventId(after: string | null | undefined): number | null {
  if (after === null || after === undefined) return null;
  const id = /^\d{1,15}$/.test(after) ? Number(after) : NaN;
  if (!Number.isSafeInteger(id)) throw badInput(`"after" must be an event id as returned in ProfileEvent.id (got ${JSON.stringify(after)}).`, 'after');
  return id;
}

export interface ProfileEventsArgs {
  types?: readonly string[] | null | undefined;
  profileIds?: readonly string[] | null | undefined;
  after?: string | null | undefined;
}

/** The caller's domain stream; the domain comes from the API key, never from arguments. */
export function subscribeProfileEvents(scope: DomainScope, hub: EventHub, args: ProfileEventsArgs): Promise<EventStream> {
  const bad = args.profileIds?.find((id) => !UUID.test(id));
  if (bad !== undefined) throw badInput(`profileIds contains "${bad}", which is not a profile id.`, 'profileIds');
  return hub.subscribe({ domainId: scope.domain.id, after: parseEventId(args.after), types: args.types, profileIds: args.profileIds });
}

/**
 * Events touching one profile, ending at its deletion or its merge into another profile (the stream then completes: a Profile! cannot
 * say "deleted", and a deleted profile will never change again). Subscribes before checking that
 * the profile exists, so a deletion between the two cannot leave a stream waiting forever.
 */
export async function subscribeProfileUpdated(scope: DomainScope, hub: EventHub, id: string): Promise<EventStream> {
  if (!UUID.test(id)) throw notFound('Profile', id);
  const stream = await hub.subscribe({
    domainId: scope.domain.id,
    profileIds: [id],
    // deleted, or merged into another profile (the MERGED event on the merged profile names its main one)
    endOn: (e: EventRow) => e.profileId === id && (e.type === 'PROFILE_DELETED' || (e.type === 'MERGED' && e.changes?.mergedInto !== undefined)),
  });
  let found: boolean;
  try {
    found = (await profilesByIds(scope.database.db, scope.domain.id, [id])).length > 0;
  } catch (err) {
    await stream.return(); // never leave a subscriber nobody will read
    throw err;
  }
  if (!found) {
    await stream.return();
    throw notFound('Profile', id);
  }
  return stream;
}

/** Checked on every event before it reaches a client: a stream only ever carries its own domain. */
export function assertOwnDomain(scope: DomainScope, e: EventRow): EventRow {
  if (e.domainId !== scope.domain.id) throw new AppError(ErrorCode.FORBIDDEN, 'Event of another domain withheld.');
  return e;
}

/** An event's changes as GraphQL FieldChanges (values JSON-encoded; null stays null). */
export function fieldChanges(e: EventRow): { field: string; before: string | null; after: string | null }[] {
  const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
  return Object.entries(e.changes ?? {}).map(([field, c]) => ({ field, before: json(c.before), after: json(c.after) }));
}
