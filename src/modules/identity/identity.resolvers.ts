import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import type { MatchingConfigInput } from './identity.config.js';
import { dismissMatch, matchesPage, matchingConfig, putMatchingConfig, similarProfiles, startMatchingJob, type MatchGroupView, type MatchingConfigView } from './identity.service.js';

const configView = (c: MatchingConfigView) => ({ ...c, rules: c.rules.map((r, i) => ({ level: i + 1, attributes: r.attributes })) });

/** Identity resolution (matching): thin mappings onto identity.service.ts. */
export const identityResolvers: Resolvers = {
  Query: {
    matchingConfig: async (_p, _a, ctx) => configView(await matchingConfig(domainScope(ctx))) as never,
    matches: (_p, args, ctx) => matchesPage(domainScope(ctx), args) as never,
    similarProfiles: async (_p, { profileId, first }, ctx) => {
      const found = await similarProfiles(domainScope(ctx), profileId, first);
      const profiles = await ctx.app.reads.loader(ctx, 'Profile').loadMany(found.map((m) => m.profileId));
      return found.map((m, i) => ({ ...m, profile: profiles[i] })).filter((m) => m.profile && !(m.profile instanceof Error)) as never;
    },
  },
  Mutation: {
    putMatchingConfig: async (_p, { input }, ctx) => {
      const scope = domainScope(ctx);
      const view = await putMatchingConfig(scope, input as MatchingConfigInput);
      ctx.app.identity.watch(scope.domain.id);
      return configView(view) as never;
    },
    runMatchingJob: (_p, _a, ctx) => startMatchingJob(domainScope(ctx), ctx.app.jobs) as never,
    dismissMatch: (_p, { id }, ctx) => dismissMatch(domainScope(ctx), id) as never,
  },
  MatchGroup: {
    profiles: async (g, _a, ctx) => {
      const rows = await ctx.app.reads.loader(ctx, 'Profile').loadMany((g as unknown as MatchGroupView).profileIds);
      return rows.filter((r) => r && !(r instanceof Error)) as never;
    },
  },
};
