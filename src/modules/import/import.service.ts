import { ingestBulk, validateRows, type BulkRow } from '../ingest/bulk.js';
import { storableText } from '../ingest/dead-letter.js';
import { requireObjectType } from '../object-type/object-type.service.js';
import type { DomainScope } from '../scope.js';
import { readCsv, type CsvEncoding, type CsvInput } from './csv.js';

export interface ImportCounts {
  rows: number;
  attached: number;
  createdProfiles: number;
  unchanged: number;
  failed: number;
}

export interface ImportResult {
  counts: ImportCounts;
  /** Bad rows with their line numbers (the first `maxErrors`; `counts.failed` has them all). */
  errors: { line: number; reason: string }[];
}

export interface ImportOptions {
  objectType: string;
  encoding?: CsvEncoding;
  /** Called every `progressEvery` rows and at the end. */
  onProgress?: (counts: ImportCounts) => void | Promise<void>;
  progressEvery?: number;
  maxErrors?: number;
  /** Called for every bad row, in line order, once its batch is done. */
  onRowError?: (line: number, reason: string) => void;
  /**
   * Called with the counts after every batch (written or validated) and at the end: what a caller
   * keeps if the import stops on an error (a job records them on its row).
   */
  onCounts?: (counts: ImportCounts) => void;
  /** Rows written per transaction (bulk path). */
  batchSize?: number;
  /**
   * Validate every row (parse, sanitation, mapping, key values: everything that needs no write)
   * and count rows and failed ones, writing nothing: no objects, profiles, dead letters or events
   * (CLI `--dry-run`). Decisions that depend on stored data are not made, so attached,
   * createdProfiles and unchanged stay 0.
   */
  dryRun?: boolean;
}

/**
 * Imports a CSV into an object type: each row is an object keyed by the header, ingested with the
 * type's keys and mappings. Good rows land; a bad row is reported with its line number and reason
 * (and dead-lettered): rows are validated before their batch is written, and a row the database
 * still refuses is isolated by ingestBulk, so one row never sinks its batch. Re-running the same
 * file changes nothing: rows are idempotent on the type's UNIQUE key and identical objects are
 * skipped. Input is the file's bytes (decoded per `encoding`) or its text.
 */
export async function importCsv(scope: DomainScope, input: CsvInput, opts: ImportOptions): Promise<ImportResult> {
  const type = await requireObjectType(scope, opts.objectType);
  const counts: ImportCounts = { rows: 0, attached: 0, createdProfiles: 0, unchanged: 0, failed: 0 };
  const errors: ImportResult['errors'] = [];
  const maxErrors = opts.maxErrors ?? 1000;
  const every = opts.progressEvery ?? 500;
  // Bad rows of the current batch, reported in line order when the batch is written.
  let pending: { line: number; reason: string }[] = [];
  const fail = (line: number, reason: string) => {
    counts.failed++;
    // Reasons may quote the row's text: keep them storable (a job keeps them in jsonb) and short.
    pending.push({ line, reason: storableText(reason, 500) });
  };
  const report = () => {
    pending.sort((x, y) => x.line - y.line);
    for (const e of pending) {
      opts.onRowError?.(e.line, e.reason);
      if (errors.length < maxErrors) errors.push(e);
    }
    pending = [];
  };
  const batchSize = opts.batchSize ?? 1000;
  let batch: BulkRow[] = [];
  let sinceProgress = 0;
  const flush = async () => {
    if (batch.length > 0 && opts.dryRun) {
      for (const p of validateRows(scope, type, batch)) fail(p.index, p.reason);
    } else if (batch.length > 0) {
      for (const r of await ingestBulk(scope, type, batch)) {
        if (r.outcome === 'DEAD_LETTERED') fail(r.index, r.reason ?? 'not ingested');
        else if (r.unchanged) counts.unchanged++;
        else if (r.outcome === 'CREATED_PROFILE') counts.createdProfiles++;
        else counts.attached++;
      }
    }
    batch = [];
    report();
    opts.onCounts?.({ ...counts });
  };
  for await (const row of readCsv(input, opts.encoding)) {
    counts.rows++;
    sinceProgress++;
    if ('error' in row) fail(row.line, row.error);
    else batch.push({ index: row.line, object: row.record });
    if (batch.length >= batchSize) await flush();
    if (sinceProgress >= every) {
      sinceProgress = 0;
      // A job's progress callback is also its checkpoint: it throws to cancel (rows written stay).
      await opts.onProgress?.(counts);
    }
  }
  await flush();
  await opts.onProgress?.(counts);
  return { counts, errors };
}
