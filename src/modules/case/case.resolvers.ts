import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { createCase, getCase, updateCase } from './case.service.js';

/** Case's fields and Profile.cases resolve from the read registry (case.relations.ts). */
export const caseResolvers: Resolvers = {
  Query: {
    case: (_p, { id }, ctx) => getCase(domainScope(ctx), id),
  },
  Mutation: {
    createCase: (_p, { input }, ctx) => createCase(domainScope(ctx), input),
    updateCase: (_p, { id, input, expectedVersion }, ctx) => updateCase(domainScope(ctx), id, input, expectedVersion),
  },
};
