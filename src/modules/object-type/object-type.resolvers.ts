import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { detectObjectType } from './object-type.detect.js';
import { deleteObjectType, getObjectType, listAllObjectTypes, putObjectType } from './object-type.service.js';
import { OBJECT_TYPE_TEMPLATES } from './object-type.templates.js';

export const objectTypeResolvers: Resolvers = {
  Query: {
    objectType: (_p, { name }, ctx) => getObjectType(domainScope(ctx), name),
    objectTypes: (_p, _a, ctx) => listAllObjectTypes(domainScope(ctx)),
    objectTypeTemplates: (_p, _a, ctx) => {
      domainScope(ctx); // a domain key is required, as for every domain read
      return [...OBJECT_TYPE_TEMPLATES];
    },
    detectObjectType: (_p, { samples }, ctx) => {
      domainScope(ctx);
      return detectObjectType(samples);
    },
  },
  Mutation: {
    putObjectType: (_p, { input }, ctx) => putObjectType(domainScope(ctx), input),
    deleteObjectType: (_p, { name }, ctx) => deleteObjectType(domainScope(ctx), name),
  },
};
