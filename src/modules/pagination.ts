import { badInput } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Validates a `first` argument: default 20, 1–100. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`"first" must be between 1 and ${MAX_PAGE_SIZE} (got ${first}); page through larger results with "after".`, 'first');
  }
  return first;
}

/** A keyset position: the sort value (ISO timestamp or text) and the row id as a tie-breaker. */
export interface Keyset {
  sort: string;
  id: string;
}

export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.sort, k.id])).toString('base64url');
}

/** Decodes an `after` cursor; a cursor that was not made by us is BAD_USER_INPUT. */
export function decodeCursor(cursor: string | null | undefined): Keyset | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { sort: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw badInput('"after" is not a cursor returned by this API; pass an endCursor or edge cursor unchanged.', 'after');
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/** Splits a `limit + 1` fetch into a page. */
export function toPage<T>(rows: T[], limit: number, after: Keyset | null): Page<T> {
  return { rows: rows.slice(0, limit), hasNextPage: rows.length > limit, hasPreviousPage: after !== null };
}

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/**
 * Builds a Relay connection from a page. Edges and cursors are built only when a query reads them
 * (own getters, so a spread copy still works); most queries ask for `nodes` alone.
 */
export function toConnection<T>(page: Page<T>, keyOf: (row: T) => Keyset): Connection<T> {
  let edges: { node: T; cursor: string }[] | undefined;
  let pageInfo: Connection<T>['pageInfo'] | undefined;
  const rows = page.rows;
  return {
    nodes: rows,
    get edges() {
      edges ??= rows.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
      return edges;
    },
    get pageInfo() {
      pageInfo ??= {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: rows.length > 0 ? encodeCursor(keyOf(rows[0]!)) : null,
        endCursor: rows.length > 0 ? encodeCursor(keyOf(rows[rows.length - 1]!)) : null,
      };
      return pageInfo;
    },
  };
}

/** Keyset of a row sorted by a timestamp, newest first. */
export const byTime =
  <T extends { id: string }>(at: (row: T) => Date) =>
  (row: T): Keyset => ({ sort: at(row).toISOString(), id: row.id });

/** Parses a cursor's timestamp, rejecting forged values. */
export function cursorTime(k: Keyset): Date {
  const d = new Date(k.sort);
  if (Number.isNaN(d.getTime()) || !UUID.test(k.id)) throw badInput('"after" is not a cursor returned by this API.', 'after');
  return d;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
