/**
 * `profilegraph import <file.csv> --domain <name> [--type <ObjectType>] [--mapping <type.json>]
 *  [--suggest] [--dry-run] [--encoding auto|utf-8|shift_jis] [--quiet]` (options: src/cli.ts).
 *
 * Imports a CSV straight into the database (DATABASE_URL, or the embedded one). Without --mapping
 * the object type is used as it is when it exists, else created from the file's headers exactly as
 * --suggest proposes (the mapping used is printed on stderr). --mapping applies a reviewed
 * putObjectType input (creating or replacing the type) first. --dry-run checks every row and writes
 * nothing. Progress on stderr, the summary and bad rows on stdout. Exit code 0 when every row
 * landed, 2 when some rows were bad (the good ones landed), 1 on errors.
 */
import { accessSync, constants, createReadStream, readFileSync, statSync, type ReadStream } from 'node:fs';
import path from 'node:path';
import { CliError, ExitCode, info, progressBar, withCliDomain } from '../../cli-domain.js';
import type { Db } from '../../db/database.js';
import type { PutObjectTypeInput } from '../../generated/resolvers-types.js';
import { getObjectType, putObjectType } from '../object-type/object-type.service.js';
import type { DomainScope } from '../scope.js';
import { readHeaders, type CsvEncoding } from './csv.js';
import { importCsv, type ImportResult } from './import.service.js';
import { suggestMapping, type MappingSuggestion } from './suggest.js';

export interface ImportCommandOptions {
  /** Required unless `suggest`. */
  domain?: string;
  type?: string;
  mapping?: string;
  suggest?: boolean;
  dryRun?: boolean;
  encoding?: CsvEncoding;
  quiet?: boolean;
}

/** Bad rows listed on stdout; the rest are counted (and in deadLetters). */
const LISTED_ERRORS = 50;

/** An object type name for a file: `customers.csv` → `Customers`, `demo-profiles.csv` → `DemoProfiles`. */
export function typeNameFromFile(file: string): string {
  const base = path.basename(file).replace(/\.[^.]*$/, '');
  const words = base.normalize('NFKC').split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return (/^[A-Za-z]/.test(name) ? name : `Imported${name}`).slice(0, 64);
}

/** Fails with one line when the CSV cannot be read (before any database work). */
function checkCsvFile(file: string): number {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`${file} is not a file.`);
    size = st.size;
    // Permission problems surface now rather than as a stream error half-way through.
    accessSync(file, constants.R_OK);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`cannot read ${file}: ${fsReason(err)}.`);
  }
  return size;
}

function fsReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (err as Error).message;
}

/** A --mapping file: a putObjectType input, or a whole --suggest output (its `objectType` is used). */
function readMapping(file: string): Partial<PutObjectTypeInput> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read mapping file ${file}: ${fsReason(err)} (write one with "profilegraph import <file.csv> --suggest > ${file}").`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    if (/^\s*> /.test(text)) {
      throw new CliError(
        `mapping file ${file} starts with npm's "> script" banner, not JSON: write it with "npm run -s import -- … --suggest > ${file}" (-s silences npm) or "bin/profilegraph import … --suggest > ${file}".`,
      );
    }
    throw new CliError(`mapping file ${file} is not valid JSON (${(err as Error).message}).`);
  }
  const candidate = (parsed as { objectType?: unknown } | null)?.objectType ?? parsed;
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) {
    throw new CliError(`mapping file ${file} must hold a putObjectType input (an object with "name", "fields" and "keys"), as --suggest writes.`);
  }
  return candidate as Partial<PutObjectTypeInput>;
}

