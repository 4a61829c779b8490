import { z } from 'zod';
import { badInput } from '../../errors.js';
import { createCase } from '../case/case.service.js';
import { recordContact } from '../contact/contact.service.js';
import { recordOrder } from '../order/order.service.js';
import type { DomainScope } from '../scope.js';
import type { IngestResult } from './ingest.service.js';
import { checkObject } from './rules.js';

const date = z.coerce.date();
const attrs = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .transform((r) => Object.entries(r).map(([key, value]) => ({ key, value: String(value) })))
  .optional();
const str = z.string().optional().nullable();

const ctr = z.object({
  contactId: z.string(),
  profileId: str,
  channel: z.enum(['VOICE', 'CHAT', 'EMAIL', 'TASK', 'SMS', 'WEB', 'SOCIAL', 'OTHER']),
  direction: z.enum(['INBOUND', 'OUTBOUND', 'TRANSFER', 'CALLBACK', 'API']).optional().nullable(),
  initiatedAt: date,
  disconnectedAt: date.optional().nullable(),
  queue: str,
  queueWaitSeconds: z.number().int().optional().nullable(),
  holdSeconds: z.number().int().optional().nullable(),
  agentId: str,
  phoneNumber: str,
  emailAddress: str,
  firstName: str,
  lastName: str,
  attributes: attrs,
  allowProfileCreation: z.boolean().optional(),
});
const kase = z.object({
  profileId: z.string(),
  caseId: str,
  title: z.string(),
  summary: str,
  status: z.enum(['OPEN', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED']).optional(),
  reason: str,
  priority: z.enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT']).optional().nullable(),
  createdBy: str,
  attributes: attrs,
});
const order = z.object({
  orderId: z.string(),
  profileId: str,
  customerPhone: str,
  customerEmail: str,
  allowProfileCreation: z.boolean().optional(),
  status: str,
  fulfillmentStatus: str,
  totalPrice: z.union([z.string(), z.number()]).transform(String).optional().nullable(),
  currency: str,
  orderedAt: date.optional().nullable(),
  cancelledAt: date.optional().nullable(),
  items: z.array(z.object({ title: z.string(), sku: str, price: z.union([z.string(), z.number()]).transform(String).optional().nullable(), quantity: z.number().int().optional() })).optional(),
  attributes: attrs,
});

function parse<T>(schema: z.ZodType<T>, object: unknown, type: string): T {
  const r = schema.safeParse(object);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw badInput(`${type}: ${i.path.join('.') || 'object'}: ${i.message}`, i.path.join('.'));
  }
  return r.data;
}

const base = { object: null, profile: null, matchedKey: null, reason: null };

const SCHEMAS: Record<string, z.ZodType<unknown>> = { _ctr: ctr, _case: kase, _order: order };

/**
 * What can be checked of a built-in object without writing (imports' dry run): storable text and
 * size, and the object's shape. The services' own checks (lengths, dates) run when it is recorded.
 */
export function validateBuiltIn(type: string, object: Record<string, unknown>): void {
  checkObject(object);
  const schema = SCHEMAS[type];
  if (schema) parse(schema, object, type);
}

/** Routes built-in object types to the contact, case and order services (same validation, same events). */
export async function ingestBuiltIn(scope: DomainScope, type: string, object: Record<string, unknown>): Promise<Omit<IngestResult, 'index'>> {
  if (type === '_ctr') {
    const r = await recordContact(scope, parse(ctr, object, type));
    const profileId = r.contact.profileId;
    return { ...base, outcome: r.association === 'CREATED_PROFILE' ? 'CREATED_PROFILE' : 'ATTACHED', profileId, replaced: !r.created, matchedKey: r.association === 'MATCHED' ? 'phone/email' : null };
  }
  if (type === '_case') {
    const r = await createCase(scope, parse(kase, object, type));
    return { ...base, outcome: 'ATTACHED', profileId: r.case.profileId, replaced: !r.created, matchedKey: 'profileId' };
  }
  const r = await recordOrder(scope, parse(order, object, type));
  return { ...base, outcome: r.association === 'CREATED_PROFILE' ? 'CREATED_PROFILE' : 'ATTACHED', profileId: r.order.profileId, replaced: !r.created, matchedKey: null };
}
