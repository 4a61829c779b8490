import type { EventType, Resolvers } from '../../generated/resolvers-types.js';
import { domainScope, type Context } from '../../graphql/context.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { notFound } from '../../errors.js';
import type { EventRow } from './event.repository.js';
import { assertOwnDomain, eventHubOf, fieldChanges, subscribeProfileEvents, subscribeProfileUpdated } from './event.service.js';
import { historyAction } from './history.js';

/**
 * Subscriptions resolve once per event with a context made for that event (see graphql/ws.ts), so
 * the profile is loaded fresh every time and nested loaders never serve a previous event's rows.
 */
export const eventResolvers: Resolvers = {
  Subscription: {
    profileEvents: {
      subscribe: (_p, args, ctx) => subscribeProfileEvents(domainScope(ctx), eventHubOf(ctx.app), args),
      resolve: (e: EventRow, _a: unknown, ctx: Context) => assertOwnDomain(domainScope(ctx), e),
    },
    profileUpdated: {
      subscribe: (_p, { id }, ctx) => subscribeProfileUpdated(domainScope(ctx), eventHubOf(ctx.app), id),
      resolve: async (e: EventRow, { id }: { id: string }, ctx: Context): Promise<ProfileRow> => {
        const scope = domainScope(ctx);
        assertOwnDomain(scope, e);
        // Deleted after this event was written (its PROFILE_DELETED, which ends the stream, follows).
        const profile = await ctx.app.reads.loader(ctx, 'Profile').load(id);
        if (!profile) throw notFound('Profile', id);
        return profile;
      },
    },
  },
  // Profile.history resolves from the read registry (event.relations.ts).
  ProfileEvent: {
    id: (e) => String(e.id),
    type: (e) => e.type as EventType,
    actor: (e) => e.actorKeyId,
    changes: (e) => fieldChanges(e),
  },
  ProfileHistoryRecord: {
    id: (e) => String(e.id),
    action: (e) => historyAction(e.type),
    eventType: (e) => e.type as EventType,
    actor: (e) => e.actorKeyId,
    changes: (e) => fieldChanges(e),
  },
};
