/**
 * The calculated-attribute part of the industry templates (`applyTemplate(AIRLINE | HOTEL | RETAIL)`,
 * which also installs custom attributes and segments): definitions over the built-in types only,
 * so a template needs no custom object type. Contact reasons and order kinds are read from
 * `attributes.<name>` (`reason` on contacts and cases, `kind` on orders).
 */
import type { DefinitionInput } from './expression.js';

export type Industry = 'AIRLINE' | 'HOTEL' | 'RETAIL';

export interface TemplateDefinition {
  name: string;
  description: string;
  input: DefinitionInput;
}

const avgHandle: TemplateDefinition = {
  name: 'averageHandleSeconds',
  description: 'Average length of contacts (disconnect − initiation), in seconds, over the last 90 days.',
  input: { objectType: '_ctr', expression: 'disconnectedAt - initiatedAt', statistic: 'AVERAGE', window: { lastDays: 90 } },
};

export const TEMPLATE_CALCULATED_ATTRIBUTES: Record<Industry, readonly TemplateDefinition[]> = {
  AIRLINE: [
    avgHandle,
    {
      name: 'disruptionContacts30d',
      description: 'Contacts about a delay, cancellation or missed connection in the last 30 days (contact attribute "reason").',
      input: { objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 30 }, conditions: [{ field: 'attributes.reason', operator: 'IN', values: ['delay', 'cancellation', 'missed-connection'] }] },
    },
    {
      name: 'recentlyDisrupted',
      description: 'At least one disruption contact in the last 7 days.',
      input: { objectType: '_ctr', statistic: 'COUNT', window: { lastDays: 7 }, conditions: [{ field: 'attributes.reason', operator: 'IN', values: ['delay', 'cancellation', 'missed-connection'] }], threshold: { operator: 'GREATER_THAN_OR_EQUAL', value: '1' } },
    },
    { name: 'bookingValue365d', description: 'Total of bookings (orders) in the last 365 days.', input: { objectType: '_order', expression: 'totalPrice', statistic: 'SUM', window: { lastDays: 365 } } },
    { name: 'lastBookingDate', description: 'When the latest booking was made.', input: { objectType: '_order', expression: 'orderedAt', statistic: 'MAXIMUM' } },
  ],
  HOTEL: [
    avgHandle,
    { name: 'stays365d', description: 'Reservations (orders) in the last 365 days.', input: { objectType: '_order', statistic: 'COUNT', window: { lastDays: 365 } } },
    { name: 'averageStayValue', description: 'Average reservation total.', input: { objectType: '_order', expression: 'totalPrice', statistic: 'AVERAGE' } },
    { name: 'lastStayDate', description: 'When the latest reservation was made.', input: { objectType: '_order', expression: 'orderedAt', statistic: 'MAXIMUM' } },
    {
      name: 'complaintCases90d',
      description: 'Cases with reason "complaint" opened in the last 90 days.',
      input: { objectType: '_case', statistic: 'COUNT', window: { lastDays: 90 }, conditions: [{ field: 'reason', operator: 'EQUALS', values: ['complaint'] }] },
    },
  ],
  RETAIL: [
    { name: 'orderCount', description: 'Orders placed.', input: { objectType: '_order', statistic: 'COUNT' } },
    { name: 'averageOrderValue', description: 'Average order total.', input: { objectType: '_order', expression: 'totalPrice', statistic: 'AVERAGE' } },
    { name: 'orderValue90d', description: 'Total of orders in the last 90 days.', input: { objectType: '_order', expression: 'totalPrice', statistic: 'SUM', window: { lastDays: 90 } } },
    { name: 'highValueCustomer', description: 'Orders totalling more than 1,000 in the last 365 days.', input: { objectType: '_order', expression: 'totalPrice', statistic: 'SUM', window: { lastDays: 365 }, threshold: { operator: 'GREATER_THAN', value: '1000' } } },
    {
      name: 'openReturnCases',
      description: 'Cases with reason "return" not RESOLVED or CLOSED.',
      input: { objectType: '_case', statistic: 'COUNT', conditions: [{ field: 'reason', operator: 'EQUALS', values: ['return'] }, { field: 'status', operator: 'NOT_IN', values: ['RESOLVED', 'CLOSED'] }] },
    },
  ],
};
