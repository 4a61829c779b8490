import path from 'node:path';
import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { startExport, type ExportResult } from './export.service.js';

export const exportResolvers: Resolvers = {
  Mutation: {
    startExport: (_p, { input }, ctx) => startExport(domainScope(ctx), ctx.app.jobs, input),
  },
  Job: {
    export: (j) => {
      if (j.kind !== 'EXPORT' || j.status !== 'SUCCEEDED' || !j.result) return null;
      const r = j.result as ExportResult;
      return { ...r, files: r.files.map((f) => ({ ...f, downloadPath: `/exports/${j.id}/${path.basename(f.path)}` })) };
    },
  },
};