/** The mapping, as lines for stderr. */
function describeMapping(s: MappingSuggestion): string[] {
  const width = Math.min(32, Math.max(...s.columns.map((c) => c.header.length)));
  const lines = s.columns.map((c) => {
    const target = c.target ?? '(kept on the object, not on the profile)';
    const kind = c.contentType === 'STRING' ? '' : ` (${c.contentType})`;
    return `  ${c.header.padEnd(width)} → ${target}${kind}`;
  });
  const keys = s.objectType.keys.map((k) => `${k.name} ${k.identifiers.join('+')} (${k.fieldNames.join(', ')})`);
  lines.push(`  keys: ${keys.length > 0 ? keys.join('; ') : 'none'}`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  return lines;
}

class RolledBack extends Error {}

/**
 * Runs `fn` in a transaction that is always rolled back: a dry run that must first define its
 * object type (new type, or --mapping) sees the definition, and nothing stays.
 */
async function inRolledBackTransaction<T>(scope: DomainScope, fn: (scope: DomainScope) => Promise<T>): Promise<T> {
  let out: { value: T } | null = null;
  try {
    await scope.database.db.transaction(async (tx) => {
      const txScope: DomainScope = { ...scope, database: { ...scope.database, db: tx as unknown as Db } };
      out = { value: await fn(txScope) };
      throw new RolledBack();
    });
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
  }
  if (!out) throw new Error('dry run produced no result');
  return (out as { value: T }).value;
}

export async function importCommand(file: string, opts: ImportCommandOptions): Promise<number> {
  const encoding = opts.encoding ?? 'auto';
  const size = checkCsvFile(file);
  if (opts.suggest) {
    const headers = await readHeaders(createReadStream(file), encoding);
    if (headers.length === 0) throw new CliError(`${file} has no header row.`);
    console.log(JSON.stringify(suggestMapping(headers, opts.type ?? typeNameFromFile(file)), null, 2));
    return ExitCode.OK;
  }
  if (!opts.domain) throw new CliError('--domain <name> is required to import (only --suggest works without it).');
  const mapping = opts.mapping ? readMapping(opts.mapping) : null;
  if (mapping && !opts.type && typeof mapping.name !== 'string') {
    throw new CliError(`mapping file ${opts.mapping} has no "name": add one, or pass --type <ObjectType>.`);
  }
  const typeName = opts.type ?? (mapping?.name as string | undefined) ?? typeNameFromFile(file);

  return withCliDomain(opts.domain, async (scope) => {
    // The definition to write before importing, if any.
    let define: PutObjectTypeInput | null = null;
    if (mapping) {
      define = { ...mapping, name: typeName } as PutObjectTypeInput;
    } else if (await getObjectType(scope, typeName)) {
      info(opts.quiet, `Importing into the existing object type "${typeName}" (its own mapping; --mapping replaces it).`);
    } else {
      const headers = await readHeaders(createReadStream(file), encoding);
      if (headers.length === 0) throw new CliError(`${file} has no header row.`);
      const suggestion = suggestMapping(headers, typeName);
      define = suggestion.objectType as PutObjectTypeInput;
      info(
        opts.quiet,
        [
          `Object type "${typeName}" ${opts.dryRun ? 'would be' : 'is'} created from the headers (review with --suggest, adjust with --mapping):`,
          ...describeMapping(suggestion),
        ].join('\n'),
      );
    }

    const run = async (s: DomainScope): Promise<ImportResult> => {
      if (define) await putObjectType(s, define);
      return importWithProgress(s, file, size, typeName, encoding, opts);
    };
    const started = Date.now();
    const result = opts.dryRun && define ? await inRolledBackTransaction(scope, run) : await run(scope);
    const secs = (Date.now() - started) / 1000;
    const c = result.counts;
    const rate = `${Math.round(c.rows / Math.max(secs, 0.001))} rows/s`;
    console.log(
      opts.dryRun
        ? // A dry run validates rows but makes no decision that depends on stored data (attach or create).
          `Dry run, nothing written: ${c.rows} rows checked in ${secs.toFixed(1)} s (${rate}): ${c.rows - c.failed} valid, ${c.failed} bad.`
        : `${c.rows} rows in ${secs.toFixed(1)} s (${rate}): ${c.attached} attached, ${c.createdProfiles} new profiles, ${c.unchanged} unchanged, ${c.failed} bad.`,
    );
    for (const e of result.errors.slice(0, LISTED_ERRORS)) console.log(`  line ${e.line}: ${e.reason}`);
    if (c.failed > LISTED_ERRORS) console.log(`  … and ${c.failed - LISTED_ERRORS} more (deadLetters in the API lists them all).`);
    return c.failed > 0 ? ExitCode.PARTIAL : ExitCode.OK;
  });
}

async function importWithProgress(
  scope: DomainScope,
  file: string,
  size: number,
  objectType: string,
  encoding: CsvEncoding,
  opts: ImportCommandOptions,
): Promise<ImportResult> {
  const bar = progressBar('import [{bar}] {percentage}% | {rows} rows | {failed} bad | {eta_formatted} left', opts.quiet);
  // The bar follows bytesRead: a 'data' listener here would switch the stream to flowing mode and
  // lose every chunk emitted before the importer starts reading.
  const stream: ReadStream = createReadStream(file);
  bar?.start(Math.max(size, 1), 0, { rows: 0, failed: 0 });
  try {
    const result = await importCsv(scope, stream, {
      objectType,
      encoding,
      dryRun: opts.dryRun === true,
      progressEvery: 200,
      onProgress: (c) => bar?.update(Math.min(stream.bytesRead, size), { rows: c.rows, failed: c.failed }),
    });
    bar?.update(Math.max(size, 1), { rows: result.counts.rows, failed: result.counts.failed });
    return result;
  } finally {
    bar?.stop();
    stream.destroy();
  }
}
