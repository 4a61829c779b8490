import { sql } from 'drizzle-orm';

/**
 * Default for timestamp columns: the current time at millisecond precision. Keyset cursors and the
 * API carry JavaScript Dates (milliseconds); a microsecond timestamp would fall between two cursor
 * values and rows in the same millisecond could be skipped at a page boundary.
 */
export const nowMs = sql`date_trunc('milliseconds', now())`;
