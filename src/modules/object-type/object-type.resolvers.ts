import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { deleteObjectType, getObjectType, listAllObjectTypes, putObjectType } from './object-type.service.js';

export const objectTypeResolvers: Resolvers = {
  Query: {
    objectType: (_p, { name }, ctx) => getObjectType(domainScope(ctx), name),
    objectTypes: (_p, _a, ctx) => listAllObjectTypes(domainScope(ctx)),
  },
  Mutation: {
    putObjectType: (_p, { input }, ctx) => putObjectType(domainScope(ctx), input),
    deleteObjectType: (_p, { name }, ctx) => deleteObjectType(domainScope(ctx), name),
  },
};
