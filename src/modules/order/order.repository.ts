import { and, eq, or } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { orders } from './order.table.js';

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
