import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { createIngestSource, deleteIngestSource, listIngestSources } from './inbound.service.js';

export const inboundResolvers: Resolvers = {
  Query: {
    ingestSources: (_p, _a, ctx) => listIngestSources(domainScope(ctx)),
  },
  Mutation: {
    createIngestSource: (_p, { input }, ctx) => createIngestSource(domainScope(ctx), input),
    deleteIngestSource: (_p, { id }, ctx) => deleteIngestSource(domainScope(ctx), id),
  },
  IngestSource: {
    path: (s) => `/ingest/${s.id}`,
  },
};
