import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { startExport, type ExportResult } from './export.service.js';

export const exportResolvers: Resolvers = {
  Mutation: {
    startExport: (_p, { input }, ctx) => startExport(domainScope(ctx), ctx.app.jobs, input),
  },
  Job: {
    export: (j) => (j.kind === 'EXPORT' && j.status === 'SUCCEEDED' && j.result ? (j.result as ExportResult) : null),
  },
};
