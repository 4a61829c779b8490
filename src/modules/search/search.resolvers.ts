import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { planProfileTree } from '../../graphql/lookahead.js';
import { PROFILE_COMPUTED, PROFILE_RELATIONS } from '../profile/profile.resolvers.js';
import { profiles } from '../profile/profile.table.js';
import { findOrCreateProfile, profileLoader } from '../profile/profile.service.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { searchProfiles } from './search.service.js';

export const searchResolvers: Resolvers = {
  Query: {
    searchProfiles: (_p, args, ctx, info) =>
      searchProfiles(ctx, domainScope(ctx), args, planProfileTree(info, profiles, PROFILE_COMPUTED, PROFILE_RELATIONS, [], ['matchedKeys'])),
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
