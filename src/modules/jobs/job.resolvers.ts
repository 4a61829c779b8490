import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { byTime, cursorTime, decodeCursor, pageSize, toConnection, toPage } from '../../graphql/pagination.js';
import type { JobRow } from './job.repository.js';
import { cancelJob, findJob, jobPage } from './job.service.js';

const jobKey = byTime<JobRow>((j) => j.createdAt);

export const jobResolvers: Resolvers = {
  Query: {
    job: (_p, { id }, ctx) => findJob(domainScope(ctx), id),
    jobs: async (_p, { kind, status, first, after }, ctx) => {
      const scope = domainScope(ctx);
      const limit = pageSize(first);
      const cursor = decodeCursor(after);
      const rows = await jobPage(scope, { kind, status }, limit, cursor ? { at: cursorTime(cursor), id: cursor.id } : null);
      return toConnection(toPage(rows, limit, cursor), jobKey);
    },
  },
  Mutation: {
    cancelJob: (_p, { id }, ctx) => cancelJob(domainScope(ctx), ctx.app.jobs, ctx.app.clock, id),
  },
  Job: {
    counts: (j) => Object.entries(j.counts).map(([name, value]) => ({ name, value })),
    cancelRequested: (j) => j.cancelRequested !== null,
  },
};
