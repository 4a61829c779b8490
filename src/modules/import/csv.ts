import { StringDecoder } from 'node:string_decoder';
import { badInput } from '../../errors.js';
import { stringProblem } from '../../sanitize.js';
import { restoreCsvCell } from '../export/export.format.js';

/**
 * How file bytes are decoded. `utf-16le` is internal: text uploaded in a request (`content`) is
 * kept in UTF-16 so a lone surrogate in it survives to be reported on its row.
 */
export type CsvEncoding = 'auto' | 'utf-8' | 'shift_jis' | 'utf-16le';

/** The longest record (characters, over all its lines); longer lines or records are bad rows. */
export const MAX_RECORD_CHARS = 1024 * 1024;
/** The most lines one record (a quoted field with line breaks) may span. */
export const MAX_RECORD_LINES = 1000;

/** Header as used in object paths: '.', '{' and '}' would break `_source.<header>`, so they become '_'. */
export function cleanHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().replace(/[.{}]/g, '_');
}

/** A CSV as bytes (decoded per encoding) or text, streamed or in memory. */
export type CsvInput = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

interface Decoder {
  write(chunk: Buffer): string;
  end(): string;
}

/**
 * Bytes to text: UTF-8 (with or without BOM) or Shift_JIS. `auto` picks Shift_JIS when the first
 * chunk is not valid UTF-8 (what Excel in Japan writes by default). Invalid bytes become U+FFFD.
 */
function decoderFor(encoding: CsvEncoding, first: Buffer): Decoder {
  if (encoding === 'utf-16le') {
    // Node's decoder keeps lone surrogates (TextDecoder would replace them).
    const d = new StringDecoder('utf16le');
    return { write: (b) => d.write(b), end: () => d.end() };
  }
  let enc: string = encoding === 'auto' ? 'utf-8' : encoding;
  if (encoding === 'auto') {
    const bom = first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
    if (!bom) {
      try {
        // Drop a possibly cut multi-byte character at the end before checking.
        new TextDecoder('utf-8', { fatal: true }).decode(first.subarray(0, Math.max(0, first.length - 4)));
      } catch {
        enc = 'shift_jis';
      }
    }
  }
  const d = new TextDecoder(enc, { ignoreBOM: false });
  return { write: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}

/** Text chunks of the input: strings pass as they are (no lossy round trip through bytes). */
async function* decode(input: CsvInput, encoding: CsvEncoding): AsyncGenerator<string> {
  let decoder: Decoder | null = null;
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      if (chunk) yield chunk;
      continue;
    }
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    decoder ??= decoderFor(encoding, buf);
    const text = decoder.write(buf);
    if (text) yield text;
  }
  const rest = decoder?.end();
  if (rest) yield rest;
}

/** One physical line: its 1-based number, text and terminator ('' at the end of the input). */
interface Line {
  no: number;
  text: string;
  eol: string;
  /** Longer than MAX_RECORD_CHARS: its text was dropped. */
  tooLong: boolean;
}

/** Splits text into lines (LF, CRLF or CR), holding at most MAX_RECORD_CHARS of an unfinished one. */
class LineSplitter {
  private carry = '';
  private no = 0;
  private tooLong = false;

