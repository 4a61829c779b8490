import { addRow, ingestObjects, MAX_ROWS_PER_BATCH, newBatch, writeBatch, type IngestRow, type IngestRowResult, type PreparedBatch } from '../ingest/pipeline.js';
import { storableText } from '../ingest/dead-letter.js';
import { analyzeObjects } from '../ingest/pipeline.repository.js';
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
  /** Rows written per transaction (at most 4,096; default 1,000). */
  batchSize?: number;
  /**
   * Validate every row (parse, sanitation, mapping, key values: everything that needs no write)
   * and count rows and failed ones, writing nothing: no objects, profiles, dead letters or events
   * (CLI `--dry-run`). Decisions that depend on stored data are not made, so attached,
   * createdProfiles and unchanged stay 0.
   */
  dryRun?: boolean;
}

/** Rows read for one batch, with the records that could not be read (bad CSV) among them. */
interface ImportBatch {
  raw: IngestRow[];
  prepared: PreparedBatch;
  /** Bad rows found before writing: unreadable records and rows that fail validation. */
  errors: { line: number; reason: string }[];
}

/**
 * Imports a CSV into an object type: each row is an object keyed by the header, ingested with the
 * type's keys and mappings by the ingestion pipeline, in batches of `batchSize` rows. Good rows
 * land; a bad row is reported with its line number and reason (and dead-lettered): rows are
 * validated as they are read, and a row the database still refuses is isolated by the pipeline, so
 * one row never sinks its batch. Re-running the same file changes nothing: rows are idempotent on
 * the type's UNIQUE key and identical objects are skipped. Input is the file's bytes (decoded per
 * `encoding`) or its text.
 *
 * Reading and validating the next batch overlaps the database work of the one being written (at
 * most one batch is written at a time, in file order, so every batch sees what the ones before it
 * wrote).
 */
export async function importCsv(scope: DomainScope, input: CsvInput, opts: ImportOptions): Promise<ImportResult> {
  const type = await requireObjectType(scope, opts.objectType);
  const counts: ImportCounts = { rows: 0, attached: 0, createdProfiles: 0, unchanged: 0, failed: 0 };
  const errors: ImportResult['errors'] = [];
  const maxErrors = opts.maxErrors ?? 1000;
  const every = opts.progressEvery ?? 500;
  const batchSize = Math.min(opts.batchSize ?? 1000, MAX_ROWS_PER_BATCH);
  // While most rows of the last batch written came back unchanged (a re-run), the next batches are
  // prepared lazily: only up to their UNIQUE value until the look-up shows which rows changed.
  let mostlyUnchanged = false;
  const fresh = (): ImportBatch => ({ raw: [], prepared: newBatch(scope, type, mostlyUnchanged && !opts.dryRun), errors: [] });

  /** Counts a batch's results and reports its bad rows in line order, then its counts. */
  const finish = (batch: ImportBatch, results: readonly IngestRowResult[]) => {
    const bad = [...batch.errors];
    // Rows refused before writing are already in batch.errors.
    const known = new Set(batch.prepared.invalid.map((i) => i.row.index));
    mostlyUnchanged = results.filter((r) => r.unchanged).length * 2 > results.length;
    for (const r of results) {
      if (r.outcome === 'DEAD_LETTERED') {
        if (!known.has(r.index)) bad.push({ line: r.index, reason: r.reason ?? 'not ingested' });
      } else if (r.unchanged) counts.unchanged++;
      else if (r.outcome === 'CREATED_PROFILE') counts.createdProfiles++;
      else counts.attached++;
    }
    // Reasons may quote the row's text: keep them storable (a job keeps them in jsonb) and short.
    bad.sort((x, y) => x.line - y.line);
    for (const e of bad) {
      counts.failed++;
      const reason = storableText(e.reason, 500);
      opts.onRowError?.(e.line, reason);
      if (errors.length < maxErrors) errors.push({ line: e.line, reason });
    }
    opts.onCounts?.({ ...counts });
  };

  // Objects written since the planner last saw the table's size: re-analyzed each time that doubles.
  let analyzeAt = 1000;
  const maybeAnalyze = async () => {
    const written = counts.createdProfiles + counts.attached;
    if (written < analyzeAt) return;
    analyzeAt = written * 2;
    await analyzeObjects(scope.database.db);
  };

  /** The batch being written (at most one), and the error that ended it, if any. */
  let writing: Promise<void> = Promise.resolve();
  let failure: { err: unknown } | null = null;
  const flush = async (batch: ImportBatch) => {
    // The previous batch must be committed before this one looks anything up.
    await writing;
    if (failure) throw failure.err;
    if (opts.dryRun || (batch.raw.length === 0 && batch.errors.length === 0)) {
      finish(batch, []);
      return;
    }
    const write = type.builtIn ? ingestObjects(scope, type, batch.raw) : writeBatch(scope, batch.prepared, batch.raw);
    writing = write
      .then(async (results) => {
        finish(batch, results);
        await maybeAnalyze();
      })
      .catch((err: unknown) => {
        failure = { err };
      });
  };

  let batch = fresh();
  let sinceProgress = 0;
  try {
    for await (const row of readCsv(input, opts.encoding)) {
      counts.rows++;
      sinceProgress++;
      if ('error' in row) batch.errors.push({ line: row.line, reason: row.error });
      else {
        const ingestRow = { index: row.line, object: row.record };
        batch.raw.push(ingestRow);
        const reason = addRow(batch.prepared, ingestRow);
        if (reason !== null) batch.errors.push({ line: row.line, reason });
      }
      if (batch.raw.length >= batchSize) {
        await flush(batch);
        batch = fresh();
      }
      // Reading runs in long synchronous stretches (a whole chunk of the file): give the batch being
      // written its turns, so its next statement is sent when Postgres answers, not a chunk later.
      if (counts.rows % 32 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (sinceProgress >= every) {
        sinceProgress = 0;
        // A job's progress callback is also its checkpoint: it throws to cancel (rows written stay).
        await opts.onProgress?.(counts);
      }
    }
    await flush(batch);
    await writing;
    if (failure) throw (failure as { err: unknown }).err;
  } finally {
    // Stopping early (cancel, an error): the batch being written still ends before we return.
    await writing;
  }
  await opts.onProgress?.(counts);
  return { counts, errors };
}
