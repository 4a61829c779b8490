import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { getOrder, recordOrder } from './order.service.js';

/** Order's fields and Profile.orders resolve from the read registry (order.relations.ts). */
export const orderResolvers: Resolvers = {
  Query: {
    order: (_p, { id }, ctx) => getOrder(domainScope(ctx), id),
  },
  Mutation: {
    recordOrder: (_p, { input }, ctx) => recordOrder(domainScope(ctx), input),
  },
};
