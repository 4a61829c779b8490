import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { badInput } from '../../errors.js';
import { JobInterruptedError, type JobContext, type JobRunner } from '../jobs/job-runner.js';
import type { JobRow } from '../jobs/job.repository.js';
import { requireObjectType } from '../object-type/object-type.service.js';
import type { DomainScope } from '../scope.js';
import type { CsvEncoding } from './csv.js';
import { importCsv } from './import.service.js';

export interface ImportSettings {
  /** Root of server-side import files: a domain reads only <importDir>/<domain name>/…; uploads go to <importDir>/.uploads. */
  importDir: string;
  /** Largest upload accepted in the request (bytes). */
  maxUploadBytes: number;
}

/** What an import job runs with (its params). */
export interface ImportParams {
  [key: string]: unknown;
  objectType: string;
  encoding: CsvEncoding;
  /** Absolute path of the CSV on the server. */
  file: string;
  /** True when the file was uploaded with the request (deleted when the job ends). */
  uploaded: boolean;
  /** What the caller named (server-side path relative to its domain folder), for display. */
  source: string;
}

export function domainImportDir(settings: ImportSettings, domainName: string): string {
  return path.join(settings.importDir, domainName);
}

/**
 * Queues a CSV import: from a file the operator placed in the domain's import folder (a path outside
 * it is refused), or from content uploaded with the request. Progress, counts, line-numbered bad rows
 * and cancellation go through the job.
 */
export async function startImport(
  scope: DomainScope,
  runner: JobRunner,
  settings: ImportSettings,
  input: { objectType: string; encoding: CsvEncoding; path?: string | null; content?: string | null; contentBase64?: string | null },
): Promise<JobRow> {
  await requireObjectType(scope, input.objectType);
  const given = [input.path, input.content, input.contentBase64].filter((v) => v !== null && v !== undefined).length;
  if (given !== 1) throw badInput('Give exactly one of path, content or contentBase64.', 'path');
  let file: string;
  let source: string;
  let uploaded = false;
  if (input.path != null) {
    const root = domainImportDir(settings, scope.domain.name);
    const candidate = path.resolve(root, input.path);
    let real: string | null = null;
    try {
      real = await realpath(candidate);
    } catch {
      real = null;
    }
    const realRoot = await realpath(root).catch(() => root);
    if (!real || !(real + path.sep).startsWith(realRoot + path.sep) || !(await stat(real)).isFile()) {
      throw badInput(`path "${input.path}" is not a file in this domain's import folder (${root}).`, 'path');
    }
    file = real;
    source = input.path;
  } else {
    const bytes = input.content != null ? Buffer.from(input.content, 'utf8') : Buffer.from(input.contentBase64!, 'base64');
    if (bytes.length > settings.maxUploadBytes) throw badInput(`The upload is larger than ${settings.maxUploadBytes} bytes; place the file in the import folder and pass its path.`, 'content');
    const dir = path.join(settings.importDir, '.uploads', scope.domain.id);
    await mkdir(dir, { recursive: true });
    file = path.join(dir, `${randomUUID()}.csv`);
    await writeFile(file, bytes, { mode: 0o600 });
    uploaded = true;
    source = 'upload';
  }
  const params: ImportParams = { objectType: input.objectType, encoding: input.encoding, file, uploaded, source };
  try {
    return await runner.enqueue(scope, 'IMPORT', params);
  } catch (err) {
    if (uploaded) await rm(file, { force: true });
    throw err;
  }
}

/**
 * The IMPORT job: streams the file through importCsv, reporting counts, progress and bad rows. At
 * each progress checkpoint a cancel request ends it (rows written so far stay) and a shutdown hands
 * it back to the queue; re-running an import is idempotent, so the next worker simply starts over.
 */
export function importJobHandler() {
  return async (ctx: JobContext): Promise<Record<string, unknown>> => {
    const params = ctx.job.params as unknown as ImportParams;
    let requeued = false;
    try {
      const result = await importCsv(ctx.scope, createReadStream(params.file), {
        objectType: params.objectType,
        encoding: params.encoding,
        onProgress: async (counts) => {
          ctx.setCounts({ ...counts });
          await ctx.progress(counts.rows, null);
          await ctx.checkpoint();
        },
        onRowError: (line, reason) => ctx.rowError(line, reason),
      });
      ctx.setCounts({ ...result.counts });
      await ctx.progress(result.counts.rows, result.counts.rows);
      return { ...result.counts };
    } catch (err) {
      if (err instanceof JobInterruptedError) requeued = true;
      throw err;
    } finally {
      if (params.uploaded && !requeued) await rm(params.file, { force: true });
    }
  };
}
