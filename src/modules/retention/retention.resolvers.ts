import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { badInput } from '../../errors.js';
import { retentionPreview, sweepDomain } from './retention.service.js';

export const retentionResolvers: Resolvers = {
  Query: {
    retentionPreview: (_p, { sampleSize }, ctx) => {
      const size = sampleSize ?? 20;
      if (size < 0 || size > 100) throw badInput('"sampleSize" must be between 0 and 100.', 'sampleSize');
      return retentionPreview(domainScope(ctx), ctx.app.clock, size);
    },
  },
  Mutation: {
    runRetentionSweep: (_p, _args, ctx) => sweepDomain(domainScope(ctx), ctx.app.clock),
  },
};
