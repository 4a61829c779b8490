import DataLoader from 'dataloader';
import { countPerParent, newestPerParent } from '../db/batched.js';
import { cursorTime, decodeCursor, pageSize, toConnection, toPage, type Connection, type Keyset } from '../modules/pagination.js';
import type { DomainScope } from '../modules/scope.js';
import { pageKey, type ReadExecution } from './execution.js';
import type { ConnectionInfo } from './plan.js';

/**
 * A nested connection as its resolver returns it. `totalCount` is the number when it was read with
 * the page, else a method that counts on demand (graphql-js's default resolver calls it; the
 * compiled walk, which never calls functions, leaves such a response to graphql-js).
 */
export type NestedConnection<T = { id: string }> = Connection<T> & { totalCount: number | (() => Promise<number>) };

/** The per-request parts a nested connection resolves with. */
export interface RequestLoaders {
  readonly execution: ReadExecution;
  get<T>(name: string, make: () => T): T;
}

export interface ConnectionRequest {
  readonly loaders: RequestLoaders;
  /** The caller's domain (throws when the request has none). */
  scope(): DomainScope;
  /** Counts connection pages loaded through the DataLoader path. */
  onLoad(): void;
}

/**
 * A node's nested connection (Profile.contacts …): the page prefetched with the parent when the
 * parent's page was planned (synchronous), else the per-request DataLoader path (one statement
 * per level for every parent asking with the same arguments).
 */
export function resolveConnection(
  req: ConnectionRequest,
  c: ConnectionInfo,
  parent: Record<string, unknown>,
  args: Record<string, unknown>,
): NestedConnection<unknown> | Promise<NestedConnection<unknown>> {
  const hit = req.loaders.execution.pageOf(parent, pageKey(c.decl.field, args));
  if (hit) {
    if (hit.raw) return { nodes: hit.raw } as unknown as NestedConnection<unknown>;
    const conn = toConnection(toPage(hit.rows, hit.limit, hit.cursor), c.keyOf as (row: unknown) => Keyset) as NestedConnection<unknown>;
    conn.totalCount = hit.count !== null ? hit.count : () => countLoader(req, c, args).load(parent[c.parent.idKey] as string);
    return conn;
  }
  return loadConnection(req, c, parent[c.parent.idKey] as string, args);
}

function countLoader(req: ConnectionRequest, c: ConnectionInfo, args: Record<string, unknown>): DataLoader<string, number> {
  return req.loaders.get(`${c.countLoaderName}:${JSON.stringify(args)}`, () => {
    const scope = req.scope();
    const filter = c.decl.filter?.(args as never);
    return new DataLoader<string, number>(async (ids) => {
      const m = await countPerParent(scope.database.db, c.child, scope.domain.id, ids, filter);
      return ids.map((id) => m.get(id) ?? 0);
    });
  });
}

/**
 * The DataLoader path: a per-request loader keyed by the field's arguments, so all N parents asking
 * with the same arguments share one statement (LATERAL per parent).
 */
function loadConnection(req: ConnectionRequest, c: ConnectionInfo, parentId: string, args: Record<string, unknown>): Promise<NestedConnection<unknown>> {
  const limit = pageSize(args['first'] as number | null | undefined);
  const cursor = decodeCursor(args['after'] as string | null | undefined);
  const after = cursor ? { at: cursorTime(cursor), id: cursor.id } : null;
  const pages = req.loaders.get(`${c.loaderName}:${JSON.stringify(args)}`, () => {
    const scope = req.scope();
    const filter = c.decl.filter?.(args as never);
    return new DataLoader<string, Record<string, unknown>[]>(async (ids) => {
      req.onLoad();
      const rows = await newestPerParent<Record<string, unknown>>(scope.database.db, c.child, { domainId: scope.domain.id, parentIds: ids, limit, after, filter });
      const byParent = new Map<string, Record<string, unknown>[]>();
      for (const row of rows) {
        // rows keep their parentId property (no per-row rest copy); GraphQL never reads it.
        const list = byParent.get(row.parentId);
        if (list) list.push(row);
        else byParent.set(row.parentId, [row]);
      }
      return ids.map((id) => byParent.get(id) ?? []);
    });
  });
  return pages.load(parentId).then((rows) => {
    const conn = toConnection(toPage(rows, limit, cursor), c.keyOf) as NestedConnection<unknown>;
    conn.totalCount = () => countLoader(req, c, args).load(parentId);
    return conn;
  });
}
