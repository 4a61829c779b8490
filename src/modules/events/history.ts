import DataLoader from 'dataloader';
import { badInput } from '../../errors.js';
import type { ReadRequest } from '../../read/registry.js';
import { decodeCursor, encodeCursor, pageSize, type Connection } from '../pagination.js';
import { eventsPerProfile, type EventRow } from './event.repository.js';

export type HistoryConnection = Connection<EventRow>;
export type HistoryAction = 'CREATED' | 'UPDATED' | 'INGESTED' | 'DELETED' | 'EXPIRED' | 'MERGED' | 'UNMERGED';

/** ACCP's history record types for our event types: object writes are INGESTED. */
export function historyAction(type: string): HistoryAction {
  switch (type) {
    case 'PROFILE_CREATED':
      return 'CREATED';
    case 'PROFILE_UPDATED':
      return 'UPDATED';
    case 'PROFILE_DELETED':
      return 'DELETED';
    case 'MERGED':
      return 'MERGED';
    case 'UNMERGED':
      return 'UNMERGED';
    case 'PROFILE_EXPIRED':
    case 'OBJECT_EXPIRED':
      return 'EXPIRED';
    default:
      return 'INGESTED';
  }
}

/** Cursor of a history record: its event id (stable while new events arrive: they sort first). */
const cursorOf = (e: EventRow): string => encodeCursor({ sort: 'event', id: String(e.id) });

function decodeEventCursor(after: string | null | undefined): number | null {
  const k = decodeCursor(after);
  if (!k) return null;
  const id = Number(k.id);
  if (k.sort !== 'event' || !Number.isSafeInteger(id) || id < 1) throw badInput('"after" is not a history cursor returned by this API.', 'after');
  return id;
}

/**
 * Profile.history through a per-request DataLoader keyed by the field's arguments: N profiles in
 * one response share one statement (LATERAL per profile), never a query per parent.
 */
export async function profileHistory(
  request: ReadRequest,
  profileId: string,
  args: { first?: number | null | undefined; after?: string | null | undefined },
): Promise<HistoryConnection> {
  const limit = pageSize(args.first);
  const before = decodeEventCursor(args.after);
  const loader = request.memo(
    `historyByProfile:${limit}:${before ?? ''}`,
    () =>
      new DataLoader<string, EventRow[]>(async (ids) => {
        const scope = request.scope;
        const rows = await eventsPerProfile(scope.database.db, scope.domain.id, ids, limit, before);
        const byParent = new Map<string, EventRow[]>();
        for (const { parentId, ...row } of rows) {
          const list = byParent.get(parentId) ?? [];
          list.push(row);
          byParent.set(parentId, list);
        }
        return ids.map((id) => byParent.get(id) ?? []);
      }),
  );
  const rows = await loader.load(profileId);
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: before !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
