import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { findOrCreateProfile, profileLoader } from '../profile/profile.service.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { searchProfiles } from './search.service.js';

export const searchResolvers: Resolvers = {
  Query: {
    searchProfiles: (_p, args, ctx) => searchProfiles(ctx, domainScope(ctx), args),
  },
  Mutation: {
    findOrCreateProfile: async (_p, { input }, ctx) => {
      const scope = domainScope(ctx);
      const result = await findOrCreateProfile(scope, input);
      const candidates = await profileLoader(ctx, scope).loadMany(result.candidateIds);
      return { ...result, candidates: candidates.filter((c): c is ProfileRow => !!c && !(c instanceof Error)) };
    },
  },
};
