import { AppError, badInput, ErrorCode } from '../../errors.js';
import type { RecordOrderInput } from '../../generated/resolvers-types.js';
import { applyAttributes } from '../attributes.js';
import { maintainValues } from '../calculated/calculated.service.js';
import { associateProfile, type Association } from '../profile/association.js';
import { text } from '../profile/normalize.js';
import { setSourceKeys } from '../profile/profile.repository.js';
import { isId } from '../profile/profile.service.js';
import { writeTransaction, type DomainScope } from '../scope.js';
import { findOrder, lockOrderByOrderId, upsertOrder, type OrderRow } from './order.repository.js';
import type { OrderItemValue } from './order.table.js';

export const ORDER_OBJECT = 'order';
const MAX_ITEMS = 500;

/**
 * Records an order (idempotent by orderId: recording it again replaces it). An order always belongs
 * to a profile: the given profileId, else the single profile matching customerPhone/customerEmail,
 * else an inferred one when allowed.
 */
export async function recordOrder(scope: DomainScope, input: RecordOrderInput): Promise<{ order: OrderRow; association: Association; created: boolean }> {
  const orderId = text(input.orderId, 'orderId');
  if (!orderId) throw badInput('orderId must not be empty.', 'orderId');
  const currency = input.currency === null || input.currency === undefined ? null : input.currency.trim().toUpperCase();
  if (currency !== null && !/^[A-Z]{3}$/.test(currency)) throw badInput(`currency "${input.currency}" is not an ISO 4217 code (e.g. USD, JPY).`, 'currency');
  const items: OrderItemValue[] = (input.items ?? []).map((item, i) => {
    const title = text(item.title, `items[${i}].title`);
    if (!title) throw badInput(`items[${i}].title must not be empty.`, `items[${i}].title`);
    const quantity = item.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1) throw badInput(`items[${i}].quantity must be a whole number ≥ 1.`, `items[${i}].quantity`);
    return { title, sku: text(item.sku, `items[${i}].sku`) ?? null, price: item.price ?? null, quantity };
  });
  if (items.length > MAX_ITEMS) throw badInput(`An order can have at most ${MAX_ITEMS} items.`, 'items');
  const orderedAt = input.orderedAt ?? new Date();
  if (input.cancelledAt && input.cancelledAt < orderedAt) throw badInput('cancelledAt is before orderedAt.', 'cancelledAt');

  return writeTransaction(scope, async (tx, emit) => {
    const existing = await lockOrderByOrderId(tx, scope.domain.id, orderId);
    let profileId: string;
    let association: Association;
    if (existing && !input.profileId) {
      profileId = existing.profileId;
      association = 'EXISTING';
    } else {
      const assoc = await associateProfile(tx, scope, emit, {
        profileId: input.profileId,
        phoneNumber: input.customerPhone,
        emailAddress: input.customerEmail,
        phoneField: 'customerPhone',
        emailField: 'customerEmail',
        allowProfileCreation: input.allowProfileCreation ?? true,
      });
      if (!assoc.profile) {
        if (assoc.association === 'AMBIGUOUS') {
          throw new AppError(ErrorCode.CONFLICT, `Several profiles match this order's customer (${assoc.candidateIds.length}); pass profileId to choose one.`, {
            candidateProfileIds: assoc.candidateIds,
          });
        }
        throw badInput('The order has no profile: pass profileId, or customerPhone/customerEmail of a profile (or allow profile creation).', 'profileId');
      }
      profileId = assoc.profile.id;
      association = assoc.association;
    }
    const order = await upsertOrder(tx, scope.domain.id, {
      profileId,
      orderId,
      status: text(input.status, 'status') ?? null,
      fulfillmentStatus: text(input.fulfillmentStatus, 'fulfillmentStatus') ?? null,
      totalPrice: input.totalPrice ?? null,
      currency,
      orderedAt,
      cancelledAt: input.cancelledAt ?? null,
      items,
      attributes: applyAttributes({}, input.attributes),
    });
    await maintainValues(tx, scope, '_order', [profileId, existing?.profileId]);
    emit({ type: 'ORDER_RECORDED', profileId, objectType: ORDER_OBJECT, objectId: order.id });
    await setSourceKeys(tx, scope.domain.id, `obj:_order:${orderId}`, profileId, [{ keyName: '_orderId', value: orderId }]);
    return { order, association, created: !existing };
  });
}

export function getOrder(scope: DomainScope, id: string): Promise<OrderRow | null> {
  return findOrder(scope.database.db, scope.domain.id, id, isId(id));
}
