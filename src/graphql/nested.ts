import DataLoader from 'dataloader';
import type { Context } from './context.js';
import { byTime, cursorTime, decodeCursor, pageSize, toConnection, toPage, type Connection, type Keyset } from './pagination.js';

/** A nested connection as resolvers return it; totalCount is counted only when asked for. */
export type NestedConnection<T> = Connection<T> & { totalCount: () => Promise<number> };

export interface NestedPageArgs {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

/**
 * JSON text written by Postgres for a `nodes` list, spliced into the response by the fast path
 * (fastpath.ts); null when Postgres found a value it could not write (the fast path then steps aside).
 */
export class RawJson {
  constructor(readonly text: string | null) {}
}

/** Root-field infos of the fast path: only under it may the look-ahead ask Postgres for RawJson. */
export const rawAllowed = new WeakSet<object>();

/** A connection fetched ahead of time with its parent (see lookahead.ts): rows and, if asked, the count. */
export interface PrefetchedPage<T> {
  /** Set instead of rows when the only thing selected is `nodes`, written as JSON by Postgres. */
  raw?: RawJson;
  rows: T[];
  limit: number;
  cursor: Keyset | null;
  count: number | null;
}

/**
 * Prefetched nested pages per parent row object, keyed by field name and arguments (the same key the
 * DataLoader path uses). A WeakMap, so copies of the row (e.g. primed into the profile loader and
 * reached through another path with another selection) never see them.
 */
const prefetched = new WeakMap<object, Map<string, PrefetchedPage<unknown>>>();

export function prefetchKey(field: string, args: object): string {
  return `${field}:${JSON.stringify(args)}`;
}

export function setPrefetched(parent: object, key: string, page: PrefetchedPage<unknown>): void {
  let m = prefetched.get(parent);
  if (!m) prefetched.set(parent, (m = new Map()));
  m.set(key, page);
}

/**
 * A profile's nested connection (contacts, cases, orders): the page prefetched with the parent when
 * the parent's resolver looked ahead, else the DataLoader path below (one statement per level).
 */
export function profileConnection<T extends { id: string }>(
  ctx: Context,
  field: string,
  parent: { id: string },
  args: NestedPageArgs & Record<string, unknown>,
  sortOf: (row: T) => Date,
  fetch: (profileIds: readonly string[], limit: number, after: { at: Date; id: string } | null) => Promise<(T & { parentId: string })[]>,
  count: (profileIds: readonly string[]) => Promise<Map<string, number>>,
): NestedConnection<T> | Promise<NestedConnection<T>> {
  const name = `${field}ByProfile`;
  const hit = prefetched.get(parent)?.get(prefetchKey(field, args)) as PrefetchedPage<T> | undefined;
  if (hit) {
    if (hit.raw) return { nodes: hit.raw } as unknown as NestedConnection<T>;
    const conn = toConnection(toPage(hit.rows, hit.limit, hit.cursor), byTime<T>(sortOf)) as NestedConnection<T>;
    conn.totalCount = hit.count !== null ? () => Promise.resolve(hit.count!) : () => countLoader(ctx, `${name}:${JSON.stringify(args)}`, count).load(parent.id);
    return conn;
  }
  return nestedConnection(ctx, name, parent.id, args, sortOf, fetch, count);
}

function countLoader(ctx: Context, loaderName: string, count: (profileIds: readonly string[]) => Promise<Map<string, number>>) {
  return ctx.loaders.get(
    `${loaderName}:count`,
    () =>
      new DataLoader<string, number>(async (ids) => {
        const m = await count(ids);
        return ids.map((id) => m.get(id) ?? 0);
      }),
  );
}

/**
 * Resolves a profile's nested connection (contacts, cases, orders) through a per-request DataLoader
 * keyed by the field's arguments: all N parents asking with the same arguments share one statement.
 */
export function nestedConnection<T extends { id: string }>(
  ctx: Context,
  name: string,
  profileId: string,
  args: NestedPageArgs & Record<string, unknown>,
  sortOf: (row: T) => Date,
  fetch: (profileIds: readonly string[], limit: number, after: { at: Date; id: string } | null) => Promise<(T & { parentId: string })[]>,
  count: (profileIds: readonly string[]) => Promise<Map<string, number>>,
): Promise<NestedConnection<T>> {
  const limit = pageSize(args.first);
  const cursor: Keyset | null = decodeCursor(args.after);
  const after = cursor ? { at: cursorTime(cursor), id: cursor.id } : null;
  const loaderName = `${name}:${JSON.stringify(args)}`;
  const pages = ctx.loaders.get(
    loaderName,
    () =>
      new DataLoader<string, T[]>(async (ids) => {
        const rows = await fetch(ids, limit, after);
        const byParent = new Map<string, T[]>();
        for (const row of rows) {
          // rows keep their parentId property (no per-row rest copy); GraphQL never reads it.
          const list = byParent.get(row.parentId);
          if (list) list.push(row);
          else byParent.set(row.parentId, [row]);
        }
        return ids.map((id) => byParent.get(id) ?? []);
      }),
  );
  const counts = countLoader(ctx, loaderName, count);
  return pages.load(profileId).then((rows) => {
    const conn = toConnection(toPage(rows, limit, cursor), byTime<T>(sortOf)) as NestedConnection<T>;
    conn.totalCount = () => counts.load(profileId);
    return conn;
  });
}
