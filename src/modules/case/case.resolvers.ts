import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { profileConnection } from '../../graphql/nested.js';
import { attributeList } from '../attributes.js';
import { profileLoader } from '../profile/profile.service.js';
import { casesPerProfile, countCasesPerProfile, type CaseRow } from './case.repository.js';
import { createCase, getCase, updateCase } from './case.service.js';

export const caseResolvers: Resolvers = {
  Query: {
    case: (_p, { id }, ctx) => getCase(domainScope(ctx), id),
  },
  Mutation: {
    createCase: (_p, { input }, ctx) => createCase(domainScope(ctx), input),
    updateCase: (_p, { id, input, expectedVersion }, ctx) => updateCase(domainScope(ctx), id, input, expectedVersion),
  },
  Profile: {
    cases: (profile, args, ctx) => {
      const scope = domainScope(ctx);
      return profileConnection<CaseRow>(
        ctx,
        'cases',
        profile,
        args,
        (c) => c.createdAt,
        (ids, limit, after) => casesPerProfile(scope.database.db, scope.domain.id, ids, limit, after, args.status),
        (ids) => countCasesPerProfile(scope.database.db, scope.domain.id, ids, args.status),
      );
    },
  },
  Case: {
    attributes: (c) => attributeList(c.attributes),
    attribute: (c, { key }) => c.attributes[key] ?? null,
    profile: async (c, _a, ctx) => (await profileLoader(ctx, domainScope(ctx)).load(c.profileId))!,
  },
  CaseConnection: {
    totalCount: (c) => c.totalCount(),
  },
};