  push(chunk: string, out: Line[]): void {
    let s = this.carry + chunk;
    if (this.no === 0 && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    const eol = /\r\n?|\n/g;
    let start = 0;
    for (let m = eol.exec(s); m; m = eol.exec(s)) {
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (m[0] === '\r' && m.index === s.length - 1) break;
      out.push({ no: ++this.no, text: this.tooLong ? '' : s.slice(start, m.index), eol: m[0], tooLong: this.tooLong });
      this.tooLong = false;
      start = m.index + m[0].length;
    }
    this.carry = s.slice(start);
    if (this.tooLong || this.carry.length > MAX_RECORD_CHARS) {
      // Drop the rest of an over-long line, keeping a final CR that may start its terminator.
      this.tooLong = true;
      this.carry = this.carry.endsWith('\r') ? '\r' : '';
    }
  }

  end(out: Line[]): void {
    if (this.carry || this.tooLong) out.push({ no: ++this.no, text: this.tooLong ? '' : this.carry, eol: '', tooLong: this.tooLong });
    this.carry = '';
    this.tooLong = false;
  }
}

/** A record (its fields) or a bad one (why), with the line it starts on. */
type RawRecord = { line: number; fields: string[] } | { line: number; error: string };

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just read a quote inside a quoted field: a second one is a literal quote, else the field ended. */
const QUOTE_IN_QUOTED = 3;
/** After a closed quoted field and spaces: only a comma or the end of the line may follow. */
const AFTER_QUOTED = 4;

/**
 * RFC 4180 records from lines, with recovery: a bad record (an unclosed quote, characters after a
 * closing quote, a wrong column count, too long) is reported on the line it starts on and reading
 * resumes on the next line, so one stray quote costs its own row, never the rows after it. Fields
 * are trimmed outside quotes; a quote inside an unquoted field is kept as a character.
 */
class RecordReader {
  /** Columns every record must have: the header's (the first record's). */
  private expected: number | null = null;
  /** Lines to read before new ones (those of a bad record after its first line). */
  private readonly queue: Line[] = [];
  /** The lines of the record being read. */
  private pending: Line[] = [];
  private chars = 0;
  private fields: string[] = [];
  private field = '';
  private mode = FIELD_START;

  feed(line: Line, out: RawRecord[]): void {
    this.queue.push(line);
    while (this.queue.length > 0) this.read(this.queue.shift()!, out);
  }

  /** End of input: a record still open has an unclosed quote. */
  end(out: RawRecord[]): void {
    while (this.pending.length > 0) {
      this.fail('a quoted field is not closed (a closing quote is missing)', out);
      while (this.queue.length > 0) this.read(this.queue.shift()!, out);
    }
  }

  /** Reports the record being read as bad and queues its lines after the first to be read again. */
  private fail(error: string, out: RawRecord[]): void {
    out.push({ line: this.pending[0]!.no, error });
    this.queue.unshift(...this.pending.slice(1));
    this.reset();
  }

  private reset(): void {
    this.pending = [];
    this.chars = 0;
    this.fields = [];
    this.field = '';
    this.mode = FIELD_START;
  }

  private complete(out: RawRecord[]): void {
    if (this.expected === null) this.expected = this.fields.length;
    else if (this.fields.length !== this.expected) {
      this.fail(`expected ${this.expected} columns, found ${this.fields.length}`, out);
      return;
    }
    // A cell exported with a formula guard (a leading ') gets its original value back.
    out.push({ line: this.pending[0]!.no, fields: this.fields.map(restoreCsvCell) });
    this.reset();
  }

