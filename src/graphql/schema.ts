import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../generated/resolvers-types.js';
import { calculatedReads } from '../modules/calculated/calculated.relations.js';
import { calculatedResolvers } from '../modules/calculated/calculated.resolvers.js';
import { caseReads } from '../modules/case/case.relations.js';
import { caseResolvers } from '../modules/case/case.resolvers.js';
import { contactReads } from '../modules/contact/contact.relations.js';
import { contactResolvers } from '../modules/contact/contact.resolvers.js';
import { domainResolvers } from '../modules/domain/domain.resolvers.js';
import { eventReads } from '../modules/events/event.relations.js';
import { eventResolvers } from '../modules/events/event.resolvers.js';
import { exportResolvers } from '../modules/export/export.resolvers.js';
import { identityResolvers } from '../modules/identity/identity.resolvers.js';
import { importResolvers } from '../modules/import/import.resolvers.js';
import { objectReads } from '../modules/ingest/ingest.relations.js';
import { ingestResolvers } from '../modules/ingest/ingest.resolvers.js';
import { insightReads } from '../modules/insights/insights.relations.js';
import type { DuplicateHintProvider } from '../modules/insights/insights.service.js';
import { jobResolvers } from '../modules/jobs/job.resolvers.js';
import { layoutResolvers } from '../modules/layout/layout.resolvers.js';
import { lookupResolvers } from '../modules/lookup/lookup.resolvers.js';
import { mergeReads } from '../modules/merge/merge.relations.js';
import { mergeResolvers } from '../modules/merge/merge.resolvers.js';
import { nodeResolvers } from '../modules/node/node.resolvers.js';
import { retentionResolvers } from '../modules/retention/retention.resolvers.js';
import { objectTypeResolvers } from '../modules/object-type/object-type.resolvers.js';
import { orderReads } from '../modules/order/order.relations.js';
import { orderResolvers } from '../modules/order/order.resolvers.js';
import { profileReads } from '../modules/profile/profile.relations.js';
import { profileResolvers } from '../modules/profile/profile.resolvers.js';
import { searchReads } from '../modules/search/search.relations.js';
import { searchResolvers } from '../modules/search/search.resolvers.js';
import { segmentReads } from '../modules/segment/segment.relations.js';
import { segmentResolvers } from '../modules/segment/segment.resolvers.js';
import { templateResolvers } from '../modules/template/template.resolvers.js';
import { inboundResolvers } from '../modules/inbound/inbound.resolvers.js';
import { sinkResolvers } from '../modules/sink/sink.resolvers.js';
import { ReadPlanner } from '../read/planner.js';
import { domainScope, type Context } from './context.js';
import { scalarResolvers } from './scalars.js';

const schemaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schema');

/** The SDL of every module (schema/*.graphql), base first. */
export function loadTypeDefs(): string[] {
  const files = readdirSync(schemaDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)));
  return files.map((f) => readFileSync(path.join(schemaDir, f), 'utf8'));
}

const baseResolvers: Resolvers = {
  Query: { health: () => 'ok' },
};

/**
 * The read planner over every module's relation registry (`<feature>.relations.ts`): the only place
 * that lists them. A new relation is registered here and nowhere else.
 */
export function buildReadPlanner(options: { duplicateHints?: DuplicateHintProvider | null } = {}): ReadPlanner<Context> {
  return new ReadPlanner<Context>(
    [profileReads, searchReads, contactReads, caseReads, orderReads, objectReads, eventReads, calculatedReads, segmentReads, insightReads(options), mergeReads],
    domainScope,
  );
}

/**
 * The executable schema: every module's SDL with its resolvers, plus the resolvers the read planner
 * generates from the registry (the fields of registered node types); a resolver for such a field
 * anywhere else is refused.
 */
export function buildSchema(reads: ReadPlanner<Context>, extra: Resolvers[] = []): GraphQLSchema {
  const moduleResolvers: Resolvers[] = [
    scalarResolvers,
    baseResolvers,
    domainResolvers,
    profileResolvers,
    searchResolvers,
    contactResolvers,
    caseResolvers,
    orderResolvers,
    eventResolvers,
    objectTypeResolvers,
    ingestResolvers,
    importResolvers,
    jobResolvers,
    exportResolvers,
    retentionResolvers,
    inboundResolvers,
    sinkResolvers,
    nodeResolvers,
    calculatedResolvers,
    segmentResolvers,
    templateResolvers,
    lookupResolvers,
    layoutResolvers,
    mergeResolvers,
    identityResolvers,
    ...extra,
  ];
  const schema = makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [...moduleResolvers, reads.resolvers()] as never,
    inheritResolversFromInterfaces: true,
  });
  reads.checkSchema(schema, moduleResolvers as unknown as Record<string, unknown>[]);
  return schema;
}
