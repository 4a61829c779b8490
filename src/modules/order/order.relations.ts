/** Order in the read registry (src/read/registry.ts): the node type and `Profile.orders`. */
import { connection, fieldsOf, node, type ReadModule } from '../../read/registry.js';
import { attributeList } from '../attributes.js';
import { orders } from './order.table.js';
import type { OrderRow } from './order.repository.js';

declare module '../../read/registry.js' {
  interface NodeRows {
    Order: OrderRow;
  }
}

const { field, reference } = fieldsOf(orders);

export const orderNode = node({
  type: 'Order',
  table: orders,
  id: orders.id,
  domain: orders.domainId,
  fields: {
    attributes: field({ columns: [orders.attributes], resolve: (o) => attributeList(o.attributes) }),
    attribute: field({ columns: [orders.attributes], resolve: (o, { key }: { key: string }) => o.attributes[key] ?? null }),
    profile: reference({ column: orders.profileId, target: 'Profile' }),
  },
});

export const orderReads: ReadModule = {
  nodes: [orderNode],
  connections: [
    connection({ parent: 'Profile', field: 'orders', node: orderNode, parentColumn: orders.profileId, domainColumn: orders.domainId, sort: orders.orderedAt }),
  ],
};
