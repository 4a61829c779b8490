import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { profileConnection } from '../../graphql/nested.js';
import { attributeList } from '../attributes.js';
import { profileLoader } from '../profile/profile.service.js';
import { countOrdersPerProfile, ordersPerProfile, type OrderRow } from './order.repository.js';
import { getOrder, recordOrder } from './order.service.js';

export const orderResolvers: Resolvers = {
  Query: {
    order: (_p, { id }, ctx) => getOrder(domainScope(ctx), id),
  },
  Mutation: {
    recordOrder: (_p, { input }, ctx) => recordOrder(domainScope(ctx), input),
  },
  Profile: {
    orders: (profile, args, ctx) => {
      const scope = domainScope(ctx);
      return profileConnection<OrderRow>(
        ctx,
        'orders',
        profile,
        args,
        (o) => o.orderedAt,
        (ids, limit, after) => ordersPerProfile(scope.database.db, scope.domain.id, ids, limit, after),
        (ids) => countOrdersPerProfile(scope.database.db, scope.domain.id, ids),
      );
    },
  },
  Order: {
    attributes: (o) => attributeList(o.attributes),
    attribute: (o, { key }) => o.attributes[key] ?? null,
    profile: async (o, _a, ctx) => (await profileLoader(ctx, domainScope(ctx)).load(o.profileId))!,
  },
  OrderConnection: {
    totalCount: (c) => c.totalCount(),
  },
};
