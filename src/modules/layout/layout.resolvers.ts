import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { profileLayout, putProfileLayout } from './layout.service.js';

export const layoutResolvers: Resolvers = {
  Query: {
    profileLayout: (_p, _a, ctx) => profileLayout(domainScope(ctx)),
  },
  Mutation: {
    putProfileLayout: (_p, { panels }, ctx) => putProfileLayout(domainScope(ctx), panels),
  },
};
