import { and, eq, or } from 'drizzle-orm';
import { countPerProfile, newestPerProfile } from '../../db/batched.js';
import type { Executor } from '../../db/database.js';
import type { NestedRelation } from '../../graphql/lookahead.js';
import type { NestedConnection } from '../../graphql/nested.js';
import { orders } from './order.table.js';

export type OrderConnectionParent = NestedConnection<OrderRow>;
export type OrderRow = typeof orders.$inferSelect;
export type OrderValues = Omit<typeof orders.$inferInsert, 'id' | 'domainId' | 'createdAt' | 'updatedAt'>;

export async function findOrder(db: Executor, domainId: string, id: string, isUuid: boolean): Promise<OrderRow | null> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.domainId, domainId), isUuid ? or(eq(orders.id, id), eq(orders.orderId, id)) : eq(orders.orderId, id)))
    .limit(1);
  return row ?? null;
}

export async function lockOrderByOrderId(db: Executor, domainId: string, orderId: string): Promise<OrderRow | null> {
  const [row] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.domainId, domainId), eq(orders.orderId, orderId)))
    .for('update');
  return row ?? null;
}

/** Inserts or replaces (by orderId) an order. */
export async function upsertOrder(db: Executor, domainId: string, values: OrderValues): Promise<OrderRow> {
  const [row] = await db
    .insert(orders)
    .values({ ...values, domainId })
    .onConflictDoUpdate({ target: [orders.domainId, orders.orderId], set: { ...values, updatedAt: new Date() } })
    .returning();
  return row as OrderRow;
}

export function ordersPerProfile(db: Executor, domainId: string, profileIds: readonly string[], limit: number, after: { at: Date; id: string } | null) {
  return newestPerProfile<OrderRow>(db, orders, { domainId, parentIds: profileIds, sortColumn: 'ordered_at', limit, after });
}

/** Profile.orders for the look-ahead planner (lookahead.ts). */
export const orderRelation: NestedRelation = {
  field: 'orders',
  table: orders,
  sortKey: 'orderedAt',
  computed: { attributes: ['attributes'], attribute: ['attributes'], profile: ['profileId'] },
};

export function countOrdersPerProfile(db: Executor, domainId: string, profileIds: readonly string[]) {
  return countPerProfile(db, orders, domainId, profileIds);
}
