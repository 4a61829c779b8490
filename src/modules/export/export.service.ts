import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';
import { badInput } from '../../errors.js';
import { JobCancelledError, type JobContext, type JobRunner } from '../jobs/job-runner.js';
import { domainRowById, isCancelRequested, type JobRow } from '../jobs/job.repository.js';
import { requireObjectType } from '../object-type/object-type.service.js';
import type { DomainScope } from '../scope.js';
import { requireSegment, segmentExportFilter } from '../segment/segment.service.js';
import { flatCsv, jsonl, objectCsv, profileCsv, type ExportFormat, type RecordFormatter } from './export.format.js';
import {
  BUILT_IN_EXPORTS,
  exportCount,
  exportJsonKeys,
  exportPage,
  relatedFieldNames,
  type BuiltInExport,
  type Window,
} from './export.repository.js';

/** What an export job is started with (stored as the job's params). */
export interface ExportParams {
  objectTypes: string[];
  format: ExportFormat;
  /** ISO 8601; records whose updatedAt is in [from, to). */
  from: string | null;
  to: string | null;
  /** Only the profiles in this segment when the export runs (a snapshot of the segment; profile exports only). */
  segment?: string | null;
}

/**
 * One file of a finished export, as stored in the job's result (which tenants read): its name only.
 * The file is `<export dir>/<domain id>/<job id>/<name>` ({@link exportFilePath}); server paths are
 * never stored in the job, so they never reach a tenant.
 */
export interface ExportFile {
  objectType: string;
  /** File name in the job's folder (`profile.csv`): letters, digits, `_`, `.` and `-` only. */
  name: string;
  bytes: number;
  rows: number;
}

/** An export job's result. */
export interface ExportResult {
  [key: string]: unknown;
  format: ExportFormat;
  files: ExportFile[];
  rows: number;
}

type Target = { builtIn: BuiltInExport } | { objectType: string };

export interface ExportSettings {
  /** Root folder; each domain gets its own subfolder. */
  exportDir: string;
}

const PAGE = 1000;
const MAX_TYPES = 50;

const isBuiltIn = (name: string): name is BuiltInExport => (BUILT_IN_EXPORTS as readonly string[]).includes(name);
const targetOf = (name: string): Target => (isBuiltIn(name) ? { builtIn: name } : { objectType: name });
const windowOf = (p: Pick<ExportParams, 'from' | 'to'>): Window => ({ from: p.from ? new Date(p.from) : null, to: p.to ? new Date(p.to) : null });

/** The window with a segment's filter when the export names one. */
async function windowFor(scope: DomainScope, p: Pick<ExportParams, 'from' | 'to' | 'segment'>): Promise<Window> {
  const w = windowOf(p);
  if (p.segment) w.profiles = await segmentExportFilter(scope, p.segment);
  return w;
}

/** Checks an export request: known types (built-in or this domain's object types) and a sane window. */
export async function validateExport(
  scope: DomainScope,
  input: { objectTypes: readonly string[]; format?: ExportFormat | null; from?: Date | null; to?: Date | null; segment?: string | null },
): Promise<ExportParams> {
  const names = [...new Set(input.objectTypes.map((t) => t.trim()))];
  if (names.length === 0) throw badInput('Name at least one object type to export (profile, contact, case, order or a custom object type).', 'objectTypes');
  if (names.length > MAX_TYPES) throw badInput(`Export at most ${MAX_TYPES} object types at once.`, 'objectTypes');
  for (const name of names) {
    if (!isBuiltIn(name)) await requireObjectType(scope, name);
  }
  if (input.from && input.to && input.from >= input.to) throw badInput('"from" must be before "to".', 'from');
  const segment = input.segment ?? null;
  if (segment !== null) {
    if (names.length !== 1 || names[0] !== 'profile') throw badInput('A segment export exports profiles: objectTypes must be ["profile"].', 'objectTypes');
    await requireSegment(scope, segment);
  }
  return {
    objectTypes: names,
    format: input.format ?? 'JSONL',
    from: input.from?.toISOString() ?? null,
    to: input.to?.toISOString() ?? null,
    ...(segment !== null ? { segment } : {}),
  };
}

