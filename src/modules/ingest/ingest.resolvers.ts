import { JSONObjectResolver } from 'graphql-scalars';
import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { byTime, cursorTime, decodeCursor, pageSize, toConnection, toPage } from '../pagination.js';
import { isId } from '../profile/profile.service.js';
import { findObjectById, listDeadLetters, type DeadLetterRow } from './ingest.repository.js';
import { putProfileObject, putProfileObjects } from './ingest.service.js';

/** JSONObject literals arrive as null-prototype objects; store plain JSON. */
const plain = (o: Record<string, unknown>): Record<string, unknown> => JSON.parse(JSON.stringify(o)) as Record<string, unknown>;

export const ingestResolvers: Resolvers = {
  JSONObject: JSONObjectResolver,
  Query: {
    profileObject: (_p, { id }, ctx) => {
      const scope = domainScope(ctx);
      return isId(id) ? findObjectById(scope.database.db, scope.domain.id, id) : null;
    },
    deadLetters: async (_p, { objectType, first, after }, ctx) => {
      const scope = domainScope(ctx);
      const limit = pageSize(first);
      const cursor = decodeCursor(after);
      const rows = await listDeadLetters(scope.database.db, scope.domain.id, objectType, limit, cursor ? { at: cursorTime(cursor), id: cursor.id } : null);
      return toConnection(toPage(rows, limit, cursor), byTime<DeadLetterRow>((d) => d.createdAt));
    },
  },
  Mutation: {
    putProfileObject: (_p, { objectType, object }, ctx) => putProfileObject(domainScope(ctx), objectType, plain(object)),
    putProfileObjects: async (_p, { objectType, objects }, ctx) => {
      const results = await putProfileObjects(domainScope(ctx), objectType, objects.map(plain));
      return {
        results,
        attached: results.filter((r) => r.outcome === 'ATTACHED').length,
        createdProfiles: results.filter((r) => r.outcome === 'CREATED_PROFILE').length,
        deadLettered: results.filter((r) => r.outcome === 'DEAD_LETTERED').length,
      };
    },
  },
  PutProfileObjectResult: {
    profile: (r, _a, ctx) => r.profile ?? (r.profileId ? ctx.app.reads.loader(ctx, 'Profile').load(r.profileId) : null),
  },
  // ProfileObject's fields and Profile.objects resolve from the read registry (ingest.relations.ts).
};
