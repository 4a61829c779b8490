import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import { publicExportResult, startExport } from './export.service.js';

/** The HTTP path a domain downloads an export file from (served by export.download.ts). */
export const downloadPathOf = (jobId: string, name: string) => `/exports/${jobId}/${name}`;

export const exportResolvers: Resolvers = {
  Mutation: {
    startExport: (_p, { input }, ctx) => startExport(domainScope(ctx), ctx.app.jobs, input),
  },
  Job: {
    // An export's result as tenants see it: file names, never server paths (older rows held some).
    result: (j) => (j.kind === 'EXPORT' && j.result ? publicExportResult(j.result) : j.result),
    export: (j) => {
      if (j.kind !== 'EXPORT' || j.status !== 'SUCCEEDED') return null;
      const r = publicExportResult(j.result);
      if (!r) return null;
      return {
        format: r.format,
        rows: r.rows,
        directory: downloadPathOf(j.id, ''),
        files: r.files.map((f) => ({ ...f, path: f.name, downloadPath: downloadPathOf(j.id, f.name) })),
      };
    },
  },
};
