/**
 * Staging tables of the ingestion pipeline and how rows get into them: one COPY per table and
 * batch, on Postgres through postgres.js (`copy … from stdin`), on PGlite through its `/dev/blob`
 * COPY, with the same COPY text. Everything after staging is the same SQL on both.
 *
 * The tables are session-local temporary tables, created on first use in a session and emptied at
 * every commit (`on commit delete rows`): private to the transaction that fills them (so concurrent
 * imports never see each other's rows), never WAL-logged, nothing to clean up after a crash, and —
 * unlike `on commit drop` — no catalog rows created and deleted per batch.
 */
import { getTableColumns, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { sqlStats, type Database, type Tx } from '../../db/database.js';
import { profiles } from '../profile/profile.table.js';

/** Profile columns in table order: (drizzle key, column). */
export const PROFILE_COLUMNS: readonly [string, PgColumn][] = Object.entries(getTableColumns(profiles)) as [string, PgColumn][];

/** Staging tables (their columns, in COPY order). */
export const STAGING = {
  /** The batch's rows as received. `locks`: "key|value" names; `match_*`: the pairs looked up for matching. */
  rows: { name: 'ingest_rows', columns: ['seq', 'unique_key', 'data', 'lookup', 'locks', 'match_names', 'match_values'] },
  /** Profiles to insert (op I) or write back after merges (op U, with their number of merges). */
  profiles: { name: 'ingest_profiles', columns: [...PROFILE_COLUMNS.map(([, c]) => c.name), 'op', 'merges'] },
  /** Objects to write (the object of row `seq`; op N: new, op R: replacing a stored one) or delete (op D). */
  objects: { name: 'ingest_objects', columns: ['op', 'id', 'seq', 'profile_id', 'unique_key', 'created_at', 'updated_at'] },
  /** Keys to insert (op N: on a profile the batch creates; op I: on another) or whole sources of a profile to delete (op D). */
  keys: { name: 'ingest_keys', columns: ['op', 'key_name', 'value', 'profile_id', 'source'] },
  /** The batch's events, numbered from 1 in order. */
  events: { name: 'ingest_events', columns: ['ord', 'type', 'profile_id', 'object_type', 'object_id', 'changes'] },
} as const;
export type StagingTable = (typeof STAGING)[keyof typeof STAGING];

const DDL = `
  if to_regclass('pg_temp.ingest_rows') is null then
    create temp table ingest_rows (seq int not null, unique_key text not null, data jsonb not null, lookup boolean not null,
      locks text[] not null, match_names text[] not null, match_values text[] not null) on commit delete rows;
    create temp table ingest_profiles (like profiles, op "char" not null, merges int not null) on commit delete rows;
    create temp table ingest_objects (op "char" not null, id uuid not null, seq int, profile_id uuid, unique_key text,
      created_at timestamptz, updated_at timestamptz) on commit delete rows;
    create temp table ingest_keys (op "char" not null, key_name text, value text, profile_id uuid not null, source text not null) on commit delete rows;
    create temp table ingest_events (ord int not null, type text not null, profile_id uuid, object_type text, object_id text, changes jsonb) on commit delete rows;
  end if;`;

/** Creates the staging tables in this session if it has none yet (one statement). */
export async function ensureStaging(tx: Tx): Promise<void> {
  await tx.execute(sql.raw(`do $$ begin ${DDL} end $$`));
}

// ---------------------------------------------------------------- COPY text format

/** A COPY text field: NULL as \N; backslash, tab and line breaks escaped. */
export function field(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v;
}

/** A text[] field: `{"a","b"}` with `"` and `\` escaped inside the elements, then COPY-escaped. */
export function arrayField(values: readonly string[]): string {
  if (values.length === 0) return '{}';
  return field(`{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);
}

/** One COPY line. */
export const line = (fields: readonly string[]): string => `${fields.join('\t')}\n`;

/** A value of a drizzle column as a COPY field (the column's own driver mapping: jsonb as JSON, dates as ISO). */
export function columnField(column: PgColumn, v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const driver = column.mapToDriverValue(v);
  return field(typeof driver === 'string' || typeof driver === 'number' || typeof driver === 'boolean' ? driver : JSON.stringify(driver));
}

// ---------------------------------------------------------------- COPY on both drivers

interface PostgresQuery {
  reject: (err: unknown) => void;
  writable(): Promise<NodeJS.WritableStream & { on(event: string, fn: (...args: unknown[]) => void): unknown; end(chunk: string): void }>;
}
interface DriverClient {
  unsafe?(query: string): PostgresQuery;
  query?(query: string, params: unknown[], options: { blob: Blob }): Promise<unknown>;
}

/**
 * COPYs `text` (lines built with {@link line}) into a staging table inside the transaction `tx`:
 * one statement, counted like any other by the diagnostics statement counter.
 */
export async function copyInto(database: Pick<Database, 'kind'>, tx: Tx, table: StagingTable, text: string): Promise<void> {
  if (!text) return;
  const store = sqlStats.getStore();
  if (store) store.statements++;
  const statement = `copy ${table.name} (${table.columns.join(', ')}) from`;
  // drizzle keeps the driver's transaction handle (postgres.js TransactionSql / PGlite Transaction) on its session.
  const client = (tx as unknown as { session: { client: DriverClient } }).session.client;
  if (database.kind === 'pglite') {
    await client.query!(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
    return;
  }
  const query = client.unsafe!(`${statement} stdin`);
  // postgres.js 3.4.9 settles a COPY's writable only on success: an error the server reports after
  // the last chunk (or a lost connection) reaches the query's reject, which is a no-op once the
  // query resolved with the stream. Hook it, or a failed COPY would wait forever.
  let failed: (err: unknown) => void = () => {};
  const failure = new Promise<never>((_resolve, reject) => (failed = reject));
  failure.catch(() => {});
  const reject = query.reject;
  query.reject = (err) => {
    failed(err);
    reject(err);
  };
  const writable = await query.writable();
  await new Promise<void>((resolve, rejectCopy) => {
    writable.on('finish', () => resolve());
    writable.on('error', (err) => rejectCopy(err));
    failure.catch(rejectCopy);
    writable.end(text);
  });
}
