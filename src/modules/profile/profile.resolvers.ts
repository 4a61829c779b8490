import { sql } from 'drizzle-orm';
import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { byTime, cursorTime, decodeCursor, pageSize, toConnection, toPage } from '../pagination.js';
import { listProfilesTree, type ProfileRow } from './profile.repository.js';
import { createProfile, deleteProfile, isId, updateProfile } from './profile.service.js';

const profileKey = byTime<ProfileRow>((p) => p.createdAt);

/** Profile's own fields and connections resolve from the read registry (profile.relations.ts and the others'). */
export const profileResolvers: Resolvers = {
  Query: {
    profile: (_p, { id }, ctx) => (isId(id) ? ctx.app.reads.loader(ctx, 'Profile').load(id) : null),
    profiles: async (_p, { first, after }, ctx, info) => {
      const scope = domainScope(ctx);
      const limit = pageSize(first);
      const cursor = decodeCursor(after);
      const position = cursor ? { at: cursorTime(cursor), id: cursor.id } : null;
      // The look-ahead: the profile columns and nested pages this selection needs, in one statement.
      const reads = ctx.app.reads;
      const plan = reads.plan(ctx, info);
      const raw = await listProfilesTree(scope.database.db, scope.domain.id, limit, position, plan.keys, () => reads.relationColumns(plan, scope.domain.id, sql`p.id`), reads.isShared(plan) ? plan : undefined);
      return toConnection(toPage(reads.rows<ProfileRow>(ctx, plan, raw), limit, cursor), profileKey);
    },
  },
  Mutation: {
    createProfile: (_p, { input }, ctx) => createProfile(domainScope(ctx), input),
    updateProfile: (_p, { id, input, expectedVersion }, ctx) => updateProfile(domainScope(ctx), id, input, expectedVersion),
    deleteProfile: (_p, { id, expectedVersion }, ctx) => deleteProfile(domainScope(ctx), id, expectedVersion),
  },
};
