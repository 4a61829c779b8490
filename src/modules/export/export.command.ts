/**
 * `profilegraph export --domain <name> --type <objectType> [--type …] [--format jsonl|csv]
 *  [--from <ISO>] [--to <ISO>] --out <file>`
 *
 * Runs the same streaming export as the export job, straight against the database (DATABASE_URL, or
 * the embedded one in PROFILEGRAPH_DATA_DIR), with a progress bar on stderr. One --type writes to
 * --out; several write <out>/<type>.<ext> into --out as a folder. Exit code 0 on success, 1 on errors.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { withCliDomain } from '../../cli-domain.js';
import { exportTotal, exportType, fileSink, validateExport } from './export.service.js';

const USAGE = 'usage: profilegraph export --domain <name> --type <profile|contact|case|order|ObjectType> [--type …] [--format jsonl|csv] [--from ISO] [--to ISO] --out <file|folder>';

export async function runExportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      domain: { type: 'string' },
      type: { type: 'string', multiple: true },
      format: { type: 'string', default: 'jsonl' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const types = values.type ?? [];
  const format = values.format.toUpperCase();
  if (!values.domain || types.length === 0 || !values.out || (format !== 'JSONL' && format !== 'CSV')) {
    console.error(USAGE);
    return 1;
  }
  const date = (v: string | undefined, name: string): Date | null => {
    if (!v) return null;
    const d = new Date(v);
    if (Number.isNaN(d.getTime())) throw new Error(`--${name} is not a date: ${v}`);
    return d;
  };
  const out = values.out;
  return withCliDomain(values.domain, async (scope) => {
    const params = await validateExport(scope, { objectTypes: types, format, from: date(values.from, 'from'), to: date(values.to, 'to') });
    const total = await exportTotal(scope, params.objectTypes, params);
    const bar = new cliProgress.SingleBar(
      { format: 'export [{bar}] {percentage}% | {value}/{total} rows | {type} | {eta_formatted} left', hideCursor: true, stream: process.stderr, noTTYOutput: false },
      cliProgress.Presets.shades_classic,
    );
    if (!values.quiet) bar.start(Math.max(total, 1), 0, { type: params.objectTypes[0] });
    const ext = params.format === 'CSV' ? 'csv' : 'jsonl';
    if (params.objectTypes.length > 1) mkdirSync(out, { recursive: true });
    let done = 0;
    const written: string[] = [];
    for (const objectType of params.objectTypes) {
      const file = params.objectTypes.length > 1 ? path.join(out, `${objectType.replace(/[^A-Za-z0-9_.-]/g, '_')}.${ext}`) : out;
      const sink = await fileSink(file);
      try {
        const r = await exportType(scope, objectType, params.format, params, sink, {
          onRows: (rows) => {
            if (!values.quiet) bar.update(done + rows, { type: objectType });
          },
        });
        done += r.rows;
        written.push(`${file}: ${r.rows} rows, ${r.bytes} bytes`);
      } finally {
        await sink.close();
      }
    }
    if (!values.quiet) {
      bar.update(done);
      bar.stop();
    }
    for (const w of written) console.error(w);
    return 0;
  });
}
