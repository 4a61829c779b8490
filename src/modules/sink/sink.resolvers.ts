import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope, type Context } from '../../graphql/context.js';
import { createEventSink, deleteEventSink, getEventSink, listEventSinks, pauseEventSink, replayEventSink, resumeEventSink, type SinkSettings } from './sink.service.js';

const settings = (ctx: Context): SinkSettings => ({ allowPrivateAddresses: ctx.app.config.sinkAllowPrivateAddresses, touch: (id, domainId) => ctx.app.sinks.touch(id, domainId) });

export const sinkResolvers: Resolvers = {
  Query: {
    eventSinks: (_p, _a, ctx) => listEventSinks(domainScope(ctx)),
    eventSink: (_p, { id }, ctx) => getEventSink(domainScope(ctx), id),
  },
  Mutation: {
    createEventSink: (_p, { input }, ctx) => createEventSink(domainScope(ctx), settings(ctx), input),
    deleteEventSink: (_p, { id }, ctx) => deleteEventSink(domainScope(ctx), settings(ctx), id),
    pauseEventSink: (_p, { id }, ctx) => pauseEventSink(domainScope(ctx), settings(ctx), id),
    resumeEventSink: (_p, { id }, ctx) => resumeEventSink(domainScope(ctx), settings(ctx), id),
    replayEventSink: (_p, { id, fromEventId }, ctx) => replayEventSink(domainScope(ctx), settings(ctx), id, fromEventId),
  },
  EventSink: {
    position: (s) => String(s.cursor),
    filter: (s) => ({ objectTypes: s.filter.objectTypes ?? [], profileIds: s.filter.profileIds ?? [] }),
  },
};
