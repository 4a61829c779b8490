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
          const { parentId, ...rest } = row;
          const list = byParent.get(parentId) ?? [];
          list.push(rest as unknown as T);
          byParent.set(parentId, list);
        }
        return ids.map((id) => byParent.get(id) ?? []);
      }),
  );
  const counts = ctx.loaders.get(
    `${loaderName}:count`,
    () =>
      new DataLoader<string, number>(async (ids) => {
        const m = await count(ids);
        return ids.map((id) => m.get(id) ?? 0);
      }),
  );
  return pages.load(profileId).then((rows) => ({
    ...toConnection(toPage(rows, limit, cursor), byTime<T>(sortOf)),
    totalCount: () => counts.load(profileId),
  }));
}
