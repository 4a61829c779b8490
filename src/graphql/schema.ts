import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { Resolvers } from '../generated/resolvers-types.js';
import { caseResolvers } from '../modules/case/case.resolvers.js';
import { contactResolvers } from '../modules/contact/contact.resolvers.js';
import { domainResolvers } from '../modules/domain/domain.resolvers.js';
import { eventResolvers } from '../modules/events/event.resolvers.js';
import { exportResolvers } from '../modules/export/export.resolvers.js';
import { importResolvers } from '../modules/import/import.resolvers.js';
import { ingestResolvers } from '../modules/ingest/ingest.resolvers.js';
import { jobResolvers } from '../modules/jobs/job.resolvers.js';
import { retentionResolvers } from '../modules/retention/retention.resolvers.js';
import { objectTypeResolvers } from '../modules/object-type/object-type.resolvers.js';
import { orderResolvers } from '../modules/order/order.resolvers.js';
import { profileResolvers } from '../modules/profile/profile.resolvers.js';
import { searchResolvers } from '../modules/search/search.resolvers.js';
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

export function buildSchema(extra: Resolvers[] = []): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: loadTypeDefs(),
    resolvers: [
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
      ...extra,
    ] as never,
    inheritResolversFromInterfaces: true,
  });
}
