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

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF (or leading/trailing space). */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
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
