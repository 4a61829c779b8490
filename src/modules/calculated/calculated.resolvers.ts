import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope, type Context } from '../../graphql/context.js';
import {
  deleteCalculatedAttribute,
  getCalculatedAttribute,
  installDefaults,
  listCalculatedAttributes,
  putCalculatedAttribute,
  type Backfill,
} from './calculated.service.js';

const backfillOf = (ctx: Context): Backfill => ({ queue: ctx.app.jobs, inlineObjects: ctx.app.config.calculatedInlineBackfill });

/** Profile.calculatedAttribute(s) resolve from the read registry (calculated.relations.ts). */
export const calculatedResolvers: Resolvers = {
  Query: {
    calculatedAttributeDefinitions: (_p, _a, ctx) => listCalculatedAttributes(domainScope(ctx)),
    calculatedAttributeDefinition: (_p, { name }, ctx) => getCalculatedAttribute(domainScope(ctx), name),
  },
  Mutation: {
    putCalculatedAttribute: (_p, { input }, ctx) => putCalculatedAttribute(domainScope(ctx), input, backfillOf(ctx)),
    deleteCalculatedAttribute: (_p, { name }, ctx) => deleteCalculatedAttribute(domainScope(ctx), name),
    installDefaultCalculatedAttributes: (_p, _a, ctx) => installDefaults(domainScope(ctx), backfillOf(ctx)),
  },
  CalculatedAttributeDefinition: {
    expression: (d) => d.spec.expressionText,
    statistic: (d) => d.spec.statistic,
    window: (d) => {
      const w = d.spec.window;
      return w ? { lastDays: w.lastDays ?? null, lastObjects: w.lastObjects ?? null, from: w.from ? new Date(w.from) : null, to: w.to ? new Date(w.to) : null } : null;
    },
    conditions: (d) => d.spec.conditions,
    threshold: (d) => d.spec.threshold,
    type: (d) => d.spec.resultType,
    backfilled: (d) => d.backfilledVersion === d.version,
  },
};
