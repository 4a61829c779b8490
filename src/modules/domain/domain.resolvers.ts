import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { requireAdminAuth } from './auth.js';

export const domainResolvers: Resolvers = {
  Query: {
    domains: (_p, _a, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.list();
    },
    domainByName: (_p, { name }, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.find(name);
    },
    currentDomain: (_p, _a, ctx) => domainScope(ctx).domain,
    apiKeys: (_p, { domain }, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.listKeys(domain);
    },
  },
  Mutation: {
    createDomain: (_p, { input }, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.create(input);
    },
    updateDomain: (_p, { name, input }, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.update(name, input);
    },
    deleteDomain: (_p, { name }, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.delete(name);
    },
    createApiKey: (_p, { domain, name }, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.createKey(domain, name);
    },
    revokeApiKey: (_p, { id }, ctx) => {
      requireAdminAuth(ctx.auth);
      return ctx.app.domains.revokeKey(id);
    },
  },
};
