import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { getMerge, mergedInto, mergeProfiles, unmergeProfiles } from './merge.service.js';

/** Profile.merges resolves from the read registry (merge.relations.ts). */
export const mergeResolvers: Resolvers = {
  Query: {
    profileMerge: (_p, { id }, ctx) => getMerge(domainScope(ctx), id),
    profileMergedInto: (_p, { profileId }, ctx) => mergedInto(domainScope(ctx), profileId),
  },
  Mutation: {
    mergeProfiles: (_p, { input }, ctx) => mergeProfiles(domainScope(ctx), { ...input, origin: 'MANUAL' }),
    unmergeProfiles: (_p, { mergeId }, ctx) => unmergeProfiles(domainScope(ctx), mergeId),
  },
};
