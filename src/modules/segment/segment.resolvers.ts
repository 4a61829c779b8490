import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope, type Context } from '../../graphql/context.js';
import type { EventRow } from '../events/event.repository.js';
import { assertOwnDomain, eventHubOf } from '../events/event.service.js';
import {
  allSegments,
  deleteSegment,
  loadSegment,
  putSegment,
  segmentCount,
  segmentFromText,
  segmentMembers,
  segmentMembership,
  previewSegment,
  segmentText,
  subscribeSegmentChanges,
} from './segment.service.js';

/** Segments: thin mappings onto segment.service.ts. Profile.segments is declared in segment.relations.ts. */
export const segmentResolvers: Resolvers = {
  Query: {
    segment: (_p, { name }, ctx) => loadSegment(domainScope(ctx), name),
    segments: (_p, _a, ctx) => allSegments(domainScope(ctx)),
    segmentMembership: (_p, { name, profileIds }, ctx) => segmentMembership(domainScope(ctx), name, profileIds),
    segmentFromText: (_p, { text }) => segmentFromText(text) as unknown as Record<string, unknown>,
    segmentPreview: async (_p, { text }, ctx) => {
      const p = await previewSegment(domainScope(ctx), text);
      return { ...p, rule: p.rule as unknown as Record<string, unknown> };
    },
  },
  Mutation: {
    putSegment: async (_p, { input }, ctx) => {
      const scope = domainScope(ctx);
      await putSegment(scope, input);
      return (await loadSegment(scope, input.name))!;
    },
    deleteSegment: (_p, { name }, ctx) => deleteSegment(domainScope(ctx), name),
  },
  Subscription: {
    segmentMembershipChanged: {
      subscribe: (_p, { name, after }, ctx) => subscribeSegmentChanges(domainScope(ctx), eventHubOf(ctx.app), name, after),
      resolve: (e: EventRow, _a: unknown, ctx: Context) => assertOwnDomain(domainScope(ctx), e),
    },
  },
  Segment: {
    name: (s) => s.row.name,
    description: (s) => s.row.description,
    rule: (s) => s.row.rule as unknown as Record<string, unknown>,
    text: (s) => segmentText(s.row),
    count: (s, _a, ctx) => segmentCount(domainScope(ctx), s),
    members: (s, args, ctx) => segmentMembers(domainScope(ctx), s, args),
    createdAt: (s) => s.row.createdAt,
    updatedAt: (s) => s.row.updatedAt,
    version: (s) => s.row.version,
  },
  SegmentMembershipChange: {
    id: (e) => String(e.id),
    segment: (e) => e.objectId ?? '',
    profileId: (e) => e.profileId ?? '',
    entered: (e) => e.type === 'SEGMENT_ENTERED',
    occurredAt: (e) => e.occurredAt,
  },
};
