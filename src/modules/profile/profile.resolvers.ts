import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { byTime, cursorTime, decodeCursor, pageSize, toConnection, toPage } from '../../graphql/pagination.js';
import { attributeList } from '../attributes.js';
import { listProfiles, type ProfileRow } from './profile.repository.js';
import { createProfile, deleteProfile, fullName, isId, profileLoader, updateProfile } from './profile.service.js';

const profileKey = byTime<ProfileRow>((p) => p.createdAt);

export const profileResolvers: Resolvers = {
  Query: {
    profile: (_p, { id }, ctx) => {
      const scope = domainScope(ctx);
      return isId(id) ? profileLoader(ctx, scope).load(id) : null;
    },
    profiles: async (_p, { first, after }, ctx) => {
      const scope = domainScope(ctx);
      const limit = pageSize(first);
      const cursor = decodeCursor(after);
      const position = cursor ? { at: cursorTime(cursor), id: cursor.id } : null;
      const rows = await listProfiles(scope.database.db, scope.domain.id, limit, position);
      const loader = profileLoader(ctx, scope);
      for (const r of rows) loader.prime(r.id, r);
      return toConnection(toPage(rows, limit, cursor), profileKey);
    },
  },
  Mutation: {
    createProfile: (_p, { input }, ctx) => createProfile(domainScope(ctx), input),
    updateProfile: (_p, { id, input, expectedVersion }, ctx) => updateProfile(domainScope(ctx), id, input, expectedVersion),
    deleteProfile: (_p, { id, expectedVersion }, ctx) => deleteProfile(domainScope(ctx), id, expectedVersion),
  },
  Profile: {
    fullName: (p) => fullName(p),
    attributes: (p) => attributeList(p.attributes),
    attribute: (p, { key }) => p.attributes[key] ?? null,
  },
};