/** Queues an export job (LIMIT_EXCEEDED past the domain's cap of queued + running exports). */
export async function startExport(scope: DomainScope, runner: JobRunner, input: Parameters<typeof validateExport>[1]): Promise<JobRow> {
  const params = await validateExport(scope, input);
  return runner.enqueue(scope, 'EXPORT', { ...params });
}

/** Where a domain's export files live; nothing of another domain is ever under it. */
export function domainExportDir(settings: ExportSettings, domainId: string): string {
  return path.resolve(settings.exportDir, domainId);
}

/** What an export file may be called: what {@link fileNameOf} produces, never `.`/`..` or a path. */
const FILE_NAME = /^(?!\.)[A-Za-z0-9_.-]{1,255}$/;

/**
 * The server path of a file of a domain's export job, or null when `name` is not a plain file name
 * (a path, `..`, a NUL …). The caller must have checked that the job is the domain's.
 */
export function exportFilePath(settings: ExportSettings, domainId: string, jobId: string, name: string): string | null {
  if (!FILE_NAME.test(name)) return null;
  return path.join(domainExportDir(settings, domainId), jobId, name);
}

/**
 * A stored export result as tenants may see it: file names only. Results written before names were
 * stored carried absolute server paths (`directory`, `files[].path`); those are reduced to the name.
 */
export function publicExportResult(stored: Record<string, unknown> | null | undefined): ExportResult | null {
  if (!stored || !Array.isArray(stored.files)) return null;
  const files = (stored.files as Record<string, unknown>[]).map((f) => ({
    objectType: String(f.objectType),
    name: typeof f.name === 'string' ? f.name : path.basename(String(f.path ?? '')),
    bytes: Number(f.bytes ?? 0),
    rows: Number(f.rows ?? 0),
  }));
  return { format: stored.format === 'CSV' ? 'CSV' : 'JSONL', files, rows: Number(stored.rows ?? 0) };
}

async function formatterFor(scope: DomainScope, target: Target, format: ExportFormat, w: Window): Promise<RecordFormatter> {
  if (format === 'JSONL') return jsonl;
  const db = scope.database.db;
  if ('objectType' in target) return objectCsv(await exportJsonKeys(db, scope.domain.id, target, w));
  if (target.builtIn === 'profile') return profileCsv(await exportJsonKeys(db, scope.domain.id, { builtIn: 'profile' }, w));
  return flatCsv(relatedFieldNames(target.builtIn));
}

/** A destination for text, awaited so a slow disk slows the reader down instead of filling memory. */
export interface Sink {
  write(chunk: string): Promise<void>;
}

export interface ExportHooks {
  /** Called after each page with the rows written so far in this type. */
  onRows?(rows: number): Promise<void> | void;
  /** Called before each page; throws to stop (cancellation). */
  checkpoint?(): Promise<void>;
}

/**
 * Streams one object type of the domain into `sink` in pages of 1,000 rows (keyset on id), so memory
 * holds one page whatever the domain's size. Used by export jobs and by the CLI alike. The export
 * reads page by page, not from one snapshot: rows changed while it runs may or may not be in it.
 */
export async function exportType(
  scope: DomainScope,
  objectType: string,
  format: ExportFormat,
  window: Pick<ExportParams, 'from' | 'to' | 'segment'>,
  sink: Sink,
  hooks: ExportHooks = {},
): Promise<{ rows: number; bytes: number }> {
  const target = targetOf(objectType);
  const w = await windowFor(scope, window);
  const formatter = await formatterFor(scope, target, format, w);
  let bytes = 0;
  let rows = 0;
  const header = formatter.header();
  if (header) {
    await sink.write(header);
    bytes += Buffer.byteLength(header);
  }
  let after: string | null = null;
  for (;;) {
    await hooks.checkpoint?.();
    const page = await exportPage(scope.database.db, scope.domain.id, target, w, after, PAGE);
    if (page.length === 0) break;
    const chunk = page.map((r) => formatter.line(r.record)).join('');
    await sink.write(chunk);
    bytes += Buffer.byteLength(chunk);
    rows += page.length;
    after = page[page.length - 1]!.id;
    await hooks.onRows?.(rows);
    if (page.length < PAGE) break;
  }
  return { rows, bytes };
}

