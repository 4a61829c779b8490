/**
 * `profilegraph export --domain <name> --type <objectType> [--type …] [--format jsonl|csv]
 *  [--from <ISO>] [--to <ISO>] --out <file|folder> [--quiet]` (options: src/cli.ts).
 *
 * Runs the same streaming export as the export job, straight against the database (DATABASE_URL, or
 * the embedded one in PROFILEGRAPH_DATA_DIR), with a progress bar on stderr and one summary line per
 * file on stdout. One --type writes to --out; several write <out>/<type>.<ext> into --out as a
 * folder. Exit code 0 on success, 1 on errors.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CliError, ExitCode, progressBar, withCliDomain } from '../../cli-domain.js';
import { exportTotal, exportType, fileSink, validateExport } from './export.service.js';

export interface ExportCommandOptions {
  domain: string;
  type: string[];
  format: 'JSONL' | 'CSV';
  from?: string;
  to?: string;
  out: string;
  quiet?: boolean;
}

function date(value: string | undefined, option: string): Date | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new CliError(`--${option} "${value}" is not a date (use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z).`);
  return d;
}

export async function exportCommand(opts: ExportCommandOptions): Promise<number> {
  const from = date(opts.from, 'from');
  const to = date(opts.to, 'to');
  const out = opts.out;
  return withCliDomain(opts.domain, async (scope) => {
    const params = await validateExport(scope, { objectTypes: opts.type, format: opts.format, from, to });
    const total = await exportTotal(scope, params.objectTypes, params);
    const bar = progressBar('export [{bar}] {percentage}% | {value}/{total} rows | {type} | {eta_formatted} left', opts.quiet);
    const ext = params.format === 'CSV' ? 'csv' : 'jsonl';
    const several = params.objectTypes.length > 1;
    try {
      if (several) mkdirSync(out, { recursive: true });
      else mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    } catch (err) {
      throw new CliError(`cannot create ${several ? out : path.dirname(out)}: ${(err as Error).message}`);
    }
    bar?.start(Math.max(total, 1), 0, { type: params.objectTypes[0] });
    let done = 0;
    const written: string[] = [];
    try {
      for (const objectType of params.objectTypes) {
        const file = several ? path.join(out, `${objectType.replace(/[^A-Za-z0-9_.-]/g, '_')}.${ext}`) : out;
        const sink = await fileSink(file).catch((err: unknown) => {
          throw new CliError(`cannot write ${file}: ${(err as Error).message}`);
        });
        try {
          const r = await exportType(scope, objectType, params.format, params, sink, {
            onRows: (rows) => bar?.update(done + rows, { type: objectType }),
          });
          done += r.rows;
          written.push(`${file}: ${r.rows} ${objectType} rows, ${r.bytes} bytes`);
        } finally {
          await sink.close();
        }
      }
      bar?.update(Math.max(done, 1));
    } finally {
      bar?.stop();
    }
    for (const w of written) console.log(w);
    return ExitCode.OK;
  });
}
