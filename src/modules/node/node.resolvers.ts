import type { Resolvers } from '../../generated/resolvers-types.js';
import { nodeById, nodesByIds } from './node.service.js';

/**
 * Query.node / Query.nodes. Node's resolveType, and every field of the types implementing it, come
 * from the read registry (the node types declared with a domain column in their relations files).
 */
export const nodeResolvers: Resolvers = {
  Query: {
    node: (_p, { id }, ctx) => nodeById(ctx.app.reads.request(ctx), id),
    nodes: (_p, { ids }, ctx) => nodesByIds(ctx.app.reads.request(ctx), ids),
  },
};
