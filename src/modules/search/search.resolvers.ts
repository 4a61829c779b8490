import { sql } from 'drizzle-orm';
import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { encodeCursor } from '../pagination.js';
import type { ProfileRow } from '../profile/profile.repository.js';
import { findOrCreateProfile } from '../profile/profile.service.js';
import { searchProfiles } from './search.service.js';

export const searchResolvers: Resolvers = {
  Query: {
    searchProfiles: async (_p, args, ctx, info) => {
      const scope = domainScope(ctx);
      // The look-ahead (search.relations.ts): the profile columns and nested pages of this selection, in the search's one statement.
      const reads = ctx.app.reads;
      const plan = reads.plan(ctx, info);
      const found = await searchProfiles(scope, args, { keys: plan.keys, extra: reads.relationColumns(plan, scope.domain.id, sql`p.id`) });
      const nodes = reads.rows<ProfileRow>(ctx, plan, found.rows);
      const edges = nodes.map((node, i) => ({ node, cursor: encodeCursor({ sort: '', id: node.id }), matchedKeys: found.matchedKeys[i]! }));
      return {
        edges,
        nodes,
        pageInfo: {
          hasNextPage: found.hasNextPage,
          hasPreviousPage: found.hasPreviousPage,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges[edges.length - 1]?.cursor ?? null,
        },
      };
    },
  },
  Mutation: {
    findOrCreateProfile: async (_p, { input }, ctx) => {
      const scope = domainScope(ctx);
      const result = await findOrCreateProfile(scope, input);
      const candidates = await ctx.app.reads.loader(ctx, 'Profile').loadMany(result.candidateIds);
      return { ...result, candidates: candidates.filter((c): c is ProfileRow => !!c && !(c instanceof Error)) };
    },
  },
};
