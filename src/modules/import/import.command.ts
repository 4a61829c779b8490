/**
 * `npm run import -- <file.csv> --domain <name> --type <objectType> [--mapping <type.json>]
 *  [--encoding auto|utf-8|shift_jis] [--suggest]`
 *
 * Imports a CSV straight into the database (DATABASE_URL, or the embedded one) with a progress bar.
 * `--suggest` prints a reviewed-before-use putObjectType input for the file's headers; `--mapping`
 * applies such a file (creating or replacing the type) before importing. Exit code 0 when every row
 * landed, 2 when some rows were reported bad (the good ones landed), 1 on errors.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { withCliDomain } from '../../cli-domain.js';
import type { PutObjectTypeInput } from '../../generated/resolvers-types.js';
import { putObjectType } from '../object-type/object-type.service.js';
import { readHeaders, type CsvEncoding } from './csv.js';
import { importCsv } from './import.service.js';
import { suggestMapping } from './suggest.js';

export async function runImportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      domain: { type: 'string' },
      type: { type: 'string' },
      mapping: { type: 'string' },
      encoding: { type: 'string', default: 'auto' },
      suggest: { type: 'boolean', default: false },
    },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: import <file.csv> --domain <name> --type <objectType> [--mapping type.json] [--encoding auto|utf-8|shift_jis] [--suggest]');
    return 1;
  }
  const encoding = values.encoding as CsvEncoding;
  if (!['auto', 'utf-8', 'shift_jis'].includes(encoding)) {
    console.error('--encoding must be auto, utf-8 or shift_jis');
    return 1;
  }
  if (values.suggest) {
    const headers = await readHeaders(createReadStream(file), encoding);
    console.log(JSON.stringify(suggestMapping(headers, values.type ?? 'Imported'), null, 2));
    return 0;
  }
  const mapping = values.mapping ? (JSON.parse(readFileSync(values.mapping, 'utf8')) as PutObjectTypeInput & { objectType?: PutObjectTypeInput }) : null;
  const typeInput = mapping?.objectType ?? mapping;
  const typeName = values.type ?? typeInput?.name;
  if (!values.domain || !typeName) {
    console.error('--domain and --type (or a --mapping file with a name) are required');
    return 1;
  }
  return withCliDomain(values.domain, async (scope) => {
    if (typeInput) await putObjectType(scope, { ...typeInput, name: typeName });
    const total = statSync(file).size;
    const stream = createReadStream(file);
    let bytes = 0;
    stream.on('data', (chunk) => (bytes += chunk.length));
    const bar = new cliProgress.SingleBar(
      { format: 'import [{bar}] {percentage}% | {rows} rows | {failed} bad | {eta_formatted} left', hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rows: 0, failed: 0 });
    const started = Date.now();
    const result = await importCsv(scope, stream, {
      objectType: typeName,
      encoding,
      progressEvery: 200,
      onProgress: (c) => bar.update(bytes, { rows: c.rows, failed: c.failed }),
    });
    bar.update(total, { rows: result.counts.rows, failed: result.counts.failed });
    bar.stop();
    const secs = (Date.now() - started) / 1000;
    const c = result.counts;
    console.log(
      `${c.rows} rows in ${secs.toFixed(1)} s (${Math.round(c.rows / Math.max(secs, 0.001))} rows/s): ${c.attached} attached, ${c.createdProfiles} new profiles, ${c.unchanged} unchanged, ${c.failed} bad.`,
    );
    for (const e of result.errors.slice(0, 50)) console.log(`  line ${e.line}: ${e.reason}`);
    if (result.errors.length > 50) console.log(`  … and ${c.failed - 50} more (see deadLetters in the API)`);
    return c.failed > 0 ? 2 : 0;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await runImportCommand(process.argv.slice(2));
}
