import { PROFILE_FIELDS } from './export.repository.js';

export type ExportFormat = 'CSV' | 'JSONL';

/** Turns records into lines of one file: a header (CSV) then one line per record. */
export interface RecordFormatter {
  header(): string;
  line(record: Record<string, unknown>): string;
}

const ADDRESS_PARTS = ['address1', 'address2', 'address3', 'address4', 'city', 'county', 'state', 'province', 'country', 'postalCode'] as const;
const ADDRESSES = ['address', 'shippingAddress', 'mailingAddress', 'billingAddress'] as const;

/** JSON Lines: one record per line, dates as ISO 8601, nested values kept nested. */
export const jsonl: RecordFormatter = {
  header: () => '',
  line: (record) => `${JSON.stringify(record)}\n`,
};

/** First characters a spreadsheet may read as the start of a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell the neutraliser prefixed: `'` then a formula character or another `'`. */
const NEUTRALISED = /^'[=+\-@\t\r']/;
/** A plain number (`-3`, `+15551234567`, `1.5e-3`): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Neutralises a CSV cell the OWASP way: a value starting with `=`, `+`, `-`, `@`, tab or CR gets a
 * leading `'`, so a spreadsheet shows it as text instead of running it as a formula. Plain numbers
 * (`-3`, phone numbers like `+15551234567`) are left as they are. A value that already starts with
 * `'` followed by one of those characters (or another `'`) is prefixed too, so the rule can always be
 * undone: {@link restoreCsvCell} is its exact inverse.
 */
export function neutraliseCsvCell(s: string): string {
  if (FORMULA_START.test(s) ? !PLAIN_NUMBER.test(s) : NEUTRALISED.test(s)) return `'${s}`;
  return s;
}

/**
 * Undoes {@link neutraliseCsvCell} on a cell read back from a CSV (header or value): drops the `'`
 * in front of `=`, `+`, `-`, `@`, tab, CR or `'`, and leaves every other value as it is. The CSV
 * importer applies it to every field of every record, so a profilegraph export re-imports unchanged;
 * in another tool's file only cells that start with that escape (or with `''`) change.
 */
export function restoreCsvCell(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

/**
 * RFC 4180 field: neutralised against formula injection ({@link neutraliseCsvCell}), then quoted
 * when it holds a comma, quote, CR or LF (or leading/trailing space).
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = neutraliseCsvCell(value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value));
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(columns: { header: string; get: (r: Record<string, unknown>) => unknown }[]): RecordFormatter {
  return {
    header: () => `${columns.map((c) => csvField(c.header)).join(',')}\r\n`,
    line: (record) => `${columns.map((c) => csvField(c.get(record))).join(',')}\r\n`,
  };
}

const part = (field: string, p: string) => (r: Record<string, unknown>) => (r[field] as Record<string, unknown> | null)?.[p] ?? null;

/**
 * Profiles as CSV: the scalar fields by name; the main address's parts as plain columns (address1,
 * city, postalCode … — the names the CSV importer recognises), the other addresses as
 * `shippingAddress.city` …; each attribute as `attributes.<name>`.
 */
export function profileCsv(attributeKeys: readonly string[]): RecordFormatter {
  const cols: { header: string; get: (r: Record<string, unknown>) => unknown }[] = [];
  for (const f of PROFILE_FIELDS) {
    if (f === 'attributes') continue;
    if ((ADDRESSES as readonly string[]).includes(f)) {
      for (const p of ADDRESS_PARTS) cols.push({ header: f === 'address' ? p : `${f}.${p}`, get: part(f, p) });
    } else cols.push({ header: f, get: (r) => r[f] });
  }
  for (const k of attributeKeys) cols.push({ header: `attributes.${k}`, get: part('attributes', k) });
  return csv(cols);
}

/** Objects of a custom type as CSV: `_`-prefixed identity columns, then the object's own keys as sent. */
export function objectCsv(dataKeys: readonly string[]): RecordFormatter {
  const meta = ['id', 'objectType', 'uniqueKey', 'profileId', 'profilePhoneNumber', 'profileEmailAddress', 'createdAt', 'updatedAt'];
  return csv([
    ...meta.map((m) => ({ header: `_${m}`, get: (r: Record<string, unknown>) => r[m] })),
    ...dataKeys.map((k) => ({ header: k, get: part('data', k) })),
  ]);
}

/** Contacts, cases and orders as CSV: one column per field, nested values (attributes, items) as JSON. */
export function flatCsv(fields: readonly string[]): RecordFormatter {
  return csv(fields.map((f) => ({ header: f, get: (r: Record<string, unknown>) => r[f] })));
}
