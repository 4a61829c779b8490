import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { lookupProfiles } from './lookup.service.js';

export const lookupResolvers: Resolvers = {
  Query: {
    lookupProfiles: async (_p, { text, first }, ctx) => {
      const found = await lookupProfiles(domainScope(ctx), text, first);
      // the hits' profiles in one statement (the request's by-id loader); nested fields batch per level
      const rows = await ctx.app.reads.loader(ctx, 'Profile').loadMany(found.hits.map((h) => h.profileId));
      const hits = found.hits.flatMap((h, i) => {
        const profile = rows[i];
        return profile && !(profile instanceof Error) ? [{ profile: profile as ProfileRow, matchedKeys: h.matchedKeys }] : [];
      });
      return { interpretedAs: found.interpretedAs, normalized: found.normalized, hits };
    },
  },
};