/** How many rows an export of these types will write (for progress bars). */
export async function exportTotal(scope: DomainScope, objectTypes: readonly string[], window: Pick<ExportParams, 'from' | 'to' | 'segment'>): Promise<number> {
  let total = 0;
  const w = await windowFor(scope, window);
  for (const t of objectTypes) total += await exportCount(scope.database.db, scope.domain.id, targetOf(t), w);
  return total;
}

/** Opens a file as a Sink. */
export async function fileSink(file: string): Promise<Sink & { close(): Promise<void> }> {
  const handle = await open(file, 'w');
  return {
    async write(chunk) {
      await handle.write(chunk);
    },
    close: () => handle.close(),
  };
}

const fileNameOf = (objectType: string, format: ExportFormat) =>
  `${objectType.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_')}.${format === 'CSV' ? 'csv' : 'jsonl'}`;

/**
 * The EXPORT job handler: one file per object type in <export dir>/<domain id>/<job id>/. A cancelled
 * or failed export removes its folder, so a folder that exists is complete. The job's result names
 * the files; it holds no server path.
 *
 * Deleting a domain deletes its job rows (a running export then counts as cancelled) before it
 * removes the domain's folder. So the export checks its row once more, uncached, after its last
 * write: if the row is gone or cancelled it removes what it wrote and, when the domain itself is
 * gone, the domain folder its `mkdir` may have re-created — nothing stays behind a deleted domain.
 */
export function exportJobHandler(settings: ExportSettings) {
  return async (ctx: JobContext): Promise<ExportResult> => {
    const params = ctx.job.params as unknown as ExportParams;
    const db = ctx.scope.database.db;
    const domainDir = domainExportDir(settings, ctx.scope.domain.id);
    const directory = path.join(domainDir, ctx.job.id);
    try {
      await rm(directory, { recursive: true, force: true });
      await mkdir(directory, { recursive: true });
      const total = await exportTotal(ctx.scope, params.objectTypes, params);
      await ctx.progress(0, total);
      const files: ExportFile[] = [];
      const counts: Record<string, number> = { rows: 0 };
      let done = 0;
      for (const objectType of params.objectTypes) {
        const name = fileNameOf(objectType, params.format);
        const sink = await fileSink(path.join(directory, name));
        try {
          const r = await exportType(ctx.scope, objectType, params.format, params, sink, {
            checkpoint: () => ctx.checkpoint(),
            onRows: async (rows) => {
              counts[`rows:${objectType}`] = rows;
              counts.rows = done + rows;
              ctx.setCounts(counts);
              await ctx.progress(done + rows, Math.max(total, done + rows));
            },
          });
          done += r.rows;
          counts[`rows:${objectType}`] = r.rows;
          counts.rows = done;
          ctx.setCounts(counts);
          files.push({ objectType, name, bytes: r.bytes, rows: r.rows });
        } finally {
          await sink.close();
        }
      }
      await ctx.progress(done, done);
      // Uncached (ctx.checkpoint reads the row at most every few hundred ms): every write is above.
      if (await isCancelRequested(db, ctx.job.id)) throw new JobCancelledError();
      return { format: params.format, files, rows: done };
    } catch (err) {
      // The job's own error decides its outcome (CANCELLED, FAILED, back to the queue): a cleanup that
      // fails too (the folder is not ours to remove, say) must not replace it.
      await rm(directory, { recursive: true, force: true }).catch(() => undefined);
      if (!(await domainRowById(db, ctx.scope.domain.id).catch(() => ctx.scope.domain))) {
        await rm(domainDir, { recursive: true, force: true }).catch(() => undefined);
      }
      throw err;
    }
  };
}
