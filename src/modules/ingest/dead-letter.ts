/**
 * What the dead-letter table stores: a dead letter must always be writable, whatever made the
 * object bad, so the stored object is made jsonb-safe and bounded here.
 */

/** Objects larger than this (bytes of JSON) are stored as a preview. */
export const DEAD_LETTER_FULL_BYTES = 16 * 1024;
/** How much of a large object's JSON the preview keeps (bytes). */
export const DEAD_LETTER_PREVIEW_BYTES = 4 * 1024;
/** Longest reason stored (characters); reasons may quote values. */
export const MAX_REASON_CHARS = 1000;

/** A large object as stored in the dead-letter table. */
export interface TruncatedObject {
  _truncated: true;
  /** Size of the object's JSON in bytes. */
  _bytes: number;
  /** The first DEAD_LETTER_PREVIEW_BYTES of its JSON (not parseable on its own). */
  _preview: string;
}

/**
 * JSON escapes Postgres's jsonb refuses: `\u0000`, and the lone surrogates JSON.stringify writes as
 * `\udXXX` (it never escapes a well-formed pair). Other escapes (`\\`, `\"`, `\n` …) are matched
 * too, so an escaped backslash followed by "u0000" is left alone.
 */
const ESCAPE = /\\(u[0-9a-fA-F]{4}|[^u])/g;

function jsonbSafeJson(json: string): string {
  return json.replace(ESCAPE, (m: string, e: string) => {
    if (e.length !== 5) return m;
    const code = parseInt(e.slice(1), 16);
    return code === 0 || (code >= 0xd800 && code <= 0xdfff) ? '\\ufffd' : m;
  });
}

/** Text Postgres can store: NUL and lone surrogates become U+FFFD, cut to `max` characters. */
export function storableText(s: string, max = MAX_REASON_CHARS): string {
  let out = s.includes('\u0000') ? s.replaceAll('\u0000', '\ufffd') : s;
  if (out.length > max) out = `${out.slice(0, max - 1)}…`;
  return out.toWellFormed();
}

/**
 * The object as the dead-letter table keeps it: NUL and lone surrogates replaced by U+FFFD (so
 * jsonb accepts it), and objects over DEAD_LETTER_FULL_BYTES replaced by a bounded preview.
 */
export function deadLetterObject(object: unknown): Record<string, unknown> {
  let json: string;
  try {
    json = JSON.stringify(object) ?? 'null';
  } catch {
    // Nesting too deep for the serializer: nothing useful can be kept.
    return { _truncated: true, _bytes: -1, _preview: '' } satisfies TruncatedObject;
  }
  const bytes = Buffer.byteLength(json);
  const safe = jsonbSafeJson(json);
  if (bytes > DEAD_LETTER_FULL_BYTES) {
    const buf = Buffer.from(safe);
    // Cut before a character, never inside one (UTF-8 continuation bytes are 0b10xxxxxx).
    let end = DEAD_LETTER_PREVIEW_BYTES;
    while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
    return { _truncated: true, _bytes: bytes, _preview: buf.subarray(0, end).toString('utf8') } satisfies TruncatedObject;
  }
  const value: unknown = JSON.parse(safe);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { _value: value };
}

/**
 * SQLSTATE classes raised by what a row holds (data exceptions, constraint and check violations,
 * limits such as index row size, trigger exceptions, serialization conflicts): the row is refused,
 * the server is fine. Connection, resource, operator and internal errors (08, 53, 57, 58, XX …) are
 * the server's and are not blamed on a row.
 */
const ROW_CLASSES = new Set(['09', '21', '22', '23', '27', '40', '44', '54', 'P0']);
const DESCRIPTIONS: Record<string, string> = {
  '54000': 'a value is too large for an index',
  '22001': 'a value is too long',
  '22003': 'a number is out of range',
  '22021': 'a value holds a character the database cannot store',
  '22P05': 'a value holds a character the database cannot store',
};

/** The SQLSTATE of a database error (the driver's, or one wrapped by the query builder). */
export function sqlState(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return null;
}

/**
 * Why the database refused a row, when the error is the row's doing (see ROW_CLASSES); null for
 * any other error. The reason names the SQLSTATE, never the server's message (which may quote
 * internals).
 */
export function refusedByDatabase(err: unknown): string | null {
  const code = sqlState(err);
  if (!code || !ROW_CLASSES.has(code.slice(0, 2))) return null;
  const what = DESCRIPTIONS[code];
  return `The database refused this object${what ? `: ${what}` : ''} (SQLSTATE ${code}).`;
}
