import { badInput } from '../../errors.js';
import type { Resolvers } from '../../generated/resolvers-types.js';
import { domainScope } from '../../graphql/context.js';
import type { CsvEncoding } from './csv.js';
import { findJob } from '../jobs/job.service.js';
import { startImport } from './import.job.js';
import { importCsv } from './import.service.js';
import { suggestMapping } from './suggest.js';

const ENCODINGS: Record<string, CsvEncoding> = { AUTO: 'auto', UTF_8: 'utf-8', SHIFT_JIS: 'shift_jis' };

export const importResolvers: Resolvers = {
  Query: {
    suggestMapping: (_p, { headers, typeName }, ctx) => {
      domainScope(ctx);
      if (headers.length === 0 || headers.length > 500) throw badInput('Give 1–500 headers.', 'headers');
      const name = typeName ?? 'Imported';
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,55}$/.test(name)) throw badInput('typeName must start with a letter and use letters, digits, "-" or "_".', 'typeName');
      return suggestMapping(headers, name);
    },
    importJob: async (_p, { id }, ctx) => {
      const job = await findJob(domainScope(ctx), id);
      return job && job.kind === 'IMPORT' ? job : null;
    },
  },
  Mutation: {
    importCsv: (_p, { input }, ctx) => {
      const scope = domainScope(ctx);
      if ((input.content == null) === (input.contentBase64 == null)) throw badInput('Give exactly one of content or contentBase64.', 'content');
      // Text goes in as text: a lone surrogate in it is reported on its row, not turned into U+FFFD.
      const source = input.content != null ? [input.content] : [Buffer.from(input.contentBase64!, 'base64')];
      return importCsv(scope, source, { objectType: input.objectType, encoding: ENCODINGS[input.encoding ?? 'AUTO'] ?? 'auto', dryRun: input.dryRun === true });
    },
    startImport: (_p, { input }, ctx) =>
      startImport(domainScope(ctx), ctx.app.jobs, ctx.app.imports, { ...input, encoding: ENCODINGS[input.encoding ?? 'AUTO'] ?? 'auto' }),
  },
};
