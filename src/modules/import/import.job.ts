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

/**
 * What an import job runs with (its params, shown to the domain as `Job.params`): never a server
 * path. The handler finds the file at run time from the instance's settings.
 */
export interface ImportParams {
  [key: string]: unknown;
  objectType: string;
  encoding: CsvEncoding;
  /** A server-side file: its path relative to the domain's import folder, as the caller gave it. */
  path?: string;
  /** A file uploaded with the request: its opaque id (the file is deleted when the job ends). */
  upload?: string;
  /** `text` for `content` (stored as UTF-16 so every character survives), `bytes` for `contentBase64`. */
  uploadKind?: 'text' | 'bytes';
  /** Validate and count only; write nothing. */
  dryRun?: boolean;
  /** True when the file was uploaded with the request. */
  uploaded: boolean;
  /** What the caller named, for display: the relative path, or "upload". */
  source: string;
}

export function domainImportDir(settings: ImportSettings, domainName: string): string {
  return path.join(settings.importDir, domainName);
}

const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function uploadFile(settings: ImportSettings, domainId: string, id: string): string {
  return path.join(settings.importDir, '.uploads', domainId, `${id}.csv`);
}

/**
 * The absolute path of a server-side import file, which must be a file inside the domain's import
 * folder (symbolic links resolved). Errors name only the caller's relative path, never the server's.
 */
async function resolveDomainFile(settings: ImportSettings, domainName: string, relative: string): Promise<string> {
  const root = domainImportDir(settings, domainName);
  const candidate = path.resolve(root, relative);
  const real = await realpath(candidate).catch(() => null);
  const realRoot = await realpath(root).catch(() => root);
  const isFile = real !== null && (await stat(real).then((st) => st.isFile()).catch(() => false));
  if (!real || !(real + path.sep).startsWith(realRoot + path.sep) || !isFile) {
    throw badInput(`path "${relative}" is not a file in this domain's import folder.`, 'path');
  }
  return real;
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
  input: { objectType: string; encoding: CsvEncoding; path?: string | null; content?: string | null; contentBase64?: string | null; dryRun?: boolean | null },
): Promise<JobRow> {
  await requireObjectType(scope, input.objectType);
  const given = [input.path, input.content, input.contentBase64].filter((v) => v !== null && v !== undefined).length;
  if (given !== 1) throw badInput('Give exactly one of path, content or contentBase64.', 'path');
  const params: ImportParams = { objectType: input.objectType, encoding: input.encoding, uploaded: false, source: input.path ?? 'upload' };
  if (input.dryRun) params.dryRun = true;
  let uploaded: string | null = null;
  if (input.path != null) {
    await resolveDomainFile(settings, scope.domain.name, input.path);
    params.path = input.path;
  } else {
    const size = input.content != null ? Buffer.byteLength(input.content) : Buffer.byteLength(input.contentBase64!, 'base64');
    if (size > settings.maxUploadBytes) throw badInput(`The upload is larger than ${settings.maxUploadBytes} bytes; place the file in the import folder and pass its path.`, 'content');
    // Text is kept as UTF-16 code units: a lone surrogate in it is then reported on its row
    // instead of turning into U+FFFD on the way to the file.
    const bytes = input.content != null ? Buffer.from(input.content, 'utf16le') : Buffer.from(input.contentBase64!, 'base64');
    const id = randomUUID();
    uploaded = uploadFile(settings, scope.domain.id, id);
    await mkdir(path.dirname(uploaded), { recursive: true });
    await writeFile(uploaded, bytes, { mode: 0o600 });
    Object.assign(params, { upload: id, uploadKind: input.content != null ? 'text' : 'bytes', uploaded: true });
  }
  try {
    return await runner.enqueue(scope, 'IMPORT', params);
  } catch (err) {
    if (uploaded) await rm(uploaded, { force: true });
    throw err;
  }
}

/** The file a job reads and how to decode it, resolved now (a path is checked again: it may have changed). */
async function jobSource(settings: ImportSettings, scope: DomainScope, params: ImportParams): Promise<{ file: string; encoding: CsvEncoding }> {
  if (params.upload !== undefined) {
    if (!UPLOAD_ID.test(params.upload)) throw badInput('The job names no valid upload.', 'upload');
    return { file: uploadFile(settings, scope.domain.id, params.upload), encoding: params.uploadKind === 'text' ? 'utf-16le' : params.encoding };
  }
  if (typeof params.path === 'string') return { file: await resolveDomainFile(settings, scope.domain.name, params.path), encoding: params.encoding };
  // Jobs queued before paths left the params.
  if (typeof params.file === 'string') return { file: params.file, encoding: params.encoding };
  throw badInput('The job names no file to import.', 'path');
}

/**
 * The IMPORT job: streams the file through importCsv, reporting counts, progress and bad rows. At
 * each progress checkpoint a cancel request ends it (rows written so far stay) and a shutdown hands
 * it back to the queue; re-running an import is idempotent, so the next worker simply starts over.
 * Counts and row errors are recorded after every batch, so a job that fails keeps what it did.
 */
export function importJobHandler(settings: ImportSettings) {
  return async (ctx: JobContext): Promise<Record<string, unknown>> => {
    const params = ctx.job.params as unknown as ImportParams;
    const resolved = settings;
    let requeued = false;
    let file: string | null = null;
    try {
      const source = await jobSource(resolved, ctx.scope, params);
      file = source.file;
      const stream = createReadStream(file);
      // Opening fails asynchronously; its message would name the server path.
      const opened = await new Promise<boolean>((resolve) => stream.once('open', () => resolve(true)).once('error', () => resolve(false)));
      if (!opened) throw badInput(params.upload !== undefined ? 'The uploaded file is gone; start the import again.' : `path "${params.path}" cannot be read.`, 'path');
      const result = await importCsv(ctx.scope, stream, {
        objectType: params.objectType,
        encoding: source.encoding,
        dryRun: params.dryRun === true,
        onProgress: async (counts) => {
          ctx.setCounts({ ...counts });
          await ctx.progress(counts.rows, null);
          await ctx.checkpoint();
        },
        onCounts: (counts) => ctx.setCounts({ ...counts }),
        onRowError: (line, reason) => ctx.rowError(line, reason),
      });
      ctx.setCounts({ ...result.counts });
      await ctx.progress(result.counts.rows, result.counts.rows);
      return { ...result.counts };
    } catch (err) {
      // Handed back to the queue (shutdown) or started over after a lost connection: keep the upload.
      if (err instanceof JobInterruptedError || ctx.willRetry(err)) requeued = true;
      throw err;
    } finally {
      if (params.upload !== undefined && !requeued && file) await rm(file, { force: true });
      else if (params.uploaded && !requeued && typeof params.file === 'string') await rm(params.file, { force: true });
    }
  };
}