  private read(line: Line, out: RawRecord[]): void {
    if (this.pending.length === 0) {
      if (line.tooLong) {
        out.push({ line: line.no, error: `the line is longer than ${MAX_RECORD_CHARS} characters` });
        return;
      }
      if (line.text.trim() === '') return; // empty lines are skipped
    }
    this.pending.push(line);
    this.chars += line.text.length;
    if (line.tooLong || this.pending.length > MAX_RECORD_LINES || this.chars > MAX_RECORD_CHARS) {
      this.fail(`a quoted field runs over more than ${MAX_RECORD_LINES} lines or ${MAX_RECORD_CHARS} characters (a closing quote is probably missing)`, out);
      return;
    }
    const t = line.text;
    const n = t.length;
    let i = 0;
    while (i < n) {
      switch (this.mode) {
        case FIELD_START: {
          const c = t.charCodeAt(i);
          if (c === 32 || c === 9) i++;
          else if (c === 34) {
            this.mode = QUOTED;
            i++;
          } else this.mode = UNQUOTED;
          break;
        }
        case UNQUOTED: {
          const comma = t.indexOf(',', i);
          if (comma === -1) {
            this.field += t.slice(i);
            i = n;
          } else {
            this.fields.push((this.field + t.slice(i, comma)).trimEnd());
            this.field = '';
            this.mode = FIELD_START;
            i = comma + 1;
          }
          break;
        }
        case QUOTED: {
          const q = t.indexOf('"', i);
          if (q === -1) {
            this.field += t.slice(i);
            i = n;
          } else {
            this.field += t.slice(i, q);
            this.mode = QUOTE_IN_QUOTED;
            i = q + 1;
          }
          break;
        }
        default: {
          const c = t.charCodeAt(i);
          if (c === 34 && this.mode === QUOTE_IN_QUOTED) {
            this.field += '"';
            this.mode = QUOTED;
            i++;
          } else if (c === 44) {
            this.fields.push(this.field);
            this.field = '';
            this.mode = FIELD_START;
            i++;
          } else if (c === 32 || c === 9) {
            this.mode = AFTER_QUOTED;
            i++;
          } else {
            const what = `a quote is followed by ${JSON.stringify(String.fromCodePoint(t.codePointAt(i)!))}`;
            this.fail(
              this.pending.length > 1
                ? `a quoted field opened on this line is not closed (on line ${line.no} ${what}); the lines after this one are read as rows`
                : `${what} after a quoted field: quote the whole field and double each quote inside it`,
              out,
            );
            return;
          }
        }
      }
    }
    switch (this.mode) {
      case QUOTED:
        // A line break inside quotes belongs to the field; the record goes on (end() reports it unclosed).
        this.field += line.eol;
        return;
      case UNQUOTED:
        this.fields.push(this.field.trimEnd());
        break;
      default:
        // FIELD_START: the line ended after a comma (an empty last field); or a closed quoted field.
        this.fields.push(this.field);
    }
    this.complete(out);
  }
}

/** Raw records of a CSV, read as a stream. */
async function* records(input: CsvInput, encoding: CsvEncoding): AsyncGenerator<RawRecord> {
  const splitter = new LineSplitter();
  const reader = new RecordReader();
  const lines: Line[] = [];
  const out: RawRecord[] = [];
  for await (const text of decode(input, encoding)) {
    splitter.push(text, lines);
    for (const l of lines) reader.feed(l, out);
    lines.length = 0;
    yield* out;
    out.length = 0;
  }
  splitter.end(lines);
  for (const l of lines) reader.feed(l, out);
  reader.end(out);
  yield* out;
}

export type CsvRow = { line: number; record: Record<string, string> } | { line: number; error: string };

function headersOf(rec: RawRecord): string[] {
  if ('error' in rec) throw badInput(`The header row (line ${rec.line}) cannot be read: ${rec.error}.`, 'file');
  const headers = rec.fields.map(cleanHeader);
  headers.forEach((h, i) => {
    const problem = stringProblem(h, 1024);
    if (problem) throw badInput(`The header row's column ${i + 1} ${problem}.`, 'file');
  });
  const dup = headers.find((h, i) => headers.indexOf(h) !== i);
  if (dup !== undefined) throw badInput(`The header row names column "${dup}" twice.`, 'file');
  if (headers.some((h) => h === '')) throw badInput('The header row has an empty column name.', 'file');
  return headers;
}

/**
 * Streams a CSV file as records keyed by header, with the line each record starts on. A bad row
 * (wrong number of columns, a broken quote, too long) is reported, not thrown, and reading goes on
 * from the next line, so the rest of the file still lands. Input is bytes (decoded per `encoding`)
 * or text.
 */
export async function* readCsv(input: CsvInput, encoding: CsvEncoding = 'auto'): AsyncGenerator<CsvRow, string[]> {
  let headers: string[] | null = null;
  for await (const rec of records(input, encoding)) {
    if (!headers) {
      headers = headersOf(rec);
      continue;
    }
    if ('error' in rec) {
      yield rec;
      continue;
    }
    const out: Record<string, string> = {};
    headers.forEach((h, i) => {
      const v = rec.fields[i];
      if (v !== undefined && v !== '') out[h] = v;
    });
    yield { line: rec.line, record: out };
  }
  return headers ?? [];
}

/** The header row of a CSV, for mapping suggestions (reads no further). */
export async function readHeaders(input: CsvInput, encoding: CsvEncoding = 'auto'): Promise<string[]> {
  for await (const rec of records(input, encoding)) return headersOf(rec);
  return [];
}
