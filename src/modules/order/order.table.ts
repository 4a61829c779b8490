import { nowMs } from '../../db/columns.js';
import { sql } from 'drizzle-orm';
import { index, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { domains } from '../domain/domain.table.js';
import { profiles } from '../profile/profile.table.js';

export interface OrderItemValue {
  title: string;
  sku?: string | null;
  price?: string | null;
  quantity: number;
}

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    domainId: uuid('domain_id')
      .notNull()
      .references(() => domains.id, { onDelete: 'cascade' }),
    profileId: uuid('profile_id')
      .notNull()
      .references(() => profiles.id, { onDelete: 'cascade' }),
    orderId: text('order_id').notNull(),
    status: text('status'),
    fulfillmentStatus: text('fulfillment_status'),
    totalPrice: numeric('total_price', { precision: 14, scale: 4 }),
    currency: text('currency'),
    orderedAt: timestamp('ordered_at', { withTimezone: true, mode: 'date' }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true, mode: 'date' }),
    items: jsonb('items').$type<OrderItemValue[]>().notNull().default([]),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(nowMs),
  },
  (t) => [
    uniqueIndex('orders_domain_order_id_uq').on(t.domainId, t.orderId),
    index('orders_profile_recent_idx').on(t.domainId, t.profileId, t.orderedAt.desc(), t.id.desc()),
  ],
);
