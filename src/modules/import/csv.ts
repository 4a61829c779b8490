import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import { badInput } from '../../errors.js';

export type CsvEncoding = 'auto' | 'utf-8' | 'shift_jis';

/** Header as used in object paths: '.', '{' and '}' would break `_source.<header>`, so they become '_'. */
export function cleanHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().replace(/[.{}]/g, '_');
}

/**
 * Decodes bytes to text: UTF-8 (with or without BOM) or Shift_JIS. `auto` picks Shift_JIS when the
 * first chunk is not valid UTF-8 (what Excel in Japan writes by default).
 */
class Decode extends Transform {
  private decoder: InstanceType<typeof TextDecoder> | null = null;
  constructor(private readonly encoding: CsvEncoding) {
    super({ decodeStrings: true, readableObjectMode: false });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.decoder) {
      let enc: string = this.encoding === 'auto' ? 'utf-8' : this.encoding;
      if (this.encoding === 'auto') {
        const bom = chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
        if (!bom) {
          try {
            // Drop a possibly cut multi-byte character at the end before checking.
            new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, Math.max(0, chunk.length - 4)));
          } catch {
            enc = 'shift_jis';
          }
        }
      }
      this.decoder = new TextDecoder(enc, { ignoreBOM: false });
    }
    cb(null, this.decoder.decode(chunk, { stream: true }));
  }
  override _flush(cb: TransformCallback): void {
    cb(null, this.decoder?.decode() ?? '');
  }
}

export type CsvRow = { line: number; record: Record<string, string> } | { line: number; error: string };

/**
 * Streams a CSV file as records keyed by header, with the line each record starts on. A row with the
 * wrong number of columns is reported (not thrown) so the rest of the file still lands; a syntax
 * error that makes the rest unreadable (an unclosed quote) ends the stream with an error row.
 */
export async function* readCsv(input: Readable, encoding: CsvEncoding = 'auto'): AsyncGenerator<CsvRow, string[]> {
  const parser = input.pipe(new Decode(encoding)).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }),
  );
  let headers: string[] | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; records: number } }>) {
      if (!headers) {
        headers = record.map(cleanHeader);
        const dup = headers.find((h, i) => headers!.indexOf(h) !== i);
        if (dup !== undefined) throw badInput(`The header row names column "${dup}" twice.`, 'file');
        if (headers.some((h) => h === '')) throw badInput('The header row has an empty column name.', 'file');
        continue;
      }
      const line = info.lines - (record.join('').split('\n').length - 1);
      if (record.length !== headers.length) {
        yield { line, error: `expected ${headers.length} columns, found ${record.length}` };
        continue;
      }
      const out: Record<string, string> = {};
      headers.forEach((h, i) => {
        const v = record[i];
        if (v !== undefined && v !== '') out[h] = v;
      });
      yield { line, record: out };
    }
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('CSV_')) {
      const e = err as { lines?: number; message: string };
      yield { line: e.lines ?? 0, error: `unreadable CSV from here on: ${e.message}` };
    } else throw err;
  }
  return headers ?? [];
}

/** The header row of a CSV, for mapping suggestions. */
export async function readHeaders(input: Readable, encoding: CsvEncoding = 'auto'): Promise<string[]> {
  const parser = input.pipe(new Decode(encoding)).pipe(parse({ bom: true, to_line: 1, relax_column_count: true }));
  for await (const record of parser as AsyncIterable<string[]>) {
    input.destroy();
    return record.map(cleanHeader);
  }
  return [];
}
