import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { applyTemplate, industryTemplates } from './template.service.js';

/** Industry templates: thin mappings onto template.service.ts. */
export const templateResolvers: Resolvers = {
  Query: {
    industryTemplates: (_p, _a, ctx) => {
      domainScope(ctx); // a domain key is required, like every domain operation
      return industryTemplates();
    },
  },
  Mutation: {
    applyTemplate: (_p, { template }, ctx) =>
      applyTemplate(domainScope(ctx), template, { queue: ctx.app.jobs, inlineObjects: ctx.app.config.calculatedInlineBackfill }),
  },
  IndustryTemplateInfo: {
    template: (t) => t.industry,
  },
  TemplateCalculatedAttribute: {
    objectType: (d) => d.input.objectType,
    expression: (d) => d.input.expression ?? null,
    statistic: (d) => d.input.statistic,
    window: (d) => {
      const w = d.input.window;
      return w ? { lastDays: w.lastDays ?? null, lastObjects: w.lastObjects ?? null, from: w.from ?? null, to: w.to ?? null } : null;
    },
    conditions: (d) => (d.input.conditions ?? []).map((c) => ({ field: c.field, operator: c.operator, values: [...(c.values ?? [])] })),
    threshold: (d) => d.input.threshold ?? null,
  },
};
