/**
 * Relay's Global Object Identification: any node (profile, contact, case, order, profile object) by
 * its id within the caller's domain, whatever its type. Rows come from the read registry's node
 * loader (src/read/planner.ts `anyNodeLoader`): every id a request asks for, through any number of
 * `node` and `nodes` fields, is read in one statement, and the rows are the same rows every other
 * field of those types resolves from.
 */
import { AppError, ErrorCode } from '../../errors.js';
import type { AnyNodeRow, ReadRequest } from '../../read/registry.js';
import { MAX_PAGE_SIZE, UUID } from '../pagination.js';

/** Ids one `nodes(ids)` call may ask for: a page's worth. */
export const MAX_NODE_IDS = MAX_PAGE_SIZE;

/** A node id as stored (lower-case UUID), or null when `id` cannot name a node (then the answer is null). */
function nodeKey(id: string): string | null {
  return UUID.test(id) ? id.toLowerCase() : null;
}

/** The node with this id in the caller's domain; null for an unknown id, a non-UUID or another domain's id. */
export async function nodeById(request: ReadRequest, id: string): Promise<AnyNodeRow | null> {
  const loader = request.anyNode(); // first: a request without a domain key is refused whatever the id
  const key = nodeKey(id);
  return key === null ? null : loader.load(key);
}

/**
 * The nodes with these ids, in their order, null in place of each id `nodeById` answers null.
 * More than MAX_NODE_IDS ids is BAD_USER_INPUT (nothing is read).
 */
export async function nodesByIds(request: ReadRequest, ids: readonly string[]): Promise<(AnyNodeRow | null)[]> {
  const loader = request.anyNode(); // first: a request without a domain key is refused whatever the ids
  if (ids.length > MAX_NODE_IDS) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      `"ids" holds ${ids.length} ids; nodes(ids) takes at most ${MAX_NODE_IDS}. Split them over several calls (or aliased nodes fields in one query).`,
      { field: 'ids', limit: MAX_NODE_IDS },
    );
  }
  return Promise.all(
    ids.map((id) => {
      const key = nodeKey(id);
      return key === null ? null : loader.load(key);
    }),
  );
}
